#pragma once

#include "intake/ImportLedger.h"
#include "intake/ResumeFolder.h"
#include "intake/SheetImport.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace cdesk {

class IntakeSession;
class Settings;
class SubmissionEngine;
class Workspace;

// One import in the window, from the file to the report: the sheet is read
// and every row checked on a worker thread, the recruiter maps the columns
// and chooses the job, the good rows are queued in one transaction through
// the intake session (rows an earlier import queued are not queued again),
// and their progress is followed in the outbox until each is settled. The
// mapping is remembered per header set. No widgets: the import dialog shows
// it, a test drives it.
class ImportRun : public QObject
{
    Q_OBJECT
public:
    struct Services
    {
        IntakeSession *session = nullptr;
        Workspace *workspace = nullptr;
        SubmissionEngine *engine = nullptr;
        Settings *settings = nullptr; // optional: no remembered mapping without it
    };

    enum class Stage { Empty, Reading, Ready, Queueing, Sending, Done };

    // What the progress line shows while sending.
    struct Progress
    {
        ImportLedger::Counts counts;
        double perSecond = 0;
        int secondsLeft = -1; // -1: not known yet
    };

    explicit ImportRun(const Services &services, QObject *parent = nullptr);
    ~ImportRun() override;

    Stage stage() const { return m_stage; }

    // Reads the sheet (CSV or a workbook's sheet) off the GUI thread, then
    // checks it: opened() or failed().
    void open(const QString &path, const QString &sheetName = {});
    // Many resumes at once (files, and folders of them): each is read off the
    // GUI thread (readProgress()) into a draft by the same autofill as the
    // form, then checked: opened() or failed(). The recruiter fixes what is
    // flagged with setDraft(), and sets the job and source for all or each.
    void openResumes(const QStringList &paths);
    bool isResumes() const { return m_resumes; }
    const QList<ResumeFolder::Draft> &drafts() const { return m_drafts; }
    void setDraft(int row, const ResumeFolder::Draft &draft);
    QString path() const { return m_path; }
    const SheetTable &table() const { return m_table; }

    const QList<ColumnMapping> &columns() const { return m_options.columns; }
    void setColumn(int column, const ColumnMapping &mapping);
    void setJobForAll(std::optional<qint64> job); // nullopt: the sheet's Job column
    void setTalentPoolForAll(bool on);
    void setSource(const QString &source); // for rows without one
    // To find jobs by title. loaded: the list is the account's (fresh or
    // cached), not an empty one for want of an answer.
    void setJobs(const QList<Job> &jobs, bool loaded);
    const SheetImport::Options &options() const { return m_options; }

    // The rows as last checked (checked() says when a new check is in).
    const QList<SheetImport::Row> &rows() const { return m_rows; }
    int readyCount() const;
    // A check of the current choices is running: rows() is out of date.
    bool isChecking() const { return m_checking; }

    // Queues the ready rows and follows them: started(), progressed()...,
    // finished(). The mapping is remembered for the next sheet like this one.
    void start();
    // Rows not sent yet are cancelled in the outbox (rows still being
    // queued, as they are stored); a row in flight ends as the server
    // answers it.
    void cancel();
    // Holds the outbox while sending (the form's rows too; the window says
    // so): calls in flight end as the server answers, nothing new goes out
    // until resume(). Ending the import or this object resumes.
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    Progress progress() const;
    const ImportLedger &ledger() const { return m_ledger; }
    bool writeReport(const QString &path, QString *error) const;

Q_SIGNALS:
    void readProgress(int done, int total);
    void opened();
    void failed(const QString &message);
    void checking(); // the choices changed: rows() waits for checked()
    void checked();
    void started();
    void progressed();
    void pausedChanged(bool paused);
    void finished();

private:
    void recheck();
    ResumeFolder::Options resumeOptions() const;
    void follow(qint64 id);
    void finishIfSettled();
    void cancelWaiting();

    Services m_services;
    Stage m_stage = Stage::Empty;
    QString m_path;
    SheetTable m_table;
    bool m_resumes = false;
    bool m_queueing = false; // parts of the batch are still going into the outbox
    bool m_cancelRequested = false; // Stop: what is stored from now on is cancelled too
    QList<ResumeFolder::Draft> m_drafts;
    SheetImport::Options m_options;
    QList<SheetImport::Row> m_rows;
    ImportLedger m_ledger;
    QElapsedTimer m_sending;
    QElapsedTimer m_pausedSince;
    qint64 m_pausedMs = 0; // paused time, left out of the rate
    bool m_paused = false;
    QPointer<SubmissionEngine> m_pausedEngine; // to resume from the destructor
    bool m_checking = false;
    int m_checkGeneration = 0; // a check that finishes after a newer one began is dropped
};

} // namespace cdesk
