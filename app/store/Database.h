#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QString>

#include <functional>

class QSqlError;
class QSqlQuery;
class QThread;

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace cdesk {

class Clock;
class StoreStatus;

// The app's SQLite file: opening it safely, its schema, and the helpers the
// stores share.
//
// Threads: a QSqlDatabase connection may only be used by the thread that made
// it. So a Database object belongs to the thread that called open(), under a
// connection name unique to this object and that thread. A second thread
// that needs the store opens its OWN Database on the same file. WAL and
// busy_timeout let those connections work side by side. Write transactions
// start with BEGIN IMMEDIATE, so two writers cannot deadlock.
//
// Every open sets journal_mode=WAL, synchronous=FULL, foreign_keys=ON and
// busy_timeout. QSQLITE's defaults (journal_mode=delete, foreign_keys=0) are
// per connection and would silently come back. A file that SQLite calls
// corrupt is moved aside to "<file>.corrupt-<UTC time>", with its -wal and
// -shm. It is never deleted, and a fresh database takes its place.
class Database
{
    Q_DECLARE_TR_FUNCTIONS(Database)
public:
    // clock: names the backup of a corrupt file. Must outlive the Database.
    Database(QString filePath, Clock *clock);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens (creating the file and its folder if needed), sets the pragmas,
    // checks integrity and migrates. On failure, *error says what happened
    // and what to do.
    bool open(QString *error);
    // Whether open() may move a damaged file aside (default yes). Only the
    // process that holds the instance lock may: another copy that has the
    // file open would keep writing into the moved file.
    void setMayRepair(bool may) { m_mayRepair = may; }
    void close();
    bool isOpen() const;

    QString filePath() const { return m_filePath; }
    QString connectionName() const { return m_connectionName; }

    // The path the corrupt file was moved to during open(), or empty. The app
    // tells the recruiter: their old records are kept there.
    QString recoveredFrom() const { return m_recoveredFrom; }

    int schemaVersion() const { return m_schemaVersion; }
    static int latestSchemaVersion();

    // The connection. Use it only on the thread that called open().
    QSqlDatabase connection() const;

    // Runs a prepared query or one statement. On failure it logs, and *error
    // (when given) gets "<what>: <SQLite's words>", or plainer words where
    // the cause is known (another program holds the lock; a file or folder
    // that cannot be written, by name). `what` is a sentence for the
    // recruiter, such as "Could not save the submission". A failed write is
    // reported to the status, and a COMMIT that succeeds clears it.
    bool exec(QSqlQuery &query, const QString &what, QString *error) const;
    bool exec(const QString &sql, const QString &what, QString *error) const;

    // Where failed writes and their recovery are reported (the window's
    // banner); may be null. Set it before open(): a file that cannot be
    // written is reported at once. Must outlive the Database.
    void setStatus(StoreStatus *status) { m_status = status; }

    // How long a write waits for another connection's write lock before it
    // fails as busy (default 5 s). Applies now and at every open.
    void setBusyTimeout(int ms);
    StoreStatus *status() const { return m_status; }

    // Why this process cannot write the database, naming the folder or the
    // file (such as a read-only "-shm" another user's SQLite left behind),
    // or empty.
    QString writeProblem() const;
    // A small write (a time in the meta table) that tells whether the store
    // can be written now, for the status to clear once it can.
    bool probeWrite();

    // Opened for reading only: the folder cannot be written, so the history
    // reads and every write fails with writeProblem()'s words.
    bool isReadOnly() const { return m_readOnly; }

    // For tests only: sees the SQL of every statement that exec(),
    // beginWrite() and commit() run, before it runs; returning true makes it
    // fail as if SQLite had answered with a disk I/O error.
    using FaultInjector = std::function<bool(const QString &sql)>;
    void setFaultInjector(FaultInjector injector) { m_faultInjector = std::move(injector); }

    // Write transactions take the write lock up front (BEGIN IMMEDIATE). A
    // deferred transaction that reads and then writes can fail with
    // SQLITE_BUSY when another connection wrote in between, and the
    // busy_timeout does not help it.
    bool beginWrite(QString *error) const;
    bool commit(QString *error) const;
    void rollback() const;

    // Times as stored: ISO 8601 in UTC with milliseconds. They sort as text.
    static QString storageTime(const QDateTime &time);
    static QDateTime fromStorageTime(const QVariant &value);

    // Words for an SQL failure: "<what>: <SQLite's text>".
    static QString describe(const QString &what, const QSqlError &sqlError);

private:
    enum class Outcome { Ok, Corrupt, Failed };

    Outcome openConnection(QString *error);
    Outcome configure(QString *error);
    Outcome inspect(QString *error);
    Outcome checkIntegrity(const QSqlDatabase &db, QString *error) const;
    Outcome migrate(QString *error);
    void closeConnection();
    bool moveAside(QString *error);
    static bool isCorruption(const QSqlError &sqlError);
    bool canOnlyRead() const;
    void setFileName(QSqlDatabase &db);
    bool injectFault(const QString &sql, const QString &what, QString *error) const;
    void failed(const QString &sql, const QString &what, const QSqlError &sqlError,
                QString *error) const;
    void succeeded(const QString &sql) const;
    QString explain(const QString &what, const QSqlError &sqlError) const;

    QString m_filePath;
    Clock *m_clock;
    QString m_connectionName;
    QThread *m_thread = nullptr;
    QString m_recoveredFrom;
    int m_schemaVersion = 0;
    StoreStatus *m_status = nullptr;
    FaultInjector m_faultInjector;
    int m_busyTimeoutMs = 5000;
    bool m_readOnly = false;
    bool m_mayRepair = true;
    mutable bool m_wroteInTransaction = false;
};

} // namespace cdesk
