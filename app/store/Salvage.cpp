#include "Salvage.h"

#include "core/Clock.h"
#include "store/Database.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QUuid>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

const QString MarkPrefix = u"salvaged:"_s;

// The submissions columns of the current schema that are copied over, with
// whether a row without them is unusable. id is left to the new database.
struct Column
{
    QString name;
    bool required;
};

const QList<Column> &submissionColumns()
{
    static const QList<Column> columns = {
        { u"kind"_s, true },
        { u"target_id"_s, false },
        { u"changed_fields"_s, false },
        { u"candidate_json"_s, true },
        { u"idempotency_key"_s, true },
        { u"original_resume_name"_s, false },
        { u"resume_sha256"_s, false },
        { u"resume_copy"_s, false },
        { u"state"_s, true },
        { u"attempts"_s, false },
        { u"created_at"_s, true },
        { u"updated_at"_s, false },
        { u"next_attempt_at"_s, false },
        { u"server_id"_s, false },
        { u"duplicate_of"_s, false },
        { u"last_error"_s, false },
        { u"error_kind"_s, false },
        { u"field_errors_json"_s, false },
        { u"source"_s, false },
        { u"name"_s, true },
        { u"email"_s, true },
        { u"name_key"_s, false },
        { u"email_key"_s, false },
        { u"job_id"_s, false },
        { u"account"_s, false },
    };
    return columns;
}

// The ids of a table as far as SQLite can walk it: from the front, and when
// a damaged page stops that walk, from the back as well, so only the rows
// on and between damaged pages are missed.
QList<qint64> readableIds(const QSqlDatabase &source, const QString &table)
{
    QSet<qint64> ids;
    for (const QString &order : { u"ASC"_s, u"DESC"_s }) {
        QSqlQuery q(source);
        q.setForwardOnly(true);
        if (q.exec(u"SELECT id FROM %1 ORDER BY id %2"_s.arg(table, order))) {
            while (q.next())
                ids.insert(q.value(0).toLongLong());
        }
        if (!q.lastError().isValid())
            break; // the whole table was walked
    }
    QList<qint64> sorted(ids.begin(), ids.end());
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

// How many rows the table ever had ids for: AUTOINCREMENT's high mark.
qint64 highestId(const QSqlDatabase &source, const QString &table)
{
    QSqlQuery q(source);
    if (q.exec(u"SELECT seq FROM sqlite_sequence WHERE name = '%1'"_s.arg(table)) && q.next())
        return q.value(0).toLongLong();
    return -1;
}

QString text(const QVariant &v)
{
    return v.isNull() ? u""_s : v.toString();
}

// Copies the kept-aside file (and its log) into dir, so SQLite can open and
// replay it there without touching the file that is kept as it was.
QString workingCopy(const QString &keptAside, const QString &dir)
{
    const QString copy = QDir(dir).filePath(u"salvage.sqlite"_s);
    if (!QFile::copy(keptAside, copy))
        return {};
    if (QFileInfo::exists(keptAside + u"-wal"_s))
        QFile::copy(keptAside + u"-wal"_s, copy + u"-wal"_s);
    return copy;
}

} // namespace

QStringList Salvage::pending(Database *db)
{
    const QFileInfo file(db->filePath());
    // "<file>.corrupt-<UTC time>[-n]" sorts by time: reversed, newest first.
    QStringList kept = file.absoluteDir().entryList({ file.fileName() + u".corrupt-*"_s },
                                                    QDir::Files, QDir::Name | QDir::Reversed);
    kept.removeIf(
        [](const QString &name) { return name.endsWith(u"-wal"_s) || name.endsWith(u"-shm"_s); });
    QStringList due;
    QSqlQuery q(db->connection());
    q.prepare(u"SELECT count(*) FROM meta WHERE key = ?"_s);
    for (const QString &name : std::as_const(kept)) {
        q.addBindValue(QString(MarkPrefix + name));
        if (db->exec(q, tr("Could not read the local database"), nullptr) && q.next()
            && q.value(0).toInt() == 0)
            due << file.absoluteDir().filePath(name);
        q.finish();
    }
    return due;
}

SalvageReport Salvage::recover(Database *db, const QString &keptAside, Clock *clock)
{
    SalvageReport report;
    report.keptAs = keptAside;
    const QString now = Database::storageTime(clock->now());
    auto defer = [&](const QString &problem) {
        report.deferred = true;
        report.problem = problem;
        qCWarning(lcStore) << "Salvage of" << keptAside << "deferred:" << problem;
        return report;
    };

    QTemporaryDir scratch(QFileInfo(db->filePath()).absolutePath() + u"/salvage-XXXXXX"_s);
    const QString copy = scratch.isValid() ? workingCopy(keptAside, scratch.path()) : QString();
    if (copy.isEmpty()) // most likely a full disk: the next open tries again
        return defer(tr("there is no room to read it; free some disk space"));

    QString error;
    if (!db->beginWrite(&error))
        return defer(error);
    {
        // Another process may have salvaged it while this one waited for the lock.
        QSqlQuery done(db->connection());
        done.prepare(u"SELECT count(*) FROM meta WHERE key = ?"_s);
        done.addBindValue(QString(MarkPrefix + QFileInfo(keptAside).fileName()));
        if (!db->exec(done, tr("Could not read the local database"), &error) || !done.next()) {
            db->rollback();
            return defer(error);
        }
        if (done.value(0).toInt() > 0) {
            done.finish();
            db->rollback();
            report.opened = true;
            return report;
        }
    }

    const QString connectionName = u"cdesk-salvage-"_s + QUuid::createUuid().toString();
    bool written = true;
    {
        QSqlDatabase source = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
        source.setDatabaseName(copy);
        // SQLite opens any file; the first read tells whether it is a database.
        report.opened
            = source.open() && QSqlQuery(source).exec(u"SELECT count(*) FROM sqlite_master"_s);
        if (report.opened) {
            // Damaged pages must stop a read, never make one up.
            QSqlQuery(source).exec(u"PRAGMA cell_size_check = ON"_s);
            written = carryMarks(db, source, &error)
                && copySubmissions(db, source, keptAside, now, &report, &error)
                && copyDrafts(db, source, now, &report, &error);
        }
        if (written)
            written = mark(db, keptAside, now, report, &error);
        source.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    if (!written) {
        db->rollback();
        return defer(error);
    }
    if (!db->commit(&error))
        return defer(error);
    qCWarning(lcStore) << "Salvaged" << report.submissions << "submission(s)," << report.drafts
                       << "draft(s) from" << keptAside << "; unreadable:" << report.unreadable;
    return report;
}

bool Salvage::carryMarks(Database *db, const QSqlDatabase &source, QString *error)
{
    // The older damaged files this one had already read back are done: their
    // rows are in it, in a later state. (A file from before marks existed
    // has no meta table rows of this kind: nothing to carry.)
    QSqlQuery marks(source);
    if (!marks.exec(u"SELECT key, value FROM meta WHERE key LIKE 'salvaged:%'"_s))
        return true;
    QSqlQuery carry(db->connection());
    carry.prepare(u"INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)"_s);
    while (marks.next()) {
        carry.addBindValue(marks.value(0).toString());
        carry.addBindValue(marks.value(1).toString());
        if (!db->exec(carry, tr("Could not recover the submissions"), error))
            return false;
    }
    return true;
}

bool Salvage::copySubmissions(Database *db, const QSqlDatabase &source, const QString &keptAside,
                              const QString &now, SalvageReport *report, QString *error)
{
    const QList<qint64> ids = readableIds(source, u"submissions"_s);
    report->unreadable = int(qMax<qint64>(0, highestId(source, u"submissions"_s) - ids.size()));

    QStringList names;
    for (const Column &c : submissionColumns())
        names << c.name;
    // A row already here (the same Idempotency-Key, from a newer file) stays
    // as it is. Any refusal of the new schema's rules is damage, counted.
    QSqlQuery known(db->connection());
    known.prepare(u"SELECT count(*) FROM submissions WHERE idempotency_key = ?"_s);
    QSqlQuery insert(db->connection());
    insert.prepare(u"INSERT INTO submissions (%1) VALUES (%2)"_s.arg(
        names.join(u", "_s), QStringList(names.size(), u"?"_s).join(u", "_s)));
    QSqlQuery attempt(db->connection());
    attempt.prepare(u"INSERT INTO attempts (submission_id, started_at, finished_at,"
                    " http_status, outcome, message) VALUES (?, ?, ?, 0, 'recovered', ?)"_s);
    const QString recoveredNote = tr("Recovered from the damaged local database kept as %1.")
                                      .arg(QDir::toNativeSeparators(keptAside));
    QSqlQuery read(source);
    read.prepare(u"SELECT * FROM submissions WHERE id = ?"_s);
    for (qint64 id : ids) {
        read.addBindValue(id);
        if (!read.exec() || !read.next()) {
            read.finish();
            ++report->unreadable;
            continue;
        }
        const QSqlRecord row = read.record();
        read.finish();
        QVariantList values;
        bool usable = true;
        QString state;
        for (const Column &c : submissionColumns()) {
            QVariant v = row.indexOf(c.name) >= 0 ? row.value(c.name) : QVariant();
            if (c.required && (v.isNull() || text(v).isEmpty()))
                usable = false;
            if (c.name == u"state"_s) {
                state = text(v);
                // In flight when the file was damaged: sent again with the same key.
                if (state == u"sending"_s)
                    v = u"pending"_s;
            } else if (c.name == u"next_attempt_at"_s || c.name == u"updated_at"_s) {
                if (state == u"sending"_s || state == u"pending"_s || v.isNull())
                    v = now;
            } else if (c.name == u"name_key"_s || c.name == u"email_key"_s) {
                if (v.isNull()) // an old schema without them: search by the plain text
                    v = text(row.value(c.name == u"name_key"_s ? u"name"_s : u"email"_s))
                            .toCaseFolded();
            } else if (c.name == u"attempts"_s) {
                if (v.isNull())
                    v = 0;
            } else if (!c.required && v.isNull() && c.name != u"target_id"_s
                       && c.name != u"resume_copy"_s && c.name != u"server_id"_s
                       && c.name != u"duplicate_of"_s && c.name != u"job_id"_s
                       && c.name != u"account"_s) {
                v = u""_s; // a NOT NULL text column an old schema did not have
            }
            values << v;
        }
        if (!usable) {
            ++report->unreadable;
            continue;
        }
        known.addBindValue(text(row.value(u"idempotency_key"_s)));
        if (!db->exec(known, tr("Could not recover the submissions"), error) || !known.next())
            return false;
        const bool alreadyHere = known.value(0).toInt() > 0;
        known.finish();
        if (alreadyHere)
            continue;
        for (const QVariant &v : std::as_const(values))
            insert.addBindValue(v);
        QString insertError;
        if (!db->exec(insert, tr("Could not recover the submissions"), &insertError)) {
            bool ok = false;
            const int code = insert.lastError().nativeErrorCode().toInt(&ok) & 0xff;
            constexpr int SqliteConstraint = 19;
            if (ok && code == SqliteConstraint) {
                ++report->unreadable; // a garbled state, say
                continue;
            }
            // The new database's trouble, not the row's: stop, try again next open.
            *error = insertError;
            return false;
        }
        attempt.addBindValue(insert.lastInsertId());
        attempt.addBindValue(now);
        attempt.addBindValue(now);
        attempt.addBindValue(recoveredNote);
        if (!db->exec(attempt, tr("Could not recover the submissions"), error))
            return false;
        ++report->submissions;
        if (state != u"sent"_s && state != u"cancelled"_s)
            ++report->unsent;
    }
    return true;
}

bool Salvage::copyDrafts(Database *db, const QSqlDatabase &source, const QString &now,
                         SalvageReport *report, QString *error)
{
    QSqlQuery draftInsert(db->connection());
    draftInsert.prepare(u"INSERT INTO drafts (candidate_json, extra_json, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?)"_s);
    QSqlQuery draftRead(source);
    draftRead.prepare(u"SELECT candidate_json, extra_json, created_at, updated_at"
                      " FROM drafts WHERE id = ?"_s);
    for (qint64 id : readableIds(source, u"drafts"_s)) {
        draftRead.addBindValue(id);
        if (!draftRead.exec() || !draftRead.next() || draftRead.value(0).isNull()) {
            draftRead.finish();
            ++report->unreadable;
            continue;
        }
        draftInsert.addBindValue(text(draftRead.value(0)));
        draftInsert.addBindValue(draftRead.value(1).isNull() ? u"{}"_s : text(draftRead.value(1)));
        draftInsert.addBindValue(draftRead.value(2).isNull() ? now : text(draftRead.value(2)));
        draftInsert.addBindValue(draftRead.value(3).isNull() ? now : text(draftRead.value(3)));
        draftRead.finish();
        if (!db->exec(draftInsert, tr("Could not recover the drafts"), error))
            return false;
        ++report->drafts;
    }
    return true;
}

bool Salvage::mark(Database *db, const QString &keptAside, const QString &now,
                   const SalvageReport &report, QString *error)
{
    QSqlQuery mark(db->connection());
    mark.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s);
    mark.addBindValue(QString(MarkPrefix + QFileInfo(keptAside).fileName()));
    mark.addBindValue(
        QString::fromUtf8(QJsonDocument(QJsonObject { { u"at"_s, now },
                                                      { u"opened"_s, report.opened },
                                                      { u"submissions"_s, report.submissions },
                                                      { u"unsent"_s, report.unsent },
                                                      { u"drafts"_s, report.drafts },
                                                      { u"unreadable"_s, report.unreadable } })
                              .toJson(QJsonDocument::Compact)));
    return db->exec(mark, tr("Could not recover the submissions"), error);
}

QString Salvage::describe(const QList<SalvageReport> &reports)
{
    QStringList parts;
    for (const SalvageReport &r : reports) {
        const QString kept = QDir::toNativeSeparators(r.keptAs);
        if (r.deferred) {
            parts << tr("The local database was damaged and is kept as %1. What it holds could not "
                        "be read back now (%2); that is tried again the next time Candidate Desk "
                        "starts, and nothing in it is deleted.")
                         .arg(kept, r.problem);
            continue;
        }
        if (!r.opened) {
            parts << tr("The local database was damaged beyond reading. It is kept as %1, and a "
                        "new one was started. The resume copies of what was waiting to be sent "
                        "are kept in the outbox folder; enter those candidates again.")
                         .arg(kept);
            continue;
        }
        QString part = tr("The local database was damaged. It is kept as %1, and a new one was "
                          "started with what could be read from it: %n submission(s)",
                          nullptr, r.submissions)
                           .arg(kept);
        part += tr(" (%n still to send or decide on; waiting ones are sent by themselves)", nullptr,
                   r.unsent);
        part += tr(" and %n draft(s).", nullptr, r.drafts);
        if (r.unreadable > 0)
            part += u' '
                + tr("%n record(s) could not be read. Their resume copies are kept in the outbox "
                     "folder; check the history and enter missing candidates again.",
                     nullptr, r.unreadable);
        parts << part;
    }
    return parts.join(u"\n\n"_s);
}

} // namespace cdesk
