#pragma once

#include "resume/TextExtractor.h"

#include <QString>

#include <functional>

namespace cdesk {

// How candidate-desk-extract ends, shared by the helper and the worker that
// runs it. Its standard output holds each page's text followed by a form feed
// (as pdftotext does), so the page count survives even when there is no text.
enum class PdfHelperExit : int {
    Ok = 0,
    Failed = 1, // its output could not be written (the caller went away)
    Usage = 2,
    NotPdf = 3, // the file does not start as a PDF
    Encrypted = 4, // a user password is needed to open it
    NoText = 5, // pages, but no text on any: a scan
    Damaged = 6, // starts as a PDF, but Poppler cannot open it or it has no pages
    Truncated = 7, // the text was cut at --max-chars
};

// Reads a PDF's text in the candidate-desk-extract helper process, never in
// ours: Poppler on a crafted or damaged PDF may crash, hang or eat memory, and
// the recruiter's unsaved form must outlive that. Blocks the calling thread (a
// worker's) until the helper ends, limits.pdfTimeoutMs runs out or cancelled()
// says so; the last two kill the helper.
class PdfTextWorker
{
public:
    static ExtractedText run(const QString &path, const ExtractLimits &limits,
                             const std::function<bool()> &cancelled = {});
};

} // namespace cdesk
