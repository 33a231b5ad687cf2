#include "settings/TokenStore.h"

#include "settings/KeychainBackend.h"
#include "settings/MemoryBackend.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

Q_LOGGING_CATEGORY(lcToken, "cdesk.settings.token")

QString joined(const QString &first, const QString &second)
{
    if (first.isEmpty())
        return second;
    if (second.isEmpty())
        return first;
    return first + u' ' + second;
}

bool isFailure(TokenBackend::Status status)
{
    return status == TokenBackend::Status::Unavailable || status == TokenBackend::Status::Failed;
}

} // namespace

QByteArray redacted(const QByteArray &token)
{
    const QByteArray ellipsis("\xE2\x80\xA6"); // "…" in UTF-8
    // The last four of a short token would be most of it.
    if (token.size() < 8)
        return ellipsis;
    return ellipsis + token.right(4);
}

TokenStore::TokenStore(const QUrl &apiUrl, std::unique_ptr<TokenBackend> keychain,
                       EnvironmentLookup environment, QObject *parent)
    : QObject(parent)
    , m_apiUrl(apiUrl)
    , m_keychain(std::move(keychain))
    , m_memory(std::make_unique<MemoryBackend>())
    , m_environment(std::move(environment))
{
    Q_ASSERT(m_keychain);
    if (!m_environment)
        m_environment = [](const char *name) {
            return qgetenv(name);
        };
}

// The backends go with us; their connections carry us as context, so a job
// that finishes later finds nobody to call.
TokenStore::~TokenStore() = default;

void TokenStore::setApiUrl(const QUrl &apiUrl)
{
    m_apiUrl = apiUrl;
}

QString TokenStore::accountFor(const QUrl &apiUrl)
{
    QString account = apiUrl.host().toLower();
    if (account.isEmpty())
        return u"default"_s; // no API URL yet: one shared slot until there is
    if (apiUrl.port() != -1)
        account += u':' + QString::number(apiUrl.port());
    return account;
}

void TokenStore::load()
{
    if (const QByteArray fromEnvironment = environmentToken(); !fromEnvironment.isEmpty()) {
        emitLater(
            [this, fromEnvironment] { Q_EMIT loaded(fromEnvironment, Location::Environment); });
        return;
    }
    const QString account = accountFor(m_apiUrl);
    auto fromMemory = [this, account] {
        m_memory->read(account, [this](const TokenBackend::Result &result) {
            emitLater([this, token = result.token] { Q_EMIT loaded(token, Location::Memory); });
        });
    };
    if (m_keychainBroken) {
        fromMemory();
        return;
    }
    m_keychain->read(account, [this, fromMemory](const TokenBackend::Result &result) {
        if (isFailure(result.status)) {
            useMemoryBecause(result);
            fromMemory();
            return;
        }
        const QByteArray token
            = result.status == TokenBackend::Status::Ok ? result.token.trimmed() : QByteArray();
        emitLater([this, token] { Q_EMIT loaded(token, Location::Keychain); });
    });
}

void TokenStore::store(const QByteArray &token)
{
    // Pasted tokens often carry a newline; no real token has white space.
    const QByteArray clean = token.trimmed();
    if (clean.isEmpty()) {
        emitLater([this] {
            Q_EMIT stored(location(), tr("Nothing was saved because the token is empty."));
        });
        return;
    }
    const QString account = accountFor(m_apiUrl);
    auto toMemory = [this, account, clean] {
        m_memory->write(account, clean, [this](const TokenBackend::Result &) {
            emitLater(
                [this] { Q_EMIT stored(Location::Memory, joined(m_warning, environmentNote())); });
        });
    };
    if (m_keychainBroken) {
        toMemory();
        return;
    }
    m_keychain->write(account, clean, [this, toMemory](const TokenBackend::Result &result) {
        if (isFailure(result.status)) {
            useMemoryBecause(result);
            toMemory();
            return;
        }
        emitLater([this] { Q_EMIT stored(Location::Keychain, environmentNote()); });
    });
}

void TokenStore::erase()
{
    const QString account = accountFor(m_apiUrl);
    m_memory->remove(account, [](const TokenBackend::Result &) {});
    if (m_keychainBroken) {
        emitLater([this] { Q_EMIT erased(); });
        return;
    }
    m_keychain->remove(account, [this](const TokenBackend::Result &result) {
        if (isFailure(result.status)) {
            useMemoryBecause(result);
            // A keychain that is there but refused may still hold the token.
            if (result.status == TokenBackend::Status::Failed)
                m_warning = joined(tr("The token could not be removed from the system keychain: "
                                      "remove the \"%1\" entry with your passwords and keys "
                                      "manager.")
                                       .arg(KeychainBackend::serviceName()),
                                   m_warning);
        }
        emitLater([this] { Q_EMIT erased(); });
    });
}

TokenStore::Location TokenStore::location() const
{
    if (!environmentToken().isEmpty())
        return Location::Environment;
    return m_keychainBroken ? Location::Memory : Location::Keychain;
}

QString TokenStore::locationDescription() const
{
    switch (location()) {
    case Location::Keychain:
        return tr("in the system keychain (Secret Service)");
    case Location::Memory:
        return tr("in memory for this session only: no keychain is available, so you will be "
                  "asked again next time");
    case Location::Environment:
        return tr("from the CANDIDATE_DESK_TOKEN environment variable");
    }
    return {};
}

QByteArray TokenStore::environmentToken() const
{
    return m_environment(EnvironmentVariable).trimmed();
}

QString TokenStore::environmentNote() const
{
    if (environmentToken().isEmpty())
        return {};
    return tr("While CANDIDATE_DESK_TOKEN is set in the environment, its token is used instead.");
}

void TokenStore::useMemoryBecause(const TokenBackend::Result &failure)
{
    m_keychainBroken = true;
    const QString reason = failure.message.isEmpty() ? tr("no reason given") : failure.message;
    m_warning = tr("The system keychain could not be used (%1), so the token is kept in memory "
                   "for this session only: you will be asked for it again next time.")
                    .arg(reason);
    // The backend's reason only: a result never carries the token on failure.
    qCWarning(lcToken).noquote() << "keychain unusable, keeping the token in memory:" << reason;
}

template<typename Emit> void TokenStore::emitLater(Emit emitter)
{
    QMetaObject::invokeMethod(this, std::move(emitter), Qt::QueuedConnection);
}

} // namespace cdesk
