#include "StoreTestSupport.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/InstanceLock.h"
#include "store/Outbox.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

class TestDatabase : public QObject
{
    Q_OBJECT

    QString dbPath(const QTemporaryDir &dir) const { return dir.filePath(u"cdesk.sqlite"_s); }

    static void verifyPragmas(const Database &db)
    {
        QCOMPARE(scalar(db, u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(scalar(db, u"PRAGMA synchronous"_s).toInt(), 2); // FULL
        QCOMPARE(scalar(db, u"PRAGMA foreign_keys"_s).toInt(), 1);
        QCOMPARE(scalar(db, u"PRAGMA busy_timeout"_s).toInt(), 5000);
    }

private Q_SLOTS:
    void open_everyOpen_setsWalFullSyncForeignKeysBusyTimeout()
    {
        QTemporaryDir dir;
        FakeClock clock;
        QString error;
        {
            Database db(dbPath(dir), &clock);
            QVERIFY2(db.open(&error), qPrintable(error));
            verifyPragmas(db);
        }
        // Again on reopen, and on a second connection to the same file.
        // These pragmas are per connection, and QSQLITE's defaults come back.
        Database first(dbPath(dir), &clock);
        Database second(dbPath(dir), &clock);
        QVERIFY2(first.open(&error), qPrintable(error));
        QVERIFY2(second.open(&error), qPrintable(error));
        verifyPragmas(first);
        verifyPragmas(second);
        QVERIFY(first.connectionName() != second.connectionName());
        QVERIFY(first.recoveredFrom().isEmpty());
    }

    void open_twice_migrationIsIdempotent()
    {
        QTemporaryDir dir;
        FakeClock clock;
        QString error;
        QStringList schema;
        {
            Database db(dbPath(dir), &clock);
            QVERIFY2(db.open(&error), qPrintable(error));
            QCOMPARE(db.schemaVersion(), Database::latestSchemaVersion());
            QVERIFY(db.exec(u"INSERT INTO meta (key, value) VALUES ('probe', 'kept')"_s,
                            u"insert"_s, &error));
            QSqlQuery q(db.connection());
            QVERIFY(q.exec(u"SELECT sql FROM sqlite_schema ORDER BY name"_s));
            while (q.next())
                schema << q.value(0).toString();
        }
        Database db(dbPath(dir), &clock);
        QVERIFY2(db.open(&error), qPrintable(error));
        QCOMPARE(db.schemaVersion(), Database::latestSchemaVersion());
        QCOMPARE(scalar(db, u"PRAGMA user_version"_s).toInt(), Database::latestSchemaVersion());
        QCOMPARE(scalar(db, u"SELECT value FROM meta WHERE key = 'probe'"_s).toString(), u"kept"_s);
        QStringList again;
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(u"SELECT sql FROM sqlite_schema ORDER BY name"_s));
        while (q.next())
            again << q.value(0).toString();
        QCOMPARE(again, schema);
    }

    void open_schemaFromNewerApp_isRefusedAndKept()
    {
        QTemporaryDir dir;
        FakeClock clock;
        QString error;
        {
            Database db(dbPath(dir), &clock);
            QVERIFY2(db.open(&error), qPrintable(error));
            QVERIFY(db.exec(u"PRAGMA user_version = 99"_s, u"set"_s, &error));
        }
        Database db(dbPath(dir), &clock);
        QVERIFY(!db.open(&error));
        QVERIFY2(error.contains(u"newer version"_s), qPrintable(error));
        QVERIFY(db.recoveredFrom().isEmpty());
        QCOMPARE(entries(dir.path()).filter(u"corrupt"_s), QStringList());
    }

    void loadGarbageFile_movedAsideByteForByte_freshStoreWorks()
    {
        QTemporaryDir dir;
        FakeClock clock; // 2026-11-29 12:00 UTC
        const QByteArray garbage = deterministicBytes(16384, 7);
        const QByteArray garbageWal = deterministicBytes(4096, 8);
        QVERIFY(writeFile(dbPath(dir), garbage));
        QVERIFY(writeFile(dbPath(dir) + u"-wal"_s, garbageWal));

        Database db(dbPath(dir), &clock);
        QString error;
        QVERIFY2(db.open(&error), qPrintable(error));

        const QString backup = dbPath(dir) + u".corrupt-20261129T120000Z"_s;
        QCOMPARE(db.recoveredFrom(), backup);
        QCOMPARE(readFile(backup), garbage);
        QCOMPARE(readFile(backup + u"-wal"_s), garbageWal);

        // The fresh database has the schema and takes work.
        QCOMPARE(db.schemaVersion(), Database::latestSchemaVersion());
        verifyPragmas(db);
        Outbox outbox(&db, dir.path(), &clock);
        Submission s;
        s.candidate = sampleCandidate();
        const auto stored = outbox.enqueue(s, &error);
        QVERIFY2(stored, qPrintable(error));
        QCOMPARE(outbox.claimDue(10).size(), 1);
    }

    void loadDamagedPages_failsQuickCheck_movedAside()
    {
        QTemporaryDir dir;
        FakeClock clock;
        QString error;
        {
            Database db(dbPath(dir), &clock);
            QVERIFY2(db.open(&error), qPrintable(error));
            // Enough rows to fill many pages, in one statement.
            QVERIFY(db.exec(u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                            " WHERE i < 300) INSERT INTO drafts (candidate_json, created_at,"
                            " updated_at) SELECT printf('{\"name\": \"%0500d\"}', i), '', ''"
                            " FROM n"_s,
                            u"fill"_s, &error));
            QCOMPARE(rowCount(db, u"drafts"_s), 300);
        }
        // Closing the last connection checkpointed the WAL into the file.
        // Now everything after the first page (the header and schema) becomes
        // garbage: the header still says "SQLite", but the tables are gone.
        QByteArray bytes = readFile(dbPath(dir));
        QVERIFY(bytes.size() > 3 * 4096);
        const QByteArray noise = deterministicBytes(bytes.size() - 4096, 9);
        bytes.replace(4096, noise.size(), noise);
        QVERIFY(writeFile(dbPath(dir), bytes));

        Database db(dbPath(dir), &clock);
        QVERIFY2(db.open(&error), qPrintable(error));
        QVERIFY(!db.recoveredFrom().isEmpty());
        QCOMPARE(readFile(db.recoveredFrom()), bytes);
        QCOMPARE(rowCount(db, u"drafts"_s), 0);
    }

    void open_afterACrash_keepsRowsThatOnlyTheWalHolds()
    {
        QTemporaryDir live;
        QTemporaryDir image;
        FakeClock clock;
        QString error;
        Database db(live.filePath(u"cdesk.sqlite"_s), &clock);
        QVERIFY2(db.open(&error), qPrintable(error));
        Outbox outbox(&db, live.path(), &clock);
        Submission s;
        s.candidate = sampleCandidate();
        const auto stored = outbox.enqueue(s, &error);
        QVERIFY2(stored, qPrintable(error));

        // The files as a power cut would leave them while the app runs: the
        // committed row is in the WAL, not yet in the main file, and no -shm.
        QVERIFY(QFileInfo(live.filePath(u"cdesk.sqlite-wal"_s)).size() > 0);
        for (const QString &name : { u"cdesk.sqlite"_s, u"cdesk.sqlite-wal"_s })
            QVERIFY(QFile::copy(live.filePath(name), image.filePath(name)));

        Database after(dbPath(image), &clock);
        QVERIFY2(after.open(&error), qPrintable(error));
        QVERIFY(after.recoveredFrom().isEmpty());
        Outbox recovered(&after, image.path(), &clock);
        const auto row = recovered.get(stored->id);
        QVERIFY(row);
        QCOMPARE(row->idempotencyKey, stored->idempotencyKey);
        QCOMPARE(row->candidate, stored->candidate);
    }

    void loadCorruptFileTwiceInOneSecond_keepsBothBackups()
    {
        QTemporaryDir dir;
        FakeClock clock;
        QString error;
        const QByteArray first = deterministicBytes(8192, 1);
        const QByteArray second = deterministicBytes(8192, 2);
        QVERIFY(writeFile(dbPath(dir), first));
        {
            Database db(dbPath(dir), &clock);
            QVERIFY2(db.open(&error), qPrintable(error));
        }
        QVERIFY(QFile::remove(dbPath(dir)));
        QVERIFY(writeFile(dbPath(dir), second));
        Database db(dbPath(dir), &clock);
        QVERIFY2(db.open(&error), qPrintable(error));
        QCOMPARE(db.recoveredFrom(), dbPath(dir) + u".corrupt-20261129T120000Z-2"_s);
        QCOMPARE(readFile(dbPath(dir) + u".corrupt-20261129T120000Z"_s), first);
        QCOMPARE(readFile(db.recoveredFrom()), second);
    }

    void open_pathThatCannotBeOpened_failsWithoutMovingAnything()
    {
        QTemporaryDir dir;
        FakeClock clock;
        // A folder where the file should be: not corruption, so nothing is moved.
        QVERIFY(QDir(dir.path()).mkdir(u"cdesk.sqlite"_s));
        Database db(dbPath(dir), &clock);
        QString error;
        QVERIFY(!db.open(&error));
        QVERIFY(!error.isEmpty());
        QVERIFY(QFileInfo(dbPath(dir)).isDir());
        QCOMPARE(entries(dir.path()), QStringList { u"cdesk.sqlite"_s });
    }

    void open_onAnotherThread_usesItsOwnConnection()
    {
        QTemporaryDir dir;
        FakeClock clock;
        QString error;
        Database mine(dbPath(dir), &clock);
        QVERIFY2(mine.open(&error), qPrintable(error));
        QVERIFY(mine.exec(u"INSERT INTO meta (key, value) VALUES ('from', 'main')"_s, u"insert"_s,
                          &error));

        QString seen;
        QString otherName;
        QString otherError;
        QThread *thread = QThread::create([&] {
            Database theirs(dbPath(dir), &clock);
            if (!theirs.open(&otherError))
                return;
            otherName = theirs.connectionName();
            seen = scalar(theirs, u"SELECT value FROM meta WHERE key = 'from'"_s).toString();
        });
        thread->start();
        QVERIFY(thread->wait());
        delete thread;
        QVERIFY2(otherError.isEmpty(), qPrintable(otherError));
        QCOMPARE(seen, u"main"_s);
        QVERIFY(!otherName.isEmpty());
        QVERIFY(otherName != mine.connectionName());
    }

    void instanceLock_secondInSameFolder_isRefusedNamingThePid()
    {
        QTemporaryDir dir;
        QString error;
        auto first = InstanceLock::acquire(dir.path(), &error);
        QVERIFY2(first, qPrintable(error));

        auto second = InstanceLock::acquire(dir.path(), &error);
        QVERIFY(!second);
        QVERIFY2(error.contains(QString::number(QCoreApplication::applicationPid())),
                 qPrintable(error));

        first.reset();
        error.clear();
        auto third = InstanceLock::acquire(dir.path(), &error);
        QVERIFY2(third, qPrintable(error));
    }

    void instanceLock_leftByADeadProcess_isTakenOver()
    {
        QTemporaryDir dir;
        // QLockFile's format: pid, app name, host, host id, boot id. No
        // process can have this pid (above Linux's pid_max), so QLockFile
        // judges the lock stale.
        QVERIFY(writeFile(QDir(dir.path()).filePath(InstanceLock::FileName),
                          "2147483600\ncandidate-desk\n\n\n\n"));
        QString error;
        auto lock = InstanceLock::acquire(dir.path(), &error);
        QVERIFY2(lock, qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
