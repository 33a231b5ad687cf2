#pragma once

#include "intake/IntakeSession.h"

#include <QMainWindow>

class QLabel;
class QNetworkAccessManager;

namespace cdesk {

class CandidatePane;
class Clock;
class HistoryPane;
class ImportDialog;
class JobDirectory;
class TokenStore;

// The recruiter's window. It only composes: the candidate pane (form, drafts,
// submitting), the history pane, the menus and shortcuts, and a status bar
// that says which API it talks to (SANDBOX in sandbox mode), whether it
// answers, and how many submissions wait in the outbox.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // The intake session's services (the candidate pane's), and the window's own.
    struct Services : IntakeSession::Services
    {
        TokenStore *tokens = nullptr; // may be null (sandbox mode)
        QNetworkAccessManager *network = nullptr;
        Clock *clock = nullptr; // null: the system clock
        bool sandbox = false;
    };

    explicit MainWindow(const Services &services, QWidget *parent = nullptr);
    ~MainWindow() override;

    CandidatePane *candidatePane() const;
    HistoryPane *historyPane() const;
    JobDirectory *jobDirectory() const;
    // File > Import candidates: a new import dialog, shown (not modal).
    ImportDialog *openImport();
    // Many resumes dropped at once: a review list, one candidate each.
    ImportDialog *openResumeReview(const QStringList &paths);

    void reloadJobs();
    void setPendingCount(int pending);
    void openSettings();
    // The API's address or token changed (settings, a token loaded late).
    void endpointChanged();

Q_SIGNALS:
    void jobsLoaded(int count, bool fromCache);
    // The settings dialog was accepted: the composition root reloads the
    // address and the token, then calls endpointChanged().
    void settingsChanged();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createStatusBar();
    void bindJobs();
    void fillDraftsMenu();

    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
