#pragma once

#include <QFrame>
#include <QUrl>

#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;

namespace cdesk {

// Where the resume goes: a file dragged from a file manager or chosen with
// Browse, or a link (resume_url) instead. Shows the file's name, type (judged
// by content), size and, for a PDF, a thumbnail of the first page, all worked
// out off the GUI thread. Refuses unsupported and empty files with a message
// and warns before a file over the server's limit.
class ResumeDropZone : public QFrame
{
    Q_OBJECT
public:
    explicit ResumeDropZone(QWidget *parent = nullptr);
    ~ResumeDropZone() override;

    QString filePath() const; // empty: no file
    // Checks the file in the background; a refused file leaves the previous one in place.
    void setFilePath(const QString &path);
    QUrl resumeUrl() const; // the link alternative; empty when none
    void setResumeUrl(const QUrl &url);
    void clear();

    void setMaxBytes(qint64 bytes); // the server's limit, from settings
    void setError(const QString &message); // a problem to show in the zone (server or form)

Q_SIGNALS:
    void changed(); // the file or the link changed
    void fileAccepted(const QString &path);
    // Several files, or a folder, dropped at once: not one candidate's
    // resume, but many candidates to review (the window opens the list).
    void manyDropped(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override; // the highlight goes when the drag does
    void dropEvent(QDropEvent *event) override;

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
