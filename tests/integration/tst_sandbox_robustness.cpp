// Requests no well-behaved client sends: broken multipart and JSON bodies,
// bodies that are not objects, huge headers, garbage instead of HTTP, chunked
// bodies (411), bare-LF heads pipelined with others. Each gets a 400 (or the
// status that fits) with a JSON body where an HTTP answer is possible, and
// afterwards the sandbox still serves.

#include "SandboxFixture.h"
#include "TestData.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTest>

using namespace cdesk::test;

namespace {

const QString multipartError = QStringLiteral("Multipart form parse error - ");
const QString jsonError = QStringLiteral("JSON parse error - ");

QByteArray validJson()
{
    return compact(candidateBody(QStringLiteral("robust@example.com")));
}

} // namespace

class TestSandboxRobustness : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void create_withBrokenBody_returns400Json_data();
    void create_withBrokenBody_returns400Json();
    void create_withJsonThatIsNotAnObject_returns400NonFieldError_data();
    void create_withJsonThatIsNotAnObject_returns400NonFieldError();
    void update_withBrokenBody_returns400Json();
    void request_withHugeHeaderValue_returns4xxJson();
    void rawRequest_malformed_isAnsweredWith400JsonOrClosed_data();
    void rawRequest_malformed_isAnsweredWith400JsonOrClosed();
    void rawRequest_chunkedBody_isAnswered411Json_data();
    void rawRequest_chunkedBody_isAnswered411Json();
    void rawRequest_pipelined_getsOneAnswerEachInOrder_data();
    void rawRequest_pipelined_getsOneAnswerEachInOrder();
    void client_closingMidRequest_doesNotHurtTheSandbox_data();
    void client_closingMidRequest_doesNotHurtTheSandbox();

private:
    void verifyStillServes();

    SandboxFixture m_sandbox;
    std::unique_ptr<HttpClient> m_client;
};

void TestSandboxRobustness::initTestCase()
{
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    m_client = std::make_unique<HttpClient>(m_sandbox.token());
}

void TestSandboxRobustness::cleanup()
{
    verifyStillServes();
}

void TestSandboxRobustness::verifyStillServes()
{
    const HttpResponse jobs = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
    QVERIFY2(jobs.status == 200,
             qPrintable(QStringLiteral("after the bad request, GET jobs/ gave %1 %2")
                            .arg(jobs.status)
                            .arg(jobs.errorString)));
    QVERIFY(jobs.isJson());
    const QByteArray raw
        = rawExchange(m_sandbox.port(),
                      "GET /api/v1/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token "
                          + m_sandbox.token() + "\r\nConnection: close\r\n\r\n");
    QCOMPARE(rawStatus(raw), 200);
}

void TestSandboxRobustness::create_withBrokenBody_returns400Json_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("detailPrefix"); // empty: any 400 with a JSON object

    const MultipartBuilder good = candidateMultipart(QStringLiteral("robust@example.com"));
    const QByteArray goodBody = good.body();

    QTest::newRow("multipart that is not multipart")
        << good.contentType() << QByteArray("this is not multipart at all") << multipartError;
    QTest::newRow("multipart truncated in the file")
        << good.contentType() << goodBody.left(goodBody.size() - 200) << multipartError;
    QTest::newRow("multipart truncated in a part header")
        << good.contentType() << goodBody.left(goodBody.indexOf("Content-Disposition") + 12)
        << multipartError;
    QTest::newRow("multipart without the closing delimiter")
        << good.contentType() << good.bodyWithoutClosing() << multipartError;
    QTest::newRow("multipart without boundary")
        << QByteArray("multipart/form-data") << goodBody << multipartError;
    QTest::newRow("multipart with an empty boundary")
        << QByteArray("multipart/form-data; boundary=") << goodBody << multipartError;
    QTest::newRow("multipart with a 71-character boundary")
        << ("multipart/form-data; boundary=" + QByteArray(71, 'b'))
        << MultipartBuilder(QByteArray(71, 'b')).field("name", "Ada").body() << multipartError;
    QTest::newRow("multipart with another boundary than announced")
        << QByteArray("multipart/form-data; boundary=somethingElse") << goodBody << multipartError;
    QTest::newRow("multipart part without headers")
        << good.contentType()
        << MultipartBuilder().raw("------cdeskTestBoundary7MA4YWxkTrZu0gW\r\n\r\nAda\r\n").body()
        << QString();
    QTest::newRow("multipart part header without a colon")
        << good.contentType()
        << MultipartBuilder()
               .raw("------cdeskTestBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition "
                    "form-data\r\n\r\nAda\r\n")
               .body()
        << QString();
    QTest::newRow("multipart part header of 20 KB")
        << good.contentType()
        << MultipartBuilder()
               .raw("------cdeskTestBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; "
                    "name=\""
                    + QByteArray(20 * 1024, 'n') + "\"\r\n\r\nAda\r\n")
               .body()
        << QString();
    {
        MultipartBuilder many;
        for (int i = 0; i < 5000; ++i)
            many.field("f" + QByteArray::number(i), "x");
        QTest::newRow("multipart with 5000 parts")
            << many.contentType() << many.body() << QString();
    }
    {
        MultipartBuilder bad;
        bad.field("name", QByteArray("Ada \xff\xfe Lovelace"))
            .field("email", QByteArray("badutf8@example.com"))
            .field("phone", QByteArray("+44 20 7946 0958"))
            .file("resume", "cv.pdf", "application/pdf", minimalPdf());
        QTest::newRow("multipart text field with invalid UTF-8")
            << bad.contentType() << bad.body() << QString();
    }
    {
        MultipartBuilder bad;
        bad.field("name", QByteArray("Ada"))
            .field("email", QByteArray("badjsonpart@example.com"))
            .field("phone", QByteArray("+44 20 7946 0958"))
            .field("resume_url", QByteArray("https://example.com/cv.pdf"))
            .field("custom_fields", QByteArray("{\"notes\": \"\xff\xfe\"}"));
        QTest::newRow("multipart custom_fields with invalid UTF-8")
            << bad.contentType() << bad.body() << QString();
    }

    QTest::newRow("JSON with invalid UTF-8")
        << QByteArray("application/json")
        << QByteArray(
               "{\"name\": \"Ada \xff\xfe\", \"email\": \"utf8@example.com\", "
               "\"phone\": \"+44 20 7946 0958\", \"resume_url\": \"https://example.com/cv\"}")
        << jsonError;
    QTest::newRow("JSON truncated")
        << QByteArray("application/json") << validJson().chopped(5) << jsonError;
    QTest::newRow("JSON garbage") << QByteArray("application/json") << QByteArray("name=Ada&x=1")
                                  << jsonError;
    QTest::newRow("JSON with a trailing comma") << QByteArray("application/json; charset=utf-8")
                                                << QByteArray("{\"name\": \"Ada\",}") << jsonError;
    QTest::newRow("JSON nested 100000 deep")
        << QByteArray("application/json") << (QByteArray(100000, '[') + QByteArray(100000, ']'))
        << QString();
    QTest::newRow("JSON with NUL bytes")
        << QByteArray("application/json") << QByteArray("{\"name\"\0: 1}", 12) << jsonError;
    QTest::newRow("JSON empty body") << QByteArray("application/json") << QByteArray() << QString();
    // Only a body of length 0 is "no data" to DRF; whitespace goes to the JSON
    // parser, which finds no value in it.
    QTest::newRow("JSON of whitespace only")
        << QByteArray("application/json") << QByteArray(" \r\n\t ") << jsonError;
}

void TestSandboxRobustness::create_withBrokenBody_returns400Json()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, detailPrefix);
    const HttpResponse response
        = m_client->send("POST", m_sandbox.url(QStringLiteral("candidates/")), body, contentType);
    QVERIFY2(response.status == 400,
             qPrintable(QString::number(response.status) + QLatin1Char(' ')
                        + QString::fromUtf8(response.body.left(300))));
    QVERIFY2(response.jsonDocument().isObject(), response.body.left(300).constData());
    if (!detailPrefix.isEmpty())
        QVERIFY2(response.detail().startsWith(detailPrefix), response.body.left(300).constData());
    else
        QVERIFY(!response.json().isEmpty());
}

void TestSandboxRobustness::create_withJsonThatIsNotAnObject_returns400NonFieldError_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("typeName");
    QTest::newRow("array") << QByteArray("[1, 2, 3]") << QStringLiteral("list");
    QTest::newRow("empty array") << QByteArray("[]") << QStringLiteral("list");
    QTest::newRow("string") << QByteArray("\"Ada Lovelace\"") << QStringLiteral("str");
    QTest::newRow("integer") << QByteArray("42") << QStringLiteral("int");
    QTest::newRow("float") << QByteArray("4.5") << QStringLiteral("float");
    QTest::newRow("boolean") << QByteArray("true") << QStringLiteral("bool");
    QTest::newRow("null") << QByteArray("null") << QStringLiteral("NoneType");
}

void TestSandboxRobustness::create_withJsonThatIsNotAnObject_returns400NonFieldError()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, typeName);
    const HttpResponse response = m_client->send(
        "POST", m_sandbox.url(QStringLiteral("candidates/")), body, "application/json");
    QCOMPARE(response.status, 400);
    QCOMPARE(compact(response.json()),
             compact(QJsonObject {
                 { QStringLiteral("non_field_errors"),
                   QJsonArray { QStringLiteral("Invalid data. Expected a dictionary, but got %1.")
                                    .arg(typeName) } } }));
}

void TestSandboxRobustness::update_withBrokenBody_returns400Json()
{
    const HttpResponse created
        = m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")),
                             candidateBody(uniqueEmail(QStringLiteral("upd"))));
    QCOMPARE(created.status, 201);
    const QUrl url = m_sandbox.url(candidatePath(idOf(created)));

    HttpResponse response = m_client->send("PUT", url, validJson().chopped(3), "application/json");
    QCOMPARE(response.status, 400);
    QVERIFY2(response.detail().startsWith(jsonError), response.body.constData());

    response = m_client->send("PUT", url, "[]", "application/json");
    QCOMPARE(response.status, 400);
    QCOMPARE(fieldMessages(response.json(), QStringLiteral("non_field_errors")),
             QStringList { QStringLiteral("Invalid data. Expected a dictionary, but got list.") });

    const MultipartBuilder builder = candidateMultipart(QStringLiteral("x@example.com"));
    response = m_client->send("PUT", url, builder.bodyWithoutClosing().chopped(10),
                              builder.contentType());
    QCOMPARE(response.status, 400);
    QVERIFY2(response.detail().startsWith(multipartError), response.body.constData());

    QCOMPARE(compact(m_client->get(url).json()), compact(created.json())); // unchanged
}

void TestSandboxRobustness::request_withHugeHeaderValue_returns4xxJson()
{
    // Through a real client: a 100 KB header value on an otherwise good request.
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/")),
                        { { QByteArrayLiteral("X-Huge"), QByteArray(100 * 1024, 'h') } });
    if (response.status == 0) {
        qInfo("huge header: the sandbox closed the connection without an answer (%s)",
              qPrintable(response.errorString));
        QVERIFY(response.error != QNetworkReply::OperationCanceledError); // not our timeout
        return;
    }
    QVERIFY2(response.status == 400 || response.status == 431,
             qPrintable(QString::number(response.status)));
    QVERIFY2(response.jsonDocument().isObject(), response.body.left(300).constData());
}

void TestSandboxRobustness::rawRequest_malformed_isAnsweredWith400JsonOrClosed_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QList<int>>(
        "statuses"); // what an answer may be (400 unless a better one fits)
    const QList<int> bad { 400 };
    const QList<int> tooLarge { 400, 414, 431 };
    const QByteArray auth = "Authorization: Token " + m_sandbox.token() + "\r\n";

    QTest::newRow("a request line of garbage") << QByteArray("GARBAGE\r\n\r\n") << bad;
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02\x03\xff\xfe\r\n\r\n", 10) << bad;
    QTest::newRow("spaces only") << QByteArray("     \r\n\r\n") << bad;
    QTest::newRow("no HTTP version") << QByteArray("GET /api/v1/jobs/\r\n\r\n") << bad;
    QTest::newRow("unknown HTTP version")
        << QByteArray("GET /api/v1/jobs/ HTTP/7.3\r\n\r\n") << QList<int> { 400, 505 };
    QTest::newRow("header without a colon")
        << ("GET /api/v1/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "NoColonHere\r\n\r\n")
        << bad;
    QTest::newRow("header value of 100 KB")
        << ("GET /api/v1/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
            + "X-Huge: " + QByteArray(100 * 1024, 'h') + "\r\n\r\n")
        << tooLarge;
    {
        QByteArray many = "GET /api/v1/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth;
        for (int i = 0; i < 5000; ++i)
            many += "X-Header-" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("5000 headers") << (many + "\r\n") << tooLarge;
    }
    QTest::newRow("request target of 100 KB")
        << ("GET /api/v1/jobs/?search=" + QByteArray(100 * 1024, 's')
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n")
        << tooLarge;
    QTest::newRow("Content-Length not a number")
        << ("POST /api/v1/candidates/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
            + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}")
        << bad;
    QTest::newRow("negative Content-Length")
        << ("POST /api/v1/candidates/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
            + "Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{}")
        << bad;
    QTest::newRow("broken chunked framing")
        << ("POST /api/v1/candidates/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
            + "Content-Type: application/json\r\nTransfer-Encoding: "
              "chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n")
        << QList<int> { 400, 411 };
    QTest::newRow("two different Content-Lengths")
        << ("POST /api/v1/candidates/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
            + "Content-Type: application/json\r\nContent-Length: 30000000\r\nContent-Length: "
              "0\r\n\r\n")
        << bad;
    // A path with a NUL names no resource: "Not found." is as good an answer as 400.
    QTest::newRow("NUL in the path") << (QByteArray("GET /api/v1/jo") + '\0'
                                         + "bs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n")
                                     << QList<int> { 400, 404 };
}

void TestSandboxRobustness::rawRequest_malformed_isAnsweredWith400JsonOrClosed()
{
    QFETCH(QByteArray, request);
    QFETCH(QList<int>, statuses);
    bool closed = false;
    const QByteArray response = rawExchange(m_sandbox.port(), request, 10000, &closed);
    if (response.isEmpty()) {
        qInfo("%s: closed without an answer", QTest::currentDataTag());
        QVERIFY2(closed, "the sandbox neither answered nor closed the connection");
        return;
    }
    const int status = rawStatus(response);
    qInfo("%s: answered %d", QTest::currentDataTag(), status);
    QVERIFY2(statuses.contains(status), response.left(300).constData());
    QVERIFY2(QJsonDocument::fromJson(rawBody(response)).isObject(), response.left(500).constData());
}

void TestSandboxRobustness::rawRequest_chunkedBody_isAnswered411Json_data()
{
    // Chunked request bodies are refused with 411 Length Required (as WSGI
    // servers do), whatever the framing: well formed, mixed with a
    // Content-Length (the classic smuggling pair), or on a GET.
    QTest::addColumn<QByteArray>("head"); // request line and headers before Transfer-Encoding
    QTest::addColumn<QByteArray>("transferEncoding");
    QTest::addColumn<bool>("withContentLength");
    const QByteArray post = "POST /api/v1/candidates/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: application/json\r\n";
    QTest::newRow("chunked") << post << QByteArray("chunked") << false;
    QTest::newRow("CHUNKED in capitals") << post << QByteArray("CHUNKED") << false;
    QTest::newRow("gzip, chunked") << post << QByteArray("gzip, chunked") << false;
    QTest::newRow("chunked and a Content-Length") << post << QByteArray("chunked") << true;
    QTest::newRow("chunked on a GET")
        << QByteArray("GET /api/v1/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n") << QByteArray("chunked")
        << false;
}

void TestSandboxRobustness::rawRequest_chunkedBody_isAnswered411Json()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, transferEncoding);
    QFETCH(bool, withContentLength);
    const QString email = uniqueEmail(QStringLiteral("chunked"));
    const QByteArray json = compact(candidateBody(email));
    const QByteArray half = json.left(json.size() / 2);
    const QByteArray rest = json.mid(half.size());
    const QByteArray chunks = QByteArray::number(half.size(), 16) + "\r\n" + half + "\r\n"
        + QByteArray::number(rest.size(), 16) + "\r\n" + rest + "\r\n0\r\n\r\n";
    QByteArray request = head + "Authorization: Token " + m_sandbox.token() + "\r\n"
        + "Transfer-Encoding: " + transferEncoding + "\r\n";
    if (withContentLength)
        request += "Content-Length: " + QByteArray::number(json.size()) + "\r\n";
    request += "\r\n" + chunks;

    const QByteArray response = rawExchange(m_sandbox.port(), request);
    const int status = rawStatus(response);
    // RFC 9112 6.3: refusing a Transfer-Encoding beside a Content-Length with 400 is as good.
    QVERIFY2(status == 411 || (withContentLength && status == 400), response.constData());
    const QJsonObject body = QJsonDocument::fromJson(rawBody(response)).object();
    QVERIFY2(!body.value(QLatin1String("detail")).toString().isEmpty(), response.constData());

    const HttpResponse lookup
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 0);
}

void TestSandboxRobustness::rawRequest_pipelined_getsOneAnswerEachInOrder_data()
{
    // Two GETs written at once on one connection: the first for a page of 3
    // jobs, the second for a page of 1. The head ends at the first blank line,
    // whichever line endings it uses (RFC 9112 2.2 lets a server accept a bare
    // LF).
    QTest::addColumn<QByteArray>("firstEnding");
    QTest::addColumn<QByteArray>("secondEnding");
    QTest::newRow("CRLF, then CRLF") << QByteArray("\r\n") << QByteArray("\r\n");
    QTest::newRow("bare LF, then CRLF") << QByteArray("\n") << QByteArray("\r\n");
    QTest::newRow("CRLF, then bare LF") << QByteArray("\r\n") << QByteArray("\n");
    QTest::newRow("bare LF, then bare LF") << QByteArray("\n") << QByteArray("\n");
}

void TestSandboxRobustness::rawRequest_pipelined_getsOneAnswerEachInOrder()
{
    QFETCH(QByteArray, firstEnding);
    QFETCH(QByteArray, secondEnding);
    const auto get = [&](int pageSize, const QByteArray &eol) -> QByteArray {
        return "GET /api/v1/jobs/?status=all&page_size=" + QByteArray::number(pageSize)
            + " HTTP/1.1" + eol + "Host: 127.0.0.1" + eol + "Authorization: Token "
            + m_sandbox.token() + eol + eol;
    };
    const QList<QByteArray> responses
        = rawExchangeAll(m_sandbox.port(), get(3, firstEnding) + get(1, secondEnding), 2);
    QCOMPARE(responses.size(), 2);
    QList<int> sizes;
    for (const QByteArray &response : responses) {
        QVERIFY2(rawStatus(response) == 200, response.left(300).constData());
        sizes.append(int(QJsonDocument::fromJson(rawBody(response))
                             .object()
                             .value(QLatin1String("results"))
                             .toArray()
                             .size()));
    }
    QCOMPARE(sizes, (QList<int> { 3, 1 }));
}

void TestSandboxRobustness::client_closingMidRequest_doesNotHurtTheSandbox_data()
{
    QTest::addColumn<QByteArray>("partial");
    const QByteArray auth = "Authorization: Token " + m_sandbox.token() + "\r\n";
    QTest::newRow("nothing sent") << QByteArray();
    QTest::newRow("half a request line") << QByteArray("GET /api/v1/jo");
    QTest::newRow("headers without the blank line")
        << ("GET /api/v1/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth);
    QTest::newRow("a body shorter than its Content-Length")
        << ("POST /api/v1/candidates/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
            + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"name\": \"Ada");
}

void TestSandboxRobustness::client_closingMidRequest_doesNotHurtTheSandbox()
{
    QFETCH(QByteArray, partial);
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), m_sandbox.port());
    QVERIFY(socket.waitForConnected(10000));
    if (!partial.isEmpty()) {
        socket.write(partial);
        QVERIFY(socket.waitForBytesWritten(10000));
    }
    socket.disconnectFromHost();
    if (socket.state() != QAbstractSocket::UnconnectedState)
        socket.waitForDisconnected(10000);
    // cleanup() checks that the sandbox still serves.
}

QTEST_GUILESS_MAIN(TestSandboxRobustness)
#include "tst_sandbox_robustness.moc"
