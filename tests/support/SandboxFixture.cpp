#include "SandboxFixture.h"

#include "SandboxServer.h"
#include "TestData.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTimer>

namespace cdesk::test {

namespace {

constexpr int requestTimeoutMs = 30000;

QByteArray originOf(const QUrl &url)
{
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
        .toEncoded(QUrl::StripTrailingSlash);
}

} // namespace

// --- SandboxFixture ---------------------------------------------------------

SandboxFixture::SandboxFixture()
{
    m_thread.setObjectName(QStringLiteral("sandbox"));
}

SandboxFixture::~SandboxFixture()
{
    stop();
}

bool SandboxFixture::start(sandbox::Options options)
{
    stop();
    m_error.clear();
    if (options.dataDir.isEmpty()) {
        if (!m_tempDir.isValid()) {
            m_error = QStringLiteral("Cannot create a temporary folder: %1")
                          .arg(m_tempDir.errorString());
            return false;
        }
        options.dataDir = m_tempDir.path();
    }

    m_context = std::make_unique<QObject>();
    m_context->moveToThread(&m_thread);
    m_thread.start();

    // The server is made, started and later deleted on its own thread, so all
    // its sockets, timers and database connections belong to that thread.
    bool started = false;
    QMetaObject::invokeMethod(
        m_context.get(),
        [this, &options, &started] {
            auto server = std::make_unique<sandbox::SandboxServer>(options);
            if (!server->start()) {
                m_error = server->errorString();
                if (m_error.isEmpty())
                    m_error = QStringLiteral("The sandbox did not start.");
                return;
            }
            m_port = server->port();
            m_baseUrl = server->baseUrl();
            m_adminUrl = server->adminUrl();
            m_token = server->token();
            m_readOnlyToken = server->readOnlyToken();
            m_adminToken = server->adminToken();
            m_dataDir = server->dataDir();
            m_server = server.release();
            started = true;
        },
        Qt::BlockingQueuedConnection);

    if (!started) {
        m_thread.quit();
        m_thread.wait();
        m_context.reset();
        return false;
    }
    return true;
}

void SandboxFixture::stop()
{
    if (m_server) {
        QMetaObject::invokeMethod(
            m_context.get(), [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
    }
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    }
    // The thread has finished, so nothing can be delivering events to the context.
    m_context.reset();
}

QUrl SandboxFixture::url(const QString &path) const
{
    return QUrl(m_baseUrl.toString() + QLatin1Char('/') + path);
}

QUrl SandboxFixture::originUrl(const QString &path) const
{
    return QUrl(QString::fromLatin1(originOf(m_baseUrl)) + QLatin1Char('/') + path);
}

QUrl SandboxFixture::clockUrl() const
{
    return originUrl(QStringLiteral("_sandbox/clock"));
}

sandbox::Faults SandboxFixture::faults() const
{
    sandbox::Faults result;
    if (!m_server)
        return result;
    QMetaObject::invokeMethod(
        m_context.get(), [this, &result] { result = m_server->faults(); },
        Qt::BlockingQueuedConnection);
    return result;
}

void SandboxFixture::setFaults(const sandbox::Faults &faults)
{
    if (!m_server)
        return;
    QMetaObject::invokeMethod(
        m_context.get(), [this, &faults] { m_server->setFaults(faults); },
        Qt::BlockingQueuedConnection);
}

// --- HttpResponse -------------------------------------------------------------

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &pair : headers) {
        if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
            return pair.second;
    }
    return {};
}

bool HttpResponse::hasHeader(const QByteArray &name) const
{
    for (const auto &pair : headers) {
        if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool HttpResponse::isJson() const
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    return error.error == QJsonParseError::NoError && (document.isObject() || document.isArray());
}

// --- HttpClient ---------------------------------------------------------------

HttpClient::HttpClient(QByteArray token)
    : m_token(std::move(token))
    , m_manager(std::make_unique<QNetworkAccessManager>())
{
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_manager->setProxy(QNetworkProxy::NoProxy);
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::get(const QUrl &url, const HeaderList &headers)
{
    return send("GET", url, {}, {}, headers);
}

HttpResponse HttpClient::send(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                              const QByteArray &contentType, const HeaderList &headers)
{
    QNetworkRequest request(url);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Token " + m_token);
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    for (const auto &pair : headers)
        request.setRawHeader(pair.first, pair.second);

    std::unique_ptr<QNetworkReply> reply(verb == "GET" && body.isEmpty()
                                             ? m_manager->get(request)
                                             : m_manager->sendCustomRequest(request, verb, body));

    HttpResponse response;
    if (!reply->isFinished()) {
        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
            response.timedOut = true;
            reply->abort();
            loop.quit();
        });
        timeout.start(requestTimeoutMs);
        loop.exec();
    }

    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.error = reply->error();
    response.errorString = reply->errorString();
    response.body = reply->readAll();
    response.headers = reply->rawHeaderPairs();
    // The reply is finished and no signal of it is being delivered: delete it now
    // rather than with deleteLater(), which needs an event loop tests do not run.
    return response;
}

HttpResponse HttpClient::postJson(const QUrl &url, const QJsonObject &object,
                                  const HeaderList &headers)
{
    return send("POST", url, QJsonDocument(object).toJson(QJsonDocument::Compact),
                "application/json", headers);
}

HttpResponse HttpClient::putJson(const QUrl &url, const QJsonObject &object,
                                 const HeaderList &headers)
{
    return send("PUT", url, QJsonDocument(object).toJson(QJsonDocument::Compact),
                "application/json", headers);
}

// --- raw exchanges ------------------------------------------------------------

namespace {

// Where the head of a raw response ends (the index after the blank line), -1 if not yet.
qsizetype headEnd(const QByteArray &response)
{
    const qsizetype index = response.indexOf("\r\n\r\n");
    return index < 0 ? -1 : index + 4;
}

QByteArray headerIn(const QByteArray &head, const QByteArray &name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        if (line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

// Decodes a chunked body; *complete tells whether the last chunk has arrived, and
// *consumed (if given) how many bytes of data the complete body took.
QByteArray decodeChunked(const QByteArray &data, bool *complete, qsizetype *consumed = nullptr)
{
    QByteArray result;
    qsizetype pos = 0;
    *complete = false;
    while (pos < data.size()) {
        const qsizetype lineEnd = data.indexOf("\r\n", pos);
        if (lineEnd < 0)
            break;
        QByteArray sizeText = data.mid(pos, lineEnd - pos);
        const qsizetype semicolon = sizeText.indexOf(';');
        if (semicolon >= 0)
            sizeText.truncate(semicolon);
        bool ok = false;
        const qlonglong size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            break;
        pos = lineEnd + 2;
        if (size == 0) {
            // No trailers: the blank line after the last chunk ends the body.
            const qsizetype end = data.indexOf("\r\n", pos);
            *complete = end >= 0;
            if (consumed && end >= 0)
                *consumed = end + 2;
            break;
        }
        if (data.size() < pos + size)
            break;
        result += data.mid(pos, size);
        pos += size + 2;
    }
    return result;
}

// The length of the first response in data once it has fully arrived (by
// Content-Length or chunked framing), -1 before that or when only the server's
// closing the connection can end it.
qsizetype completeResponseLength(const QByteArray &data)
{
    const qsizetype end = headEnd(data);
    if (end < 0)
        return -1;
    const QByteArray head = data.left(end);
    const int status = rawStatus(data);
    if ((status >= 100 && status < 200) || status == 204 || status == 304)
        return end;
    if (headerIn(head, "Transfer-Encoding").toLower().contains("chunked")) {
        bool complete = false;
        qsizetype consumed = 0;
        decodeChunked(data.mid(end), &complete, &consumed);
        return complete ? end + consumed : -1;
    }
    const QByteArray length = headerIn(head, "Content-Length");
    if (length.isEmpty())
        return -1; // the body runs until the server closes the connection
    bool ok = false;
    const qlonglong expected = length.toLongLong(&ok);
    return ok && data.size() - end >= expected ? end + expected : -1;
}

bool responseComplete(const QByteArray &response)
{
    return completeResponseLength(response) >= 0;
}

} // namespace

QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs, bool *closedByServer)
{
    if (closedByServer)
        *closedByServer = false;
    QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return {};

    socket.write(request);
    QByteArray response;
    while (!deadline.hasExpired()) {
        // The server may answer (and close) before it has read the whole request,
        // so keep reading whatever has arrived while the request goes out.
        if (socket.bytesToWrite() > 0)
            socket.waitForBytesWritten(int(qMin<qint64>(deadline.remainingTime(), 200)));
        response += socket.readAll();
        if (responseComplete(response))
            break;
        if (socket.state() != QAbstractSocket::ConnectedState)
            break;
        if (socket.bytesToWrite() == 0 && !socket.waitForReadyRead(int(deadline.remainingTime())))
            break;
    }
    response += socket.readAll();
    if (closedByServer)
        *closedByServer = socket.state() != QAbstractSocket::ConnectedState;
    socket.abort();
    return response;
}

QList<QByteArray> rawExchangeAll(quint16 port, const QByteArray &request, int count, int timeoutMs,
                                 bool *closedByServer)
{
    if (closedByServer)
        *closedByServer = false;
    QList<QByteArray> responses;
    QDeadlineTimer deadline(timeoutMs);
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return responses;

    socket.write(request); // all of it at once, so the requests arrive together
    QByteArray pending;
    auto takeComplete = [&] {
        for (qsizetype length = completeResponseLength(pending);
             length >= 0 && responses.size() < count; length = completeResponseLength(pending)) {
            responses.append(pending.left(length));
            pending.remove(0, length);
        }
    };
    while (!deadline.hasExpired() && responses.size() < count) {
        if (socket.bytesToWrite() > 0)
            socket.waitForBytesWritten(int(qMin<qint64>(deadline.remainingTime(), 200)));
        pending += socket.readAll();
        takeComplete();
        if (responses.size() >= count || socket.state() != QAbstractSocket::ConnectedState)
            break;
        if (socket.bytesToWrite() == 0 && !socket.waitForReadyRead(int(deadline.remainingTime())))
            break;
    }
    pending += socket.readAll();
    takeComplete();
    if (!pending.isEmpty() && responses.size() < count)
        responses.append(pending); // what arrived of a response that never completed
    if (closedByServer)
        *closedByServer = socket.state() != QAbstractSocket::ConnectedState;
    socket.abort();
    return responses;
}

int rawStatus(const QByteArray &response)
{
    if (!response.startsWith("HTTP/"))
        return 0;
    const qsizetype lineEnd = response.indexOf("\r\n");
    const QList<QByteArray> parts
        = response.left(lineEnd < 0 ? response.size() : lineEnd).split(' ');
    if (parts.size() < 2)
        return 0;
    bool ok = false;
    const int status = parts.at(1).toInt(&ok);
    return ok ? status : 0;
}

QByteArray rawHeader(const QByteArray &response, const QByteArray &name)
{
    const qsizetype end = headEnd(response);
    return headerIn(end < 0 ? response : response.left(end), name);
}

QByteArray rawBody(const QByteArray &response)
{
    const qsizetype end = headEnd(response);
    if (end < 0)
        return {};
    const QByteArray body = response.mid(end);
    if (headerIn(response.left(end), "Transfer-Encoding").toLower().contains("chunked")) {
        bool complete = false;
        return decodeChunked(body, &complete);
    }
    return body;
}

// --- MultipartBuilder ---------------------------------------------------------

MultipartBuilder::MultipartBuilder(QByteArray boundary)
    : m_boundary(std::move(boundary))
{ }

MultipartBuilder &MultipartBuilder::field(const QByteArray &name, const QByteArray &value)
{
    m_body += "--" + m_boundary + "\r\n";
    m_body += "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n";
    m_body += value + "\r\n";
    return *this;
}

MultipartBuilder &MultipartBuilder::file(const QByteArray &name, const QByteArray &fileName,
                                         const QByteArray &contentType, const QByteArray &data)
{
    m_body += "--" + m_boundary + "\r\n";
    m_body += "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
        + "\"\r\n";
    if (!contentType.isEmpty())
        m_body += "Content-Type: " + contentType + "\r\n";
    m_body += "\r\n" + data + "\r\n";
    return *this;
}

MultipartBuilder &MultipartBuilder::raw(const QByteArray &bytes)
{
    m_body += bytes;
    return *this;
}

QByteArray MultipartBuilder::body() const
{
    return m_body + "--" + m_boundary + "--\r\n";
}

QByteArray MultipartBuilder::bodyWithoutClosing() const
{
    return m_body;
}

QByteArray MultipartBuilder::contentType() const
{
    return "multipart/form-data; boundary=" + m_boundary;
}

int SandboxFixture::candidateCount() const
{
    return HttpClient(m_token)
        .get(url(QStringLiteral("candidates/?page_size=1")))
        .json()
        .value(QLatin1String("count"))
        .toInt(-1);
}

int SandboxFixture::countWithEmail(const QString &email) const
{
    return HttpClient(m_token)
        .get(url(QStringLiteral("candidates/?email=") + queryValue(email)))
        .json()
        .value(QLatin1String("count"))
        .toInt(-1);
}

} // namespace cdesk::test
