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
    QStringList kept = file.absoluteDir().entryList({ file.fileName() + u".corrupt-*"_s },
                                                    QDir::Files, QDir::Name);
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

bool Salvage::recover(Database *db, const QString &keptAside, Clock *clock, SalvageReport *report,
                      QString *error)
{
    *report = {};
    report->keptAs = keptAside;
    const QString now = Database::storageTime(clock->now());

    QTemporaryDir scratch(QFileInfo(db->filePath()).absolutePath() + u"/salvage-XXXXXX"_s);
    const QString copy = scratch.isValid() ? workingCopy(keptAside, scratch.path()) : QString();
    const QString connectionName = u"cdesk-salvage-"_s + QUuid::createUuid().toString();

    if (!db->beginWrite(error))
        return false;
    {
        // Another process may have salvaged it while this one waited for the lock.
        QSqlQuery done(db->connection());
        done.prepare(u"SELECT count(*) FROM meta WHERE key = ?"_s);
        done.addBindValue(QString(MarkPrefix + QFileInfo(keptAside).fileName()));
        if (!db->exec(done, tr("Could not read the local database"), error) || !done.next()) {
            db->rollback();
            return false;
        }
        if (done.value(0).toInt() > 0) {
            done.finish();
            db->rollback();
            report->opened = true;
            return true;
        }
    }
    bool written = true;
    {
        QSqlDatabase source = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
        source.setDatabaseName(copy);
        // SQLite opens any file; the first read tells whether it is a database.
        report->opened = !copy.isEmpty() && source.open()
            && QSqlQuery(source).exec(u"SELECT count(*) FROM sqlite_master"_s);
        if (report->opened) {
            // Damaged pages must stop a read, never make one up.
            QSqlQuery(source).exec(u"PRAGMA cell_size_check = ON"_s);
        }
        QList<qint64> ids;
        if (report->opened)
            ids = readableIds(source, u"submissions"_s);
        report->unreadable = report->opened
            ? int(qMax<qint64>(0, highestId(source, u"submissions"_s) - ids.size()))
            : -1;

        QStringList names;
        for (const Column &c : submissionColumns())
            names << c.name;
        QSqlQuery insert(db->connection());
        insert.prepare(u"INSERT OR IGNORE INTO submissions (%1) VALUES (%2)"_s.arg(
            names.join(u", "_s), QStringList(names.size(), u"?"_s).join(u", "_s)));
        QSqlQuery attempt(db->connection());
        attempt.prepare(u"INSERT INTO attempts (submission_id, started_at, finished_at,"
                        " http_status, outcome, message) VALUES (?, ?, ?, 0, 'recovered', ?)"_s);
        const QString recoveredNote = tr("Recovered from the damaged local database kept as %1.")
                                          .arg(QDir::toNativeSeparators(keptAside));
        QSqlQuery read(source);
        read.prepare(u"SELECT * FROM submissions WHERE id = ?"_s);
        for (qint64 id : std::as_const(ids)) {
            read.addBindValue(id);
            if (!read.exec() || !read.next()) {
                read.finish();
                ++report->unreadable;
                continue;
            }
            const QSqlRecord row = read.record();
            read.finish();
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
                } else if (c.name == u"attempts"_s || c.name == u"changed_fields"_s
                           || c.name == u"original_resume_name"_s || c.name == u"resume_sha256"_s
                           || c.name == u"last_error"_s || c.name == u"error_kind"_s
                           || c.name == u"field_errors_json"_s || c.name == u"source"_s) {
                    if (v.isNull())
                        v = c.name == u"attempts"_s ? QVariant(0) : QVariant(u""_s);
                }
                insert.addBindValue(v);
            }
            if (!usable) {
                insert.finish();
                ++report->unreadable;
                continue;
            }
            // A row that breaks the new schema's rules is damage too; it does
            // not stop the rest. Any other failure is the new database's, and
            // stops the salvage so that it runs again at the next open.
            QString insertError;
            if (!db->exec(insert, tr("Could not recover the submissions"), &insertError)) {
                bool ok = false;
                const int code = insert.lastError().nativeErrorCode().toInt(&ok) & 0xff;
                constexpr int SqliteConstraint = 19;
                if (!ok || code != SqliteConstraint) {
                    *error = insertError;
                    written = false;
                    break;
                }
                ++report->unreadable;
                continue;
            }
            if (insert.numRowsAffected() != 1)
                continue; // already here (the same Idempotency-Key)
            attempt.addBindValue(insert.lastInsertId());
            attempt.addBindValue(now);
            attempt.addBindValue(now);
            attempt.addBindValue(recoveredNote);
            if (!db->exec(attempt, tr("Could not recover the submissions"), error)) {
                written = false;
                break;
            }
            ++report->submissions;
            if (state != u"sent"_s && state != u"cancelled"_s)
                ++report->unsent;
        }

        if (written && report->opened) {
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
                draftInsert.addBindValue(draftRead.value(1).isNull() ? u"{}"_s
                                                                     : text(draftRead.value(1)));
                draftInsert.addBindValue(draftRead.value(2).isNull() ? now
                                                                     : text(draftRead.value(2)));
                draftInsert.addBindValue(draftRead.value(3).isNull() ? now
                                                                     : text(draftRead.value(3)));
                draftRead.finish();
                if (!db->exec(draftInsert, tr("Could not recover the drafts"), error)) {
                    written = false;
                    break;
                }
                ++report->drafts;
            }
        }
        if (written) {
            QSqlQuery mark(db->connection());
            mark.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"_s);
            mark.addBindValue(QString(MarkPrefix + QFileInfo(keptAside).fileName()));
            mark.addBindValue(QString::fromUtf8(
                QJsonDocument(QJsonObject { { u"at"_s, now },
                                            { u"opened"_s, report->opened },
                                            { u"submissions"_s, report->submissions },
                                            { u"unsent"_s, report->unsent },
                                            { u"drafts"_s, report->drafts },
                                            { u"unreadable"_s, report->unreadable } })
                    .toJson(QJsonDocument::Compact)));
            written = db->exec(mark, tr("Could not recover the submissions"), error);
        }
        source.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    if (!written) {
        db->rollback();
        return false;
    }
    if (!db->commit(error))
        return false;
    qCWarning(lcStore) << "Salvaged" << report->submissions << "submission(s)," << report->drafts
                       << "draft(s) from" << keptAside << "; unreadable:" << report->unreadable;
    return true;
}

QString Salvage::describe(const QList<SalvageReport> &reports)
{
    QStringList parts;
    for (const SalvageReport &r : reports) {
        const QString kept = QDir::toNativeSeparators(r.keptAs);
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
