// The fault matrix (issue 9, deliverable 2): for each fault the sandbox can
// play, 200 submissions go through the real outbox (a Workspace over SQLite
// in a temporary folder) and the SubmissionEngine (4 at once) over real HTTP,
// and each one ends either on the server exactly once, under the id its row
// recorded, or held on this computer with a reason in plain words, and then
// not on the server at all.
//
// Each row has a sandbox of its own on an ephemeral port, so the server's
// whole listing is the row's. Transient faults (500s, 503, 429, latency past
// the client's timeout, the connection dropped after a create was committed)
// must end with all 200 on the server; permanent ones (a 307 to another
// origin, a read-only token, a body over the gate's limit answered with 413
// and a closed connection) must hold every affected row, with the matching
// error kind, and send none of them.
//
// Time is a FakeClock shared by the workspace, the client and the engine
// (except the throttle_per_second row, whose server counts real seconds):
// when the engine has nothing to do now and rows wait for a backoff or a
// Retry-After, the clock is moved to the earliest of them and the engine told.
// So a failed row is tried again only after every row that is due has had its
// turn, as with the product's real backoff against a fast server, and
// nothing sleeps. Faults that must stop part-way are switched off on counts
// of what the engine recorded, never on time.
#include "SandboxFixture.h"
#include "TestData.h"
#include "api/ApiClient.h"
#include "api/ApiEndpoint.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "model/Submission.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

constexpr int kSubmissions = 200;
constexpr int kConcurrency = 4;
constexpr int kRowTimeoutMs = 60000; // generous: a row drains in 3-16 s on the 2-core machine
constexpr qint64 kMaxResumeBytes = 64 * 1024; // the sandbox's resume limit in every row
constexpr qint64 kBigResumeBytes = 20 * 1024 * 1024; // over the gate's body limit (16 MiB + 64 KiB)
constexpr int kBigResumes = 4; // rows with the big resume in the 413 row
constexpr int kLatencyMs = 800;
constexpr int kShortTimeoutMs = 300;

// What the test saw the engine record while it drained.
struct Seen
{
    QMap<QString, int> retriesByKind; // rows put back to Pending, by error kind
    int createTimeouts = 0; // timeouts of an attempt >= 2 (no lookup then: the create itself)
    int mostAttempts = 0;
};

} // namespace

class TestFaultMatrix : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<cdesk::SubmissionState>();
        QVERIFY(m_files.isValid());
        // Small resumes of three kinds, all under the sandbox's limit, and
        // one far over the gate's body limit.
        m_small = {
            writeFile(m_files.path(), u"Short CV.pdf"_s, minimalPdf("Short CV", 6 * 1024)),
            writeFile(m_files.path(), u"Longer CV.pdf"_s, minimalPdf("Longer CV", 48 * 1024)),
            writeFile(m_files.path(), u"Plain CV.txt"_s,
                      "CURRICULUM VITAE\nFault Matrix\nfault.matrix@example.com\n"
                      "+91 98765 43210\nTen years of recruiting pipelines.\n"),
        };
        for (const QString &path : std::as_const(m_small))
            QVERIFY(!path.isEmpty());
        m_big = writeFile(m_files.path(), u"Scanned CV.pdf"_s,
                          minimalPdf("Scanned CV", kBigResumeBytes));
        QVERIFY(!m_big.isEmpty());
    }

    void cleanup()
    {
        // The engine lets go of its calls first, then the client aborts them.
        m_engine.reset();
        m_client.reset();
        m_network.reset();
        m_workspace.reset();
        m_data.reset();
        m_sandbox.reset();
        m_fakeClock.reset();
        m_clock = nullptr;
        m_beforeTimeMoves = {};
        m_latencyBurst = 0;
        m_faultsOff = false;
    }

    void everySubmission_isOnTheServerOnce_orHeldWithAReason_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("heldKind"); // empty: a transient fault, all 200 end sent
        QTest::newRow("500 error_next") << u"500-next"_s << QString();
        QTest::newRow("500 error_rate") << u"500-rate"_s << QString();
        QTest::newRow("503 error_rate") << u"503-rate"_s << QString();
        QTest::newRow("429 throttle_next") << u"429-next"_s << QString();
        QTest::newRow("429 throttle_per_second") << u"429-per-second"_s << QString();
        QTest::newRow("latency past the timeout") << u"latency"_s << QString();
        QTest::newRow("drop after commit") << u"drop"_s << QString();
        QTest::newRow("307 to another origin") << u"redirect"_s << u"redirect"_s;
        QTest::newRow("read-only token") << u"read-only"_s << u"not_allowed"_s;
        QTest::newRow("413 and a close mid-upload") << u"too-large"_s << u"too_large"_s;
    }
    void everySubmission_isOnTheServerOnce_orHeldWithAReason()
    {
        QFETCH(QString, fault);
        QFETCH(QString, heldKind);
        QElapsedTimer elapsed;
        elapsed.start();

        // --- a sandbox, a workspace, a client and an engine of the row's own
        if (fault == u"429-per-second"_s) {
            m_clock = Clock::system(); // the server throttles per real second
        } else {
            m_fakeClock = std::make_unique<FakeClock>(QDateTime::currentDateTimeUtc());
            m_clock = m_fakeClock.get();
        }
        m_sandbox = std::make_unique<SandboxFixture>();
        sandbox::Options options;
        options.maxResumeBytes = kMaxResumeBytes;
        QVERIFY2(m_sandbox->start(options), qPrintable(m_sandbox->errorString()));
        m_http.setToken(m_sandbox->token());

        m_data = std::make_unique<QTemporaryDir>();
        QVERIFY(m_data->isValid());
        m_workspace = std::make_unique<Workspace>(m_data->path(), m_clock);
        QString error;
        QVERIFY2(m_workspace->open(&error), qPrintable(error));
        Outbox *outbox = m_workspace->outbox();

        m_network = std::make_unique<QNetworkAccessManager>();
        m_client = std::make_unique<ApiClient>(m_network.get(), m_clock);
        m_client->setEndpoint(
            ApiEndpoint(m_sandbox->baseUrl(),
                        fault == u"read-only"_s ? m_sandbox->readOnlyToken() : m_sandbox->token()));
        m_client->setTimeout(fault == u"latency"_s ? kShortTimeoutMs : 15000);
        m_engine = std::make_unique<SubmissionEngine>(outbox, m_client.get(), m_clock);
        m_engine->setConcurrency(kConcurrency);
        m_engine->setBackoff(50, 2000);

        // --- 200 submissions, one transaction
        const QString tag = QString(fault).remove(u'-');
        QList<Submission> batch;
        QSet<int> bigRows;
        for (int i = 0; i < kSubmissions; ++i) {
            Submission s;
            s.source = u"fault-matrix"_s;
            s.candidate.name = u"Fault Matrix %1"_s.arg(i);
            s.candidate.email = emailOf(tag, i);
            s.candidate.phone = u"+91 98765 %1"_s.arg(i, 5, 10, QLatin1Char('0'));
            s.candidate.source = u"Fault matrix"_s;
            if (i % 3 == 0)
                s.candidate.jobId = 101;
            if (fault == u"too-large"_s && i % (kSubmissions / kBigResumes) == 7) {
                s.candidate.resumeFile = m_big;
                bigRows.insert(i);
            } else if (i % 5 == 0) {
                s.candidate.resumeFile = m_small.at((i / 5) % m_small.size());
            } else {
                s.candidate.resumeUrl = QUrl(u"https://files.example.com/cv-%1.pdf"_s.arg(i));
            }
            batch.append(s);
        }
        const auto stored = outbox->enqueueAll(batch, &error);
        QVERIFY2(stored, qPrintable(error));
        QCOMPARE(int(stored->size()), kSubmissions);
        QList<qint64> ids;
        for (const Submission &s : *stored)
            ids << s.id;

        // --- the fault, and what switches it off part-way
        Seen seen;
        std::function<void(const Submission &)> onRetry;
        sandbox::Faults faults;
        if (fault == u"500-next"_s) {
            // The first 300 requests: every lookup of the first round, then
            // half of the creates of the second.
            faults.errorNext = 300;
            faults.errorStatus = 500;
        } else if (fault == u"500-rate"_s) {
            // Lookups and creates alike, several times for some rows. A plain
            // 500 is tried 8 times at most, then held: the fault ends after
            // 150 of them, or as soon as one row has failed 5 times, so that
            // no row is held for it by chance.
            faults.errorRate = 0.3;
            faults.errorStatus = 500;
            onRetry = [this, &seen](const Submission &) {
                if (seen.retriesByKind.value(u"server_error"_s) >= 150 || seen.mostAttempts >= 5)
                    switchFaultsOff();
            };
        } else if (fault == u"503-rate"_s) {
            faults.errorRate = 0.4; // a gateway's 503 is tried without limit
            faults.errorStatus = 503;
        } else if (fault == u"429-next"_s) {
            faults.throttleNext = 300; // Retry-After: 1
        } else if (fault == u"429-per-second"_s) {
            faults.throttlePerSecond = 60; // more than that in a second: 429, Retry-After
        } else if (fault == u"latency"_s) {
            // Answers come after the client gave up. The server has done the
            // work by then: a create is committed, and its retry must be
            // answered from the Idempotency-Key. Two bursts: the first meets
            // the lookups of the first round; the second the creates of the
            // rows it timed out, which are retried without a lookup.
            faults.latencyMs = kLatencyMs;
            onRetry = [this, &seen](const Submission &) {
                const int timeouts = seen.retriesByKind.value(u"timeout"_s);
                if ((m_latencyBurst == 1 && timeouts >= 40)
                    || (m_latencyBurst == 2 && seen.createTimeouts >= 30))
                    switchFaultsOff();
            };
            m_latencyBurst = 1;
            m_beforeTimeMoves = [this] {
                if (m_latencyBurst == 1) {
                    m_latencyBurst = 2;
                    m_faultsOff = false;
                    sandbox::Faults again;
                    again.latencyMs = kLatencyMs;
                    m_sandbox->setFaults(again);
                }
            };
        } else if (fault == u"drop"_s) {
            // Creates are committed, then the connection closes unanswered.
            faults.dropAfterCommitNext = 40;
            faults.dropAfterCommitRate = 0.2;
        } else if (fault == u"redirect"_s) {
            faults.redirectTo = QUrl(u"http://localhost:9/"_s);
        } else if (fault == u"too-large"_s) {
            // Nothing to switch on: the big resumes meet the gate's limit.
        } else if (fault != u"read-only"_s) {
            QFAIL(qPrintable(u"no such fault: "_s + fault));
        }
        m_sandbox->setFaults(faults);

        connect(m_engine.get(), &SubmissionEngine::submissionChanged, this,
                [&](qint64 id, SubmissionState state) {
                    if (state != SubmissionState::Pending)
                        return;
                    const auto row = outbox->get(id);
                    if (!row)
                        return;
                    ++seen.retriesByKind[errorName(row->errorKind)];
                    seen.mostAttempts = qMax(seen.mostAttempts, row->attempts);
                    if (errorName(row->errorKind) == u"timeout"_s && row->attempts >= 2)
                        ++seen.createTimeouts;
                    if (onRetry)
                        onRetry(*row);
                });
        connect(m_engine.get(), &SubmissionEngine::idle, this, [this] { moveTimeIfIdle(); });

        // --- drain
        m_engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(drained(), kRowTimeoutMs);
        const qint64 drainMs = elapsed.elapsed();
        const sandbox::Faults atEnd = m_sandbox->faults(); // what is left of the "next" counters

        // The fault is off now (a permanent one too: the server must be read),
        // and rows that are held stay held: time moves on, the engine looks
        // again, and nothing is sent by itself.
        m_sandbox->setFaults({});
        if (m_fakeClock)
            m_fakeClock->advance(3600 * 1000);
        m_engine->kick();
        QVERIFY(flushEvents());
        QCOMPARE(m_engine->inFlight(), 0);
        const Outbox::Unsent unsent = outbox->unsent();
        QVERIFY(unsent.ok);
        QCOMPARE(unsent.waiting, 0);
        QCOMPARE(unsent.sending, 0);
        m_engine->stop();

        // --- what the server holds: every candidate, page by page
        QMap<QString, QList<qint64>> onServer; // email -> ids
        QHash<qint64, QJsonObject> serverRecords; // id -> the candidate
        QString listProblem;
        QVERIFY2(listAll(&onServer, &serverRecords, &listProblem), qPrintable(listProblem));
        for (auto it = onServer.cbegin(); it != onServer.cend(); ++it)
            QVERIFY2(
                it.value().size() == 1,
                qPrintable(u"%1 is on the server %2 times"_s.arg(it.key()).arg(it.value().size())));

        // --- every row: sent and there once under its id, or held and absent
        int sent = 0;
        QMap<QString, int> heldByKind;
        QMap<QString, QString> reasonByKind; // one example each, for the log
        QStringList problems;
        HistoryStore *history = m_workspace->history();
        for (int i = 0; i < ids.size(); ++i) {
            const auto row = outbox->get(ids[i]);
            QVERIFY(row);
            const Submission &s = *row;
            const QString who = u"row %1 <%2>"_s.arg(i).arg(s.candidate.email);
            const QList<Attempt> attempts = history->attempts(s.id);
            const QString lastOutcome = attempts.isEmpty() ? QString() : attempts.last().outcome;
            if (errorName(s.errorKind) == u"local_problem"_s)
                problems << who + u": failed with the app's own error: "_s + s.lastError;
            switch (s.state) {
            case SubmissionState::Sent: {
                ++sent;
                const QList<qint64> there = onServer.value(s.candidate.email);
                if (!s.serverId)
                    problems << who + u": sent without a server id"_s;
                else if (there.size() != 1 || there.first() != *s.serverId)
                    problems << who
                            + u": sent as #%1, the server has %2"_s.arg(*s.serverId)
                                  .arg(there.isEmpty() ? u"nothing"_s
                                                       : QString::number(there.first()));
                if (lastOutcome != Outbox::OutcomeSent)
                    problems << who + u": sent, but the history's last attempt says "_s
                            + lastOutcome;
                // What arrived is the row's: its resume file, or its link.
                const QJsonObject record = serverRecords.value(s.serverId.value_or(-1));
                const QJsonObject file = record.value(u"resume_file"_s).toObject();
                if (!s.originalResumeName.isEmpty()) {
                    const qint64 size = QFileInfo(batch.at(i).candidate.resumeFile).size();
                    if (file.value(u"filename"_s).toString() != s.originalResumeName
                        || file.value(u"size"_s).toInteger() != size)
                        problems << who
                                + u": the server holds the resume %1 (%2 bytes), not %3 (%4)"_s
                                      .arg(file.value(u"filename"_s).toString())
                                      .arg(file.value(u"size"_s).toInteger())
                                      .arg(s.originalResumeName)
                                      .arg(size);
                } else if (record.value(u"resume_url"_s).toString()
                           != s.candidate.resumeUrl.toString()) {
                    problems << who + u": the server holds the link "_s
                            + record.value(u"resume_url"_s).toString();
                }
                if (bigRows.contains(i))
                    problems << who + u": a resume over the gate's limit was sent"_s;
                break;
            }
            case SubmissionState::Failed:
            case SubmissionState::NeedsDecision: {
                ++heldByKind[errorName(s.errorKind)];
                if (!reasonByKind.contains(errorName(s.errorKind)))
                    reasonByKind.insert(
                        errorName(s.errorKind),
                        u"HTTP %1: %2"_s.arg(attempts.isEmpty() ? 0 : attempts.last().httpStatus)
                            .arg(s.lastError));
                if (onServer.contains(s.candidate.email))
                    problems << who
                            + u": held (%1) but on the server"_s.arg(errorName(s.errorKind));
                if (s.serverId)
                    problems << who + u": held with a server id"_s;
                if (s.lastError.trimmed().isEmpty())
                    problems << who + u": held without a reason"_s;
                else if (!namesTheCause(errorName(s.errorKind), s.lastError))
                    problems << who
                            + u": held (%1) with a reason that does not say so: %2"_s.arg(
                                errorName(s.errorKind), s.lastError);
                const QString expected = s.state == SubmissionState::Failed
                    ? Outbox::OutcomeFailed
                    : Outbox::OutcomeNeedsDecision;
                if (lastOutcome != expected)
                    problems << who + u": held, but the history's last attempt says "_s
                            + lastOutcome;
                if (heldKind.isEmpty())
                    problems << who
                            + u": held by a transient fault (%1): %2"_s.arg(errorName(s.errorKind),
                                                                            s.lastError);
                else if (errorName(s.errorKind) != heldKind)
                    problems << who
                            + u": held as %1, expected %2: %3"_s.arg(errorName(s.errorKind),
                                                                     heldKind, s.lastError);
                else if (fault == u"too-large"_s && !bigRows.contains(i))
                    problems << who + u": a small resume held as too large"_s;
                break;
            }
            default:
                problems << who + u": left "_s + stateName(s.state);
            }
        }
        // Nothing on the server that no sent row names (a held row sent after all).
        for (auto it = onServer.cbegin(); it != onServer.cend(); ++it) {
            if (!it.key().startsWith(tag + u'.'))
                problems << u"a stranger on the server: "_s + it.key();
        }

        const int held = kSubmissions - sent;
        QString heldText;
        for (auto it = heldByKind.cbegin(); it != heldByKind.cend(); ++it)
            heldText += u" %1=%2"_s.arg(it.key()).arg(it.value());
        QString retriesText;
        for (auto it = seen.retriesByKind.cbegin(); it != seen.retriesByKind.cend(); ++it)
            retriesText += u" %1=%2"_s.arg(it.key().isEmpty() ? u"?"_s : it.key()).arg(it.value());
        qInfo("%s: sent %d, held %d (%s), retries (%s), create timeouts %d, most attempts %d, "
              "on server %d, %lld ms",
              qPrintable(fault), sent, held, qPrintable(heldText.trimmed()),
              qPrintable(retriesText.trimmed()), seen.createTimeouts, seen.mostAttempts,
              int(onServer.size()), drainMs);
        for (auto it = reasonByKind.cbegin(); it != reasonByKind.cend(); ++it)
            qInfo("%s: held as %s, e.g. %s", qPrintable(fault), qPrintable(it.key()),
                  qPrintable(it.value()));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 15).join(u'\n')));

        // --- the totals the row promises
        QCOMPARE(int(onServer.size()), sent);
        HistoryFilter sentFilter;
        sentFilter.state = SubmissionState::Sent;
        QCOMPARE(history->count(sentFilter), sent);
        HistoryFilter failedFilter;
        failedFilter.state = SubmissionState::Failed;
        QCOMPARE(history->count(failedFilter), heldByKind.value(heldKind));
        if (heldKind.isEmpty()) {
            QCOMPARE(sent, kSubmissions);
        } else if (fault == u"too-large"_s) {
            QCOMPARE(held, int(bigRows.size()));
            QCOMPARE(heldByKind.value(heldKind), int(bigRows.size()));
        } else {
            QCOMPARE(held, kSubmissions);
            QCOMPARE(heldByKind.value(heldKind), kSubmissions);
        }

        // --- the fault did happen, as planned
        if (fault == u"500-next"_s || fault == u"500-rate"_s || fault == u"503-rate"_s)
            QVERIFY(seen.retriesByKind.value(u"server_error"_s) > 0);
        if (fault == u"500-next"_s)
            QCOMPARE(atEnd.errorNext, 0);
        if (fault.startsWith(u"429"_s))
            QVERIFY(seen.retriesByKind.value(u"throttled"_s) > 0);
        if (fault == u"429-next"_s)
            QCOMPARE(atEnd.throttleNext, 0);
        if (fault == u"latency"_s) {
            QVERIFY(seen.retriesByKind.value(u"timeout"_s) >= 40);
            QVERIFY2(seen.createTimeouts >= 30, "the creates never timed out");
        }
        if (fault == u"drop"_s)
            QCOMPARE(atEnd.dropAfterCommitNext, 0);
    }

private:
    static QString emailOf(const QString &tag, int i)
    {
        return u"%1.%2@example.com"_s.arg(tag).arg(i);
    }

    // Rows pending, or in flight: the outbox is drained when there are none.
    // When nothing is due now, time moves to the next row that waits.
    bool drained()
    {
        moveTimeIfIdle();
        const Outbox::Unsent u = m_workspace->outbox()->unsent();
        return u.ok && u.waiting == 0 && m_engine->inFlight() == 0;
    }

    void moveTimeIfIdle()
    {
        if (!m_fakeClock || !m_engine || m_engine->inFlight() > 0)
            return;
        auto next = m_workspace->outbox()->nextDueTime();
        // After a 429 the engine holds every row back, due or not.
        if (const auto held = m_engine->heldUntil(); held && next)
            next = qMax(*next, *held);
        if (!next || *next <= m_fakeClock->now())
            return;
        if (m_beforeTimeMoves)
            m_beforeTimeMoves();
        m_fakeClock->set(*next);
        m_engine->kick();
    }

    void switchFaultsOff()
    {
        if (m_faultsOff || !m_sandbox || !m_sandbox->isRunning())
            return;
        m_faultsOff = true;
        m_sandbox->setFaults({});
    }

    bool flushEvents()
    {
        bool reached = false;
        QTimer::singleShot(0, this, [&reached] { reached = true; });
        return QTest::qWaitFor([&reached] { return reached; }, 5000);
    }

    // Every candidate on the server, following `next`.
    bool listAll(QMap<QString, QList<qint64>> *byEmail, QHash<qint64, QJsonObject> *byId,
                 QString *problem)
    {
        QUrl url = m_sandbox->url(u"candidates/?page_size=200"_s);
        for (int page = 0; page < 100 && url.isValid() && !url.isEmpty(); ++page) {
            const HttpResponse r = m_http.get(url);
            if (r.status != 200) {
                *problem = u"listing the candidates answered %1: %2"_s.arg(r.status).arg(
                    QString::fromUtf8(r.body.left(200)));
                return false;
            }
            const QJsonObject o = r.json();
            for (const QJsonValue &v : o.value(u"results"_s).toArray()) {
                const QJsonObject c = v.toObject();
                (*byEmail)[c.value(u"email"_s).toString()].append(c.value(u"id"_s).toInteger());
                byId->insert(c.value(u"id"_s).toInteger(), c);
            }
            url = o.value(u"next"_s).isString() ? QUrl(o.value(u"next"_s).toString()) : QUrl();
        }
        return true;
    }

    // The reason a held row gives says what happened, in the recruiter's words.
    static bool namesTheCause(const QString &kind, const QString &message)
    {
        const QString m = message.toLower();
        if (kind == u"redirect"_s)
            return m.contains(u"elsewhere"_s) && m.contains(u"localhost"_s);
        if (kind == u"not_allowed"_s)
            return m.contains(u"may not add or change candidates"_s);
        if (kind == u"too_large"_s)
            return m.contains(u"too large"_s) || m.contains(u"size limit"_s);
        if (kind == u"server_error"_s)
            return m.contains(u"server"_s);
        return true; // other kinds fail the row on their own
    }

    QTemporaryDir m_files;
    QStringList m_small;
    QString m_big;
    HttpClient m_http;

    std::unique_ptr<FakeClock> m_fakeClock;
    Clock *m_clock = nullptr;
    std::unique_ptr<SandboxFixture> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<SubmissionEngine> m_engine;
    std::function<void()> m_beforeTimeMoves;
    int m_latencyBurst = 0;
    bool m_faultsOff = false;
};

QTEST_GUILESS_MAIN(TestFaultMatrix)
#include "tst_fault_matrix.moc"
