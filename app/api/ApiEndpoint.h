#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

namespace cdesk {

// Where the Candidate API lives and how to reach it: the base URL (with or
// without a trailing slash) and the token. Builds every request the app sends,
// so the rules of the contract are kept in one place: paths end with a slash,
// `Authorization: Token …` is set, redirects are never followed (the token
// must not reach another origin), and plain http is refused for any host that
// is not loopback.
class ApiEndpoint
{
public:
    ApiEndpoint() = default;
    ApiEndpoint(QUrl baseUrl, QByteArray token);

    QUrl baseUrl() const { return m_baseUrl; }
    bool hasToken() const { return !m_token.isEmpty(); }

    // Empty when the endpoint may be used; otherwise why not, in plain words.
    QString problem() const;

    // path relative to the base, e.g. "jobs/" or "candidates/42/".
    QUrl url(const QString &path) const;
    QNetworkRequest request(const QString &path) const;
    QNetworkRequest request(const QUrl &absoluteUrl) const;

    // True when url is on the API's own origin (scheme, host and port): the
    // only place the token is sent and the only place a `next` page is fetched.
    bool isSameOrigin(const QUrl &url) const;

    static bool isLoopbackHost(const QString &host);

private:
    QUrl m_baseUrl;
    QByteArray m_token;
};

} // namespace cdesk
