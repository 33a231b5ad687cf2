// Disk trouble, on real file systems: the data folder on a small tmpfs that
// fills up, the same tmpfs remounted read-only, and a read-only "-shm" file
// another program left behind (a read-only bind mount of that one file).
//
// What must hold (issue 9, deliverable 8): draft and outbox writes fail
// loudly, in words that say why (the disk is full; the folder or the file
// that cannot be written, by name); nothing already stored is lost; the form
// keeps what was typed; and once there is room again, the draft saves by
// itself and a submission goes through.
//
// Mounting needs root (CAP_SYS_ADMIN). A multi-threaded process cannot make a
// mount namespace of its own, so main() makes one before the first thread
// starts: every mount below is private to this process and its children (the
// command line runs), and vanishes with it even if it crashes. Where that is
// not allowed, every test is skipped with the exact reason.
//
// The same binary is also its own helper: with CDESK_DISKTROUBLE_HOLD=<data
// folder> it opens the workspace, saves a draft, says "held" and waits to be
// killed with SIGKILL. That leaves the database's -wal and -shm behind, as a
// crash or another user's copy of the app does.
#include "CandidateForm.h"
#include "CandidatePane.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "MainWindow.h"
#include "SandboxFixture.h"
#include "StoreBanner.h"
#include "TestData.h"
#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/DraftKeeper.h"
#include "intake/SubmissionEngine.h"
#include "settings/Settings.h"
#include "store/Database.h"
#include "store/DraftStore.h"
#include "store/HistoryStore.h"
#include "store/InstanceLock.h"
#include "store/Outbox.h"
#include "store/StoreStatus.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

// Why this process has no mount namespace of its own; empty when it has one.
QString g_isolationProblem;

QString enterPrivateMountNamespace()
{
    if (::geteuid() != 0)
        return u"not root (uid %1): mounting a small tmpfs as the data folder needs root "
               "(CAP_SYS_ADMIN)"_s.arg(::geteuid());
    if (::unshare(CLONE_NEWNS) != 0)
        return u"unshare(CLONE_NEWNS) failed: %1; this test needs a mount namespace of its own"_s
            .arg(QString::fromLocal8Bit(std::strerror(errno)));
    // Without this, mounts made here would propagate back to the machine's namespace.
    if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return u"making / private in the new mount namespace failed: %1"_s.arg(
            QString::fromLocal8Bit(std::strerror(errno)));
    return {};
}

// The helper mode: see the comment at the top.
int holdTheDatabase(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString dir = qEnvironmentVariable("CDESK_DISKTROUBLE_HOLD");
    Workspace workspace(dir, Clock::system());
    QString error;
    if (!workspace.open(&error)) {
        std::fprintf(stderr, "open: %s\n", qPrintable(error));
        return 2;
    }
    Draft draft;
    draft.candidate.name = u"Typed Before The Crash"_s;
    draft.candidate.email = u"crash@example.com"_s;
    if (workspace.drafts()->save(draft, &error) == 0) {
        std::fprintf(stderr, "save: %s\n", qPrintable(error));
        return 3;
    }
    std::fputs("held\n", stdout);
    std::fflush(stdout);
    QThread::sleep(120);
    return 0;
}

// What a test stored before the trouble began, to find it again afterwards.
struct Stored
{
    QList<qint64> submissions;
    QHash<qint64, QString> emails;
    QHash<qint64, SubmissionState> states;
    QHash<qint64, QByteArray> sha256;
    QHash<qint64, QString> drafts; // id -> the candidate's name
};

// Counts the times a widget was hidden.
class HideCounter : public QObject
{
public:
    explicit HideCounter(QWidget *widget)
    {
        widget->installEventFilter(this);
        m_clock.start();
    }
    int count() const { return int(m_at.size()); }
    QString when() const
    {
        QStringList ms;
        for (const qint64 t : m_at)
            ms << QString::number(t);
        return ms.join(u", "_s);
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Hide)
            m_at << m_clock.elapsed();
        return false;
    }

private:
    QElapsedTimer m_clock;
    QList<qint64> m_at;
};

// The form's contents, as text a failure message can show.
QByteArray json(const Candidate &c)
{
    return QJsonDocument(c.toStorageJson()).toJson(QJsonDocument::Compact);
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QByteArray all() const { return out + err; }
};

qint64 freeBytes(const QString &path)
{
    struct statvfs s
    {
    };
    if (::statvfs(QFile::encodeName(path).constData(), &s) != 0)
        return -1;
    return qint64(s.f_bavail) * qint64(s.f_frsize);
}

QStringList entriesOf(const QString &dir)
{
    QStringList names = QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    names.sort();
    return names;
}

Submission candidate(const QString &name, const QString &email, const QString &resumeFile = {})
{
    Submission s;
    s.source = u"test"_s;
    s.candidate.name = name;
    s.candidate.email = email;
    s.candidate.phone = u"+919876543210"_s;
    if (resumeFile.isEmpty())
        s.candidate.resumeUrl = QUrl(u"https://files.example.com/cv.pdf"_s);
    else
        s.candidate.resumeFile = resumeFile;
    return s;
}

} // namespace

class TestDiskTrouble : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!g_isolationProblem.isEmpty())
            QSKIP(qPrintable(g_isolationProblem));
        QVERIFY(m_scratch.isValid());
        QVERIFY(m_home.isValid());
        // Can this machine mount a tmpfs at all (a container may say no)?
        const QString probe = m_scratch.filePath(u"probe"_s);
        QVERIFY(QDir().mkpath(probe));
        const QString refused = tool(
            u"mount"_s, { u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=1m"_s, u"cdesk-probe"_s, probe });
        if (!refused.isEmpty())
            QSKIP(qPrintable(u"mounting a tmpfs is not permitted here: "_s + refused));
        QCOMPARE(tool(u"umount"_s, { probe }), QString());

        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_resume = writeFile(m_scratch.path(), u"Asha Rao CV.pdf"_s, minimalPdf("Asha Rao", 20000));
        m_bigResume
            = writeFile(m_scratch.path(), u"Big CV.pdf"_s, minimalPdf("Big Resume", 1024 * 1024));
        m_smallResume = writeFile(m_scratch.path(), u"Small CV.pdf"_s, minimalPdf("Small", 8000));
        QVERIFY(!m_resume.isEmpty() && !m_bigResume.isEmpty() && !m_smallResume.isEmpty());
    }

    void init()
    {
        Dialogs::reset();
        m_sandbox.setFaults({});
    }

    void cleanup()
    {
        closeWindow();
        // Innermost first; a lazy unmount when something still holds it.
        while (!m_mounts.isEmpty()) {
            const QString target = m_mounts.takeLast();
            if (!tool(u"umount"_s, { target }).isEmpty())
                tool(u"umount"_s, { u"-l"_s, target });
        }
    }

    // ---- A full disk, through the core ------------------------------------

    void fullDisk_draftSave_saysTheDiskIsFull_andSavesByItselfOnceThereIsRoom()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        if (QTest::currentTestFailed())
            return;
        {
            Workspace workspace(dir, Clock::system());
            QString error;
            QVERIFY2(workspace.open(&error), qPrintable(error));
            const QString filler = fillDisk();
            QCOMPARE(freeBytes(m_mount), qint64(0));

            Draft draft;
            draft.candidate = candidate(u"Typed While Full"_s, u"full@example.com"_s).candidate;
            QCOMPARE(workspace.drafts()->save(draft, &error), 0);
            QVERIFY2(error.contains(u"disk is full"_s), qPrintable(error));
            QVERIFY2(error.contains(u"Free some disk space"_s), qPrintable(error));
            QVERIFY(workspace.status()->isFailing());
            QVERIFY2(workspace.status()->problem().contains(u"disk is full"_s),
                     qPrintable(workspace.status()->problem()));
            // What is stored still reads while the disk is full.
            QCOMPARE(workspace.history()->count({}), int(stored.submissions.size()));
            QCOMPARE(workspace.drafts()->list().size(), stored.drafts.size());

            DraftKeeper keeper(workspace.drafts());
            keeper.setDelay(0);
            keeper.setRetryInterval(200);
            QSignalSpy failed(&keeper, &DraftKeeper::saveFailed);
            QSignalSpy saved(&keeper, &DraftKeeper::saved);
            keeper.edited(draft.candidate, {});
            QVERIFY(!keeper.flush());
            QCOMPARE(failed.count(), 1);
            const QString message = failed.constFirst().constFirst().toString();
            QVERIFY2(message.contains(u"disk is full"_s), qPrintable(message));
            QVERIFY2(message.contains(u"stays in the form"_s), qPrintable(message));
            QVERIFY(keeper.hasUnsavedChanges());
            // Still full: it keeps trying, and nothing half-saved appears.
            QTest::qWait(700);
            QVERIFY(failed.count() >= 2);
            QCOMPARE(saved.count(), 0);
            QVERIFY(keeper.hasUnsavedChanges());
            QCOMPARE(workspace.drafts()->list().size(), stored.drafts.size());

            // Room again: nobody types, and the draft reaches the disk by itself.
            QVERIFY(QFile::remove(filler));
            QTRY_VERIFY_WITH_TIMEOUT(!keeper.hasUnsavedChanges(), 5000);
            QCOMPARE(saved.count(), 1);
            QVERIFY(!workspace.status()->isFailing());
            const auto back = workspace.drafts()->load(keeper.currentId());
            QVERIFY(back);
            QCOMPARE(back->candidate.name, u"Typed While Full"_s);
        }
        verifyIntact(dir, stored, 0, { u"Typed While Full"_s });
    }

    void fullDisk_enqueue_failsClearly_leavesNoCopyBehind_andWorksOnceThereIsRoom()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        if (QTest::currentTestFailed())
            return;
        {
            Workspace workspace(dir, Clock::system());
            QString error;
            QVERIFY2(workspace.open(&error), qPrintable(error));
            const QString files = workspace.outbox()->filesDir();
            const QStringList copiesBefore = entriesOf(files);
            QCOMPARE(copiesBefore.size(), 2); // the two stored resumes
            const QString filler = fillDisk();

            // No room for the row.
            QVERIFY(!workspace.outbox()->enqueue(candidate(u"No Room"_s, u"noroom@example.com"_s),
                                                 &error));
            QVERIFY2(error.contains(u"disk is full"_s), qPrintable(error));
            QVERIFY2(error.contains(u"Free some disk space"_s), qPrintable(error));

            // A resume larger than the free space: refused, and no copy stays.
            QVERIFY(QFile::resize(filler, QFileInfo(filler).size() - 256 * 1024));
            QVERIFY(freeBytes(m_mount) < QFileInfo(m_bigResume).size());
            QVERIFY(!workspace.outbox()->enqueue(
                candidate(u"Big Resume"_s, u"big@example.com"_s, m_bigResume), &error));
            QVERIFY2(error.contains(u"Free some disk space"_s), qPrintable(error));
            QVERIFY2(error.contains(u"No space left on device"_s), qPrintable(error));
            QCOMPARE(entriesOf(files), copiesBefore);
            QCOMPARE(workspace.history()->count({}), int(stored.submissions.size()));

            // A resume that fits while its row does not: the copy is made, the
            // COMMIT fails. The copy may stay only as "<uuid>.partial", which
            // prune removes.
            QVERIFY(QFile::remove(filler));
            const QString filler2 = fillDisk();
            QVERIFY(QFile::resize(filler2, QFileInfo(filler2).size() - 12 * 1024));
            QVERIFY(!workspace.outbox()->enqueue(
                candidate(u"Small Resume"_s, u"small@example.com"_s, m_smallResume), &error));
            QVERIFY2(error.contains(u"disk is full"_s) || error.contains(u"No space left"_s),
                     qPrintable(error));
            QCOMPARE(workspace.history()->count({}), int(stored.submissions.size()));
            QStringList leftover = entriesOf(files);
            for (const QString &name : copiesBefore)
                leftover.removeOne(name);
            qInfo("a resume that fits, a row that does not: \"%s\"; left behind: %s",
                  qPrintable(error), qPrintable(leftover.join(u", "_s)));
            QVERIFY2(leftover.size() <= 1, qPrintable(leftover.join(u", "_s)));
            for (const QString &name : std::as_const(leftover))
                QVERIFY2(name.endsWith(Outbox::PartialSuffix),
                         qPrintable(u"a final copy folder without a row: "_s + name));

            // Room again.
            QVERIFY(QFile::remove(filler2));
            workspace.outbox()->setPruneGrace(0);
            QVERIFY2(workspace.outbox()->pruneFiles(&error) >= 0, qPrintable(error));
            QCOMPARE(entriesOf(files), copiesBefore);
            const auto queued = workspace.outbox()->enqueue(
                candidate(u"Big Resume"_s, u"big@example.com"_s, m_bigResume), &error);
            QVERIFY2(queued, qPrintable(error));
            QVERIFY(workspace.outbox()->verifyResume(*queued));
            QVERIFY(!workspace.status()->isFailing());
        }
        verifyIntact(dir, stored, 1, {});
    }

    // The command line started when the disk is already full (nothing else
    // has the database open, so SQLite must first make its -shm).
    void fullDisk_cliStartedOnAFullDisk_exits1_sayingTheDiskIsFull()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        if (QTest::currentTestFailed())
            return;
        const QString filler = fillDisk();
        const Run run = cliSubmit(dir, u"Cli While Full"_s, u"clifull@example.com"_s);
        QVERIFY(QFile::remove(filler));
        verifyIntact(dir, stored, 0, {});
        QVERIFY2(run.exitCode == 1, run.all().constData());
        QVERIFY2(run.err.contains("disk is full") || run.err.contains("No space left"),
                 run.all().constData());
        QVERIFY2(run.err.contains("Free some disk space"), run.all().constData());
    }

    // The command line beside a running window (the database is open, its
    // -shm is there) when the disk fills.
    void fullDisk_cliBesideTheWindow_exits1_sayingTheDiskIsFull_andNothingIsLost()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        if (QTest::currentTestFailed())
            return;
        Run run;
        {
            Workspace window(dir, Clock::system());
            QString error;
            QVERIFY2(window.open(&error), qPrintable(error));
            const QString filler = fillDisk();
            run = cliSubmit(dir, u"Cli While Full"_s, u"clifull@example.com"_s);
            QVERIFY(QFile::remove(filler));
        }
        verifyIntact(dir, stored, 0, {});
        QVERIFY2(run.exitCode == 1, run.all().constData());
        QVERIFY2(run.err.contains("disk is full"), run.all().constData());
        QVERIFY2(run.err.contains("Free some disk space"), run.all().constData());
    }

    // ---- A full disk, through the real window -----------------------------

    // The banner appears and says the disk is full, and it stays as long as
    // the disk is full: nothing the window does in the meantime (the outbox's
    // periodic look, a history refresh) may make it look as if saving works.
    void fullDisk_window_bannerSaysTheDiskIsFull_andStaysWhileItIs()
    {
        const QString dir = smallDisk();
        openWindow(dir);
        auto *banner = m_window->findChild<StoreBanner *>(u"storeBanner"_s);
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());
        fillDisk();
        QTest::keyClicks(edit(u"nameEdit"_s), u"Kiran Full"_s);
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QVERIFY2(banner->text().contains(u"disk is full"_s), qPrintable(banner->text()));
        QVERIFY2(banner->text().contains(u"Free some disk space"_s), qPrintable(banner->text()));
        QVERIFY2(banner->text().contains(u"stays in the form"_s), qPrintable(banner->text()));

        // Longer than the outbox's periodic look (5 s) and the draft's retry (5 s).
        const HideCounter hidden(banner);
        QTest::qWait(7000);
        QVERIFY2(hidden.count() == 0,
                 qPrintable(u"While the disk stayed full and the draft unsaved (unsaved now: %1), "
                            "the banner was hidden %2 time(s), at %3 ms of 7000."_s
                                .arg(m_window->candidatePane()->drafts()->hasUnsavedChanges())
                                .arg(hidden.count())
                                .arg(hidden.when())));
        QVERIFY(banner->isVisible());
        QCOMPARE(edit(u"nameEdit"_s)->text(), u"Kiran Full"_s);
    }

    void fullDisk_window_formKeepsEverything_submitFailsLoudly_thenSavesAndSends()
    {
        const QString dir = smallDisk();
        openWindow(dir);
        // Stored before the disk fills: a candidate sent, and a draft kept.
        const QString sentEmail = uniqueEmail(u"before"_s);
        typeCandidate(u"Sent Before"_s, sentEmail, u"+91 98765 10001"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/before.pdf"_s);
        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Created candidate #"_s),
                                 20000);
        QTest::keyClicks(edit(u"nameEdit"_s), u"Kept Draft"_s);
        QTRY_VERIFY(!m_window->candidatePane()->drafts()->hasUnsavedChanges());
        m_window->candidatePane()->newCandidate();
        QCOMPARE(edit(u"nameEdit"_s)->text(), QString());
        QCOMPARE(m_workspace->history()->count({}), 1);

        const QString filler = fillDisk();
        const QString email = uniqueEmail(u"full"_s);
        // The phone as the form stores it once checked (E.164), so "kept" means equal.
        typeCandidate(u"Typed While Full"_s, email, u"+919876510002"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/full.pdf"_s);
        QTest::keyClicks(edit(u"industryEdit"_s), u"Fintech"_s);
        QTest::keyClicks(edit(u"departmentEdit"_s), u"Engineering"_s);
        auto *banner = m_window->findChild<StoreBanner *>(u"storeBanner"_s);
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QVERIFY2(banner->text().contains(u"disk is full"_s), qPrintable(banner->text()));
        const Candidate typed = m_window->candidatePane()->form()->candidate();
        QCOMPARE(typed.name, u"Typed While Full"_s);
        QCOMPARE(typed.industry, u"Fintech"_s);

        // Submitting cannot even keep the draft: it says so and queues nothing.
        QSignalSpy failed(m_window->candidatePane()->drafts(), &DraftKeeper::saveFailed);
        m_window->candidatePane()->submit();
        QVERIFY(failed.count() >= 1);
        QVERIFY2(label(u"resultLabel"_s)->text().contains(u"could not be saved"_s),
                 qPrintable(label(u"resultLabel"_s)->text()));
        QVERIFY2(label(u"resultLabel"_s)->text().contains(u"disk is full"_s),
                 qPrintable(label(u"resultLabel"_s)->text()));
        QVERIFY(m_window->candidatePane()->form()->isEnabled());
        QCOMPARE(json(m_window->candidatePane()->form()->candidate()), json(typed));
        QCOMPARE(m_workspace->history()->count({}), 1);
        QCOMPARE(m_sandbox.countWithEmail(email), 0);

        // Closing asks instead of dropping what was typed.
        Dialogs::setNextAnswer(QMessageBox::Cancel);
        QVERIFY(!m_window->close());
        QVERIFY2(Dialogs::lastMessage().contains(u"could not be written"_s),
                 qPrintable(Dialogs::lastMessage()));
        QVERIFY(m_window->isVisible());
        QCOMPARE(json(m_window->candidatePane()->form()->candidate()), json(typed));

        // Room again: the draft saves by itself, and the submission goes through.
        QVERIFY(QFile::remove(filler));
        QTRY_VERIFY_WITH_TIMEOUT(draftNames().contains(u"Typed While Full"_s), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 10000);
        QCOMPARE(json(m_window->candidatePane()->form()->candidate()), json(typed));
        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Created candidate #"_s),
                                 20000);
        QCOMPARE(m_sandbox.countWithEmail(email), 1);
        QCOMPARE(m_sandbox.countWithEmail(sentEmail), 1);
        closeWindow();

        Workspace workspace(dir, Clock::system());
        QString error;
        QVERIFY2(workspace.open(&error), qPrintable(error));
        QCOMPARE(integrity(workspace), u"ok"_s);
        QCOMPARE(workspace.history()->count({}), 2);
        HistoryFilter sent;
        sent.state = SubmissionState::Sent;
        QCOMPARE(workspace.history()->count(sent), 2);
        QStringList names;
        for (const Draft &d : workspace.drafts()->list())
            names << d.candidate.name;
        QVERIFY2(names.contains(u"Kept Draft"_s), qPrintable(names.join(u", "_s)));
    }

    // ---- A read-only data folder ------------------------------------------

    // The folder was closed cleanly (no -wal, no -shm), then its disk was
    // remounted read-only: the usual way a recruiter meets this.
    void readOnlyFolder_workspaceOpens_andSaysTheFolderIsReadOnly()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        if (QTest::currentTestFailed())
            return;
        remountReadOnly();
        Workspace workspace(dir, Clock::system());
        QString error;
        QVERIFY2(workspace.open(&error),
                 qPrintable(u"Opening a read-only data folder failed, so the window cannot even "
                            "show the history: "_s
                            + error));
        QVERIFY(workspace.status()->isFailing());
        QVERIFY2(workspace.status()->problem().contains(dir),
                 qPrintable(workspace.status()->problem()));
        QVERIFY2(workspace.status()->problem().contains(u"read-only"_s),
                 qPrintable(workspace.status()->problem()));
        QCOMPARE(workspace.history()->count({}), int(stored.submissions.size()));
    }

    void readOnlyFolder_cliHistory_stillReads()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        if (QTest::currentTestFailed())
            return;
        remountReadOnly();
        const Run run = cli({ u"history"_s, u"--data-dir"_s, dir });
        QVERIFY2(run.exitCode == 0, run.all().constData());
        for (const QString &email : std::as_const(stored.emails))
            QVERIFY2(run.out.contains(email.toUtf8()), run.all().constData());
    }

    // The real window on a read-only data folder: it cannot take its lock
    // there, and opens anyway, to read (it sends nothing without the lock),
    // instead of stopping on a dialog about the lock file.
    void readOnlyFolder_realWindow_opens()
    {
        const QString disk = smallDisk();
        if (disk.isEmpty())
            return;
        const QString xdgData = m_mount + u"/xdg"_s;
        const QString dir = xdgData + u"/candidate-desk/candidate-desk"_s;
        Stored stored;
        seed(dir, &stored);
        if (QTest::currentTestFailed())
            return;
        remountReadOnly();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_home.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, xdgData);
        env.insert(u"XDG_CACHE_HOME"_s, m_home.filePath(u"cache"_s));
        env.insert(u"CANDIDATE_DESK_TOKEN"_s, QString::fromLatin1(m_sandbox.token()));
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"CANDIDATE_DESK_EXIT_WHEN_SHOWN"_s, u"1"_s);
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        QProcess window;
        window.setProcessEnvironment(env);
        window.start(QStringLiteral(CDESK_APP_EXE),
                     { u"--api-url"_s, m_sandbox.baseUrl().toString() });
        const bool finished = window.waitForFinished(60000);
        if (!finished) {
            window.kill();
            window.waitForFinished(5000);
        }
        QVERIFY2(
            finished && window.exitStatus() == QProcess::NormalExit && window.exitCode() == 0,
            QByteArray(window.readAllStandardOutput() + window.readAllStandardError()).constData());
        remountWritable();
        verifyIntact(dir, stored, 0, {});
    }

    void readOnlyFolder_cliSubmit_exits1_namingTheFolder()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        if (QTest::currentTestFailed())
            return;
        remountReadOnly();
        const Run run = cliSubmit(dir, u"Cli Read Only"_s, u"cliro@example.com"_s);
        QVERIFY2(run.exitCode == 1, run.all().constData());
        QVERIFY2(run.err.contains(dir.toUtf8()), run.all().constData());
        QVERIFY2(run.err.contains("read-only"), run.all().constData());
    }

    // The same read-only disk, but a crash had left the -wal and -shm behind
    // (SQLite can read the database then): the window opens, the banner is
    // there at once, the history reads, and every write fails loudly.
    void readOnlyFolderWithLeftovers_window_bannerAtOnce_historyReads_writesFailLoudly()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        leaveWalAndShmBehind(dir);
        if (QTest::currentTestFailed())
            return;
        remountReadOnly();
        openWindow(dir);
        auto *banner = m_window->findChild<StoreBanner *>(u"storeBanner"_s);
        QVERIFY(banner);
        QVERIFY2(banner->isVisible(), "no banner when the window opened on a read-only folder");
        QVERIFY2(banner->text().contains(dir), qPrintable(banner->text()));
        QVERIFY2(banner->text().contains(u"read-only"_s), qPrintable(banner->text()));
        // The history reads, and the last draft (written just before the crash) is back.
        auto *table = m_window->findChild<QTableView *>(u"historyTable"_s);
        QVERIFY(table);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), int(stored.submissions.size()),
                                  10000);
        QCOMPARE(edit(u"nameEdit"_s)->text(), u"Typed Before The Crash"_s);

        // A write fails loudly and keeps the form.
        m_window->candidatePane()->newCandidate(); // the draft is saved already: nothing to save
        QSignalSpy failed(m_window->candidatePane()->drafts(), &DraftKeeper::saveFailed);
        typeCandidate(u"Typed On Read Only"_s, u"ro@example.com"_s, u"+919876510003"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/ro.pdf"_s);
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() >= 1, 10000);
        const QString message = failed.constFirst().constFirst().toString();
        QVERIFY2(message.contains(dir), qPrintable(message));
        QVERIFY2(message.contains(u"read-only"_s), qPrintable(message));
        const Candidate typed = m_window->candidatePane()->form()->candidate();
        m_window->candidatePane()->submit();
        QVERIFY2(label(u"resultLabel"_s)->text().contains(u"could not be saved"_s),
                 qPrintable(label(u"resultLabel"_s)->text()));
        QCOMPARE(json(m_window->candidatePane()->form()->candidate()), json(typed));
        QCOMPARE(m_workspace->history()->count({}), int(stored.submissions.size()));
        const HideCounter hidden(banner);
        QTest::qWait(6000); // past the outbox's periodic look
        QVERIFY2(
            hidden.count() == 0,
            qPrintable(u"the banner was hidden at %1 ms while the folder was still read-only"_s.arg(
                hidden.when())));
    }

    void readOnlyFolderWithLeftovers_core_writesFailNamingTheFolder_andNothingIsLost()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        leaveWalAndShmBehind(dir);
        if (QTest::currentTestFailed())
            return;
        remountReadOnly();
        {
            Workspace workspace(dir, Clock::system());
            QString error;
            QVERIFY2(workspace.open(&error), qPrintable(error));
            QVERIFY(workspace.status()->isFailing());
            QVERIFY2(workspace.status()->problem().contains(dir),
                     qPrintable(workspace.status()->problem()));
            QCOMPARE(workspace.history()->count({}), int(stored.submissions.size()));

            Draft draft;
            draft.candidate.name = u"Not Saved"_s;
            QCOMPARE(workspace.drafts()->save(draft, &error), 0);
            QVERIFY2(error.contains(dir) && error.contains(u"read-only"_s), qPrintable(error));
            QVERIFY(!workspace.outbox()->enqueue(candidate(u"No Resume"_s, u"a@example.com"_s),
                                                 &error));
            QVERIFY2(error.contains(dir), qPrintable(error));
            QVERIFY(!workspace.outbox()->enqueue(
                candidate(u"With Resume"_s, u"b@example.com"_s, m_resume), &error));
            QVERIFY2(error.contains(dir), qPrintable(error));

            DraftKeeper keeper(workspace.drafts());
            keeper.setRetryInterval(3600 * 1000);
            QSignalSpy failed(&keeper, &DraftKeeper::saveFailed);
            keeper.edited(draft.candidate, {});
            QVERIFY(!keeper.flush());
            QCOMPARE(failed.count(), 1);
            QVERIFY2(failed.constFirst().constFirst().toString().contains(dir),
                     qPrintable(failed.constFirst().constFirst().toString()));

            // The lock the window and the command line need.
            const auto lock = InstanceLock::acquire(dir, &error);
            QVERIFY(!lock);
            qInfo("InstanceLock on a read-only folder: %s", qPrintable(error));
            QVERIFY2(error.contains(dir), qPrintable(error));
            keeper.discardCurrent();
        }
        const Run run = cliSubmit(dir, u"Cli Read Only"_s, u"cliro2@example.com"_s);
        QVERIFY2(run.exitCode == 1, run.all().constData());
        QVERIFY2(run.err.contains(dir.toUtf8()), run.all().constData());
        QVERIFY2(run.err.contains("read-only"), run.all().constData());

        remountWritable();
        verifyIntact(dir, stored, 0, { u"Typed Before The Crash"_s });
    }

    // ---- A read-only -shm left behind -------------------------------------

    void readOnlyShm_openingNamesThatFile()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        const QString shm = readOnlyShm(dir);
        if (QTest::currentTestFailed())
            return;
        Workspace workspace(dir, Clock::system());
        QString error;
        const QString message = workspace.open(&error) ? workspace.status()->problem() : error;
        QVERIFY2(!message.isEmpty(), "nothing said about the read-only -shm file");
        QVERIFY2(message.contains(shm), qPrintable(message));
    }

    void readOnlyShm_aFailedWriteNamesThatFile()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        const QString shm = readOnlyShm(dir);
        if (QTest::currentTestFailed())
            return;
        Workspace workspace(dir, Clock::system());
        QString error;
        QVERIFY2(workspace.open(&error), qPrintable(error));
        Draft draft;
        draft.candidate.name = u"Not Saved"_s;
        QCOMPARE(workspace.drafts()->save(draft, &error), 0);
        QVERIFY2(error.contains(shm), qPrintable(error));
        QVERIFY2(workspace.status()->problem().contains(shm),
                 qPrintable(workspace.status()->problem()));
    }

    void readOnlyShm_cliSubmit_exits1_namingThatFile()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        const QString shm = readOnlyShm(dir);
        if (QTest::currentTestFailed())
            return;
        const Run run = cliSubmit(dir, u"Cli Shm"_s, u"clishm@example.com"_s);
        QVERIFY2(run.exitCode == 1, run.all().constData());
        QVERIFY2(run.err.contains(shm.toUtf8()), run.all().constData());
    }

    void readOnlyShm_nothingIsLost_onceTheFileIsWritableAgain()
    {
        const QString dir = smallDisk();
        Stored stored;
        seed(dir, &stored);
        const QString shm = readOnlyShm(dir);
        if (QTest::currentTestFailed())
            return;
        {
            Workspace workspace(dir, Clock::system());
            QString error;
            if (workspace.open(&error)) {
                QCOMPARE(workspace.history()->count({}), int(stored.submissions.size()));
                workspace.drafts()->save(Draft {}, &error); // fails; must harm nothing
            }
        }
        QCOMPARE(tool(u"umount"_s, { shm }), QString());
        m_mounts.removeAll(shm);
        verifyIntact(dir, stored, 0, { u"Typed Before The Crash"_s });
    }

private:
    // ---- mounts -----------------------------------------------------------

    // Runs a mount tool; empty on success, else what it said.
    static QString tool(const QString &program, const QStringList &arguments)
    {
        QProcess p;
        p.start(program, arguments);
        if (!p.waitForFinished(30000))
            return u"%1 %2: did not finish (%3)"_s.arg(program, arguments.join(u' '),
                                                       p.errorString());
        if (p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return {};
        return u"%1 %2: exit %3: %4"_s.arg(program, arguments.join(u' '))
            .arg(p.exitCode())
            .arg(QString::fromLocal8Bit(p.readAllStandardError() + p.readAllStandardOutput())
                     .trimmed());
    }

    // A fresh 3 MiB tmpfs; returns the data folder on it. 3 MiB keeps the
    // SQLite WAL below its 1000-page auto-checkpoint, so the WAL only grows
    // and every commit needs new space.
    QString smallDisk()
    {
        m_mount = m_scratch.filePath(u"disk-%1"_s.arg(++m_disks));
        if (!QDir().mkpath(m_mount))
            return {};
        const QString refused = tool(u"mount"_s,
                                     { u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=3m,mode=0700"_s,
                                       u"cdesk-disktrouble"_s, m_mount });
        if (!refused.isEmpty()) {
            QTest::qFail(qPrintable(refused), __FILE__, __LINE__);
            return {};
        }
        m_mounts << m_mount;
        return m_mount + u"/data"_s;
    }

    void remountReadOnly()
    {
        const QString refused = tool(u"mount"_s, { u"-o"_s, u"remount,ro"_s, m_mount });
        QVERIFY2(refused.isEmpty(), qPrintable(refused));
    }

    void remountWritable()
    {
        const QString refused = tool(u"mount"_s, { u"-o"_s, u"remount,rw"_s, m_mount });
        QVERIFY2(refused.isEmpty(), qPrintable(refused));
    }

    // Fills the tmpfs until it refuses another byte; returns the filler file.
    QString fillDisk()
    {
        const QString path = m_mount + u"/filler-%1.bin"_s.arg(++m_fillers);
        const int fd = ::open(QFile::encodeName(path).constData(),
                              O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            QTest::qFail(qPrintable(u"cannot create "_s + path), __FILE__, __LINE__);
            return path;
        }
        static const QByteArray chunk(64 * 1024, 'F');
        // Big steps, then page by page, so the file ends on a page boundary
        // and the file system has no whole page left.
        for (const qsizetype step : { qsizetype(64 * 1024), qsizetype(4096), qsizetype(1) }) {
            for (;;) {
                const ssize_t n = ::write(fd, chunk.constData(), size_t(step));
                if (n < 0 && errno == ENOSPC)
                    break;
                if (n < 0) {
                    QTest::qFail(
                        qPrintable(u"filling: "_s + QString::fromLocal8Bit(strerror(errno))),
                        __FILE__, __LINE__);
                    ::close(fd);
                    return path;
                }
            }
        }
        ::close(fd);
        return path;
    }

    // A -wal and -shm left by a killed process, then that -shm made read-only
    // by a bind mount of the file onto itself. Returns the -shm's path.
    QString readOnlyShm(const QString &dir)
    {
        leaveWalAndShmBehind(dir);
        const QString shm = dir + u"/candidate-desk.sqlite-shm"_s;
        const QString refused = tool(u"mount"_s, { u"--bind"_s, u"-o"_s, u"ro"_s, shm, shm });
        if (!refused.isEmpty()) {
            QTest::qFail(qPrintable(refused), __FILE__, __LINE__);
            return shm;
        }
        m_mounts << shm;
        // Root writes anything its permissions forbid, but not a read-only mount.
        if (::access(QFile::encodeName(shm).constData(), W_OK) == 0 || errno != EROFS)
            QTest::qFail("the bind mount did not make the -shm read-only", __FILE__, __LINE__);
        return shm;
    }

    void leaveWalAndShmBehind(const QString &dir)
    {
        QProcess holder;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"CDESK_DISKTROUBLE_HOLD"_s, dir);
        holder.setProcessEnvironment(env);
        holder.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(holder.waitForStarted(10000));
        QElapsedTimer waited;
        waited.start();
        while (!holder.readAllStandardOutput().contains("held")) {
            QVERIFY2(holder.state() == QProcess::Running && waited.elapsed() < 20000,
                     holder.readAllStandardError().constData());
            holder.waitForReadyRead(200);
        }
        holder.kill(); // SIGKILL: SQLite gets no chance to tidy up
        QVERIFY(holder.waitForFinished(10000));
        QVERIFY(QFileInfo::exists(dir + u"/candidate-desk.sqlite-wal"_s));
        QVERIFY(QFileInfo::exists(dir + u"/candidate-desk.sqlite-shm"_s));
    }

    // ---- the store --------------------------------------------------------

    // Three submissions (one sent, two waiting with resume copies) and two
    // drafts, written and closed cleanly.
    void seed(const QString &dir, Stored *stored)
    {
        QVERIFY(!dir.isEmpty());
        Workspace workspace(dir, Clock::system());
        QString error;
        QVERIFY2(workspace.open(&error), qPrintable(error));
        Outbox *outbox = workspace.outbox();
        const auto sent
            = outbox->enqueue(candidate(u"Stored Sent"_s, uniqueEmail(u"sent"_s)), &error);
        QVERIFY2(sent, qPrintable(error));
        const auto claimed = outbox->claimDue(1, &error);
        QCOMPARE(claimed.size(), 1);
        QVERIFY2(outbox->markSent(sent->id, 4242, 201, &error), qPrintable(error));
        for (const QString &name : { u"Stored Pending One"_s, u"Stored Pending Two"_s }) {
            QVERIFY2(outbox->enqueue(candidate(name, uniqueEmail(u"pending"_s), m_resume), &error),
                     qPrintable(error));
        }
        for (const Submission &s : workspace.history()->page({}, 0, 100)) {
            stored->submissions << s.id;
            stored->emails.insert(s.id, s.candidate.email);
            stored->states.insert(s.id, s.state);
            stored->sha256.insert(s.id, s.resumeSha256);
        }
        QCOMPARE(stored->submissions.size(), 3);
        for (const QString &name : { u"Draft Alpha"_s, u"Draft Beta"_s }) {
            Draft d;
            d.candidate.name = name;
            d.candidate.email = name.toLower().replace(u' ', u'.') + u"@example.com"_s;
            const qint64 id = workspace.drafts()->save(d, &error);
            QVERIFY2(id > 0, qPrintable(error));
            stored->drafts.insert(id, name);
        }
    }

    static QString integrity(Workspace &workspace)
    {
        QSqlQuery q(workspace.database()->connection());
        if (!q.exec(u"PRAGMA integrity_check"_s))
            return q.lastError().text();
        QStringList lines;
        while (q.next())
            lines << q.value(0).toString();
        return lines.join(u"; "_s);
    }

    // Reopens the folder: the database is sound, and every submission and
    // draft stored before the trouble is there as it was, with its resume.
    void verifyIntact(const QString &dir, const Stored &stored, int newSubmissions,
                      const QStringList &newDrafts)
    {
        Workspace workspace(dir, Clock::system());
        QString error;
        QVERIFY2(workspace.open(&error), qPrintable(error));
        QVERIFY2(
            workspace.recoveredFrom().isEmpty(),
            qPrintable(u"the database was moved aside as damaged: "_s + workspace.recoveredFrom()));
        QCOMPARE(integrity(workspace), u"ok"_s);
        QCOMPARE(workspace.history()->count({}), int(stored.submissions.size()) + newSubmissions);
        for (const qint64 id : stored.submissions) {
            const auto s = workspace.outbox()->get(id);
            QVERIFY2(s, qPrintable(u"submission #%1 is gone"_s.arg(id)));
            QCOMPARE(s->candidate.email, stored.emails.value(id));
            QCOMPARE(s->state, stored.states.value(id));
            QCOMPARE(s->resumeSha256, stored.sha256.value(id));
            QVERIFY2(workspace.outbox()->verifyResume(*s),
                     qPrintable(u"the resume copy of #%1 is gone or changed"_s.arg(id)));
        }
        const QList<Draft> drafts = workspace.drafts()->list();
        QStringList names;
        for (const Draft &d : drafts)
            names << d.candidate.name;
        QCOMPARE(drafts.size(), stored.drafts.size() + newDrafts.size());
        for (auto it = stored.drafts.cbegin(); it != stored.drafts.cend(); ++it) {
            const auto d = workspace.drafts()->load(it.key());
            QVERIFY2(d, qPrintable(u"draft #%1 is gone"_s.arg(it.key())));
            QCOMPARE(d->candidate.name, it.value());
        }
        for (const QString &name : newDrafts)
            QVERIFY2(names.contains(name), qPrintable(names.join(u", "_s)));
    }

    // ---- the command line -------------------------------------------------

    Run cli(const QStringList &arguments)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_home.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_home.filePath(u"data"_s));
        env.insert(u"XDG_CACHE_HOME"_s, m_home.filePath(u"cache"_s));
        env.insert(u"CANDIDATE_DESK_TOKEN"_s, QString::fromLatin1(m_sandbox.token()));
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(CDESK_APP_EXE), arguments);
        Run run;
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished(5000);
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    Run cliSubmit(const QString &dir, const QString &name, const QString &email)
    {
        return cli({ u"submit"_s, u"--data-dir"_s, dir, u"--api-url"_s,
                     m_sandbox.baseUrl().toString(), u"--wait"_s, u"0"_s, u"--name"_s, name,
                     u"--email"_s, email, u"--phone"_s, u"+91 98765 43210"_s, u"--resume-url"_s,
                     u"https://files.example.com/cv.pdf"_s });
    }

    // ---- the window -------------------------------------------------------

    void openWindow(const QString &dir)
    {
        QVERIFY(!dir.isEmpty());
        m_workspace = std::make_unique<Workspace>(dir, Clock::system());
        QString error;
        QVERIFY2(m_workspace->open(&error), qPrintable(error));
        m_settings = Settings::temporary();
        m_api = std::make_unique<ApiClient>(&m_network, Clock::system());
        m_api->setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.token()));
        m_engine = std::make_unique<SubmissionEngine>(m_workspace->outbox(), m_api.get(),
                                                      Clock::system());
        m_engine->setBackoff(1, 5);
        MainWindow::Services services;
        services.workspace = m_workspace.get();
        services.engine = m_engine.get();
        services.api = m_api.get();
        services.settings = m_settings.get();
        services.network = &m_network;
        services.sandbox = true;
        m_window = std::make_unique<MainWindow>(services);
        m_window->candidatePane()->drafts()->setDelay(10);
        m_engine->start();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void closeWindow()
    {
        m_window.reset();
        m_engine.reset();
        m_api.reset();
        m_settings.reset();
        m_workspace.reset();
    }

    QStringList draftNames() const
    {
        QStringList names;
        for (const Draft &d : m_workspace->drafts()->list())
            names << d.candidate.name;
        return names;
    }

    void typeCandidate(const QString &name, const QString &email, const QString &phone)
    {
        QTest::keyClicks(edit(u"nameEdit"_s), name);
        QTest::keyClicks(edit(u"emailEdit"_s), email);
        QTest::keyClicks(edit(u"phoneEdit"_s), phone);
    }

    QLineEdit *edit(const QString &name) const
    {
        auto *e = m_window->findChild<QLineEdit *>(name);
        if (!e)
            qFatal("no line edit %s", qPrintable(name));
        return e;
    }

    QLabel *label(const QString &name) const
    {
        auto *l = m_window->findChild<QLabel *>(name);
        if (!l)
            qFatal("no label %s", qPrintable(name));
        return l;
    }

    QTemporaryDir m_scratch; // mount points and resume files, on the real disk
    QTemporaryDir m_home; // the command line's settings
    QStringList m_mounts; // in the order they were made
    QString m_mount; // the current test's tmpfs
    int m_disks = 0;
    int m_fillers = 0;
    QString m_resume;
    QString m_bigResume;
    QString m_smallResume;
    SandboxFixture m_sandbox;
    QNetworkAccessManager m_network;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<SubmissionEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsSet("CDESK_DISKTROUBLE_HOLD"))
        return holdTheDatabase(argc, argv);
    // Before QApplication: no thread may exist yet when the namespace is made.
    g_isolationProblem = enterPrivateMountNamespace();
    QApplication app(argc, argv);
    TestDiskTrouble test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_disktrouble.moc"
