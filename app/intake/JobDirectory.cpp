#include "JobDirectory.h"

#include "api/ApiClient.h"
#include "core/Clock.h"
#include "store/JobCache.h"

namespace cdesk {

JobDirectory::JobDirectory(ApiClient *api, JobCache *cache, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_cache(cache)
    , m_clock(clock)
{ }

JobDirectory::~JobDirectory()
{
    // A call outlives nothing it reports to: its answer would reach a dead directory.
    if (ApiCall *call = m_call) {
        m_call = nullptr;
        call->cancel();
    }
}

void JobDirectory::load()
{
    if (!m_shown)
        offerCache();
    // A newer request replaces an older one; a late old answer must not win.
    if (ApiCall *old = m_call) {
        m_call = nullptr;
        old->cancel();
    }
    if (!m_api->endpoint().hasToken()) {
        // The token comes from the keychain a moment after start: no request
        // (and no "refused" message) before it is there.
        setState(State::WaitingForToken);
        return;
    }
    ApiCall *call = m_api->listJobs();
    m_call = call;
    m_loadedSoFar = 0;
    m_expectedTotal = 0;
    connect(call, &ApiCall::finished, this,
            [this, call](const ApiResult &result) { finished(call, result); });
    connect(call, &ApiCall::pageLoaded, this, [this, call](int soFar, int total) {
        if (call != m_call)
            return;
        m_loadedSoFar = soFar;
        m_expectedTotal = total;
        Q_EMIT progress(soFar, total);
    });
    setState(State::Loading);
}

void JobDirectory::cancel()
{
    ApiCall *call = m_call;
    if (!call)
        return;
    m_call = nullptr; // its Cancelled answer is not a result
    call->cancel();
    setState(m_settled);
}

qint64 JobDirectory::ageSeconds() const
{
    if (!m_fetchedAt.isValid())
        return -1;
    return qMax<qint64>(0, m_fetchedAt.secsTo(m_clock->now())); // a clock a little behind
}

QString JobDirectory::stateText() const
{
    switch (m_state) {
    case State::Idle:
        return {};
    case State::WaitingForToken:
        return tr("Waiting for the API token…");
    case State::Loading:
        return tr("Connecting…");
    case State::Live:
        return tr("Connected");
    case State::Offline:
        return tr("Not reachable");
    }
    return {};
}

// The last list the server gave, so the picker works before (or without) an
// answer. A cache that was never filled offers nothing: "not loaded yet"
// says more than an empty list from "an earlier session".
void JobDirectory::offerCache()
{
    const std::optional<QDateTime> fetchedAt = m_cache->fetchedAt();
    QList<Job> cached = m_cache->jobs();
    if (!fetchedAt && cached.isEmpty())
        return;
    m_jobs = std::move(cached);
    m_fetchedAt = fetchedAt.value_or(QDateTime());
    m_fromCache = true;
    m_shown = true;
    Q_EMIT jobsChanged();
}

void JobDirectory::finished(ApiCall *call, const ApiResult &result)
{
    if (call != m_call)
        return; // replaced by a newer load(), or cancelled
    m_call = nullptr;
    if (result.error == ApiError::Cancelled) {
        setState(m_settled);
        return;
    }
    if (result.ok()) {
        // A cache that cannot be written (a full disk) is told by the store's
        // banner; the fresh list is shown all the same.
        m_cache->replace(result.jobs);
        m_jobs = result.jobs;
        m_fetchedAt = m_clock->now();
        m_fromCache = false;
        m_errorKind = ApiError::None;
        m_errorMessage.clear();
        m_settled = State::Live;
    } else {
        // Offline (or refused): the last list we had, and how old it is.
        m_jobs = m_cache->jobs();
        m_fetchedAt = m_cache->fetchedAt().value_or(QDateTime());
        m_fromCache = true;
        m_errorKind = result.error;
        m_errorMessage = result.message;
        m_settled = State::Offline;
    }
    m_shown = true;
    Q_EMIT jobsChanged();
    setState(m_settled);
    Q_EMIT loaded(int(m_jobs.size()), m_fromCache);
}

void JobDirectory::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace cdesk
