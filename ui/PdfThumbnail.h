#pragma once

#include "resume/TextExtractor.h"

#include <QFuture>
#include <QImage>
#include <QSize>
#include <QString>

#include <functional>

namespace cdesk {

// The first page of a PDF as an image, or why there is none.
struct PdfThumbnailImage
{
    QImage image; // null: no thumbnail
    QString problem; // plain words; empty when cancelled or drawn
};

// The first page of a PDF as an image, drawn by the candidate-desk-extract
// helper process (PdfThumbnailWorker), never by Poppler in the app: a PDF that
// crashes or hangs the reader costs a thumbnail, not the recruiter's form. A
// QImage, not a QPixmap, so it can be made on a worker thread; the GUI thread
// turns it into a pixmap.
class PdfThumbnail
{
public:
    // Blocks up to limits.pdfTimeoutMs: for a worker thread. The page fits
    // within bounds, keeping its proportions.
    static PdfThumbnailImage render(const QString &path, const QSize &bounds,
                                    const ExtractLimits &limits = {},
                                    const std::function<bool()> &cancelled = {});
    // The same on the global thread pool: never render on the GUI thread.
    // Cancelling the future stops a running helper at once.
    static QFuture<PdfThumbnailImage> renderAsync(const QString &path, const QSize &bounds,
                                                  const ExtractLimits &limits = {});
};

} // namespace cdesk
