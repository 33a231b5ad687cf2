#pragma once

#include "model/ApiError.h"
#include "model/Candidate.h"
#include "model/FieldErrors.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace cdesk {

// Where a submission stands. Pending and Sending rows are the outbox; the
// others are history.
enum class SubmissionState {
    Pending, // waiting to be sent (or to be retried at nextAttemptAt)
    Sending, // a request is in flight; a crash leaves it here, and start puts it back to Pending
    Sent, // the server accepted it: serverId is set
    Failed, // the server refused it in a way a person must fix (field errors, 401, 403, 413 ...)
    NeedsDecision, // the email already exists on the server (duplicateOf): update it, or cancel
    Cancelled, // the recruiter gave it up
};

enum class SubmissionKind {
    Create, // POST /candidates/
    Update, // GET, apply the edits, PUT /candidates/{targetId}/
};

// What each state promises, in one place:
// waiting: the outbox sends it by itself (now, or at nextAttemptAt);
// held: not sent, and not sent by itself: a person must act;
// settled: nothing more happens to it by itself (sent, held, or cancelled).
constexpr bool isWaiting(SubmissionState state)
{
    return state == SubmissionState::Pending || state == SubmissionState::Sending;
}
constexpr bool isHeld(SubmissionState state)
{
    return state == SubmissionState::Failed || state == SubmissionState::NeedsDecision;
}
constexpr bool isSettled(SubmissionState state)
{
    return !isWaiting(state);
}

// The one mapping of states and kinds to stored names: these names are in
// the outbox and history tables, the CLI's --json and its --state option.
QString stateName(SubmissionState state); // "pending", "sending", ...
// The state in the recruiter's words: "Waiting", "Sent", "Needs a decision"...
QString stateLabel(SubmissionState state);
std::optional<SubmissionState> stateFromName(const QString &name);
QString kindName(SubmissionKind kind); // "create", "update"
std::optional<SubmissionKind> kindFromName(const QString &name);

// One candidate on its way to the server and, afterwards, its record.
struct Submission
{
    qint64 id = 0; // local row id
    SubmissionKind kind = SubmissionKind::Create;
    qint64 targetId = 0; // for updates: the server's candidate id
    CandidateFields changedFields; // for updates: what the recruiter edited
    Candidate candidate; // resumeFile points at the copy in the app's data folder
    QString idempotencyKey; // made at enqueue, reused on every retry of a create
    QString originalResumeName; // the file name the recruiter chose (the copy's name differs)
    QByteArray resumeSha256; // of the copy, checked before sending
    SubmissionState state = SubmissionState::Pending;
    int attempts = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime nextAttemptAt; // not before this time (backoff, Retry-After)
    std::optional<qint64> serverId; // the created or updated candidate
    std::optional<qint64> duplicateOf; // NeedsDecision: the existing candidate
    QString lastError; // the recruiter-facing message of the last failure
    ApiError errorKind = ApiError::None; // the kind of the last failure
    FieldErrors fieldErrors; // the server's field errors, when that is why it failed
    QString source; // where it came from: "form", "cli", "csv:<file>", ...

    bool isWaiting() const { return cdesk::isWaiting(state); }
    bool isHeld() const { return cdesk::isHeld(state); }
    bool isSettled() const { return cdesk::isSettled(state); }
};

} // namespace cdesk
