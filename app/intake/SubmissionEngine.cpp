#include "SubmissionEngine.h"

#include "api/ApiClient.h"
#include "api/ApiResult.h"
#include "core/Clock.h"
#include "store/Outbox.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace cdesk {

SubmissionEngine::SubmissionEngine(Outbox *outbox, ApiClient *api, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_outbox(outbox)
    , m_api(api)
    , m_clock(clock)
    , m_timer(new QTimer(this))
    , m_pollTimer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &SubmissionEngine::pump);
    m_pollTimer->setInterval(5000);
    connect(m_pollTimer, &QTimer::timeout, this, &SubmissionEngine::pump);
}

void SubmissionEngine::setPollInterval(int ms)
{
    m_pollTimer->setInterval(qMax(0, ms));
    if (ms <= 0)
        m_pollTimer->stop();
    else if (m_running)
        m_pollTimer->start();
}

SubmissionEngine::~SubmissionEngine()
{
    // Rows in flight stay Sending in the store; the next start puts them back
    // to Pending, exactly as after a crash.
    for (const auto &call : std::as_const(m_calls)) {
        if (call)
            call->disconnect(this);
    }
}

void SubmissionEngine::setConcurrency(int n)
{
    n = qBound(1, n, 16);
    if (n == m_concurrency)
        return; // any settings change comes here: a 429's slowdown stays
    const bool atFull = m_limit >= m_concurrency;
    m_concurrency = n;
    m_limit = atFull ? n : qMin(m_limit, n);
    kick();
}

void SubmissionEngine::setBackoff(qint64 baseMs, qint64 capMs)
{
    m_backoffBaseMs = qMax<qint64>(1, baseMs);
    m_backoffCapMs = qMax(m_backoffBaseMs, capMs);
}

void SubmissionEngine::start()
{
    if (m_running) {
        kick(); // already draining; rows in flight must not be "recovered"
        return;
    }
    m_recoveryPending = m_outbox->recoverInterrupted() < 0;
    m_running = true;
    if (m_pollTimer->interval() > 0)
        m_pollTimer->start();
    Q_EMIT pendingCountChanged(m_outbox->pendingCount());
    kick();
}

void SubmissionEngine::stop()
{
    retryUnrecorded(); // a last try to write what is known, before the process goes
    m_running = false;
    m_timer->stop();
    m_pollTimer->stop();
    const auto calls = m_calls;
    for (auto it = calls.begin(); it != calls.end(); ++it) {
        if (it.value()) {
            it.value()->disconnect(this);
            it.value()->cancel();
        }
        // Back to Pending at once: the same key goes out next time. When the
        // store refuses, the row stays Sending, and the next start takes it
        // back (recoverInterrupted()): it is never told as pending here.
        QString error;
        if (m_outbox->markRetry(it.key(), m_clock->now(),
                                QCoreApplication::translate("SubmissionEngine",
                                                            "Stopped before the server answered."),
                                ApiError::Cancelled, 0, &error))
            Q_EMIT submissionChanged(it.key(), SubmissionState::Pending);
        else
            Q_EMIT storeProblem(error);
    }
    m_calls.clear();
    m_callEpoch.clear();
}

void SubmissionEngine::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    if (online)
        kick();
}

void SubmissionEngine::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    Q_EMIT pausedChanged(paused);
    if (!paused)
        kick();
}

void SubmissionEngine::kick()
{
    if (!m_running)
        return;
    // On the next turn of the event loop: callers may be inside a slot of ours.
    QTimer::singleShot(0, this, &SubmissionEngine::pump);
}

void SubmissionEngine::pump()
{
    if (!m_running || !m_online || m_paused)
        return;
    retryUnrecorded();
    const int room = heldBack() ? 0 : m_limit - inFlight();
    QString storeError;
    // Until the rows a crash left in Sending are back to Pending, nothing new
    // is claimed: recovering later would also take back this engine's own
    // rows in flight, and send them twice.
    const QList<Submission> due = m_recoveryPending || room <= 0
        ? QList<Submission> {}
        : m_outbox->claimDue(room, &storeError);
    if (m_recoveryPending || !storeError.isEmpty()) {
        // The store cannot be written (a full disk, a database held by another
        // program): look again later, each time a little later, instead of
        // spinning on rows that are due but cannot be claimed, or holding up
        // the window with a wait for the database every few seconds.
        m_storeBackoffMs = qBound(qint64(500), m_storeBackoffMs * 2, qint64(30000));
        m_pollTimer->stop();
        if (m_calls.isEmpty())
            Q_EMIT idle();
        Q_EMIT storeProblem(storeError);
        m_timer->start(int(m_storeBackoffMs));
        return;
    }
    if (m_storeBackoffMs > 0 && m_pollTimer->interval() > 0)
        m_pollTimer->start();
    m_storeBackoffMs = 0;
    for (const Submission &submission : due) {
        Q_EMIT submissionChanged(submission.id, SubmissionState::Sending);
        process(submission);
    }
    if (m_calls.isEmpty())
        Q_EMIT idle();
    // With every slot taken, wait for a call to end (done() kicks): a timer now
    // would only find the same due rows again and spin.
    if (inFlight() < m_limit)
        scheduleNext();
    else
        m_timer->stop();
}

void SubmissionEngine::retryUnrecorded()
{
    if (m_recoveryPending)
        m_recoveryPending = m_outbox->recoverInterrupted() < 0;
    // Outcomes the store refused to record (a full disk, a database another
    // program held): the row is still Sending there, and the outcome is
    // written now. A create the server made is recorded as made, and never
    // sent a second time.
    for (auto it = m_unrecorded.begin(); it != m_unrecorded.end();) {
        const qint64 id = it.key();
        const Unrecorded outcome = it.value();
        if (outcome.write(nullptr)) {
            it = m_unrecorded.erase(it);
            Q_EMIT submissionChanged(id, outcome.state);
            Q_EMIT pendingCountChanged(m_outbox->pendingCount());
            continue;
        }
        // No longer Sending (a start recovered it): not ours to record.
        const auto row = m_outbox->get(id);
        if (row && row->state != SubmissionState::Sending)
            it = m_unrecorded.erase(it);
        else
            ++it;
    }
}

void SubmissionEngine::scheduleNext()
{
    if (!m_running)
        return;
    auto next = m_outbox->nextDueTime();
    if (!next) {
        m_timer->stop();
        return;
    }
    if (heldBack())
        next = qMax(*next, m_heldUntil);
    const qint64 waitMs
        = qBound<qint64>(0, m_clock->now().msecsTo(*next), qint64(24) * 3600 * 1000);
    m_timer->start(int(waitMs));
}

void SubmissionEngine::process(const Submission &submission)
{
    if (!submission.candidate.resumeFile.isEmpty() && !m_outbox->verifyResume(submission)) {
        const QString message = QCoreApplication::translate(
            "SubmissionEngine",
            "The resume kept for this submission is missing or was changed. "
            "Attach the resume again and resubmit.");
        record(submission.id, SubmissionState::Failed,
               [this, id = submission.id, message](QString *error) {
                   return m_outbox->markFailed(id, message, ApiError::LocalProblem, {}, 0, error);
               });
        return;
    }
    // Only the first attempt of a create looks the email up: on a retry the
    // candidate found may be the one this very submission created before its
    // answer was lost, and the Idempotency-Key already covers that case.
    if (submission.kind == SubmissionKind::Create && submission.attempts <= 1 && m_lookup
        && !m_lookupUnsupported && !submission.candidate.email.isEmpty()) {
        lookupThenCreate(submission);
        return;
    }
    send(submission);
}

void SubmissionEngine::lookupThenCreate(const Submission &submission)
{
    ApiCall *call = m_api->findByEmail(submission.candidate.email);
    track(submission.id, call);
    connect(call, &ApiCall::finished, this, [this, submission](const ApiResult &result) {
        m_calls.remove(submission.id);
        if (result.ok() && !result.candidates.isEmpty()) {
            m_callEpoch.remove(submission.id);
            const qint64 existing = result.candidates.constFirst().id;
            const QString message = QCoreApplication::translate(
                                        "SubmissionEngine",
                                        "%1 is already on the server as candidate #%2. Update "
                                        "that candidate, or cancel this submission.")
                                        .arg(submission.candidate.email)
                                        .arg(existing);
            record(submission.id, SubmissionState::NeedsDecision,
                   [this, id = submission.id, existing, message](QString *error) {
                       return m_outbox->markNeedsDecision(id, existing, message, 409, error);
                   });
            return;
        }
        // A server without the lookup (404, 405, 400, 501) still takes creates;
        // its 409 will catch a duplicate instead. Other failures are not a
        // reason to stop looking.
        const int status = result.httpStatus;
        if (!result.ok() && (status == 400 || status == 404 || status == 405 || status == 501)) {
            m_lookupUnsupported = true;
            send(submission);
            return;
        }
        if (!result.ok() && result.isRetryable()) {
            settle(submission, result);
            return;
        }
        if (result.error == ApiError::BadToken) {
            settle(submission, result);
            return;
        }
        send(submission);
    });
}

void SubmissionEngine::send(const Submission &submission)
{
    ApiCall *call = submission.kind == SubmissionKind::Create
        ? m_api->createCandidate(submission.candidate, submission.idempotencyKey)
        : m_api->updateCandidate(submission.targetId, submission.candidate,
                                 submission.changedFields);
    track(submission.id, call);
    connect(call, &ApiCall::uploadProgress, this,
            [this, id = submission.id](qint64 sent, qint64 total) {
                Q_EMIT progress(id, sent, total);
            });
    connect(call, &ApiCall::finished, this, [this, submission](const ApiResult &result) {
        m_calls.remove(submission.id);
        settle(submission, result);
    });
}

void SubmissionEngine::track(qint64 id, ApiCall *call)
{
    m_calls.insert(id, call);
    m_callEpoch.insert(id, m_limitEpoch);
}

std::optional<QDateTime> SubmissionEngine::heldUntil() const
{
    return heldBack() ? std::optional<QDateTime>(m_heldUntil) : std::nullopt;
}

bool SubmissionEngine::heldBack() const
{
    return m_heldUntil.isValid() && m_clock->now() < m_heldUntil;
}

void SubmissionEngine::slowDown(int epoch, qint64 waitMs)
{
    m_heldUntil = qMax(m_heldUntil, m_clock->now().addMSecs(waitMs));
    // The other calls of the burst that met the limit were sent before this
    // step: their 429s are the same news, not a reason to halve again.
    if (epoch != m_limitEpoch)
        return;
    m_limit = qMax(1, m_limit / 2);
    m_okSinceChange = 0;
    ++m_limitEpoch;
}

void SubmissionEngine::speedUp(int epoch)
{
    // Only answers to calls sent at the current limit say that it is safe.
    if (epoch != m_limitEpoch || m_limit >= m_concurrency)
        return;
    if (++m_okSinceChange < m_limit)
        return;
    ++m_limit;
    m_okSinceChange = 0;
    ++m_limitEpoch;
}

void SubmissionEngine::settle(const Submission &submission, const ApiResult &result)
{
    const qint64 id = submission.id;
    const int epoch = m_callEpoch.take(id);
    if (result.ok()) {
        speedUp(epoch);
        const qint64 serverId = result.candidate ? result.candidate->id : submission.targetId;
        record(id, SubmissionState::Sent, [this, id, serverId](QString *error) {
            return m_outbox->markSent(id, serverId, 0, error);
        });
        return;
    }
    if (result.error == ApiError::Duplicate && result.existingId) {
        record(id, SubmissionState::NeedsDecision,
               [this, id, existing = *result.existingId, message = result.message](QString *error) {
                   return m_outbox->markNeedsDecision(id, existing, message, 409, error);
               });
        return;
    }
    const bool gatewayOrBusy = result.httpStatus == 408 || result.httpStatus == 502
        || result.httpStatus == 503 || result.httpStatus == 504;
    if (result.error == ApiError::ServerError && !gatewayOrBusy) {
        // Counted in a row: a 429 or a lost network in between is not the
        // server failing.
        const int inARow = 1 + m_outbox->consecutiveServerErrors(id);
        if (inARow >= m_maxServerErrorAttempts) {
            const QString message
                = QCoreApplication::translate(
                      "SubmissionEngine",
                      "The server failed %n time(s) in a row (HTTP %1), so it is no longer tried "
                      "by itself. It is kept in the outbox: retry it later, and if it keeps "
                      "happening, tell your ATS administrator.",
                      nullptr, inARow)
                      .arg(result.httpStatus);
            record(id, SubmissionState::Failed,
                   [this, id, message, kind = result.error,
                    status = result.httpStatus](QString *error) {
                       return m_outbox->markFailed(id, message, kind, {}, status, error);
                   });
            return;
        }
    }
    if (result.isRetryable() || result.error == ApiError::Cancelled) {
        const qint64 waitMs = result.retryAfterSeconds
            ? qBound<qint64>(0, *result.retryAfterSeconds, MaxRetryAfterSeconds) * 1000
            : backoffMs(submission.attempts);
        if (result.error == ApiError::Throttled)
            slowDown(epoch, waitMs);
        record(id, SubmissionState::Pending,
               [this, id, next = m_clock->now().addMSecs(waitMs), message = result.message,
                kind = result.error, status = result.httpStatus](QString *error) {
                   return m_outbox->markRetry(id, next, message, kind, status, error);
               });
        return;
    }
    if (result.error == ApiError::TooLarge && result.serverLimitBytes)
        Q_EMIT serverLimitLearned(*result.serverLimitBytes);
    record(id, SubmissionState::Failed,
           [this, id, message = result.message, kind = result.error, fields = result.fieldErrors,
            status = result.httpStatus](QString *error) {
               return m_outbox->markFailed(id, message, kind, fields, status, error);
           });
}

void SubmissionEngine::record(qint64 id, SubmissionState state,
                              std::function<bool(QString *)> write)
{
    QString error;
    if (!write(&error)) {
        // Not in the store: the row stays Sending there, and nobody is told an
        // outcome the store does not hold. The trouble is reported, and the
        // outcome is kept and written at the next look (retryUnrecorded()).
        m_unrecorded.insert(id, { state, std::move(write) });
        Q_EMIT storeProblem(error);
        kick();
        return;
    }
    Q_EMIT submissionChanged(id, state);
    Q_EMIT pendingCountChanged(m_outbox->pendingCount());
    kick();
}

qint64 SubmissionEngine::backoffMs(int attempts) const
{
    // Exponential backoff with full jitter (a random wait between zero and the
    // bound), so many clients that failed together do not retry together.
    const int exponent = qBound(0, attempts - 1, 30);
    const qint64 bound = qMin(m_backoffCapMs, m_backoffBaseMs << exponent);
    return QRandomGenerator::global()->bounded(bound + 1);
}

} // namespace cdesk
