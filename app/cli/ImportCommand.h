#pragma once

#include "intake/ImportLedger.h"
#include "intake/SheetImport.h"

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace cdesk {

class Cli;
class IntakeSession;

// `import FILE.csv [--map COLUMN=FIELD ...] [--job ID | --talent-pool]
// [--source S] [--dry-run] [--report FILE]`: reads the sheet, checks every
// row, queues the good ones in one transaction through the same intake as
// the window (rows an earlier import queued are not queued again), sends
// them, and ends with a summary, the report and an exit code that says
// whether rows need a person. A progress line goes to standard error.
// `import --resumes FOLDER` does the same with one row per resume.
class ImportCommand : public QObject
{
    Q_OBJECT
public:
    explicit ImportCommand(Cli *cli);

    void run(const QString &path);
    // `import --resumes FOLDER`: one candidate per resume, filled by autofill.
    void runResumes(const QString &folder);

private:
    void prepareSession();
    bool readCommonOptions();
    void rowsReady();
    bool readSheet(const QString &path);
    bool mapColumns();
    void loadJobsThenBuild();
    void build(const QList<Job> &jobs, bool jobsKnown);
    void queue();
    void send();
    void followEngine();
    void onChanged(qint64 id);
    void showProgress(bool force);
    void checkDone();
    void finish();
    void printRowProblems() const;

    Cli *m_cli;
    IntakeSession *m_session = nullptr;
    QString m_path;
    bool m_fromResumes = false;
    SheetTable m_table;
    SheetImport::Options m_options;
    QList<SheetImport::Row> m_rows;
    ImportLedger m_ledger;
    QTimer *m_progressTimer = nullptr;
    QElapsedTimer m_sending;
    QString m_lastProgress;
};

} // namespace cdesk
