#pragma once

#include "model/Submission.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <optional>

class QTimer;

namespace cdesk {

class ApiCall;
class ApiClient;
class Clock;
class Outbox;
struct ApiResult;

// Drains the outbox: takes due rows N at a time, sends each through the
// ApiClient and records the outcome. Retries 408, 429, 5xx, timeouts and
// network errors with exponential backoff and full jitter, honouring
// Retry-After, always with the row's own Idempotency-Key; never retries
// another 4xx. A 500 (or another 5xx that is not a gateway's) may be the
// server's bug rather than its weather: after maxServerErrorAttempts() it is
// held for a person (Failed) instead of being tried forever. Before the first
// attempt of a create it looks the email up and turns a would-be duplicate
// into NeedsDecision instead of sending it.
class SubmissionEngine : public QObject
{
    Q_OBJECT
public:
    SubmissionEngine(Outbox *outbox, ApiClient *api, Clock *clock, QObject *parent = nullptr);
    ~SubmissionEngine() override;

    void setConcurrency(int n);
    int concurrency() const { return m_concurrency; }
    // The requests let in flight now. A rate limit is the account's, so one
    // 429 speaks for every row: the limit halves (not below one) and nothing
    // new is sent until its Retry-After has passed. Each run of that many
    // answers that get through adds one back, up to concurrency().
    int currentLimit() const { return m_limit; }
    // Until when a 429 holds every row back; nullopt when nothing does.
    std::optional<QDateTime> heldUntil() const;
    // Look the email up before a create (on by default; a server without
    // GET /candidates/?email= is detected and the lookup skipped).
    void setLookupBeforeCreate(bool on) { m_lookup = on; }
    // Backoff bounds: the first retry waits up to base, each next one twice as
    // long, never more than cap.
    void setBackoff(qint64 baseMs, qint64 capMs);
    // How often to look at the outbox for rows another process added (the
    // command line while the window runs). 0: never.
    void setPollInterval(int ms);
    // How many times in a row a row may meet a 500 (or 501, 505...) before
    // it is held; 502, 503, 504, 429 and network trouble are tried without limit.
    void setMaxServerErrorAttempts(int n) { m_maxServerErrorAttempts = qMax(1, n); }
    int maxServerErrorAttempts() const { return m_maxServerErrorAttempts; }
    // The longest wait a Retry-After may ask for; a longer one is cut to this.
    static constexpr qint64 MaxRetryAfterSeconds = 3600;

    // Puts rows a crash left in Sending back to Pending, then starts draining.
    void start();
    // Stops taking new rows; calls in flight are cancelled and their rows go
    // back to Pending (the same key is sent next time).
    void stop();
    // Offline: nothing new is sent until online again.
    void setOnline(bool online);
    bool isOnline() const { return m_online; }
    // Paused by the recruiter (an import's Pause): like offline, nothing new
    // is sent and calls in flight end as the server answers them; kept apart
    // from the network's word so that neither undoes the other.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Something was enqueued or a time moved: look for due rows now.
    void kick();

    int inFlight() const { return int(m_calls.size()); }

Q_SIGNALS:
    void submissionChanged(qint64 id, cdesk::SubmissionState state);
    void progress(qint64 id, qint64 sent, qint64 total);
    void pendingCountChanged(int pending);
    // Nothing in flight and nothing due now (there may be rows waiting for later).
    void idle();
    // A 413 named the server's resume limit: the app keeps it in the settings,
    // so the next oversized resume is caught before it is sent.
    void serverLimitLearned(qint64 bytes);
    // The store refused to hand out due rows or to record an outcome (a full
    // disk, a database another program holds); the engine keeps what it knows
    // and looks again later. error may be empty.
    void storeProblem(const QString &error);
    void pausedChanged(bool paused);

private:
    void pump();
    void process(const Submission &submission);
    void send(const Submission &submission);
    void lookupThenCreate(const Submission &submission);
    void track(qint64 id, ApiCall *call);
    void settle(const Submission &submission, const ApiResult &result);
    void record(qint64 id, SubmissionState state, std::function<bool(QString *)> write);
    void retryUnrecorded();
    qint64 backoffMs(int attempts) const;
    void scheduleNext();
    bool heldBack() const;
    void slowDown(int epoch, qint64 waitMs);
    void speedUp(int epoch);

    Outbox *m_outbox;
    ApiClient *m_api;
    Clock *m_clock;
    QTimer *m_timer;
    QTimer *m_pollTimer;
    QHash<qint64, QPointer<ApiCall>> m_calls;
    struct Unrecorded
    {
        SubmissionState state;
        std::function<bool(QString *)> write;
    };
    QHash<qint64, Unrecorded> m_unrecorded; // outcomes the store refused to record
    bool m_recoveryPending = false; // recoverInterrupted() failed at start
    qint64 m_storeBackoffMs = 0; // while the store refuses to claim rows
    int m_concurrency = 4;
    int m_limit = 4; // currentLimit()
    int m_limitEpoch = 0; // one step per change: a burst of 429s halves once
    QHash<qint64, int> m_callEpoch; // the epoch each call in flight began in
    int m_okSinceChange = 0;
    QDateTime m_heldUntil; // a 429's Retry-After: nothing new is sent before it
    int m_maxServerErrorAttempts = 8;
    qint64 m_backoffBaseMs = 1000;
    qint64 m_backoffCapMs = 5 * 60 * 1000;
    bool m_running = false;
    bool m_online = true;
    bool m_paused = false;
    bool m_lookup = true;
    bool m_lookupUnsupported = false;
};

} // namespace cdesk
