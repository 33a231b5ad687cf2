#pragma once

#include "Reply.h"

class QHttpServerRequest;

namespace cdesk::sandbox {

class FaultInjector;
struct SandboxClock;

// The admin endpoints under /_sandbox/ (reached with the admin token only):
// faults (GET the knobs, PUT some of them) and clock (GET it, PUT "now" to
// freeze it or null to thaw it, "advance_seconds" to move a frozen one).
class AdminHandlers
{
public:
    AdminHandlers(FaultInjector &faults, SandboxClock &clock);

    Reply faults(const QHttpServerRequest &request);
    Reply clock(const QHttpServerRequest &request);

private:
    FaultInjector &m_faults;
    SandboxClock &m_clock;
};

} // namespace cdesk::sandbox
