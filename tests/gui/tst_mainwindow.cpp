#include "MainWindow.h"
#include "SandboxFixture.h"

#include <QLabel>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

using namespace Qt::StringLiterals;

// The window against the sandbox on an ephemeral port, as `candidate-desk
// --sandbox` builds it.
class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void sandboxWindow_listsOpenJobs_andShowsBadge()
    {
        cdesk::test::SandboxFixture sandbox;
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        QNetworkAccessManager network;
        cdesk::MainWindow window(&network, cdesk::ApiEndpoint(sandbox.baseUrl(), sandbox.token()),
                                 true);
        QSignalSpy loaded(&window, &cdesk::MainWindow::jobsLoaded);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);

        auto *jobs = window.findChild<QListWidget *>(u"jobList"_s);
        QVERIFY(jobs);
        // The default seed has nine open jobs among its twelve; closed ones are not listed.
        QCOMPARE(loaded.first().first().toInt(), jobs->count());
        QCOMPARE(jobs->count(), 9);
        QVERIFY(window.findChild<QLabel *>(u"sandboxBadge"_s));
        QCOMPARE(window.findChild<QLabel *>(u"reachability"_s)->text(), u"Connected"_s);
    }

    void badToken_saysSoInTheStatusBar()
    {
        cdesk::test::SandboxFixture sandbox;
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        QNetworkAccessManager network;
        cdesk::MainWindow window(&network, cdesk::ApiEndpoint(sandbox.baseUrl(), "wrong-token"),
                                 false);
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.findChild<QLabel *>(u"reachability"_s)->text(),
                                  u"Not reachable"_s, 20000);
        QVERIFY(window.statusBar()->currentMessage().contains(u"token"_s));
        QVERIFY(!window.findChild<QLabel *>(u"sandboxBadge"_s));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
