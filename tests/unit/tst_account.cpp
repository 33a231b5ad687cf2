// The account object the window and the command line both build on: its
// seams, its steps (lock, workspace, endpoint, token) and the connections it
// makes, without a network or a keychain.
#include "account/Account.h"
#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "settings/MemoryBackend.h"
#include "settings/Settings.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

class TestAccount : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_home.isValid()); }

    void seams_replaceTheProductsOwn()
    {
        QNetworkAccessManager network;
        auto account = make(&network);
        QCOMPARE(account->clock(), &m_clock);
        QCOMPARE(account->network(), &network);
        QCOMPARE(account->defaultDataDir(false), m_home.filePath(u"data"_s));
        QCOMPARE(account->defaultDataDir(true), m_home.filePath(u"data"_s));
        QCOMPARE(account->workspace(), nullptr);
        QCOMPARE(account->engine(), nullptr);
        QVERIFY(make()->network() != nullptr); // one of its own
    }

    void apiUrlOverride_winsOverTheSettings_evenWhenEmpty()
    {
        auto account = make();
        account->settings()->setApiUrl(QUrl(u"https://ats.example.com/api/v1"_s));
        QCOMPARE(account->apiUrl(), QUrl(u"https://ats.example.com/api/v1"_s));
        account->setApiUrlOverride(QUrl(u"https://other.example.com/api/v1"_s));
        QCOMPARE(account->apiUrl(), QUrl(u"https://other.example.com/api/v1"_s));
        QCOMPARE(account->tokens()->apiUrl(), QUrl(u"https://other.example.com/api/v1"_s));
        account->setApiUrlOverride(QUrl());
        QVERIFY(account->apiUrl().isEmpty());
    }

    void secondCopy_getsNoLock_untilTheFirstGoes()
    {
        const QString dir = m_home.filePath(u"shared"_s);
        auto first = make();
        QString error;
        QVERIFY2(first->lockDataDir(dir, &error), qPrintable(error));
        QVERIFY(first->holdsLock());
        QVERIFY2(first->openWorkspace(&error), qPrintable(error));

        auto second = make();
        bool heldElsewhere = false;
        QVERIFY(!second->lockDataDir(dir, &error, &heldElsewhere));
        QVERIFY(heldElsewhere);
        QVERIFY(!error.isEmpty());
        // Without the lock it may still read the workspace.
        QVERIFY2(second->openWorkspace(&error), qPrintable(error));
        QVERIFY(!second->takeLock());

        first.reset();
        QVERIFY(second->takeLock());
        QVERIFY(second->holdsLock());
        second->releaseLock();
        QVERIFY(!second->holdsLock());
    }

    void engine_followsTheSettings_andTeachesThemTheServerLimit()
    {
        auto account = open();
        QCOMPARE(account->engine()->concurrency(), account->settings()->concurrency());
        account->settings()->setConcurrency(7);
        QCOMPARE(account->engine()->concurrency(), 7);
        Q_EMIT account->engine()->serverLimitLearned(3 * 1024 * 1024);
        QCOMPARE(account->settings()->maxResumeBytes(), qint64(3 * 1024 * 1024));
        QCOMPARE(account->api()->endpoint().baseUrl(), QUrl());
    }

    void useApi_thenLoadToken_givesTheEndpointItsToken_andTheOutboxItsAccount()
    {
        const QUrl url(u"http://127.0.0.1:9/api/v1/"_s);
        auto backend = std::make_unique<MemoryBackend>();
        backend->write(TokenStore::accountFor(url), "0123456789abcdef",
                       [](const TokenBackend::Result &) {});
        auto account = open(nullptr, std::move(backend));
        account->settings()->setApiUrl(url);
        account->useApi();
        QCOMPARE(account->api()->endpoint().baseUrl(), url);
        QVERIFY(!account->api()->endpoint().hasToken());
        QCOMPARE(account->workspace()->outbox()->account(), Outbox::accountFor(url));

        QSignalSpy loaded(account.get(), &Account::tokenLoaded);
        account->loadToken();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(loaded.first().first().toByteArray(), QByteArray("0123456789abcdef"));
        QVERIFY(account->api()->endpoint().hasToken());

        // The recruiter moves to another address: the outbox and the token follow.
        const QUrl other(u"http://127.0.0.1:10/api/v1/"_s);
        account->settings()->setApiUrl(other);
        account->loadToken();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(loaded.last().first().toByteArray(), QByteArray());
        QCOMPARE(account->workspace()->outbox()->account(), Outbox::accountFor(other));
        QCOMPARE(account->api()->endpoint().baseUrl(), other);
    }

    void useSandbox_takesTheStartersEndpoint_orSaysWhyNot()
    {
        auto account = open();
        QString error;
        QVERIFY(!account->useSandbox(&error));
        QVERIFY2(error.contains(u"sandbox could not start"_s), qPrintable(error));

        account->setSandboxStarter([](QString *why) -> std::optional<ApiEndpoint> {
            *why = u"port taken"_s;
            return std::nullopt;
        });
        QVERIFY(!account->useSandbox(&error));
        QVERIFY2(error.endsWith(u"port taken"_s), qPrintable(error));

        const ApiEndpoint sandbox(QUrl(u"http://127.0.0.1:8123/api/v1"_s), "sandbox-token-123");
        account->setSandboxStarter([sandbox](QString *) { return std::optional(sandbox); });
        QVERIFY(account->useSandbox(&error));
        QCOMPARE(account->api()->endpoint().baseUrl(), sandbox.baseUrl());
        QVERIFY(account->api()->endpoint().hasToken());
        QCOMPARE(account->workspace()->outbox()->account(), u"sandbox"_s);
    }

private:
    std::unique_ptr<Account> make(QNetworkAccessManager *network = nullptr,
                                  std::unique_ptr<TokenBackend> backend = {})
    {
        Account::Seams seams;
        seams.clock = &m_clock;
        seams.settings = Settings::temporary();
        seams.tokenBackend = backend ? std::move(backend) : std::make_unique<MemoryBackend>();
        seams.environment = [](const char *) {
            return QByteArray();
        };
        seams.network = network;
        seams.dataDir = m_home.filePath(u"data"_s);
        return std::make_unique<Account>(std::move(seams));
    }

    std::unique_ptr<Account> open(QNetworkAccessManager *network = nullptr,
                                  std::unique_ptr<TokenBackend> backend = {})
    {
        auto account = make(network, std::move(backend));
        QString error;
        const QString dir = m_home.filePath(u"open-%1"_s.arg(++m_opened));
        if (!account->lockDataDir(dir, &error) || !account->openWorkspace(&error))
            qWarning("%s", qPrintable(error));
        return account;
    }

    QTemporaryDir m_home;
    FakeClock m_clock;
    int m_opened = 0;
};

QTEST_GUILESS_MAIN(TestAccount)
#include "tst_account.moc"
