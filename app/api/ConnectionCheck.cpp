#include "api/ConnectionCheck.h"

#include "api/ApiClient.h"
#include "api/ApiEndpoint.h"
#include "api/ApiResult.h"

#include <QUrl>

namespace cdesk {

ConnectionCheck::ConnectionCheck(QNetworkAccessManager *network, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_client(new ApiClient(network, clock, this))
{ }

ConnectionCheck::~ConnectionCheck()
{
    cancel();
}

void ConnectionCheck::start(const QUrl &url, const QByteArray &token, int timeoutMs)
{
    cancel();
    m_client->setEndpoint(ApiEndpoint(url, token));
    m_client->setTimeout(timeoutMs);
    ApiCall *call = m_client->listJobs();
    m_call = call;
    connect(call, &ApiCall::finished, this, [this, call, url, timeoutMs](const ApiResult &result) {
        if (call != m_call)
            return;
        m_call.clear();
        Q_EMIT finished(result.ok(), describeConnectionTest(result, url, timeoutMs));
    });
}

void ConnectionCheck::cancel()
{
    if (ApiCall *call = m_call) {
        // Disconnected first: a cancelled check has nothing to say.
        m_call.clear();
        call->disconnect(this);
        call->cancel();
    }
}

} // namespace cdesk
