#include "StoreTestSupport.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/JobCache.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

Job job(qint64 id, const QString &title, bool open = true)
{
    Job j;
    j.id = id;
    j.title = title;
    j.department = u"Engineering"_s;
    j.location = u"Bengaluru"_s;
    j.open = open;
    j.createdAt = QDateTime(QDate(2026, 10, 2), QTime(9, 15), QTimeZone::utc());
    return j;
}

QList<qint64> idsOf(const QList<Job> &jobs)
{
    QList<qint64> ids;
    for (const Job &j : jobs)
        ids << j.id;
    return ids;
}

} // namespace

class TestJobCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replace_storesTheListInOrder_stampedNow()
    {
        QTemporaryDir dir;
        FakeClock clock;
        Database db(dir.filePath(u"cdesk.sqlite"_s), &clock);
        QString error;
        QVERIFY2(db.open(&error), qPrintable(error));
        JobCache cache(&db, &clock);

        QVERIFY(cache.jobs().isEmpty());
        QCOMPARE(cache.fetchedAt(), std::nullopt);

        const QList<Job> first { job(42, u"Backend Engineer"_s), job(7, u"Designer"_s, false),
                                 job(19, u"Recruiter"_s) };
        QVERIFY2(cache.replace(first, &error), qPrintable(error));
        const QList<Job> stored = cache.jobs();
        QCOMPARE(idsOf(stored), (QList<qint64> { 42, 7, 19 }));
        QCOMPARE(stored[0].title, u"Backend Engineer"_s);
        QCOMPARE(stored[0].department, u"Engineering"_s);
        QCOMPARE(stored[0].location, u"Bengaluru"_s);
        QCOMPARE(stored[0].createdAt, first[0].createdAt);
        QCOMPARE(stored[1].open, false);
        QCOMPARE(cache.fetchedAt(), std::optional<QDateTime>(clock.now()));

        // A later fetch replaces the whole list.
        clock.advance(60 * 1000);
        QVERIFY(cache.replace({ job(8, u"Data Engineer"_s) }, &error));
        QCOMPARE(idsOf(cache.jobs()), QList<qint64> { 8 });
        QCOMPARE(cache.fetchedAt(), std::optional<QDateTime>(clock.now()));

        // Fetched, and no job open: an empty list that still has a time.
        clock.advance(1000);
        QVERIFY(cache.replace({}, &error));
        QVERIFY(cache.jobs().isEmpty());
        QCOMPARE(cache.fetchedAt(), std::optional<QDateTime>(clock.now()));
    }

    void replace_jobListedTwice_keptOnceAtItsFirstPlace()
    {
        QTemporaryDir dir;
        FakeClock clock;
        Database db(dir.filePath(u"cdesk.sqlite"_s), &clock);
        QString error;
        QVERIFY2(db.open(&error), qPrintable(error));
        JobCache cache(&db, &clock);
        // Pages that shifted while they were fetched list a job twice.
        QVERIFY2(
            cache.replace({ job(1, u"A"_s), job(2, u"B"_s), job(1, u"A again"_s), job(3, u"C"_s) },
                          &error),
            qPrintable(error));
        QCOMPARE(idsOf(cache.jobs()), (QList<qint64> { 1, 2, 3 }));
        QCOMPARE(cache.jobs().first().title, u"A"_s);
    }

    void jobs_surviveAReopen()
    {
        QTemporaryDir dir;
        FakeClock clock;
        QString error;
        {
            Database db(dir.filePath(u"cdesk.sqlite"_s), &clock);
            QVERIFY2(db.open(&error), qPrintable(error));
            JobCache cache(&db, &clock);
            QVERIFY(cache.replace({ job(42, u"Backend Engineer"_s) }, &error));
        }
        Database db(dir.filePath(u"cdesk.sqlite"_s), &clock);
        QVERIFY2(db.open(&error), qPrintable(error));
        JobCache cache(&db, &clock);
        QCOMPARE(idsOf(cache.jobs()), QList<qint64> { 42 });
        QCOMPARE(cache.fetchedAt(), std::optional<QDateTime>(clock.now()));
    }
};

QTEST_GUILESS_MAIN(TestJobCache)
#include "tst_jobcache.moc"
