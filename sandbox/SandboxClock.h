#pragma once

#include <QDateTime>

namespace cdesk::sandbox {

// The sandbox's "now": the real clock, or one frozen by a test (Options::fixedNow,
// or PUT /_sandbox/clock), so idempotency windows and timestamps can be checked.
struct SandboxClock
{
    QDateTime frozen; // invalid: the real clock

    QDateTime now() const { return frozen.isValid() ? frozen : QDateTime::currentDateTimeUtc(); }
};

} // namespace cdesk::sandbox
