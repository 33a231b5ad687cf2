#pragma once

#include "model/Job.h"
#include "model/Submission.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <cstdio>
#include <optional>

namespace cdesk {

class FieldErrors;
struct ApiResult;
struct ResumeReading;

// The exit code a settled (or still waiting) submission gives: what the
// outbox will do with it next (see Cli::ExitCode).
int cliExitCode(const Submission &submission);
// For a call with no submission behind it (jobs): nothing waits anywhere, so
// trouble reaching the server is simply "not done".
int cliExitCode(const ApiResult &result);

// What `outbox --retry` found when it ended.
struct OutboxRunSummary
{
    int sent = 0;
    int waiting = 0; // for this account, tried again by itself
    int waitingElsewhere = 0; // for another API address
    int held = 0; // until a person acts
    std::optional<QDateTime> nextAttempt;
    qint64 nextInSeconds = 0;
    int exitCode = 0;
};

// What the command line prints: sentences for a person, or JSON for a script
// (--json). Results go to standard output, trouble to standard error (in
// JSON mode, to standard output as an object a script can read).
class CliOutput
{
    Q_DECLARE_TR_FUNCTIONS(CliOutput)
public:
    void setJson(bool json) { m_json = json; }
    bool isJson() const { return m_json; }
    // Where results and trouble go (stdout and stderr); a test reads its own.
    void setStreams(std::FILE *out, std::FILE *err)
    {
        m_out = out;
        m_err = err;
    }

    void print(const QString &text) const; // one line on standard output
    void printJson(const QJsonValue &value) const;
    void error(int exitCode, const QString &message) const;
    void notice(const QString &message) const; // always standard error
    // A progress line on standard error: rewritten in place on a terminal,
    // one line each in a log. end() closes a line left open on a terminal.
    void progress(const QString &line) const;
    void endProgress() const;

    void jobs(const QList<Job> &jobs) const;
    void history(const QList<Submission> &rows) const;
    void outbox(const QList<Submission> &rows) const;
    void submission(const Submission &submission) const;
    void invalid(const FieldErrors &errors) const;
    void outboxRun(const OutboxRunSummary &summary) const;
    // inspect-resume: the type, the size against the limit, what would be filled.
    void resume(const QString &path, const ResumeReading &reading, qint64 limit) const;

    static QJsonObject submissionJson(const Submission &submission);

private:
    bool m_json = false;
    std::FILE *m_out = stdout;
    std::FILE *m_err = stderr;
};

} // namespace cdesk
