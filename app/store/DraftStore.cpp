#include "DraftStore.h"

#include "core/Clock.h"
#include "store/Database.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

Draft draftFrom(const QSqlQuery &q)
{
    Draft d;
    d.id = q.value(0).toLongLong();
    d.candidate = Candidate::fromStorageJson(
        QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object());
    d.state = DraftState::fromJson(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object());
    d.updatedAt = Database::fromStorageTime(q.value(3));
    return d;
}

} // namespace

DraftStore::DraftStore(Database *db, Clock *clock)
    : m_db(db)
    , m_clock(clock)
{ }

qint64 DraftStore::save(const Draft &draft, QString *error)
{
    const QString now = Database::storageTime(m_clock->now());
    const QString what = tr("Could not save the draft");
    if (!m_db->beginWrite(error))
        return 0;
    qint64 id = draft.id;
    bool updated = false;
    if (id > 0) {
        QSqlQuery q(m_db->connection());
        q.prepare(u"UPDATE drafts SET candidate_json = ?, extra_json = ?, updated_at = ?"
                  " WHERE id = ?"_s);
        q.addBindValue(compact(draft.candidate.toStorageJson()));
        q.addBindValue(compact(draft.state.toJson()));
        q.addBindValue(now);
        q.addBindValue(id);
        if (!m_db->exec(q, what, error)) {
            m_db->rollback();
            return 0;
        }
        updated = q.numRowsAffected() == 1;
    }
    // A draft that is gone (removed elsewhere, or after a submit) comes back as
    // a new one. The recruiter's typing is never dropped.
    if (!updated) {
        QSqlQuery q(m_db->connection());
        q.prepare(u"INSERT INTO drafts (candidate_json, extra_json, created_at, updated_at)"
                  " VALUES (?, ?, ?, ?)"_s);
        q.addBindValue(compact(draft.candidate.toStorageJson()));
        q.addBindValue(compact(draft.state.toJson()));
        q.addBindValue(now);
        q.addBindValue(now);
        if (!m_db->exec(q, what, error)) {
            m_db->rollback();
            return 0;
        }
        id = q.lastInsertId().toLongLong();
    }
    if (!m_db->commit(error))
        return 0;
    return id;
}

std::optional<Draft> DraftStore::load(qint64 id)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT id, candidate_json, extra_json, updated_at FROM drafts WHERE id = ?"_s);
    q.addBindValue(id);
    if (!m_db->exec(q, tr("Could not read the draft"), nullptr) || !q.next())
        return std::nullopt;
    return draftFrom(q);
}

QList<Draft> DraftStore::list()
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT id, candidate_json, extra_json, updated_at FROM drafts"
              " ORDER BY updated_at DESC, id DESC"_s);
    if (!m_db->exec(q, tr("Could not read the drafts"), nullptr))
        return {};
    QList<Draft> drafts;
    while (q.next())
        drafts << draftFrom(q);
    return drafts;
}

bool DraftStore::remove(qint64 id, QString *error)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"DELETE FROM drafts WHERE id = ?"_s);
    q.addBindValue(id);
    if (!m_db->exec(q, tr("Could not delete the draft"), error))
        return false;
    return q.numRowsAffected() == 1;
}

} // namespace cdesk
