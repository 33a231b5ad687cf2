#include "PdfThumbnail.h"

#include <QtConcurrent/QtConcurrentRun>

#include <poppler-qt6.h>

#include <memory>

namespace cdesk {

QImage PdfThumbnail::render(const QString &path, const QSize &bounds)
{
    if (bounds.isEmpty())
        return {};
    const std::unique_ptr<Poppler::Document> document = Poppler::Document::load(path);
    if (!document || document->isLocked() || document->numPages() < 1)
        return {};
    document->setRenderHint(Poppler::Document::Antialiasing);
    document->setRenderHint(Poppler::Document::TextAntialiasing);
    const std::unique_ptr<Poppler::Page> page = document->page(0);
    if (!page)
        return {};

    // Render at the resolution that fits the bounds, not at 72 dpi and scale:
    // a large page rendered whole would cost far more than the thumbnail.
    const QSizeF points = page->pageSizeF(); // 1/72 inch
    if (points.width() <= 0 || points.height() <= 0)
        return {};
    const qreal scale = qMin(bounds.width() / points.width(), bounds.height() / points.height());
    const qreal dpi = 72.0 * scale;
    QImage image = page->renderToImage(dpi, dpi);
    if (image.isNull())
        return {};
    // Rounding in Poppler can overshoot the bounds by a pixel.
    if (image.width() > bounds.width() || image.height() > bounds.height())
        image = image.scaled(bounds, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image;
}

QFuture<QImage> PdfThumbnail::renderAsync(const QString &path, const QSize &bounds)
{
    return QtConcurrent::run(&PdfThumbnail::render, path, bounds);
}

} // namespace cdesk
