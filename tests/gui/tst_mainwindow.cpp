// The real window, offscreen, against the sandbox on an ephemeral port: what
// a recruiter does all day, end to end.
#include "CandidateForm.h"
#include "CandidatePane.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "ImportDialog.h"
#include "JobPicker.h"
#include "MainWindow.h"
#include "ResumeDropZone.h"
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
#include "store/HistoryModel.h"
#include "store/Workspace.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_files.isValid());
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    }

    void init()
    {
        Dialogs::reset();
        m_sandbox.setFaults({});
        m_data = std::make_unique<QTemporaryDir>();
        openWindow(m_sandbox.token());
    }

    void cleanup() { closeWindow(); }

    void importDialog_marksBadRows_sendsTheGoodOnes_andRemembersTheMapping()
    {
        QStringList emails;
        QByteArray sheet = "Full name,E-mail,Mobile,CV link,Notes\r\n";
        for (int i = 0; i < 5; ++i) {
            emails << uniqueEmail(u"dialog"_s);
            sheet += u"Dialog Person %1,%2,+91 98450 7000%1,https://files.example.com/%1.pdf,"
                     "note %1\r\n"_s.arg(i)
                         .arg(emails.last())
                         .toUtf8();
        }
        sheet += "Bad Row,not-an-email,+91 98450 70009,https://files.example.com/x.pdf,\r\n";
        const QString csv = writeFile(m_files.path(), u"dialog.csv"_s, sheet);
        Dialogs::setNextFile(csv);
        m_window->findChild<QAction *>(u"importAction"_s)->trigger();
        auto *dialog = m_window->findChild<ImportDialog *>();
        QVERIFY(dialog);
        auto *summary = dialog->findChild<QLabel *>(u"importSummary"_s);
        QTRY_VERIFY2(summary->text().contains(u"5 ready to send; 1 need attention"_s),
                     qPrintable(summary->text()));
        // The problem is on the cell it comes from.
        auto *rows = dialog->findChild<QTableWidget *>(u"importRows"_s);
        QVERIFY(rows->item(5, 1)->toolTip().startsWith(u"Email: "_s));
        QVERIFY(rows->item(0, 1)->toolTip().isEmpty());

        // Notes becomes a custom field; the check runs again.
        auto *notes = dialog->findChild<QComboBox *>(u"importColumn4"_s);
        const int custom = notes->findData(u"custom:notes"_s);
        QVERIFY(custom >= 0);
        notes->setCurrentIndex(custom);
        Q_EMIT notes->activated(custom);
        QTRY_COMPARE(dialog->run()->columns().value(4),
                     (ColumnMapping { ColumnRole::Custom, u"notes"_s }));

        auto *start = dialog->findChild<QPushButton *>(u"importStart"_s);
        QTRY_VERIFY(start->isEnabled());
        QCOMPARE(start->text(), u"Import 5 row(s)"_s);
        start->click();
        auto *progress = dialog->findChild<QLabel *>(u"importProgressText"_s);
        QTRY_VERIFY_WITH_TIMEOUT(progress->text().startsWith(u"Done: 5 sent"_s), 30000);
        HttpClient api(m_sandbox.token());
        for (int i = 0; i < emails.size(); ++i) {
            const QJsonArray found
                = api.get(m_sandbox.url(u"candidates/?email=%1"_s.arg(emails[i])))
                      .json()
                      .value(u"results"_s)
                      .toArray();
            QCOMPARE(found.size(), 1);
            QCOMPARE(found.at(0)[u"custom_fields"_s][u"notes"_s].toString(), u"note %1"_s.arg(i));
        }
        QVERIFY(dialog->findChild<QPushButton *>(u"importReport"_s)->isEnabled());
        // The next sheet with these columns is read the same way.
        QCOMPARE(m_settings->importMapping(dialog->run()->table().header).value(4),
                 u"custom:notes"_s);
    }

    // Pause holds the whole outbox, and the window says so; Resume sends
    // every row; closing the dialog never leaves the outbox paused.
    void importDialog_pauseHoldsTheOutbox_andResumeSendsEveryRow()
    {
        for (ImportDialog *earlier : m_window->findChildren<ImportDialog *>())
            earlier->close();
        QTRY_VERIFY(m_window->findChildren<ImportDialog *>().isEmpty());
        QStringList emails;
        QByteArray sheet = "Name,Email,Phone,Resume\r\n";
        for (int i = 0; i < 4; ++i) {
            emails << uniqueEmail(u"paused"_s);
            sheet += u"Paused Person %1,%2,+91 98450 7100%1,https://files.example.com/p%1.pdf\r\n"_s
                         .arg(i)
                         .arg(emails.last())
                         .toUtf8();
        }
        Dialogs::setNextFile(writeFile(m_files.path(), u"paused.csv"_s, sheet));
        m_window->findChild<QAction *>(u"importAction"_s)->trigger();
        auto *dialog = m_window->findChild<ImportDialog *>();
        QVERIFY(dialog);
        auto *start = dialog->findChild<QPushButton *>(u"importStart"_s);
        QTRY_VERIFY(start->isEnabled());
        // Paused the moment the rows go to the outbox: none may leave.
        auto *pause = dialog->findChild<QPushButton *>(u"importPause"_s);
        connect(dialog->run(), &ImportRun::started, pause, &QPushButton::click);
        start->click();
        QTRY_COMPARE(dialog->run()->stage(), ImportRun::Stage::Sending);
        QVERIFY(dialog->run()->isPaused());
        QCOMPARE(pause->text(), u"Resume"_s);
        QVERIFY(label(u"outboxCount"_s)->text().contains(u"sending paused"_s));
        auto *progress = dialog->findChild<QLabel *>(u"importProgressText"_s);
        QVERIFY2(progress->text().contains(u"paused"_s), qPrintable(progress->text()));
        QTest::qWait(0);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(dialog->run()->ledger().counts().sent, 0);
        for (const QString &email : std::as_const(emails))
            QCOMPARE(m_sandbox.countWithEmail(email), 0);

        pause->click();
        QTRY_VERIFY_WITH_TIMEOUT(progress->text().startsWith(u"Done: 4 sent"_s), 30000);
        QVERIFY(!label(u"outboxCount"_s)->text().contains(u"paused"_s));
        for (const QString &email : std::as_const(emails))
            QCOMPARE(m_sandbox.countWithEmail(email), 1);

        // Closed while paused: the outbox goes on by itself.
        dialog->close();
        QTRY_VERIFY(m_window->findChildren<ImportDialog *>().isEmpty());
        QVERIFY(!m_window->findChild<QLabel *>(u"outboxCount"_s)->text().contains(u"paused"_s));

        // The window quit with an import paused: the engine, which outlives
        // it, is not left paused (and tells no half-gone window).
        Dialogs::setNextFile(writeFile(m_files.path(), u"paused-again.csv"_s, sheet));
        m_window->findChild<QAction *>(u"importAction"_s)->trigger();
        ImportDialog *again = m_window->findChild<ImportDialog *>();
        QVERIFY(again);
        QTRY_VERIFY(again->findChild<QPushButton *>(u"importStart"_s)->isEnabled());
        again->run()->start();
        again->run()->pause();
        QVERIFY(m_engine->isPaused());
        m_window.reset();
        QVERIFY(!m_engine->isPaused());
    }

    void typeACandidate_andSubmit_reachesTheSandboxAndTheHistory()
    {
        QVERIFY(m_window->findChild<QLabel *>(u"sandboxBadge"_s));
        const QString email = uniqueEmail(u"gui"_s);
        typeCandidate(u"Asha Rao"_s, email, u"98765 43210"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/asha.pdf"_s);
        QTest::keyClick(m_window.get(), Qt::Key_Return, Qt::ControlModifier);

        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Created candidate #"_s),
                                 20000);
        const HttpResponse found
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)));
        QCOMPARE(found.json().value(u"count"_s).toInt(), 1);
        QCOMPARE(found.json()[u"results"_s][0][u"phone"_s].toString(), u"+919876543210"_s);
        auto *table = m_window->findChild<QTableView *>(u"historyTable"_s);
        QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() >= 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->index(0, HistoryModel::Email).data().toString(),
                                  email, 10000);
        // The form is ready for the next candidate.
        QCOMPARE(edit(u"nameEdit"_s)->text(), QString());
    }

    // Several resumes dropped at once are many candidates, not one resume:
    // a review list opens, a row is fixed there, and each is sent once.
    void manyResumesDropped_openTheReviewList_fixedThere_andEachSent()
    {
        for (ImportDialog *earlier : m_window->findChildren<ImportDialog *>())
            earlier->close();
        QTRY_VERIFY(m_window->findChildren<ImportDialog *>().isEmpty());
        const QString emailA = uniqueEmail(u"dropa"_s);
        const QString emailB = uniqueEmail(u"dropb"_s);
        const QString a = writeFile(m_files.path(), u"drop-a.txt"_s,
                                    u"Drop Person A\n%1\n+91 98450 63000\n"_s.arg(emailA).toUtf8());
        const QString b
            = writeFile(m_files.path(), u"drop-b.txt"_s, "Drop Person B\n+91 98450 63001\n");
        auto *zone = m_window->findChild<ResumeDropZone *>();
        const QString before = zone->filePath();
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(a), QUrl::fromLocalFile(b) });
        QDragEnterEvent enter(zone->rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(zone, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(zone->rect().center()), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(zone, &drop);

        auto *dialog = m_window->findChild<ImportDialog *>();
        QVERIFY(dialog);
        auto *summary = dialog->findChild<QLabel *>(u"importSummary"_s);
        QTRY_VERIFY2(summary->text().contains(u"1 ready to send; 1 need attention"_s),
                     qPrintable(summary->text()));
        auto *rows = dialog->findChild<QTableWidget *>(u"importRows"_s);
        QCOMPARE(rows->rowCount(), 2);
        QCOMPARE(rows->item(1, 0)->text(), u"drop-b.txt"_s);
        QCOMPARE(rows->item(1, 1)->text(), u"Drop Person B"_s); // read by autofill
        QVERIFY(rows->item(1, 2)->toolTip().contains(u"does not give the candidate's email"_s));
        rows->item(1, 2)->setText(emailB); // as the recruiter types it in the cell
        QTRY_VERIFY2(summary->text().contains(u"2 row(s), all ready to send."_s),
                     qPrintable(summary->text()));

        dialog->findChild<QPushButton *>(u"importStart"_s)->click();
        auto *progress = dialog->findChild<QLabel *>(u"importProgressText"_s);
        QTRY_VERIFY_WITH_TIMEOUT(progress->text().startsWith(u"Done: 2 sent"_s), 30000);
        QCOMPARE(m_sandbox.countWithEmail(emailA), 1);
        QCOMPARE(m_sandbox.countWithEmail(emailB), 1);
        QCOMPARE(zone->filePath(), before); // the form's resume is not one of them
        dialog->close();
    }

    void droppedResume_arrivesWithTheCandidate()
    {
        const QString pdf
            = writeFile(m_files.path(), u"Ravi Kumar CV.pdf"_s, minimalPdf("Ravi Kumar"));
        auto *zone = m_window->findChild<ResumeDropZone *>();
        QVERIFY(zone);
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(pdf) });
        QDragEnterEvent enter(zone->rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(zone, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(zone->rect().center()), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(zone, &drop);
        QTRY_COMPARE_WITH_TIMEOUT(zone->filePath(), pdf, 10000);
        QTRY_VERIFY(label(u"resumeName"_s)->text().contains(u"Ravi Kumar CV.pdf"_s));

        const QString email = uniqueEmail(u"drop"_s);
        typeCandidate(u"Ravi Kumar"_s, email, u"+91 91234 56780"_s);
        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Created candidate #"_s),
                                 20000);
        const QJsonObject onServer
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)))
                  .json()[u"results"_s][0]
                  .toObject();
        QCOMPARE(onServer[u"resume_file"_s][u"filename"_s].toString(), u"Ravi Kumar CV.pdf"_s);
        QCOMPARE(onServer[u"resume_file"_s][u"content_type"_s].toString(), u"application/pdf"_s);
    }

    void pickAJobByTyping_thenTheTalentPool()
    {
        JobPicker *picker = m_window->candidatePane()->form()->jobPicker();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"jobStatus"_s)->text().contains(u"9"_s), 20000);
        auto *search = edit(u"jobSearch"_s);
        search->setFocus();
        QTest::keyClicks(search, u"Hyderabad"_s);
        QTest::keyClick(search, Qt::Key_Down);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_COMPARE(picker->jobId(), std::optional<qint64>(105)); // Data Analyst, Hyderabad
        picker->setJobId(std::nullopt);
        QCOMPARE(picker->jobTitle(), tr("Talent Pool"));

        const QString email = uniqueEmail(u"job"_s);
        typeCandidate(u"Meera Iyer"_s, email, u"+91 99887 76655"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/meera.pdf"_s);
        picker->setJobId(105);
        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Created candidate #"_s),
                                 20000);
        const QJsonObject onServer
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)))
                  .json()[u"results"_s][0]
                  .toObject();
        QCOMPARE(onServer[u"job_id"_s].toInteger(), 105);
    }

    void serverFieldError_landsOnItsField_andTheFormKeepsItsContents()
    {
        const QString email = uniqueEmail(u"closed"_s);
        typeCandidate(u"Kabir Shah"_s, email, u"+91 90000 11111"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/kabir.pdf"_s);
        // Job 103 is closed on the server: only the server can say so.
        m_window->candidatePane()->form()->jobPicker()->setJobId(103);
        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().startsWith(u"Not sent"_s), 20000);
        QTRY_VERIFY(label(u"jobError"_s)->text().contains(u"closed"_s));
        QCOMPARE(edit(u"nameEdit"_s)->text(), u"Kabir Shah"_s);
        QCOMPARE(edit(u"emailEdit"_s)->text(), email);
    }

    void refusedToken_pointsToTheSettings()
    {
        closeWindow();
        openWindow("0000000000000000000000000000000000000000");
        typeCandidate(u"Zoya Khan"_s, uniqueEmail(u"token"_s), u"+91 98111 22233"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/zoya.pdf"_s);
        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Settings"_s), 20000);
        QVERIFY(m_window->findChild<QPushButton *>(u"openSettingsButton"_s)->isVisible());
    }

    void duplicateEmail_leadsToTheUpdate_whichChangesOnlyTheEditedFields()
    {
        // The candidate is already on the server, entered by someone else.
        const QString email = uniqueEmail(u"dup"_s);
        QJsonObject existing = candidateBody(email);
        existing.insert(u"source"_s, u"LinkedIn"_s);
        existing.insert(u"industry"_s, u"Retail"_s);
        existing.insert(u"name"_s, u"Anita Desai"_s);
        const HttpResponse created
            = HttpClient(m_sandbox.token()).postJson(m_sandbox.url(u"candidates/"_s), existing);
        QCOMPARE(created.status, 201);
        const qint64 id = created.json().value(u"id"_s).toInteger();

        // The recruiter types the same email with a new phone.
        edit(u"nameEdit"_s)->setText(u"Anita Desai"_s);
        edit(u"emailEdit"_s)->setText(email);
        edit(u"phoneEdit"_s)->setText(u"+91 90000 22222"_s);
        edit(u"resumeUrlEdit"_s)->setText(existing.value(u"resume_url"_s).toString());
        Dialogs::setNextAnswer(QMessageBox::Yes); // "update that candidate"
        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->candidatePane()->form()->updateTarget() == std::optional<qint64>(id), 20000);
        QVERIFY(Dialogs::lastMessage().contains(email));
        QTRY_VERIFY(label(u"modeLabel"_s)->text().contains(QString::number(id)));

        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Updated candidate #"_s),
                                 20000);
        const QJsonObject after
            = HttpClient(m_sandbox.token()).get(m_sandbox.url(candidatePath(id))).json();
        QCOMPARE(after.value(u"phone"_s).toString(), u"+919000022222"_s);
        QCOMPARE(after.value(u"source"_s).toString(), u"LinkedIn"_s);
        QCOMPARE(after.value(u"industry"_s).toString(), u"Retail"_s);
        QCOMPARE(after.value(u"resume_url"_s).toString(),
                 existing.value(u"resume_url"_s).toString());
        // Never a silent duplicate.
        const HttpResponse all
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)));
        QCOMPARE(all.json().value(u"count"_s).toInt(), 1);
    }

    void windowDestroyedWithoutSaving_theDraftComesBack()
    {
        edit(u"nameEdit"_s)->setText(u"Farah Ali"_s);
        edit(u"emailEdit"_s)->setText(u"farah@example.com"_s);
        QTest::keyClicks(edit(u"phoneEdit"_s), u"+44 20 7946"_s);
        // No Save, no close event: the object just goes, as in a crash after the debounce.
        QTRY_VERIFY(!m_window->candidatePane()->drafts()->hasUnsavedChanges());
        m_window.reset();
        m_engine.reset();
        m_api.reset();
        m_workspace.reset();
        openWindow(m_sandbox.token(), /*sameData=*/true);
        QCOMPARE(edit(u"nameEdit"_s)->text(), u"Farah Ali"_s);
        QCOMPARE(edit(u"emailEdit"_s)->text(), u"farah@example.com"_s);
        QCOMPARE(edit(u"phoneEdit"_s)->text(), u"+44 20 7946"_s);
    }

    void theNextCandidate_isNotTouchedByThePreviousResult()
    {
        sandbox::Faults slow;
        slow.latencyMs = 400;
        m_sandbox.setFaults(slow);
        typeCandidate(u"First One"_s, uniqueEmail(u"first"_s), u"+91 98765 11111"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/first.pdf"_s);
        m_window->candidatePane()->submit();
        // The form is free as soon as the outbox has it: the recruiter goes on.
        QTRY_COMPARE(edit(u"nameEdit"_s)->text(), QString());
        QTest::keyClicks(edit(u"nameEdit"_s), u"Second One"_s);
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Created candidate #"_s),
                                 20000);
        QCOMPARE(edit(u"nameEdit"_s)->text(), u"Second One"_s);
    }

    void aFailureAfterARetry_bringsTheDraftBackWithTheError()
    {
        sandbox::Faults faults;
        faults.errorNext = 1;
        faults.errorStatus = 503; // the first try is retried...
        m_sandbox.setFaults(faults);
        const QString email = uniqueEmail(u"retry"_s);
        typeCandidate(u"Retry Then Fail"_s, email, u"+91 98765 22222"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/retry.pdf"_s);
        m_window->candidatePane()->form()->jobPicker()->setJobId(
            103); // ...the next is refused: closed
        m_window->candidatePane()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(label(u"jobError"_s)->text().contains(u"closed"_s), 20000);
        QCOMPARE(edit(u"nameEdit"_s)->text(), u"Retry Then Fail"_s);
        QCOMPARE(edit(u"emailEdit"_s)->text(), email);
    }

    void aQueuedCandidate_isNotOfferedAgainAfterARestart()
    {
        sandbox::Faults slow;
        slow.latencyMs = 300;
        m_sandbox.setFaults(slow);
        const QString email = uniqueEmail(u"queued"_s);
        typeCandidate(u"Queued Then Closed"_s, email, u"+91 98765 33333"_s);
        edit(u"resumeUrlEdit"_s)->setText(u"https://files.example.com/queued.pdf"_s);
        m_window->candidatePane()->submit();
        QTRY_VERIFY(label(u"resultLabel"_s)->text().startsWith(u"Sending"_s)); // in the outbox
        closeWindow(); // before the answer: the row stays in the outbox
        m_sandbox.setFaults({});
        openWindow(m_sandbox.token());
        QCOMPARE(edit(u"nameEdit"_s)->text(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(label(u"resultLabel"_s)->text().contains(u"Created candidate #"_s),
                                 20000);
        const HttpResponse found
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)));
        QCOMPARE(found.json().value(u"count"_s).toInt(), 1);
    }

    void aRestoredDraft_keepsItsResumeWhileTheFileIsChecked()
    {
        const QString pdf = writeFile(m_files.path(), u"Kept.pdf"_s, minimalPdf("Kept"));
        m_window->candidatePane()->form()->resumeZone()->setFilePath(pdf);
        QTRY_COMPARE(m_window->candidatePane()->form()->resumeZone()->filePath(), pdf);
        edit(u"nameEdit"_s)->setText(u"Has A Resume"_s);
        QTRY_VERIFY(!m_window->candidatePane()->drafts()->hasUnsavedChanges());
        closeWindow();
        openWindow(m_sandbox.token());
        // At once, before the background check answers, and after an edit.
        QCOMPARE(m_window->candidatePane()->form()->candidate().resumeFile, pdf);
        QTest::keyClicks(edit(u"nameEdit"_s), u"!"_s);
        QVERIFY(m_window->candidatePane()->drafts()->flush());
        QCOMPARE(m_window->candidatePane()->form()->candidate().resumeFile, pdf);
    }

    void droppedResume_fillsTheEmptyFields_andKeepsWhatWasTyped()
    {
        const QString cv = writeFile(m_files.path(), u"ravi.txt"_s,
                                     "Resume\nRavi Kumar\nravi.kumar@example.com\n+91 91234 56780\n"
                                     "github.com/ravikumar\n");
        edit(u"emailEdit"_s)->setText(u"typed.by.recruiter@example.com"_s);
        m_window->candidatePane()->form()->resumeZone()->setFilePath(cv);
        QTRY_COMPARE_WITH_TIMEOUT(edit(u"nameEdit"_s)->text(), u"Ravi Kumar"_s, 20000);
        QCOMPARE(edit(u"phoneEdit"_s)->text(), u"+919123456780"_s);
        QCOMPARE(edit(u"emailEdit"_s)->text(),
                 u"typed.by.recruiter@example.com"_s); // never overwritten
        QVERIFY(edit(u"nameEdit"_s)->property("autofilled").toBool());
        QVERIFY(!edit(u"emailEdit"_s)->property("autofilled").toBool());
        QCOMPARE(m_window->candidatePane()->form()->candidate().customFields.value(u"github_url"_s),
                 u"https://github.com/ravikumar"_s);
        QVERIFY(label(u"resultLabel"_s)->text().contains(u"Filled from the resume"_s));
        // Editing a filled field is the recruiter's confirmation.
        QTest::keyClicks(edit(u"nameEdit"_s), u"a"_s);
        QVERIFY(!edit(u"nameEdit"_s)->property("autofilled").toBool());
    }

    void tooLargeResume_canBeSentAsPlainText()
    {
        m_settings->setMaxResumeBytes(1024);
        QByteArray big = "Meera Iyer\nmeera.iyer@example.com\n+91 99887 76655\n";
        big += QByteArray(4000, 'x') + "\n";
        QByteArray body;
        for (int i = 0; i < 3; ++i)
            body += big;
        const QString pdf
            = writeFile(m_files.path(), u"Meera big.pdf"_s, minimalPdf(big.left(80), 8000));
        m_window->candidatePane()->form()->resumeZone()->setFilePath(pdf);
        auto *asText = m_window->findChild<QPushButton *>(u"sendAsPlainText"_s);
        QTRY_VERIFY2_WITH_TIMEOUT(asText->isVisible(), qPrintable(label(u"resumeAssist"_s)->text()),
                                  20000);
        asText->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->candidatePane()->form()->resumeZone()->filePath().endsWith(
                u"Meera big.txt"_s),
            20000);
        QCOMPARE(m_window->candidatePane()->form()->draftState().originalResume, pdf);
    }

    // Another program (a command line import) holds the database: the window
    // says so across the top instead of only in a log, the form keeps what
    // was typed, and "Try again" saves it once the other program is done.
    void databaseHeldByAnotherProgram_showsABanner_andTheFormKeepsItsContents()
    {
        auto *banner = m_window->findChild<StoreBanner *>(u"storeBanner"_s);
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());
        m_workspace->database()->setBusyTimeout(50);
        m_window->candidatePane()->drafts()->setRetryInterval(3600 * 1000);
        Database other(m_data->filePath(u"candidate-desk.sqlite"_s), Clock::system());
        QString error;
        QVERIFY2(other.open(&error), qPrintable(error));
        QVERIFY2(other.beginWrite(&error), qPrintable(error));

        QTest::keyClicks(edit(u"nameEdit"_s), u"Kiran Rao"_s);
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QVERIFY2(banner->text().contains(u"another program"_s), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(u"stays in the form"_s));
        QCOMPARE(edit(u"nameEdit"_s)->text(), u"Kiran Rao"_s);

        other.rollback();
        banner->findChild<QPushButton *>(u"storeBannerRetry"_s)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 10000);
        const QList<Draft> drafts = m_workspace->drafts()->list();
        QVERIFY(!drafts.isEmpty());
        QCOMPARE(drafts.constFirst().candidate.name, u"Kiran Rao"_s);
    }

private:
    void openWindow(const QByteArray &token, bool sameData = false)
    {
        Q_UNUSED(sameData);
        m_workspace = std::make_unique<Workspace>(m_data->path(), Clock::system());
        QString error;
        QVERIFY2(m_workspace->open(&error), qPrintable(error));
        m_settings = Settings::temporary();
        m_api = std::make_unique<ApiClient>(&m_network, Clock::system());
        m_api->setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), token));
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
        m_workspace.reset();
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

    QTemporaryDir m_files;
    SandboxFixture m_sandbox;
    QNetworkAccessManager m_network;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<SubmissionEngine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
