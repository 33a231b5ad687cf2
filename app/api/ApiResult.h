#pragma once

#include "model/ApiError.h"
#include "model/Candidate.h"
#include "model/FieldErrors.h"
#include "model/Job.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

#include <optional>

namespace cdesk {

// A Retry-After value in seconds from now: "120", or an HTTP date
// ("Wed, 21 Oct 2026 07:28:00 GMT") measured against now. Never negative;
// nullopt when the value is absent or not understood.
std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now);

// What a reply said, gathered from a QNetworkReply (or made by a test).
struct ReplyFacts
{
    int httpStatus = 0;
    QByteArray body;
    QByteArray contentType;
    QByteArray retryAfter;
    QByteArray location;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorString;
    bool timedOut = false;
    bool cancelled = false;
    qint64 requestBodyBytes = 0; // how much we sent (a bare 400 for a big body is "too large")
    QDateTime now; // for a Retry-After given as an HTTP date

    static ReplyFacts from(QNetworkReply *reply, const QByteArray &body, QDateTime now);
};

// A call's outcome: success with its payload, or a typed error with a
// recruiter-facing message that says what happened and what to do.
struct ApiResult
{
    ApiError error = ApiError::None;
    int httpStatus = 0;
    QString message; // empty on success
    FieldErrors fieldErrors; // FieldErrors (and Duplicate from a 400)
    std::optional<qint64> existingId; // Duplicate: the candidate that has this email
    std::optional<qint64> retryAfterSeconds; // Throttled or 503 with Retry-After
    std::optional<qint64> serverLimitBytes; // TooLarge: the limit the server named
    QString redirectTarget; // Redirect: where the server pointed

    // Payloads
    std::optional<RemoteCandidate> candidate;
    QList<RemoteCandidate> candidates;
    QList<Job> jobs;

    bool ok() const { return error == ApiError::None; }
    // Worth sending again unchanged: 408, 429, 5xx, timeouts and network errors.
    bool isRetryable() const;

    // The one mapping from any reply to a result.
    static ApiResult fromReply(const ReplyFacts &facts);
    static ApiResult local(ApiError error, const QString &message);
};

// Every reply in the recruiter's words lives in ApiResult.cpp: a submission's
// in ApiResult::message (set by fromReply), a connection test's here.
// "api.example.com" or "127.0.0.1:8080": the server as typed, without the
// path and never any user info.
QString serverName(const QUrl &url);
// What a finished "Test connection" (listing jobs) means, in plain words;
// never the token. apiUrl names the server, timeoutMs the wait that ran out.
QString describeConnectionTest(const ApiResult &result, const QUrl &apiUrl, int timeoutMs);

} // namespace cdesk

Q_DECLARE_METATYPE(cdesk::ApiResult)
