#include "ResumeDropZone.h"

#include "Dialogs.h"
#include "PdfThumbnail.h"
#include "resume/ResumeInspector.h"

#include <QDragEnterEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMimeData>
#include <QPixmap>
#include <QPointer>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include <optional>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// The contract's default; the window hands in the one from settings.
constexpr qint64 kDefaultMaxBytes = 5 * 1024 * 1024;
// Room for a portrait page at a glance, beside the name and details.
constexpr QSize kThumbnailBounds(72, 96);

// The first local file a drag carries, or an empty string: links, text and
// remote URLs are not resumes to upload.
QString firstLocalFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    const QList<QUrl> urls = mime->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile() && !url.toLocalFile().isEmpty())
            return url.toLocalFile();
    }
    return {};
}

// Every local file and folder a drag carries.
QStringList localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    const QList<QUrl> urls = mime->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile() && !url.toLocalFile().isEmpty())
            paths << url.toLocalFile();
    }
    return paths;
}

QLabel *plainLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    // File names and messages quote what the recruiter's disk holds: never
    // let a name such as "<b>cv</b>.pdf" turn into markup.
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
    return label;
}

} // namespace

class ResumeDropZone::Private : public QObject
{
public:
    explicit Private(ResumeDropZone *zone)
        : q(zone)
    { }
    // A helper still drawing a thumbnail for a zone that is gone is stopped.
    ~Private() override
    {
        if (m_thumbnailJob)
            m_thumbnailJob->cancel();
    }

    void build();
    void take(const QMimeData *mime);
    void inspect(const QString &path);
    void onInspected(const ResumeInfo &info);
    void renderThumbnail();
    void removeFile();
    void showFile();
    void showWarning();
    void showSendNote();
    void showMessage(QLabel *label, const QString &text);
    void setDropActive(bool active);
    QString sizeText(qint64 bytes, int decimals) const;

    // A file dragged onto the link field is still a file for the zone; text
    // and web links dropped there stay the line edit's business.
    bool eventFilter(QObject *watched, QEvent *event) override;

    ResumeDropZone *q;
    QLabel *m_hint = nullptr;
    QPushButton *m_browse = nullptr;
    QWidget *m_fileBox = nullptr;
    QLabel *m_thumbnail = nullptr;
    QLabel *m_name = nullptr;
    QLabel *m_details = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_warning = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_urlEdit = nullptr;
    QLabel *m_sendNote = nullptr;

    std::optional<ResumeInfo> m_file; // the accepted file, if any
    QString m_givenPath; // set by setFilePath(), kept until accepted, removed or replaced
    qint64 m_maxBytes = kDefaultMaxBytes;
    // Results come back from worker threads in any order: each request takes
    // a number, and only the newest one's answer is used. One counter for
    // inspections (a new drop, Remove), one for the accepted file (whose
    // thumbnail must survive a refused drop that leaves the file in place).
    quint64 m_inspection = 0;
    quint64 m_fileGeneration = 0;
    // The thumbnail being drawn, if any, so a newer file can stop it.
    QFutureWatcher<PdfThumbnailImage> *m_thumbnailJob = nullptr;
};

void ResumeDropZone::Private::build()
{
    q->setAcceptDrops(true);
    q->setFrameShape(QFrame::StyledPanel);
    // Only the zone itself, by class, so nothing inside restyles; the dashed
    // border says "let go here" while a file hovers.
    q->setStyleSheet(u"cdesk--ResumeDropZone[dropActive=\"true\"] {"
                     " border: 2px dashed palette(highlight);"
                     " background-color: palette(alternate-base); }"_s);

    m_hint = new QLabel(ResumeDropZone::tr("Drop the resume here, or browse for it. Accepted: %1.")
                            .arg(ResumeInspector::acceptedTypes()),
                        q);
    m_hint->setObjectName(u"resumeHint"_s);
    m_hint->setWordWrap(true);
    m_browse = new QPushButton(ResumeDropZone::tr("Browse…"), q);
    m_browse->setObjectName(u"resumeBrowse"_s);

    m_fileBox = new QWidget(q);
    m_fileBox->setObjectName(u"resumeFile"_s);
    m_thumbnail = new QLabel(m_fileBox);
    m_thumbnail->setObjectName(u"resumeThumbnail"_s);
    m_thumbnail->setFixedSize(kThumbnailBounds);
    m_thumbnail->setAlignment(Qt::AlignCenter);
    m_thumbnail->setAccessibleName(ResumeDropZone::tr("First page of the resume"));
    m_thumbnail->setTextFormat(Qt::PlainText);
    m_thumbnail->setWordWrap(true);
    m_thumbnail->hide();
    m_name = plainLabel(u"resumeName"_s, m_fileBox);
    m_name->show();
    QFont bold = m_name->font();
    bold.setBold(true);
    m_name->setFont(bold);
    m_details = plainLabel(u"resumeDetails"_s, m_fileBox);
    m_details->show();
    m_remove = new QPushButton(ResumeDropZone::tr("Remove"), m_fileBox);
    m_remove->setObjectName(u"resumeRemove"_s);
    m_remove->setToolTip(ResumeDropZone::tr("Send no file with this candidate"));

    auto *text = new QVBoxLayout;
    text->addWidget(m_name);
    text->addWidget(m_details);
    text->addStretch();
    auto *fileRow = new QHBoxLayout(m_fileBox);
    fileRow->setContentsMargins(0, 0, 0, 0);
    fileRow->addWidget(m_thumbnail);
    fileRow->addLayout(text, 1);
    fileRow->addWidget(m_remove, 0, Qt::AlignTop);
    m_fileBox->hide();

    m_status = plainLabel(u"resumeStatus"_s, q);
    m_warning = plainLabel(u"resumeWarning"_s, q);
    m_error = plainLabel(u"resumeError"_s, q);
    // Colour alone would not do for everyone; the words carry the meaning.
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xb0, 0x00, 0x20));
    m_error->setPalette(errorPalette);
    m_error->setAccessibleName(ResumeDropZone::tr("Resume problem"));
    m_warning->setAccessibleName(ResumeDropZone::tr("Resume warning"));

    m_urlEdit = new QLineEdit(q);
    m_urlEdit->setObjectName(u"resumeUrlEdit"_s);
    m_urlEdit->setPlaceholderText(ResumeDropZone::tr("…or paste a link to the resume"));
    m_urlEdit->setAccessibleName(ResumeDropZone::tr("Link to the resume"));
    m_urlEdit->setClearButtonEnabled(true);
    m_urlEdit->installEventFilter(this);
    m_sendNote = plainLabel(u"resumeSendNote"_s, q);

    auto *top = new QHBoxLayout;
    top->addWidget(m_hint, 1);
    top->addWidget(m_browse, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(q);
    layout->addLayout(top);
    layout->addWidget(m_fileBox);
    layout->addWidget(m_status);
    layout->addWidget(m_warning);
    layout->addWidget(m_error);
    layout->addWidget(m_urlEdit);
    layout->addWidget(m_sendNote);

    QObject::connect(m_browse, &QPushButton::clicked, q, [this] {
        const QPointer<ResumeDropZone> zone = q;
        Dialogs::openFile(
            q, ResumeDropZone::tr("Choose the resume"),
            ResumeDropZone::tr("Resumes (*.pdf *.doc *.docx *.odt *.rtf *.txt);;All files (*)"),
            [zone](const QString &path) {
                if (zone && !path.isEmpty())
                    zone->d->inspect(
                        path); // the recruiter's choice: a refusal keeps the previous file
            });
    });
    QObject::connect(m_remove, &QPushButton::clicked, q, [this] { removeFile(); });
    QObject::connect(m_urlEdit, &QLineEdit::textChanged, q, [this] {
        showMessage(m_error, {});
        showSendNote();
        Q_EMIT q->changed();
    });
}

void ResumeDropZone::Private::inspect(const QString &path)
{
    const quint64 inspection = ++m_inspection;
    showMessage(m_status, ResumeDropZone::tr("Checking “%1”…").arg(QFileInfo(path).fileName()));
    auto *watcher = new QFutureWatcher<ResumeInfo>(q);
    QObject::connect(watcher, &QFutureWatcherBase::finished, q, [this, watcher, inspection] {
        watcher->deleteLater();
        // Another file was dropped, or Remove pressed, while this one was read.
        if (inspection != m_inspection)
            return;
        showMessage(m_status, {});
        onInspected(watcher->result());
    });
    watcher->setFuture(ResumeInspector::inspectAsync(path, m_maxBytes));
}

void ResumeDropZone::Private::onInspected(const ResumeInfo &info)
{
    if (!info.accepted) {
        // The previous file (if any) stays: a wrong drop must not cost the
        // recruiter the resume they had chosen.
        showMessage(m_error, info.problem);
        return;
    }
    const bool same = m_file && m_file->path == info.path && m_file->size == info.size
        && m_file->mimeType == info.mimeType;
    m_givenPath.clear();
    m_file = info;
    ++m_fileGeneration;
    showMessage(m_error, {});
    showFile();
    if (!same)
        Q_EMIT q->changed();
    Q_EMIT q->fileAccepted(info.path);
}

void ResumeDropZone::Private::renderThumbnail()
{
    // The helper still drawing the previous file is stopped: its answer would
    // be thrown away, and it holds a worker thread meanwhile.
    if (m_thumbnailJob) {
        m_thumbnailJob->cancel();
        m_thumbnailJob = nullptr;
    }
    m_thumbnail->clear();
    m_thumbnail->setToolTip({});
    m_thumbnail->hide();
    if (!m_file || m_file->mimeType != u"application/pdf"_s)
        return;
    const quint64 generation = m_fileGeneration;
    const qreal ratio = q->devicePixelRatioF();
    auto *watcher = new QFutureWatcher<PdfThumbnailImage>(q);
    m_thumbnailJob = watcher;
    QObject::connect(watcher, &QFutureWatcherBase::finished, q, [this, watcher, generation, ratio] {
        watcher->deleteLater();
        if (m_thumbnailJob == watcher)
            m_thumbnailJob = nullptr;
        // Another file was dropped, or Remove pressed, while this one was drawn.
        if (generation != m_fileGeneration || watcher->isCanceled()
            || watcher->future().resultCount() == 0)
            return;
        const PdfThumbnailImage drawn = watcher->result();
        if (drawn.image.isNull()) {
            // A PDF the helper cannot draw (damaged, locked, or the helper
            // crashed or ran out of time) still goes: the server judges the
            // bytes, and the name, type and size are shown all the same.
            if (!drawn.problem.isEmpty()) {
                m_thumbnail->setText(ResumeDropZone::tr("No preview"));
                m_thumbnail->setToolTip(drawn.problem);
                m_thumbnail->show();
            }
            return;
        }
        QImage image = drawn.image;
        image.setDevicePixelRatio(ratio);
        m_thumbnail->setPixmap(QPixmap::fromImage(image));
        m_thumbnail->show();
    });
    watcher->setFuture(PdfThumbnail::renderAsync(m_file->path, kThumbnailBounds * ratio));
}

void ResumeDropZone::Private::removeFile()
{
    ++m_inspection; // a file still being read would otherwise come back
    const bool hadGiven = !m_givenPath.isEmpty();
    m_givenPath.clear();
    if (hadGiven && !m_file)
        Q_EMIT q->changed();
    showMessage(m_status, {});
    showMessage(m_error, {});
    if (!m_file)
        return;
    m_file.reset();
    ++m_fileGeneration;
    showFile();
    Q_EMIT q->changed();
}

void ResumeDropZone::Private::showFile()
{
    m_fileBox->setVisible(m_file.has_value());
    m_name->setText(m_file ? m_file->fileName : QString());
    m_details->setText(
        m_file ? ResumeDropZone::tr("%1 · %2").arg(m_file->typeLabel, sizeText(m_file->size, 1))
               : QString());
    m_browse->setText(m_file ? ResumeDropZone::tr("Replace…") : ResumeDropZone::tr("Browse…"));
    renderThumbnail();
    showWarning();
    showSendNote();
}

void ResumeDropZone::Private::showWarning()
{
    if (!m_file || m_maxBytes <= 0 || m_file->size <= m_maxBytes) {
        showMessage(m_warning, {});
        return;
    }
    showMessage(m_warning,
                ResumeDropZone::tr(
                    "This file is %1, over the server's limit of %2: the server will refuse it. "
                    "Save the resume as plain text (TXT) or compress it, and choose that file "
                    "instead, or paste a link to it.")
                    .arg(sizeText(m_file->size, 2), sizeText(m_maxBytes, 2)));
}

void ResumeDropZone::Private::showSendNote()
{
    const bool hasLink = !m_urlEdit->text().trimmed().isEmpty();
    if (m_file && hasLink)
        showMessage(m_sendNote,
                    ResumeDropZone::tr("The file will be sent, not the link: the link is only sent "
                                       "when there is no file."));
    else if (hasLink)
        showMessage(m_sendNote, ResumeDropZone::tr("The link will be sent in place of a file."));
    else
        showMessage(m_sendNote, {});
}

void ResumeDropZone::Private::showMessage(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

void ResumeDropZone::Private::setDropActive(bool active)
{
    if (q->property("dropActive").toBool() == active)
        return;
    q->setProperty("dropActive", active);
    // Style sheets read dynamic properties only when the widget is polished.
    q->style()->unpolish(q);
    q->style()->polish(q);
    q->update();
}

// "245 KB", "5.04 MB": in the units the server names its limit in ("5 MB"
// for 5 MiB), with trailing zeros dropped so "5 MB" is not "5.00 MB".
QString ResumeDropZone::Private::sizeText(qint64 bytes, int decimals) const
{
    const QLocale locale = q->locale();
    if (bytes < 1024)
        return ResumeDropZone::tr("%1 bytes").arg(locale.toString(bytes));
    const QStringList units = { ResumeDropZone::tr("KB"), ResumeDropZone::tr("MB"),
                                ResumeDropZone::tr("GB"), ResumeDropZone::tr("TB") };
    double value = double(bytes) / 1024.0;
    int unit = 0;
    while (value >= 1024.0 && unit + 1 < units.size()) {
        value /= 1024.0;
        ++unit;
    }
    QString number = locale.toString(value, 'f', unit == 0 ? 0 : decimals);
    const QString point = locale.decimalPoint();
    if (number.contains(point)) {
        while (number.endsWith(u'0'))
            number.chop(1);
        if (number.endsWith(point))
            number.chop(point.size());
    }
    return ResumeDropZone::tr("%1 %2", "size and unit").arg(number, units.at(unit));
}

bool ResumeDropZone::Private::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_urlEdit)
        return false;
    switch (event->type()) {
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        auto *drag = static_cast<QDragMoveEvent *>(event);
        if (firstLocalFile(drag->mimeData()).isEmpty())
            return false;
        drag->acceptProposedAction();
        setDropActive(true);
        return true;
    }
    case QEvent::DragLeave:
        setDropActive(false);
        return false;
    case QEvent::Drop: {
        auto *drop = static_cast<QDropEvent *>(event);
        if (firstLocalFile(drop->mimeData()).isEmpty())
            return false;
        drop->acceptProposedAction();
        setDropActive(false);
        take(drop->mimeData());
        return true;
    }
    default:
        return false;
    }
}

void ResumeDropZone::Private::take(const QMimeData *mime)
{
    const QStringList paths = localPaths(mime);
    if (paths.size() > 1 || QFileInfo(paths.value(0)).isDir())
        return Q_EMIT q->manyDropped(paths);
    inspect(paths.value(0));
}

ResumeDropZone::ResumeDropZone(QWidget *parent)
    : QFrame(parent)
    , d(std::make_unique<Private>(this))
{
    d->build();
}

ResumeDropZone::~ResumeDropZone() = default;

QString ResumeDropZone::filePath() const
{
    // A path given by the form (a restored draft) counts while it is checked,
    // and stays even when the check fails, until Remove or another file: an
    // autosave in between must not turn the draft's resume into nothing.
    return d->m_file ? d->m_file->path : d->m_givenPath;
}

void ResumeDropZone::setFilePath(const QString &path)
{
    if (path.isEmpty()) {
        d->removeFile();
        return;
    }
    // A restored draft's file: its path counts until it is accepted or replaced.
    if (!d->m_file || d->m_file->path != path)
        d->m_givenPath = path;
    d->m_file.reset();
    d->inspect(path);
}

QUrl ResumeDropZone::resumeUrl() const
{
    const QString text = d->m_urlEdit->text().trimmed();
    return text.isEmpty() ? QUrl() : QUrl(text);
}

void ResumeDropZone::setResumeUrl(const QUrl &url)
{
    d->m_urlEdit->setText(url.toString());
}

void ResumeDropZone::clear()
{
    d->removeFile();
    d->m_urlEdit->clear();
    d->showMessage(d->m_error, {});
}

void ResumeDropZone::setMaxBytes(qint64 bytes)
{
    d->m_maxBytes = bytes;
    d->showWarning();
}

void ResumeDropZone::setError(const QString &message)
{
    d->showMessage(d->m_error, message);
}

void ResumeDropZone::dragEnterEvent(QDragEnterEvent *event)
{
    // Text, web links and anything else that is not a file on this machine:
    // not ours, and the zone does not light up for it.
    if (firstLocalFile(event->mimeData()).isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    d->setDropActive(true);
}

void ResumeDropZone::dragMoveEvent(QDragMoveEvent *event)
{
    if (firstLocalFile(event->mimeData()).isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
}

void ResumeDropZone::dragLeaveEvent(QDragLeaveEvent *event)
{
    d->setDropActive(false);
    QFrame::dragLeaveEvent(event);
}

void ResumeDropZone::dropEvent(QDropEvent *event)
{
    d->setDropActive(false);
    if (firstLocalFile(event->mimeData()).isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    d->take(event->mimeData());
}

} // namespace cdesk
