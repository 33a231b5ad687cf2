#pragma once

#include "PhaseProbe.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>
#include <optional>

class QEventLoop;
class QFile;
class QTimer;

namespace cdesk::trial {

struct TrialOptions
{
    int submissions = 40;
    int parallel = 3;
    quint64 seed = 0;
    double killRate = 0.5; // share of submit and retry runs killed at a random moment
    double aimShare = 0.5; // of those kills, the share aimed at a phase (copy, commit, upload)
    bool keep = false; // keep the folder (it is kept anyway, without the big files, on failure)
    QString parentDir; // where the trial folder is made (default: the system temp folder)
    int windowPercent = 10; // share of runs that are a window (one at a time)
    int retryPercent = 20; // share of runs that are `outbox --retry`
    int minResumeKiB = 1024;
    int maxResumeKiB = 4096;
    QString faults = QStringLiteral("all"); // none | latency | all (latency, 500s, drops)
    int capSeconds = 20; // a run still going after this is killed ("overtime")
    int deadlineSeconds = 0; // the chaos phase stops starting runs after this; 0: none
    QString appExe;
    QString sandboxExe;
};

struct Violation
{
    QString name;
    QStringList details;
};

// The kill and concurrency trial: many candidate-desk processes (command-line
// submits, `outbox --retry` runs, a headless window) share one data folder and
// one sandbox; they are killed with SIGKILL at random moments and started
// again; then the outbox is drained and the invariants are checked.
class KillTrial : public QObject
{
    Q_OBJECT
public:
    explicit KillTrial(TrialOptions options, QObject *parent = nullptr);
    ~KillTrial() override;

    // Runs everything and prints the report. Returns the process exit code:
    // 0 when every invariant held, 1 on a violation, 2 when the trial itself
    // could not run.
    int run();

private:
    enum class Kind { Submit, Retry, Window };
    static QString kindName(Kind kind);

    struct Candidate
    {
        int index = 0;
        QString name;
        QString email;
        QString phone;
        std::optional<int> jobId;
        QString resumePath;
        QString resumeName;
        qint64 resumeSize = 0;
        QByteArray resumeSha256; // hex
        bool started = false;
        bool killed = false;
        int exitCode = -1; // of its submit run, -1 when killed
        QString reportedState; // from the submit run's --json
        qint64 reportedId = 0;
    };

    struct Run
    {
        int seq = 0;
        int slot = 0;
        Kind kind = Kind::Submit;
        int candidate = -1;
        QProcess *process = nullptr;
        qint64 pid = 0;
        QElapsedTimer clock;
        qint64 killAtMs = -1; // a kill planned at a moment, -1 if none
        std::optional<Phase> aim; // a kill planned in a phase, watched for every 2 ms
        int aimSkip = 0; // sightings of that phase to let pass first
        bool overtimeKill = false; // it was killed at the cap
        bool killed = false;
        Phase phase = Phase::Gone;
        bool heldLock = false;
    };

    struct Snapshot
    {
        int rows = 0;
        QHash<QString, int> byState;
    };

    // Set up.
    bool makeFolders();
    bool startSandbox();
    bool putFaults(const QJsonObject &patch, bool wait);
    Candidate makeCandidate(int index);
    bool writeResume(Candidate *c);
    QProcessEnvironment environment() const;

    // Chaos.
    void chaos();
    void startNext(int slot, std::optional<Kind> killedKind);
    void launch(int slot, Kind kind);
    void killRun(Run *run, const char *why);
    void watchPhase(Run *run);
    void checkOutlived(const Run *run);
    void finished(Run *run, int exitCode, QProcess::ExitStatus status);
    void shakeFaults();
    qint64 expectedLifeMs(Kind kind) const;

    // Drain and checks.
    bool drain();
    void checkAll(const QString &when);
    void checkCopies(const QString &when, Snapshot *snapshot);
    void checkServer();
    void checkDatabaseFiles();
    void violation(const QString &name, const QString &detail);
    QString databasePath() const;
    QString dataDir() const;
    bool openDatabase(const QString &connection);

    void log(const QString &line);
    void printReport(qint64 elapsedMs);

    TrialOptions m_options;
    QRandomGenerator m_random;
    std::unique_ptr<QTemporaryDir> m_temp;
    QString m_root; // canonical path of the trial folder
    QString m_home; // XDG homes live here
    QString m_resumeDir;
    std::unique_ptr<QFile> m_log;

    QProcess *m_sandbox = nullptr;
    QUrl m_baseUrl;
    QUrl m_adminUrl;
    QByteArray m_token;
    QByteArray m_adminToken;
    QString m_sandboxDataDir;
    QNetworkAccessManager m_network;

    std::unique_ptr<PhaseProbe> m_probe;
    QList<Candidate> m_candidates;
    int m_nextCandidate = 0;
    QHash<QProcess *, Run *> m_runs;
    int m_seq = 0;
    int m_activeSlots = 0;
    bool m_windowRunning = false;
    QEventLoop *m_loop = nullptr;
    QTimer *m_faultTimer = nullptr;
    QElapsedTimer m_chaosClock;
    bool m_stopStarting = false;

    // Statistics.
    int m_started[3] = {}; // by Kind
    int m_killedCount[3] = {};
    int m_missedKills[3] = {}; // planned, but the run ended first
    qint64 m_lifeEstimate[3] = {}; // running average of natural lives, ms
    int m_naturalCount[3] = {};
    QHash<QString, int> m_exitCodes; // "submit:0" -> count
    int m_phaseKills[PhaseCount] = {};
    int m_overtimeKills = 0;
    int m_aimed[PhaseCount] = {}; // kills aimed at a phase
    int m_aimedHit[PhaseCount] = {}; // ... that landed in it
    int m_windowKillsHoldingLock = 0;
    int m_faultPuts = 0;
    int m_faultPutFailures = 0;
    int m_drainRuns = 0;
    int m_lockedWarnings = 0; // "database is locked" lines on the processes' stderr
    Snapshot m_afterChaos;
    Snapshot m_afterDrain;
    int m_serverCandidates = 0;
    int m_leftoverFolders = 0; // under outbox-files/ after the drain (info: disk kept)
    int m_leftoverPartial = 0; // of those, "<uuid>.partial" (a copy never bound to a row)
    qint64 m_leftoverBytes = 0;
    qint64 m_chaosMs = 0;
    qint64 m_drainMs = 0;
    qint64 m_checkMs = 0;
    QList<Violation> m_violations;
    QSet<qint64> m_copyFlagged; // rows already reported for their resume copy
};

} // namespace cdesk::trial
