// The job list's policy without a widget: real HTTP against the sandbox on an
// ephemeral port, a real SQLite cache in a temporary folder, a fake clock.
#include "SandboxFixture.h"
#include "TestData.h"
#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/JobDirectory.h"
#include "store/Database.h"
#include "store/JobCache.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

constexpr int OpenJobs = 249; // 250 seeded, one closed: two pages of 200

// A fresh local store (its own folder, database and job cache), and a
// directory over it and an API client.
struct Setup
{
    Setup(QNetworkAccessManager *network, Clock *clock, const QUrl &baseUrl,
          const QByteArray &token)
        : db(dir.filePath(u"cdesk.sqlite"_s), clock)
        , cache(&db, clock)
        , api(network, clock)
        , directory(&api, &cache, clock)
    {
        api.setEndpoint(ApiEndpoint(baseUrl, token));
        QString error;
        opened = db.open(&error);
        if (!opened)
            qWarning() << error;
    }
    QTemporaryDir dir;
    Database db;
    JobCache cache;
    ApiClient api;
    JobDirectory directory;
    bool opened = false;
};

} // namespace

class TestJobDirectory : public QObject
{
    Q_OBJECT

    QTemporaryDir m_files;
    SandboxFixture m_sandbox;
    QNetworkAccessManager m_network;
    FakeClock m_clock;

    std::unique_ptr<Setup> setup(const std::optional<QByteArray> &token = std::nullopt)
    {
        return std::make_unique<Setup>(&m_network, &m_clock, m_sandbox.baseUrl(),
                                       token.value_or(m_sandbox.token()));
    }

    void slowDown(int ms)
    {
        sandbox::Faults slow;
        slow.latencyMs = ms;
        m_sandbox.setFaults(slow);
    }

    // Loads and waits for the end; false when no loaded() came.
    static bool loadAndWait(JobDirectory &directory)
    {
        QSignalSpy loaded(&directory, &JobDirectory::loaded);
        directory.load();
        return loaded.wait(30000);
    }

    // A loopback address where nothing listens: every request is refused.
    static QUrl unreachable()
    {
        QTcpServer server;
        if (!server.listen(QHostAddress::LocalHost))
            return {};
        const quint16 port = server.serverPort();
        server.close();
        return QUrl(u"http://127.0.0.1:%1/api/v1"_s.arg(port));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_files.isValid());
        QJsonArray jobs;
        for (int i = 1; i <= 250; ++i)
            jobs.append(seedJob(i, u"Job %1"_s.arg(i), u"Engineering"_s, u"Pune"_s,
                                i == 250 ? u"closed"_s : u"open"_s));
        sandbox::Options options;
        options.seedJobsFile = writeSeedJobs(m_files.path(), jobs);
        QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));
    }

    void init() { m_sandbox.setFaults({}); }

    void freshFetch_fillsTheCache_andIsLive()
    {
        const auto s = setup();
        QVERIFY(s->opened);
        JobDirectory &directory = s->directory;
        QSignalSpy jobsChanged(&directory, &JobDirectory::jobsChanged);
        QSignalSpy loaded(&directory, &JobDirectory::loaded);
        QSignalSpy progress(&directory, &JobDirectory::progress);

        directory.load();
        // An empty cache offers nothing: "not loaded yet" says more than an empty list.
        QCOMPARE(jobsChanged.count(), 0);
        QVERIFY(!directory.hasList());
        QCOMPARE(directory.state(), JobDirectory::State::Loading);
        QCOMPARE(directory.stateText(), u"Connecting…"_s);

        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.first().at(0).toInt(), OpenJobs);
        QCOMPARE(loaded.first().at(1).toBool(), false);
        QCOMPARE(jobsChanged.count(), 1);
        QCOMPARE(directory.state(), JobDirectory::State::Live);
        QCOMPARE(directory.stateText(), u"Connected"_s);
        QCOMPARE(directory.jobs().size(), OpenJobs);
        QVERIFY(!directory.fromCache());
        QCOMPARE(directory.fetchedAt(), m_clock.now());
        QCOMPARE(directory.ageSeconds(), 0);
        QVERIFY(directory.errorMessage().isEmpty());

        QCOMPARE(s->cache.jobs().size(), OpenJobs);
        QCOMPARE(s->cache.jobs().constFirst().title, directory.jobs().constFirst().title);
        QCOMPARE(s->cache.fetchedAt(), std::optional<QDateTime>(m_clock.now()));

        // 249 open jobs come in two pages: each page is told, with the
        // server's count, so a long list shows how far it got.
        QCOMPARE(progress.count(), 2);
        QCOMPARE(progress.first().at(0).toInt(), 200);
        int previous = 0;
        for (const QList<QVariant> &page : std::as_const(progress)) {
            QVERIFY(page.at(0).toInt() > previous);
            previous = page.at(0).toInt();
            QCOMPARE(page.at(1).toInt(), OpenJobs);
        }
        QCOMPARE(previous, OpenJobs);
    }

    void serverDown_offersTheCachedListAtOnce_withItsAge()
    {
        const auto s = setup();
        QVERIFY(s->opened);
        const QDateTime fetched = m_clock.now();
        QVERIFY(loadAndWait(s->directory));
        QCOMPARE(s->directory.state(), JobDirectory::State::Live);
        m_clock.advance(2 * 3600 * 1000);

        // The next start, with the server gone.
        const QUrl down = unreachable();
        QVERIFY(down.isValid());
        s->api.setEndpoint(ApiEndpoint(down, m_sandbox.token()));
        JobDirectory directory(&s->api, &s->cache, &m_clock);
        QSignalSpy jobsChanged(&directory, &JobDirectory::jobsChanged);
        QSignalSpy loaded(&directory, &JobDirectory::loaded);
        directory.load();
        // At once, before any answer: the cached list and how old it is.
        QCOMPARE(jobsChanged.count(), 1);
        QVERIFY(directory.hasList());
        QCOMPARE(directory.jobs().size(), OpenJobs);
        QVERIFY(directory.fromCache());
        QCOMPARE(directory.fetchedAt(), fetched);
        QCOMPARE(directory.ageSeconds(), 2 * 3600);
        QCOMPARE(directory.state(), JobDirectory::State::Loading);

        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.first().at(0).toInt(), OpenJobs);
        QCOMPARE(loaded.first().at(1).toBool(), true);
        QCOMPARE(directory.state(), JobDirectory::State::Offline);
        QCOMPARE(directory.stateText(), u"Not reachable"_s);
        QVERIFY(!directory.errorMessage().isEmpty());
        QVERIFY(!directory.tokenRefused());
        QVERIFY(directory.fromCache());
        QCOMPARE(directory.fetchedAt(), fetched);
        QCOMPARE(directory.jobs().size(), OpenJobs);
        QCOMPARE(s->cache.fetchedAt(), std::optional<QDateTime>(fetched)); // not stamped again
    }

    void refusedToken_isTold_andTheCacheShown()
    {
        const auto s = setup("0000000000000000000000000000000000000000");
        QVERIFY(s->opened);
        JobDirectory &directory = s->directory;
        QVERIFY(loadAndWait(directory));
        QCOMPARE(directory.state(), JobDirectory::State::Offline);
        QVERIFY(directory.tokenRefused());
        QVERIFY(!directory.errorMessage().isEmpty());
        QVERIFY(directory.fromCache());
        QVERIFY(directory.jobs().isEmpty());
        QVERIFY(!directory.fetchedAt().isValid()); // never fetched: "an earlier session"
        QCOMPARE(directory.ageSeconds(), -1);
    }

    void cancel_stopsTheFetch_andKeepsWhatWasShown()
    {
        const auto s = setup();
        QVERIFY(s->opened);
        JobDirectory &directory = s->directory;
        slowDown(1500);

        QSignalSpy loaded(&directory, &JobDirectory::loaded);
        directory.load();
        QCOMPARE(directory.state(), JobDirectory::State::Loading);
        QTest::qWait(100); // the request is on its way
        directory.cancel();
        QCOMPARE(directory.state(), JobDirectory::State::Idle);
        QCOMPARE(directory.stateText(), QString());
        QVERIFY(!loaded.wait(2500)); // the answer would have come by now
        QVERIFY(s->cache.jobs().isEmpty());
        QCOMPARE(s->cache.fetchedAt(), std::nullopt);
        directory.cancel(); // nothing in flight: nothing happens

        // A live list stays live when a refresh is cancelled.
        m_sandbox.setFaults({});
        QVERIFY(loadAndWait(directory));
        QCOMPARE(directory.state(), JobDirectory::State::Live);
        slowDown(1500);
        directory.load();
        directory.cancel();
        QCOMPARE(directory.state(), JobDirectory::State::Live);
        QCOMPARE(directory.jobs().size(), OpenJobs);
        QVERIFY(!directory.fromCache());
        QVERIFY(!loaded.wait(2500));
    }

    void aNewerLoad_replacesTheOlder()
    {
        const auto s = setup();
        QVERIFY(s->opened);
        JobDirectory &directory = s->directory;
        slowDown(300);
        QSignalSpy loaded(&directory, &JobDirectory::loaded);
        directory.load();
        directory.load();
        QVERIFY(loaded.wait(30000));
        QVERIFY(!loaded.wait(1000));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(directory.state(), JobDirectory::State::Live);
    }

    void noToken_waits_withoutARequest()
    {
        const auto s = setup(QByteArray());
        QVERIFY(s->opened);
        JobDirectory &directory = s->directory;
        QSignalSpy loaded(&directory, &JobDirectory::loaded);
        QSignalSpy states(&directory, &JobDirectory::stateChanged);
        directory.load();
        QCOMPARE(directory.state(), JobDirectory::State::WaitingForToken);
        QCOMPARE(directory.stateText(), u"Waiting for the API token…"_s);
        QCOMPARE(states.count(), 1);
        QVERIFY(!loaded.wait(300));

        // The token arrives: the next load() fetches.
        s->api.setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.token()));
        QVERIFY(loadAndWait(directory));
        QCOMPARE(directory.state(), JobDirectory::State::Live);
    }
};

QTEST_MAIN(TestJobDirectory)
#include "tst_jobdirectory.moc"
