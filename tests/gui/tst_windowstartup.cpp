// The window's start as a sequence of steps on the running event loop: the
// first run's choice, the data folder's lock, the window, and sending. No
// step waits in a nested event loop, so each is driven here like a user would.
#include "FirstRunDialog.h"
#include "MainWindow.h"
#include "SandboxFixture.h"
#include "TestData.h"
#include "WindowStartup.h"
#include "account/Account.h"
#include "api/ApiEndpoint.h"
#include "core/Clock.h"
#include "settings/MemoryBackend.h"
#include "settings/Settings.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QCommandLinkButton>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

template<typename T> T *visibleTopLevel()
{
    const auto widgets = QApplication::topLevelWidgets();
    for (QWidget *w : widgets) {
        if (auto *t = qobject_cast<T *>(w); t && t->isVisible())
            return t;
    }
    return nullptr;
}

} // namespace

class TestWindowStartup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString())); }

    void init() { m_home = std::make_unique<QTemporaryDir>(); }

    void cleanup()
    {
        const auto widgets = QApplication::topLevelWidgets();
        for (QWidget *w : widgets)
            w->close();
        QApplication::setQuitOnLastWindowClosed(true);
    }

    // A first run asks before anything else; choosing the sandbox opens the
    // window in sandbox mode, with the data folder's lock held.
    void firstRun_choosingTheSandbox_opensTheWindow()
    {
        auto account = make();
        WindowStartup startup(account.get(), false);
        QSignalSpy shown(&startup, &WindowStartup::windowShown);
        startup.begin();

        auto *first = visibleTopLevel<FirstRunDialog>();
        QVERIFY(first);
        QCOMPARE(shown.count(), 0);
        QCOMPARE(account->workspace(), nullptr); // nothing opened before the choice
        auto *sandbox = first->findChild<QCommandLinkButton *>(u"trySandbox"_s);
        QVERIFY(sandbox);
        sandbox->click();

        QTRY_COMPARE(shown.count(), 1);
        QVERIFY(startup.window()->isVisible());
        QVERIFY(startup.window()->findChild<QLabel *>(u"sandboxBadge"_s));
        QVERIFY(account->settings()->sandboxMode());
        QVERIFY(account->holdsLock());
    }

    // What waited in the outbox goes out once the window is up: the start
    // ends with sending, not only with a window.
    void configured_opensWithoutAsking_andSendsWhatWaits()
    {
        const QString email = test::uniqueEmail(u"startup"_s);
        qint64 queued = 0;
        {
            auto earlier = make();
            QString error;
            QVERIFY2(earlier->lockDataDir(earlier->defaultDataDir(true), &error)
                         && earlier->openWorkspace(&error),
                     qPrintable(error));
            Submission s;
            s.candidate.name = u"Meera Iyer"_s;
            s.candidate.email = email;
            s.candidate.phone = u"+91 98765 43210"_s;
            s.candidate.resumeUrl = QUrl(u"https://files.example.com/meera.pdf"_s);
            s.source = u"test"_s;
            const auto row = earlier->workspace()->outbox()->enqueue(s, &error);
            QVERIFY2(row, qPrintable(error));
            queued = row->id;
        }

        auto account = make();
        WindowStartup startup(account.get(), true);
        QSignalSpy shown(&startup, &WindowStartup::windowShown);
        startup.begin();
        QCOMPARE(visibleTopLevel<FirstRunDialog>(), nullptr);
        QTRY_COMPARE(shown.count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(account->workspace()->outbox()->get(queued)->isSettled(), 20000);
        const auto row = account->workspace()->outbox()->get(queued);
        QVERIFY2(row->state == SubmissionState::Sent, qPrintable(row->lastError));
    }

    // Another copy holds the data folder: the recruiter is told so, and no
    // window opens that would send the same outbox.
    void heldElsewhere_saysSo_andOpensNoWindow()
    {
        auto holder = make();
        QString error;
        QVERIFY2(holder->lockDataDir(holder->defaultDataDir(true), &error), qPrintable(error));

        auto account = make();
        WindowStartup startup(account.get(), true);
        QSignalSpy shown(&startup, &WindowStartup::windowShown);
        startup.begin();
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = visibleTopLevel<QMessageBox>()) != nullptr);
        QVERIFY2(!box->text().isEmpty(), "the message says why");
        QCOMPARE(shown.count(), 0);
        QCOMPARE(startup.window(), nullptr);
        QVERIFY(!account->holdsLock());
    }

    // Closing the first-run question without a choice opens nothing.
    void firstRun_closedWithoutAChoice_opensNothing()
    {
        auto account = make();
        WindowStartup startup(account.get(), false);
        startup.begin();
        auto *first = visibleTopLevel<FirstRunDialog>();
        QVERIFY(first);
        first->reject();
        QTRY_COMPARE(visibleTopLevel<FirstRunDialog>(), nullptr);
        QCOMPARE(startup.window(), nullptr);
        QCOMPARE(account->workspace(), nullptr);
        QVERIFY(!account->settings()->sandboxMode());
    }

private:
    std::unique_ptr<Account> make()
    {
        Account::Seams seams;
        seams.clock = &m_clock;
        seams.settings = Settings::temporary();
        seams.tokenBackend = std::make_unique<MemoryBackend>();
        seams.environment = [](const char *) {
            return QByteArray();
        };
        seams.dataDir = m_home->filePath(u"data"_s);
        auto account = std::make_unique<Account>(std::move(seams));
        account->setSandboxStarter([this](QString *) -> std::optional<ApiEndpoint> {
            return ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.token());
        });
        return account;
    }

    test::SandboxFixture m_sandbox;
    std::unique_ptr<QTemporaryDir> m_home;
    FakeClock m_clock;
};

QTEST_MAIN(TestWindowStartup)
#include "tst_windowstartup.moc"
