#pragma once

#include "Reply.h"

#include <QByteArray>
#include <QString>

class QHttpServerRequest;

namespace cdesk::sandbox {

// Who a request is, by its `Authorization: Token <key>` header, and DRF's
// answers when that is not enough.
//
// This is the per-request policy, kept apart from RequestGate on purpose: the
// gate works on raw bytes of a connection before QtHttpServer parses them and
// knows nothing of the API; this works on a parsed request and answers in the
// contract's words. Fault injection, throttling and the too-large answers are
// the FaultInjector's, because they are switched at run time by the admin
// endpoint while the tokens never change.
class Authenticator
{
public:
    enum class Access { Missing, Invalid, ReadWrite, ReadOnly, Admin };

    struct Result
    {
        Access access = Access::Missing;
        QString message; // why not, in DRF's words, for Missing and Invalid
        QByteArray token; // the token that matched
    };

    Authenticator(QByteArray readWriteToken, QByteArray readOnlyToken, QByteArray adminToken);

    Result authenticate(const QHttpServerRequest &request) const;

    // DRF answers 401 with a challenge when the first authentication class has
    // one (TokenAuthentication), and 403 with the same detail when it has none.
    static Reply unauthorized(const QString &message, int status = 401);
    static Reply forbidden();

private:
    QByteArray m_readWrite;
    QByteArray m_readOnly;
    QByteArray m_admin;
};

} // namespace cdesk::sandbox
