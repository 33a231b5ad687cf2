// The SubmissionEngine draining a real outbox (SQLite in a temporary folder)
// over real HTTP against the sandbox on an ephemeral port. Time is a FakeClock
// shared by the outbox, the client and the engine: a row that waits for its
// next attempt is moved on with FakeClock + kick(), never by waiting.
//
// What it pins down: a create ends Sent with the server's id; transient
// failures (503, 429, timeouts, network errors, a lost response) are retried
// with the row's own Idempotency-Key and leave exactly one candidate; refusals
// that need a person (400, 401, 403, 413) are not retried; an email the server
// already has becomes NeedsDecision and nothing is created; rows a crash left
// in Sending are sent again; the concurrency limit holds; offline pauses;
// stop() puts rows in flight back to Pending with the same key.
#include "SandboxFixture.h"
#include "TestData.h"
#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "model/Submission.h"
#include "store/Database.h"
#include "store/Outbox.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace cdesk {
// Readable QCOMPARE failures: "sent" instead of a number (found by ADL).
char *toString(const SubmissionState &state)
{
    return qstrdup(qPrintable(stateName(state)));
}
} // namespace cdesk

namespace {

constexpr int kTimeoutMs = 20000;
constexpr qint64 kMaxResumeBytes = 64 * 1024; // the sandbox's limit in this test

// Counts how often a collaborator asks for the time. Every wake-up of the
// engine's scheduler reads the clock once, so the count tells how often the
// engine woke up.
class CountingClock : public Clock
{
public:
    explicit CountingClock(Clock *inner)
        : m_inner(inner)
    { }
    QDateTime now() const override
    {
        ++m_reads;
        return m_inner->now();
    }
    int reads() const { return m_reads; }
    void reset() { m_reads = 0; }

private:
    Clock *m_inner;
    mutable int m_reads = 0;
};

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<cdesk::SubmissionState>();
        QVERIFY(m_files.isValid());
        sandbox::Options options;
        options.maxResumeBytes = kMaxResumeBytes;
        QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));
        m_http.setToken(m_sandbox.token());
        m_pdf = writeFile(m_files.path(), u"Asha Rao CV.pdf"_s, minimalPdf("Asha Rao", 48 * 1024));
        m_bigPdf = writeFile(m_files.path(), u"Asha Rao scan.pdf"_s,
                             minimalPdf("Asha Rao", 4 * kMaxResumeBytes));
        QVERIFY(!m_pdf.isEmpty());
        QVERIFY(!m_bigPdf.isEmpty());
    }

    void init()
    {
        m_sandbox.setFaults({});
        m_data = std::make_unique<QTemporaryDir>();
        QVERIFY(m_data->isValid());
        m_db = std::make_unique<Database>(m_data->filePath(u"cdesk.sqlite"_s), &m_clock);
        QString error;
        QVERIFY2(m_db->open(&error), qPrintable(error));
        m_outbox = std::make_unique<Outbox>(m_db.get(), m_data->path(), &m_clock);
        m_client = std::make_unique<ApiClient>(&m_network, &m_clock);
        m_client->setEndpoint(sandboxEndpoint());
        m_engine = makeEngine(&m_clock);
    }

    void cleanup()
    {
        // Calls still in flight belong to the client: the engine goes first
        // (it lets go of them), then the client (which aborts them).
        m_engine.reset();
        m_client.reset();
        m_outbox.reset();
        m_db.reset();
        m_data.reset();
        m_sandbox.setFaults({});
    }

    void create_isSent_withTheServerId_andTheServerHasIt()
    {
        Candidate c = candidate(u"sent"_s);
        c.resumeFile = m_pdf;
        c.resumeUrl.clear();
        c.source = u"Referral"_s;
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);
        const QString key = m_outbox->get(id)->idempotencyKey;

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Sent, kTimeoutMs);

        const Submission sent = *m_outbox->get(id);
        QVERIFY(sent.serverId);
        QCOMPARE(sent.attempts, 1);
        QCOMPARE(sent.idempotencyKey, key);
        QCOMPARE(sent.errorKind, ApiError::None);

        const HttpResponse onServer = m_http.get(m_sandbox.url(candidatePath(*sent.serverId)));
        QCOMPARE(onServer.status, 200);
        QCOMPARE(onServer.json().value(u"email"_s).toString(), c.email);
        QCOMPARE(onServer.json().value(u"name"_s).toString(), c.name);
        QCOMPARE(onServer.json().value(u"source"_s).toString(), c.source);
        QCOMPARE(onServer.json().value(u"resume_file"_s).toObject().value(u"filename"_s).toString(),
                 u"Asha Rao CV.pdf"_s);
        QCOMPARE(serverCandidates(c.email).size(), 1);
    }

    void transientFailure_isRetried_withTheSameKey_andEndsSent_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<bool>("lookup");
        QTest::addColumn<QString>("errorKind");
        // With the lookup on, the fault meets the GET before the create;
        // without it, the POST itself.
        QTest::newRow("503 on the lookup") << u"503"_s << true << u"server_error"_s;
        QTest::newRow("503 on the create") << u"503"_s << false << u"server_error"_s;
        // A plain 500 is the server's trouble too: tried again, not held at once.
        QTest::newRow("500 on the lookup") << u"500"_s << true << u"server_error"_s;
        QTest::newRow("500 on the create") << u"500"_s << false << u"server_error"_s;
        QTest::newRow("429 on the lookup") << u"429"_s << true << u"throttled"_s;
        QTest::newRow("429 on the create") << u"429"_s << false << u"throttled"_s;
        QTest::newRow("timeout on the lookup") << u"timeout"_s << true << u"timeout"_s;
        QTest::newRow("timeout on the create") << u"timeout"_s << false << u"timeout"_s;
        QTest::newRow("network error on the lookup") << u"network"_s << true << u"network"_s;
        QTest::newRow("network error on the create") << u"network"_s << false << u"network"_s;
    }
    void transientFailure_isRetried_withTheSameKey_andEndsSent()
    {
        QFETCH(QString, fault);
        QFETCH(bool, lookup);
        QFETCH(QString, errorKind);

        m_engine->setLookupBeforeCreate(lookup);
        const Candidate c = candidate(u"retry-"_s + fault);
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);
        const QString key = m_outbox->get(id)->idempotencyKey;
        QVERIFY(!key.isEmpty());

        sandbox::Faults faults;
        if (fault == u"503"_s || fault == u"500"_s) {
            faults.errorNext = 1;
            faults.errorStatus = fault.toInt();
        } else if (fault == u"429"_s) {
            faults.throttleNext = 1;
        } else if (fault == u"timeout"_s) {
            faults.latencyMs = 5000;
            m_client->setTimeout(250);
        } else if (fault == u"network"_s) {
            const quint16 port = closedPort();
            QVERIFY(port != 0);
            m_client->setEndpoint(
                ApiEndpoint(QUrl(u"http://127.0.0.1:%1/api/v1"_s.arg(port)), m_sandbox.token()));
        }
        m_sandbox.setFaults(faults);

        std::optional<Submission> retry;
        connect(m_engine.get(), &SubmissionEngine::submissionChanged, this,
                [&](qint64 changed, SubmissionState state) {
                    if (changed == id && state == SubmissionState::Pending && !retry)
                        retry = m_outbox->get(id); // as the engine just left it
                });
        const QDateTime failedAt = m_clock.now();
        m_engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(retry.has_value(), kTimeoutMs);

        QCOMPARE(retry->state, SubmissionState::Pending);
        QCOMPARE(errorName(retry->errorKind), errorKind);
        QVERIFY(!retry->lastError.isEmpty());
        QCOMPARE(retry->attempts, 1);
        QCOMPARE(retry->idempotencyKey, key);
        QVERIFY(retry->nextAttemptAt >= failedAt);
        if (fault == u"429"_s) // Retry-After: 1
            QVERIFY2(retry->nextAttemptAt >= failedAt.addSecs(1),
                     qPrintable(retry->nextAttemptAt.toString(Qt::ISODateWithMs)));

        // The trouble passes; the row is sent when its time comes.
        m_sandbox.setFaults({});
        m_client->setTimeout(30000);
        m_client->setEndpoint(sandboxEndpoint());
        QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(id), SubmissionState::Sent, kTimeoutMs);

        const Submission sent = *m_outbox->get(id);
        QVERIFY(sent.attempts >= 2);
        QCOMPARE(sent.idempotencyKey, key);
        QVERIFY(sent.serverId);
        const QJsonArray onServer = serverCandidates(c.email);
        QCOMPARE(onServer.size(), 1);
        QCOMPARE(onServer.first().toObject().value(u"id"_s).toInteger(), *sent.serverId);
        verifyKeyMadeTheCandidate(c, key, *sent.serverId);
    }

    // Retry-After, to the millisecond on the fake clock.
    void throttled_isNotSentBeforeRetryAfter()
    {
        m_engine->setLookupBeforeCreate(false);
        const Candidate c = candidate(u"retry-after"_s);
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);
        sandbox::Faults faults;
        faults.throttleNext = 1;
        m_sandbox.setFaults(faults);

        const QDateTime failedAt = m_clock.now();
        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(errorName(m_outbox->get(id)->errorKind), u"throttled"_s,
                                  kTimeoutMs);
        QCOMPARE(m_outbox->get(id)->state, SubmissionState::Pending);
        QVERIFY(m_outbox->get(id)->nextAttemptAt >= failedAt.addSecs(1));

        // One millisecond short of Retry-After: nothing is sent.
        m_clock.set(failedAt.addMSecs(999));
        m_engine->kick();
        QVERIFY(flushEvents());
        QCOMPARE(m_outbox->get(id)->state, SubmissionState::Pending);
        QCOMPARE(m_outbox->get(id)->attempts, 1);
        QCOMPARE(m_engine->inFlight(), 0);

        m_clock.set(failedAt.addSecs(1));
        m_engine->kick();
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Sent, kTimeoutMs);
        QCOMPARE(m_outbox->get(id)->attempts, 2);
        QCOMPARE(serverCandidates(c.email).size(), 1);
    }

    void refusal_isNotRetried_andEndsFailed_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("errorKind");
        QTest::newRow("400 field errors") << u"bad-email"_s << u"field_errors"_s;
        QTest::newRow("401 bad token") << u"bad-token"_s << u"bad_token"_s;
        QTest::newRow("403 bad token (DRF without a challenge)")
            << u"bad-token-403"_s << u"bad_token"_s;
        QTest::newRow("403 read-only token") << u"read-only"_s << u"not_allowed"_s;
        QTest::newRow("413 resume too large") << u"too-large"_s << u"too_large"_s;
        // Checking the API address needs a person; following would carry the token away.
        QTest::newRow("307 to another origin") << u"redirect"_s << u"redirect"_s;
    }
    void refusal_isNotRetried_andEndsFailed()
    {
        QFETCH(QString, setup);
        QFETCH(QString, errorKind);

        Candidate c = candidate(u"refused-"_s + setup);
        sandbox::Faults faults;
        if (setup == u"bad-email"_s) {
            c.email = u"not-an-email"_s; // straight to the outbox, past any form check
        } else if (setup.startsWith(u"bad-token"_s)) {
            m_client->setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), "0123456789abcdef0123"));
            faults.authFailureStatus = setup.endsWith(u"403"_s) ? 403 : 401;
        } else if (setup == u"read-only"_s) {
            m_client->setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.readOnlyToken()));
        } else if (setup == u"too-large"_s) {
            c.resumeFile = m_bigPdf;
            c.resumeUrl.clear();
        } else if (setup == u"redirect"_s) {
            faults.redirectTo = QUrl(u"http://localhost:9/"_s);
        }
        m_sandbox.setFaults(faults);
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);
        QSignalSpy changed(m_engine.get(), &SubmissionEngine::submissionChanged);
        QSignalSpy learned(m_engine.get(), &SubmissionEngine::serverLimitLearned);

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Failed, kTimeoutMs);
        // A 413 that names the limit teaches it, so the app can warn before the next upload.
        if (setup == u"too-large"_s) {
            QCOMPARE(learned.count(), 1);
            QCOMPARE(learned.first().first().toLongLong(), qint64(64 * 1024));
        } else {
            QCOMPARE(learned.count(), 0);
        }

        // Time moves on and the engine looks again: a Failed row stays as it is.
        m_clock.advance(3600 * 1000);
        m_engine->kick();
        QVERIFY(flushEvents());
        const Submission failed = *m_outbox->get(id);
        QCOMPARE(failed.state, SubmissionState::Failed);
        QCOMPARE(errorName(failed.errorKind), errorKind);
        QCOMPARE(failed.attempts, 1);
        QVERIFY(!failed.lastError.isEmpty());
        QVERIFY(!failed.serverId);
        for (const auto &args : std::as_const(changed)) {
            if (args.at(0).toLongLong() == id)
                QVERIFY2(args.at(1).value<SubmissionState>() != SubmissionState::Pending,
                         "a refusal went back to Pending: it was retried");
        }
        if (setup == u"bad-email"_s) {
            QVERIFY2(!failed.fieldErrors.first(u"email"_s).isEmpty(),
                     qPrintable(failed.fieldErrors.summary()));
        } else {
            QCOMPARE(serverCandidates(c.email).size(), 0);
        }
    }

    // A 500 that keeps coming back may be the server's bug: tried a bounded
    // number of times, with backoff, then held for a person with a message
    // that says so, never tried forever.
    void serverErrorThatKeepsComing_isHeldAfterTheLimit()
    {
        m_engine->setLookupBeforeCreate(false);
        m_engine->setMaxServerErrorAttempts(3);
        const Candidate c = candidate(u"keeps-failing"_s);
        const qint64 id = enqueue(c);
        sandbox::Faults faults;
        faults.errorNext = 1000;
        faults.errorStatus = 500;
        m_sandbox.setFaults(faults);

        QList<QDateTime> nextAttempts;
        connect(m_engine.get(), &SubmissionEngine::submissionChanged, this,
                [&](qint64 changed, SubmissionState state) {
                    if (changed == id && state == SubmissionState::Pending)
                        nextAttempts << m_outbox->get(id)->nextAttemptAt;
                });
        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(id), SubmissionState::Failed, kTimeoutMs);
        const Submission held = *m_outbox->get(id);
        QCOMPARE(held.attempts, 3);
        QCOMPARE(nextAttempts.size(), 2); // two retries, each scheduled, none at once
        QCOMPARE(errorName(held.errorKind), u"server_error"_s);
        QVERIFY2(held.lastError.contains(u"500"_s) && held.lastError.contains(u"3 time"_s),
                 qPrintable(held.lastError));
        QCOMPARE(serverCandidates(c.email).size(), 0);

        // Once the server is fixed, "send now" gives it another round.
        m_sandbox.setFaults({});
        QCOMPARE(m_outbox->sendNow(), 1);
        m_engine->kick();
        QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(id), SubmissionState::Sent, kTimeoutMs);
        QCOMPARE(serverCandidates(c.email).size(), 1);
    }

    // The server made the candidate, but the store refused to record it (a
    // full disk for a moment): the outcome is written at the engine's next
    // look, and the candidate is not sent a second time.
    void sentButNotRecorded_isRecordedLater_notSentAgain()
    {
        m_engine->setLookupBeforeCreate(false);
        const Candidate c = candidate(u"unrecorded"_s);
        const qint64 id = enqueue(c);
        int outcomes = 0;
        m_db->setFaultInjector([&outcomes](const QString &sql) {
            // The first outcome written (markSent) fails; the rest work.
            return sql.contains(u"SET state = ?"_s) && outcomes++ == 0;
        });
        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(id), SubmissionState::Sent, kTimeoutMs);
        m_db->setFaultInjector({});
        const Submission sent = *m_outbox->get(id);
        QVERIFY(outcomes >= 2);
        QCOMPARE(sent.attempts, 1); // never claimed and sent again
        QVERIFY(sent.serverId);
        const QJsonArray onServer = serverCandidates(c.email);
        QCOMPARE(onServer.size(), 1);
        QCOMPARE(onServer.first().toObject().value(u"id"_s).toInteger(), *sent.serverId);
    }

    // Rows a crash left in Sending must be back to Pending before anything
    // new is claimed: a recovery that fails at start and succeeds later must
    // not take back the engine's own rows in flight and send them twice.
    void recoveryFailsAtStart_nothingIsClaimedUntilItWorks()
    {
        m_engine->setLookupBeforeCreate(false);
        const qint64 interrupted = enqueue(candidate(u"interrupted"_s));
        QCOMPARE(m_outbox->claimDue(1).size(), 1); // in flight when the app died
        const qint64 waiting = enqueue(candidate(u"waiting"_s));
        sandbox::Faults slow;
        slow.latencyMs = 300; // so a claimed row is still in flight at the next look
        m_sandbox.setFaults(slow);
        int recoveries = 0;
        m_db->setFaultInjector([&recoveries](const QString &sql) {
            // At start, and again at the first look.
            return sql.contains(u"WHERE state = 'sending'"_s) && sql.startsWith(u"UPDATE"_s)
                && recoveries++ < 2;
        });
        m_engine->start();
        QVERIFY(flushEvents());
        QCOMPARE(m_engine->inFlight(), 0); // nothing claimed while recovery is due
        QCOMPARE(m_outbox->get(waiting)->state, SubmissionState::Pending);
        QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(waiting), SubmissionState::Sent, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(interrupted), SubmissionState::Sent, kTimeoutMs);
        m_db->setFaultInjector({});
        QCOMPARE(m_outbox->get(waiting)->attempts, 1);
        QCOMPARE(m_outbox->get(interrupted)->attempts, 2);
    }

    void existingEmail_needsDecision_thenUpdateChangesOnlyTheChangedFields()
    {
        const QString email = uniqueEmail(u"existing"_s);
        const QJsonObject original {
            { u"name"_s, u"Asha Rao"_s },
            { u"email"_s, email },
            { u"phone"_s, u"+91 98765 43210"_s },
            { u"resume_url"_s, u"https://files.example.com/asha.pdf"_s },
            { u"source"_s, u"Referral"_s },
            { u"industry"_s, u"IT services"_s },
            { u"department"_s, u"Engineering"_s },
        };
        const HttpResponse created = m_http.postJson(m_sandbox.url(u"candidates/"_s), original);
        QCOMPARE(created.status, 201);
        const qint64 existingId = idOf(created);
        QVERIFY(existingId > 0);

        Candidate c;
        c.name = u"Asha R. Rao"_s;
        c.email = email;
        c.phone = u"+91 91234 56789"_s;
        c.resumeUrl = QUrl(u"https://files.example.com/asha-2027.pdf"_s);
        c.source = u"Careers page"_s;
        c.industry = u"Finance"_s;
        c.department = u"Sales"_s;
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);
        const QString key = m_outbox->get(id)->idempotencyKey;

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::NeedsDecision,
                                  kTimeoutMs);
        const Submission decide = *m_outbox->get(id);
        QCOMPARE(decide.duplicateOf, std::optional<qint64>(existingId));
        QCOMPARE(errorName(decide.errorKind), u"duplicate"_s);
        QVERIFY(!decide.lastError.isEmpty());
        QVERIFY(!decide.serverId);
        QCOMPARE(serverCandidates(email).size(), 1);
        // Nothing was created under the row's key either.
        const HttpResponse probe
            = m_http.postJson(m_sandbox.url(u"candidates/"_s), c.toRequestJson(),
                              { { "Idempotency-Key", key.toUtf8() } });
        QCOMPARE(probe.status, 409);
        QVERIFY(!probe.hasHeader("Idempotent-Replayed"));

        // The recruiter updates the existing candidate with the phone and the industry only.
        QString error;
        QVERIFY2(m_outbox->convertToUpdate(
                     id, existingId, { CandidateField::Phone, CandidateField::Industry }, &error),
                 qPrintable(error));
        m_engine->kick();
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Sent, kTimeoutMs);
        QCOMPARE(m_outbox->get(id)->serverId, std::optional<qint64>(existingId));
        QCOMPARE(serverCandidates(email).size(), 1);

        const QJsonObject after = m_http.get(m_sandbox.url(candidatePath(existingId))).json();
        QCOMPARE(after.value(u"phone"_s).toString(), c.phone);
        QCOMPARE(after.value(u"industry"_s).toString(), c.industry);
        for (const QString &untouched :
             { u"name"_s, u"email"_s, u"resume_url"_s, u"source"_s, u"department"_s })
            QCOMPARE(after.value(untouched), original.value(untouched));
    }

    // Without the lookup (a server that lacks it), the server's 409 is the safety net.
    void existingEmail_withoutTheLookup_the409NeedsDecision()
    {
        m_engine->setLookupBeforeCreate(false);
        const QString email = uniqueEmail(u"conflict"_s);
        const HttpResponse created
            = m_http.postJson(m_sandbox.url(u"candidates/"_s), candidateBody(email));
        QCOMPARE(created.status, 201);
        Candidate c = candidate(u"conflict"_s);
        c.email = email;
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::NeedsDecision,
                                  kTimeoutMs);
        QCOMPARE(m_outbox->get(id)->duplicateOf, std::optional<qint64>(idOf(created)));
        QCOMPARE(m_outbox->get(id)->attempts, 1);
        QCOMPARE(serverCandidates(email).size(), 1);
    }

    // The resume copy changed after it was queued: nothing is sent, a person must look.
    void changedResumeCopy_failsWithoutSending()
    {
        Candidate c = candidate(u"changed-copy"_s);
        c.resumeFile = m_pdf;
        c.resumeUrl.clear();
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);
        const QString copy = m_outbox->get(id)->candidate.resumeFile;
        QVERIFY(copy.startsWith(m_outbox->filesDir()));
        QVERIFY(!writeFile(QFileInfo(copy).absolutePath(), QFileInfo(copy).fileName(),
                           minimalPdf("Somebody else"))
                     .isEmpty());

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Failed, kTimeoutMs);
        QCOMPARE(errorName(m_outbox->get(id)->errorKind), u"local_problem"_s);
        QCOMPARE(serverCandidates(c.email).size(), 0);
    }

    void lostResponse_isRetriedWithTheSameKey_andLeavesOneCandidate()
    {
        const Candidate c = candidate(u"lost"_s);
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);
        const QString key = m_outbox->get(id)->idempotencyKey;
        sandbox::Faults faults;
        faults.dropAfterCommitNext = 1; // only a create counts: the lookup goes through
        m_sandbox.setFaults(faults);

        m_engine->start();
        // Qt may re-send the POST by itself when the connection closes after
        // the request was read; otherwise the engine retries. The key makes
        // either a replay.
        QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(id), SubmissionState::Sent, kTimeoutMs);
        QCOMPARE(m_sandbox.faults().dropAfterCommitNext, 0); // the fault did happen

        const Submission sent = *m_outbox->get(id);
        QCOMPARE(sent.idempotencyKey, key);
        QVERIFY(sent.serverId);
        const QJsonArray onServer = serverCandidates(c.email);
        QCOMPARE(onServer.size(), 1);
        QCOMPARE(onServer.first().toObject().value(u"id"_s).toInteger(), *sent.serverId);
        verifyKeyMadeTheCandidate(c, key, *sent.serverId);
    }

    void rowsLeftSending_goBackToPendingAtStart_andAreSent()
    {
        QList<Candidate> candidates;
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            candidates << candidate(u"interrupted"_s);
            ids << enqueue(candidates.last());
            QVERIFY(ids.last() > 0);
        }
        // The app claimed them and died before any answer.
        const QList<Submission> claimed = m_outbox->claimDue(3);
        QCOMPARE(claimed.size(), 3);
        QStringList keys;
        for (const Submission &s : claimed) {
            QCOMPARE(s.state, SubmissionState::Sending);
            keys << s.idempotencyKey;
        }

        m_engine->start();
        for (int i = 0; i < ids.size(); ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(ids[i]), SubmissionState::Sent, kTimeoutMs);
            const Submission sent = *m_outbox->get(ids[i]);
            QCOMPARE(sent.idempotencyKey, keys[i]);
            QCOMPARE(sent.attempts, 2);
            QCOMPARE(serverCandidates(candidates[i].email).size(), 1);
            verifyKeyMadeTheCandidate(candidates[i], keys[i], *sent.serverId);
        }
    }

    // The same with an engine that really had the calls in flight.
    void rowsInFlightOfADroppedEngine_areSentByTheNextOne()
    {
        m_engine->setLookupBeforeCreate(false);
        sandbox::Faults faults;
        faults.latencyMs = 2000;
        m_sandbox.setFaults(faults);
        QList<Candidate> candidates;
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            candidates << candidate(u"dropped-engine"_s);
            ids << enqueue(candidates.last());
            QVERIFY(ids.last() > 0);
        }
        QStringList keys;
        for (qint64 id : std::as_const(ids))
            keys << m_outbox->get(id)->idempotencyKey;

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->inFlight(), 3, kTimeoutMs);
        m_engine.reset(); // gone without an answer, as in a crash
        for (qint64 id : std::as_const(ids))
            QCOMPARE(m_outbox->get(id)->state, SubmissionState::Sending);

        m_sandbox.setFaults({});
        m_engine = makeEngine(&m_clock);
        m_engine->setLookupBeforeCreate(false);
        m_engine->start();
        for (int i = 0; i < ids.size(); ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(ids[i]), SubmissionState::Sent, kTimeoutMs);
            const Submission sent = *m_outbox->get(ids[i]);
            QCOMPARE(sent.idempotencyKey, keys[i]);
            QCOMPARE(serverCandidates(candidates[i].email).size(), 1);
            verifyKeyMadeTheCandidate(candidates[i], keys[i], *sent.serverId);
        }
    }

    void concurrency_inFlightNeverExceedsTheLimit()
    {
        m_engine->setConcurrency(2);
        QCOMPARE(m_engine->concurrency(), 2);
        sandbox::Faults faults;
        faults.latencyMs = 150;
        m_sandbox.setFaults(faults);
        QList<qint64> ids;
        for (int i = 0; i < 6; ++i) {
            ids << enqueue(candidate(u"concurrent"_s));
            QVERIFY(ids.last() > 0);
        }

        int mostOnSignal = 0;
        connect(m_engine.get(), &SubmissionEngine::submissionChanged, this,
                [&] { mostOnSignal = std::max(mostOnSignal, m_engine->inFlight()); });
        // A second look between signals, so a limit never reached does not pass unseen.
        int mostSampled = 0;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this,
                [&] { mostSampled = std::max(mostSampled, m_engine->inFlight()); });
        sampler.start(5);

        m_engine->start();
        for (qint64 id : std::as_const(ids))
            QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Sent, kTimeoutMs);
        sampler.stop();
        QVERIFY2(mostOnSignal <= 2, qPrintable(QString::number(mostOnSignal)));
        QVERIFY2(mostSampled <= 2, qPrintable(QString::number(mostSampled)));
        QCOMPARE(mostSampled, 2); // the limit is used, not just respected
    }

    // A rate limit is the account's: one 429 halves the requests in flight,
    // nothing new goes out before its Retry-After (on the fake clock), and
    // the limit climbs back one step per run of answers that get through.
    void throttled_halvesTheLimit_holdsEveryRowUntilRetryAfter_thenClimbsBack()
    {
        m_engine->setLookupBeforeCreate(false);
        m_engine->setConcurrency(8);
        QList<qint64> ids;
        for (int i = 0; i < 24; ++i) {
            ids << enqueue(candidate(u"aimd"_s));
            QVERIFY(ids.last() > 0);
        }
        sandbox::Faults faults;
        faults.throttleNext = 1;
        m_sandbox.setFaults(faults);
        int overLimit = 0;
        connect(m_engine.get(), &SubmissionEngine::submissionChanged, this,
                [&](qint64, SubmissionState state) {
                    if (state == SubmissionState::Sending
                        && m_engine->inFlight() > m_engine->currentLimit())
                        ++overLimit;
                });
        auto sentCount = [&] {
            return int(std::count_if(ids.cbegin(), ids.cend(), [&](qint64 id) {
                return m_outbox->get(id)->state == SubmissionState::Sent;
            }));
        };

        const QDateTime throttledAt = m_clock.now();
        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->currentLimit(), 4, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->inFlight(), 0, kTimeoutMs);
        // Settings saved meanwhile (the same concurrency) keep the slowdown.
        m_engine->setConcurrency(8);
        QCOMPARE(m_engine->currentLimit(), 4);
        const int sentBeforeRetryAfter = sentCount();
        QVERIFY(sentBeforeRetryAfter < ids.size());

        // One millisecond short of Retry-After: due rows or not, nothing goes.
        m_clock.set(throttledAt.addMSecs(999));
        m_engine->kick();
        QVERIFY(flushEvents());
        QCOMPARE(m_engine->inFlight(), 0);
        QCOMPARE(sentCount(), sentBeforeRetryAfter);

        m_clock.set(throttledAt.addSecs(1));
        m_engine->kick();
        for (qint64 id : std::as_const(ids))
            QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Sent, kTimeoutMs);
        QCOMPARE(overLimit, 0);
        QVERIFY2(m_engine->currentLimit() > 4 && m_engine->currentLimit() <= 8,
                 qPrintable(QString::number(m_engine->currentLimit())));
        for (qint64 id : std::as_const(ids))
            QCOMPARE(serverCandidates(m_outbox->get(id)->candidate.email).size(), 1);
    }

    // While the limit is reached and due rows wait for room, the engine
    // has nothing to do until a call ends: it must not poll the outbox in a
    // loop (a 5,000-row import would keep the GUI thread busy the whole time).
    void concurrencyReached_engineWaitsForACallToEnd_insteadOfPolling()
    {
        m_engine = makeEngine(&m_countingClock);
        m_countingClock.reset();
        m_engine->setLookupBeforeCreate(false);
        m_engine->setConcurrency(1);
        sandbox::Faults faults;
        faults.latencyMs = 300;
        m_sandbox.setFaults(faults);
        QList<qint64> ids;
        for (int i = 0; i < 4; ++i) {
            ids << enqueue(candidate(u"waiting-for-room"_s));
            QVERIFY(ids.last() > 0);
        }

        m_engine->start();
        for (qint64 id : std::as_const(ids))
            QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Sent, kTimeoutMs);
        // A few wake-ups per row (a claim, an answer) are expected; hundreds
        // mean the engine spun while the one slot was taken.
        QVERIFY2(
            m_countingClock.reads() < 100,
            qPrintable(u"the engine read the clock %1 times to send 4 rows one at a time"_s.arg(
                m_countingClock.reads())));
    }

    void offline_claimsNothing_andOnlineResumes()
    {
        QList<Candidate> candidates;
        QList<qint64> ids;
        for (int i = 0; i < 2; ++i) {
            candidates << candidate(u"offline"_s);
            ids << enqueue(candidates.last());
            QVERIFY(ids.last() > 0);
        }
        QSignalSpy changed(m_engine.get(), &SubmissionEngine::submissionChanged);
        m_engine->setOnline(false);
        QVERIFY(!m_engine->isOnline());
        m_engine->start();
        m_clock.advance(60 * 1000);
        m_engine->kick();
        QVERIFY(flushEvents());

        QCOMPARE(m_engine->inFlight(), 0);
        QCOMPARE(changed.count(), 0);
        for (int i = 0; i < ids.size(); ++i) {
            const Submission waiting = *m_outbox->get(ids[i]);
            QCOMPARE(waiting.state, SubmissionState::Pending);
            QCOMPARE(waiting.attempts, 0);
            QCOMPARE(serverCandidates(candidates[i].email).size(), 0);
        }

        m_engine->setOnline(true);
        QVERIFY(m_engine->isOnline());
        for (int i = 0; i < ids.size(); ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(ids[i])->state, SubmissionState::Sent,
                                      kTimeoutMs);
            QCOMPARE(m_outbox->get(ids[i])->attempts, 1);
            QCOMPARE(serverCandidates(candidates[i].email).size(), 1);
        }
    }

    // Going offline with a call in flight: it finishes, nothing new starts.
    void goingOffline_letsTheCallInFlightFinish_butClaimsNoMore()
    {
        m_engine->setLookupBeforeCreate(false);
        m_engine->setConcurrency(1);
        sandbox::Faults faults;
        faults.latencyMs = 1000;
        m_sandbox.setFaults(faults);
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            ids << enqueue(candidate(u"going-offline"_s));
            QVERIFY(ids.last() > 0);
        }

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->inFlight(), 1, kTimeoutMs);
        m_engine->setOnline(false);
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(ids[0])->state, SubmissionState::Sent, kTimeoutMs);
        m_engine->kick();
        QVERIFY(flushEvents());
        QCOMPARE(m_engine->inFlight(), 0);
        for (qint64 id : { ids[1], ids[2] }) {
            QCOMPARE(m_outbox->get(id)->state, SubmissionState::Pending);
            QCOMPARE(m_outbox->get(id)->attempts, 0);
        }

        m_sandbox.setFaults({});
        m_engine->setOnline(true);
        for (qint64 id : std::as_const(ids))
            QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Sent, kTimeoutMs);
    }

    void multipartUpload_reportsProgress()
    {
        Candidate c = candidate(u"progress"_s);
        c.resumeFile = m_pdf;
        c.resumeUrl.clear();
        const qint64 id = enqueue(c);
        QVERIFY(id > 0);
        QSignalSpy progress(m_engine.get(), &SubmissionEngine::progress);

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_outbox->get(id)->state, SubmissionState::Sent, kTimeoutMs);

        QVERIFY(!progress.isEmpty());
        for (const auto &args : std::as_const(progress)) {
            QCOMPARE(args.at(0).toLongLong(), id);
            const qint64 sent = args.at(1).toLongLong();
            const qint64 total = args.at(2).toLongLong();
            QVERIFY2(total > 0, qPrintable(u"(%1, %2)"_s.arg(sent).arg(total)));
            QVERIFY2(sent >= 0 && sent <= total, qPrintable(u"(%1, %2)"_s.arg(sent).arg(total)));
        }
        // The whole body went out, file included.
        QCOMPARE(progress.last().at(1).toLongLong(), progress.last().at(2).toLongLong());
        QVERIFY(progress.last().at(2).toLongLong() > QFileInfo(m_pdf).size());
    }

    void stop_putsRowsInFlightBackToPending_withTheSameKey()
    {
        m_engine->setLookupBeforeCreate(false);
        m_engine->setConcurrency(2);
        sandbox::Faults faults;
        faults.latencyMs = 5000;
        m_sandbox.setFaults(faults);
        QList<Candidate> candidates;
        QList<qint64> ids;
        QStringList keys;
        for (int i = 0; i < 2; ++i) {
            candidates << candidate(u"stopped"_s);
            ids << enqueue(candidates.last());
            QVERIFY(ids.last() > 0);
            keys << m_outbox->get(ids.last())->idempotencyKey;
        }

        m_engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->inFlight(), 2, kTimeoutMs);
        m_engine->stop();
        QCOMPARE(m_engine->inFlight(), 0);
        for (int i = 0; i < ids.size(); ++i) {
            const Submission stopped = *m_outbox->get(ids[i]);
            QCOMPARE(stopped.state, SubmissionState::Pending);
            QCOMPARE(stopped.idempotencyKey, keys[i]);
            QCOMPARE(errorName(stopped.errorKind), u"cancelled"_s);
            QCOMPARE(stopped.attempts, 1);
            QVERIFY(stopped.nextAttemptAt <= m_clock.now()); // due again at once
        }
        // Stopped means stopped: a kick sends nothing.
        m_engine->kick();
        QVERIFY(flushEvents());
        QCOMPARE(m_engine->inFlight(), 0);
        for (qint64 id : std::as_const(ids))
            QCOMPARE(m_outbox->get(id)->state, SubmissionState::Pending);

        m_sandbox.setFaults({});
        m_engine->start();
        for (int i = 0; i < ids.size(); ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(stateMovingTime(ids[i]), SubmissionState::Sent, kTimeoutMs);
            const Submission sent = *m_outbox->get(ids[i]);
            QCOMPARE(sent.idempotencyKey, keys[i]);
            QCOMPARE(sent.attempts, 2);
            QCOMPARE(serverCandidates(candidates[i].email).size(), 1);
            verifyKeyMadeTheCandidate(candidates[i], keys[i], *sent.serverId);
        }
    }

private:
    ApiEndpoint sandboxEndpoint() const
    {
        return ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.token());
    }

    std::unique_ptr<SubmissionEngine> makeEngine(Clock *clock)
    {
        auto engine = std::make_unique<SubmissionEngine>(m_outbox.get(), m_client.get(), clock);
        engine->setBackoff(1, 5); // backoff waits are a few fake milliseconds
        return engine;
    }

    Candidate candidate(const QString &tag) const
    {
        Candidate c;
        c.name = u"Asha Rao"_s;
        c.email = uniqueEmail(tag);
        c.phone = u"+91 98765 43210"_s;
        c.resumeUrl = QUrl(u"https://files.example.com/asha.pdf"_s);
        return c;
    }

    // The stored row's id, or 0 (with a warning) when the outbox refused it.
    qint64 enqueue(const Candidate &c)
    {
        Submission s;
        s.candidate = c;
        s.source = u"test"_s;
        QString error;
        const auto stored = m_outbox->enqueue(s, &error);
        if (!stored) {
            qWarning("enqueue failed: %s", qPrintable(error));
            return 0;
        }
        return stored->id;
    }

    // The row's state. When the row waits for a later attempt (backoff,
    // Retry-After), the fake clock is first moved to exactly that time and the
    // engine told: time passes without waiting. For QTRY_COMPARE.
    SubmissionState stateMovingTime(qint64 id)
    {
        const auto s = m_outbox->get(id);
        if (!s)
            return SubmissionState::Cancelled;
        if (s->state == SubmissionState::Pending && s->nextAttemptAt > m_clock.now()) {
            m_clock.set(s->nextAttemptAt);
            m_engine->kick();
        }
        return s->state;
    }

    // Lets everything already posted to this thread's event loop run (kick()
    // posts the engine's look at the outbox).
    bool flushEvents()
    {
        bool reached = false;
        QTimer::singleShot(0, this, [&reached] { reached = true; });
        return QTest::qWaitFor([&reached] { return reached; }, 5000);
    }

    // The candidates the server holds with this email.
    QJsonArray serverCandidates(const QString &email)
    {
        const HttpResponse r
            = m_http.get(m_sandbox.url(u"candidates/?email="_s + queryValue(email)));
        if (r.status != 200) {
            qWarning("lookup of %s answered %d", qPrintable(email), r.status);
            return {};
        }
        return r.json().value(u"results"_s).toArray();
    }

    // The server remembers the key that created serverId: the same record
    // under that key is answered as a replay of that very candidate.
    void verifyKeyMadeTheCandidate(const Candidate &c, const QString &key, qint64 serverId)
    {
        QVERIFY(c.resumeFile.isEmpty()); // the replay is sent as JSON, the same record
        const HttpResponse replay
            = m_http.postJson(m_sandbox.url(u"candidates/"_s), c.toRequestJson(),
                              { { "Idempotency-Key", key.toUtf8() } });
        QCOMPARE(replay.status, 201);
        QCOMPARE(replay.header("Idempotent-Replayed"), "true"_ba);
        QCOMPARE(idOf(replay), serverId);
    }

    static quint16 closedPort()
    {
        QTcpServer server;
        if (!server.listen(QHostAddress::LocalHost))
            return 0;
        const quint16 port = server.serverPort();
        server.close();
        return port;
    }

    QTemporaryDir m_files;
    SandboxFixture m_sandbox;
    HttpClient m_http;
    QNetworkAccessManager m_network;
    FakeClock m_clock;
    CountingClock m_countingClock { &m_clock };
    QString m_pdf; // under the sandbox's limit
    QString m_bigPdf; // over it

    std::unique_ptr<QTemporaryDir> m_data;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<SubmissionEngine> m_engine;
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
