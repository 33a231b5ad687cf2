#include "Database.h"

#include "core/Clock.h"
#include "store/Schema.h"
#include "store/StoreStatus.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QThread>
#include <QUrl>
#include <QUuid>
#include <QVariant>

#include <cerrno>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

Q_LOGGING_CATEGORY(lcStore, "cdesk.store")

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// SQLite's primary result codes for a damaged file (sqlite3.h).
constexpr int SqliteCorrupt = 11;
constexpr int SqliteNotADatabase = 26;
constexpr int SqliteFull = 13;
constexpr int SqliteBusy = 5;
constexpr int SqliteLocked = 6;
constexpr int SqliteReadOnly = 8;
constexpr int SqliteIoError = 10;
constexpr int SqliteCantOpen = 14;

bool isWrite(const QString &sql)
{
    const QString s = sql.trimmed();
    for (const auto &verb : { "BEGIN", "COMMIT", "INSERT", "UPDATE", "DELETE", "REPLACE" }) {
        if (s.startsWith(QLatin1StringView(verb), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

Database::Database(QString filePath, Clock *clock)
    : m_filePath(std::move(filePath))
    , m_clock(clock)
{ }

Database::~Database()
{
    close();
}

int Database::latestSchemaVersion()
{
    return int(schemaMigrations().size());
}

bool Database::isOpen() const
{
    return !m_connectionName.isEmpty() && connection().isOpen();
}

QSqlDatabase Database::connection() const
{
    Q_ASSERT_X(m_thread == nullptr || m_thread == QThread::currentThread(), "Database",
               "a connection is used only by the thread that opened it");
    return QSqlDatabase::database(m_connectionName, false);
}

bool Database::open(QString *error)
{
    close();
    m_recoveredFrom.clear();

    const QFileInfo info(m_filePath);
    if (!QDir().mkpath(info.absolutePath())) {
        *error = tr("Could not create the data folder %1. Check that you may write there.")
                     .arg(QDir::toNativeSeparators(info.absolutePath()));
        return false;
    }

    // Judge the file before any read-write connection exists. Closing a
    // read-write connection checkpoints the WAL into the main file and deletes
    // the WAL. Done to a damaged file, that would change the very files the
    // backup must keep as they were.
    Outcome outcome = inspect(error);
    if (outcome == Outcome::Ok)
        outcome = openConnection(error);
    if (outcome == Outcome::Corrupt && !m_mayRepair) {
        // Another copy of the app has the file open and would go on writing
        // into it after it was moved aside, where nobody reads it back.
        qCWarning(lcStore) << "Database" << m_filePath << "is damaged:" << *error;
        closeConnection();
        *error = tr("The local database %1 is damaged (%2). Another Candidate Desk is using it: "
                    "close every Candidate Desk, then start again. The damaged file will be kept, "
                    "and what can still be read in it brought back.")
                     .arg(QDir::toNativeSeparators(m_filePath), *error);
        return false;
    }
    if (outcome == Outcome::Corrupt) {
        qCWarning(lcStore) << "Database" << m_filePath << "is damaged:" << *error;
        closeConnection();
        if (!moveAside(error))
            return false;
        outcome = openConnection(error);
        if (outcome == Outcome::Corrupt) {
            // A new, empty file is damaged too. Moving that aside again would
            // not help: the disk or the folder is the problem.
            *error = tr("The local database %1 was damaged and was moved to %2, but a new one "
                        "could not be created either (%3). Check the disk, then start the app "
                        "again.")
                         .arg(QDir::toNativeSeparators(m_filePath),
                              QDir::toNativeSeparators(m_recoveredFrom), *error);
            outcome = Outcome::Failed;
        }
    }
    if (outcome != Outcome::Ok) {
        closeConnection();
        return false;
    }
    // Opening only reads: a file this process cannot write shows at the
    // first save. Say it now, while nothing has been typed in vain.
    if (const QString problem = writeProblem(); !problem.isEmpty()) {
        qCWarning(lcStore) << "Cannot write" << m_filePath << ":" << problem;
        if (m_status)
            m_status->reportFailure(problem);
    }
    return true;
}

bool Database::probeWrite()
{
    if (!isOpen() || !beginWrite(nullptr))
        return false;
    QSqlQuery q(connection());
    q.prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES ('last_write_check', ?)"_s);
    q.addBindValue(storageTime(m_clock->now()));
    if (!exec(q, tr("Could not save to the local database"), nullptr)) {
        rollback();
        return false;
    }
    return commit(nullptr);
}

void Database::setBusyTimeout(int ms)
{
    m_busyTimeoutMs = qMax(0, ms);
    if (isOpen())
        exec(u"PRAGMA busy_timeout=%1"_s.arg(m_busyTimeoutMs), tr("Could not set the busy timeout"),
             nullptr);
}

QString Database::writeProblem() const
{
#ifdef Q_OS_UNIX
    const QFileInfo file(m_filePath);
    const QString folder = file.absolutePath();
    const QStringList paths
        = { folder, m_filePath, m_filePath + u"-wal"_s, m_filePath + u"-shm"_s };
    for (const QString &path : paths) {
        if (!QFileInfo::exists(path) || ::access(QFile::encodeName(path).constData(), W_OK) == 0)
            continue;
        const QString name = QDir::toNativeSeparators(path);
        if (errno == EROFS && path == folder)
            return tr("The data folder %1 is on a disk that is mounted read-only, so nothing can "
                      "be saved. Ask IT to make it writable, or start Candidate Desk with a data "
                      "folder that is.")
                .arg(QDir::toNativeSeparators(folder));
        if (path == folder)
            return tr("The data folder %1 cannot be written by you, so nothing can be saved. "
                      "Give yourself write access to it.")
                .arg(name);
        if (path.endsWith(u"-shm"_s) || path.endsWith(u"-wal"_s))
            return tr("The file %1 cannot be written by you, so nothing can be saved. It was "
                      "probably left by Candidate Desk or another program run as another user. "
                      "Close every Candidate Desk, then delete that file or give yourself write "
                      "access to it; your data is in %2 and stays.")
                .arg(name, QDir::toNativeSeparators(m_filePath));
        return tr("The local database %1 cannot be written by you, so nothing can be saved. Give "
                  "yourself write access to it.")
            .arg(name);
    }
#endif
    return {};
}

bool Database::canOnlyRead() const
{
#ifdef Q_OS_UNIX
    // SQLite opens a WAL database only with a -shm it can use or create. In
    // a folder this process cannot write, after a clean close (no -wal, no
    // -shm), it can do neither, and fails with "unable to open database
    // file". Nothing can change the file there either, so it is opened as
    // immutable: the history still reads, and every write says why not.
    const QString folder = QFileInfo(m_filePath).absolutePath();
    return QFileInfo::exists(m_filePath) && !QFileInfo::exists(m_filePath + u"-wal"_s)
        && !QFileInfo::exists(m_filePath + u"-shm"_s)
        && ::access(QFile::encodeName(folder).constData(), W_OK) != 0;
#else
    return false;
#endif
}

void Database::setFileName(QSqlDatabase &db)
{
    m_readOnly = canOnlyRead();
    if (!m_readOnly) {
        db.setDatabaseName(m_filePath);
        return;
    }
    db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"_s);
    db.setDatabaseName(QUrl::fromLocalFile(m_filePath).toString(QUrl::FullyEncoded)
                       + u"?immutable=1"_s);
}

Database::Outcome Database::openConnection(QString *error)
{
    // Unique per object, and the thread is in it too. QSqlDatabase keeps
    // connections in a global registry, and a name reused from another
    // thread would hand that thread's connection to this one.
    m_thread = QThread::currentThread();
    m_connectionName
        = u"cdesk-store-%1-%2"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces),
                                     QString::number(reinterpret_cast<quintptr>(m_thread), 16));
    auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    setFileName(db);
    if (!db.open()) {
        *error = explain(
            tr("Could not open the local database %1").arg(QDir::toNativeSeparators(m_filePath)),
            db.lastError());
        return isCorruption(db.lastError()) ? Outcome::Corrupt : Outcome::Failed;
    }
    Outcome outcome = configure(error);
    if (outcome == Outcome::Ok)
        outcome = migrate(error);
    return outcome;
}

Database::Outcome Database::inspect(QString *error)
{
    QFile file(m_filePath);
    if (!file.exists() || file.size() == 0)
        return Outcome::Ok; // a new database
    // Every SQLite 3 file starts with this. Anything else is not ours to open:
    // SQLite would say "file is not a database" only after it had made its -shm.
    static constexpr char Magic[] = "SQLite format 3";
    if (file.open(QIODevice::ReadOnly)) {
        if (file.read(sizeof Magic) != QByteArrayView(Magic, sizeof Magic)) {
            *error = tr("%1 is not a database file").arg(QDir::toNativeSeparators(m_filePath));
            return Outcome::Corrupt;
        }
        file.close();
    } // unreadable: SQLite's open below says why, in its words

    const QString name = u"cdesk-check-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    Outcome outcome = Outcome::Ok;
    {
        auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        // Read-only: it cannot checkpoint or delete the WAL when it closes.
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        setFileName(db);
        if (db.open()) {
            outcome = checkIntegrity(db, error);
            db.close();
        } else {
            *error = explain(tr("Could not open the local database %1")
                                 .arg(QDir::toNativeSeparators(m_filePath)),
                             db.lastError());
            outcome = isCorruption(db.lastError()) ? Outcome::Corrupt : Outcome::Failed;
        }
    }
    QSqlDatabase::removeDatabase(name);
    return outcome;
}

Database::Outcome Database::configure(QString *error)
{
    QSqlQuery q(connection());
    const QString what
        = tr("Could not prepare the local database %1").arg(QDir::toNativeSeparators(m_filePath));

    // journal_mode answers with the mode it ended up in. Some file systems,
    // such as network shares without shared memory, keep "delete". That is
    // still crash-safe with synchronous=FULL, so it gets a warning, not a refusal.
    if (!q.exec(m_readOnly ? u"PRAGMA journal_mode"_s : u"PRAGMA journal_mode=WAL"_s)
        || !q.next()) {
        *error = explain(what, q.lastError());
        return isCorruption(q.lastError()) ? Outcome::Corrupt : Outcome::Failed;
    }
    if (!m_readOnly && q.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0)
        qCWarning(lcStore) << "SQLite kept journal_mode" << q.value(0).toString() << "for"
                           << m_filePath;
    q.finish();

    for (const QString &pragma : { u"PRAGMA synchronous=FULL"_s, u"PRAGMA foreign_keys=ON"_s,
                                   u"PRAGMA busy_timeout=%1"_s.arg(m_busyTimeoutMs) }) {
        if (!q.exec(pragma)) {
            *error = explain(what, q.lastError());
            return isCorruption(q.lastError()) ? Outcome::Corrupt : Outcome::Failed;
        }
        q.finish();
    }
    // The outbox's cascades depend on foreign keys, and a build of SQLite
    // without them ignores the pragma without a word.
    if (!q.exec(u"PRAGMA foreign_keys"_s) || !q.next() || q.value(0).toInt() != 1) {
        *error = tr("%1: this SQLite does not enforce foreign keys.").arg(what);
        return Outcome::Failed;
    }
    return Outcome::Ok;
}

Database::Outcome Database::checkIntegrity(const QSqlDatabase &db, QString *error) const
{
    // quick_check reads every page but skips the slow index-content checks
    // of integrity_check. It finds torn pages and garbage, and that is what
    // a crash or a failing disk leaves.
    QSqlQuery q(db);
    if (!q.exec(u"PRAGMA quick_check"_s)) {
        *error = explain(tr("The local database %1 could not be checked")
                             .arg(QDir::toNativeSeparators(m_filePath)),
                         q.lastError());
        return isCorruption(q.lastError()) ? Outcome::Corrupt : Outcome::Failed;
    }
    QStringList problems;
    while (q.next())
        problems << q.value(0).toString();
    if (problems == QStringList { u"ok"_s })
        return Outcome::Ok;
    if (problems.isEmpty() && q.lastError().isValid()) {
        *error = explain(tr("The local database %1 could not be checked")
                             .arg(QDir::toNativeSeparators(m_filePath)),
                         q.lastError());
        return isCorruption(q.lastError()) ? Outcome::Corrupt : Outcome::Failed;
    }
    *error = tr("The local database %1 is damaged: %2")
                 .arg(QDir::toNativeSeparators(m_filePath), problems.mid(0, 3).join(u"; "_s));
    return Outcome::Corrupt;
}

Database::Outcome Database::migrate(QString *error)
{
    const auto all = schemaMigrations();
    QSqlQuery q(connection());
    const QString what = tr("Could not update the local database %1 to this version of the app")
                             .arg(QDir::toNativeSeparators(m_filePath));
    auto failed = [&](const QSqlError &sqlError) {
        *error = explain(what, sqlError);
        return isCorruption(sqlError) ? Outcome::Corrupt : Outcome::Failed;
    };

    // The common case, an up-to-date file, reads the version without taking
    // the write lock.
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return failed(q.lastError());
    m_schemaVersion = q.value(0).toInt();
    q.finish();
    if (m_schemaVersion == int(all.size()))
        return Outcome::Ok;

    for (int next = 1; next <= int(all.size()); ++next) {
        // Read user_version under the write lock. Another connection may have
        // migrated while this one waited, so a version read before the lock is stale.
        if (!q.exec(u"BEGIN IMMEDIATE"_s))
            return failed(q.lastError());
        if (!q.exec(u"PRAGMA user_version"_s) || !q.next()) {
            const QSqlError sqlError = q.lastError();
            rollback();
            return failed(sqlError);
        }
        const int version = q.value(0).toInt();
        q.finish();
        if (version > int(all.size())) {
            rollback();
            *error = tr("The local database %1 was written by a newer version of Candidate Desk "
                        "(schema %2; this version knows up to %3). Update the app to open it.")
                         .arg(QDir::toNativeSeparators(m_filePath))
                         .arg(version)
                         .arg(all.size());
            return Outcome::Failed;
        }
        if (version >= next) {
            rollback();
            continue;
        }
        for (const QString &sql : all.at(next - 1)) {
            if (!q.exec(sql)) {
                const QSqlError sqlError = q.lastError();
                rollback();
                return failed(sqlError);
            }
        }
        // user_version lives in the file header, and it is written by the
        // same transaction as the tables. A crash leaves either both or neither.
        if (!q.exec(u"PRAGMA user_version = %1"_s.arg(next))) {
            const QSqlError sqlError = q.lastError();
            rollback();
            return failed(sqlError);
        }
        if (!q.exec(u"COMMIT"_s)) {
            const QSqlError sqlError = q.lastError();
            rollback();
            return failed(sqlError);
        }
        qCInfo(lcStore) << "Migrated" << m_filePath << "to schema version" << next;
    }

    if (!q.exec(u"PRAGMA user_version"_s) || !q.next())
        return failed(q.lastError());
    m_schemaVersion = q.value(0).toInt();
    return Outcome::Ok;
}

void Database::close()
{
    closeConnection();
    m_schemaVersion = 0;
}

void Database::closeConnection()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
    m_thread = nullptr;
}

bool Database::moveAside(QString *error)
{
    const QString stamp = m_clock->now().toUTC().toString(u"yyyyMMdd'T'HHmmss'Z'"_s);
    QString backup = m_filePath + u".corrupt-"_s + stamp;
    for (int n = 2; QFileInfo::exists(backup) || QFileInfo::exists(backup + u"-wal"_s); ++n)
        backup = m_filePath + u".corrupt-"_s + stamp + u'-' + QString::number(n);

    // The main file first: if it cannot move, nothing has changed. Then its
    // -wal. It must move too, or SQLite would replay the damaged log into the
    // new file. The backup keeps SQLite's naming, so "<backup>" opens with its log.
    const QString damage = *error;
    if (!QFile::rename(m_filePath, backup)) {
        *error = tr("The local database %1 is damaged (%2) and could not be moved aside. Move "
                    "or rename it yourself, then start the app again; it will make a new one.")
                     .arg(QDir::toNativeSeparators(m_filePath), damage);
        return false;
    }
    for (const QString &suffix : { u"-wal"_s, u"-shm"_s }) {
        if (QFileInfo::exists(m_filePath + suffix)
            && !QFile::rename(m_filePath + suffix, backup + suffix)) {
            *error = tr("The local database %1 is damaged (%2). It was moved to %3, but its "
                        "file %4 could not be moved. Move it next to %3 yourself, then start "
                        "the app again.")
                         .arg(QDir::toNativeSeparators(m_filePath), damage,
                              QDir::toNativeSeparators(backup),
                              QDir::toNativeSeparators(m_filePath + suffix));
            return false;
        }
    }
    m_recoveredFrom = backup;
    qCWarning(lcStore) << "Moved the damaged database to" << backup;
    return true;
}

bool Database::isCorruption(const QSqlError &sqlError)
{
    bool ok = false;
    const int code = sqlError.nativeErrorCode().toInt(&ok);
    // Extended codes keep the primary code in the low byte.
    if (ok && ((code & 0xff) == SqliteCorrupt || (code & 0xff) == SqliteNotADatabase))
        return true;
    const QString text = sqlError.databaseText();
    return text.contains(u"file is not a database"_s)
        || text.contains(u"database disk image is malformed"_s);
}

bool Database::exec(QSqlQuery &query, const QString &what, QString *error) const
{
    if (injectFault(query.lastQuery(), what, error))
        return false;
    if (query.exec()) {
        succeeded(query.lastQuery());
        return true;
    }
    failed(query.lastQuery(), what, query.lastError(), error);
    return false;
}

bool Database::exec(const QString &sql, const QString &what, QString *error) const
{
    if (injectFault(sql, what, error))
        return false;
    QSqlQuery q(connection());
    if (q.exec(sql)) {
        succeeded(sql);
        return true;
    }
    failed(sql, what, q.lastError(), error);
    return false;
}

bool Database::injectFault(const QString &sql, const QString &what, QString *error) const
{
    if (!m_faultInjector || !m_faultInjector(sql))
        return false;
    failed(sql, what,
           QSqlError(u"disk I/O error (injected by a test)"_s,
                     u"disk I/O error (injected by a test)"_s, QSqlError::StatementError,
                     QString::number(SqliteIoError)),
           error);
    return true;
}

void Database::failed(const QString &sql, const QString &what, const QSqlError &sqlError,
                      QString *error) const
{
    qCWarning(lcStore) << what << sqlError.text() << sql;
    const QString text = explain(what, sqlError);
    if (error)
        *error = text;
    if (m_status && isWrite(sql))
        m_status->reportFailure(text);
}

void Database::succeeded(const QString &sql) const
{
    const QString s = sql.trimmed();
    if (s.startsWith(u"BEGIN"_s, Qt::CaseInsensitive)) {
        m_wroteInTransaction = false;
    } else if (s.startsWith(u"COMMIT"_s, Qt::CaseInsensitive)) {
        // Only a COMMIT that carried a change proves the store can be written:
        // one that only read (an outbox look that claimed nothing) commits
        // even on a full disk.
        if (m_status && m_wroteInTransaction)
            m_status->reportSuccess();
        m_wroteInTransaction = false;
    } else if (isWrite(s)) {
        m_wroteInTransaction = true;
    }
}

QString Database::explain(const QString &what, const QSqlError &sqlError) const
{
    bool ok = false;
    const int code = sqlError.nativeErrorCode().toInt(&ok) & 0xff;
    if (ok && (code == SqliteBusy || code == SqliteLocked))
        return tr("%1: another program kept the local database busy (another copy of Candidate "
                  "Desk, such as a command line import) and did not let go in time. Nothing is "
                  "lost; try again in a moment.")
            .arg(what);
    if (ok && (code == SqliteReadOnly || code == SqliteCantOpen)) {
        if (const QString problem = writeProblem(); !problem.isEmpty())
            return what + u": "_s + problem;
    }
    // SQLite says "disk I/O error" when a full disk stops it growing its
    // -shm or -wal, and "unable to open" when it cannot make them at all.
    if (ok && (code == SqliteIoError || code == SqliteFull || code == SqliteCantOpen)) {
        const QStorageInfo disk(QFileInfo(m_filePath).absolutePath());
        if (disk.isValid() && disk.bytesAvailable() >= 0 && disk.bytesAvailable() < (1 << 20))
            return tr("%1: the disk is full (%3 free where %2 is). Free some disk space, then "
                      "try again; nothing already saved is lost.")
                .arg(what, QDir::toNativeSeparators(QFileInfo(m_filePath).absolutePath()),
                     QLocale().formattedDataSize(disk.bytesAvailable()));
    }
    return describe(what, sqlError);
}

bool Database::beginWrite(QString *error) const
{
    return exec(u"BEGIN IMMEDIATE"_s, tr("Could not start writing to the local database"), error);
}

bool Database::commit(QString *error) const
{
    // A failed COMMIT leaves the transaction open. Roll it back so the
    // connection can be used again; the caller reports the error.
    if (exec(u"COMMIT"_s, tr("Could not save to the local database"), error))
        return true;
    rollback();
    return false;
}

void Database::rollback() const
{
    QSqlQuery q(connection());
    // Fails harmlessly when SQLite already rolled back by itself (after a full disk, say).
    if (!q.exec(u"ROLLBACK"_s))
        qCDebug(lcStore) << "ROLLBACK:" << q.lastError().text();
}

QString Database::storageTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime Database::fromStorageTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return t.toUTC();
}

QString Database::describe(const QString &what, const QSqlError &sqlError)
{
    const QString detail
        = sqlError.databaseText().isEmpty() ? sqlError.text() : sqlError.databaseText();
    QString text
        = detail.isEmpty() ? QString(what + u'.') : QString(what + u": "_s + detail + u'.');
    bool ok = false;
    const int code = sqlError.nativeErrorCode().toInt(&ok);
    if (ok && (code & 0xff) == SqliteFull)
        text += u' ' + tr("Free some disk space, then try again.");
    return text;
}

} // namespace cdesk
