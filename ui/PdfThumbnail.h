#pragma once

#include <QFuture>
#include <QImage>
#include <QSize>
#include <QString>

namespace cdesk {

// The first page of a PDF as an image, rendered with Poppler. A QImage, not a
// QPixmap, so it can be made on a worker thread; the GUI thread turns it into
// a pixmap.
class PdfThumbnail
{
public:
    // Fits the page within bounds, keeping its proportions. A null image when
    // the file is not a PDF Poppler can open, is locked by a password, or has
    // no pages.
    static QImage render(const QString &path, const QSize &bounds);
    // The same on the global thread pool: never render on the GUI thread.
    static QFuture<QImage> renderAsync(const QString &path, const QSize &bounds);
};

} // namespace cdesk
