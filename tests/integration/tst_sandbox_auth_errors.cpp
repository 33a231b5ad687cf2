// The sandbox's authentication and error answers against the contract: 401
// with WWW-Authenticate, 403 for a read-only token (which reads jobs only),
// 404/405/409/415/422 with their exact DRF bodies, and the Idempotency-Key
// rules: 24-hour retention on the frozen clock, the same record as JSON or
// multipart is the same request, and the key's bytes count as sent.

#include "SandboxFixture.h"
#include "TestData.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace cdesk::test;

namespace {

const QString notProvided = QStringLiteral("Authentication credentials were not provided.");
const QString invalidToken = QStringLiteral("Invalid token.");
const QString noPermission = QStringLiteral("You do not have permission to perform this action.");
const QString keyReused = QStringLiteral("Idempotency-Key reused with a different request.");

QSet<QString> allowedMethods(const HttpResponse &response)
{
    QSet<QString> methods;
    const QList<QByteArray> parts = response.header("Allow").split(',');
    for (const QByteArray &part : parts) {
        if (!part.trimmed().isEmpty())
            methods.insert(QString::fromLatin1(part.trimmed()).toUpper());
    }
    return methods;
}

HeaderList idempotencyKey(const QByteArray &key)
{
    return { { QByteArrayLiteral("Idempotency-Key"), key } };
}

} // namespace

class TestSandboxAuthErrors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void request_withoutToken_returns401NotProvided_data();
    void request_withoutToken_returns401NotProvided();
    void request_withOtherScheme_returns401NotProvided();
    void request_withBadToken_returns401InvalidToken_data();
    void request_withBadToken_returns401InvalidToken();
    void readOnlyToken_readsJobsOnly();
    void readOnlyToken_writes_returns403_data();
    void readOnlyToken_writes_returns403();
    void request_withWrongMethod_returns405WithAllow_data();
    void request_withWrongMethod_returns405WithAllow();
    void request_toUnknownPath_returns404Json_data();
    void request_toUnknownPath_returns404Json();
    void create_withUnsupportedContentType_returns415_data();
    void create_withUnsupportedContentType_returns415();
    void create_withExistingEmail_returns409WithExistingId_data();
    void create_withExistingEmail_returns409WithExistingId();
    void create_withReplayedKey_returnsSameCandidate();
    void create_withReplayedKeyOfMultipart_returnsSameCandidate();
    void create_replayedInTheOtherBodyForm_isReplayed_data();
    void create_replayedInTheOtherBodyForm_isReplayed();
    void create_withReusedKeyAndDifferentBody_returns422();
    void create_withDifferentKeys_createsSeparately();
    void create_withLongestKey_isAccepted();
    void create_withKeysDifferingOnlyInNonUtf8Bytes_keepsThemApart();
    void idempotencyKey_isKept24HoursOnTheFrozenClock();

private:
    SandboxFixture m_sandbox;
    std::unique_ptr<HttpClient> m_client;
    qint64 m_existingId = -1;
};

void TestSandboxAuthErrors::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_client = std::make_unique<HttpClient>(m_sandbox.token());
    const HttpResponse created
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")),
                             candidateBody(uniqueEmail(QStringLiteral("base"))));
    QCOMPARE(created.status, 201);
    m_existingId = idOf(created);
}

void TestSandboxAuthErrors::request_withoutToken_returns401NotProvided_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::newRow("GET jobs") << QByteArray("GET") << QStringLiteral("jobs/");
    QTest::newRow("GET candidates by email")
        << QByteArray("GET") << QStringLiteral("candidates/?email=a%40example.com");
    QTest::newRow("GET a candidate") << QByteArray("GET") << QStringLiteral("candidates/1/");
    QTest::newRow("POST a candidate") << QByteArray("POST") << QStringLiteral("candidates/");
    QTest::newRow("PUT a candidate") << QByteArray("PUT") << QStringLiteral("candidates/1/");
}

void TestSandboxAuthErrors::request_withoutToken_returns401NotProvided()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    HttpClient anonymous;
    const QByteArray body = verb == "GET"
        ? QByteArray()
        : compact(candidateBody(uniqueEmail(QStringLiteral("anonymous"))));
    const HttpResponse response = anonymous.send(
        verb, m_sandbox.url(path), body, body.isEmpty() ? QByteArray() : "application/json");
    QCOMPARE(response.status, 401);
    QCOMPARE(response.detail(), notProvided);
    QCOMPARE(response.header("WWW-Authenticate"), QByteArrayLiteral("Token"));
}

void TestSandboxAuthErrors::request_withOtherScheme_returns401NotProvided()
{
    // DRF's TokenAuthentication ignores other schemes: no credentials were given.
    HttpClient client;
    const HttpResponse response
        = client.get(m_sandbox.url(QStringLiteral("jobs/")),
                     { { QByteArrayLiteral("Authorization"), "Bearer " + m_sandbox.token() } });
    QCOMPARE(response.status, 401);
    QCOMPARE(response.detail(), notProvided);
    QCOMPARE(response.header("WWW-Authenticate"), QByteArrayLiteral("Token"));
}

void TestSandboxAuthErrors::request_withBadToken_returns401InvalidToken_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::newRow("unknown 40-hex token") << QByteArray("0123456789abcdef0123456789abcdef01234567");
    QTest::newRow("valid token with a character more") << m_sandbox.token() + 'x';
    QTest::newRow("valid token cut short") << m_sandbox.token().chopped(1);
    QTest::newRow("valid token in upper case") << m_sandbox.token().toUpper();
}

void TestSandboxAuthErrors::request_withBadToken_returns401InvalidToken()
{
    QFETCH(QByteArray, token);
    if (token == m_sandbox.token())
        QSKIP("the sandbox token has no letters to change case");
    HttpClient client(token);
    const HttpResponse jobs = client.get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(jobs.status, 401);
    QCOMPARE(jobs.detail(), invalidToken);
    QCOMPARE(jobs.header("WWW-Authenticate"), QByteArrayLiteral("Token"));

    const HttpResponse create = client.postJson(m_sandbox.url(QStringLiteral("candidates/")),
                                                candidateBody(uniqueEmail(QStringLiteral("bad"))));
    QCOMPARE(create.status, 401);
    QCOMPARE(create.detail(), invalidToken);
}

void TestSandboxAuthErrors::readOnlyToken_readsJobsOnly()
{
    // The contract: "A token may be limited to reading jobs". Candidates,
    // personal data, are off limits to it, even for reading.
    HttpClient client(m_sandbox.readOnlyToken());
    QCOMPARE(client.get(m_sandbox.url(QStringLiteral("jobs/"))).status, 200);
    for (const QString &path : { candidatePath(m_existingId), QStringLiteral("candidates/"),
                                 QStringLiteral("candidates/?email=x%40example.com") }) {
        const HttpResponse response = client.get(m_sandbox.url(path));
        QVERIFY2(response.status == 403, qPrintable(path));
        QCOMPARE(response.detail(), noPermission);
    }
}

void TestSandboxAuthErrors::readOnlyToken_writes_returns403_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<bool>("multipart");
    QTest::newRow("POST JSON") << QByteArray("POST") << false;
    QTest::newRow("POST multipart") << QByteArray("POST") << true;
    QTest::newRow("PUT JSON") << QByteArray("PUT") << false;
}

void TestSandboxAuthErrors::readOnlyToken_writes_returns403()
{
    QFETCH(QByteArray, verb);
    QFETCH(bool, multipart);
    HttpClient client(m_sandbox.readOnlyToken());
    const QString email = uniqueEmail(QStringLiteral("readonly"));
    const QUrl url = m_sandbox.url(verb == "PUT" ? candidatePath(m_existingId)
                                                 : QStringLiteral("candidates/"));
    const MultipartBuilder builder = candidateMultipart(email);
    const HttpResponse response = multipart
        ? client.send(verb, url, builder.body(), builder.contentType())
        : client.send(verb, url, compact(candidateBody(email)), "application/json");
    QCOMPARE(response.status, 403);
    QCOMPARE(response.detail(), noPermission);

    const HttpResponse lookup
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 0);
}

void TestSandboxAuthErrors::request_withWrongMethod_returns405WithAllow_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("allowed");
    QTest::newRow("DELETE a candidate")
        << QByteArray("DELETE") << QStringLiteral("candidates/%1/")
        << QStringList { QStringLiteral("GET"), QStringLiteral("PUT") };
    QTest::newRow("DELETE the candidate list")
        << QByteArray("DELETE") << QStringLiteral("candidates/")
        << QStringList { QStringLiteral("GET"), QStringLiteral("POST") };
    QTest::newRow("POST to a candidate")
        << QByteArray("POST") << QStringLiteral("candidates/%1/")
        << QStringList { QStringLiteral("GET"), QStringLiteral("PUT") };
    QTest::newRow("POST jobs") << QByteArray("POST") << QStringLiteral("jobs/")
                               << QStringList { QStringLiteral("GET") };
    QTest::newRow("DELETE jobs") << QByteArray("DELETE") << QStringLiteral("jobs/")
                                 << QStringList { QStringLiteral("GET") };
}

void TestSandboxAuthErrors::request_withWrongMethod_returns405WithAllow()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(QStringList, allowed);
    if (path.contains(QLatin1String("%1")))
        path = path.arg(m_existingId);
    const QByteArray body
        = verb == "POST" ? compact(candidateBody(uniqueEmail(QStringLiteral("m")))) : QByteArray();
    const HttpResponse response = m_client->send(
        verb, m_sandbox.url(path), body, body.isEmpty() ? QByteArray() : "application/json");
    QCOMPARE(response.status, 405);
    QCOMPARE(response.detail(),
             QStringLiteral("Method \"%1\" not allowed.").arg(QString::fromLatin1(verb)));
    const QSet<QString> methods = allowedMethods(response);
    for (const QString &method : allowed)
        QVERIFY2(methods.contains(method), response.header("Allow").constData());
    QVERIFY2(!methods.contains(QString::fromLatin1(verb)), response.header("Allow").constData());
    QCOMPARE(m_client->get(m_sandbox.url(candidatePath(m_existingId))).status, 200);
}

void TestSandboxAuthErrors::request_toUnknownPath_returns404Json_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("unknown resource") << QStringLiteral("nothing-here/");
    QTest::newRow("unknown candidate id") << QStringLiteral("candidates/999999/");
    QTest::newRow("candidate id not a number") << QStringLiteral("candidates/abc/");
    QTest::newRow("a job by id (not in the API)") << QStringLiteral("jobs/1/");
    QTest::newRow("deeper path") << QStringLiteral("candidates/1/resume/x/");
}

void TestSandboxAuthErrors::request_toUnknownPath_returns404Json()
{
    QFETCH(QString, path);
    const HttpResponse response = m_client->get(m_sandbox.url(path));
    QCOMPARE(response.status, 404);
    QVERIFY2(response.isJson(), response.body.constData());
    QCOMPARE(response.detail(), QStringLiteral("Not found."));
}

void TestSandboxAuthErrors::create_withUnsupportedContentType_returns415_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("POST text/plain") << QByteArray("POST") << QByteArray("text/plain");
    QTest::newRow("POST application/xml") << QByteArray("POST") << QByteArray("application/xml");
    QTest::newRow("PUT text/plain") << QByteArray("PUT") << QByteArray("text/plain");
}

void TestSandboxAuthErrors::create_withUnsupportedContentType_returns415()
{
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, contentType);
    const QUrl url = m_sandbox.url(verb == "PUT" ? candidatePath(m_existingId)
                                                 : QStringLiteral("candidates/"));
    const HttpResponse response = m_client->send(
        verb, url, compact(candidateBody(uniqueEmail(QStringLiteral("mt")))), contentType);
    QCOMPARE(response.status, 415);
    QCOMPARE(response.detail(),
             QStringLiteral("Unsupported media type \"%1\" in request.")
                 .arg(QString::fromLatin1(contentType)));
}

void TestSandboxAuthErrors::create_withExistingEmail_returns409WithExistingId_data()
{
    QTest::addColumn<bool>("changeCase");
    QTest::addColumn<bool>("multipart");
    QTest::newRow("same address") << false << false;
    QTest::newRow("address in other case") << true << false;
    QTest::newRow("address in other case, multipart") << true << true;
}

void TestSandboxAuthErrors::create_withExistingEmail_returns409WithExistingId()
{
    QFETCH(bool, changeCase);
    QFETCH(bool, multipart);
    const QString email = uniqueEmail(QStringLiteral("dup"));
    const HttpResponse first
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")), candidateBody(email));
    QCOMPARE(first.status, 201);

    const QString again = changeCase ? email.toUpper() : email;
    const MultipartBuilder builder = candidateMultipart(again);
    const HttpResponse second = multipart
        ? m_client->send("POST", m_sandbox.url(QStringLiteral("candidates/")), builder.body(),
                         builder.contentType())
        : m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")), candidateBody(again));
    QCOMPARE(second.status, 409);
    QCOMPARE(
        compact(second.json()),
        compact(QJsonObject { { QStringLiteral("detail"),
                                QStringLiteral("A candidate with this email already exists.") },
                              { QStringLiteral("id"), idOf(first) } }));
}

void TestSandboxAuthErrors::create_withReplayedKey_returnsSameCandidate()
{
    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("replay")));
    const HeaderList key = idempotencyKey("7f3c2a9e-replay-json");
    const QUrl url = m_sandbox.url(QStringLiteral("candidates/"));

    const HttpResponse first = m_client->postJson(url, body, key);
    QCOMPARE(first.status, 201);
    QVERIFY(first.header("Idempotent-Replayed") != "true");

    for (int attempt = 0; attempt < 2; ++attempt) {
        const HttpResponse replay = m_client->postJson(url, body, key);
        QCOMPARE(replay.status, 201);
        QCOMPARE(replay.header("Idempotent-Replayed"), QByteArrayLiteral("true"));
        QCOMPARE(compact(replay.json()), compact(first.json()));
        QCOMPARE(replay.header("Location"), first.header("Location"));
    }

    const HttpResponse lookup
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=")
                                      + queryValue(body.value(QLatin1String("email")).toString())));
    QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 1);
}

void TestSandboxAuthErrors::create_withReplayedKeyOfMultipart_returnsSameCandidate()
{
    const QString email = uniqueEmail(QStringLiteral("replaymp"));
    const MultipartBuilder builder = candidateMultipart(email, "cv.pdf", minimalPdf("replayed"));
    const HeaderList key = idempotencyKey("7f3c2a9e-replay-multipart");
    const QUrl url = m_sandbox.url(QStringLiteral("candidates/"));

    const HttpResponse first
        = m_client->send("POST", url, builder.body(), builder.contentType(), key);
    QCOMPARE(first.status, 201);
    const HttpResponse replay
        = m_client->send("POST", url, builder.body(), builder.contentType(), key);
    QCOMPARE(replay.status, 201);
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArrayLiteral("true"));
    QCOMPARE(compact(replay.json()), compact(first.json()));
    QCOMPARE(filesWithContent(m_sandbox.dataDir(), minimalPdf("replayed")).size(), 1);
}

void TestSandboxAuthErrors::create_replayedInTheOtherBodyForm_isReplayed_data()
{
    // The same candidate sent as JSON and as multipart is the same request: a
    // client that falls back from one form to the other on a retry gets its
    // answer replayed, not a 422.
    QTest::addColumn<bool>("multipartFirst");
    QTest::newRow("JSON, then multipart") << false;
    QTest::newRow("multipart, then JSON") << true;
}

void TestSandboxAuthErrors::create_replayedInTheOtherBodyForm_isReplayed()
{
    QFETCH(bool, multipartFirst);
    const HttpResponse jobs = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(jobs.status, 200);
    const qint64 jobId = jobs.json()
                             .value(QLatin1String("results"))
                             .toArray()
                             .first()
                             .toObject()
                             .value(QLatin1String("id"))
                             .toInteger();
    QVERIFY(jobId > 0);

    const QString email = uniqueEmail(QStringLiteral("bothforms"));
    QJsonObject json = candidateBody(email);
    json.insert(QStringLiteral("job_id"), jobId);
    json.insert(QStringLiteral("source"), QStringLiteral("Referral"));
    json.insert(QStringLiteral("custom_fields"),
                QJsonObject { { QStringLiteral("github"), QStringLiteral("ada") },
                              { QStringLiteral("notes"), QStringLiteral("Met at the meetup.") } });
    MultipartBuilder multipart;
    multipart.field("name", json.value(QLatin1String("name")).toString().toUtf8())
        .field("email", email.toUtf8())
        .field("phone", json.value(QLatin1String("phone")).toString().toUtf8())
        .field("resume_url", json.value(QLatin1String("resume_url")).toString().toUtf8())
        .field("job_id", QByteArray::number(jobId))
        .field("source", QByteArray("Referral"))
        // The same object, its keys in another order and spaced differently.
        .field("custom_fields",
               QByteArray(R"({ "notes": "Met at the meetup.", "github": "ada" })"));

    const QUrl url = m_sandbox.url(QStringLiteral("candidates/"));
    const HeaderList key
        = idempotencyKey(multipartFirst ? "forms-multipart-first" : "forms-json-first");
    const auto sendJson = [&] {
        return m_client->postJson(url, json, key);
    };
    const auto sendMultipart = [&] {
        return m_client->send("POST", url, multipart.body(), multipart.contentType(), key);
    };

    const HttpResponse first = multipartFirst ? sendMultipart() : sendJson();
    QCOMPARE(first.status, 201);
    const HttpResponse replay = multipartFirst ? sendJson() : sendMultipart();
    QVERIFY2(replay.status == 201, replay.body.constData());
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArrayLiteral("true"));
    QCOMPARE(idOf(replay), idOf(first));
    QCOMPARE(compact(replay.json()), compact(first.json()));

    const HttpResponse lookup
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 1);
}

void TestSandboxAuthErrors::create_withReusedKeyAndDifferentBody_returns422()
{
    const HeaderList key = idempotencyKey("7f3c2a9e-changed");
    const QUrl url = m_sandbox.url(QStringLiteral("candidates/"));
    const HttpResponse first
        = m_client->postJson(url, candidateBody(uniqueEmail(QStringLiteral("k1"))), key);
    QCOMPARE(first.status, 201);

    const QString otherEmail = uniqueEmail(QStringLiteral("k2"));
    const HttpResponse changed = m_client->postJson(url, candidateBody(otherEmail), key);
    QCOMPARE(changed.status, 422);
    QCOMPARE(changed.detail(), keyReused);
    QVERIFY(changed.header("Idempotent-Replayed") != "true");

    const HttpResponse lookup = m_client->get(
        m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(otherEmail)));
    QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 0);
}

void TestSandboxAuthErrors::create_withDifferentKeys_createsSeparately()
{
    const QUrl url = m_sandbox.url(QStringLiteral("candidates/"));
    const HttpResponse first = m_client->postJson(
        url, candidateBody(uniqueEmail(QStringLiteral("sep"))), idempotencyKey("sep-key-1"));
    const HttpResponse second = m_client->postJson(
        url, candidateBody(uniqueEmail(QStringLiteral("sep"))), idempotencyKey("sep-key-2"));
    QCOMPARE(first.status, 201);
    QCOMPARE(second.status, 201);
    QVERIFY(idOf(first) != idOf(second));
}

void TestSandboxAuthErrors::create_withLongestKey_isAccepted()
{
    const QByteArray key(255, 'k');
    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("longkey")));
    const QUrl url = m_sandbox.url(QStringLiteral("candidates/"));
    const HttpResponse first = m_client->postJson(url, body, idempotencyKey(key));
    QCOMPARE(first.status, 201);
    const HttpResponse replay = m_client->postJson(url, body, idempotencyKey(key));
    QCOMPARE(replay.status, 201);
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArrayLiteral("true"));
}

void TestSandboxAuthErrors::create_withKeysDifferingOnlyInNonUtf8Bytes_keepsThemApart()
{
    // Keys are opaque bytes: two that differ only in bytes that are not UTF-8
    // must not collapse into one (as they would decoded with replacement
    // characters) and refuse the second create as a reuse.
    const QUrl url = m_sandbox.url(QStringLiteral("candidates/"));
    const QJsonObject firstBody = candidateBody(uniqueEmail(QStringLiteral("bytes")));
    const QJsonObject secondBody = candidateBody(uniqueEmail(QStringLiteral("bytes")));
    const QByteArray firstKey("bytes-key-\xff");
    const QByteArray secondKey("bytes-key-\xfe");

    const HttpResponse first = m_client->postJson(url, firstBody, idempotencyKey(firstKey));
    QCOMPARE(first.status, 201);
    const HttpResponse second = m_client->postJson(url, secondBody, idempotencyKey(secondKey));
    QVERIFY2(second.status == 201, second.body.constData());
    QVERIFY(second.header("Idempotent-Replayed") != "true");
    QVERIFY(idOf(second) != idOf(first));

    // Each key still replays its own answer.
    const HttpResponse replay = m_client->postJson(url, firstBody, idempotencyKey(firstKey));
    QCOMPARE(replay.status, 201);
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArrayLiteral("true"));
    QCOMPARE(idOf(replay), idOf(first));
}

void TestSandboxAuthErrors::idempotencyKey_isKept24HoursOnTheFrozenClock()
{
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.fixedNow = parseUtc(QStringLiteral("2026-11-29T12:00:00Z"));
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());
    HttpClient admin(sandbox.adminToken());
    const QUrl url = sandbox.url(QStringLiteral("candidates/"));
    const HeaderList key = idempotencyKey("retention-key");
    const auto advance = [&](int seconds) {
        return admin
            .putJson(sandbox.clockUrl(),
                     QJsonObject { { QStringLiteral("advance_seconds"), seconds } })
            .status;
    };

    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("retain")));
    QCOMPARE(client.postJson(url, body, key).status, 201);

    QCOMPARE(advance(23 * 3600), 200);
    HttpResponse response = client.postJson(url, body, key);
    QCOMPARE(response.status, 201);
    QCOMPARE(response.header("Idempotent-Replayed"), QByteArrayLiteral("true"));
    response = client.postJson(url, candidateBody(uniqueEmail(QStringLiteral("retain"))), key);
    QCOMPARE(response.status, 422);
    QCOMPARE(response.detail(), keyReused);

    QCOMPARE(advance(2 * 3600), 200); // 25 hours after the first use: the key is forgotten
    const QString laterEmail = uniqueEmail(QStringLiteral("retain"));
    response = client.postJson(url, candidateBody(laterEmail), key);
    QCOMPARE(response.status, 201);
    QVERIFY(response.header("Idempotent-Replayed") != "true");
    QCOMPARE(response.json().value(QLatin1String("email")).toString(), laterEmail);
    QCOMPARE(parseUtc(response.json().value(QLatin1String("created_at")).toString()),
             options.fixedNow.addSecs(25 * 3600));

    // The original body under the key again: its candidate exists, so a plain 409.
    response = client.postJson(url, body, idempotencyKey("retention-key-2"));
    QCOMPARE(response.status, 409);

    // Back to the real clock.
    const HttpResponse real = admin.putJson(
        sandbox.clockUrl(), QJsonObject { { QStringLiteral("now"), QJsonValue::Null } });
    QCOMPARE(real.status, 200);
    response = client.postJson(url, candidateBody(uniqueEmail(QStringLiteral("retain"))));
    QCOMPARE(response.status, 201);
    const QDateTime createdAt
        = parseUtc(response.json().value(QLatin1String("created_at")).toString());
    QVERIFY2(createdAt.isValid() && createdAt != options.fixedNow.addSecs(25 * 3600),
             response.body.constData());
}

QTEST_GUILESS_MAIN(TestSandboxAuthErrors)
#include "tst_sandbox_auth_errors.moc"
