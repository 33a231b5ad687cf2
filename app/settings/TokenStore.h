#pragma once

#include "settings/TokenBackend.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace cdesk {

// For messages about a token: "…" and its last four characters, so a person
// can tell two tokens apart without the message giving either away. Tokens
// shorter than eight characters show nothing at all.
QByteArray redacted(const QByteArray &token);

// Where the API token lives, and the only class that moves it.
//
// In order of precedence: the CANDIDATE_DESK_TOKEN environment variable (for
// headless and scripted use; never written by us), then the system keychain,
// one entry per API host. When the keychain cannot be used (QtKeychain 0.13.2
// fails every job on a machine without a Secret Service) the token is kept in
// memory for the rest of the session, and location(), locationDescription()
// and warning() say so, so the window can tell the recruiter they will be
// asked again next time. The token is never written to a file, the settings,
// the database or a log.
//
// Every call answers with a signal from the event loop, never from inside the
// call, whatever the backend does.
class TokenStore : public QObject
{
    Q_OBJECT
public:
    enum class Location {
        Keychain, // the token is in (or will go to) the system keychain
        Memory, // in this process only; forgotten on quit
        Environment, // read from CANDIDATE_DESK_TOKEN, which wins over the rest
    };
    Q_ENUM(Location)

    // Reads one environment variable; tests hand in their own.
    using EnvironmentLookup = std::function<QByteArray(const char *name)>;
    static constexpr const char *EnvironmentVariable = "CANDIDATE_DESK_TOKEN";

    // keychain: usually a KeychainBackend. environment: empty for the process's own.
    TokenStore(const QUrl &apiUrl, std::unique_ptr<TokenBackend> keychain,
               EnvironmentLookup environment = {}, QObject *parent = nullptr);
    ~TokenStore() override;

    QUrl apiUrl() const { return m_apiUrl; }
    // Later calls use the account of the new host; a keychain found broken
    // stays broken for the session (it is the machine's, not the host's).
    void setApiUrl(const QUrl &apiUrl);
    // The keychain key for an API URL: its host, lowercased, and its port when
    // the URL names one, so two servers (two accounts) never share a token.
    static QString accountFor(const QUrl &apiUrl);

    void load(); // -> loaded(); an empty token means none is stored
    void store(const QByteArray &token); // -> stored()
    void erase(); // -> erased(); the environment variable cannot be erased by us

    Location location() const;
    QString locationDescription() const;
    // Why the token is not where the recruiter would expect it; empty when
    // the keychain works.
    QString warning() const { return m_warning; }

Q_SIGNALS:
    void loaded(const QByteArray &token, cdesk::TokenStore::Location where);
    void stored(cdesk::TokenStore::Location where, const QString &warning);
    void erased();

private:
    QByteArray environmentToken() const;
    QString environmentNote() const;
    void useMemoryBecause(const TokenBackend::Result &failure);
    template<typename Emit> void emitLater(Emit emitter);

    QUrl m_apiUrl;
    std::unique_ptr<TokenBackend> m_keychain;
    std::unique_ptr<TokenBackend> m_memory;
    EnvironmentLookup m_environment;
    bool m_keychainBroken = false;
    QString m_warning;
};

} // namespace cdesk
