#include "ApiEndpoint.h"

#include <QCoreApplication>
#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace cdesk {

ApiEndpoint::ApiEndpoint(QUrl baseUrl, QByteArray token)
    : m_baseUrl(std::move(baseUrl))
    , m_token(std::move(token))
{
    QString path = m_baseUrl.path();
    if (!path.endsWith(u'/'))
        m_baseUrl.setPath(path + u'/');
}

bool ApiEndpoint::isLoopbackHost(const QString &host)
{
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString ApiEndpoint::problem() const
{
    if (!m_baseUrl.isValid() || m_baseUrl.host().isEmpty())
        return QCoreApplication::translate("ApiEndpoint", "The API address is not a valid URL.");
    const QString scheme = m_baseUrl.scheme();
    if (scheme == u"http"_s && !isLoopbackHost(m_baseUrl.host())) {
        return QCoreApplication::translate(
            "ApiEndpoint",
            "The API address uses plain http. Use https so your token is not sent unencrypted.");
    }
    if (scheme != u"http"_s && scheme != u"https"_s)
        return QCoreApplication::translate("ApiEndpoint",
                                           "The API address must start with https://.");
    if (m_token.isEmpty())
        return QCoreApplication::translate("ApiEndpoint", "No API token is set.");
    return {};
}

QUrl ApiEndpoint::url(const QString &path) const
{
    return m_baseUrl.resolved(QUrl(path));
}

QNetworkRequest ApiEndpoint::request(const QString &path) const
{
    return request(url(path));
}

QNetworkRequest ApiEndpoint::request(const QUrl &absoluteUrl) const
{
    QNetworkRequest request(absoluteUrl);
    // Never follow: a redirect would carry the token to wherever it points.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    if (isSameOrigin(absoluteUrl) && problem().isEmpty())
        request.setRawHeader("Authorization", "Token " + m_token);
    return request;
}

bool ApiEndpoint::isSameOrigin(const QUrl &url) const
{
    const auto defaultPort = [](const QString &scheme) {
        return scheme == u"https"_s ? 443 : scheme == u"http"_s ? 80 : -1;
    };
    return url.isValid() && !url.host().isEmpty() && url.scheme() == m_baseUrl.scheme()
        && url.host().compare(m_baseUrl.host(), Qt::CaseInsensitive) == 0
        && url.port(defaultPort(url.scheme())) == m_baseUrl.port(defaultPort(m_baseUrl.scheme()));
}

} // namespace cdesk
