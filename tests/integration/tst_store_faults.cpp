// Failing database calls: for n = 0, 1, 2, ... the n-th SQL statement fails
// (as a disk I/O error) during a submit, a retry and a tidy; then everything
// runs again without the fault. Whatever n, the final state is consistent:
// the file passes integrity_check, every submission the store accepted is on
// the server exactly once, none failed because of the app itself, no resume
// copy is missing or left over, and a submission the store refused was
// refused out loud (the caller keeps it, and sends it again).
#include "SandboxFixture.h"
#include "TestData.h"
#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "store/Database.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QDir>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

constexpr int kTimeoutMs = 20000;

// Fails exactly one statement: the n-th one after arm().
struct OneFault
{
    int target = -1;
    int seen = 0;
    bool fired = false;
    QString failedSql;

    void arm(int n)
    {
        target = n;
        seen = 0;
        fired = false;
        failedSql.clear();
    }
    void disarm() { target = -1; }
    bool operator()(const QString &sql)
    {
        if (target < 0)
            return false;
        if (seen++ != target)
            return false;
        fired = true;
        failedSql = sql;
        return true;
    }
};

} // namespace

class TestStoreFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<cdesk::SubmissionState>();
        QVERIFY(m_files.isValid());
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_resume = writeFile(m_files.path(), u"Asha Rao CV.pdf"_s, minimalPdf("Asha Rao"));
    }

    void submit_withTheNthStatementFailing_endsConsistent() { sweep(u"submit"_s); }
    void retry_withTheNthStatementFailing_endsConsistent() { sweep(u"retry"_s); }
    void tidy_withTheNthStatementFailing_endsConsistent() { sweep(u"tidy"_s); }

private:
    // Runs the scenario with statement n failing, for n = 0, 1, ... until a
    // run in which the fault never fired (every statement was passed).
    void sweep(const QString &scenario)
    {
        int n = 0;
        for (;; ++n) {
            bool fired = false;
            runOnce(scenario, n, &fired);
            if (QTest::currentTestFailed()) {
                qWarning("%s failed with statement %d failing", qPrintable(scenario), n);
                return;
            }
            if (!fired)
                break;
        }
        qInfo("%s: %d statements, each failed once, all consistent", qPrintable(scenario), n);
        QVERIFY(n >= 4); // the sweep did reach into the work, not just its first call
    }

    void runOnce(const QString &scenario, int n, bool *fired)
    {
        QTemporaryDir data;
        FakeClock clock(QDateTime::currentDateTimeUtc());
        auto workspace = std::make_unique<Workspace>(data.path(), &clock);
        QString error;
        QVERIFY2(workspace->open(&error), qPrintable(error));
        Outbox *outbox = workspace->outbox();
        const QString tag = u"%1-%2-"_s.arg(scenario).arg(n);
        // What the recruiter typed, kept by the caller until the store took it
        // (the form, or the command line).
        QList<Submission> typed;
        auto make = [&](const QString &who, bool withResume) {
            Submission s;
            s.candidate.name = u"Store Fault %1"_s.arg(who);
            s.candidate.email = uniqueEmail(tag + who);
            s.candidate.phone = u"+91 98765 43210"_s;
            if (withResume)
                s.candidate.resumeFile = m_resume;
            else
                s.candidate.resumeUrl = QUrl(u"https://files.example.com/cv.pdf"_s);
            s.source = u"test"_s;
            return s;
        };

        ApiClient api(&m_network, &clock);
        api.setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.token()));
        auto engine = std::make_unique<SubmissionEngine>(outbox, &api, &clock);
        engine->setBackoff(1, 1);
        engine->setPollInterval(0);

        // The state before the fault.
        qint64 failedId = 0;
        if (scenario == u"retry"_s) {
            // A submission held after the server kept failing, to be retried.
            const auto held = outbox->enqueue(make(u"held"_s, true), &error);
            QVERIFY2(held, qPrintable(error));
            QCOMPARE(outbox->claimDue(1).size(), 1);
            QVERIFY(outbox->markFailed(held->id, u"The server kept failing."_s,
                                       ApiError::ServerError, {}, 500));
            failedId = held->id;
        } else if (scenario == u"tidy"_s) {
            // Sent rows whose copies go, a pending one whose copy stays, and
            // leftovers of a crash that are past the grace period.
            const auto sent = outbox->enqueue(make(u"sent"_s, true), &error);
            QVERIFY2(sent, qPrintable(error));
            engine->start();
            QVERIFY(drain(engine.get(), &clock, outbox));
            engine = std::make_unique<SubmissionEngine>(outbox, &api, &clock);
            engine->setBackoff(1, 1);
            engine->setPollInterval(0);
            const auto waiting = outbox->enqueue(make(u"waiting"_s, true), &error);
            QVERIFY2(waiting, qPrintable(error));
            QVERIFY(QDir(outbox->filesDir()).mkpath(u"crashed.partial"_s));
            clock.advance(Outbox::PartialGraceMs * 2);
        }

        // The fault: statement n of what follows fails, once.
        OneFault fault;
        workspace->database()->setFaultInjector(std::ref(fault));
        fault.arm(n);
        if (scenario == u"submit"_s) {
            Submission s = make(u"new"_s, true);
            if (!outbox->enqueue(s, &error)) {
                // Refused out loud: the caller (the form, the command line) still has it.
                QVERIFY2(!error.isEmpty(), "a refused submission must say why");
                typed << s;
            }
            engine->start();
            QVERIFY(drain(engine.get(), &clock, outbox));
        } else if (scenario == u"retry"_s) {
            if (!outbox->retry(failedId, &error))
                QVERIFY2(!error.isEmpty(), "a refused retry must say why");
            engine->start();
            QVERIFY(drain(engine.get(), &clock, outbox));
        } else {
            if (outbox->pruneFiles(&error) < 0)
                QVERIFY2(!error.isEmpty(), "a failed tidy must say why");
        }
        *fired = fault.fired;
        fault.disarm();

        // Everything again, without the fault, as after a restart: a new
        // engine (which recovers rows left Sending), the recruiter submits
        // again what was refused, and retries what is held.
        engine.reset();
        workspace.reset();
        workspace = std::make_unique<Workspace>(data.path(), &clock);
        QVERIFY2(workspace->open(&error), qPrintable(error));
        outbox = workspace->outbox();
        for (const Submission &s : std::as_const(typed))
            QVERIFY2(outbox->enqueue(s, &error), qPrintable(error));
        if (failedId) {
            const auto row = outbox->get(failedId);
            if (row && row->state == SubmissionState::Failed)
                QVERIFY(outbox->retry(failedId, &error));
        }
        engine = std::make_unique<SubmissionEngine>(outbox, &api, &clock);
        engine->setBackoff(1, 1);
        engine->setPollInterval(0);
        engine->start();
        QVERIFY(drain(engine.get(), &clock, outbox));
        engine.reset();
        clock.advance(Outbox::PartialGraceMs * 2);
        QVERIFY2(outbox->pruneFiles(&error) >= 0, qPrintable(error));

        verifyConsistent(*workspace, n, fault.failedSql);
    }

    // Lets the engine work until nothing is in flight and nothing waits,
    // moving the fake clock to each backoff instead of waiting for it.
    bool drain(SubmissionEngine *engine, FakeClock *clock, Outbox *outbox)
    {
        return QTest::qWaitFor(
            [&] {
                if (engine->inFlight() > 0)
                    return false;
                const Outbox::Unsent unsent = outbox->unsent();
                if (unsent.ok && unsent.waiting == 0)
                    return true;
                // Rows wait for a backoff, or sit in Sending because the store
                // refused their outcome: the engine's next look sends them again.
                if (const auto next = outbox->nextDueTime(); next && *next > clock->now())
                    clock->set(*next);
                engine->kick();
                return false;
            },
            kTimeoutMs);
    }

    void verifyConsistent(Workspace &workspace, int n, const QString &failedSql)
    {
        const QString context = u"statement %1 (%2)"_s.arg(n).arg(failedSql.left(60));
        QSqlQuery check(workspace.database()->connection());
        QVERIFY(check.exec(u"PRAGMA integrity_check"_s) && check.next());
        QCOMPARE(check.value(0).toString(), u"ok"_s);
        check.finish();

        const QList<Submission> rows = workspace.history()->page({}, 0, 1000);
        QVERIFY2(!rows.isEmpty(), qPrintable(context));
        for (const Submission &s : rows) {
            const QString who = s.candidate.email + u" after "_s + context;
            QVERIFY2(s.state == SubmissionState::Sent,
                     qPrintable(u"%1 is %2: %3"_s.arg(who, stateName(s.state), s.lastError)));
            const QJsonArray onServer = serverCandidates(s.candidate.email);
            QVERIFY2(onServer.size() == 1,
                     qPrintable(u"%1 is on the server %2 times"_s.arg(who).arg(onServer.size())));
            QCOMPARE(onServer.first().toObject().value(u"id"_s).toInteger(), *s.serverId);
            if (!s.originalResumeName.isEmpty())
                QCOMPARE(onServer.first()[u"resume_file"_s][u"filename"_s].toString(),
                         s.originalResumeName);
        }
        // Every copy was for a sent row, so none is left, and nothing half-made.
        const QStringList left
            = QDir(workspace.outbox()->filesDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY2(left.isEmpty(), qPrintable(context + u": left "_s + left.join(u", "_s)));
    }

    QJsonArray serverCandidates(const QString &email)
    {
        return HttpClient(m_sandbox.token())
            .get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)))
            .json()
            .value(u"results"_s)
            .toArray();
    }

    QTemporaryDir m_files;
    SandboxFixture m_sandbox;
    QNetworkAccessManager m_network;
    QString m_resume;
};

QTEST_GUILESS_MAIN(TestStoreFaults)
#include "tst_store_faults.moc"
