#include "Authenticator.h"

#include <QHttpServerRequest>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

// Compares in time that does not depend on where the first difference is.
bool sameToken(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    uchar diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= uchar(a[i]) ^ uchar(b[i]);
    return diff == 0;
}

} // namespace

Authenticator::Authenticator(QByteArray readWriteToken, QByteArray readOnlyToken,
                             QByteArray adminToken)
    : m_readWrite(std::move(readWriteToken))
    , m_readOnly(std::move(readOnlyToken))
    , m_admin(std::move(adminToken))
{ }

Authenticator::Result Authenticator::authenticate(const QHttpServerRequest &request) const
{
    const QList<QByteArray> parts = request.value("authorization").simplified().split(' ');
    if (parts.isEmpty() || parts[0].toLower() != "token")
        return { Access::Missing, u"Authentication credentials were not provided."_s, {} };
    if (parts.size() == 1)
        return { Access::Invalid, u"Invalid token header. No credentials provided."_s, {} };
    if (parts.size() > 2)
        return { Access::Invalid,
                 u"Invalid token header. Token string should not contain spaces."_s,
                 {} };
    const QByteArray &token = parts[1];
    if (sameToken(token, m_readWrite))
        return { Access::ReadWrite, {}, token };
    if (sameToken(token, m_readOnly))
        return { Access::ReadOnly, {}, token };
    if (sameToken(token, m_admin))
        return { Access::Admin, {}, token };
    return { Access::Invalid, u"Invalid token."_s, {} };
}

Reply Authenticator::unauthorized(const QString &message, int status)
{
    if (status == 403)
        return Reply::detail(403, message);
    return Reply::detail(401, message).header("WWW-Authenticate", "Token");
}

Reply Authenticator::forbidden()
{
    return Reply::detail(403, u"You do not have permission to perform this action."_s);
}

} // namespace cdesk::sandbox
