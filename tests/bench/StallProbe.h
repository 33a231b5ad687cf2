#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <functional>

namespace cdesk::bench {

// The GUI thread's longest stall while `until` is false: a 5 ms ticker's
// largest gap, less its interval.
struct StallProbe
{
    double worstMs = 0;
    double elapsedMs = 0;

    // Runs the event loop until `until` holds (polled every 1 ms) or the
    // timeout; `start` runs once the ticker runs.
    void runUntil(const std::function<bool()> &until, int timeoutMs,
                  const std::function<void()> &start = {})
    {
        QElapsedTimer sinceTick;
        QElapsedTimer clock;
        QTimer ticker;
        ticker.setInterval(5);
        QObject::connect(&ticker, &QTimer::timeout, [&] {
            worstMs = std::max(worstMs, sinceTick.nsecsElapsed() / 1e6 - 5.0);
            sinceTick.restart();
        });
        QEventLoop loop;
        QTimer poll;
        poll.setInterval(1);
        QObject::connect(&poll, &QTimer::timeout, [&] {
            if (until())
                loop.quit();
        });
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        clock.start();
        sinceTick.start();
        ticker.start();
        poll.start();
        if (start)
            start();
        loop.exec();
        elapsedMs = clock.nsecsElapsed() / 1e6;
    }
};

} // namespace cdesk::bench
