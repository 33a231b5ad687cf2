#include "settings/Settings.h"
#include "settings/TokenStore.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using cdesk::Settings;
using cdesk::TokenBackend;
using cdesk::TokenStore;
using Location = TokenStore::Location;
using Status = TokenBackend::Status;

namespace {

const QUrl ApiUrl(u"https://ats.example.com/api/v1/"_s);
const QString Account = u"ats.example.com"_s;

// A keychain that works, or fails every call the way we tell it to.
class FakeKeychain final : public TokenBackend
{
    Q_OBJECT
public:
    using TokenBackend::TokenBackend;

    Status failWith = Status::Ok;
    QString failMessage = u"No keychain service available"_s;
    Status failRemoveWith = Status::Ok; // only remove() fails
    bool deferred = true; // answer from the event loop, as QtKeychain does
    QHash<QString, QByteArray> tokens;
    int calls = 0;

    void read(const QString &account, Done done) override
    {
        ++calls;
        if (failWith != Status::Ok)
            return answer({ failWith, {}, failMessage }, std::move(done));
        const auto it = tokens.constFind(account);
        answer(it == tokens.cend() ? Result { Status::NotFound, {}, u"Entry not found"_s }
                                   : Result { Status::Ok, *it, {} },
               std::move(done));
    }
    void write(const QString &account, const QByteArray &token, Done done) override
    {
        ++calls;
        if (failWith != Status::Ok)
            return answer({ failWith, {}, failMessage }, std::move(done));
        tokens.insert(account, token);
        answer({}, std::move(done));
    }
    void remove(const QString &account, Done done) override
    {
        ++calls;
        if (failWith != Status::Ok || failRemoveWith != Status::Ok)
            return answer({ failWith != Status::Ok ? failWith : failRemoveWith, {}, failMessage },
                          std::move(done));
        answer({ tokens.remove(account) ? Status::Ok : Status::NotFound, {}, {} }, std::move(done));
    }

private:
    void answer(const Result &result, Done done)
    {
        if (deferred)
            QMetaObject::invokeMethod(
                this, [result, done = std::move(done)] { done(result); }, Qt::QueuedConnection);
        else
            done(result);
    }
};

// The environment, as the store sees it.
struct FakeEnvironment
{
    QByteArray token;
    TokenStore::EnvironmentLookup lookup()
    {
        return [this](const char *name) {
            return QByteArrayView(name) == "CANDIDATE_DESK_TOKEN" ? token : QByteArray();
        };
    }
};

struct Harness
{
    FakeEnvironment environment;
    FakeKeychain *keychain = nullptr; // owned by store
    std::unique_ptr<TokenStore> store;

    explicit Harness(QByteArray environmentToken = {}, QUrl apiUrl = ApiUrl)
    {
        environment.token = std::move(environmentToken);
        auto backend = std::make_unique<FakeKeychain>();
        keychain = backend.get();
        store = std::make_unique<TokenStore>(apiUrl, std::move(backend), environment.lookup());
    }

    // The token and where it came from, once loaded() arrives.
    std::pair<QByteArray, Location> load()
    {
        QSignalSpy spy(store.get(), &TokenStore::loaded);
        store->load();
        if (!spy.wait(5000) && spy.isEmpty())
            return { "(loaded never came)"_ba, Location::Environment };
        return { spy.at(0).at(0).toByteArray(), spy.at(0).at(1).value<Location>() };
    }
    std::pair<Location, QString> store_(const QByteArray &token)
    {
        QSignalSpy spy(store.get(), &TokenStore::stored);
        store->store(token);
        if (!spy.wait(5000) && spy.isEmpty())
            return { Location::Environment, u"(stored never came)"_s };
        return { spy.at(0).at(0).value<Location>(), spy.at(0).at(1).toString() };
    }
    bool erase()
    {
        QSignalSpy spy(store.get(), &TokenStore::erased);
        store->erase();
        return spy.wait(5000) || !spy.isEmpty();
    }
};

// Every message Qt logs while a test runs, to prove the token is not among them.
QStringList g_messages;
QtMessageHandler g_previousHandler = nullptr;
void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_messages.append(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QStringList filesContaining(const QString &folder, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            hits.append(file.fileName());
    }
    return hits;
}

} // namespace

class TestTokenStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void environment_winsOverTheKeychain()
    {
        Harness h("  env-token-0123456789\n"_ba);
        h.keychain->tokens.insert(Account, "keychain-token-0123456789"_ba);

        const auto [token, where] = h.load();
        QCOMPARE(token, "env-token-0123456789"_ba);
        QCOMPARE(where, Location::Environment);
        QCOMPARE(h.keychain->calls, 0);
        QCOMPARE(h.store->location(), Location::Environment);
        QCOMPARE(h.store->locationDescription(),
                 u"from the CANDIDATE_DESK_TOKEN environment variable"_s);
    }

    void keychain_storeLoadErase()
    {
        Harness h;
        QCOMPARE(h.load(), std::pair(QByteArray(), Location::Keychain));

        // Pasted with a newline, as tokens often are.
        QCOMPARE(h.store_("k3ychain-t0ken-abcdef\n"_ba), std::pair(Location::Keychain, QString()));
        QCOMPARE(h.keychain->tokens.value(Account), "k3ychain-t0ken-abcdef"_ba);
        QCOMPARE(h.load(), std::pair("k3ychain-t0ken-abcdef"_ba, Location::Keychain));

        QVERIFY(h.erase());
        QVERIFY(h.keychain->tokens.isEmpty());
        QCOMPARE(h.load(), std::pair(QByteArray(), Location::Keychain));

        QCOMPARE(h.store->location(), Location::Keychain);
        QCOMPARE(h.store->locationDescription(), u"in the system keychain (Secret Service)"_s);
        QCOMPARE(h.store->warning(), QString());
    }

    void keychainFailure_fallsBackToMemory_andSaysSo_data()
    {
        QTest::addColumn<Status>("failure");
        QTest::addColumn<QString>("message");
        // QtKeychain 0.13.2 without a Secret Service answers OtherError, not
        // NoBackendAvailable: both must lead to the same place.
        QTest::newRow("no backend") << Status::Unavailable << u"No keychain service available"_s;
        QTest::newRow("other error")
            << Status::Failed
            << u"The name org.freedesktop.secrets was not provided by any .service files"_s;
    }
    void keychainFailure_fallsBackToMemory_andSaysSo()
    {
        QFETCH(Status, failure);
        QFETCH(QString, message);
        Harness h;
        h.keychain->failWith = failure;
        h.keychain->failMessage = message;

        const auto [where, warning] = h.store_("mem0ry-t0ken-abcdef"_ba);
        QCOMPARE(where, Location::Memory);
        QVERIFY2(warning.contains(u"memory"_s), qPrintable(warning));
        QVERIFY2(warning.contains(u"this session"_s), qPrintable(warning));
        QVERIFY2(warning.contains(message), qPrintable(warning));
        QCOMPARE(h.store->warning(), warning);
        QCOMPARE(h.store->location(), Location::Memory);
        QCOMPARE(h.store->locationDescription(),
                 u"in memory for this session only: no keychain is available, so you will be "
                 "asked again next time"_s);

        QCOMPARE(h.load(), std::pair("mem0ry-t0ken-abcdef"_ba, Location::Memory));
        QVERIFY(h.erase());
        QCOMPARE(h.load(), std::pair(QByteArray(), Location::Memory));
        // Found broken once, the keychain is not asked again this session.
        QCOMPARE(h.keychain->calls, 1);
    }

    void keychainFailure_onFirstLoad_fallsBackToMemory()
    {
        Harness h;
        h.keychain->failWith = Status::Unavailable;
        QCOMPARE(h.load(), std::pair(QByteArray(), Location::Memory));
        QVERIFY(!h.store->warning().isEmpty());
        QCOMPARE(h.store->location(), Location::Memory);
    }

    void eraseRefusedByKeychain_saysTheTokenMayRemain()
    {
        Harness h;
        QCOMPARE(h.store_("t0ken-that-stays-1234"_ba).first, Location::Keychain);
        h.keychain->failRemoveWith = Status::Failed;
        h.keychain->failMessage = u"Cannot delete an item in a locked collection"_s;
        QVERIFY(h.erase());
        QVERIFY2(h.store->warning().contains(u"could not be removed"_s),
                 qPrintable(h.store->warning()));
        QVERIFY2(h.store->warning().contains(u"candidate-desk"_s), qPrintable(h.store->warning()));
    }

    void storeWhileEnvironmentIsSet_savesAndWarns()
    {
        Harness h("env-token-0123456789"_ba);
        const auto [where, warning] = h.store_("saved-t0ken-abcdef"_ba);
        QCOMPARE(where, Location::Keychain);
        QVERIFY2(warning.contains(u"CANDIDATE_DESK_TOKEN"_s), qPrintable(warning));
        QCOMPARE(h.keychain->tokens.value(Account), "saved-t0ken-abcdef"_ba);
        QCOMPARE(h.store->location(), Location::Environment);
        QCOMPARE(h.load(), std::pair("env-token-0123456789"_ba, Location::Environment));
    }

    void emptyToken_isNotSaved()
    {
        Harness h;
        const auto [where, warning] = h.store_(" \n"_ba);
        QCOMPARE(where, Location::Keychain);
        QVERIFY(!warning.isEmpty());
        QCOMPARE(h.keychain->calls, 0);
    }

    void accountFor_isTheHostAndAnyExplicitPort_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::addColumn<QString>("account");
        QTest::newRow("https") << QUrl(u"https://ATS.Example.com/api/v1/"_s)
                               << u"ats.example.com"_s;
        QTest::newRow("port") << QUrl(u"http://127.0.0.1:41234/api/v1"_s) << u"127.0.0.1:41234"_s;
        QTest::newRow("none yet") << QUrl() << u"default"_s;
    }
    void accountFor_isTheHostAndAnyExplicitPort()
    {
        QFETCH(QUrl, url);
        QFETCH(QString, account);
        QCOMPARE(TokenStore::accountFor(url), account);
    }

    void twoHosts_keepTwoTokens()
    {
        Harness h;
        QCOMPARE(h.store_("t0ken-for-a-123456"_ba).first, Location::Keychain);
        h.store->setApiUrl(QUrl(u"https://other.example.org:8443/api/"_s));
        QCOMPARE(h.store_("t0ken-for-b-123456"_ba).first, Location::Keychain);
        QCOMPARE(h.keychain->tokens.value(Account), "t0ken-for-a-123456"_ba);
        QCOMPARE(h.keychain->tokens.value(u"other.example.org:8443"_s), "t0ken-for-b-123456"_ba);
        QCOMPARE(h.load().first, "t0ken-for-b-123456"_ba);
        h.store->setApiUrl(ApiUrl);
        QCOMPARE(h.load().first, "t0ken-for-a-123456"_ba);
    }

    // Callers may connect after calling; a backend that answers at once must
    // not make the store answer at once.
    void signals_neverComeFromInsideTheCall()
    {
        Harness h;
        h.keychain->deferred = false;
        QSignalSpy storedSpy(h.store.get(), &TokenStore::stored);
        QSignalSpy loadedSpy(h.store.get(), &TokenStore::loaded);
        QSignalSpy erasedSpy(h.store.get(), &TokenStore::erased);
        h.store->store("sync-t0ken-123456"_ba);
        h.store->load();
        h.store->erase();
        QCOMPARE(storedSpy.size(), 0);
        QCOMPARE(loadedSpy.size(), 0);
        QCOMPARE(erasedSpy.size(), 0);
        QTRY_COMPARE(erasedSpy.size(), 1);
        QCOMPARE(storedSpy.size(), 1);
        QCOMPARE(loadedSpy.size(), 1);
        QCOMPARE(loadedSpy.at(0).at(0).toByteArray(), "sync-t0ken-123456"_ba);

        Harness withEnvironment("env-token-0123456789"_ba);
        QSignalSpy envSpy(withEnvironment.store.get(), &TokenStore::loaded);
        withEnvironment.store->load();
        QCOMPARE(envSpy.size(), 0);
        QTRY_COMPARE(envSpy.size(), 1);
    }

    void destroyedWhileKeychainIsBusy_dropsTheAnswer()
    {
        auto h = std::make_unique<Harness>();
        QPointer<TokenStore> store = h->store.get();
        h->store->store("late-t0ken-123456"_ba);
        h.reset();
        QVERIFY(store.isNull());
        // The fake's queued answer went with it; running the loop must not crash.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }

    void token_neverReachesAnyFile_orTheLog()
    {
        const QByteArray token
            = "f3b1c0de" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
        g_messages.clear();
        g_previousHandler = qInstallMessageHandler(recordMessage);
        auto restore = qScopeGuard([] { qInstallMessageHandler(g_previousHandler); });

        const auto settings = Settings::temporary();
        QVERIFY(settings->setApiUrl(ApiUrl));
        QVERIFY(settings->setRecruiterName(u"Asha Rao"_s));

        // A working keychain, then a session without one.
        Harness working;
        QCOMPARE(working.store_(token).first, Location::Keychain);
        QCOMPARE(working.load().first, token);
        Harness broken;
        broken.keychain->failWith = Status::Failed;
        QCOMPARE(broken.store_(token).first, Location::Memory);
        QCOMPARE(broken.load().first, token);
        QVERIFY(settings->setLastSource(u"Referral"_s));
        QVERIFY(settings->sync());

        const QString settingsFolder = QFileInfo(settings->fileName()).absolutePath();
        QVERIFY(QFileInfo::exists(settings->fileName()));
        QStringList hits = filesContaining(settingsFolder, token);
        for (const auto location :
             { QStandardPaths::GenericConfigLocation, QStandardPaths::AppConfigLocation,
               QStandardPaths::AppDataLocation, QStandardPaths::GenericDataLocation,
               QStandardPaths::CacheLocation, QStandardPaths::GenericCacheLocation }) {
            const QString folder = QStandardPaths::writableLocation(location);
            if (QFileInfo(folder).isDir())
                hits += filesContaining(folder, token);
        }
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u", "_s)));

        QVERIFY(!g_messages.isEmpty()); // the fallback was logged, without the token
        for (const QString &message : std::as_const(g_messages))
            QVERIFY2(!message.contains(QString::fromLatin1(token)), qPrintable(message));
        QVERIFY(!broken.store->warning().contains(QString::fromLatin1(token)));
    }

    void redacted_showsOnlyTheLastFour_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QByteArray>("shown");
        QTest::newRow("40 hex") << "0123456789abcdef0123456789abcdef0badf00d"_ba
                                << "\xE2\x80\xA6"
                                   "f00d"_ba;
        QTest::newRow("eight") << "abcdefgh"_ba
                               << "\xE2\x80\xA6"
                                  "efgh"_ba;
        QTest::newRow("short") << "abcdefg"_ba
                               << "\xE2\x80\xA6"_ba;
        QTest::newRow("empty") << QByteArray() << "\xE2\x80\xA6"_ba;
    }
    void redacted_showsOnlyTheLastFour()
    {
        QFETCH(QByteArray, token);
        QFETCH(QByteArray, shown);
        QCOMPARE(cdesk::redacted(token), shown);
    }
};

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
