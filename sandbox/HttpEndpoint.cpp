#include "HttpEndpoint.h"

#include "RequestGate.h"

#include <QHttpServerRequest>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace cdesk::sandbox {

HttpEndpoint::HttpEndpoint(Handler handler, std::function<int()> latencyMs)
    : m_handler(std::move(handler))
    , m_latencyMs(std::move(latencyMs))
{ }

bool HttpEndpoint::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (RequestGate::isRejected(socket))
        return true; // already answered by the gate
    const Reply reply = m_handler(request);
    const bool head = request.method() == QHttpServerRequest::Method::Head;

    QPointer<QTcpSocket> guard(socket);
    auto deliver = [guard, reply, head] {
        if (!guard || guard->state() != QAbstractSocket::ConnectedState)
            return;
        if (reply.dropConnection) {
            guard->abort();
            return;
        }
        guard->write(reply.toHttp(!head));
    };
    const int latency = m_latencyMs();
    if (latency > 0)
        QTimer::singleShot(latency, socket, deliver);
    else
        deliver();
    return true;
}

} // namespace cdesk::sandbox
