// ApiResult::fromReply: the one mapping from any HTTP answer to what the
// recruiter is told. An input reads like the answer it stands for:
//
//   HTTP/1.1 413 Request Entity Too Large      status (no number: no HTTP answer)
//   Content-Type: text/html
//   Retry-After: 120
//   Location: https://elsewhere.example/
//   X-Request-Bytes: 3000000                    requestBodyBytes
//   X-Network-Error: 6                          QNetworkReply::NetworkError
//   X-Timed-Out: 1 / X-Cancelled: 1
//   X-Now: 1795953600                           seconds since 1970 (else a fixed date)
//
//   {"detail": "Resume file too large. Maximum size is 5 MB."}

#include "FuzzSupport.h"

#include "api/ApiResult.h"

#include <QDateTime>

#include <cstdint>

using namespace cdesk;

namespace {

int statusOf(const QByteArray &firstLine)
{
    // "HTTP/1.1 413 ...", or a bare "413".
    const QList<QByteArray> words = firstLine.simplified().split(' ');
    for (const QByteArray &word : words) {
        bool ok = false;
        const int status = word.toInt(&ok);
        if (ok)
            return status;
    }
    return 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto message = fuzz::parseHeaderMessage(
        QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)), true);

    ReplyFacts facts;
    facts.httpStatus = statusOf(message.firstLine);
    facts.body = message.body;
    facts.contentType = message.header("content-type");
    facts.retryAfter = message.header("retry-after");
    facts.location = message.header("location");
    facts.requestBodyBytes = message.header("x-request-bytes").toLongLong();
    // Only values the enum can hold (it has no fixed type: any other is UB here).
    facts.networkError = QNetworkReply::NetworkError(qBound(
        0, message.header("x-network-error").toInt(), int(QNetworkReply::UnknownServerError)));
    facts.networkErrorString = QString::fromUtf8(message.header("x-network-error-text"));
    facts.timedOut = message.header("x-timed-out") == "1";
    facts.cancelled = message.header("x-cancelled") == "1";
    bool nowGiven = false;
    const qint64 nowSeconds = message.header("x-now").toLongLong(&nowGiven);
    facts.now = nowGiven ? QDateTime::fromSecsSinceEpoch(nowSeconds, Qt::UTC)
                         : QDateTime(QDate(2026, 11, 29), QTime(12, 0), Qt::UTC);

    const ApiResult r = ApiResult::fromReply(facts);

    FUZZ_CHECK(r.httpStatus == facts.httpStatus);
    // Success is a 2xx and nothing else; every failure says something.
    const bool success = facts.httpStatus >= 200 && facts.httpStatus < 300;
    FUZZ_CHECK(r.ok() == success);
    FUZZ_CHECK(r.ok() == r.message.isEmpty());
    FUZZ_CHECK(errorName(r.error) != u"unknown");
    FUZZ_CHECK(!r.retryAfterSeconds || *r.retryAfterSeconds >= 0);
    FUZZ_CHECK(!r.serverLimitBytes || *r.serverLimitBytes >= 0);
    FUZZ_CHECK(!r.existingId || r.error == ApiError::Duplicate);
    FUZZ_CHECK(r.redirectTarget.isEmpty() || r.error == ApiError::Redirect);
    FUZZ_CHECK(r.fieldErrors.isEmpty() || r.error == ApiError::FieldErrors
               || r.error == ApiError::Duplicate);
    // Only answers that may go better unchanged are retried.
    if (r.isRetryable()) {
        FUZZ_CHECK(r.error == ApiError::Throttled || r.error == ApiError::Timeout
                   || r.error == ApiError::Network || r.error == ApiError::ServerError);
    }
    return 0;
}
