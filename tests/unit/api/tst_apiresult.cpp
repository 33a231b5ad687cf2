// The one mapping from a reply to a typed result, fed with the facts of every
// kind of answer the contract (and real DRF deployments) can give.
#include "api/ApiResult.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

ReplyFacts answer(int status, const QByteArray &body,
                  const QByteArray &contentType = "application/json")
{
    ReplyFacts f;
    f.httpStatus = status;
    f.body = body;
    f.contentType = contentType;
    f.now = QDateTime(QDate(2026, 11, 29), QTime(12, 0), Qt::UTC);
    return f;
}

ReplyFacts noAnswer(QNetworkReply::NetworkError error)
{
    ReplyFacts f;
    f.networkError = error;
    f.networkErrorString = u"detail"_s;
    return f;
}

} // namespace

class TestApiResult : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void success_isOk()
    {
        QVERIFY(ApiResult::fromReply(answer(201, "{}")).ok());
        QVERIFY(ApiResult::fromReply(answer(200, "{}")).ok());
    }

    void kinds_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("error");
        QTest::addColumn<bool>("retryable");
        const QByteArray json = "application/json";
        const QByteArray html = "text/html";
        QTest::newRow("400 field errors")
            << 400 << QByteArray(R"({"email": ["Enter a valid email address."]})") << json
            << int(ApiError::FieldErrors) << false;
        QTest::newRow("400 non_field_errors")
            << 400 << QByteArray(R"({"non_field_errors": ["Invalid data."]})") << json
            << int(ApiError::FieldErrors) << false;
        QTest::newRow("400 email already exists")
            << 400 << QByteArray(R"({"email": ["candidate with this email already exists."]})")
            << json << int(ApiError::Duplicate) << false;
        QTest::newRow("400 html, small request") << 400 << QByteArray("<h1>Bad Request (400)</h1>")
                                                 << html << int(ApiError::BadResponse) << false;
        QTest::newRow("401") << 401 << QByteArray(R"({"detail": "Invalid token."})") << json
                             << int(ApiError::BadToken) << false;
        QTest::newRow("403 credentials not provided")
            << 403 << QByteArray(R"({"detail": "Authentication credentials were not provided."})")
            << json << int(ApiError::BadToken) << false;
        QTest::newRow("403 invalid token") << 403 << QByteArray(R"({"detail": "Invalid token."})")
                                           << json << int(ApiError::BadToken) << false;
        QTest::newRow("403 permission")
            << 403
            << QByteArray(R"({"detail": "You do not have permission to perform this action."})")
            << json << int(ApiError::NotAllowed) << false;
        QTest::newRow("404") << 404 << QByteArray(R"({"detail": "Not found."})") << json
                             << int(ApiError::NotFound) << false;
        QTest::newRow("409") << 409 << QByteArray(R"({"detail": "exists", "id": 7})") << json
                             << int(ApiError::Duplicate) << false;
        QTest::newRow("413 json")
            << 413 << QByteArray(R"({"detail": "Resume file too large. Maximum size is 5 MB."})")
            << json << int(ApiError::TooLarge) << false;
        QTest::newRow("413 nginx html")
            << 413
            << QByteArray("<html><center><h1>413 Request Entity Too Large</h1></center></html>")
            << html << int(ApiError::TooLarge) << false;
        QTest::newRow("422") << 422 << QByteArray(R"({"detail": "reused"})") << json
                             << int(ApiError::IdempotencyConflict) << false;
        QTest::newRow("429") << 429 << QByteArray(R"({"detail": "throttled"})") << json
                             << int(ApiError::Throttled) << true;
        QTest::newRow("408") << 408 << QByteArray() << json << int(ApiError::ServerError) << true;
        // A 500 is the server's trouble: tried again later (the engine bounds how often).
        QTest::newRow("500 html") << 500 << QByteArray("<h1>Server Error (500)</h1>") << html
                                  << int(ApiError::ServerError) << true;
        QTest::newRow("502") << 502 << QByteArray("bad gateway") << html
                             << int(ApiError::ServerError) << true;
        QTest::newRow("503 empty")
            << 503 << QByteArray() << json << int(ApiError::ServerError) << true;
        QTest::newRow("307") << 307 << QByteArray() << json << int(ApiError::Redirect) << false;
        QTest::newRow("302") << 302 << QByteArray("moved") << html << int(ApiError::Redirect)
                             << false;
        QTest::newRow("418 odd") << 418 << QByteArray("teapot") << html
                                 << int(ApiError::ServerError) << false;
    }
    void kinds()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, error);
        QFETCH(bool, retryable);
        const ApiResult r = ApiResult::fromReply(answer(status, body, contentType));
        QCOMPARE(int(r.error), error);
        QCOMPARE(r.isRetryable(), retryable);
        QCOMPARE(r.httpStatus, status);
        QVERIFY2(!r.message.isEmpty(), "every error has a recruiter-facing message");
    }

    void fieldErrors_landOnTheirFields()
    {
        const ApiResult r = ApiResult::fromReply(
            answer(400, R"({"email": ["Enter a valid email address."], "phone": ["Too short."]})"));
        QCOMPARE(r.fieldErrors.first(u"email"_s), u"Enter a valid email address."_s);
        QCOMPARE(r.fieldErrors.first(u"phone"_s), u"Too short."_s);
    }

    void duplicate409_carriesExistingId()
    {
        const ApiResult r = ApiResult::fromReply(
            answer(409, R"({"detail": "A candidate with this email already exists.", "id": 42})"));
        QCOMPARE(r.existingId, std::optional<qint64>(42));
        QVERIFY(r.message.contains(u"42"_s));
    }

    void tooLarge_learnsTheServersLimit()
    {
        const ApiResult r = ApiResult::fromReply(
            answer(413, R"({"detail": "Resume file too large. Maximum size is 2 MB."})"));
        QCOMPARE(r.serverLimitBytes, std::optional<qint64>(2 * 1024 * 1024));
    }

    void djangoBare400_forBigBody_isTooLarge()
    {
        ReplyFacts f = answer(400, "<h1>Bad Request (400)</h1>", "text/html");
        f.requestBodyBytes = 3 * 1024 * 1024;
        QCOMPARE(ApiResult::fromReply(f).error, ApiError::TooLarge);
    }

    void retryAfter_inSeconds_andAsHttpDate()
    {
        ReplyFacts seconds = answer(429, "{}");
        seconds.retryAfter = "17";
        QCOMPARE(ApiResult::fromReply(seconds).retryAfterSeconds, std::optional<qint64>(17));

        ReplyFacts date = answer(429, "{}");
        date.retryAfter = "Sun, 29 Nov 2026 12:01:30 GMT"; // 90 s after `now`
        QCOMPARE(ApiResult::fromReply(date).retryAfterSeconds, std::optional<qint64>(90));

        ReplyFacts past = answer(503, "");
        past.retryAfter = "Sun, 29 Nov 2026 11:00:00 GMT";
        QCOMPARE(ApiResult::fromReply(past).retryAfterSeconds, std::optional<qint64>(0));

        ReplyFacts garbage = answer(429, "{}");
        garbage.retryAfter = "soon";
        QCOMPARE(ApiResult::fromReply(garbage).retryAfterSeconds, std::nullopt);
    }

    void redirect_namesWhereItPointed()
    {
        ReplyFacts f = answer(307, "");
        f.location = "https://elsewhere.example.net/api/v1/candidates/";
        const ApiResult r = ApiResult::fromReply(f);
        QCOMPARE(r.error, ApiError::Redirect);
        QVERIFY(r.message.contains(u"elsewhere.example.net"_s));
    }

    void noAnswer_timeoutCancelNetworkTls()
    {
        ReplyFacts timedOut = noAnswer(QNetworkReply::OperationCanceledError);
        timedOut.timedOut = true;
        QCOMPARE(ApiResult::fromReply(timedOut).error, ApiError::Timeout);
        QVERIFY(ApiResult::fromReply(timedOut).isRetryable());

        ReplyFacts cancelled = noAnswer(QNetworkReply::OperationCanceledError);
        cancelled.cancelled = true;
        QCOMPARE(ApiResult::fromReply(cancelled).error, ApiError::Cancelled);
        QVERIFY(!ApiResult::fromReply(cancelled).isRetryable());

        const auto refused = ApiResult::fromReply(noAnswer(QNetworkReply::ConnectionRefusedError));
        QCOMPARE(refused.error, ApiError::Network);
        QVERIFY(refused.isRetryable());

        const auto tls = ApiResult::fromReply(noAnswer(QNetworkReply::SslHandshakeFailedError));
        QCOMPARE(tls.error, ApiError::Tls);
        QVERIFY(!tls.isRetryable());
    }

    void errorNames_areStable()
    {
        QCOMPARE(errorName(ApiError::FieldErrors), u"field_errors"_s);
        QCOMPARE(errorName(ApiError::BadToken), u"bad_token"_s);
        QCOMPARE(errorName(ApiError::Duplicate), u"duplicate"_s);
    }

    // The outbox stores the name and reads the kind back: every kind makes the
    // trip, "" is no error, and a name from a newer version is not guessed at.
    void errorNames_readBackAsTheirKind()
    {
        for (int i = int(ApiError::None); i <= int(ApiError::LocalProblem); ++i) {
            const auto kind = ApiError(i);
            QVERIFY2(errorName(kind) != u"unknown"_s, qPrintable(QString::number(i)));
            QCOMPARE(errorFromName(errorName(kind)), std::optional<ApiError>(kind));
        }
        QCOMPARE(errorFromName(QString()), std::optional<ApiError>(ApiError::None));
        QCOMPARE(errorFromName(u"quota_exceeded"_s), std::nullopt);
        QVERIFY(isTokenProblem(ApiError::BadToken));
        QVERIFY(isTokenProblem(ApiError::NotAllowed));
        QVERIFY(!isTokenProblem(ApiError::ServerError));
        QVERIFY(requeuedErrors().contains(ApiError::Throttled));
        QVERIFY(!requeuedErrors().contains(ApiError::FieldErrors));
    }
};

QTEST_GUILESS_MAIN(TestApiResult)
#include "tst_apiresult.moc"
