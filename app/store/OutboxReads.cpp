#include "Outbox.h"

#include "store/Database.h"
#include "store/SubmissionRow.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

// The outbox's reads that change nothing: one row, counts, the next due
// time, and which keys it holds. The state changes are in Outbox.cpp.

namespace cdesk {

namespace {

// The account column's value when no account is set: "" matches every row.
QString text(const QString &s)
{
    return s.isNull() ? QString(u""_s) : s;
}

} // namespace

std::optional<Submission> Outbox::get(qint64 id)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT %1 FROM submissions WHERE id = ?"_s.arg(SubmissionRow::columns()));
    q.addBindValue(id);
    if (!m_db->exec(q, tr("Could not read the submission"), nullptr) || !q.next())
        return std::nullopt;
    return SubmissionRow::fromQuery(q);
}

int Outbox::consecutiveServerErrors(qint64 id)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT http_status FROM attempts WHERE submission_id = ? ORDER BY id DESC"
              " LIMIT 100"_s);
    q.addBindValue(id);
    if (!m_db->exec(q, tr("Could not read the submission"), nullptr))
        return 0;
    int count = 0;
    while (q.next()) {
        const int status = q.value(0).toInt();
        if (status < 500 || status == 502 || status == 503 || status == 504)
            break;
        ++count;
    }
    return count;
}

QString Outbox::accountFor(const QUrl &apiUrl)
{
    const QString host = apiUrl.host().toLower();
    if (host.isEmpty())
        return {};
    return apiUrl.port() > 0 ? host + u':' + QString::number(apiUrl.port()) : host;
}

int Outbox::pendingCount()
{
    QSqlQuery q(m_db->connection());
    q.prepare(SubmissionRow::withStates(
        u"SELECT count(*) FROM submissions WHERE state IN ({Pending}, {Sending})"
        " AND (? = '' OR account IS NULL OR account = ?)"_s));
    q.addBindValue(text(m_account));
    q.addBindValue(text(m_account));
    if (!m_db->exec(q, tr("Could not count the outbox"), nullptr) || !q.next())
        return 0;
    return q.value(0).toInt();
}

std::optional<QDateTime> Outbox::nextDueTime()
{
    QSqlQuery q(m_db->connection());
    q.prepare(SubmissionRow::withStates(
        u"SELECT min(next_attempt_at) FROM submissions WHERE state = {Pending}"
        " AND (? = '' OR account IS NULL OR account = ?)"_s));
    q.addBindValue(text(m_account));
    q.addBindValue(text(m_account));
    if (!m_db->exec(q, tr("Could not read the outbox"), nullptr) || !q.next()
        || q.value(0).isNull())
        return std::nullopt;
    return Database::fromStorageTime(q.value(0));
}

QHash<QString, qint64> Outbox::knownKeys(const QStringList &keys, QString *error)
{
    QHash<QString, qint64> found;
    QSqlQuery q(m_db->connection());
    // SQLite takes up to 32,766 parameters; a few hundred at a time is plenty.
    constexpr qsizetype kChunk = 500;
    for (qsizetype from = 0; from < keys.size(); from += kChunk) {
        const QStringList chunk = keys.mid(from, kChunk);
        QStringList marks(chunk.size(), u"?"_s);
        q.prepare(u"SELECT idempotency_key, id FROM submissions WHERE idempotency_key IN ("_s
                  + marks.join(u',') + u")"_s);
        for (const QString &key : chunk)
            q.addBindValue(key);
        if (!m_db->exec(q, tr("Could not read the outbox"), error))
            return {};
        while (q.next())
            found.insert(q.value(0).toString(), q.value(1).toLongLong());
    }
    return found;
}

} // namespace cdesk
