#pragma once

#include "model/Job.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace cdesk {

class Clock;
class Database;

// The last job list the server gave, so the job picker works offline and at
// start before the first fetch returns. Works on the thread that opened the Database.
class JobCache
{
    Q_DECLARE_TR_FUNCTIONS(JobCache)
public:
    JobCache(Database *db, Clock *clock);

    // Replaces the whole list in one transaction and stamps it now. The order
    // is kept. A job listed twice (pages that shifted during the fetch) is
    // kept once, at its first place.
    bool replace(const QList<Job> &jobs, QString *error = nullptr);
    QList<Job> jobs();
    std::optional<QDateTime> fetchedAt(); // nullopt: never fetched

private:
    Database *m_db;
    Clock *m_clock;
};

} // namespace cdesk
