#include "account/Account.h"

#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "settings/KeychainBackend.h"
#include "settings/Settings.h"
#include "store/InstanceLock.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QDir>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace cdesk {

Account::Account(QObject *parent)
    : Account(Seams {}, parent)
{ }

Account::Account(Seams seams, QObject *parent)
    : QObject(parent)
    , m_clock(seams.clock ? seams.clock : Clock::system())
    , m_defaultDataDir(std::move(seams.dataDir))
    , m_settings(seams.settings ? std::move(seams.settings) : Settings::openDefault())
    , m_ownNetwork(seams.network ? nullptr : std::make_unique<QNetworkAccessManager>())
    , m_network(seams.network ? seams.network : m_ownNetwork.get())
    , m_tokens(std::make_unique<TokenStore>(
          m_settings->apiUrl(),
          seams.tokenBackend ? std::move(seams.tokenBackend) : std::make_unique<KeychainBackend>(),
          std::move(seams.environment)))
    , m_api(std::make_unique<ApiClient>(m_network, m_clock))
{
    m_api->setTimeout(m_settings->timeoutMs());
}

Account::~Account() = default;

void Account::setApiUrlOverride(const QUrl &url)
{
    m_apiUrlOverride = url;
    m_tokens->setApiUrl(url);
}

QUrl Account::apiUrl() const
{
    return m_apiUrlOverride ? *m_apiUrlOverride : m_settings->apiUrl();
}

QString Account::defaultDataDir(bool sandbox) const
{
    return m_defaultDataDir.isEmpty() ? Workspace::defaultDataDir(sandbox) : m_defaultDataDir;
}

bool Account::lockDataDir(const QString &dataDir, QString *error, bool *heldElsewhere)
{
    m_dataDir = dataDir;
    m_lock.reset();
    // A folder that cannot be made gets no lock either; opening the workspace
    // then says why in the recruiter's words.
    QDir().mkpath(dataDir);
    m_lock = InstanceLock::acquire(dataDir, error, heldElsewhere);
    return m_lock != nullptr;
}

bool Account::takeLock()
{
    if (!m_lock) {
        QString error;
        m_lock = InstanceLock::acquire(m_dataDir, &error);
    }
    if (m_lock && !m_tidied && m_workspace) {
        m_workspace->tidy();
        m_tidied = true;
    }
    return m_lock != nullptr;
}

void Account::releaseLock()
{
    m_lock.reset();
}

bool Account::openWorkspace(QString *error)
{
    Q_ASSERT_X(!m_dataDir.isEmpty(), "Account::openWorkspace", "lockDataDir() names the folder");
    m_engine.reset();
    m_workspace = std::make_unique<Workspace>(m_dataDir, m_clock);
    m_workspace->setMayRepair(m_lock != nullptr);
    if (!m_workspace->open(error))
        return false;

    m_engine = std::make_unique<SubmissionEngine>(m_workspace->outbox(), m_api.get(), m_clock);
    m_engine->setConcurrency(m_settings->concurrency());
    connect(m_settings.get(), &Settings::changed, m_engine.get(),
            [this] { m_engine->setConcurrency(m_settings->concurrency()); });
    // A 413 that names the server's limit is kept, so the next oversized
    // resume is caught before it is sent.
    connect(m_engine.get(), &SubmissionEngine::serverLimitLearned, m_settings.get(),
            [this](qint64 bytes) { m_settings->setMaxResumeBytes(bytes); });
    return true;
}

bool Account::useSandbox(QString *error)
{
    Q_ASSERT(m_workspace);
    QString why;
    const auto endpoint = m_sandboxStarter ? m_sandboxStarter(&why) : std::nullopt;
    if (!endpoint) {
        *error = tr("The sandbox could not start: %1").arg(why);
        return false;
    }
    m_api->setEndpoint(*endpoint);
    // Nothing queued for the sandbox can ever reach a real account, and back.
    m_workspace->outbox()->setAccount(u"sandbox"_s);
    return true;
}

void Account::useApi()
{
    Q_ASSERT(m_workspace);
    m_api->setEndpoint(ApiEndpoint(apiUrl(), {}));
    m_workspace->outbox()->setAccount(Outbox::accountFor(apiUrl()));
    if (m_followsToken)
        return;
    m_followsToken = true;
    // Every load answers here, the Settings dialog's too: the address is read
    // again, as the recruiter may have changed both.
    connect(m_tokens.get(), &TokenStore::loaded, this,
            [this](const QByteArray &token, TokenStore::Location) {
                m_api->setEndpoint(ApiEndpoint(apiUrl(), token));
                Q_EMIT tokenLoaded(token);
            });
}

void Account::loadToken()
{
    Q_ASSERT(m_workspace);
    m_workspace->outbox()->setAccount(Outbox::accountFor(apiUrl()));
    m_tokens->setApiUrl(apiUrl());
    m_tokens->load();
}

} // namespace cdesk
