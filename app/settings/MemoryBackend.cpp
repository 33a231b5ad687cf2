#include "settings/MemoryBackend.h"

namespace cdesk {

void MemoryBackend::read(const QString &account, Done done)
{
    const auto it = m_tokens.constFind(account);
    if (it == m_tokens.cend())
        done({ Status::NotFound, {}, {} });
    else
        done({ Status::Ok, *it, {} });
}

void MemoryBackend::write(const QString &account, const QByteArray &token, Done done)
{
    m_tokens.insert(account, token);
    done({ Status::Ok, {}, {} });
}

void MemoryBackend::remove(const QString &account, Done done)
{
    done({ m_tokens.remove(account) ? Status::Ok : Status::NotFound, {}, {} });
}

} // namespace cdesk
