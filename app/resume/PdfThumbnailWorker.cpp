#include "PdfThumbnailWorker.h"

#include "PdfHelper.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("PdfThumbnailWorker", text, disambiguation, n);
}

// A PNG of the largest thumbnail, uncompressed RGBA and all, is about 4 MB:
// more is a helper gone wrong.
constexpr qint64 kMaxPngBytes = 8 * 1024 * 1024;
const QByteArrayView kPngSignature("\x89PNG\r\n\x1a\n", 8);

} // namespace

QString PdfThumbnailWorker::cannotBeDrawn()
{
    return tr("No preview: this PDF cannot be drawn, and may be damaged. The file itself can "
              "still be sent.");
}

PdfThumbnailBytes PdfThumbnailWorker::run(const QString &path, const QSize &bounds,
                                          const ExtractLimits &limits,
                                          const std::function<bool()> &cancelled)
{
    PdfThumbnailBytes result;
    const QSize size = bounds.boundedTo({ PdfHelper::kMaxThumbnailSide,
                                          PdfHelper::kMaxThumbnailSide });
    if (size.isEmpty()) {
        result.problem = cannotBeDrawn();
        return result;
    }
    // "--" so that a file whose name starts with a dash is never taken for an option.
    const QString wanted = u"%1x%2"_s.arg(size.width()).arg(size.height());
    const PdfHelperRun run
        = PdfHelper::run({ u"--thumbnail"_s, wanted, u"--"_s, path }, limits, kMaxPngBytes,
                         cancelled);
    switch (run.outcome) {
    case PdfHelperRun::Outcome::NotStarted:
        result.problem = tr("No preview: the PDF reader (%1) is missing or cannot be started. "
                            "Reinstall Candidate Desk to bring it back.")
                             .arg(QFileInfo(run.program).fileName());
        return result;
    case PdfHelperRun::Outcome::Cancelled:
        return result;
    case PdfHelperRun::Outcome::TimedOut:
        result.timedOut = true;
        result.problem = tr("No preview: drawing this PDF took too long (more than %n "
                            "second(s)), so Candidate Desk stopped. The file itself can still "
                            "be sent.",
                            nullptr, std::max(1, (limits.pdfTimeoutMs + 999) / 1000));
        return result;
    case PdfHelperRun::Outcome::Crashed:
        result.problem = tr("No preview: the PDF reader stopped unexpectedly on this file. The "
                            "PDF may be damaged; Candidate Desk itself is fine.");
        return result;
    case PdfHelperRun::Outcome::OutputCut:
        result.problem = cannotBeDrawn();
        return result;
    case PdfHelperRun::Outcome::Finished:
        break;
    }
    if (PdfHelperExit(run.exitCode) == PdfHelperExit::Encrypted) {
        result.problem = tr("No preview: this PDF is locked with a password. The file itself "
                            "can still be sent.");
        return result;
    }
    if (PdfHelperExit(run.exitCode) != PdfHelperExit::Ok || !run.output.startsWith(kPngSignature)) {
        result.problem = cannotBeDrawn();
        return result;
    }
    result.png = run.output;
    return result;
}

} // namespace cdesk
