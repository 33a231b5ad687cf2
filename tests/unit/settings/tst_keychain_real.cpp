// The one test against a real keychain: QtKeychain talking to a Secret
// Service over D-Bus. packaging/run-tests.sh provides one (dbus-run-session
// with an unlocked gnome-keyring); where there is none, the test skips and
// says why, so it passes on any machine but proves something in CI.
#include "settings/KeychainBackend.h"
#include "settings/TokenStore.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using cdesk::KeychainBackend;
using cdesk::TokenBackend;
using cdesk::TokenStore;
using Status = TokenBackend::Status;

namespace {

constexpr int KeychainTimeoutMs = 30000; // the first call may start the daemon
const auto SecretService = u"org.freedesktop.secrets"_s;
const auto HowToRun = u" Run the tests as packaging/run-tests.sh does: inside dbus-run-session, "
                      "after `gnome-keyring-daemon --unlock --components=secrets`."_s;

// Empty when a Secret Service can be reached; otherwise why not.
QString secretServiceProblem()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return u"there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)."_s;
    const QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return u"the D-Bus session bus cannot be reached (%1)."_s.arg(bus.lastError().message());
    const QDBusConnectionInterface *busInterface = bus.interface();
    if (busInterface->isServiceRegistered(SecretService).value()
        || busInterface->activatableServiceNames().value().contains(SecretService))
        return {};
    return u"nothing provides org.freedesktop.secrets on the session bus."_s;
}

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return raw.toHex();
}

QString describe(const TokenBackend::Result &result)
{
    const char *status = QMetaEnum::fromType<Status>().valueToKey(int(result.status));
    QString text = QString::fromLatin1(status) + u": "_s + result.message;
    // The usual cause is the set-up, not the code: say how to fix it.
    if (result.message.contains(u"collection/login"_s))
        text += u" (the keyring has no unlocked 'login' collection: gnome-keyring-daemon "
                "--unlock creates one only when given a NON-EMPTY password on stdin)"_s;
    return text;
}

} // namespace

class TestKeychainReal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        const QString problem = secretServiceProblem();
        if (!problem.isEmpty())
            QSKIP(qPrintable(u"No Secret Service: "_s + problem + HowToRun));
    }

    // A test that failed halfway must not leave its entry in a real keychain.
    void cleanup()
    {
        if (m_leftover.isEmpty())
            return;
        std::optional<TokenBackend::Result> removed;
        m_backend.remove(m_leftover, [&](const TokenBackend::Result &r) { removed = r; });
        QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), KeychainTimeoutMs);
        m_leftover.clear();
    }

    void backend_storesLoadsAndErasesARandomToken()
    {
        const QString account = u"tst-keychain-real-"_s + QString::fromLatin1(randomHex(8));
        const QByteArray token = randomHex(20);

        std::optional<TokenBackend::Result> written;
        m_backend.write(account, token, [&](const TokenBackend::Result &r) { written = r; });
        QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), KeychainTimeoutMs);
        if (written->status == Status::Unavailable)
            QSKIP(qPrintable(u"QtKeychain finds no backend: "_s + written->message + HowToRun));
        QVERIFY2(written->status == Status::Ok, qPrintable(describe(*written)));
        m_leftover = account;

        std::optional<TokenBackend::Result> read;
        m_backend.read(account, [&](const TokenBackend::Result &r) { read = r; });
        QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), KeychainTimeoutMs);
        QVERIFY2(read->status == Status::Ok, qPrintable(describe(*read)));
        QCOMPARE(read->token, token);

        std::optional<TokenBackend::Result> removed;
        m_backend.remove(account, [&](const TokenBackend::Result &r) { removed = r; });
        QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), KeychainTimeoutMs);
        QVERIFY2(removed->status == Status::Ok, qPrintable(describe(*removed)));
        m_leftover.clear();

        std::optional<TokenBackend::Result> gone;
        m_backend.read(account, [&](const TokenBackend::Result &r) { gone = r; });
        QTRY_VERIFY_WITH_TIMEOUT(gone.has_value(), KeychainTimeoutMs);
        QVERIFY2(gone->status == Status::NotFound, qPrintable(describe(*gone)));
    }

    // The same through TokenStore: it must stay on the keychain, not fall back.
    void tokenStore_keepsTheTokenInTheKeychain()
    {
        const QUrl apiUrl(
            u"https://tst-%1.example.invalid/api/v1/"_s.arg(QString::fromLatin1(randomHex(8))));
        TokenStore store(apiUrl, std::make_unique<KeychainBackend>(),
                         [](const char *) { return QByteArray(); });
        const QByteArray token = randomHex(20);

        QSignalSpy stored(&store, &TokenStore::stored);
        store.store(token);
        QTRY_COMPARE_WITH_TIMEOUT(stored.size(), 1, KeychainTimeoutMs);
        QVERIFY2(stored.at(0).at(0).value<TokenStore::Location>() == TokenStore::Location::Keychain,
                 qPrintable(store.warning()));
        QCOMPARE(stored.at(0).at(1).toString(), QString());
        m_leftover = TokenStore::accountFor(apiUrl);

        QSignalSpy loaded(&store, &TokenStore::loaded);
        store.load();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, KeychainTimeoutMs);
        QCOMPARE(loaded.at(0).at(0).toByteArray(), token);
        QCOMPARE(loaded.at(0).at(1).value<TokenStore::Location>(), TokenStore::Location::Keychain);

        QSignalSpy erased(&store, &TokenStore::erased);
        store.erase();
        QTRY_COMPARE_WITH_TIMEOUT(erased.size(), 1, KeychainTimeoutMs);
        QCOMPARE(store.warning(), QString());
        m_leftover.clear();

        store.load();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 2, KeychainTimeoutMs);
        QCOMPARE(loaded.at(1).at(0).toByteArray(), QByteArray());
        QCOMPARE(store.location(), TokenStore::Location::Keychain);
    }

private:
    KeychainBackend m_backend;
    QString m_leftover; // an account this test wrote and has not removed yet
};

QTEST_GUILESS_MAIN(TestKeychainReal)
#include "tst_keychain_real.moc"
