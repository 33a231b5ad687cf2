#pragma once

#include "Reply.h"
#include "SandboxOptions.h"

#include <QElapsedTimer>

#include <deque>
#include <optional>

class QHttpServerRequest;

namespace cdesk::sandbox {

// The sandbox's misbehaviour on demand: the Faults knobs (redirects, 5xx,
// throttling with 429 and Retry-After, connections dropped after a commit,
// latency) and the deployment shapes switched with them (how a too-large body
// is refused).
//
// A class of its own rather than a part of RequestGate: the gate sits at the
// socket and sees bytes before QtHttpServer parses them; this decides, per
// parsed API request, what to do instead of answering it, and its knobs change
// at run time through the admin endpoint. Authentication is the
// Authenticator's: it runs first, so a fault never answers a stranger.
class FaultInjector
{
public:
    FaultInjector(Faults faults, qint64 maxResumeBytes);

    const Faults &faults() const { return m_faults; }
    void setFaults(const Faults &faults) { m_faults = faults; }

    // The answer an authenticated API request gets instead of its own, if a
    // fault is due: a redirect, a 429 or a server error.
    std::optional<Reply> faultFor(const QHttpServerRequest &request);

    // True when the write just committed is to be left unanswered.
    bool takeDropAfterCommit();

    // A body over the limit, answered as the too_large_style knob says.
    Reply tooLarge() const;

private:
    std::optional<Reply> throttle();
    static bool take(int *next, double rate);

    Faults m_faults;
    qint64 m_maxResumeBytes;
    // Throttling counts on a monotonic clock: the frozen test clock must not
    // hold the window still (or move it back).
    QElapsedTimer m_monotonic;
    std::deque<qint64> m_recentRequests; // monotonic ms of the API requests in the last second
};

} // namespace cdesk::sandbox
