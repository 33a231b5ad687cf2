// The window's import without a widget: an ImportRun over a real outbox
// (SQLite in a temporary folder), the intake session and the engine, sending
// over real HTTP to the sandbox on an ephemeral port. Here: many resumes at
// once made into a review list, fixed there, and sent once each.
#include "IntakeStack.h"
#include "SandboxFixture.h"
#include "TestData.h"
#include "core/Clock.h"
#include "intake/ImportRun.h"
#include "intake/IntakeSession.h"
#include "intake/SubmissionEngine.h"
#include "store/Database.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {
constexpr int kTimeoutMs = 60000;
}

class TestImportRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<cdesk::SubmissionState>();
        QVERIFY(m_files.isValid());
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    }

    void init()
    {
        m_stack = std::make_unique<IntakeStack>(m_sandbox, &m_clock);
        QString error;
        QVERIFY2(m_stack->open(&error), qPrintable(error));
        m_run = std::make_unique<ImportRun>(ImportRun::Services {
            m_stack->session(), m_stack->workspace(), m_stack->engine(), nullptr });
    }

    void cleanup()
    {
        m_run.reset();
        m_stack.reset();
    }

    // An agency's 50 resumes dropped as a folder and two loose files: 52
    // drafts filled by autofill; what a resume does not say is flagged on its
    // field, fixed in the list, and every one becomes one candidate.
    void manyResumes_becomeReviewedDrafts_fixedInTheList_andOneCandidateEach()
    {
        const QString folder = m_files.filePath(u"agency"_s);
        QStringList emails;
        for (int i = 0; i < 50; ++i) {
            emails << uniqueEmail(u"review"_s);
            const QString text
                = u"Review Person %1\n%2\n+91 98450 %3\nAnalyst"_s.arg(QChar(u'A' + i % 26))
                      .arg(emails.last())
                      .arg(61000 + i);
            const QString name = u"cv-%1"_s.arg(i, 2, 10, QChar(u'0'));
            if (i % 2)
                QVERIFY(!writeFile(folder, name + u".docx"_s, minimalDocx(text)).isEmpty());
            else
                QVERIFY(!writeFile(folder + u"/more"_s, name + u".txt"_s, text.toUtf8()).isEmpty());
        }
        QVERIFY(!writeFile(folder, u"logo.png"_s, pngImage()).isEmpty()); // not a resume
        const QString noEmail = writeFile(m_files.path(), u"no-email.docx"_s,
                                          minimalDocx(u"Nomail Person\n+91 98450 62000"_s));
        const QString twice
            = writeFile(m_files.path(), u"same-email.txt"_s,
                        u"Twice Person\n%1\n+91 98450 62001\n"_s.arg(emails[0]).toUtf8());

        // Queued ten rows a transaction: the engine sends the first rows while
        // the next go in, and the run hears of them all.
        m_stack->session()->setRowsPerTransaction(10);
        QSignalSpy failed(m_run.get(), &ImportRun::failed);
        QSignalSpy checked(m_run.get(), &ImportRun::checked);
        m_run->openResumes({ folder, noEmail, twice });
        QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, kTimeoutMs);
        QCOMPARE(failed.count(), 0);
        QVERIFY(m_run->isResumes());
        QCOMPARE(m_run->drafts().size(), 52);
        QCOMPARE(m_run->rows().size(), 52);
        QCOMPARE(m_run->readyCount(), 50);
        const int noEmailRow = rowOf(u"no-email.docx"_s);
        const int twiceRow = rowOf(u"same-email.txt"_s);
        QVERIFY(noEmailRow >= 0 && twiceRow >= 0);
        QCOMPARE(m_run->drafts()[noEmailRow].candidate.name, u"Nomail Person"_s);
        QVERIFY2(m_run->rows()[noEmailRow]
                     .problems.messages(u"email"_s)
                     .join(u' ')
                     .contains(u"does not give the candidate's email"_s),
                 qPrintable(m_run->rows()[noEmailRow].problems.messages(u"email"_s).join(u' ')));
        QVERIFY(m_run->rows()[twiceRow].problems.contains(u"email"_s));

        // Fixed in the list: an email typed in, and one row to a job by its title.
        ResumeFolder::Draft fixed = m_run->drafts()[noEmailRow];
        fixed.candidate.email = uniqueEmail(u"fixed"_s);
        m_run->setDraft(noEmailRow, fixed);
        ResumeFolder::Draft other = m_run->drafts()[twiceRow];
        other.candidate.email = uniqueEmail(u"other"_s);
        other.jobCell = u"No Such Job Title"_s;
        m_run->setDraft(twiceRow, other);
        // The second change came before the first check ended: only the
        // newest check is kept.
        QTRY_VERIFY_WITH_TIMEOUT(checked.count() >= 2 && !m_run->isChecking(), kTimeoutMs);
        checked.clear();
        QCOMPARE(m_run->readyCount(), 51);
        QVERIFY(m_run->rows()[twiceRow].problems.contains(u"job_id"_s));
        other.jobCell = u"101"_s;
        m_run->setDraft(twiceRow, other);
        QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, kTimeoutMs);
        QCOMPARE(m_run->readyCount(), 52);
        m_run->setSource(u"Agency"_s);
        QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 2, kTimeoutMs);

        QSignalSpy finished(m_run.get(), &ImportRun::finished);
        m_run->start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(m_run->ledger().counts().sent, 52);
        for (const QString &email : std::as_const(emails))
            QCOMPARE(m_sandbox.countWithEmail(email), 1);
        QCOMPARE(m_sandbox.countWithEmail(fixed.candidate.email), 1);
        const QJsonObject onServer
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(other.candidate.email)))
                  .json()[u"results"_s][0]
                  .toObject();
        QCOMPARE(onServer.value(u"job_id"_s).toInteger(), 101);
        QCOMPARE(onServer.value(u"source"_s).toString(), u"Agency"_s);
        QCOMPARE(onServer[u"resume_file"_s][u"filename"_s].toString(), u"same-email.txt"_s);
    }

    // The outbox refuses the second transaction of a sheet (a full disk):
    // the first part stays queued and is sent, the rest is not queued, no
    // copy of its resumes is left, and the run says so.
    void aPartRefusedByTheStore_keepsWhatWentBefore_andSaysSo()
    {
        const QString folder = m_files.filePath(u"parts"_s);
        QByteArray sheet = "Name,Email,Phone,Resume\r\n";
        QStringList emails;
        for (int i = 0; i < 30; ++i) {
            emails << uniqueEmail(u"part"_s);
            QVERIFY(!writeFile(folder, u"cv%1.pdf"_s.arg(i), minimalPdf("Part Person")).isEmpty());
            sheet += u"Part Person %1,%2,+91 98450 %3,cv%1.pdf\r\n"_s.arg(i)
                         .arg(emails.last())
                         .arg(64000 + i)
                         .toUtf8();
        }
        const QString csv = writeFile(folder, u"parts.csv"_s, sheet);
        m_stack->session()->setRowsPerTransaction(10);
        int inserts = 0;
        m_stack->workspace()->database()->setFaultInjector([&inserts](const QString &sql) {
            return sql.startsWith(u"INSERT INTO submissions"_s) && ++inserts == 11;
        });
        QSignalSpy checked(m_run.get(), &ImportRun::checked);
        QSignalSpy failed(m_run.get(), &ImportRun::failed);
        QSignalSpy finished(m_run.get(), &ImportRun::finished);
        m_run->open(csv);
        QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, kTimeoutMs);
        QCOMPARE(m_run->readyCount(), 30);
        m_run->start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().startsWith(u"Only 10 row(s) were queued"_s),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(m_run->ledger().counts().sent, 10);
        QCOMPARE(m_run->ledger().counts().ready, 20); // checked, not queued
        for (int i = 0; i < 30; ++i)
            QCOMPARE(m_sandbox.countWithEmail(emails[i]), i < 10 ? 1 : 0);
        // Copies only for the rows stored.
        const QStringList copies = QDir(m_stack->dataDir() + u"/outbox-files"_s)
                                       .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY2(copies.size() <= 10, qPrintable(copies.join(u", "_s)));
    }

    // Stop pressed while the rows are still going into the outbox (the resume
    // copies are being made): nothing of the import is sent.
    void stopWhileQueueing_sendsNothing()
    {
        const QStringList emails = writeSheet(u"stopped"_s, 30);
        m_stack->session()->setRowsPerTransaction(10);
        QSignalSpy checked(m_run.get(), &ImportRun::checked);
        QSignalSpy finished(m_run.get(), &ImportRun::finished);
        m_run->open(m_files.filePath(u"stopped/sheet.csv"_s));
        QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, kTimeoutMs);
        m_run->start();
        QCOMPARE(m_run->stage(), ImportRun::Stage::Queueing);
        m_run->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(m_run->ledger().counts().cancelled, 30);
        QCOMPARE(m_run->ledger().counts().sent, 0);
        QVERIFY(flushEvents());
        for (const QString &email : emails)
            QCOMPARE(m_sandbox.countWithEmail(email), 0);
    }

    // The dialog closed while the parts go in (closing is not Stop): the
    // rest is queued all the same, and every row is sent.
    void runGoneWhileQueueing_theRestIsStillQueuedAndSent()
    {
        const QStringList emails = writeSheet(u"gone"_s, 30);
        m_stack->session()->setRowsPerTransaction(10);
        QSignalSpy checked(m_run.get(), &ImportRun::checked);
        m_run->open(m_files.filePath(u"gone/sheet.csv"_s));
        QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, kTimeoutMs);
        connect(m_run.get(), &ImportRun::progressed, this, [this] {
            if (m_run && m_run->stage() == ImportRun::Stage::Sending)
                QTimer::singleShot(0, this, [this] { m_run.reset(); });
        });
        m_run->start();
        QTRY_VERIFY_WITH_TIMEOUT(!m_run, kTimeoutMs);
        for (const QString &email : emails)
            QTRY_COMPARE_WITH_TIMEOUT(m_sandbox.countWithEmail(email), 1, kTimeoutMs);
    }

    void nothingThatIsAResume_failsInPlainWords()
    {
        const QString png = writeFile(m_files.path(), u"photo.png"_s, pngImage());
        QSignalSpy failed(m_run.get(), &ImportRun::failed);
        m_run->openResumes({ png });
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QVERIFY(failed.first().first().toString().contains(u"None of these is a resume"_s));
        QCOMPARE(m_run->stage(), ImportRun::Stage::Empty);
    }

private:
    // A sheet of `rows` candidates with resume links, in m_files/<name>/sheet.csv.
    QStringList writeSheet(const QString &name, int rows)
    {
        QByteArray sheet = "Name,Email,Phone,Resume\r\n";
        QStringList emails;
        for (int i = 0; i < rows; ++i) {
            emails << uniqueEmail(name);
            sheet
                += u"Sheet Person %1,%2,+91 98450 %3,https://files.example.com/%1.pdf\r\n"_s.arg(i)
                       .arg(emails.last())
                       .arg(65000 + i)
                       .toUtf8();
        }
        writeFile(m_files.filePath(name), u"sheet.csv"_s, sheet);
        return emails;
    }

    bool flushEvents()
    {
        bool reached = false;
        QTimer::singleShot(0, this, [&reached] { reached = true; });
        return QTest::qWaitFor([&reached] { return reached; }, 5000);
    }

    int rowOf(const QString &fileName) const
    {
        const QList<ResumeFolder::Draft> &drafts = m_run->drafts();
        for (int i = 0; i < drafts.size(); ++i) {
            if (drafts[i].candidate.resumeFile.endsWith(u'/' + fileName))
                return i;
        }
        return -1;
    }

    SandboxFixture m_sandbox;
    QTemporaryDir m_files;
    FakeClock m_clock;
    std::unique_ptr<IntakeStack> m_stack;
    std::unique_ptr<ImportRun> m_run;
};

QTEST_GUILESS_MAIN(TestImportRun)
#include "tst_importrun.moc"
