// candidate-desk-extract: prints the text of a PDF, or draws its first page,
// for Candidate Desk.
//
//   candidate-desk-extract [--max-chars N] [--] FILE
//   candidate-desk-extract --thumbnail WxH [--] FILE
//
// Standard output: each page's text in UTF-8, followed by a form feed; or,
// with --thumbnail, the first page as a PNG that fits within W x H pixels
// (each side at most PdfHelper::kMaxThumbnailSide). The exit status says what
// happened (PdfHelperExit). Poppler runs here, in a process of its own, so
// that a PDF that crashes or hangs it costs this process only: Candidate Desk
// kills it after its time limit and says so.

#include "resume/PdfHelper.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QRectF>
#include <QSize>
#include <QStringList>
#include <QVariant>

#include <poppler-qt6.h>

#include <sys/resource.h>

#include <cstdio>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using cdesk::PdfHelperExit;

namespace {

// Sanitizers reserve terabytes of address space: a memory bound would stop them at start.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)                            \
    || __has_feature(memory_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// A PDF can describe a page that takes gigabytes to lay out. The caller kills
// us on its clock, but a bound here keeps one file from pushing the whole
// machine into swap first, and ends a helper whose caller died.
void limitResources()
{
    constexpr rlim_t kMemoryBytes = rlim_t(1536) * 1024 * 1024;
    constexpr rlim_t kCpuSeconds = 120;
    if (!kSanitized) {
        const rlimit memory { kMemoryBytes, kMemoryBytes };
        setrlimit(RLIMIT_AS, &memory);
    }
    const rlimit cpu { kCpuSeconds, kCpuSeconds };
    setrlimit(RLIMIT_CPU, &cpu);
}

int exitWith(PdfHelperExit status)
{
    return int(status);
}

void quiet(const QString &, const QVariant &) { }

// Whether the file starts as a PDF (within its first KiB, as readers allow).
bool looksLikePdf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(1024).contains("%PDF-");
}

bool writeOut(const QByteArray &bytes)
{
    return std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout) == size_t(bytes.size());
}

struct Options
{
    qsizetype maxChars = 1'000'000;
    QSize thumbnail; // valid: draw the first page instead of printing the text
    QString path;
};

int usage()
{
    std::fputs("usage: candidate-desk-extract [--max-chars N | --thumbnail WxH] [--] FILE\n",
               stderr);
    return exitWith(PdfHelperExit::Usage);
}

// "72x96", each side from 1 to kMaxThumbnailSide.
QSize thumbnailSize(const QString &text)
{
    const QStringList sides = text.split(u'x');
    if (sides.size() != 2)
        return {};
    bool wide = false;
    bool high = false;
    const QSize size(sides.at(0).toInt(&wide), sides.at(1).toInt(&high));
    const int most = cdesk::PdfHelper::kMaxThumbnailSide;
    if (!wide || !high || size.width() < 1 || size.height() < 1 || size.width() > most
        || size.height() > most)
        return {};
    return size;
}

// Null when the arguments make no sense.
std::optional<Options> parse(QStringList args)
{
    Options options;
    bool flags = true;
    while (!args.isEmpty()) {
        const QString arg = args.takeFirst();
        if (flags && arg == u"--"_s) {
            flags = false;
        } else if (flags && arg == u"--max-chars"_s && !args.isEmpty()) {
            bool ok = false;
            options.maxChars = args.takeFirst().toLongLong(&ok);
            if (!ok || options.maxChars < 0)
                return std::nullopt;
        } else if (flags && arg == u"--thumbnail"_s && !args.isEmpty()) {
            options.thumbnail = thumbnailSize(args.takeFirst());
            if (!options.thumbnail.isValid())
                return std::nullopt;
        } else if ((flags && arg.startsWith(u'-')) || !options.path.isEmpty()) {
            return std::nullopt;
        } else {
            options.path = arg;
        }
    }
    if (options.path.isEmpty())
        return std::nullopt;
    return options;
}

// Each page's text and a form feed, cut at maxChars in all.
int printText(Poppler::Document &document, qsizetype maxChars)
{
    const int pageCount = document.numPages();
    qsizetype written = 0;
    bool anyText = false;
    bool truncated = false;
    for (int i = 0; i < pageCount; ++i) {
        QString text;
        if (!truncated) {
            const std::unique_ptr<Poppler::Page> page = document.page(i);
            // A null rectangle: the whole page, in reading order.
            if (page)
                text = page->text(QRectF());
            // The form feed separates pages: a page may not carry one of its own.
            text.replace(u'\f', u' ');
            if (written + text.size() > maxChars) {
                text.truncate(maxChars - written);
                if (!text.isEmpty() && text.back().isHighSurrogate())
                    text.chop(1);
                truncated = true;
            }
            written += text.size();
            anyText = anyText || !text.trimmed().isEmpty();
        }
        // Pages past the cut still get their form feed, so the count stays true.
        if (!writeOut(text.toUtf8() + '\f'))
            return exitWith(PdfHelperExit::Failed);
    }
    if (std::fflush(stdout) != 0)
        return exitWith(PdfHelperExit::Failed);
    if (!anyText)
        return exitWith(PdfHelperExit::NoText);
    return exitWith(truncated ? PdfHelperExit::Truncated : PdfHelperExit::Ok);
}

// The first page as a PNG within bounds, keeping its proportions.
int drawThumbnail(Poppler::Document &document, const QSize &bounds)
{
    document.setRenderHint(Poppler::Document::Antialiasing);
    document.setRenderHint(Poppler::Document::TextAntialiasing);
    const std::unique_ptr<Poppler::Page> page = document.page(0);
    if (!page)
        return exitWith(PdfHelperExit::Damaged);
    // Render at the resolution that fits the bounds, not at 72 dpi and scale:
    // a large page rendered whole would cost far more than the thumbnail.
    const QSizeF points = page->pageSizeF(); // 1/72 inch
    if (!(points.width() > 0) || !(points.height() > 0))
        return exitWith(PdfHelperExit::Damaged);
    const qreal scale = qMin(bounds.width() / points.width(), bounds.height() / points.height());
    const qreal dpi = 72.0 * scale;
    QImage image = page->renderToImage(dpi, dpi);
    if (image.isNull())
        return exitWith(PdfHelperExit::Damaged);
    // Rounding in Poppler can overshoot the bounds by a pixel.
    if (image.width() > bounds.width() || image.height() > bounds.height())
        image = image.scaled(bounds, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QByteArray png;
    QBuffer buffer(&png);
    if (!buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG"))
        return exitWith(PdfHelperExit::Failed);
    if (!writeOut(png) || std::fflush(stdout) != 0)
        return exitWith(PdfHelperExit::Failed);
    return exitWith(PdfHelperExit::Ok);
}

} // namespace

int main(int argc, char *argv[])
{
    limitResources();
    QCoreApplication app(argc, argv);

    const std::optional<Options> options = parse(QCoreApplication::arguments().mid(1));
    if (!options)
        return usage();
    if (!looksLikePdf(options->path))
        return exitWith(PdfHelperExit::NotPdf);
    // Poppler's complaints about a PDF's syntax mean nothing to the recruiter.
    Poppler::setDebugErrorFunction(quiet, QVariant());
    const std::unique_ptr<Poppler::Document> document = Poppler::Document::load(options->path);
    if (!document)
        return exitWith(PdfHelperExit::Damaged);
    if (document->isLocked())
        return exitWith(PdfHelperExit::Encrypted);
    if (document->numPages() <= 0)
        return exitWith(PdfHelperExit::Damaged);
    if (options->thumbnail.isValid())
        return drawThumbnail(*document, options->thumbnail);
    return printText(*document, options->maxChars);
}

