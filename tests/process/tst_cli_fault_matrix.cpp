// The fault matrix on the command line (issue 9, deliverable 2): for each
// sandbox fault, the real candidate-desk executable in a child process
// (`submit`, `outbox --retry`), its exit code against the README's table,
// and `history --json` telling the same story:
//
//   0 on the server; 5 waits in the outbox and is tried again by itself;
//   6 held for a person; 3 the token may not write; 2 too large.
//
// Each fault gets a data folder of its own, so what one leaves waiting or
// held does not change another's exit codes. The settings file gives the
// command line a 1 s request timeout (the latency row) and lets a 20 MiB
// resume past its own size check, so the server's gate is what refuses it.
#include "CliRun.h"
#include "SandboxFixture.h"
#include "TestData.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

constexpr qint64 kMaxResumeBytes = 64 * 1024; // the sandbox's limit
constexpr qint64 kBigResumeBytes = 20 * 1024 * 1024; // over its gate's body limit
constexpr int kLatencyMs = 2500; // past the 1 s timeout of the settings file

using Run = CliRun;

} // namespace

class TestCliFaultMatrix : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        sandbox::Options options;
        options.maxResumeBytes = kMaxResumeBytes;
        QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));
        m_pdf
            = writeFile(m_home.path(), u"Tara Menon CV.pdf"_s, minimalPdf("Tara Menon", 24 * 1024));
        m_bigPdf = writeFile(m_home.path(), u"Tara Menon scan.pdf"_s,
                             minimalPdf("Tara Menon", kBigResumeBytes));
        QVERIFY(!m_pdf.isEmpty());
        QVERIFY(!m_bigPdf.isEmpty());
        // The settings file of the child processes (XDG_CONFIG_HOME below).
        QSettings settings(m_home.filePath(u"config/candidate-desk/candidate-desk.ini"_s),
                           QSettings::IniFormat);
        settings.setValue(u"api/timeoutMs"_s, 1000);
        settings.setValue(u"resume/maxBytes"_s, qint64(100) * 1024 * 1024);
        settings.sync();
        QCOMPARE(settings.status(), QSettings::NoError);
    }

    void init()
    {
        m_dataDir = m_home.filePath(u"data-%1"_s.arg(++m_tests));
        m_sandbox.setFaults({});
    }

    void cleanup() { m_sandbox.setFaults({}); }

    void exitCodeAndHistory_sayWhatHappened_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("500") << u"500"_s;
        QTest::newRow("503") << u"503"_s;
        QTest::newRow("429 with Retry-After") << u"429"_s;
        QTest::newRow("latency past the timeout") << u"latency"_s;
        QTest::newRow("drop after commit") << u"drop"_s;
        QTest::newRow("307 to another origin") << u"redirect"_s;
        QTest::newRow("read-only token") << u"read-only"_s;
        QTest::newRow("413 and a close mid-upload") << u"too-large"_s;
    }
    void exitCodeAndHistory_sayWhatHappened()
    {
        QFETCH(QString, fault);
        const QString email = uniqueEmail(u"cli-"_s + fault);
        QStringList submit = { u"submit"_s,  u"--json"_s, u"--name"_s,  u"Tara Menon"_s,
                               u"--email"_s, email,       u"--phone"_s, u"+91 98765 43210"_s };
        submit += fault == u"too-large"_s ? QStringList { u"--resume"_s, m_bigPdf }
            : (fault == u"500"_s || fault == u"latency"_s || fault == u"drop"_s)
            ? QStringList { u"--resume"_s, m_pdf }
            : QStringList { u"--resume-url"_s, u"https://files.example.com/tara.pdf"_s };

        if (fault == u"500"_s || fault == u"503"_s || fault == u"429"_s) {
            // The server's trouble: one attempt (--wait 0), then it waits in
            // the outbox; once the trouble is over, `outbox --retry` sends it.
            sandbox::Faults down;
            if (fault == u"429"_s) {
                down.throttleNext = 100000;
            } else {
                down.errorNext = 100000;
                down.errorStatus = fault.toInt();
            }
            m_sandbox.setFaults(down);
            const QString kind = fault == u"429"_s ? u"throttled"_s : u"server_error"_s;
            const Run waiting = cli(submit + QStringList { u"--wait"_s, u"0"_s });
            QVERIFY2(waiting.exitCode == 5, waiting.text().constData());
            expectRow(waiting.json(), u"pending"_s, kind);
            expectHistory(email, waiting.json());
            m_sandbox.setFaults({});
            QCOMPARE(m_sandbox.countWithEmail(email), 0);

            const Run retry = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s });
            QVERIFY2(retry.exitCode == 0, retry.text().constData());
            QCOMPARE(retry.json().value(u"sent"_s).toInt(), 1);
            QCOMPARE(retry.json().value(u"waiting"_s).toInt(), 0);
            QCOMPARE(retry.json().value(u"held"_s).toInt(), 0);
            expectSentOnce(email);

            if (fault == u"429"_s) {
                // Within --wait (60 s by default) the command line waits as
                // asked (Retry-After: 1) and sends it itself.
                sandbox::Faults once;
                once.throttleNext = 1;
                m_sandbox.setFaults(once);
                const QString patient = uniqueEmail(u"cli-429-wait"_s);
                QStringList again = submit;
                again[again.indexOf(email)] = patient;
                const Run waited = cli(again);
                QVERIFY2(waited.exitCode == 0, waited.text().constData());
                QCOMPARE(m_sandbox.faults().throttleNext, 0);
                QVERIFY(waited.json().value(u"attempts"_s).toInt() >= 2);
                expectRow(waited.json(), u"sent"_s, QString());
                expectSentOnce(patient);
            }
        } else if (fault == u"latency"_s) {
            sandbox::Faults slow;
            slow.latencyMs = kLatencyMs;
            m_sandbox.setFaults(slow);
            // The first attempt's lookup times out: it waits (5).
            const Run first = cli(submit + QStringList { u"--wait"_s, u"0"_s });
            QVERIFY2(first.exitCode == 5, first.text().constData());
            expectRow(first.json(), u"pending"_s, u"timeout"_s);
            // The second attempt is the create: the server commits it and
            // answers after the client gave up. Still waiting (5).
            const Run second = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s, u"--wait"_s, u"0"_s });
            QVERIFY2(second.exitCode == 5, second.text().constData());
            QCOMPARE(second.json().value(u"waiting"_s).toInt(), 1);
            const QJsonObject stillWaiting = historyRow(email);
            QCOMPARE(stillWaiting.value(u"state"_s).toString(), u"pending"_s);
            QCOMPARE(stillWaiting.value(u"error"_s).toString(), u"timeout"_s);
            QVERIFY(stillWaiting.value(u"id"_s).isNull());
            m_sandbox.setFaults({});
            QCOMPARE(m_sandbox.countWithEmail(email), 1); // committed while the client timed out
            // Sent again with the same Idempotency-Key: the server's first
            // answer, not a second candidate.
            const Run retry = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s });
            QVERIFY2(retry.exitCode == 0, retry.text().constData());
            QCOMPARE(retry.json().value(u"sent"_s).toInt(), 1);
            expectSentOnce(email);
        } else if (fault == u"drop"_s) {
            // Committed, then the connection closes unanswered: a replay of
            // the key (Qt's own re-send, or the engine's retry) gets the answer.
            sandbox::Faults drop;
            drop.dropAfterCommitNext = 1;
            m_sandbox.setFaults(drop);
            const Run run = cli(submit);
            QVERIFY2(run.exitCode == 0, run.text().constData());
            QCOMPARE(m_sandbox.faults().dropAfterCommitNext, 0); // the fault did happen
            expectRow(run.json(), u"sent"_s, QString());
            expectHistory(email, run.json());
            const qint64 id = expectSentOnce(email);
            QCOMPARE(run.json().value(u"id"_s).toInteger(), id);
        } else if (fault == u"redirect"_s) {
            sandbox::Faults moved;
            moved.redirectTo = QUrl(u"http://localhost:9/"_s);
            m_sandbox.setFaults(moved);
            const Run held = cli(submit);
            QVERIFY2(held.exitCode == 6, held.text().constData());
            expectRow(held.json(), u"failed"_s, u"redirect"_s);
            QVERIFY2(held.json().value(u"message"_s).toString().contains(u"localhost"_s),
                     held.out.constData());
            expectHistory(email, held.json());
            // Not tried again by itself; a retry while the cause lasts is held again.
            const Run stillHeld
                = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s, u"--wait"_s, u"0"_s });
            QVERIFY2(stillHeld.exitCode == 6, stillHeld.text().constData());
            QCOMPARE(stillHeld.json().value(u"held"_s).toInt(), 1);
            expectRow(historyRow(email), u"failed"_s, u"redirect"_s);
            m_sandbox.setFaults({});
            QCOMPARE(m_sandbox.countWithEmail(email), 0);
            // Fixed: the retry sends it, once.
            const Run fixed = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s });
            QVERIFY2(fixed.exitCode == 0, fixed.text().constData());
            expectSentOnce(email);
        } else if (fault == u"read-only"_s) {
            const QByteArray readOnly = m_sandbox.readOnlyToken();
            const Run held = cli(submit, readOnly);
            QVERIFY2(held.exitCode == 3, held.text().constData());
            expectRow(held.json(), u"failed"_s, u"not_allowed"_s);
            expectHistory(email, held.json());
            const Run stillHeld = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s }, readOnly);
            QVERIFY2(stillHeld.exitCode == 3, stillHeld.text().constData());
            QCOMPARE(stillHeld.json().value(u"held"_s).toInt(), 1);
            expectRow(historyRow(email), u"failed"_s, u"not_allowed"_s);
            QCOMPARE(m_sandbox.countWithEmail(email), 0);
            // A token that may write: the retry sends what was held.
            const Run fixed = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s });
            QVERIFY2(fixed.exitCode == 0, fixed.text().constData());
            expectSentOnce(email);
        } else if (fault == u"too-large"_s) {
            // Over the gate's body limit: 413 and the connection closed
            // while the upload is still going.
            const Run held = cli(submit);
            QVERIFY2(held.exitCode == 2, held.text().constData());
            expectRow(held.json(), u"failed"_s, u"too_large"_s);
            const QString message = held.json().value(u"message"_s).toString().toLower();
            QVERIFY2(message.contains(u"too large"_s) || message.contains(u"size limit"_s),
                     qPrintable(message));
            expectHistory(email, held.json());
            // A retry cannot make it smaller: it stays held (6), unsent.
            const Run stillHeld = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s });
            QVERIFY2(stillHeld.exitCode == 6, stillHeld.text().constData());
            QCOMPARE(stillHeld.json().value(u"held"_s).toInt(), 1);
            QCOMPARE(stillHeld.json().value(u"sent"_s).toInt(), 0);
            expectRow(historyRow(email), u"failed"_s, u"too_large"_s);
            QCOMPARE(m_sandbox.countWithEmail(email), 0);
        } else {
            QFAIL(qPrintable(u"no such fault: "_s + fault));
        }
    }

private:
    // A submission as --json prints it: its state and error kind, with a
    // message whenever there is an error, and a server id only when sent.
    static void expectRow(const QJsonObject &row, const QString &state, const QString &error)
    {
        const QByteArray text = QJsonDocument(row).toJson(QJsonDocument::Compact);
        QVERIFY2(row.value(u"state"_s).toString() == state, text.constData());
        QVERIFY2(row.value(u"error"_s).toString() == error, text.constData());
        if (!error.isEmpty())
            QVERIFY2(!row.value(u"message"_s).toString().trimmed().isEmpty(), text.constData());
        QVERIFY2(state == u"sent"_s ? row.value(u"id"_s).toInteger() > 0
                                    : row.value(u"id"_s).isNull(),
                 text.constData());
    }

    // `history --json` says what the command said.
    void expectHistory(const QString &email, const QJsonObject &said)
    {
        const QJsonObject row = historyRow(email);
        QVERIFY2(!row.isEmpty(), qPrintable(email));
        for (const QString &key : { u"submission"_s, u"state"_s, u"error"_s, u"id"_s })
            QVERIFY2(row.value(key) == said.value(key),
                     qPrintable(u"%1: history %2, the command %3"_s.arg(
                         key, QString::fromUtf8(QJsonDocument(row).toJson(QJsonDocument::Compact)),
                         QString::fromUtf8(QJsonDocument(said).toJson(QJsonDocument::Compact)))));
    }

    // Sent, on the server once, under the id the history holds. Returns the id.
    qint64 expectSentOnce(const QString &email)
    {
        const QJsonObject row = historyRow(email);
        const HttpResponse found
            = HttpClient(m_sandbox.token())
                  .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)));
        const QJsonArray results = found.json().value(u"results"_s).toArray();
        [&] {
            QCOMPARE(row.value(u"state"_s).toString(), u"sent"_s);
            QCOMPARE(found.json().value(u"count"_s).toInt(), 1);
            QCOMPARE(results.size(), 1);
            QCOMPARE(results.first().toObject().value(u"id"_s).toInteger(),
                     row.value(u"id"_s).toInteger());
        }();
        return row.value(u"id"_s).toInteger();
    }

    QJsonObject historyRow(const QString &email)
    {
        const Run history = cli({ u"history"_s, u"--json"_s, u"--search"_s, email });
        if (history.exitCode != 0)
            return {};
        for (const QJsonValue &v : history.jsonArray()) {
            if (v.toObject().value(u"email"_s).toString() == email)
                return v.toObject();
        }
        return {};
    }

    QProcessEnvironment environment(const QByteArray &token) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_home.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_home.filePath(u"data"_s));
        env.insert(u"XDG_CACHE_HOME"_s, m_home.filePath(u"cache"_s));
        env.insert(u"CANDIDATE_DESK_TOKEN"_s,
                   QString::fromLatin1(token.isEmpty() ? m_sandbox.token() : token));
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // the environment's token serves; no keychain
        return env;
    }

    Run cli(QStringList arguments, const QByteArray &token = {})
    {
        if (arguments.first() != u"history"_s)
            arguments += { u"--api-url"_s, m_sandbox.baseUrl().toString() };
        arguments += { u"--data-dir"_s, m_dataDir };
        QProcess process;
        process.setProcessEnvironment(environment(token));
        process.start(QStringLiteral(CDESK_APP_EXE), arguments);
        Run run;
        if (!process.waitForFinished(120000)) {
            process.kill();
            process.waitForFinished(5000);
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    QTemporaryDir m_home;
    QString m_dataDir;
    int m_tests = 0;
    SandboxFixture m_sandbox;
    QString m_pdf;
    QString m_bigPdf;
};

QTEST_GUILESS_MAIN(TestCliFaultMatrix)
#include "tst_cli_fault_matrix.moc"
