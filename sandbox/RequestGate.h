#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace cdesk::sandbox {

// QtHttpServer 6.4 drops the connection without a word when its parser meets
// a request it cannot read (a garbage request line, headers over 80 KB), has no
// header size limit of its own, buffers any body whatever its size, and does
// not answer `Expect: 100-continue`. The gate sits in front of it on every
// connection: it reads each request head first (it is connected to readyRead
// before QtHttpServer is), answers what is malformed with the contract's JSON
// 400, refuses a body that is far too large before it arrives (413), and
// answers 100-continue. Well-formed requests pass through untouched.
class RequestGate : public QObject
{
    Q_OBJECT
public:
    // An answer the gate writes itself.
    struct Answer
    {
        int status = 400;
        QByteArray reason;
        QByteArray contentType = "application/json";
        QByteArray body;
    };

    struct Limits
    {
        int maxHeadBytes = 64 * 1024;
        qint64 maxBodyBytes = 0; // over this: 413 at once, before the body is read
        // The answer to a body over the limit, asked for when needed (the
        // server's too_large_style knob can change at run time).
        std::function<Answer()> tooLarge;
    };

    RequestGate(QTcpSocket *socket, Limits limits);

    // True once the gate has answered and closes this connection: the server
    // must not answer a request on it.
    static bool isRejected(const QTcpSocket *socket);

private:
    void onReadyRead();
    bool inspectHead(const QByteArray &head);
    void reject(int status, const QByteArray &reason, const QByteArray &detail);
    void reject(const Answer &answer);
    void drain();

    enum class State { Head, Body, Rejected };
    QTcpSocket *m_socket;
    Limits m_limits;
    State m_state = State::Head;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    qint64 m_drained = 0;
};

// A QTcpServer whose every connection gets a RequestGate before QtHttpServer
// takes it.
class GatedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit GatedTcpServer(RequestGate::Limits limits, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    RequestGate::Limits m_limits;
};

} // namespace cdesk::sandbox
