#pragma once

#include "cli/CliOutput.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

class QTimer;

namespace cdesk {

class Account;
class SubmissionEngine;
struct Submission;

// The headless command line in the same executable:
//   candidate-desk jobs | submit | update ID | import FILE | history | outbox [--retry]
// Submissions go through the same outbox as the window's, so they show in
// its history. Runs on the event loop and emits finished() with the exit code.
//
// It takes the account it works on (main.cpp builds the product's; a test
// hands in one over a temporary folder and a memory token) and uses the
// account's clock, the one its engine uses too. This file parses and opens
// the account and runs the small commands; SubmitCommand and OutboxCommand
// run the two that send, CliOutput says what came of it.
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
        NeedsAttention = 7, // import: rows a person must see (invalid, duplicate, refused)
    };

    static bool isCommand(const QString &argument);

    Cli(QStringList arguments, Account *account, QObject *parent = nullptr);
    ~Cli() override;

    void start();

    // For the commands (SubmitCommand, OutboxCommand).
    Account *account() const { return m_account; }
    const QCommandLineParser &options() const { return m_parser; }
    CliOutput &output() { return m_output; }
    // Reads --job into *job when it is given. False, with the command ended,
    // when it is not a job's id.
    bool readJobOption(std::optional<qint64> *job);
    // Takes the outbox when no other copy holds it; only its holder sends.
    bool takeLock();
    // The engine, running in this copy, watched for a store that keeps
    // refusing; null until startEngine().
    SubmissionEngine *engine() const { return m_engine; }
    void startEngine();
    // Another copy holds the outbox and sends it: look every so often, and
    // take it over (tookOver()) should that copy go away, so nothing waits
    // for nobody. look(overdue): overdue once the wait is past --wait and a
    // minute more for the other copy's answers.
    void waitForOtherCopy(std::function<void()> tookOver, std::function<void(bool overdue)> look);
    // Whether a row due then is past what --wait lets this run wait for:
    // --wait 0 is one attempt; otherwise the run waits while something got
    // through (or it began) less than --wait seconds before that row is due.
    // A bound on the whole stall, not on each wait: with jittered backoff a
    // bound per wait would let a dead server hold a script for minutes.
    bool waitsTooLong(const QDateTime &nextAttempt) const;
    bool isDone() const { return m_done; }
    // Prints what became of the submission and ends with its exit code.
    void report(const Submission &submission);
    void fail(int code, const QString &message);
    void done(int code);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void openWorkspace(const QString &command);
    void withEndpoint(std::function<void()> next);
    void runJobs();
    void runHistory();
    void runInspectResume(const QString &path);

    QStringList m_arguments;
    Account *m_account;
    QCommandLineParser m_parser;
    CliOutput m_output;
    SubmissionEngine *m_engine = nullptr;
    QTimer *m_poll = nullptr;
    QElapsedTimer m_storeTrouble; // since when the store refuses the engine
    QDateTime m_lastProgress; // the start, or the last row the server settled
    qint64 m_waitSeconds = 60;
    bool m_done = false;
};

} // namespace cdesk
