#pragma once

#include "resume/TextExtractor.h"

#include <QByteArray>
#include <QStringList>

#include <functional>

namespace cdesk {

// How candidate-desk-extract ends, shared by the helper and the workers that
// run it. For text, its standard output holds each page's text followed by a
// form feed (as pdftotext does), so the page count survives even when there is
// no text; for a thumbnail (--thumbnail WxH), the first page as PNG bytes.
enum class PdfHelperExit : int {
    Ok = 0,
    Failed = 1, // its output could not be written (the caller went away)
    Usage = 2,
    NotPdf = 3, // the file does not start as a PDF
    Encrypted = 4, // a user password is needed to open it
    NoText = 5, // pages, but no text on any: a scan
    Damaged = 6, // starts as a PDF, but Poppler cannot open it, draw it, or it has no pages
    Truncated = 7, // the text was cut at --max-chars
};

// What one run of the helper came to.
struct PdfHelperRun
{
    enum class Outcome {
        Finished, // it ended by itself: exitCode says how
        NotStarted, // missing, or not executable
        TimedOut, // killed at limits.pdfTimeoutMs
        Cancelled, // killed because cancelled() said so
        Crashed, // it died of a signal
        OutputCut, // it wrote more than maxOutput and was killed; output holds maxOutput bytes
    };
    Outcome outcome = Outcome::NotStarted;
    int exitCode = -1;
    QByteArray output;
    QString program; // the executable that was (to be) run
};

// Runs candidate-desk-extract, never Poppler in our own process: Poppler on a
// crafted or damaged PDF may crash, hang or eat memory, and the recruiter's
// unsaved form must outlive that. Blocks the calling thread (a worker's) until
// the helper ends, limits.pdfTimeoutMs runs out or cancelled() says so; the
// last two kill the helper.
class PdfHelper
{
public:
    // The largest side of a thumbnail the helper draws, whatever it is asked.
    static constexpr int kMaxThumbnailSide = 1024;

    static PdfHelperRun run(const QStringList &arguments, const ExtractLimits &limits,
                            qint64 maxOutput, const std::function<bool()> &cancelled = {});
};

} // namespace cdesk
