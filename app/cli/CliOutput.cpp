#include "cli/CliOutput.h"

#include "api/ApiResult.h"
#include "cli/Cli.h"
#include "model/FieldErrors.h"
#include "resume/ResumeReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

int exitCodeFor(ApiError kind)
{
    switch (kind) {
    case ApiError::FieldErrors:
    case ApiError::TooLarge:
    case ApiError::NotFound:
        return Cli::InvalidInput;
    case ApiError::BadToken:
    case ApiError::NotAllowed:
        return Cli::BadToken;
    case ApiError::Duplicate:
        return Cli::Duplicate;
    case ApiError::LocalProblem:
        return Cli::Failure;
    case ApiError::None:
    case ApiError::Throttled:
    case ApiError::IdempotencyConflict:
    case ApiError::ServerError:
    case ApiError::Redirect:
    case ApiError::Timeout:
    case ApiError::Network:
    case ApiError::Tls:
    case ApiError::BadResponse:
    case ApiError::Cancelled:
        break;
    }
    // A redirect, a TLS failure, a server error that kept coming back, an
    // answer that could not be read, a reused key: held for a person.
    return Cli::Held;
}

QJsonArray submissionsJson(const QList<Submission> &rows)
{
    QJsonArray array;
    for (const Submission &s : rows)
        array.append(CliOutput::submissionJson(s));
    return array;
}

void printTo(std::FILE *stream, const QString &text)
{
    std::fputs(qUtf8Printable(text), stream);
    std::fflush(stream);
}

} // namespace

int cliExitCode(const ApiResult &result)
{
    if (result.isRetryable())
        return Cli::Held;
    return exitCodeFor(result.error);
}

int cliExitCode(const Submission &s)
{
    switch (s.state) {
    case SubmissionState::Sent:
        return Cli::Success;
    case SubmissionState::NeedsDecision:
        return Cli::Duplicate;
    case SubmissionState::Failed:
        return exitCodeFor(s.errorKind);
    case SubmissionState::Cancelled:
        return Cli::Held;
    case SubmissionState::Pending:
    case SubmissionState::Sending:
        return Cli::Queued;
    }
    return Cli::Failure;
}

void CliOutput::print(const QString &text) const
{
    printTo(m_out, text + u'\n');
}

void CliOutput::printJson(const QJsonValue &value) const
{
    const QByteArray text = value.isArray()
        ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)
        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented);
    std::fputs(text.constData(), m_out);
    std::fflush(m_out);
}

void CliOutput::error(int exitCode, const QString &message) const
{
    if (m_json)
        printJson(QJsonObject { { u"error"_s, message }, { u"exit_code"_s, exitCode } });
    else
        notice(message);
}

void CliOutput::notice(const QString &message) const
{
    printTo(m_err, u"candidate-desk: "_s + message + u'\n');
}

QJsonObject CliOutput::submissionJson(const Submission &s)
{
    QJsonObject o {
        { u"submission"_s, s.id },
        { u"kind"_s, kindName(s.kind) },
        { u"state"_s, stateName(s.state) },
        { u"name"_s, s.candidate.name },
        { u"email"_s, s.candidate.email },
        { u"id"_s, s.serverId ? QJsonValue(*s.serverId) : QJsonValue() },
        { u"attempts"_s, s.attempts },
        { u"created_at"_s, s.createdAt.toString(Qt::ISODateWithMs) },
        { u"updated_at"_s, s.updatedAt.toString(Qt::ISODateWithMs) },
    };
    if (s.duplicateOf)
        o.insert(u"duplicate_of"_s, *s.duplicateOf);
    if (s.errorKind != ApiError::None) {
        o.insert(u"error"_s, errorName(s.errorKind));
        o.insert(u"message"_s, s.lastError);
    }
    if (!s.fieldErrors.isEmpty())
        o.insert(u"field_errors"_s, s.fieldErrors.toJson());
    return o;
}

void CliOutput::progress(const QString &line) const
{
    if (m_json)
        return;
    if (isatty(fileno(m_err)))
        std::fprintf(m_err, "\r%s\x1b[K", qPrintable(line));
    else
        std::fprintf(m_err, "%s\n", qPrintable(line));
    std::fflush(m_err);
}

void CliOutput::endProgress() const
{
    if (!m_json && isatty(fileno(m_err)))
        std::fputc('\n', m_err);
}

void CliOutput::jobs(const QList<Job> &jobs) const
{
    if (m_json) {
        QJsonArray array;
        for (const Job &job : jobs) {
            array.append(QJsonObject { { u"id"_s, job.id },
                                       { u"title"_s, job.title },
                                       { u"department"_s, job.department },
                                       { u"location"_s, job.location },
                                       { u"status"_s, job.open ? u"open"_s : u"closed"_s } });
        }
        return printJson(array);
    }
    for (const Job &job : jobs) {
        print(u"%1  %2 — %3, %4%5"_s.arg(job.id, 6).arg(job.title, job.department, job.location,
                                                        job.open ? QString() : tr(" (closed)")));
    }
    print(tr("%n job(s). Submit with --job ID, or leave --job out for the Talent Pool.", nullptr,
             int(jobs.size())));
}

void CliOutput::history(const QList<Submission> &rows) const
{
    if (m_json)
        return printJson(submissionsJson(rows));
    if (rows.isEmpty())
        print(tr("No submissions yet."));
    for (const Submission &s : rows) {
        const QString server = s.serverId ? u"#%1"_s.arg(*s.serverId) : u"-"_s;
        print(u"%1  %2  %3  %4 <%5>  %6"_s.arg(
            s.createdAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s),
            stateName(s.state).leftJustified(14), server.leftJustified(7), s.candidate.name,
            s.candidate.email, s.lastError));
    }
}

void CliOutput::outbox(const QList<Submission> &rows) const
{
    if (m_json)
        return printJson(submissionsJson(rows));
    if (rows.isEmpty())
        return print(tr("The outbox is empty: everything was sent."));
    for (const Submission &s : rows)
        print(u"%1  %2  %3 <%4>  %5"_s.arg(s.id, 6).arg(stateName(s.state).leftJustified(14),
                                                        s.candidate.name, s.candidate.email,
                                                        s.lastError));
}

void CliOutput::submission(const Submission &s) const
{
    if (m_json)
        return printJson(submissionJson(s));
    const QString who = u"%1 <%2>"_s.arg(s.candidate.name, s.candidate.email);
    switch (s.state) {
    case SubmissionState::Sent:
        print(s.kind == SubmissionKind::Create
                  ? tr("Sent: candidate #%1 created (%2).").arg(*s.serverId).arg(who)
                  : tr("Sent: candidate #%1 updated.").arg(s.targetId));
        break;
    case SubmissionState::NeedsDecision:
        print(tr("Not sent: %1\nTo update that candidate instead: candidate-desk update %2 "
                 "[the options to change]")
                  .arg(s.lastError)
                  .arg(s.duplicateOf.value_or(0)));
        break;
    case SubmissionState::Failed:
        print(tr("Not sent: %1").arg(s.lastError));
        if (!s.fieldErrors.isEmpty())
            print(s.fieldErrors.summary());
        if (cliExitCode(s) == Cli::Held || cliExitCode(s) == Cli::BadToken)
            print(tr("It is kept in the outbox, but not tried again by itself: once the cause is "
                     "fixed, run `candidate-desk outbox --retry`."));
        break;
    case SubmissionState::Cancelled:
        print(tr("Not sent: it was cancelled in the window."));
        break;
    case SubmissionState::Pending:
    case SubmissionState::Sending:
        print(tr("Not sent yet: %1\nIt waits in the outbox and is tried again by itself: by the "
                 "Candidate Desk window while it runs, or run `candidate-desk outbox --retry`.")
                  .arg(s.lastError.isEmpty() ? tr("the server did not answer yet.") : s.lastError));
        break;
    }
}

void CliOutput::invalid(const FieldErrors &errors) const
{
    if (m_json) {
        printJson(
            QJsonObject { { u"state"_s, u"invalid"_s }, { u"field_errors"_s, errors.toJson() } });
    } else {
        printTo(m_err,
                tr("Not sent: please correct these and run it again.\n") + errors.summary()
                    + u'\n');
    }
}

void CliOutput::outboxRun(const OutboxRunSummary &run) const
{
    if (m_json) {
        QJsonObject o { { u"sent"_s, run.sent },
                        { u"waiting"_s, run.waiting },
                        { u"waiting_for_another_account"_s, run.waitingElsewhere },
                        { u"held"_s, run.held },
                        { u"exit_code"_s, run.exitCode } };
        if (run.nextAttempt)
            o.insert(u"next_attempt_at"_s, run.nextAttempt->toUTC().toString(Qt::ISODateWithMs));
        return printJson(o);
    }
    print(tr("Sent %n submission(s).", nullptr, run.sent));
    if (run.waiting > 0) {
        print(tr("%n submission(s) still wait to be sent, the next in %1 s. They are tried again "
                 "by themselves: by the window while it runs, or run this command again.",
                 nullptr, run.waiting)
                  .arg(run.nextInSeconds));
    }
    if (run.waitingElsewhere > 0)
        print(tr("%n submission(s) wait for another API address (account): they are sent only "
                 "there, when the app uses that address again.",
                 nullptr, run.waitingElsewhere));
    if (run.held > 0)
        print(tr("%n submission(s) are held until you act (see `candidate-desk outbox`): fix what "
                 "their message says, then retry them, or cancel them in the window.",
                 nullptr, run.held));
    if (run.exitCode == Cli::Success)
        print(tr("Nothing is left unsent."));
}

void CliOutput::resume(const QString &path, const ResumeReading &r, qint64 limit) const
{
    QJsonObject fields;
    if (!r.fill.name.isEmpty())
        fields.insert(u"name"_s, r.fill.name);
    if (!r.fill.email.isEmpty())
        fields.insert(u"email"_s, r.fill.email);
    if (!r.fill.phone.isEmpty())
        fields.insert(u"phone"_s, r.fill.phone);
    for (auto it = r.fill.links.cbegin(); it != r.fill.links.cend(); ++it)
        fields.insert(it.key(), it.value());
    if (m_json) {
        return printJson(QJsonObject {
            { u"file"_s, r.info.path.isEmpty() ? path : r.info.path },
            { u"accepted"_s, r.info.accepted },
            { u"type"_s, r.info.typeLabel },
            { u"mime_type"_s, r.info.mimeType },
            { u"size"_s, r.info.size },
            { u"limit"_s, limit },
            { u"over_limit"_s, r.info.overLimit },
            { u"problem"_s, r.info.accepted ? r.text.problem : r.info.problem },
            { u"text_length"_s, r.text.text.size() },
            { u"pages"_s, r.text.pages },
            { u"image_only"_s, r.text.imageOnly },
            { u"timed_out"_s, r.text.timedOut },
            { u"fields"_s, fields },
            { u"notes"_s, QJsonArray::fromStringList(r.fill.notes) },
        });
    }
    if (!r.info.accepted)
        return print(tr("%1: refused. %2").arg(path, r.info.problem));
    print(tr("%1: %2, %3 (%4 the server's limit of %5)")
              .arg(r.info.fileName, r.info.typeLabel, QLocale().formattedDataSize(r.info.size),
                   r.info.overLimit ? tr("over") : tr("within"),
                   QLocale().formattedDataSize(limit)));
    if (!r.text.ok)
        return print(tr("Text: %1").arg(r.text.problem));
    print(tr("Text: %1 characters").arg(r.text.text.size()));
    for (auto it = fields.begin(); it != fields.end(); ++it)
        print(u"  %1: %2"_s.arg(it.key(), it.value().toString()));
    for (const QString &note : r.fill.notes)
        print(u"  ("_s + note + u')');
}

} // namespace cdesk
