// The sandbox's fault knobs, each set at run time both through the admin
// endpoint (PUT <origin>/_sandbox/faults) and through SandboxServer::setFaults:
// 500s, 429 with Retry-After (on a clock that a frozen test clock cannot stall),
// a connection dropped after the commit, a 307 to another origin, latency.
// Faults apply to API paths only, after authentication. Also the deployment
// shapes the contract says a client must survive: lists as cursor pages or
// plain arrays, 403 for a bad token, HTML for a body too large.

#include "SandboxFixture.h"
#include "TestData.h"

#include <QJsonArray>
#include <QTest>
#include <QUrlQuery>

using namespace cdesk::test;
using cdesk::sandbox::Faults;

namespace {

// Merges the admin endpoint's JSON knobs into Faults, as PUT does.
Faults merged(Faults faults, const QJsonObject &knobs)
{
    if (knobs.contains(QLatin1String("latency_ms")))
        faults.latencyMs = knobs.value(QLatin1String("latency_ms")).toInt();
    if (knobs.contains(QLatin1String("error_rate")))
        faults.errorRate = knobs.value(QLatin1String("error_rate")).toDouble();
    if (knobs.contains(QLatin1String("error_next")))
        faults.errorNext = knobs.value(QLatin1String("error_next")).toInt();
    if (knobs.contains(QLatin1String("throttle_per_second")))
        faults.throttlePerSecond = knobs.value(QLatin1String("throttle_per_second")).toInt();
    if (knobs.contains(QLatin1String("drop_after_commit_rate")))
        faults.dropAfterCommitRate
            = knobs.value(QLatin1String("drop_after_commit_rate")).toDouble();
    if (knobs.contains(QLatin1String("drop_after_commit_next")))
        faults.dropAfterCommitNext = knobs.value(QLatin1String("drop_after_commit_next")).toInt();
    if (knobs.contains(QLatin1String("redirect_to")))
        faults.redirectTo = QUrl(knobs.value(QLatin1String("redirect_to")).toString());
    if (knobs.contains(QLatin1String("list_shape")))
        faults.listShape = knobs.value(QLatin1String("list_shape")).toString();
    if (knobs.contains(QLatin1String("auth_failure_status")))
        faults.authFailureStatus = knobs.value(QLatin1String("auth_failure_status")).toInt();
    if (knobs.contains(QLatin1String("too_large_style")))
        faults.tooLargeStyle = knobs.value(QLatin1String("too_large_style")).toString();
    return faults;
}

const QStringList knobNames = {
    QStringLiteral("latency_ms"),
    QStringLiteral("error_rate"),
    QStringLiteral("error_next"),
    QStringLiteral("throttle_per_second"),
    QStringLiteral("drop_after_commit_rate"),
    QStringLiteral("drop_after_commit_next"),
    QStringLiteral("redirect_to"),
    QStringLiteral("list_shape"),
    QStringLiteral("auth_failure_status"),
    QStringLiteral("too_large_style"),
};

QList<qint64> idsOf(const QJsonArray &results)
{
    QList<qint64> ids;
    for (const QJsonValue &value : results)
        ids.append(value.toObject().value(QLatin1String("id")).toInteger());
    return ids;
}

} // namespace

class TestSandboxFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void admin_get_returnsEveryKnobOffByDefault();
    void admin_put_mergesKnobsAndAnswersThem();
    void admin_put_isVisibleThroughFaults();
    void setFaults_isVisibleThroughAdmin();
    void admin_withoutAdminToken_isRefused_data();
    void admin_withoutAdminToken_isRefused();
    void admin_putInvalidShapeKnob_returns400AndChangesNothing_data();
    void admin_putInvalidShapeKnob_returns400AndChangesNothing();

    void errorNext_answers500ThenRecovers_data();
    void errorNext_answers500ThenRecovers();
    void errorNext_appliesOnlyAfterAuthenticationAndToApiPaths_data();
    void errorNext_appliesOnlyAfterAuthenticationAndToApiPaths();
    void errorRate_one_answers500UntilTurnedOff_data();
    void errorRate_one_answers500UntilTurnedOff();
    void throttle_answers429WithRetryAfter_data();
    void throttle_answers429WithRetryAfter();
    void throttle_withFrozenClock_keepsCountingInRealTime();
    void throttle_afterFrozenClockMovesBack_retryAfterStaysWithinASecond();
    void dropAfterCommitNext_closesWithoutAnswerButCommitsCreate_data();
    void dropAfterCommitNext_closesWithoutAnswerButCommitsCreate();
    void dropAfterCommitNext_onUpdate_commitsTheUpdate_data();
    void dropAfterCommitNext_onUpdate_commitsTheUpdate();
    void dropAfterCommitRate_one_dropsWritesButNotReads_data();
    void dropAfterCommitRate_one_dropsWritesButNotReads();
    void redirectTo_answers307ToTheOtherOrigin_data();
    void redirectTo_answers307ToTheOtherOrigin();
    void latency_answerStillArrives_data();
    void latency_answerStillArrives();
    void clock_now_freezesTimestampsUntilReleased();

    void listShape_cursor_hasNoCountAndNextVisitsEveryJobOnce_data();
    void listShape_cursor_hasNoCountAndNextVisitsEveryJobOnce();
    void listShape_array_answersAPlainArrayOfEveryItem_data();
    void listShape_array_answersAPlainArrayOfEveryItem();
    void listShape_array_ignoresPageParameters();
    void authFailureStatus403_answers403WithoutChallenge_data();
    void authFailureStatus403_answers403WithoutChallenge();
    void tooLargeStyle_answersAsTheDeploymentWould_data();
    void tooLargeStyle_answersAsTheDeploymentWould();
    void tooLargeStyleNginx_appliesToABodyRefusedByItsLength();

private:
    void addVia();
    void applyFaults(const QJsonObject &knobs);
    QByteArray rawCreate(const QJsonObject &body, const QByteArray &idempotencyKey = {}) const;
    qint64 countByEmail(const QString &email);

    SandboxFixture m_sandbox;
    std::unique_ptr<HttpClient> m_client;
    std::unique_ptr<HttpClient> m_admin;
};

void TestSandboxFaults::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_client = std::make_unique<HttpClient>(m_sandbox.token());
    m_admin = std::make_unique<HttpClient>(m_sandbox.adminToken());
}

void TestSandboxFaults::init()
{
    m_sandbox.setFaults(Faults());
}

void TestSandboxFaults::cleanup()
{
    m_sandbox.setFaults(Faults());
    const HttpResponse clock = m_admin->putJson(
        m_sandbox.clockUrl(), QJsonObject { { QStringLiteral("now"), QJsonValue::Null } });
    QCOMPARE(clock.status, 200);
}

void TestSandboxFaults::addVia()
{
    QTest::addColumn<bool>("viaAdmin");
    QTest::newRow("admin endpoint") << true;
    QTest::newRow("setFaults") << false;
}

void TestSandboxFaults::applyFaults(const QJsonObject &knobs)
{
    QFETCH(bool, viaAdmin);
    if (viaAdmin) {
        const HttpResponse response = m_admin->putJson(m_sandbox.adminUrl(), knobs);
        QVERIFY2(response.status == 200, response.body.constData());
        for (auto it = knobs.constBegin(); it != knobs.constEnd(); ++it)
            QCOMPARE(compact(response.json().value(it.key())), compact(it.value()));
    } else {
        m_sandbox.setFaults(merged(m_sandbox.faults(), knobs));
    }
}

QByteArray TestSandboxFaults::rawCreate(const QJsonObject &body,
                                        const QByteArray &idempotencyKey) const
{
    const QByteArray json = compact(body);
    QByteArray request = "POST /api/v1/candidates/ HTTP/1.1\r\n"
                         "Host: 127.0.0.1:"
        + QByteArray::number(m_sandbox.port())
        + "\r\n"
          "Authorization: Token "
        + m_sandbox.token()
        + "\r\n"
          "Content-Type: application/json\r\n"
          "Content-Length: "
        + QByteArray::number(json.size()) + "\r\n";
    if (!idempotencyKey.isEmpty())
        request += "Idempotency-Key: " + idempotencyKey + "\r\n";
    request += "\r\n" + json;
    return rawExchange(m_sandbox.port(), request);
}

qint64 TestSandboxFaults::countByEmail(const QString &email)
{
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    return response.status == 200 ? response.json().value(QLatin1String("count")).toInteger() : -1;
}

// --- the admin endpoint -------------------------------------------------------

void TestSandboxFaults::admin_get_returnsEveryKnobOffByDefault()
{
    const HttpResponse response = m_admin->get(m_sandbox.adminUrl());
    QCOMPARE(response.status, 200);
    const QJsonObject knobs = response.json();
    for (const QString &name : knobNames)
        QVERIFY2(knobs.contains(name), qPrintable(name));
    QCOMPARE(knobs.value(QLatin1String("latency_ms")).toInt(-1), 0);
    QCOMPARE(knobs.value(QLatin1String("error_rate")).toDouble(-1), 0.0);
    QCOMPARE(knobs.value(QLatin1String("error_next")).toInt(-1), 0);
    QCOMPARE(knobs.value(QLatin1String("throttle_per_second")).toInt(-1), 0);
    QCOMPARE(knobs.value(QLatin1String("drop_after_commit_rate")).toDouble(-1), 0.0);
    QCOMPARE(knobs.value(QLatin1String("drop_after_commit_next")).toInt(-1), 0);
    QCOMPARE(knobs.value(QLatin1String("redirect_to")).toString(QStringLiteral("?")), QString());
    QCOMPARE(knobs.value(QLatin1String("list_shape")).toString(), QStringLiteral("page"));
    QCOMPARE(knobs.value(QLatin1String("auth_failure_status")).toInt(-1), 401);
    QCOMPARE(knobs.value(QLatin1String("too_large_style")).toString(), QStringLiteral("json"));
}

void TestSandboxFaults::admin_put_mergesKnobsAndAnswersThem()
{
    HttpResponse response = m_admin->putJson(m_sandbox.adminUrl(),
                                             QJsonObject { { QStringLiteral("latency_ms"), 5 } });
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("latency_ms")).toInt(), 5);

    response = m_admin->putJson(m_sandbox.adminUrl(),
                                QJsonObject { { QStringLiteral("error_next"), 3 },
                                              { QStringLiteral("error_rate"), 0.25 } });
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("latency_ms")).toInt(), 5); // kept
    QCOMPARE(response.json().value(QLatin1String("error_next")).toInt(), 3);
    QCOMPARE(response.json().value(QLatin1String("error_rate")).toDouble(), 0.25);

    const HttpResponse read = m_admin->get(m_sandbox.adminUrl());
    QCOMPARE(read.status, 200);
    QCOMPARE(compact(read.json()), compact(response.json()));
}

void TestSandboxFaults::admin_put_isVisibleThroughFaults()
{
    const HttpResponse response
        = m_admin->putJson(m_sandbox.adminUrl(),
                           QJsonObject { { QStringLiteral("throttle_per_second"), 7 },
                                         { QStringLiteral("drop_after_commit_next"), 2 },
                                         { QStringLiteral("redirect_to"),
                                           QStringLiteral("https://other.example.invalid") } });
    QCOMPARE(response.status, 200);
    const Faults faults = m_sandbox.faults();
    QCOMPARE(faults.throttlePerSecond, 7);
    QCOMPARE(faults.dropAfterCommitNext, 2);
    QCOMPARE(faults.redirectTo.host(), QStringLiteral("other.example.invalid"));
}

void TestSandboxFaults::setFaults_isVisibleThroughAdmin()
{
    Faults faults;
    faults.latencyMs = 11;
    faults.errorNext = 4;
    faults.dropAfterCommitRate = 0.5;
    m_sandbox.setFaults(faults);
    const HttpResponse response = m_admin->get(m_sandbox.adminUrl());
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("latency_ms")).toInt(), 11);
    QCOMPARE(response.json().value(QLatin1String("error_next")).toInt(), 4);
    QCOMPARE(response.json().value(QLatin1String("drop_after_commit_rate")).toDouble(), 0.5);
}

void TestSandboxFaults::admin_withoutAdminToken_isRefused_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    for (const QString &who :
         { QStringLiteral("no token"), QStringLiteral("normal token"),
           QStringLiteral("read-only token"), QStringLiteral("unknown token") }) {
        QTest::addRow("GET faults, %s", qPrintable(who))
            << who << QByteArray("GET") << QStringLiteral("_sandbox/faults");
        QTest::addRow("PUT faults, %s", qPrintable(who))
            << who << QByteArray("PUT") << QStringLiteral("_sandbox/faults");
        QTest::addRow("PUT clock, %s", qPrintable(who))
            << who << QByteArray("PUT") << QStringLiteral("_sandbox/clock");
    }
}

void TestSandboxFaults::admin_withoutAdminToken_isRefused()
{
    QFETCH(QString, who);
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QByteArray token;
    if (who == QLatin1String("normal token"))
        token = m_sandbox.token();
    else if (who == QLatin1String("read-only token"))
        token = m_sandbox.readOnlyToken();
    else if (who == QLatin1String("unknown token"))
        token = "0123456789abcdef0123456789abcdef01234567";
    HttpClient client(token);

    const QJsonObject body = path.endsWith(QLatin1String("clock"))
        ? QJsonObject { { QStringLiteral("now"), QStringLiteral("2030-01-01T00:00:00Z") } }
        : QJsonObject { { QStringLiteral("error_rate"), 1.0 } };
    const HttpResponse response
        = client.send(verb, m_sandbox.originUrl(path), verb == "PUT" ? compact(body) : QByteArray(),
                      verb == "PUT" ? QByteArray("application/json") : QByteArray());
    if (token.isEmpty())
        QCOMPARE(response.status, 401);
    else
        QVERIFY2(response.status == 401 || response.status == 403,
                 qPrintable(QString::number(response.status)));
    QVERIFY2(response.isJson(), response.body.constData());
    QVERIFY(!response.detail().isEmpty());

    // Nothing changed: the API still answers, with the real clock.
    QCOMPARE(m_sandbox.faults().errorRate, 0.0);
    const HttpResponse created
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")),
                             candidateBody(uniqueEmail(QStringLiteral("adm"))));
    QCOMPARE(created.status, 201);
    QVERIFY(!created.json()
                 .value(QLatin1String("created_at"))
                 .toString()
                 .startsWith(QLatin1String("2030-")));
}

void TestSandboxFaults::admin_putInvalidShapeKnob_returns400AndChangesNothing_data()
{
    QTest::addColumn<QJsonObject>("knobs");
    const auto knob = [](const char *name, const QJsonValue &value) {
        return QJsonObject { { QLatin1String(name), value } };
    };
    QTest::newRow("list_shape unknown") << knob("list_shape", QStringLiteral("pages"));
    QTest::newRow("list_shape in capitals") << knob("list_shape", QStringLiteral("CURSOR"));
    QTest::newRow("list_shape a number") << knob("list_shape", 1);
    QTest::newRow("list_shape null") << knob("list_shape", QJsonValue::Null);
    QTest::newRow("auth_failure_status 500") << knob("auth_failure_status", 500);
    QTest::newRow("auth_failure_status 0") << knob("auth_failure_status", 0);
    QTest::newRow("too_large_style unknown") << knob("too_large_style", QStringLiteral("apache"));
    QTest::newRow("a good knob beside a bad one")
        << QJsonObject { { QStringLiteral("latency_ms"), 7 },
                         { QStringLiteral("list_shape"), QStringLiteral("pages") } };
}

void TestSandboxFaults::admin_putInvalidShapeKnob_returns400AndChangesNothing()
{
    QFETCH(QJsonObject, knobs);
    const HttpResponse before = m_admin->get(m_sandbox.adminUrl());
    QCOMPARE(before.status, 200);
    const HttpResponse response = m_admin->putJson(m_sandbox.adminUrl(), knobs);
    QCOMPARE(response.status, 400);
    QVERIFY2(response.isJson() && !response.detail().isEmpty(), response.body.constData());
    QCOMPARE(compact(m_admin->get(m_sandbox.adminUrl()).json()), compact(before.json()));
    const HttpResponse jobs = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(jobs.status, 200);
    QVERIFY(jobs.json().contains(QLatin1String("count")));
}

// --- the knobs ----------------------------------------------------------------

void TestSandboxFaults::errorNext_answers500ThenRecovers_data()
{
    addVia();
}

void TestSandboxFaults::errorNext_answers500ThenRecovers()
{
    applyFaults(QJsonObject { { QStringLiteral("error_next"), 2 } });
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 500);
    const QString email = uniqueEmail(QStringLiteral("err"));
    QCOMPARE(m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")), candidateBody(email))
                 .status,
             500);
    QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);
    QCOMPARE(countByEmail(email), 0); // the failed create made nothing
    QCOMPARE(m_sandbox.faults().errorNext, 0);
}

void TestSandboxFaults::errorNext_appliesOnlyAfterAuthenticationAndToApiPaths_data()
{
    addVia();
}

void TestSandboxFaults::errorNext_appliesOnlyAfterAuthenticationAndToApiPaths()
{
    applyFaults(QJsonObject { { QStringLiteral("error_next"), 1 } });
    if (QTest::currentTestFailed())
        return;
    HttpClient anonymous;
    QCOMPARE(anonymous.get(m_sandbox.url(QStringLiteral("jobs/"))).status, 401);
    HttpClient stranger("0123456789abcdef0123456789abcdef01234567");
    QCOMPARE(stranger.get(m_sandbox.url(QStringLiteral("jobs/"))).status, 401);
    const HttpResponse admin = m_admin->get(m_sandbox.adminUrl());
    QCOMPARE(admin.status, 200);
    QCOMPARE(admin.json().value(QLatin1String("error_next")).toInt(), 1); // not consumed

    QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 500);
    QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);
}

void TestSandboxFaults::errorRate_one_answers500UntilTurnedOff_data()
{
    addVia();
}

void TestSandboxFaults::errorRate_one_answers500UntilTurnedOff()
{
    applyFaults(QJsonObject { { QStringLiteral("error_rate"), 1.0 } });
    if (QTest::currentTestFailed())
        return;
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 500);
    QCOMPARE(m_admin->get(m_sandbox.adminUrl()).status,
             200); // the admin endpoint is not an API path
    applyFaults(QJsonObject { { QStringLiteral("error_rate"), 0.0 } });
    QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);
}

void TestSandboxFaults::throttle_answers429WithRetryAfter_data()
{
    addVia();
}

void TestSandboxFaults::throttle_answers429WithRetryAfter()
{
    applyFaults(QJsonObject { { QStringLiteral("throttle_per_second"), 1 } });
    if (QTest::currentTestFailed())
        return;
    // One request a second is allowed. With the clock frozen every request falls
    // in the same second; should the throttle run on a real timer instead, one of
    // many requests made in a row is still throttled on any machine.
    const HttpResponse frozen = m_admin->putJson(
        m_sandbox.clockUrl(),
        QJsonObject { { QStringLiteral("now"), QStringLiteral("2026-11-29T12:00:00Z") } });
    QCOMPARE(frozen.status, 200);
    HttpResponse throttled;
    for (int i = 0; i < 50 && throttled.status != 429; ++i) {
        const HttpResponse response = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
        QVERIFY2(response.status == 200 || response.status == 429, response.body.constData());
        if (response.status == 429)
            throttled = response;
    }
    QCOMPARE(throttled.status, 429);
    bool ok = false;
    const int retryAfter = throttled.header("Retry-After").toInt(&ok);
    QVERIFY2(ok && retryAfter >= 1, throttled.header("Retry-After").constData());
    // The contract's text; DRF says "1 second." in the singular, accepted too.
    const QString plural
        = QStringLiteral("Request was throttled. Expected available in %1 seconds.")
              .arg(retryAfter);
    const QString singular
        = QStringLiteral("Request was throttled. Expected available in %1 second.").arg(retryAfter);
    QVERIFY2(throttled.detail() == plural || (retryAfter == 1 && throttled.detail() == singular),
             throttled.body.constData());

    applyFaults(QJsonObject { { QStringLiteral("throttle_per_second"), 0 } });
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);
}

void TestSandboxFaults::throttle_withFrozenClock_keepsCountingInRealTime()
{
    // The throttle counts on a monotonic clock: a frozen test clock, under which
    // every request seems to come in the same instant, must not fill the window
    // for good, and moving the frozen clock back must not either. latency_ms
    // spaces the requests (each answer comes at least 125 ms after its request
    // is counted), so at most 8 of them fall in any second, under the limit of
    // 10, on any machine: none is throttled. Had the frozen clock been the one
    // counted, the 11th would have been. A sandbox of its own, so no request of
    // another test is in the window.
    SandboxFixture sandbox;
    QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());
    HttpClient admin(sandbox.adminToken());
    const HttpResponse knobs
        = admin.putJson(sandbox.adminUrl(),
                        QJsonObject { { QStringLiteral("throttle_per_second"), 10 },
                                      { QStringLiteral("latency_ms"), 125 } });
    QCOMPARE(knobs.status, 200);
    for (const char *now : { "2026-11-29T12:00:00Z", "2025-11-29T12:00:00Z" }) {
        const HttpResponse frozen = admin.putJson(
            sandbox.clockUrl(), QJsonObject { { QStringLiteral("now"), QLatin1String(now) } });
        QCOMPARE(frozen.status, 200);
        for (int i = 0; i < 12; ++i) {
            const HttpResponse response = client.get(sandbox.url(QStringLiteral("jobs/")));
            QVERIFY2(response.status == 200,
                     qPrintable(QStringLiteral("clock frozen at %1, request %2: %3 %4")
                                    .arg(QLatin1String(now))
                                    .arg(i + 1)
                                    .arg(response.status)
                                    .arg(QString::fromUtf8(response.body))));
        }
    }
}

void TestSandboxFaults::throttle_afterFrozenClockMovesBack_retryAfterStaysWithinASecond()
{
    // With one request a second allowed, a 429's wait is never more than a
    // second, even when the frozen clock moved back a year since the request
    // that fills the window. A sandbox of its own, so that request is the first.
    SandboxFixture sandbox;
    QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());
    HttpClient admin(sandbox.adminToken());
    const auto freeze = [&](const QString &now) {
        return admin.putJson(sandbox.clockUrl(), QJsonObject { { QStringLiteral("now"), now } })
            .status;
    };
    QCOMPARE(freeze(QStringLiteral("2026-11-29T12:00:00Z")), 200);
    QCOMPARE(admin
                 .putJson(sandbox.adminUrl(),
                          QJsonObject { { QStringLiteral("throttle_per_second"), 1 } })
                 .status,
             200);
    QCOMPARE(client.get(sandbox.url(QStringLiteral("jobs/"))).status, 200);
    QCOMPARE(freeze(QStringLiteral("2025-11-29T12:00:00Z")), 200);

    HttpResponse throttled;
    for (int i = 0; i < 50 && throttled.status != 429; ++i) {
        const HttpResponse response = client.get(sandbox.url(QStringLiteral("jobs/")));
        QVERIFY2(response.status == 200 || response.status == 429, response.body.constData());
        if (response.status == 429)
            throttled = response;
    }
    QCOMPARE(throttled.status, 429);
    QCOMPARE(throttled.header("Retry-After"), QByteArrayLiteral("1"));
    QCOMPARE(throttled.detail(),
             QStringLiteral("Request was throttled. Expected available in 1 second."));
}

void TestSandboxFaults::dropAfterCommitNext_closesWithoutAnswerButCommitsCreate_data()
{
    addVia();
}

void TestSandboxFaults::dropAfterCommitNext_closesWithoutAnswerButCommitsCreate()
{
    applyFaults(QJsonObject { { QStringLiteral("drop_after_commit_next"), 1 } });
    if (QTest::currentTestFailed())
        return;
    // A read is not a commit: it is answered and leaves the counter alone.
    QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);

    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("drop")));
    const QByteArray key = "drop-key-" + QByteArray(QTest::currentDataTag()).replace(' ', '-');
    const QByteArray answer = rawCreate(body, key);
    QVERIFY2(answer.isEmpty(), answer.left(300).constData());

    const QString email = body.value(QLatin1String("email")).toString();
    const HttpResponse lookup
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 1);
    const qint64 id = lookup.json()
                          .value(QLatin1String("results"))
                          .toArray()
                          .first()
                          .toObject()
                          .value(QLatin1String("id"))
                          .toInteger();

    // The client's retry with the same key gets the answer it lost.
    const HttpResponse retry
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")), body,
                             { { QByteArrayLiteral("Idempotency-Key"), key } });
    QCOMPARE(retry.status, 201);
    QCOMPARE(retry.header("Idempotent-Replayed"), QByteArrayLiteral("true"));
    QCOMPARE(idOf(retry), id);
    QCOMPARE(countByEmail(email), 1);

    // The fault was used up.
    const QByteArray next = rawCreate(candidateBody(uniqueEmail(QStringLiteral("drop"))));
    QCOMPARE(rawStatus(next), 201);
}

void TestSandboxFaults::dropAfterCommitNext_onUpdate_commitsTheUpdate_data()
{
    addVia();
}

void TestSandboxFaults::dropAfterCommitNext_onUpdate_commitsTheUpdate()
{
    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("dropupd")));
    const HttpResponse created
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")), body);
    QCOMPARE(created.status, 201);
    applyFaults(QJsonObject { { QStringLiteral("drop_after_commit_next"), 1 } });
    if (QTest::currentTestFailed())
        return;

    QJsonObject edit = body;
    edit.insert(QStringLiteral("name"), QStringLiteral("Ada King, Countess of Lovelace"));
    const QByteArray json = compact(edit);
    const QByteArray request = "PUT /api/v1/" + candidatePath(idOf(created)).toLatin1()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token " + m_sandbox.token()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size())
        + "\r\n\r\n" + json;
    const QByteArray answer = rawExchange(m_sandbox.port(), request);
    QVERIFY2(answer.isEmpty(), answer.left(300).constData());

    const HttpResponse read = m_client->get(m_sandbox.url(candidatePath(idOf(created))));
    QCOMPARE(read.status, 200);
    QCOMPARE(read.json().value(QLatin1String("name")).toString(),
             edit.value(QLatin1String("name")).toString());
}

void TestSandboxFaults::dropAfterCommitRate_one_dropsWritesButNotReads_data()
{
    addVia();
}

void TestSandboxFaults::dropAfterCommitRate_one_dropsWritesButNotReads()
{
    applyFaults(QJsonObject { { QStringLiteral("drop_after_commit_rate"), 1.0 } });
    if (QTest::currentTestFailed())
        return;
    QStringList emails;
    for (int i = 0; i < 3; ++i) {
        emails.append(uniqueEmail(QStringLiteral("droprate")));
        const QByteArray answer = rawCreate(candidateBody(emails.last()));
        QVERIFY2(answer.isEmpty(), answer.left(300).constData());
        QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);
    }
    for (const QString &email : emails)
        QCOMPARE(countByEmail(email), 1);

    applyFaults(QJsonObject { { QStringLiteral("drop_after_commit_rate"), 0.0 } });
    QCOMPARE(rawStatus(rawCreate(candidateBody(uniqueEmail(QStringLiteral("droprate"))))), 201);
}

void TestSandboxFaults::redirectTo_answers307ToTheOtherOrigin_data()
{
    addVia();
}

void TestSandboxFaults::redirectTo_answers307ToTheOtherOrigin()
{
    const QUrl other(QStringLiteral("https://candidates.example.invalid:8443"));
    applyFaults(QJsonObject { { QStringLiteral("redirect_to"), other.toString() } });
    if (QTest::currentTestFailed())
        return;

    const HttpResponse jobs = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(jobs.status, 307);
    const QUrl location(QString::fromUtf8(jobs.header("Location")));
    QCOMPARE(location.scheme(), other.scheme());
    QCOMPARE(location.host(), other.host());
    QCOMPARE(location.port(), other.port());

    const QString email = uniqueEmail(QStringLiteral("redirect"));
    const HttpResponse create
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")), candidateBody(email));
    QCOMPARE(create.status, 307);
    QCOMPARE(QUrl(QString::fromUtf8(create.header("Location"))).host(), other.host());

    HttpClient anonymous;
    QCOMPARE(anonymous.get(m_sandbox.url(QStringLiteral("jobs/"))).status, 401);
    QCOMPARE(m_admin->get(m_sandbox.adminUrl()).status, 200);

    applyFaults(QJsonObject { { QStringLiteral("redirect_to"), QString() } });
    QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);
    QCOMPARE(countByEmail(email), 0); // the redirected create made nothing
}

void TestSandboxFaults::latency_answerStillArrives_data()
{
    addVia();
}

void TestSandboxFaults::latency_answerStillArrives()
{
    applyFaults(QJsonObject { { QStringLiteral("latency_ms"), 250 } });
    if (QTest::currentTestFailed())
        return;
    const HttpResponse jobs = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(jobs.status, 200);
    QVERIFY(jobs.isJson());
    const HttpResponse created
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")),
                             candidateBody(uniqueEmail(QStringLiteral("slow"))));
    QCOMPARE(created.status, 201);
    QCOMPARE(m_admin->get(m_sandbox.adminUrl()).json().value(QLatin1String("latency_ms")).toInt(),
             250);
}

void TestSandboxFaults::clock_now_freezesTimestampsUntilReleased()
{
    const QDateTime frozen = parseUtc(QStringLiteral("2030-01-01T00:00:00Z"));
    HttpResponse response = m_admin->putJson(
        m_sandbox.clockUrl(),
        QJsonObject { { QStringLiteral("now"), QStringLiteral("2030-01-01T00:00:00Z") } });
    QVERIFY2(response.status == 200, response.body.constData());

    const QUrl candidates = m_sandbox.url(QStringLiteral("candidates/"));
    response = m_client->postJson(candidates, candidateBody(uniqueEmail(QStringLiteral("clock"))));
    QCOMPARE(response.status, 201);
    QCOMPARE(parseUtc(response.json().value(QLatin1String("created_at")).toString()), frozen);

    response = m_admin->putJson(m_sandbox.clockUrl(),
                                QJsonObject { { QStringLiteral("advance_seconds"), 90 } });
    QVERIFY2(response.status == 200, response.body.constData());
    response = m_client->postJson(candidates, candidateBody(uniqueEmail(QStringLiteral("clock"))));
    QCOMPARE(parseUtc(response.json().value(QLatin1String("created_at")).toString()),
             frozen.addSecs(90));

    response = m_admin->putJson(m_sandbox.clockUrl(),
                                QJsonObject { { QStringLiteral("now"), QJsonValue::Null } });
    QVERIFY2(response.status == 200, response.body.constData());
    response = m_client->postJson(candidates, candidateBody(uniqueEmail(QStringLiteral("clock"))));
    QCOMPARE(response.status, 201);
    QVERIFY(parseUtc(response.json().value(QLatin1String("created_at")).toString()).date().year()
            < 2030);
}

// --- deployment shapes ----------------------------------------------------------

void TestSandboxFaults::listShape_cursor_hasNoCountAndNextVisitsEveryJobOnce_data()
{
    addVia();
}

void TestSandboxFaults::listShape_cursor_hasNoCountAndNextVisitsEveryJobOnce()
{
    const HttpResponse all = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=all")));
    QCOMPARE(all.status, 200);
    const QList<qint64> expected = idsOf(all.json().value(QLatin1String("results")).toArray());
    QVERIFY(expected.size() > 4);

    applyFaults(QJsonObject { { QStringLiteral("list_shape"), QStringLiteral("cursor") } });
    if (QTest::currentTestFailed())
        return;
    QUrl url = m_sandbox.url(QStringLiteral("jobs/?status=all&page_size=3"));
    QList<qint64> seen;
    int pages = 0;
    while (url.isValid()) {
        QVERIFY2(++pages <= expected.size(), "next never becomes null");
        const HttpResponse response = m_client->get(url);
        QCOMPARE(response.status, 200);
        const QJsonObject page = response.json();
        QVERIFY2(!page.contains(QLatin1String("count")), response.body.left(300).constData());
        QVERIFY(page.value(QLatin1String("results")).isArray());
        seen += idsOf(page.value(QLatin1String("results")).toArray());
        const QJsonValue next = page.value(QLatin1String("next"));
        if (pages == 1) {
            QVERIFY(page.value(QLatin1String("previous")).isNull());
            const QUrl second(next.toString());
            QCOMPARE(QUrlQuery(second).queryItemValue(QStringLiteral("cursor")),
                     QStringLiteral("2"));
            QCOMPARE(QUrlQuery(second).queryItemValue(QStringLiteral("status")),
                     QStringLiteral("all"));
            QCOMPARE(second.host(), QStringLiteral("127.0.0.1"));
            QCOMPARE(second.port(), int(m_sandbox.port()));
        } else {
            QVERIFY2(page.value(QLatin1String("previous")).isString(),
                     response.body.left(300).constData());
        }
        url = next.isNull() ? QUrl() : QUrl(next.toString());
    }
    QCOMPARE(seen, expected);
    QCOMPARE(pages, int((expected.size() + 2) / 3));
}

void TestSandboxFaults::listShape_array_answersAPlainArrayOfEveryItem_data()
{
    addVia();
}

void TestSandboxFaults::listShape_array_answersAPlainArrayOfEveryItem()
{
    const QString email = uniqueEmail(QStringLiteral("array"));
    const HttpResponse created
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")), candidateBody(email));
    QCOMPARE(created.status, 201);
    const HttpResponse all = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=all")));
    QCOMPARE(all.status, 200);
    const QList<qint64> expected = idsOf(all.json().value(QLatin1String("results")).toArray());

    applyFaults(QJsonObject { { QStringLiteral("list_shape"), QStringLiteral("array") } });
    if (QTest::currentTestFailed())
        return;
    // Every job in one array, even with a page size asked for.
    const HttpResponse jobs
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=all&page_size=2")));
    QCOMPARE(jobs.status, 200);
    QVERIFY2(jobs.jsonDocument().isArray(), jobs.body.left(300).constData());
    QCOMPARE(idsOf(jobs.jsonDocument().array()), expected);

    const HttpResponse candidates
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    QCOMPARE(candidates.status, 200);
    QVERIFY2(candidates.jsonDocument().isArray(), candidates.body.left(300).constData());
    QCOMPARE(candidates.jsonDocument().array().size(), 1);
    QCOMPARE(compact(candidates.jsonDocument().array().first()), compact(created.json()));
}

void TestSandboxFaults::listShape_array_ignoresPageParameters()
{
    // Without pagination DRF never reads "page": no page can be past the end.
    const HttpResponse all = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(all.status, 200);
    const QList<qint64> expected = idsOf(all.json().value(QLatin1String("results")).toArray());
    QCOMPARE(
        m_admin
            ->putJson(m_sandbox.adminUrl(),
                      QJsonObject { { QStringLiteral("list_shape"), QStringLiteral("array") } })
            .status,
        200);
    for (const char *query : { "jobs/?page=2", "jobs/?page=999", "jobs/?page=abc" }) {
        const HttpResponse response = m_client->get(m_sandbox.url(QLatin1String(query)));
        QVERIFY2(response.status == 200,
                 qPrintable(QLatin1String(query) + QLatin1Char(' ')
                            + QString::fromUtf8(response.body.left(300))));
        QCOMPARE(idsOf(response.jsonDocument().array()), expected);
    }
}

void TestSandboxFaults::authFailureStatus403_answers403WithoutChallenge_data()
{
    addVia();
}

void TestSandboxFaults::authFailureStatus403_answers403WithoutChallenge()
{
    // DRF answers 403 (with the same detail) when its first authentication class
    // has no challenge to offer; the contract's client reads that as a bad token.
    applyFaults(QJsonObject { { QStringLiteral("auth_failure_status"), 403 } });
    if (QTest::currentTestFailed())
        return;
    const struct
    {
        QByteArray token;
        QString detail;
    } cases[] = {
        { "0123456789abcdef0123456789abcdef01234567", QStringLiteral("Invalid token.") },
        { QByteArray(), QStringLiteral("Authentication credentials were not provided.") },
        { m_sandbox.adminToken(), QStringLiteral("Invalid token.") }, // not an API token
    };
    for (const auto &c : cases) {
        HttpClient client(c.token);
        const HttpResponse jobs = client.get(m_sandbox.url(QStringLiteral("jobs/")));
        QCOMPARE(jobs.status, 403);
        QCOMPARE(compact(jobs.json()),
                 compact(QJsonObject { { QStringLiteral("detail"), c.detail } }));
        QVERIFY2(!jobs.hasHeader("WWW-Authenticate"), jobs.header("WWW-Authenticate").constData());

        const HttpResponse create
            = client.postJson(m_sandbox.url(QStringLiteral("candidates/")),
                              candidateBody(uniqueEmail(QStringLiteral("auth403"))));
        QCOMPARE(create.status, 403);
        QCOMPARE(create.detail(), c.detail);
    }
    // A good token is untouched by the knob.
    QCOMPARE(m_client->get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);
}

void TestSandboxFaults::tooLargeStyle_answersAsTheDeploymentWould_data()
{
    QTest::addColumn<QString>("style");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("html");
    QTest::newRow("json: the contract's 413") << QStringLiteral("json") << 413 << false;
    QTest::newRow("nginx: an HTML 413") << QStringLiteral("nginx") << 413 << true;
    QTest::newRow("django: a bare HTML 400") << QStringLiteral("django") << 400 << true;
}

void TestSandboxFaults::tooLargeStyle_answersAsTheDeploymentWould()
{
    QFETCH(QString, style);
    QFETCH(int, status);
    QFETCH(bool, html);
    SandboxFixture sandbox; // a smaller limit keeps the bodies small
    cdesk::sandbox::Options options;
    options.maxResumeBytes = 1024 * 1024;
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());
    HttpClient admin(sandbox.adminToken());
    const HttpResponse knob = admin.putJson(
        sandbox.adminUrl(), QJsonObject { { QStringLiteral("too_large_style"), style } });
    QCOMPARE(knob.status, 200);

    const QString email = uniqueEmail(QStringLiteral("toolarge"));
    const MultipartBuilder builder
        = candidateMultipart(email, "cv.pdf", minimalPdf("too large", options.maxResumeBytes + 1));
    const HttpResponse response = client.send("POST", sandbox.url(QStringLiteral("candidates/")),
                                              builder.body(), builder.contentType());
    QCOMPARE(response.status, status);
    if (html) {
        QVERIFY2(response.header("Content-Type").startsWith("text/html"),
                 response.header("Content-Type").constData());
        QVERIFY2(!response.isJson(), response.body.constData());
        QVERIFY2(response.body.contains("<html"), response.body.constData());
    } else {
        QCOMPARE(response.detail(), QStringLiteral("Resume file too large. Maximum size is 1 MB."));
    }

    const HttpResponse lookup
        = client.get(sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 0);
}

void TestSandboxFaults::tooLargeStyleNginx_appliesToABodyRefusedByItsLength()
{
    // Behind nginx, the body that is refused by its Content-Length alone
    // (client_max_body_size) is exactly the one nginx answers with its HTML page.
    QCOMPARE(m_admin
                 ->putJson(
                     m_sandbox.adminUrl(),
                     QJsonObject { { QStringLiteral("too_large_style"), QStringLiteral("nginx") } })
                 .status,
             200);
    const QByteArray request = "POST /api/v1/candidates/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Authorization: Token "
        + m_sandbox.token()
        + "\r\nContent-Type: multipart/form-data; boundary=x\r\n"
          "Content-Length: 1073741824\r\n\r\n";
    const QByteArray response = rawExchange(m_sandbox.port(), request);
    QCOMPARE(rawStatus(response), 413);
    QVERIFY2(rawHeader(response, "Content-Type").startsWith("text/html"), response.constData());
    QVERIFY2(rawBody(response).contains("<html"), response.constData());
}

QTEST_GUILESS_MAIN(TestSandboxFaults)
#include "tst_sandbox_faults.moc"
