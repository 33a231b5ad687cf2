#pragma once

#include "SandboxOptions.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkReply>
#include <QPair>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

namespace cdesk::sandbox {
class SandboxServer;
}

namespace cdesk::test {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// The sandbox on an ephemeral loopback port, in its own thread with its own
// event loop, over a fresh temporary data folder. Because the server has its
// own thread, a test may block (QProcess::waitForFinished for curl, a raw
// QTcpSocket::waitForReadyRead) without starving it.
class SandboxFixture
{
public:
    SandboxFixture();
    ~SandboxFixture();
    SandboxFixture(const SandboxFixture &) = delete;
    SandboxFixture &operator=(const SandboxFixture &) = delete;

    // Starts the sandbox (stopping a running one first). Options::dataDir
    // defaults to a temporary folder that lives as long as the fixture, so
    // stop() followed by start() comes back to the same state. Returns false
    // (and errorString()) on failure.
    bool start(sandbox::Options options = {});
    void stop(); // stops the server and its thread; the data folder stays
    bool isRunning() const { return m_server != nullptr; }
    QString errorString() const { return m_error; }

    // These are read once when the server starts, so they are safe to call
    // from the test thread while the server runs on its own.
    quint16 port() const { return m_port; }
    QUrl baseUrl() const { return m_baseUrl; } // http://127.0.0.1:<port>/api/v1
    QUrl url(const QString &path) const; // baseUrl() + "/" + path, path like "jobs/?page=2"
    QUrl adminUrl() const { return m_adminUrl; } // <origin>/_sandbox/faults
    QUrl clockUrl() const; // <origin>/_sandbox/clock
    QUrl originUrl(const QString &path) const; // <origin>/<path>, path like "_sandbox/faults"
    QByteArray token() const { return m_token; }
    QByteArray readOnlyToken() const { return m_readOnlyToken; }
    QByteArray adminToken() const { return m_adminToken; }
    QString dataDir() const { return m_dataDir; }

    // Reads and changes the fault knobs at run time, on the server's thread.
    sandbox::Faults faults() const;
    void setFaults(const sandbox::Faults &faults);

    // What the server holds, asked over HTTP with token(): every candidate,
    // and those with this email. -1 when the server did not answer.
    int candidateCount() const;
    int countWithEmail(const QString &email) const;

private:
    QTemporaryDir m_tempDir;
    QThread m_thread;
    std::unique_ptr<QObject> m_context; // lives in m_thread: the target of invokeMethod
    sandbox::SandboxServer *m_server = nullptr; // lives in m_thread
    QString m_error;
    QString m_dataDir;
    quint16 m_port = 0;
    QUrl m_baseUrl;
    QUrl m_adminUrl;
    QByteArray m_token;
    QByteArray m_readOnlyToken;
    QByteArray m_adminToken;
};

struct HttpResponse
{
    int status = 0; // 0 when no HTTP answer came
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    bool timedOut = false; // the client's 30 s safety timeout aborted the request
    QByteArray body;
    HeaderList headers;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty if absent
    bool hasHeader(const QByteArray &name) const;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonDocument jsonDocument() const { return QJsonDocument::fromJson(body); }
    bool isJson() const; // body parses as a JSON object or array
    QString detail() const { return json().value(QLatin1String("detail")).toString(); }
};

// A blocking HTTP client for tests, on a QNetworkAccessManager with redirects
// not followed. Runs a local event loop per request (test code only).
class HttpClient
{
public:
    explicit HttpClient(QByteArray token = {});
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    void setToken(const QByteArray &token) { m_token = token; }
    QByteArray token() const { return m_token; }

    HttpResponse get(const QUrl &url, const HeaderList &headers = {});
    // Any verb. Sends Content-Type only when contentType is not empty. A header
    // given in headers replaces the one the client would set (Authorization too).
    HttpResponse send(const QByteArray &verb, const QUrl &url, const QByteArray &body = {},
                      const QByteArray &contentType = {}, const HeaderList &headers = {});
    HttpResponse postJson(const QUrl &url, const QJsonObject &object,
                          const HeaderList &headers = {});
    HttpResponse putJson(const QUrl &url, const QJsonObject &object,
                         const HeaderList &headers = {});

private:
    QByteArray m_token;
    std::unique_ptr<QNetworkAccessManager> m_manager;
};

// Writes raw bytes to 127.0.0.1:port and reads until the server closes the
// connection, a full response (by Content-Length or chunked framing) has
// arrived, or timeoutMs passes. For requests no well-behaved client would send.
// *closedByServer (if given) tells whether the server closed the connection.
QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 10000,
                       bool *closedByServer = nullptr);

// Writes raw bytes (typically several pipelined requests) to 127.0.0.1:port in
// one go and reads until count complete responses have arrived, the server
// closes the connection, or timeoutMs passes. Returns each response in order;
// an incomplete last one is returned as far as it came.
QList<QByteArray> rawExchangeAll(quint16 port, const QByteArray &request, int count,
                                 int timeoutMs = 10000, bool *closedByServer = nullptr);

// The status code in a raw HTTP response ("HTTP/1.1 400 Bad Request" -> 400), 0 if none.
int rawStatus(const QByteArray &response);
// A header of a raw HTTP response (case-insensitive name), empty if absent.
QByteArray rawHeader(const QByteArray &response, const QByteArray &name);
// The body of a raw HTTP response (after the blank line; chunked framing decoded).
QByteArray rawBody(const QByteArray &response);

// Builds a multipart/form-data body by hand (for bodies QHttpMultiPart cannot
// make: odd filenames, broken framing). contentType() gives the header value.
class MultipartBuilder
{
public:
    explicit MultipartBuilder(QByteArray boundary = "----cdeskTestBoundary7MA4YWxkTrZu0gW");
    MultipartBuilder &field(const QByteArray &name, const QByteArray &value);
    // fileName goes into the header as raw bytes (UTF-8 for Unicode, as browsers and curl send it).
    MultipartBuilder &file(const QByteArray &name, const QByteArray &fileName,
                           const QByteArray &contentType, const QByteArray &data);
    MultipartBuilder &raw(const QByteArray &bytes); // appended verbatim, for broken framing
    QByteArray body() const; // the parts and the closing delimiter
    QByteArray bodyWithoutClosing() const; // the parts only (a truncated body)
    QByteArray contentType() const;
    QByteArray boundary() const { return m_boundary; }

private:
    QByteArray m_boundary;
    QByteArray m_body;
};

} // namespace cdesk::test
