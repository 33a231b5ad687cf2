#pragma once

#include "Reply.h"

#include <QAbstractHttpServer>

#include <functional>

namespace cdesk::sandbox {

// QtHttpServer's abstract server, so requests arrive with their socket: the
// sandbox needs it to delay an answer or to close a connection unanswered.
class HttpEndpoint : public QAbstractHttpServer
{
public:
    using Handler = std::function<Reply(const QHttpServerRequest &)>;
    HttpEndpoint(Handler handler, std::function<int()> latencyMs);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }

private:
    Handler m_handler;
    std::function<int()> m_latencyMs;
};

} // namespace cdesk::sandbox
