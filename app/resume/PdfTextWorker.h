#pragma once

#include "resume/PdfHelper.h"
#include "resume/TextExtractor.h"

#include <QString>

#include <functional>

namespace cdesk {

// Reads a PDF's text in the candidate-desk-extract helper process (PdfHelper),
// never in ours. Blocks the calling thread (a worker's) until the helper ends,
// limits.pdfTimeoutMs runs out or cancelled() says so; the last two kill the
// helper.
class PdfTextWorker
{
public:
    static ExtractedText run(const QString &path, const ExtractLimits &limits,
                             const std::function<bool()> &cancelled = {});
};

} // namespace cdesk
