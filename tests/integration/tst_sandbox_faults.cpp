// The sandbox's fault knobs, each set at run time both through the admin
// endpoint (PUT <origin>/_sandbox/faults) and through SandboxServer::setFaults:
// 500s, 429 with Retry-After, a connection dropped after the commit, a 307 to
// another origin, latency. Faults apply to API paths only, after authentication.

#include "SandboxFixture.h"
#include "TestData.h"

#include <QJsonArray>
#include <QTest>

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
};

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

    void errorNext_answers500ThenRecovers_data();
    void errorNext_answers500ThenRecovers();
    void errorNext_appliesOnlyAfterAuthenticationAndToApiPaths_data();
    void errorNext_appliesOnlyAfterAuthenticationAndToApiPaths();
    void errorRate_one_answers500UntilTurnedOff_data();
    void errorRate_one_answers500UntilTurnedOff();
    void throttle_answers429WithRetryAfter_data();
    void throttle_answers429WithRetryAfter();
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

QTEST_GUILESS_MAIN(TestSandboxFaults)
#include "tst_sandbox_faults.moc"
