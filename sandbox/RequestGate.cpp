#include "RequestGate.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

#include <optional>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

constexpr char kRejectedProperty[] = "cdesk_gate_rejected";
// After answering a bad request, read and discard what the client still sends
// (up to this much) so closing does not reset the connection before the
// client has read the answer.
constexpr qint64 kMaxDrainBytes = 16 * 1024 * 1024;
constexpr int kDrainGraceMs = 2000;

const QByteArrayList kMethods
    = { "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT" };

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

} // namespace

RequestGate::RequestGate(QTcpSocket *socket, Limits limits)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(std::move(limits))
{
    connect(socket, &QTcpSocket::readyRead, this, &RequestGate::onReadyRead);
}

bool RequestGate::isRejected(const QTcpSocket *socket)
{
    return socket->property(kRejectedProperty).toBool();
}

void RequestGate::onReadyRead()
{
    if (m_state == State::Rejected) {
        drain();
        return;
    }

    // Bytes QtHttpServer has not read yet: it reads after us, in the same emission.
    QByteArray fresh = m_socket->peek(m_socket->bytesAvailable());
    while (!fresh.isEmpty() && m_state != State::Rejected) {
        if (m_state == State::Body) {
            const qint64 used = qMin<qint64>(m_bodyLeft, fresh.size());
            m_bodyLeft -= used;
            fresh.remove(0, used);
            if (m_bodyLeft == 0)
                m_state = State::Head;
            continue;
        }
        // Skip the blank lines some clients send between requests (RFC 9112 2.2).
        if (m_head.isEmpty()) {
            qsizetype skip = 0;
            while (skip < fresh.size() && (fresh[skip] == '\r' || fresh[skip] == '\n'))
                ++skip;
            fresh.remove(0, skip);
            if (fresh.isEmpty())
                break;
        }
        const qsizetype before = m_head.size();
        m_head.append(fresh.left(m_limits.maxHeadBytes + 4 - before));
        // The head ends at the first blank line, CRLF or bare LF, whichever comes first.
        const qsizetype crlf = m_head.indexOf("\r\n\r\n");
        const qsizetype lf = m_head.indexOf("\n\n");
        const bool useLf = lf >= 0 && (crlf < 0 || lf < crlf);
        const qsizetype end = useLf ? lf : crlf;
        const qsizetype endLength = useLf ? 2 : 4;
        if (end < 0) {
            // Judge the request line as soon as it is complete, not after the headers.
            const qsizetype lineEnd = m_head.indexOf('\n');
            if (lineEnd >= 0 && !inspectHead(m_head.left(lineEnd)))
                return;
            if (m_head.size() > m_limits.maxHeadBytes) {
                reject(400, "Bad Request",
                       "Request headers too large. The limit is "
                           + QByteArray::number(m_limits.maxHeadBytes / 1024) + " KB.");
                return;
            }
            return; // wait for more of the head
        }
        const QByteArray head = m_head.left(end);
        const qsizetype consumed = end + endLength - before;
        fresh.remove(0, consumed);
        m_head.clear();
        if (!inspectHead(head))
            return;
    }
}

// Checks a request head (request line and header lines, without the blank
// line) or, while the head is incomplete, just its request line.
bool RequestGate::inspectHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QByteArray requestLine = lines.value(0).trimmed();
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !kMethods.contains(parts[0]) || parts[1].isEmpty()
        || !(parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0")) {
        reject(400, "Bad Request", "Malformed request line.");
        return false;
    }
    if (lines.size() == 1)
        return true; // only the request line so far

    std::optional<qint64> contentLength;
    bool transferEncoding = false;
    bool expectContinue = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            reject(400, "Bad Request", "Malformed header line.");
            return false;
        }
        const QByteArray name = line.left(colon).toLower();
        for (char c : name) {
            if (!isTokenChar(c)) {
                reject(400, "Bad Request", "Malformed header name.");
                return false;
            }
        }
        const QByteArray value = line.mid(colon + 1).trimmed();
        for (char c : value) {
            const auto u = static_cast<uchar>(c);
            if ((u < 0x20 && u != '\t') || u == 0x7f) {
                reject(400, "Bad Request", "Control character in a header value.");
                return false;
            }
        }
        if (name == "content-length") {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            // Two lengths that differ would let the gate and the parser disagree
            // about where the body ends (RFC 9112 6.3): refuse.
            if (!ok || length < 0 || (contentLength && *contentLength != length)) {
                reject(400, "Bad Request", "Invalid Content-Length.");
                return false;
            }
            contentLength = length;
        } else if (name == "transfer-encoding") {
            transferEncoding = true;
        } else if (name == "expect") {
            expectContinue = value.toLower() == "100-continue";
        }
    }
    if (transferEncoding) {
        // QtHttpServer 6.4 drops a malformed chunked body without an answer, and
        // no client of this API needs one: ask for a length, as WSGI servers do.
        reject(411, "Length Required",
               "Send the request body with a Content-Length; chunked request bodies are not "
               "supported.");
        return false;
    }
    if (m_limits.maxBodyBytes > 0 && contentLength.value_or(0) > m_limits.maxBodyBytes) {
        reject(m_limits.tooLarge ? m_limits.tooLarge()
                                 : Answer { 413, "Request Entity Too Large", "application/json",
                                            R"({"detail":"Request body too large."})" });
        return false;
    }
    if (expectContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    m_bodyLeft = contentLength.value_or(0);
    m_state = m_bodyLeft > 0 ? State::Body : State::Head;
    return true;
}

void RequestGate::reject(int status, const QByteArray &reason, const QByteArray &detail)
{
    reject(Answer { status, reason, "application/json",
                    QJsonDocument(QJsonObject { { u"detail"_s, QString::fromUtf8(detail) } })
                        .toJson(QJsonDocument::Compact) });
}

void RequestGate::reject(const Answer &answer)
{
    m_state = State::Rejected;
    m_socket->setProperty(kRejectedProperty, true);
    m_socket->write("HTTP/1.1 " + QByteArray::number(answer.status) + ' ' + answer.reason
                    + "\r\nContent-Type: " + answer.contentType
                    + "\r\nContent-Length: " + QByteArray::number(answer.body.size())
                    + "\r\nConnection: close\r\n\r\n" + answer.body);
    drain();
    // Close once the client has had time to read the answer and stop sending.
    QTimer::singleShot(kDrainGraceMs, m_socket,
                       [socket = m_socket] { socket->disconnectFromHost(); });
}

void RequestGate::drain()
{
    // Reading here, before QtHttpServer's slot, leaves it nothing to parse.
    const QByteArray discarded = m_socket->read(m_socket->bytesAvailable());
    m_drained += discarded.size();
    if (m_drained > kMaxDrainBytes)
        m_socket->abort();
}

GatedTcpServer::GatedTcpServer(RequestGate::Limits limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(std::move(limits))
{ }

void GatedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    // TCP_NODELAY, as nginx and every production server set on a kept-alive
    // connection: QtHttpServer writes a response's head and body apart, and
    // with Nagle's algorithm the body waits for the client's delayed ACK
    // (40 ms on Linux) on every request after a connection's first few.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    new RequestGate(socket, m_limits);
    addPendingConnection(socket);
}

} // namespace cdesk::sandbox
