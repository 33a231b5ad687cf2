#pragma once

#include "model/Submission.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <optional>

namespace cdesk {

class Database;

// What the history view asks for. Every part is optional; they combine with AND.
struct HistoryFilter
{
    // Case-insensitive, anywhere in the name or the email. Digits (optionally
    // after '#') also match the server's candidate id exactly.
    QString text;
    std::optional<SubmissionState> state;
    std::optional<qint64> jobId; // 0: the Talent Pool (no job)
    QDate from, to; // the recruiter's calendar days, both included; null: open
};

// One state change of a submission (the Outbox records one per change).
struct Attempt
{
    QDateTime startedAt;
    QDateTime finishedAt;
    int httpStatus = 0; // 0 when no HTTP answer was involved
    QString outcome; // Outbox::Outcome*: "sent", "retry", "failed", ...
    QString message;
};

// The read side of the submissions table, for the history view. It stays fast
// at 100,000 rows. Filters read copied-out, indexed columns and never parse
// JSON. A page reads only the rows it returns.
class HistoryStore
{
    Q_DECLARE_TR_FUNCTIONS(HistoryStore)
public:
    explicit HistoryStore(Database *db);

    // The zone that HistoryFilter's days are in: the system's unless set (tests set UTC).
    void setTimeZone(const QTimeZone &zone) { m_zone = zone; }

    int count(const HistoryFilter &filter);
    // Newest first (created_at, then id).
    QList<Submission> page(const HistoryFilter &filter, int offset, int limit);
    // Oldest first.
    QList<Attempt> attempts(qint64 submissionId);

    // SQLite's plan for the count and the page of this filter, one step a line.
    // For the benchmark and the tests: they check which index each filter walks.
    QStringList queryPlan(const HistoryFilter &filter);

private:
    Database *m_db;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
};

} // namespace cdesk
