#include "HistoryStore.h"

#include "store/Database.h"
#include "store/SubmissionRow.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

struct Where
{
    QString from; // "submissions", with an index hint for text search
    QString sql; // " WHERE ..." or empty
    QVariantList values;
};

// Escapes LIKE's wildcards, so a search for "50%" or "a_b" means just that.
QString containsPattern(const QString &key)
{
    QString escaped = key;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

Where whereFor(const HistoryFilter &filter, const QTimeZone &zone)
{
    QStringList terms;
    Where where;
    if (filter.state) {
        terms << u"state = ?"_s;
        where.values << stateName(*filter.state);
    }
    if (filter.jobId) {
        if (*filter.jobId == 0) {
            terms << u"job_id IS NULL"_s;
        } else {
            terms << u"job_id = ?"_s;
            where.values << *filter.jobId;
        }
    }
    // Days are the recruiter's; created_at is UTC text that sorts as time.
    if (filter.from.isValid()) {
        terms << u"created_at >= ?"_s;
        where.values << Database::storageTime(filter.from.startOfDay(zone));
    }
    if (filter.to.isValid()) {
        terms << u"created_at < ?"_s;
        where.values << Database::storageTime(filter.to.addDays(1).startOfDay(zone));
    }
    const QString key = SubmissionRow::searchKey(filter.text);
    if (!key.isEmpty()) {
        QString term = u"(name_key LIKE ? ESCAPE '\\' OR email_key LIKE ? ESCAPE '\\'"_s;
        where.values << containsPattern(key) << containsPattern(key);
        QString digits = key;
        if (digits.startsWith(u'#'))
            digits.remove(0, 1);
        bool isNumber = false;
        const qint64 serverId = digits.toLongLong(&isNumber);
        if (isNumber) {
            term += u" OR server_id = ?"_s;
            where.values << serverId;
        }
        terms << term + u')';
    }
    if (!terms.isEmpty())
        where.sql = u" WHERE "_s + terms.join(u" AND "_s);
    // A substring search must look at every name in range. Without a hint,
    // SQLite may pick the state or job index for the other terms and then
    // read ~1 KB table rows just to check the name. submissions_history
    // holds every column a filter reads, so the walk never leaves the index.
    where.from = key.isEmpty() ? u"submissions"_s : u"submissions INDEXED BY submissions_history"_s;
    return where;
}

QString countSql(const Where &where)
{
    return u"SELECT count(*) FROM "_s + where.from + where.sql;
}

QString pageSql(const Where &where)
{
    return u"SELECT %1 FROM submissions WHERE id IN (SELECT id FROM %2%3"
           " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?)"
           " ORDER BY created_at DESC, id DESC"_s.arg(SubmissionRow::columns(), where.from,
                                                      where.sql);
}

void bindAll(QSqlQuery &q, const QVariantList &values)
{
    for (const QVariant &value : values)
        q.addBindValue(value);
}

} // namespace

HistoryStore::HistoryStore(Database *db)
    : m_db(db)
{ }

int HistoryStore::count(const HistoryFilter &filter)
{
    const Where where = whereFor(filter, m_zone);
    QSqlQuery q(m_db->connection());
    q.prepare(countSql(where));
    bindAll(q, where.values);
    if (!m_db->exec(q, tr("Could not count the history"), nullptr) || !q.next())
        return 0;
    return q.value(0).toInt();
}

QList<Submission> HistoryStore::page(const HistoryFilter &filter, int offset, int limit)
{
    if (limit <= 0 || offset < 0)
        return {};
    const Where where = whereFor(filter, m_zone);
    // The ids first, from the indexes alone. Only the rows of this page are read
    // in full, whatever the offset.
    QSqlQuery q(m_db->connection());
    q.prepare(pageSql(where));
    bindAll(q, where.values);
    q.addBindValue(limit);
    q.addBindValue(offset);
    if (!m_db->exec(q, tr("Could not read the history"), nullptr))
        return {};
    QList<Submission> rows;
    rows.reserve(qMin(limit, 500));
    while (q.next())
        rows << SubmissionRow::fromQuery(q);
    return rows;
}

QList<Attempt> HistoryStore::attempts(qint64 submissionId)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT started_at, finished_at, http_status, outcome, message FROM attempts"
              " WHERE submission_id = ? ORDER BY id"_s);
    q.addBindValue(submissionId);
    if (!m_db->exec(q, tr("Could not read the attempts"), nullptr))
        return {};
    QList<Attempt> list;
    while (q.next()) {
        list << Attempt { Database::fromStorageTime(q.value(0)),
                          Database::fromStorageTime(q.value(1)), q.value(2).toInt(),
                          q.value(3).toString(), q.value(4).toString() };
    }
    return list;
}

QStringList HistoryStore::queryPlan(const HistoryFilter &filter)
{
    const Where where = whereFor(filter, m_zone);
    QStringList plan;
    for (const QString &sql : { countSql(where), pageSql(where) }) {
        QSqlQuery q(m_db->connection());
        q.prepare(u"EXPLAIN QUERY PLAN "_s + sql);
        bindAll(q, where.values);
        if (sql.contains(u"LIMIT ?"_s)) {
            q.addBindValue(50);
            q.addBindValue(0);
        }
        if (!m_db->exec(q, tr("Could not explain the history query"), nullptr))
            return {};
        while (q.next())
            plan << q.value(3).toString();
    }
    return plan;
}

} // namespace cdesk
