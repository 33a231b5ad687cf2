#pragma once

#include "api/ApiResult.h"
#include "model/Job.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>

namespace cdesk {

class ApiCall;
class ApiClient;
class Clock;
class JobCache;

// The list of jobs a candidate can be submitted to, and where it came from.
// It holds the policy the window and the job picker only show:
// - load() offers the cached list at once (with the time it was fetched),
//   when nothing is shown yet, so the recruiter can pick a job before the
//   server answers, or while it does not;
// - then it fetches the list from the API (every page); a fresh list
//   replaces the cache and is shown as live, stamped now;
// - when the fetch fails (offline, refused, a server error), the cached list
//   is shown again, with its age, and the failure is kept for the window;
// - no request before the API has a token (it comes from the keychain a
//   moment after start): the state says so;
// - a newer load() replaces an older one, whose late answer is dropped.
class JobDirectory : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle, // nothing loaded yet, or a load was cancelled before it answered
        WaitingForToken, // load() was asked before the API had a token
        Loading, // the fetch runs
        Live, // jobs() is what the server listed
        Offline, // the fetch failed: jobs() is the cached list
    };
    Q_ENUM(State)

    // All three must outlive the directory; cache works on this thread.
    JobDirectory(ApiClient *api, JobCache *cache, Clock *clock, QObject *parent = nullptr);
    ~JobDirectory() override;

    void load();
    // Stops the fetch in flight. The list shown stays; the state goes back to
    // what it was before load() (Idle, Live or Offline). No loaded() follows.
    void cancel();

    State state() const { return m_state; }
    // Whether a list (cached or fresh) was offered yet; jobs() is empty until then.
    bool hasList() const { return m_shown; }
    QList<Job> jobs() const { return m_jobs; }
    // When jobs() was fetched from the server; invalid when unknown (a cache
    // made by an older version). fromCache(): read from the local cache.
    QDateTime fetchedAt() const { return m_fetchedAt; }
    bool fromCache() const { return m_fromCache; }
    // Seconds since fetchedAt() by the directory's clock; -1 when unknown.
    qint64 ageSeconds() const;
    // Why the last fetch failed, in the recruiter's words; empty after a success.
    QString errorMessage() const { return m_errorMessage; }
    // The server refused the token: the job picker points at it, the window at Settings.
    bool tokenRefused() const { return m_errorKind == ApiError::BadToken; }
    // The state in a few words for the window's status bar ("Connected", "Not reachable").
    QString stateText() const;
    // While Loading: the jobs received so far, and how many the server has
    // (-1 when it does not say). Both 0 before the first page.
    int loadedSoFar() const { return m_loadedSoFar; }
    int expectedTotal() const { return m_expectedTotal; }
    Clock *clock() const { return m_clock; }

Q_SIGNALS:
    void stateChanged(cdesk::JobDirectory::State state);
    // jobs(), fetchedAt() or fromCache() changed: the cache offered at once,
    // a fresh list, or the cache again after a failed fetch.
    void jobsChanged();
    // A load() ended, with a fresh list or with the cached one (fromCache).
    void loaded(int count, bool fromCache);
    // A page of the list arrived while Loading (see loadedSoFar()).
    void progress(int loadedSoFar, int expectedTotal);

private:
    void offerCache();
    void finished(ApiCall *call, const ApiResult &result);
    void setState(State state);

    ApiClient *m_api;
    JobCache *m_cache;
    Clock *m_clock;
    QPointer<ApiCall> m_call;
    State m_state = State::Idle;
    State m_settled = State::Idle; // the state to go back to on cancel()
    QList<Job> m_jobs;
    QDateTime m_fetchedAt;
    bool m_fromCache = false;
    bool m_shown = false; // some list (cached or fresh) was offered
    ApiError m_errorKind = ApiError::None;
    QString m_errorMessage;
    int m_loadedSoFar = 0;
    int m_expectedTotal = 0;
};

} // namespace cdesk
