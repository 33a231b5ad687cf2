// The command line as a script uses it: the real candidate-desk executable in
// a child process, against the sandbox on an ephemeral port, with its own
// settings and data folders. Includes the crash test: the engine killed with
// SIGKILL in the middle of 200 submissions, started again, and exactly 200
// candidates on the server.
#include "CliRun.h"
#include "SandboxFixture.h"
#include "TestData.h"
#include "core/Clock.h"
#include "store/HistoryStore.h"
#include "store/InstanceLock.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

using Run = CliRun;

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_pdf = writeFile(m_home.path(), u"Ravi Kumar resume.pdf"_s, minimalPdf("Ravi Kumar"));
    }

    // Each test has an outbox of its own, so what one leaves waiting or held
    // does not change another's exit codes.
    void init()
    {
        m_dataDir = m_home.filePath(u"data-%1"_s.arg(++m_tests));
        m_sandbox.setFaults({});
    }

    void submit_sendsTheCandidate_andExitsZero()
    {
        const QString email = uniqueEmail(u"cli"_s);
        const Run run = cli({ u"submit"_s, u"--json"_s, u"--name"_s, u"Ravi Kumar"_s, u"--email"_s,
                              email, u"--phone"_s, u"+91 98765 43210"_s, u"--resume"_s, m_pdf,
                              u"--job"_s, u"101"_s, u"--source"_s, u"Referral"_s, u"--field"_s,
                              u"linkedin_url=https://linkedin.com/in/ravi"_s });
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QCOMPARE(run.json().value(u"state"_s).toString(), u"sent"_s);
        const qint64 id = run.json().value(u"id"_s).toInteger();
        const HttpResponse onServer
            = HttpClient(m_sandbox.token()).get(m_sandbox.url(candidatePath(id)));
        QCOMPARE(onServer.status, 200);
        QCOMPARE(onServer.json().value(u"email"_s).toString(), email);
        QCOMPARE(onServer.json().value(u"phone"_s).toString(), u"+919876543210"_s); // E.164
        QCOMPARE(onServer.json().value(u"job_id"_s).toInteger(), 101);
        QCOMPARE(onServer.json()[u"resume_file"_s][u"filename"_s].toString(),
                 u"Ravi Kumar resume.pdf"_s);
        QCOMPARE(onServer.json()[u"custom_fields"_s][u"linkedin_url"_s].toString(),
                 u"https://linkedin.com/in/ravi"_s);

        // It shows in the history the window reads.
        const Run history = cli({ u"history"_s, u"--json"_s });
        QCOMPARE(history.exitCode, 0);
        QVERIFY(history.out.contains(email.toUtf8()));
    }

    void exitCodes_tellTheOutcomesApart()
    {
        const QString email = uniqueEmail(u"codes"_s);
        const QStringList candidate
            = { u"--name"_s,       u"Meera Iyer"_s,
                u"--email"_s,      email,
                u"--phone"_s,      u"+91 91234 56780"_s,
                u"--resume-url"_s, u"https://files.example.com/meera.pdf"_s };
        // Invalid input never reaches the outbox.
        QCOMPARE(cli({ u"submit"_s, u"--name"_s, u"Meera"_s, u"--email"_s, u"meera@"_s,
                       u"--phone"_s, u"12345"_s })
                     .exitCode,
                 2);
        // A refused token.
        QCOMPARE(
            cli(QStringList { u"submit"_s } + candidate, "0000000000000000000000000000000000000000")
                .exitCode,
            3);
        // The first one goes through; the same email again needs a decision.
        QCOMPARE(cli(QStringList { u"submit"_s } + candidate).exitCode, 0);
        const Run duplicate = cli(QStringList { u"submit"_s, u"--json"_s } + candidate);
        QCOMPARE(duplicate.exitCode, 4);
        QCOMPARE(duplicate.json().value(u"state"_s).toString(), u"needs_decision"_s);
        QVERIFY(duplicate.json().value(u"duplicate_of"_s).toInteger() > 0);
    }

    void serverTrouble_keepsItInTheOutbox_andRetrySendsIt()
    {
        sandbox::Faults down;
        down.errorNext = 1;
        down.errorStatus = 503;
        m_sandbox.setFaults(down);
        const QString email = uniqueEmail(u"offline"_s);
        // --wait 0: one attempt, then the script goes on; the outbox keeps it.
        const Run offline = cli({ u"submit"_s, u"--json"_s, u"--wait"_s, u"0"_s, u"--name"_s,
                                  u"Kabir Shah"_s, u"--email"_s, email, u"--phone"_s,
                                  u"+91 99887 76655"_s, u"--resume"_s, m_pdf });
        QCOMPARE(offline.exitCode, 5);
        QCOMPARE(offline.json().value(u"state"_s).toString(), u"pending"_s);
        const Run outbox = cli({ u"outbox"_s, u"--json"_s });
        QVERIFY(outbox.out.contains(email.toUtf8()));

        const Run retry = cli({ u"outbox"_s, u"--retry"_s });
        QVERIFY2(retry.exitCode == 0, QByteArray(retry.out + retry.err).constData());
        const HttpResponse found
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)));
        QCOMPARE(found.json().value(u"count"_s).toInt(), 1);
        // The resume copy kept in the outbox is what arrived.
        QCOMPARE(found.json()[u"results"_s][0][u"resume_file"_s][u"filename"_s].toString(),
                 u"Ravi Kumar resume.pdf"_s);
    }

    void queuedForAnotherAddress_isNeverSentHere()
    {
        // A port bound and not listening: refused, and no other test's
        // server can take it while this holds it.
        QTcpSocket closed;
        QVERIFY(closed.bind(QHostAddress::LocalHost, 0, QAbstractSocket::DontShareAddress));
        const QString deadUrl = u"http://127.0.0.1:%1/api/v1"_s.arg(closed.localPort());
        const QString email = uniqueEmail(u"elsewhere"_s);
        const Run offline
            = cli({ u"submit"_s, u"--wait"_s, u"0"_s, u"--api-url"_s, deadUrl, u"--name"_s,
                    u"Nia Das"_s, u"--email"_s, email, u"--phone"_s, u"+91 99887 76650"_s,
                    u"--resume-url"_s, u"https://files.example.com/nia.pdf"_s });
        QCOMPARE(offline.exitCode, 5);
        // Retrying against the sandbox (another address) leaves it where it was
        // queued, and says so; the exit code speaks of this address alone.
        const Run retry = cli({ u"outbox"_s, u"--retry"_s });
        QCOMPARE(retry.exitCode, 0);
        QVERIFY2(retry.out.contains("another API address"), retry.out.constData());
        const HttpResponse found
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)));
        QCOMPARE(found.json().value(u"count"_s).toInt(), 0);
        QVERIFY(cli({ u"outbox"_s, u"--json"_s }).out.contains(email.toUtf8()));
    }

    // A redirect needs a person: not tried again by itself, exit 6, and
    // `outbox --retry` says so until the cause is gone; then it sends it.
    void redirect_isHeldForAPerson_exit6_untilFixed()
    {
        sandbox::Faults moved;
        moved.redirectTo = QUrl(u"http://localhost:9/"_s);
        m_sandbox.setFaults(moved);
        const QString email = uniqueEmail(u"moved"_s);
        const Run held = cli({ u"submit"_s, u"--name"_s, u"Ira Sen"_s, u"--email"_s, email,
                               u"--phone"_s, u"+91 99887 76611"_s, u"--resume-url"_s,
                               u"https://files.example.com/ira.pdf"_s });
        QCOMPARE(held.exitCode, 6);
        QVERIFY2(held.out.contains("not tried again by itself"), held.out.constData());
        QCOMPARE(cli({ u"outbox"_s, u"--retry"_s, u"--wait"_s, u"0"_s }).exitCode, 6);

        m_sandbox.setFaults({});
        const Run fixed = cli({ u"outbox"_s, u"--retry"_s });
        QVERIFY2(fixed.exitCode == 0 || fixed.exitCode == 5, fixed.out.constData());
        QCOMPARE(m_sandbox.countWithEmail(email), 1);
    }

    // A throttled server gets everything in the end, at the pace it asks for:
    // `outbox --retry` waits out each Retry-After instead of stopping.
    void throttled_outboxRetry_waitsAsAskedAndSendsEverything()
    {
        QTemporaryDir data;
        const QString tag = u"throttle%1"_s.arg(QCoreApplication::applicationPid());
        enqueueDirectly(data.path(), tag, 12);
        sandbox::Faults slow;
        slow.throttlePerSecond = 4;
        m_sandbox.setFaults(slow);
        const Run run = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s, u"--data-dir"_s, data.path(),
                              u"--api-url"_s, m_sandbox.baseUrl().toString() });
        m_sandbox.setFaults({});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QCOMPARE(run.json().value(u"sent"_s).toInt(), 12);
        QCOMPARE(run.json().value(u"waiting"_s).toInt(), 0);
        for (int i = 0; i < 12; ++i)
            QCOMPARE(m_sandbox.countWithEmail(u"%1.%2@example.com"_s.arg(tag).arg(i)), 1);
    }

    // A 500 is retried with backoff while the script waits (--wait), and a
    // submission that still waits when --wait runs out exits 5, pending.
    void serverError_isRetriedWithinWait_andOtherwiseStaysPending()
    {
        sandbox::Faults flaky;
        flaky.errorNext = 2;
        flaky.errorStatus = 500;
        m_sandbox.setFaults(flaky);
        const QString email = uniqueEmail(u"flaky"_s);
        const Run run = cli({ u"submit"_s, u"--json"_s, u"--name"_s, u"Dev Rao"_s, u"--email"_s,
                              email, u"--phone"_s, u"+91 99887 76622"_s, u"--resume-url"_s,
                              u"https://files.example.com/dev.pdf"_s });
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QVERIFY(run.json().value(u"attempts"_s).toInt() >= 2);
        QCOMPARE(m_sandbox.countWithEmail(email), 1);

        sandbox::Faults down;
        down.errorNext = 100000;
        down.errorStatus = 500;
        m_sandbox.setFaults(down);
        const QString later = uniqueEmail(u"down"_s);
        const Run pending
            = cli({ u"submit"_s, u"--json"_s, u"--wait"_s, u"0"_s, u"--name"_s, u"Dev Rao"_s,
                    u"--email"_s, later, u"--phone"_s, u"+91 99887 76623"_s, u"--resume-url"_s,
                    u"https://files.example.com/dev.pdf"_s });
        m_sandbox.setFaults({});
        QCOMPARE(pending.exitCode, 5);
        QCOMPARE(pending.json().value(u"state"_s).toString(), u"pending"_s);
        QCOMPARE(pending.json().value(u"error"_s).toString(), u"server_error"_s);
        QCOMPARE(pending.json().value(u"attempts"_s).toInt(), 1); // --wait 0: one attempt
        QCOMPARE(cli({ u"outbox"_s, u"--retry"_s }).exitCode, 0);
        QCOMPARE(m_sandbox.countWithEmail(later), 1);
    }

    // A command line that finds the outbox held by another copy watches its
    // row; when that copy goes away first, it takes the outbox over and
    // sends the row itself instead of leaving it to nobody.
    void submitWhileAnotherCopyHoldsTheOutbox_takesOverWhenItGoes()
    {
        QVERIFY(QDir().mkpath(m_dataDir));
        QString error;
        auto held = InstanceLock::acquire(m_dataDir, &error);
        QVERIFY2(held, qPrintable(error));
        const QString email = uniqueEmail(u"takeover"_s);
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(CDESK_APP_EXE),
                      { u"submit"_s, u"--json"_s, u"--data-dir"_s, m_dataDir, u"--api-url"_s,
                        m_sandbox.baseUrl().toString(), u"--name"_s, u"Tara Sen"_s, u"--email"_s,
                        email, u"--phone"_s, u"+91 99887 76633"_s, u"--resume-url"_s,
                        u"https://files.example.com/tara.pdf"_s });
        QVERIFY(process.waitForStarted(10000));
        // The row is queued, and nobody sends it while the other copy holds on.
        FakeClock clock(QDateTime::currentDateTimeUtc());
        Workspace workspace(m_dataDir, &clock);
        QVERIFY2(workspace.open(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(workspace.outbox()->pendingCount(), 1, 20000);
        QCOMPARE(m_sandbox.countWithEmail(email), 0);

        held.reset(); // the other copy goes away
        QVERIFY(process.waitForFinished(60000));
        const QByteArray out = process.readAllStandardOutput();
        QVERIFY2(process.exitCode() == 0, out.constData());
        QCOMPARE(QJsonDocument::fromJson(out).object().value(u"state"_s).toString(), u"sent"_s);
        QCOMPARE(m_sandbox.countWithEmail(email), 1);
    }

    void update_changesOnlyTheOptionsGiven()
    {
        const QString email = uniqueEmail(u"update"_s);
        const Run created
            = cli({ u"submit"_s, u"--json"_s, u"--name"_s, u"Anita Desai"_s, u"--email"_s, email,
                    u"--phone"_s, u"+91 90000 11111"_s, u"--resume"_s, m_pdf, u"--source"_s,
                    u"LinkedIn"_s, u"--industry"_s, u"Retail"_s, u"--job"_s, u"102"_s });
        QCOMPARE(created.exitCode, 0);
        const QString id = QString::number(created.json().value(u"id"_s).toInteger());
        const Run updated = cli({ u"update"_s, id, u"--json"_s, u"--phone"_s, u"+91 90000 22222"_s,
                                  u"--department"_s, u"Merchandising"_s });
        QVERIFY2(updated.exitCode == 0, QByteArray(updated.out + updated.err).constData());
        const QJsonObject after
            = HttpClient(m_sandbox.token()).get(m_sandbox.url(u"candidates/%1/"_s.arg(id))).json();
        QCOMPARE(after.value(u"phone"_s).toString(), u"+919000022222"_s);
        QCOMPARE(after.value(u"department"_s).toString(), u"Merchandising"_s);
        QCOMPARE(after.value(u"name"_s).toString(), u"Anita Desai"_s);
        QCOMPARE(after.value(u"source"_s).toString(), u"LinkedIn"_s);
        QCOMPARE(after.value(u"industry"_s).toString(), u"Retail"_s);
        QCOMPARE(after.value(u"job_id"_s).toInteger(), 102);
        QCOMPARE(after[u"resume_file"_s][u"filename"_s].toString(), u"Ravi Kumar resume.pdf"_s);
    }

    void inspectResume_printsTypeSizeAndWhatWouldBeFilled()
    {
        const QString cv = writeFile(m_home.path(), u"cv.txt"_s,
                                     "CURRICULUM VITAE\nPriya Sharma\npriya.sharma@example.com | "
                                     "+91 98765 43210\nhttps://www.linkedin.com/in/priyasharma\n");
        const Run run = cli({ u"inspect-resume"_s, cv, u"--json"_s });
        QCOMPARE(run.exitCode, 0);
        const QJsonObject o = run.json();
        QCOMPARE(o.value(u"accepted"_s).toBool(), true);
        QCOMPARE(o.value(u"mime_type"_s).toString(), u"text/plain"_s);
        QCOMPARE(o.value(u"over_limit"_s).toBool(), false);
        QVERIFY(o.value(u"text_length"_s).toInt() > 50);
        const QJsonObject fields = o.value(u"fields"_s).toObject();
        QCOMPARE(fields.value(u"name"_s).toString(), u"Priya Sharma"_s);
        QCOMPARE(fields.value(u"email"_s).toString(), u"priya.sharma@example.com"_s);
        QCOMPARE(fields.value(u"phone"_s).toString(), u"+919876543210"_s);
        QCOMPARE(fields.value(u"linkedin_url"_s).toString(),
                 u"https://www.linkedin.com/in/priyasharma"_s);

        const QString exe = writeFile(m_home.path(), u"cv.pdf"_s, elfExecutable());
        const Run refused = cli({ u"inspect-resume"_s, exe, u"--json"_s });
        QCOMPARE(refused.exitCode, 2);
        QCOMPARE(refused.json().value(u"accepted"_s).toBool(), false);
        QVERIFY(!refused.json().value(u"problem"_s).toString().isEmpty());
    }

    void killedWithSigkillMidway_andRestarted_leavesExactly200Candidates()
    {
        QTemporaryDir data;
        const QString tag = u"crash%1"_s.arg(QCoreApplication::applicationPid());
        enqueueDirectly(data.path(), tag, 200);
        const int before = m_sandbox.candidateCount();
        killWhileSending({ u"outbox"_s, u"--retry"_s, u"--api-url"_s,
                           m_sandbox.baseUrl().toString(), u"--data-dir"_s, data.path() },
                         before);
        if (QTest::currentTestFailed())
            return;
        QProcess second;
        second.setProcessEnvironment(environment());
        second.start(QStringLiteral(CDESK_APP_EXE),
                     { u"outbox"_s, u"--retry"_s, u"--api-url"_s, m_sandbox.baseUrl().toString(),
                       u"--data-dir"_s, data.path() });
        QVERIFY(second.waitForFinished(120000));
        QVERIFY2(
            second.exitCode() == 0,
            QByteArray(second.readAllStandardOutput() + second.readAllStandardError()).constData());

        QCOMPARE(m_sandbox.candidateCount() - before, 200);
        FakeClock clock;
        Workspace workspace(data.path(), &clock);
        QString error;
        QVERIFY(workspace.open(&error));
        HistoryFilter sent;
        sent.state = SubmissionState::Sent;
        QCOMPARE(workspace.history()->count(sent), 200);
        QCOMPARE(workspace.history()->count({}), 200);
    }

    // An import killed with SIGKILL while it sends, then run again on the
    // same sheet: every row on the server once, none missing.
    void importKilledMidway_andRunAgain_leavesEveryRowOnce()
    {
        QTemporaryDir data;
        const QString tag = u"importkill%1"_s.arg(QCoreApplication::applicationPid());
        QByteArray csv = "Name,Email,Phone,Resume\r\n";
        QStringList emails;
        for (int i = 0; i < 200; ++i) {
            emails << u"%1.%2@example.com"_s.arg(tag).arg(i);
            csv += u"Imported Person %1,%2,+91 98450 %3,https://files.example.com/%1.pdf\r\n"_s
                       .arg(i)
                       .arg(emails.last())
                       .arg(10000 + i)
                       .toUtf8();
        }
        const QString sheet = writeFile(data.path(), u"fair.csv"_s, csv);
        const int before = m_sandbox.candidateCount();
        killWhileSending({ u"import"_s, sheet, u"--api-url"_s, m_sandbox.baseUrl().toString(),
                           u"--data-dir"_s, data.path() },
                         before);
        if (QTest::currentTestFailed())
            return;
        const Run again = cli({ u"import"_s, sheet, u"--json"_s, u"--data-dir"_s, data.path() });
        QVERIFY2(again.exitCode == 0, again.text().constData());
        QCOMPARE(m_sandbox.candidateCount() - before, 200);
        for (const QString &email : std::as_const(emails))
            QCOMPARE(m_sandbox.countWithEmail(email), 1);
    }

    void theToken_appearsNowhere()
    {
        // After every run above: not in the data folder (database, WAL, outbox
        // copies), not in the settings, not in anything the processes printed.
        const QByteArray token = m_sandbox.token();
        QStringList offenders;
        QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly) && file.readAll().contains(token))
                offenders.append(file.fileName());
        }
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(u", "_s)));
        QVERIFY(!m_printed.contains(token));
        QVERIFY(m_runs > 5);
    }

private:
    // Runs the command line with slow answers, so the kill lands while
    // requests are in flight, and kills it with SIGKILL (no chance to tidy
    // up) once 30 candidates are on the server; the faults are off after.
    void killWhileSending(const QStringList &arguments, int before)
    {
        sandbox::Faults slow;
        slow.latencyMs = 40;
        m_sandbox.setFaults(slow);
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(QStringLiteral(CDESK_APP_EXE), arguments);
        QVERIFY(process.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(m_sandbox.candidateCount() - before >= 30
                                     || process.state() == QProcess::NotRunning,
                                 60000);
        process.kill();
        QVERIFY(process.waitForFinished(10000));
        qInfo("killed with %d of 200 on the server", m_sandbox.candidateCount() - before);
        m_sandbox.setFaults({});
    }

    // Rows put straight into a workspace's outbox, as an import would.
    static void enqueueDirectly(const QString &dataDir, const QString &tag, int count)
    {
        FakeClock clock(QDateTime::currentDateTimeUtc());
        Workspace workspace(dataDir, &clock);
        QString error;
        QVERIFY2(workspace.open(&error), qPrintable(error));
        QList<Submission> batch;
        for (int i = 0; i < count; ++i) {
            Submission s;
            s.candidate.name = u"Queued Test %1"_s.arg(i);
            s.candidate.email = u"%1.%2@example.com"_s.arg(tag).arg(i);
            s.candidate.phone = u"+919876500%1"_s.arg(i, 3, 10, QLatin1Char('0'));
            s.candidate.resumeUrl = QUrl(u"https://files.example.com/%1.pdf"_s.arg(i));
            s.source = u"test"_s;
            batch.append(s);
        }
        QVERIFY2(workspace.outbox()->enqueueAll(batch, &error), qPrintable(error));
    }

    QProcessEnvironment environment(const QByteArray &token = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_home.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_home.filePath(u"data"_s));
        env.insert(u"XDG_CACHE_HOME"_s, m_home.filePath(u"cache"_s));
        env.insert(u"CANDIDATE_DESK_TOKEN"_s,
                   QString::fromLatin1(token.isEmpty() ? m_sandbox.token() : token));
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // the environment token serves; no keychain
        return env;
    }

    Run cli(QStringList arguments, const QByteArray &token = {})
    {
        if (!arguments.contains(u"--api-url"_s) && arguments.first() != u"history"_s
            && arguments.first() != u"inspect-resume"_s
            && !(arguments.first() == u"outbox"_s && !arguments.contains(u"--retry"_s)))
            arguments += { u"--api-url"_s, m_sandbox.baseUrl().toString() };
        if (!arguments.contains(u"--data-dir"_s) && arguments.first() != u"inspect-resume"_s)
            arguments += { u"--data-dir"_s, m_dataDir };
        QProcess process;
        process.setProcessEnvironment(environment(token));
        process.start(QStringLiteral(CDESK_APP_EXE), arguments);
        Run run;
        if (!process.waitForFinished(120000))
            return run;
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        m_printed += run.out + run.err;
        ++m_runs;
        return run;
    }

    QTemporaryDir m_home;
    QString m_dataDir;
    int m_tests = 0;
    SandboxFixture m_sandbox;
    QString m_pdf;
    QByteArray m_printed;
    int m_runs = 0;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
