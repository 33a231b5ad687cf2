#include "Outbox.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/SubmissionRow.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// QSQLITE binds a null QString as NULL, and the text columns are NOT NULL.
QString text(const QString &s)
{
    return s.isNull() ? QString(u""_s) : s;
}

// The error_kind column: "" for none, else the kind's name.
QString storedName(ApiError kind)
{
    return kind == ApiError::None ? QString(u""_s) : errorName(kind);
}

QVariant nullableId(const std::optional<qint64> &id)
{
    return id ? QVariant(*id) : QVariant(QMetaType::fromType<qint64>());
}

} // namespace

struct Outbox::Change
{
    SubmissionState to;
    QString outcome;
    QString message;
    int httpStatus = 0;
    QList<std::pair<QString, QVariant>> columns; // further columns to set
};

Outbox::Outbox(Database *db, QString dataDir, Clock *clock)
    : m_db(db)
    , m_dataDir(std::move(dataDir))
    , m_clock(clock)
    , m_copies(QDir(m_dataDir).filePath(u"outbox-files"_s))
{ }

QString Outbox::filesDir() const
{
    return m_copies.filesDir();
}

std::optional<Submission> Outbox::enqueue(Submission s, QString *error)
{
    auto stored = enqueueAll({ std::move(s) }, error);
    if (!stored)
        return std::nullopt;
    return stored->constFirst();
}

std::optional<QList<Submission>> Outbox::enqueueAll(QList<Submission> submissions, QString *error)
{
    Prepared prepared = prepareFiles(std::move(submissions));
    if (!prepared.ok) {
        if (error)
            *error = prepared.error;
        return std::nullopt;
    }
    return insertPrepared(std::move(prepared), error);
}

Outbox::Prepared Outbox::prepareFiles(QList<Submission> submissions) const
{
    const QDateTime now = m_clock->now().toUTC();
    // 1. The resume copies, outside the transaction: big files must not hold
    //    the write lock. Each goes into "<uuid>.partial", a name no row ever
    //    holds, and is synced; insertPrepared() renames it to "<uuid>" inside
    //    the transaction that commits its row. So another process's
    //    pruneFiles(), which judges folders under that same write lock, never
    //    sees a final folder that is being bound, and leaves ".partial"
    //    folders alone for the grace period. A crash in between leaves a
    //    folder no row names, which a later prune removes.
    Prepared prepared;
    for (Submission &s : submissions) {
        QString copyDir;
        const bool ok = prepare(&s, now, &copyDir, &prepared.error);
        if (!copyDir.isEmpty())
            prepared.copyDirs << copyDir;
        if (!ok) {
            m_copies.discard(prepared.copyDirs);
            prepared.copyDirs.clear();
            return prepared;
        }
    }
    if (!prepared.copyDirs.isEmpty())
        m_copies.syncNames();
    prepared.submissions = std::move(submissions);
    prepared.ok = true;
    return prepared;
}

std::optional<QList<Submission>> Outbox::insertPrepared(Prepared prepared, QString *error,
                                                        QList<Submission> *known)
{
    QString ignored;
    if (!error)
        error = &ignored;
    const QDateTime now = m_clock->now().toUTC();
    QList<Submission> &submissions = prepared.submissions;
    QStringList copyDirs = prepared.copyDirs;
    auto fail = [&]() -> std::optional<QList<Submission>> {
        m_copies.discard(copyDirs);
        return std::nullopt;
    };

    // 2. The rows, in one transaction, which also gives each copy its final
    //    name. A failure before COMMIT removes the copies.
    if (!m_db->beginWrite(error))
        return fail();
    QSqlQuery q(m_db->connection());
    q.prepare(
        u"INSERT INTO submissions (kind, target_id, changed_fields, candidate_json,"
        " idempotency_key, original_resume_name, resume_sha256, resume_copy, state,"
        " attempts, created_at, updated_at, next_attempt_at, source, name, email, name_key,"
        " email_key, job_id, account)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s
        + (prepared.skipKnownKeys ? u" ON CONFLICT (idempotency_key) DO NOTHING"_s : QString()));
    const QString stamp = Database::storageTime(now);
    QList<Submission> inserted;
    QStringList knownKeysLeftOut;
    QSet<QString> leftOutFolders;
    for (Submission &s : submissions) {
        q.addBindValue(kindName(s.kind));
        q.addBindValue(s.kind == SubmissionKind::Update ? QVariant(s.targetId)
                                                        : QVariant(QMetaType::fromType<qint64>()));
        q.addBindValue(SubmissionRow::changedFieldsKey(s.changedFields));
        q.addBindValue(SubmissionRow::candidateJson(s.candidate));
        q.addBindValue(s.idempotencyKey);
        q.addBindValue(text(s.originalResumeName));
        q.addBindValue(text(QString::fromLatin1(s.resumeSha256)));
        q.addBindValue(s.candidate.resumeFile.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                        : QVariant(s.candidate.resumeFile));
        q.addBindValue(stateName(s.state));
        q.addBindValue(stamp);
        q.addBindValue(stamp);
        q.addBindValue(stamp);
        q.addBindValue(text(s.source));
        q.addBindValue(text(s.candidate.name));
        q.addBindValue(text(s.candidate.email));
        q.addBindValue(SubmissionRow::searchKey(text(s.candidate.name)));
        q.addBindValue(SubmissionRow::searchKey(text(s.candidate.email)));
        q.addBindValue(nullableId(s.candidate.jobId));
        q.addBindValue(m_account.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                           : QVariant(m_account));
        if (!m_db->exec(q, tr("Could not put the submission in the outbox"), error)) {
            m_db->rollback();
            return fail();
        }
        if (prepared.skipKnownKeys && q.numRowsAffected() == 0) {
            knownKeysLeftOut << s.idempotencyKey;
            if (!s.candidate.resumeFile.isEmpty())
                leftOutFolders.insert(ResumeCopies::folderOf(s.candidate.resumeFile));
            continue;
        }
        s.id = q.lastInsertId().toLongLong();
        inserted << s;
    }
    q.finish();
    // The copies of rows left out are not needed: the stored row has its own.
    QStringList leftOutCopies;
    for (auto it = copyDirs.begin(); it != copyDirs.end();) {
        if (leftOutFolders.contains(QFileInfo(*it).fileName())) {
            leftOutCopies << *it;
            it = copyDirs.erase(it);
        } else {
            ++it;
        }
    }
    auto failWithLeftOut = [&] {
        m_db->rollback();
        m_copies.discard(leftOutCopies);
        return fail();
    };
    if (known && !knownKeysLeftOut.isEmpty()) {
        // The rows left out are told as they are stored; a row that cannot be
        // read now fails the batch rather than go untold.
        QString readError;
        const QHash<QString, qint64> ids = knownKeys(knownKeysLeftOut, &readError);
        for (const QString &key : std::as_const(knownKeysLeftOut)) {
            const auto row = ids.contains(key) ? get(ids.value(key)) : std::nullopt;
            if (!row) {
                *error = readError.isEmpty() ? tr("Could not read the outbox.") : readError;
                return failWithLeftOut();
            }
            *known << *row;
        }
    }
    if (!m_copies.bind(copyDirs, error))
        return failWithLeftOut();
    if (!m_db->commit(error)) {
        // The copies go back to their temporary names rather than away: a
        // COMMIT that reports a failure after its log record reached the disk
        // may still come back after a crash, and then pruneFiles() binds the
        // copy to its row again instead of leaving a row without its file.
        m_copies.unbind(copyDirs);
        m_copies.discard(leftOutCopies);
        return std::nullopt;
    }
    m_copies.discard(leftOutCopies);
    if (!copyDirs.isEmpty())
        m_copies.syncNames();
    return inserted;
}

QList<Outbox::Prepared> Outbox::split(Prepared prepared, int rowsPerPart)
{
    if (!prepared.ok || prepared.submissions.size() <= rowsPerPart)
        return { std::move(prepared) };
    QHash<QString, QString> dirOfFolder; // a copy's folder name -> its path
    for (const QString &dir : std::as_const(prepared.copyDirs))
        dirOfFolder.insert(QFileInfo(dir).fileName(), dir);
    QList<Prepared> parts;
    for (qsizetype i = 0; i < prepared.submissions.size(); ++i) {
        if (i % rowsPerPart == 0) {
            Prepared part;
            part.ok = true;
            part.skipKnownKeys = prepared.skipKnownKeys;
            parts << part;
        }
        Prepared &part = parts.last();
        const Submission &s = prepared.submissions[i];
        part.submissions << s;
        if (!s.candidate.resumeFile.isEmpty()) {
            const QString dir = dirOfFolder.take(ResumeCopies::folderOf(s.candidate.resumeFile));
            if (!dir.isEmpty())
                part.copyDirs << dir;
        }
    }
    // A copy no row names (none should be) goes with the first part.
    parts.first().copyDirs << dirOfFolder.values();
    return parts;
}

void Outbox::discard(const Prepared &prepared) const
{
    m_copies.discard(prepared.copyDirs);
}

bool Outbox::prepare(Submission *s, const QDateTime &now, QString *copyDir, QString *error) const
{
    if (!m_copies.copy(s, copyDir, error))
        return false;
    if (s->idempotencyKey.isEmpty())
        s->idempotencyKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
    s->id = 0;
    s->state = SubmissionState::Pending;
    s->attempts = 0;
    s->createdAt = s->updatedAt = s->nextAttemptAt = now;
    s->serverId.reset();
    s->duplicateOf.reset();
    s->lastError.clear();
    s->errorKind = ApiError::None;
    s->fieldErrors = {};
    return true;
}

QList<Submission> Outbox::claimDue(int max, QString *error)
{
    if (max <= 0)
        return {};
    const QString now = Database::storageTime(m_clock->now());
    // Under the write lock from the first read, so no other connection can
    // claim the same rows between this SELECT and the UPDATE.
    if (!m_db->beginWrite(error))
        return {};
    QList<qint64> ids;
    {
        QSqlQuery q(m_db->connection());
        q.prepare(SubmissionRow::withStates(
            u"SELECT id FROM submissions WHERE state = {Pending} AND next_attempt_at <= ?"
            " AND (? = '' OR account IS NULL OR account = ?)"
            " ORDER BY created_at, id LIMIT ?"_s));
        q.addBindValue(now);
        q.addBindValue(text(m_account));
        q.addBindValue(text(m_account));
        q.addBindValue(max);
        if (!m_db->exec(q, tr("Could not read the outbox"), error)) {
            m_db->rollback();
            return {};
        }
        while (q.next())
            ids << q.value(0).toLongLong();
    }
    QList<Submission> claimed;
    {
        QSqlQuery update(m_db->connection());
        update.prepare(SubmissionRow::withStates(
            u"UPDATE submissions SET state = {Sending}, attempts = attempts + 1,"
            " updated_at = ? WHERE id = ? AND state = {Pending}"_s));
        QSqlQuery select(m_db->connection());
        select.prepare(u"SELECT %1 FROM submissions WHERE id = ?"_s.arg(SubmissionRow::columns()));
        for (qint64 id : std::as_const(ids)) {
            update.addBindValue(now);
            update.addBindValue(id);
            select.addBindValue(id);
            if (!m_db->exec(update, tr("Could not update the outbox"), error)
                || !m_db->exec(select, tr("Could not read the outbox"), error)) {
                m_db->rollback();
                return {};
            }
            if (select.next())
                claimed << SubmissionRow::fromQuery(select);
            select.finish();
        }
    }
    if (!m_db->commit(error))
        return {};
    return claimed;
}

int Outbox::sendNow(QString *error)
{
    const QString now = Database::storageTime(m_clock->now());
    if (!m_db->beginWrite(error))
        return -1;
    QSqlQuery due(m_db->connection());
    due.prepare(SubmissionRow::withStates(
        u"UPDATE submissions SET next_attempt_at = ? WHERE state = {Pending}"
        " AND next_attempt_at > ? AND (? = '' OR account IS NULL OR account = ?)"_s));
    due.addBindValue(now);
    due.addBindValue(now);
    due.addBindValue(text(m_account));
    due.addBindValue(text(m_account));
    QSqlQuery failed(m_db->connection());
    const QList<ApiError> kinds = requeuedErrors();
    failed.prepare(SubmissionRow::withStates(
        u"UPDATE submissions SET state = {Pending}, updated_at = ?, next_attempt_at = ?"
        " WHERE state = {Failed} AND error_kind IN (%1)"
        " AND (? = '' OR account IS NULL OR account = ?)"_s.arg(
            QStringList(kinds.size(), u"?"_s).join(u", "_s))));
    failed.addBindValue(now);
    failed.addBindValue(now);
    for (const ApiError kind : kinds)
        failed.addBindValue(storedName(kind));
    failed.addBindValue(text(m_account));
    failed.addBindValue(text(m_account));
    const QString what = tr("Could not make the outbox due now");
    // QSQLITE asks SQLite for the changes of the connection's last statement,
    // so each count is read right after its own statement.
    if (!m_db->exec(due, what, error)) {
        m_db->rollback();
        return -1;
    }
    int count = due.numRowsAffected();
    if (!m_db->exec(failed, what, error)) {
        m_db->rollback();
        return -1;
    }
    count += failed.numRowsAffected();
    if (!m_db->commit(error))
        return -1;
    return count;
}

Outbox::Unsent Outbox::unsent()
{
    Unsent u;
    QSqlQuery q(m_db->connection());
    q.prepare(SubmissionRow::withStates(
        u"SELECT"
        " count(*) FILTER (WHERE state IN ({Pending}, {Sending})"
        "  AND (? = '' OR account IS NULL OR account = ?)),"
        " count(*) FILTER (WHERE state IN ({Pending}, {Sending})"
        "  AND ? <> '' AND account IS NOT NULL AND account <> ?),"
        " count(*) FILTER (WHERE state IN ({Failed}, {NeedsDecision})"
        "  AND (? = '' OR account IS NULL OR account = ?)),"
        " count(*) FILTER (WHERE state = {Failed} AND error_kind IN (?, ?)"
        "  AND (? = '' OR account IS NULL OR account = ?)),"
        " count(*) FILTER (WHERE state = {Sending}"
        "  AND (? = '' OR account IS NULL OR account = ?))"
        " FROM submissions WHERE state IN ({Pending}, {Sending}, {Failed}, {NeedsDecision})"_s));
    const QString account = text(m_account);
    const QVariantList values { account,
                                account,
                                account,
                                account,
                                account,
                                account,
                                storedName(ApiError::BadToken),
                                storedName(ApiError::NotAllowed),
                                account,
                                account,
                                account,
                                account };
    for (const QVariant &value : values)
        q.addBindValue(value);
    if (!m_db->exec(q, tr("Could not read the outbox"), nullptr) || !q.next())
        return u;
    u.waiting = q.value(0).toInt();
    u.waitingElsewhere = q.value(1).toInt();
    u.held = q.value(2).toInt();
    u.heldForToken = q.value(3).toInt();
    u.sending = q.value(4).toInt();
    u.ok = true;
    return u;
}

int Outbox::recoverInterrupted(QString *error)
{
    const QString now = Database::storageTime(m_clock->now());
    if (!m_db->beginWrite(error))
        return -1;
    // The attempt began when the row was claimed, which is its updated_at.
    QSqlQuery attempts(m_db->connection());
    attempts.prepare(SubmissionRow::withStates(
        u"INSERT INTO attempts (submission_id, started_at, finished_at, http_status,"
        " outcome, message)"
        " SELECT id, updated_at, ?, 0, ?, ? FROM submissions WHERE state = {Sending}"_s));
    attempts.addBindValue(now);
    attempts.addBindValue(OutcomeInterrupted);
    attempts.addBindValue(tr("The app stopped before the server answered; it will be sent again "
                             "with the same Idempotency-Key."));
    QSqlQuery q(m_db->connection());
    q.prepare(SubmissionRow::withStates(
        u"UPDATE submissions SET state = {Pending}, updated_at = ?, next_attempt_at = ?"
        " WHERE state = {Sending}"_s));
    q.addBindValue(now);
    q.addBindValue(now);
    const QString what = tr("Could not return interrupted submissions to the outbox");
    if (!m_db->exec(attempts, what, error) || !m_db->exec(q, what, error)) {
        m_db->rollback();
        return -1;
    }
    const int count = q.numRowsAffected();
    if (!m_db->commit(error))
        return -1;
    if (count > 0)
        qCInfo(lcStore) << count << "interrupted submission(s) back to pending";
    return count;
}

bool Outbox::apply(qint64 id, const QList<SubmissionState> &from, const Change &change,
                   QString *error)
{
    const QDateTime now = m_clock->now();
    if (!m_db->beginWrite(error))
        return false;
    auto refuse = [&](const QString &why) {
        m_db->rollback();
        qCWarning(lcStore) << "Submission" << id << why;
        if (error)
            *error = why;
        return false;
    };

    QString stateKey;
    QString claimedAt;
    {
        QSqlQuery q(m_db->connection());
        q.prepare(u"SELECT state, updated_at FROM submissions WHERE id = ?"_s);
        q.addBindValue(id);
        if (!m_db->exec(q, tr("Could not read the submission"), error)) {
            m_db->rollback();
            return false;
        }
        if (!q.next())
            return refuse(tr("Submission #%1 is not in the local store.").arg(id));
        stateKey = q.value(0).toString();
        claimedAt = q.value(1).toString();
    }
    const auto state = stateFromName(stateKey);
    if (!state || !from.contains(*state)) {
        return refuse(tr("Submission #%1 has changed in the meantime (it is now \"%2\"). "
                         "Refresh the list and try again.")
                          .arg(id)
                          .arg(stateKey));
    }
    // A row in flight was claimed at updated_at: that is when the attempt began.
    const QString startedAt
        = *state == SubmissionState::Sending ? claimedAt : Database::storageTime(now);

    QString sql = u"UPDATE submissions SET state = ?, updated_at = ?"_s;
    for (const auto &column : change.columns)
        sql += u", "_s + column.first + u" = ?"_s;
    sql += u" WHERE id = ?"_s;
    QSqlQuery update(m_db->connection());
    update.prepare(sql);
    update.addBindValue(stateName(change.to));
    update.addBindValue(Database::storageTime(now));
    for (const auto &column : change.columns)
        update.addBindValue(column.second);
    update.addBindValue(id);

    QSqlQuery attempt(m_db->connection());
    attempt.prepare(u"INSERT INTO attempts (submission_id, started_at, finished_at, http_status,"
                    " outcome, message) VALUES (?, ?, ?, ?, ?, ?)"_s);
    attempt.addBindValue(id);
    attempt.addBindValue(startedAt);
    attempt.addBindValue(Database::storageTime(now));
    attempt.addBindValue(change.httpStatus);
    attempt.addBindValue(change.outcome);
    attempt.addBindValue(text(change.message));

    const QString what = tr("Could not record what happened to submission #%1").arg(id);
    if (!m_db->exec(update, what, error) || !m_db->exec(attempt, what, error)) {
        m_db->rollback();
        return false;
    }
    return m_db->commit(error);
}

bool Outbox::markSent(qint64 id, qint64 serverId, int httpStatus, QString *error)
{
    Change c {
        SubmissionState::Sent, OutcomeSent, tr("Sent: candidate #%1").arg(serverId), httpStatus, {}
    };
    if (c.httpStatus == 0) {
        // The contract answers a create with 201 and an update with 200.
        const auto s = get(id);
        c.httpStatus = s && s->kind == SubmissionKind::Update ? 200 : 201;
    }
    c.columns = { { u"server_id"_s, serverId },
                  { u"last_error"_s, u""_s },
                  { u"error_kind"_s, storedName(ApiError::None) },
                  { u"field_errors_json"_s, u""_s } };
    return apply(id, { SubmissionState::Sending }, c, error);
}

bool Outbox::markRetry(qint64 id, const QDateTime &nextAttemptAt, const QString &message,
                       ApiError errorKind, int httpStatus, QString *error)
{
    Change c { SubmissionState::Pending, OutcomeRetry, message, httpStatus, {} };
    c.columns = { { u"next_attempt_at"_s, Database::storageTime(nextAttemptAt) },
                  { u"last_error"_s, text(message) },
                  { u"error_kind"_s, storedName(errorKind) },
                  { u"field_errors_json"_s, u""_s } };
    return apply(id, { SubmissionState::Sending }, c, error);
}

bool Outbox::markFailed(qint64 id, const QString &message, ApiError errorKind,
                        const FieldErrors &fieldErrors, int httpStatus, QString *error)
{
    Change c { SubmissionState::Failed, OutcomeFailed, message, httpStatus, {} };
    c.columns = { { u"last_error"_s, text(message) },
                  { u"error_kind"_s, storedName(errorKind) },
                  { u"field_errors_json"_s, SubmissionRow::fieldErrorsJson(fieldErrors) } };
    return apply(id, { SubmissionState::Sending }, c, error);
}

bool Outbox::markNeedsDecision(qint64 id, qint64 duplicateOf, const QString &message,
                               int httpStatus, QString *error)
{
    Change c { SubmissionState::NeedsDecision, OutcomeNeedsDecision, message, httpStatus, {} };
    c.columns = { { u"duplicate_of"_s, duplicateOf },
                  { u"last_error"_s, text(message) },
                  { u"error_kind"_s, storedName(ApiError::Duplicate) },
                  { u"field_errors_json"_s, u""_s } };
    return apply(id, { SubmissionState::Sending }, c, error);
}

bool Outbox::cancel(qint64 id, QString *error)
{
    Change c {
        SubmissionState::Cancelled, OutcomeCancelled, tr("Cancelled by the recruiter."), 0, {}
    };
    return apply(
        id, { SubmissionState::Pending, SubmissionState::Failed, SubmissionState::NeedsDecision },
        c, error);
}

bool Outbox::retry(qint64 id, QString *error)
{
    // idempotency_key is not touched: a create the server did receive
    // (its answer lost) is answered from the server's memory of that key.
    Change c {
        SubmissionState::Pending, OutcomeRequeued, tr("Queued again by the recruiter."), 0, {}
    };
    c.columns = { { u"next_attempt_at"_s, Database::storageTime(m_clock->now()) },
                  { u"last_error"_s, u""_s },
                  { u"error_kind"_s, storedName(ApiError::None) },
                  { u"field_errors_json"_s, u""_s } };
    return apply(
        id, { SubmissionState::Failed, SubmissionState::NeedsDecision, SubmissionState::Cancelled },
        c, error);
}

bool Outbox::convertToUpdate(qint64 id, qint64 targetId, const CandidateFields &changed,
                             QString *error)
{
    const auto s = get(id);
    if (s && s->kind != SubmissionKind::Create) {
        const QString why = tr("Submission #%1 is already an update.").arg(id);
        if (error)
            *error = why;
        return false;
    }
    Change c { SubmissionState::Pending,
               OutcomeConvertedToUpdate,
               tr("Will update candidate #%1 instead of creating a new one.").arg(targetId),
               0,
               {} };
    c.columns = { { u"kind"_s, kindName(SubmissionKind::Update) },
                  { u"target_id"_s, targetId },
                  { u"changed_fields"_s, SubmissionRow::changedFieldsKey(changed) },
                  { u"next_attempt_at"_s, Database::storageTime(m_clock->now()) },
                  { u"last_error"_s, u""_s },
                  { u"error_kind"_s, storedName(ApiError::None) },
                  { u"field_errors_json"_s, u""_s } };
    return apply(id, { SubmissionState::NeedsDecision }, c, error);
}

bool Outbox::verifyResume(const Submission &s) const
{
    return ResumeCopies::verify(s);
}

int Outbox::pruneFiles(QString *error)
{
    if (!QDir(filesDir()).exists())
        return 0;
    ResumeCopies::Judgement judgement;
    judgement.now = m_clock->now();
    judgement.graceMs = m_pruneGraceMs;
    judgement.partialGraceMs = m_pruneGraceMs * (PartialGraceMs / DefaultPruneGraceMs);
    // A damaged database kept aside may still name pending work, even where
    // its rows cannot be read: every folder it could name stays.
    judgement.keptAside = ResumeCopies::newestKeptAside(m_db->filePath());

    // Judged under the write lock: an enqueue in another process binds its
    // copy (renames "<uuid>.partial" to "<uuid>") inside its own write
    // transaction, so while this one holds the lock, every final folder
    // that is bound is named by a committed row. Folders are matched by
    // name, and only direct children of outbox-files are ever deleted: a
    // row's stored path is data, and data never decides what gets deleted.
    if (!m_db->beginWrite(error))
        return -1;
    QList<qint64> sent;
    {
        QSqlQuery q(m_db->connection());
        q.prepare(
            u"SELECT id, state, resume_copy FROM submissions WHERE resume_copy IS NOT NULL"_s);
        if (!m_db->exec(q, tr("Could not read the outbox"), error)) {
            m_db->rollback();
            return -1;
        }
        while (q.next()) {
            const QString folder = ResumeCopies::folderOf(q.value(2).toString());
            if (q.value(1).toString() == stateName(SubmissionState::Sent)) {
                sent.append(q.value(0).toLongLong());
                judgement.sent.insert(folder);
            } else {
                judgement.named.insert(folder);
            }
        }
    }
    // Forget a copy before deleting it. A crash in between leaves an unnamed
    // folder, which a later prune removes. The reverse order would leave
    // rows that name files that are gone.
    QSqlQuery forget(m_db->connection());
    forget.prepare(u"UPDATE submissions SET resume_copy = NULL WHERE id = ?"_s);
    for (qint64 id : std::as_const(sent)) {
        forget.addBindValue(id);
        if (!m_db->exec(forget, tr("Could not update the outbox"), error)) {
            m_db->rollback();
            return -1;
        }
    }
    const QStringList doomed = m_copies.doomed(judgement);
    if (!m_db->commit(error))
        return -1;
    return m_copies.remove(doomed);
}

} // namespace cdesk
