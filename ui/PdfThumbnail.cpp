#include "PdfThumbnail.h"

#include "resume/PdfThumbnailWorker.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

namespace cdesk {

PdfThumbnailImage PdfThumbnail::render(const QString &path, const QSize &bounds,
                                       const ExtractLimits &limits,
                                       const std::function<bool()> &cancelled)
{
    PdfThumbnailImage result;
    const PdfThumbnailBytes drawn = PdfThumbnailWorker::run(path, bounds, limits, cancelled);
    result.problem = drawn.problem;
    if (drawn.png.isEmpty())
        return result;
    // Our own helper's PNG, decoded here off the GUI thread all the same, and
    // only as PNG: no other image reader sees these bytes.
    QImage image = QImage::fromData(drawn.png, "PNG");
    if (image.isNull() || image.width() > bounds.width() || image.height() > bounds.height()) {
        result.problem = PdfThumbnailWorker::cannotBeDrawn();
        return result;
    }
    result.image = image;
    return result;
}

QFuture<PdfThumbnailImage> PdfThumbnail::renderAsync(const QString &path, const QSize &bounds,
                                                     const ExtractLimits &limits)
{
    return QtConcurrent::run(
        [](QPromise<PdfThumbnailImage> &promise, const QString &file, const QSize &size,
           const ExtractLimits &helper) {
            promise.addResult(
                render(file, size, helper, [&promise] { return promise.isCanceled(); }));
        },
        path, bounds, limits);
}

} // namespace cdesk
