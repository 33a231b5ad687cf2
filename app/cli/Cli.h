#pragma once

#include "api/ApiEndpoint.h"
#include "model/Submission.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QTimer;

namespace cdesk {

class ApiClient;
class Clock;
class InstanceLock;
class Settings;
class SubmissionEngine;
class TokenStore;
class Workspace;
struct ApiResult;

// The headless command line in the same executable:
//   candidate-desk jobs | submit | update ID | history | outbox [--retry]
// Submissions go through the same outbox as the window's, so they show in
// its history. Runs on the event loop and emits finished() with the exit code.
class Cli : public QObject
{
    Q_OBJECT
public:
    // What each exit code means is written in the README and in --help; a
    // code is chosen from the submission's state in the outbox, never from
    // the call alone, so it says what the outbox will do next.
    enum ExitCode {
        Success = 0, // on the server (for outbox --retry: nothing is left unsent)
        Failure = 1, // something local: the data folder, the database, the kept resume copy
        InvalidInput = 2, // the command line, the candidate, the server's field errors, too large
        BadToken = 3, // the token is missing, refused, or may not write
        Duplicate = 4, // the email is already on the server: decide, then update
        Queued = 5, // not sent yet: it waits in the outbox and is tried again by itself
        Held
        = 6, // not sent, and not tried again by itself: the server or connection needs a person
    };

    using SandboxStarter = std::function<std::optional<ApiEndpoint>(QString *error)>;

    static bool isCommand(const QString &argument);

    Cli(QStringList arguments, Clock *clock, QObject *parent = nullptr);
    ~Cli() override;

    // main.cpp owns the sandbox; the command line asks for it with --sandbox.
    void setSandboxStarter(SandboxStarter starter) { m_sandboxStarter = std::move(starter); }

    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void addOptions();
    void withEndpoint(std::function<void()> next);
    void runJobs();
    void runHistory();
    void runInspectResume(const QString &path);
    void runOutbox();
    void runSubmit(bool update);
    void startEngine();
    void watch(qint64 submissionId);
    void checkWatched();
    void report(const Submission &submission);
    void drainOutbox();
    int sentCount() const;
    void onOutboxIdle();
    void finishOutboxRun();
    bool waitsTooLong(const QDateTime &nextAttempt) const;
    bool takeLock();

    void fail(int code, const QString &message);
    void done(int code);
    void print(const QString &text);
    void printJson(const QJsonValue &value);

    QStringList m_arguments;
    Clock *m_clock;
    QCommandLineParser m_parser;
    SandboxStarter m_sandboxStarter;
    bool m_json = false;

    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<InstanceLock> m_lock;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TokenStore> m_tokens;
    ApiClient *m_api = nullptr;
    SubmissionEngine *m_engine = nullptr;
    QTimer *m_poll = nullptr;
    QElapsedTimer m_watchClock;
    QElapsedTimer m_storeTrouble; // since when the store refuses the engine
    qint64 m_watched = 0;
    qint64 m_waitSeconds = 60;
    int m_sentAtStart = 0;
    bool m_done = false;
    bool m_tidied = false;
};

} // namespace cdesk
