#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace cdesk {

// Every way a call to the Candidate API can end, as the recruiter needs to
// tell them apart. It lives in the model because a submission keeps the kind
// of its last failure: the store saves it, the CLI turns it into an exit code,
// the window into a hint.
enum class ApiError {
    None,
    FieldErrors, // 400 with DRF field errors: the form shows them on their fields
    BadToken, // 401, or a 403 that says the credentials are missing or invalid
    NotAllowed, // 403: the token may not do this
    NotFound, // 404
    Duplicate, // 409 (with the existing id), or a 400 saying the email already exists
    TooLarge, // 413 (JSON or a proxy's HTML), or Django's bare 400 for a big body
    Throttled, // 429
    IdempotencyConflict, // 422: the key was used before with another body
    ServerError, // 5xx
    Redirect, // 3xx: never followed, so the token never reaches another origin
    Timeout, // no answer in time
    Network, // connection refused, reset, host not found...
    Tls, // certificate or handshake failure
    BadResponse, // an answer we cannot read
    Cancelled, // the user's cancel (told apart from a timeout)
    LocalProblem, // refused before sending: insecure URL, no token, unreadable file
};

// "field_errors", "bad_token", ... as stored in the outbox and printed by
// --json. The names are stored: never change one.
QString errorName(ApiError error);
// The kind a stored name stands for; nullopt for a name this version does not
// know (a newer version wrote it). "" and "none" are ApiError::None.
std::optional<ApiError> errorFromName(const QString &name);

// The token was refused or may not do this: Settings is where to fix it.
bool isTokenProblem(ApiError error);

// Failures that "outbox --retry" and "Retry" send again: a server that had
// trouble, a refused token, a redirect, a TLS failure, a timeout... Left out:
// field errors, too large, duplicate, a reused key, an unknown candidate and a
// local problem (a missing resume copy), which sending again cannot fix.
QList<ApiError> requeuedErrors();

} // namespace cdesk
