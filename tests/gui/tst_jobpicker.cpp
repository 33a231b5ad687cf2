#include "JobPicker.h"
#include "SandboxFixture.h"
#include "TestData.h"

#include "api/ApiClient.h"
#include "api/ApiEndpoint.h"
#include "core/Clock.h"
#include "intake/JobDirectory.h"
#include "store/Database.h"
#include "store/JobCache.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

Job job(qint64 id, const QString &title, const QString &department, const QString &location,
        bool open = true)
{
    Job j;
    j.id = id;
    j.title = title;
    j.department = department;
    j.location = location;
    j.open = open;
    return j;
}

QList<Job> sampleJobs()
{
    return {
        job(1, u"Backend Engineer"_s, u"Engineering"_s, u"Bengaluru"_s),
        job(2, u"Product Designer"_s, u"Design"_s, u"Remote"_s),
        job(3, u"Data Analyst"_s, u"Analytics"_s, u"São Paulo"_s),
        job(4, u"Frontend Engineer"_s, u"Engineering"_s, u"Pune"_s),
        job(5, u"Office Manager"_s, u"Operations"_s, u"Mumbai"_s, false),
        job(6, u"Platform Engineer"_s, u"Engineering"_s, u"Berlin"_s, false),
    };
}

QListView *listOf(const JobPicker &picker)
{
    return picker.findChild<QListView *>(u"jobList"_s);
}

QStringList visibleRows(const JobPicker &picker)
{
    QStringList rows;
    const QAbstractItemModel *model = listOf(picker)->model();
    for (int row = 0; row < model->rowCount(); ++row)
        rows.append(model->index(row, 0).data().toString());
    return rows;
}

QString statusOf(const JobPicker &picker)
{
    return picker.findChild<QLabel *>(u"jobStatus"_s)->text();
}

} // namespace

class TestJobPicker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void talentPoolFirst_andClosedJobsHidden()
    {
        JobPicker picker;
        const QStringList empty = visibleRows(picker);
        QCOMPARE(empty, QStringList { u"Talent Pool (no job)"_s });
        QCOMPARE(picker.jobId(), std::nullopt);
        QCOMPARE(picker.jobTitle(), u"Talent Pool"_s);

        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        const QStringList rows = visibleRows(picker);
        QCOMPARE(rows.size(), 5);
        QCOMPARE(rows.first(), u"Talent Pool (no job)"_s);
        QVERIFY(rows.at(1).startsWith(u"Backend Engineer — Engineering · Bengaluru"_s));
        QVERIFY(!rows.join(u'|').contains(u"Office Manager"_s));
        QVERIFY(!rows.join(u'|').contains(u"Platform Engineer"_s));
    }

    void typingPartOfADepartment_filters_talentPoolStaysFirst()
    {
        JobPicker picker;
        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        auto *search = picker.findChild<QLineEdit *>(u"jobSearch"_s);
        QVERIFY(search);

        QTest::keyClicks(search, u"enginee"_s);
        QStringList rows = visibleRows(picker);
        QCOMPARE(rows.size(), 3); // the closed Platform Engineer stays hidden
        QCOMPARE(rows.at(0), u"Talent Pool (no job)"_s);
        QVERIFY(rows.at(1).startsWith(u"Backend Engineer"_s));
        QVERIFY(rows.at(2).startsWith(u"Frontend Engineer"_s));

        // Words narrow down; location counts, and accents do not matter.
        search->clear();
        QTest::keyClicks(search, u"ENG pune"_s);
        rows = visibleRows(picker);
        QCOMPARE(rows.size(), 2);
        QVERIFY(rows.at(1).startsWith(u"Frontend Engineer"_s));

        search->clear();
        QTest::keyClicks(search, u"sao paulo"_s);
        rows = visibleRows(picker);
        QCOMPARE(rows.size(), 2);
        QVERIFY(rows.at(1).startsWith(u"Data Analyst"_s));

        search->clear();
        QTest::keyClicks(search, u"nothing like this"_s);
        QCOMPARE(visibleRows(picker), QStringList { u"Talent Pool (no job)"_s });
    }

    void downAndEnter_pickFromTheSearchField()
    {
        JobPicker picker;
        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        QSignalSpy changed(&picker, &JobPicker::changed);
        auto *search = picker.findChild<QLineEdit *>(u"jobSearch"_s);

        QTest::keyClicks(search, u"engineering"_s);
        QCOMPARE(changed.count(), 0); // typing only filters
        QTest::keyClick(search, Qt::Key_Down);
        QCOMPARE(picker.jobId(), std::optional<qint64>(1));
        QTest::keyClick(search, Qt::Key_Down);
        QCOMPARE(picker.jobId(), std::optional<qint64>(4));
        QCOMPARE(picker.jobTitle(), u"Frontend Engineer"_s);
        QCOMPARE(changed.count(), 2);
        QTest::keyClick(search, Qt::Key_Up);
        QTest::keyClick(search, Qt::Key_Up);
        QCOMPARE(picker.jobId(), std::nullopt); // back on the Talent Pool

        search->clear();
        QTest::keyClicks(search, u"design"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(picker.jobId(), std::optional<qint64>(2));
        QVERIFY(picker.findChild<QLabel *>(u"jobChosen"_s)->text().contains(u"Product Designer"_s));
    }

    void clickingARow_picksIt_andTalentPoolCanBeChosenAgain()
    {
        JobPicker picker;
        picker.resize(400, 400);
        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        QListView *list = listOf(picker);

        const QModelIndex analyst = list->model()->index(3, 0);
        QVERIFY(analyst.data().toString().startsWith(u"Data Analyst"_s));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(analyst).center());
        QCOMPARE(picker.jobId(), std::optional<qint64>(3));

        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualRect(list->model()->index(0, 0)).center());
        QCOMPARE(picker.jobId(), std::nullopt);
    }

    void unknownJobId_isKept_andShownAsJobNumber()
    {
        JobPicker picker;
        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        picker.setJobId(99);
        QCOMPARE(picker.jobId(), std::optional<qint64>(99));
        QCOMPARE(picker.jobTitle(), u"Job #99"_s);
        QCOMPARE(visibleRows(picker).at(1), u"Job #99"_s);

        // A fresh list that has the job: its title replaces the number.
        QList<Job> jobs = sampleJobs();
        jobs.append(job(99, u"Sales Lead"_s, u"Sales"_s, u"Delhi"_s));
        picker.setJobs(jobs, QDateTime::currentDateTimeUtc(), false);
        QCOMPARE(picker.jobId(), std::optional<qint64>(99));
        QCOMPARE(picker.jobTitle(), u"Sales Lead"_s);
        QVERIFY(!visibleRows(picker).contains(u"Job #99"_s));
    }

    void closedJob_showsOnlyWhileChosen()
    {
        JobPicker picker;
        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        picker.setJobId(5); // a record mapped to a job closed since
        QCOMPARE(picker.jobTitle(), u"Office Manager"_s);
        QVERIFY(visibleRows(picker).contains(u"Office Manager — Operations · Mumbai (closed)"_s));
        picker.setJobId(std::nullopt);
        QVERIFY(!visibleRows(picker).join(u'|').contains(u"Office Manager"_s));
    }

    void statusSays_liveOrCache_andHowOld()
    {
        FakeClock clock;
        JobPicker picker(&clock);
        const QDateTime now = clock.now();
        picker.setJobs(sampleJobs(), now.addSecs(-3 * 60), false);
        QCOMPARE(statusOf(picker), u"4 open job(s), updated 3 min ago"_s);

        picker.setJobs(sampleJobs(), now.addSecs(-2 * 3600 - 30), true);
        QCOMPARE(statusOf(picker), u"Offline — jobs from 2 hour(s) ago"_s);

        picker.setJobs({ job(1, u"Only"_s, {}, {}) }, now, false);
        QCOMPARE(statusOf(picker), u"1 open job(s), updated less than a minute ago"_s);
        clock.advance(3 * 24 * 3600 * 1000LL);
        picker.setJobs({ job(1, u"Only"_s, {}, {}) }, now, true);
        QCOMPARE(statusOf(picker), u"Offline — jobs from 3 day(s) ago"_s);
    }

    // Bound to a directory, the picker shows the cached list at once, with
    // its age by the directory's clock, and Refresh asks the directory.
    void boundToADirectory_showsTheCachedListAtOnce_andRefreshAsksIt()
    {
        QTemporaryDir dir;
        FakeClock clock;
        Database db(dir.filePath(u"cdesk.sqlite"_s), &clock);
        QString error;
        QVERIFY2(db.open(&error), qPrintable(error));
        JobCache cache(&db, &clock);
        QVERIFY2(cache.replace(sampleJobs(), &error), qPrintable(error));
        clock.advance(90 * 60 * 1000);
        QNetworkAccessManager network;
        ApiClient api(&network, &clock); // no token yet: nothing is fetched
        JobDirectory directory(&api, &cache, &clock);

        JobPicker picker; // the system clock, until it is bound
        picker.bind(&directory);
        QCOMPARE(statusOf(picker), u"Jobs not loaded yet: refresh to fetch them."_s);
        QTest::mouseClick(picker.findChild<QToolButton *>(u"jobRefresh"_s), Qt::LeftButton);
        QCOMPARE(directory.state(), JobDirectory::State::WaitingForToken);
        QCOMPARE(visibleRows(picker).size(), 5);
        QCOMPARE(statusOf(picker), u"Offline — jobs from 1 hour(s) ago"_s);
        picker.setJobId(4);
        QCOMPARE(picker.jobTitle(), u"Frontend Engineer"_s);
    }

    void refresh_emitsRequest_andWaitsWhileLoading()
    {
        JobPicker picker;
        QSignalSpy refresh(&picker, &JobPicker::refreshRequested);
        auto *button = picker.findChild<QToolButton *>(u"jobRefresh"_s);
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(refresh.count(), 1);

        picker.setLoading(true);
        QVERIFY(!button->isEnabled());
        QCOMPARE(statusOf(picker), u"Loading jobs…"_s);
        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        QVERIFY(button->isEnabled());
    }

    // A long list shows how far it got, page by page, and the button stops
    // it; what was shown before stays.
    void longList_showsItsProgress_andCanBeStopped()
    {
        QTemporaryDir dir;
        QJsonArray seeded;
        for (int i = 1; i <= 250; ++i)
            seeded.append(test::seedJob(i, u"Job %1"_s.arg(i), u"Sales"_s, u"Pune"_s, u"open"_s));
        sandbox::Options options;
        options.seedJobsFile = test::writeSeedJobs(dir.path(), seeded);
        test::SandboxFixture sandbox;
        QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));

        FakeClock clock;
        Database db(dir.filePath(u"cdesk.sqlite"_s), &clock);
        QString error;
        QVERIFY2(db.open(&error), qPrintable(error));
        JobCache cache(&db, &clock);
        QNetworkAccessManager network;
        ApiClient api(&network, &clock);
        api.setEndpoint(ApiEndpoint(sandbox.baseUrl(), sandbox.token()));
        JobDirectory directory(&api, &cache, &clock);
        JobPicker picker;
        picker.bind(&directory);
        auto *button = picker.findChild<QToolButton *>(u"jobRefresh"_s);

        // The second page does not come (for a minute): the picker stays at
        // the first one.
        connect(&directory, &JobDirectory::progress, &picker, [&sandbox] {
            sandbox::Faults slow;
            slow.latencyMs = 60000;
            sandbox.setFaults(slow);
        });
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(directory.state(), JobDirectory::State::Loading);
        QCOMPARE(button->text(), u"Stop"_s);
        QVERIFY(button->isEnabled());
        QTRY_COMPARE(statusOf(picker), u"Loading jobs… 200 of 250"_s);

        QSignalSpy loaded(&directory, &JobDirectory::loaded);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(directory.state(), JobDirectory::State::Idle);
        QCOMPARE(button->text(), u"Refresh"_s);
        QCOMPARE(statusOf(picker), u"Jobs not loaded yet: refresh to fetch them."_s);
        QCOMPARE(loaded.count(), 0);
        sandbox.setFaults({});
    }

    void error_isShown_andClearedByAChoice()
    {
        JobPicker picker;
        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        auto *error = picker.findChild<QLabel *>(u"jobError"_s);
        picker.setError(u"Choose an open job."_s);
        QCOMPARE(error->text(), u"Choose an open job."_s);
        QVERIFY(!error->isHidden());
        QTest::keyClick(picker.findChild<QLineEdit *>(u"jobSearch"_s), Qt::Key_Down);
        QVERIFY(error->isHidden());
    }

    void models_passTheModelTester()
    {
        JobPicker picker;
        auto *proxy = qobject_cast<QSortFilterProxyModel *>(listOf(picker)->model());
        QVERIFY(proxy);
        QAbstractItemModel *source = proxy->sourceModel();
        QVERIFY(source);
        QAbstractItemModelTester sourceTester(
            source, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

        picker.setJobs(sampleJobs(), QDateTime::currentDateTimeUtc(), false);
        picker.setJobId(42); // adds "Job #42"
        picker.setJobId(43); // changes it
        picker.setJobId(5); // removes it; a closed job comes into sight
        picker.setJobId(std::nullopt);
        auto *search = picker.findChild<QLineEdit *>(u"jobSearch"_s);
        QTest::keyClicks(search, u"eng"_s);
        QTest::keyClick(search, Qt::Key_Down);
        search->clear();
        picker.setJobs({}, QDateTime::currentDateTimeUtc(), true);
        picker.setJobs(sampleJobs(), {}, true);
        QCOMPARE(statusOf(picker), u"Offline — jobs from an earlier session"_s);
        QCOMPARE(source->rowCount(), 7);
    }
};

QTEST_MAIN(TestJobPicker)
#include "tst_jobpicker.moc"
