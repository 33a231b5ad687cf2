#pragma once

#include "resume/TextExtractor.h"

#include <QByteArray>
#include <QSize>
#include <QString>

#include <functional>

namespace cdesk {

// The first page of a PDF as PNG bytes, or why there is none.
struct PdfThumbnailBytes
{
    QByteArray png; // empty: no thumbnail
    QString problem; // plain words; empty when the drawing was cancelled or succeeded
    bool timedOut = false;
};

// Draws the first page of a PDF in the candidate-desk-extract helper process
// (PdfHelper), under the same time limit as its text and with the same
// handling of a crash, a hang or a kill: no thumbnail and a plain message,
// never a crash of the app. Blocks the calling thread (a worker's). The GUI
// turns the bytes into an image (the core has no QtGui).
class PdfThumbnailWorker
{
public:
    // The page fits within bounds (each side at most PdfHelper::kMaxThumbnailSide),
    // keeping its proportions.
    static PdfThumbnailBytes run(const QString &path, const QSize &bounds,
                                 const ExtractLimits &limits = {},
                                 const std::function<bool()> &cancelled = {});

    // "No preview: this PDF cannot be drawn…": also for bytes that turn out
    // to be no image.
    static QString cannotBeDrawn();
};

} // namespace cdesk
