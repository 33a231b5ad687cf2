#pragma once

#include "settings/TokenBackend.h"

#include <QHash>

namespace cdesk {

// Tokens in this process's memory only: what is left when there is no
// keychain. Forgotten when the app quits, which is the point.
class MemoryBackend final : public TokenBackend
{
    Q_OBJECT
public:
    using TokenBackend::TokenBackend;

    void read(const QString &account, Done done) override;
    void write(const QString &account, const QByteArray &token, Done done) override;
    void remove(const QString &account, Done done) override;

private:
    QHash<QString, QByteArray> m_tokens;
};

} // namespace cdesk
