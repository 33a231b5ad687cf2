// candidate-desk-extract: prints the text of a PDF, for Candidate Desk.
//
//   candidate-desk-extract [--max-chars N] [--] FILE
//
// Standard output: each page's text in UTF-8, followed by a form feed. The exit
// status says what happened (PdfHelperExit). Poppler runs here, in a process
// of its own, so that a PDF that crashes or hangs it costs this process only:
// Candidate Desk kills it after its time limit and says so.

#include "resume/PdfTextWorker.h"

#include <QCoreApplication>
#include <QFile>
#include <QRectF>
#include <QStringList>
#include <QVariant>

#include <poppler-qt6.h>

#include <sys/resource.h>

#include <cstdio>
#include <memory>

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

} // namespace

int main(int argc, char *argv[])
{
    limitResources();
    QCoreApplication app(argc, argv);

    QStringList args = QCoreApplication::arguments().mid(1);
    qsizetype maxChars = 1'000'000;
    QString path;
    bool options = true;
    while (!args.isEmpty()) {
        const QString arg = args.takeFirst();
        if (options && arg == u"--"_s) {
            options = false;
        } else if (options && arg == u"--max-chars"_s && !args.isEmpty()) {
            bool ok = false;
            maxChars = args.takeFirst().toLongLong(&ok);
            if (!ok || maxChars < 0)
                return exitWith(PdfHelperExit::Usage);
        } else if (options && arg.startsWith(u'-')) {
            std::fputs("usage: candidate-desk-extract [--max-chars N] [--] FILE\n", stderr);
            return exitWith(PdfHelperExit::Usage);
        } else if (path.isEmpty()) {
            path = arg;
        } else {
            return exitWith(PdfHelperExit::Usage);
        }
    }
    if (path.isEmpty()) {
        std::fputs("usage: candidate-desk-extract [--max-chars N] [--] FILE\n", stderr);
        return exitWith(PdfHelperExit::Usage);
    }

    if (!looksLikePdf(path))
        return exitWith(PdfHelperExit::NotPdf);
    // Poppler's complaints about a PDF's syntax mean nothing to the recruiter.
    Poppler::setDebugErrorFunction(quiet, QVariant());
    const std::unique_ptr<Poppler::Document> document = Poppler::Document::load(path);
    if (!document)
        return exitWith(PdfHelperExit::Damaged);
    if (document->isLocked())
        return exitWith(PdfHelperExit::Encrypted);
    const int pageCount = document->numPages();
    if (pageCount <= 0)
        return exitWith(PdfHelperExit::Damaged);

    qsizetype written = 0;
    bool anyText = false;
    bool truncated = false;
    for (int i = 0; i < pageCount; ++i) {
        QString text;
        if (!truncated) {
            const std::unique_ptr<Poppler::Page> page = document->page(i);
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
