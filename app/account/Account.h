#pragma once

#include "api/ApiEndpoint.h"
#include "settings/TokenStore.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace cdesk {

class ApiClient;
class Clock;
class InstanceLock;
class Settings;
class SubmissionEngine;
class TokenBackend;
class Workspace;

// Everything that talks to one ATS account, built and wired in one place for
// the window (main.cpp) and the command line (Cli): the recruiter's settings,
// the token, the endpoint, the network manager, the local workspace (data
// folder, outbox, drafts, history) with its instance lock, the API client and
// the submission engine.
//
// It is built in steps, because the window asks the recruiter things between
// them (the first-run dialog before the folder is known; "another window has
// this folder" before the database is opened):
//   Account account(seams);               settings, token store, network, API client
//   account.lockDataDir(dir, &error);     the folder, and its lock when it is free
//   account.openWorkspace(&error);        the database, the outbox and the engine
//   account.useSandbox(&error)            where the API is: the sandbox,
//   or account.useApi(); loadToken();     or the address in the settings and its token
// Starting the engine is left to the caller: only the lock's holder sends.
class Account : public QObject
{
    Q_OBJECT
public:
    // What a test replaces. Whatever is left empty is the product's own.
    struct Seams
    {
        Clock *clock = nullptr; // the system clock
        std::unique_ptr<Settings> settings; // the user's settings file
        std::unique_ptr<TokenBackend> tokenBackend; // the system keychain
        TokenStore::EnvironmentLookup environment; // the process's environment
        QNetworkAccessManager *network = nullptr; // one of the account's own
        QString dataDir; // Workspace::defaultDataDir()
    };
    // Starts the local sandbox API and says where it listens: only main.cpp
    // knows the sandbox exists.
    using SandboxStarter = std::function<std::optional<ApiEndpoint>(QString *error)>;

    explicit Account(QObject *parent = nullptr); // the product's own, all of it
    explicit Account(Seams seams, QObject *parent = nullptr);
    ~Account() override;

    Clock *clock() const { return m_clock; }
    Settings *settings() const { return m_settings.get(); }
    TokenStore *tokens() const { return m_tokens.get(); }
    QNetworkAccessManager *network() const { return m_network; }
    ApiClient *api() const { return m_api.get(); }
    Workspace *workspace() const { return m_workspace.get(); } // null before openWorkspace()
    SubmissionEngine *engine() const { return m_engine.get(); } // null before openWorkspace()

    // --api-url: this address instead of the settings' one, for this run. An
    // empty or broken one wins too, so the caller can say what is wrong with it.
    void setApiUrlOverride(const QUrl &url);
    // The override, or the settings' address as it is now (the recruiter may
    // change it while the window runs).
    QUrl apiUrl() const;
    // The data folder when the caller names none.
    QString defaultDataDir(bool sandbox) const;

    // Makes the data folder and takes its instance lock when no other copy
    // holds it. Without the lock this copy may read but must neither repair
    // the database nor send: two copies would send one outbox twice. False
    // without the lock; *heldElsewhere tells another copy's lock apart from a
    // folder where no lock can be made.
    bool lockDataDir(const QString &dataDir, QString *error, bool *heldElsewhere = nullptr);
    bool holdsLock() const { return m_lock != nullptr; }
    // Before sending: takes the lock if it has come free (the copy that held
    // it went away). The first call that finds it held tidies the workspace,
    // which only the holder may do.
    bool takeLock();
    void releaseLock();

    // Opens the database in the folder lockDataDir() named (repairing it only
    // with the lock) and builds the engine on its outbox, not started.
    bool openWorkspace(QString *error);

    void setSandboxStarter(SandboxStarter starter) { m_sandboxStarter = std::move(starter); }
    // These three come after openWorkspace(): the outbox follows the endpoint.
    // The sandbox's endpoint, token included, and the sandbox's own outbox
    // account. False, with *error in the recruiter's words, when it did not start.
    bool useSandbox(QString *error);
    // The endpoint at apiUrl(), without a token until loadToken() brings one.
    void useApi();
    // Reads the token for apiUrl() (again, after the settings changed), then
    // tokenLoaded(). The outbox follows the address: what waits in it goes
    // only to the account it was queued for.
    void loadToken();

Q_SIGNALS:
    // The API client already uses the token; empty when none is stored.
    void tokenLoaded(const QByteArray &token);

private:
    Clock *m_clock;
    std::optional<QUrl> m_apiUrlOverride;
    QString m_defaultDataDir;
    QString m_dataDir;
    // Declared in the order they are needed, so they go in the reverse one:
    // the engine and its calls before the database, the database before the
    // lock is given up.
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<QNetworkAccessManager> m_ownNetwork;
    QNetworkAccessManager *m_network;
    std::unique_ptr<TokenStore> m_tokens;
    std::unique_ptr<InstanceLock> m_lock;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<SubmissionEngine> m_engine;
    SandboxStarter m_sandboxStarter;
    bool m_tidied = false;
    bool m_followsToken = false;
};

} // namespace cdesk
