#pragma once

#include <QDateTime>

namespace cdesk {

// The time, as a collaborator: core classes take a Clock so tests can hand in
// a fake one (backoff, retention, timestamps) instead of waiting.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const { return QDateTime::currentDateTimeUtc(); }

    static Clock *system(); // the real clock, for the composition root
};

// A clock that stands still until told to move.
class FakeClock : public Clock
{
public:
    explicit FakeClock(QDateTime start = QDateTime(QDate(2026, 11, 29), QTime(12, 0), Qt::UTC))
        : m_now(std::move(start))
    { }
    QDateTime now() const override { return m_now; }
    void set(const QDateTime &t) { m_now = t; }
    void advance(qint64 ms) { m_now = m_now.addMSecs(ms); }

private:
    QDateTime m_now;
};

} // namespace cdesk
