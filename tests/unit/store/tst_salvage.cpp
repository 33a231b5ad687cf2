// A damaged database is pending work, not just a file to keep: what SQLite
// can still read of it comes back into the new database, and what it cannot
// read keeps its resume copies and is named to the recruiter.
#include "StoreTestSupport.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/DraftStore.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"
#include "store/Salvage.h"
#include "store/Workspace.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

struct Made
{
    Submission pending;
    Submission failed;
    Submission sent;
};

QString dbFile(const QTemporaryDir &dir)
{
    return dir.filePath(u"candidate-desk.sqlite"_s);
}

// A workspace with work in every state and a draft, closed as the app would be.
Made fill(const QTemporaryDir &dir, FakeClock *clock)
{
    Workspace w(dir.path(), clock);
    QString error;
    if (!w.open(&error))
        qFatal("open: %s", qPrintable(error));
    const QString resume = dir.filePath(u"cv.txt"_s);
    writeFile(resume, "Asha Rao, engineer");
    auto enqueue = [&](const QString &name, const QString &file) {
        Submission s;
        s.candidate = sampleCandidate(name, name.toLower() + u"@example.com"_s);
        s.candidate.resumeFile = file;
        s.source = u"form"_s;
        const auto stored = w.outbox()->enqueue(s, &error);
        if (!stored)
            qFatal("enqueue: %s", qPrintable(error));
        return *stored;
    };
    Made made;
    made.failed = enqueue(u"Failed"_s, {});
    made.sent = enqueue(u"Sent"_s, {});
    const auto claimed = w.outbox()->claimDue(2);
    if (claimed.size() != 2)
        qFatal("claim");
    w.outbox()->markFailed(made.failed.id, u"The server refused the token."_s, ApiError::BadToken,
                           {}, 401);
    w.outbox()->markSent(made.sent.id, 77);
    made.pending = enqueue(u"Pending"_s, resume);
    Draft draft;
    draft.candidate = sampleCandidate(u"Drafted"_s, u"drafted@example.com"_s);
    if (w.drafts()->save(draft, &error) == 0)
        qFatal("draft: %s", qPrintable(error));
    return made;
}

// Overwrites the page an index starts on with noise: quick_check fails, the
// file is moved aside, but the table pages (the rows) can still be read.
void damageIndex(const QString &file, const QString &index)
{
    int page = 0;
    int pageSize = 0;
    {
        auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"damage"_s);
        db.setDatabaseName(file);
        if (!db.open())
            qFatal("cannot open to damage");
        QSqlQuery q(db);
        q.exec(u"SELECT rootpage FROM sqlite_master WHERE name = '%1'"_s.arg(index));
        if (q.next())
            page = q.value(0).toInt();
        q.exec(u"PRAGMA page_size"_s);
        if (q.next())
            pageSize = q.value(0).toInt();
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"damage"_s);
    if (page <= 1 || pageSize <= 0)
        qFatal("no such index");
    QByteArray bytes = readFile(file);
    bytes.replace(qsizetype(page - 1) * pageSize, pageSize, deterministicBytes(pageSize, 5));
    writeFile(file, bytes);
}

} // namespace

class TestSalvage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void damagedFile_pendingWorkAndDraftsComeBack_withTheirKeysAndResumes()
    {
        QTemporaryDir dir;
        FakeClock clock;
        const Made made = fill(dir, &clock);
        damageIndex(dbFile(dir), u"submissions_history"_s);

        Workspace w(dir.path(), &clock);
        QString error;
        QVERIFY2(w.open(&error), qPrintable(error));
        QVERIFY(!w.recoveredFrom().isEmpty());
        QCOMPARE(w.salvaged().size(), 1);
        const SalvageReport r = w.salvaged().constFirst();
        QVERIFY(r.opened);
        QCOMPARE(r.keptAs, w.recoveredFrom());
        QCOMPARE(r.submissions, 3);
        QCOMPARE(r.unsent, 2); // the pending one and the failed one
        QCOMPARE(r.drafts, 1);
        QCOMPARE(r.unreadable, 0);
        const QString notice = w.salvageNotice();
        QVERIFY2(notice.contains(QDir::toNativeSeparators(w.recoveredFrom())), qPrintable(notice));

        // Every row is back, in its state, with its Idempotency-Key.
        const QList<Submission> rows = w.history()->page({}, 0, 10);
        QCOMPARE(rows.size(), 3);
        auto byKey = [&](const QString &key) -> std::optional<Submission> {
            for (const Submission &s : rows) {
                if (s.idempotencyKey == key)
                    return s;
            }
            return std::nullopt;
        };
        const auto pending = byKey(made.pending.idempotencyKey);
        QVERIFY(pending);
        QCOMPARE(pending->state, SubmissionState::Pending);
        QCOMPARE(pending->candidate.email, made.pending.candidate.email);
        QVERIFY(w.outbox()->verifyResume(*pending)); // its copy was kept, and is whole
        QCOMPARE(byKey(made.failed.idempotencyKey)->state, SubmissionState::Failed);
        QCOMPARE(byKey(made.failed.idempotencyKey)->errorKind, ApiError::BadToken);
        QCOMPARE(byKey(made.sent.idempotencyKey)->state, SubmissionState::Sent);
        QCOMPARE(byKey(made.sent.idempotencyKey)->serverId, std::optional<qint64>(77));
        QCOMPARE(w.drafts()->list().size(), 1);
        QCOMPARE(w.drafts()->list().constFirst().candidate.email, u"drafted@example.com"_s);
        // The pending one is due: the engine sends it by itself.
        QCOMPARE(w.outbox()->claimDue(5).size(), 1);

        // A later open salvages nothing twice.
        w.database()->close();
        Workspace again(dir.path(), &clock);
        QVERIFY2(again.open(&error), qPrintable(error));
        QVERIFY(again.salvaged().isEmpty());
        QCOMPARE(again.history()->count({}), 3);
        QCOMPARE(again.drafts()->list().size(), 1);
    }

    void unreadableFile_keepsTheResumeCopies_andSaysSo()
    {
        QTemporaryDir dir;
        FakeClock clock;
        const Made made = fill(dir, &clock);
        // Not even the header survives: SQLite cannot open it at all.
        QByteArray bytes = readFile(dbFile(dir));
        bytes.replace(0, 16, "garbage garbage!");
        QVERIFY(writeFile(dbFile(dir), bytes));

        Workspace w(dir.path(), &clock);
        QString error;
        QVERIFY2(w.open(&error), qPrintable(error));
        QCOMPARE(w.salvaged().size(), 1);
        QVERIFY(!w.salvaged().constFirst().opened);
        QVERIFY(w.salvageNotice().contains(u"enter those candidates again"_s));
        QCOMPARE(w.history()->count({}), 0);

        // Prune, however late: the copy named only in the damaged file stays.
        clock.set(QDateTime::currentDateTimeUtc().addDays(30));
        w.tidy();
        QVERIFY(QFileInfo::exists(made.pending.candidate.resumeFile));
    }

    void keptAsideBeforeSalvageExisted_isSalvagedAtTheNextOpen()
    {
        // A file moved aside by an older version, or by a run that crashed
        // during the salvage: it was never read back, so it is now.
        QTemporaryDir dir;
        FakeClock clock;
        const Made made = fill(dir, &clock);
        QVERIFY(QFile::rename(dbFile(dir), dbFile(dir) + u".corrupt-20261101T000000Z"_s));
        QFile::remove(dbFile(dir) + u"-wal"_s);
        QFile::remove(dbFile(dir) + u"-shm"_s);

        Workspace w(dir.path(), &clock);
        QString error;
        QVERIFY2(w.open(&error), qPrintable(error));
        QVERIFY(w.recoveredFrom().isEmpty()); // nothing was damaged this time
        QCOMPARE(w.salvaged().size(), 1);
        QCOMPARE(w.salvaged().constFirst().submissions, 3);
        QCOMPARE(w.outbox()->get(w.history()->page({}, 0, 1).constFirst().id)->idempotencyKey,
                 made.pending.idempotencyKey); // newest first
    }

    // A salvaged database that is damaged in turn: its rows come back in
    // their latest state, not in the state the first damaged file kept, and
    // nothing is brought back twice.
    void salvagedDatabaseDamagedAgain_rowsComeBackInTheirLatestState()
    {
        QTemporaryDir dir;
        FakeClock clock;
        const Made made = fill(dir, &clock);
        damageIndex(dbFile(dir), u"submissions_history"_s);
        QString error;
        {
            Workspace first(dir.path(), &clock);
            QVERIFY2(first.open(&error), qPrintable(error));
            QCOMPARE(first.salvaged().constFirst().submissions, 3);
            // The recovered pending row is sent from the new database.
            const auto claimed = first.outbox()->claimDue(5);
            QCOMPARE(claimed.size(), 1);
            QCOMPARE(claimed.constFirst().idempotencyKey, made.pending.idempotencyKey);
            QVERIFY(first.outbox()->markSent(claimed.constFirst().id, 4242));
        }
        clock.advance(60 * 1000); // the second backup gets a later name
        damageIndex(dbFile(dir), u"submissions_history"_s);

        Workspace second(dir.path(), &clock);
        QVERIFY2(second.open(&error), qPrintable(error));
        QCOMPARE(second.salvaged().size(), 1); // the newer file; the older one is done
        QCOMPARE(second.history()->count({}), 3);
        for (const Submission &s : second.history()->page({}, 0, 10)) {
            if (s.idempotencyKey == made.pending.idempotencyKey) {
                QCOMPARE(s.state, SubmissionState::Sent);
                QCOMPARE(s.serverId, std::optional<qint64>(4242));
            }
        }
        QCOMPARE(second.outbox()->claimDue(5).size(), 0); // nothing to send twice
        QCOMPARE(second.drafts()->list().size(), 1);
    }

    // The new database refuses the rows (a full disk): nothing is marked,
    // so it is read back at a later open instead of being lost.
    void newDatabaseRefusesTheRows_salvageIsDeferred_andDoneLater()
    {
        QTemporaryDir dir;
        FakeClock clock;
        fill(dir, &clock);
        const QString kept = dbFile(dir) + u".corrupt-20261101T000000Z"_s;
        QVERIFY(QFile::rename(dbFile(dir), kept));
        Database fresh(dbFile(dir), &clock);
        QString error;
        QVERIFY2(fresh.open(&error), qPrintable(error));
        fresh.setFaultInjector([](const QString &sql) { return sql.startsWith(u"INSERT"_s); });
        const SalvageReport refused = Salvage::recover(&fresh, kept, &clock);
        QVERIFY(refused.deferred);
        QVERIFY(!refused.problem.isEmpty());
        QVERIFY(Salvage::describe({ refused }).contains(u"tried again"_s));
        QCOMPARE(rowCount(fresh, u"submissions"_s), 0);
        QCOMPARE(Salvage::pending(&fresh), QStringList { kept });

        fresh.setFaultInjector({});
        const SalvageReport done = Salvage::recover(&fresh, kept, &clock);
        QVERIFY(!done.deferred);
        QCOMPARE(done.submissions, 3);
        QVERIFY(Salvage::pending(&fresh).isEmpty());
    }

    // A row the new schema refuses (a state damage garbled) is counted as
    // unreadable, not silently taken for one already there.
    void garbledRow_isCountedUnreadable_andTheRestComeBack()
    {
        QTemporaryDir dir;
        FakeClock clock;
        fill(dir, &clock);
        {
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"garble"_s);
            db.setDatabaseName(dbFile(dir));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA ignore_check_constraints = ON"_s));
            QVERIFY(
                q.exec(u"UPDATE submissions SET state = 'garbled' WHERE name LIKE 'Failed%'"_s));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"garble"_s);
        const QString kept = dbFile(dir) + u".corrupt-20261101T000000Z"_s;
        QVERIFY(QFile::rename(dbFile(dir), kept));

        Workspace w(dir.path(), &clock);
        QString error;
        QVERIFY2(w.open(&error), qPrintable(error));
        QCOMPARE(w.salvaged().size(), 1);
        QCOMPARE(w.salvaged().constFirst().submissions, 2);
        QCOMPARE(w.salvaged().constFirst().unreadable, 1);
        QVERIFY(w.salvageNotice().contains(u"could not be read"_s));
    }
};

QTEST_GUILESS_MAIN(TestSalvage)
#include "tst_salvage.moc"
