#include "JobCache.h"

#include "core/Clock.h"
#include "store/Database.h"

#include <QSet>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

const QString FetchedAtKey = QStringLiteral("job_cache.fetched_at");

QString text(const QString &s)
{
    return s.isNull() ? QString(u""_s) : s;
}

} // namespace

JobCache::JobCache(Database *db, Clock *clock)
    : m_db(db)
    , m_clock(clock)
{ }

bool JobCache::replace(const QList<Job> &jobs, QString *error)
{
    const QString what = tr("Could not keep the job list");
    if (!m_db->beginWrite(error))
        return false;
    if (!m_db->exec(u"DELETE FROM job_cache"_s, what, error)) {
        m_db->rollback();
        return false;
    }
    QSqlQuery q(m_db->connection());
    q.prepare(u"INSERT INTO job_cache (position, id, title, department, location, open, created_at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    QSet<qint64> seen;
    int position = 0;
    for (const Job &job : jobs) {
        if (seen.contains(job.id))
            continue;
        seen.insert(job.id);
        q.addBindValue(position++);
        q.addBindValue(job.id);
        q.addBindValue(text(job.title));
        q.addBindValue(text(job.department));
        q.addBindValue(text(job.location));
        q.addBindValue(job.open ? 1 : 0);
        q.addBindValue(job.createdAt.isValid() ? Database::storageTime(job.createdAt) : u""_s);
        if (!m_db->exec(q, what, error)) {
            m_db->rollback();
            return false;
        }
    }
    QSqlQuery stamp(m_db->connection());
    stamp.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s);
    stamp.addBindValue(FetchedAtKey);
    stamp.addBindValue(Database::storageTime(m_clock->now()));
    if (!m_db->exec(stamp, what, error)) {
        m_db->rollback();
        return false;
    }
    return m_db->commit(error);
}

QList<Job> JobCache::jobs()
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT id, title, department, location, open, created_at FROM job_cache"
              " ORDER BY position"_s);
    if (!m_db->exec(q, tr("Could not read the job list"), nullptr))
        return {};
    QList<Job> list;
    while (q.next()) {
        Job job;
        job.id = q.value(0).toLongLong();
        job.title = q.value(1).toString();
        job.department = q.value(2).toString();
        job.location = q.value(3).toString();
        job.open = q.value(4).toInt() != 0;
        job.createdAt = Database::fromStorageTime(q.value(5));
        list << job;
    }
    return list;
}

std::optional<QDateTime> JobCache::fetchedAt()
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT value FROM meta WHERE key = ?"_s);
    q.addBindValue(FetchedAtKey);
    if (!m_db->exec(q, tr("Could not read the job list"), nullptr) || !q.next())
        return std::nullopt;
    return Database::fromStorageTime(q.value(0));
}

} // namespace cdesk
