#include "StoreTestSupport.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"

#include <QCryptographicHash>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

// A store in a fresh folder: the real SQLite file, a clock that stands still.
struct Store
{
    QTemporaryDir dir;
    FakeClock clock;
    std::unique_ptr<Database> db;
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<HistoryStore> history;

    Store() { reopen(); }

    QString dbPath() const { return dir.filePath(u"cdesk.sqlite"_s); }

    // Like an app start: a new connection, new store objects.
    void reopen()
    {
        history.reset();
        outbox.reset();
        db = std::make_unique<Database>(dbPath(), &clock);
        QString error;
        if (!db->open(&error))
            qFatal("open: %s", qPrintable(error));
        outbox = std::make_unique<Outbox>(db.get(), dir.path(), &clock);
        history = std::make_unique<HistoryStore>(db.get());
    }

    QString writeResume(const QString &name, const QByteArray &bytes)
    {
        QDir(dir.path()).mkpath(u"incoming"_s);
        const QString path = dir.filePath(u"incoming/"_s + name);
        if (!writeFile(path, bytes))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    Submission enqueue(const QString &name = u"Asha Rao"_s, const QString &resume = {})
    {
        Submission s;
        s.candidate = sampleCandidate(name, name.toLower().replace(u' ', u'.') + u"@example.com"_s);
        s.candidate.resumeFile = resume;
        s.source = u"form"_s;
        QString error;
        const auto stored = outbox->enqueue(s, &error);
        if (!stored)
            qFatal("enqueue: %s", qPrintable(error));
        return *stored;
    }

    // Enqueued and claimed: in flight, as the engine holds it.
    Submission sending(const QString &name = u"Asha Rao"_s)
    {
        const Submission s = enqueue(name);
        const auto claimed = outbox->claimDue(1);
        if (claimed.size() != 1 || claimed.first().id != s.id)
            qFatal("claim failed");
        return claimed.first();
    }

    SubmissionState state(qint64 id) { return outbox->get(id)->state; }
};

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QList<qint64> ids(const QList<Submission> &list)
{
    QList<qint64> result;
    for (const auto &s : list)
        result << s.id;
    return result;
}

} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enqueue_copiesResumeWithItsSha256()
    {
        Store store;
        // Several copy chunks and a ragged end; a Unicode file name.
        const QByteArray content = deterministicBytes(300 * 1024 + 17, 3);
        const QString source = store.writeResume(u"Résumé Asha.pdf"_s, content);

        const Submission stored = store.enqueue(u"Asha Rao"_s, source);

        QVERIFY(stored.id > 0);
        QCOMPARE(stored.state, SubmissionState::Pending);
        QCOMPARE(stored.attempts, 0);
        QCOMPARE(stored.createdAt, store.clock.now());
        QCOMPARE(stored.updatedAt, store.clock.now());
        QCOMPARE(stored.nextAttemptAt, store.clock.now());
        QVERIFY(!QUuid::fromString(stored.idempotencyKey).isNull());
        QCOMPARE(stored.originalResumeName, u"Résumé Asha.pdf"_s);
        QCOMPARE(stored.resumeSha256, sha256Hex(content));

        // <dataDir>/outbox-files/<uuid>/<original name>, byte for byte.
        const QFileInfo copy(stored.candidate.resumeFile);
        QVERIFY(copy.absoluteFilePath() != QFileInfo(source).absoluteFilePath());
        QCOMPARE(copy.fileName(), u"Résumé Asha.pdf"_s);
        QCOMPARE(QFileInfo(copy.absolutePath()).absolutePath(),
                 QFileInfo(store.outbox->filesDir()).absoluteFilePath());
        QVERIFY(!QUuid::fromString(QFileInfo(copy.absolutePath()).fileName()).isNull());
        QCOMPARE(readFile(copy.absoluteFilePath()), content);
        QCOMPARE(readFile(source), content); // the recruiter's file is untouched
        QVERIFY(store.outbox->verifyResume(stored));

        // What get() reads back is what enqueue() returned.
        const auto loaded = store.outbox->get(stored.id);
        QVERIFY(loaded);
        QCOMPARE(loaded->candidate, stored.candidate);
        QCOMPARE(loaded->idempotencyKey, stored.idempotencyKey);
        QCOMPARE(loaded->resumeSha256, stored.resumeSha256);
        QCOMPARE(loaded->originalResumeName, stored.originalResumeName);
        QCOMPARE(loaded->createdAt, stored.createdAt);
        QCOMPARE(loaded->source, u"form"_s);
        QCOMPARE(loaded->kind, SubmissionKind::Create);
    }

    void enqueue_makesAUniqueKey_andKeepsOneGiven()
    {
        Store store;
        QSet<QString> keys;
        for (int i = 0; i < 25; ++i)
            keys.insert(store.enqueue(u"Candidate %1"_s.arg(i)).idempotencyKey);
        QCOMPARE(keys.size(), 25);

        Submission s;
        s.candidate = sampleCandidate();
        s.idempotencyKey = u"given-key-1"_s;
        QString error;
        const auto stored = store.outbox->enqueue(s, &error);
        QVERIFY2(stored, qPrintable(error));
        QCOMPARE(store.outbox->get(stored->id)->idempotencyKey, u"given-key-1"_s);
    }

    void enqueue_resumeUrlOnly_makesNoCopy()
    {
        Store store;
        Submission s;
        s.candidate = sampleCandidate();
        s.candidate.resumeUrl = QUrl(u"https://example.com/cv.pdf"_s);
        QString error;
        const auto stored = store.outbox->enqueue(s, &error);
        QVERIFY2(stored, qPrintable(error));
        QVERIFY(stored->candidate.resumeFile.isEmpty());
        QVERIFY(stored->resumeSha256.isEmpty());
        QVERIFY(store.outbox->verifyResume(*stored));
        QCOMPARE(store.outbox->get(stored->id)->candidate.resumeUrl, s.candidate.resumeUrl);
        QCOMPARE(entries(store.outbox->filesDir()), QStringList());
    }

    void enqueue_missingResume_leavesNoRowAndNoFile()
    {
        Store store;
        Submission s;
        s.candidate = sampleCandidate();
        s.candidate.resumeFile = store.dir.filePath(u"incoming/gone.pdf"_s);
        QString error;
        QVERIFY(!store.outbox->enqueue(s, &error));
        QVERIFY2(error.contains(u"gone.pdf"_s), qPrintable(error));
        QCOMPARE(rowCount(*store.db, u"submissions"_s), 0);
        QCOMPARE(entries(store.outbox->filesDir()), QStringList());
    }

    void enqueue_rowInsertFails_removesTheCopy()
    {
        Store store;
        Submission first;
        first.candidate = sampleCandidate();
        first.idempotencyKey = u"same-key"_s;
        QString error;
        QVERIFY2(store.outbox->enqueue(first, &error), qPrintable(error));

        // The same key again breaks the UNIQUE constraint after the copy is made.
        Submission second = first;
        second.candidate.resumeFile = store.writeResume(u"cv.pdf"_s, "%PDF-1.4 ...");
        QVERIFY(!store.outbox->enqueue(second, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(rowCount(*store.db, u"submissions"_s), 1);
        QCOMPARE(entries(store.outbox->filesDir()), QStringList());
    }

    void enqueue_copyFolderCannotBeMade_failsWithNothingLeft()
    {
        Store store;
        // outbox-files is a file, so no folder can be made under it.
        QVERIFY(writeFile(store.outbox->filesDir(), "in the way"));
        Submission s;
        s.candidate = sampleCandidate();
        s.candidate.resumeFile = store.writeResume(u"cv.pdf"_s, "%PDF-1.4 ...");
        QString error;
        QVERIFY(!store.outbox->enqueue(s, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(rowCount(*store.db, u"submissions"_s), 0);
        QCOMPARE(readFile(store.outbox->filesDir()), "in the way");
    }

    void enqueueAll_isAllOrNothing()
    {
        Store store;
        QList<Submission> batch(3);
        for (int i = 0; i < 3; ++i) {
            batch[i].candidate = sampleCandidate(u"Row %1"_s.arg(i));
            batch[i].candidate.resumeFile
                = store.writeResume(u"cv%1.txt"_s.arg(i), "resume " + QByteArray::number(i));
        }
        QList<Submission> broken = batch;
        broken[2].candidate.resumeFile = store.dir.filePath(u"incoming/missing.txt"_s);
        QString error;
        QVERIFY(!store.outbox->enqueueAll(broken, &error));
        QCOMPARE(rowCount(*store.db, u"submissions"_s), 0);
        QCOMPARE(entries(store.outbox->filesDir()), QStringList());

        const auto stored = store.outbox->enqueueAll(batch, &error);
        QVERIFY2(stored, qPrintable(error));
        QCOMPARE(stored->size(), 3);
        QVERIFY(stored->at(0).id < stored->at(1).id && stored->at(1).id < stored->at(2).id);
        QCOMPARE(entries(store.outbox->filesDir()).size(), 3);
        for (const auto &s : *stored)
            QVERIFY(store.outbox->verifyResume(s));
    }

    void claimDue_respectsMax_oldestFirst_andNeverHandsARowTwice()
    {
        Store store;
        QList<qint64> all;
        for (int i = 0; i < 5; ++i) {
            all << store.enqueue(u"Candidate %1"_s.arg(i)).id;
            store.clock.advance(1000);
        }
        const auto firstTwo = store.outbox->claimDue(2);
        QCOMPARE(ids(firstTwo), all.mid(0, 2));
        for (const auto &s : firstTwo) {
            QCOMPARE(s.state, SubmissionState::Sending);
            QCOMPARE(s.attempts, 1);
            QCOMPARE(s.updatedAt, store.clock.now());
        }
        QCOMPARE(ids(store.outbox->claimDue(10)), all.mid(2));
        QVERIFY(store.outbox->claimDue(10).isEmpty());
        QCOMPARE(store.outbox->pendingCount(), 5); // Sending counts as pending
        QVERIFY(store.outbox->claimDue(0).isEmpty());
    }

    void claimDue_waitsForNextAttemptAt()
    {
        Store store;
        const Submission s = store.sending();
        const QDateTime later = store.clock.now().addSecs(60);
        QVERIFY(store.outbox->markRetry(s.id, later, u"Server busy"_s, ApiError::ServerError, 503));
        QCOMPARE(store.outbox->nextDueTime(), std::optional<QDateTime>(later));

        QVERIFY(store.outbox->claimDue(10).isEmpty());
        store.clock.advance(59999);
        QVERIFY(store.outbox->claimDue(10).isEmpty());
        store.clock.advance(1);
        const auto due = store.outbox->claimDue(10);
        QCOMPARE(ids(due), QList<qint64> { s.id });
        QCOMPARE(due.first().attempts, 2);
        QCOMPARE(due.first().idempotencyKey, s.idempotencyKey);
    }

    void claimDue_fromTwoConnections_neverHandsTheSameRowTwice()
    {
        Store store;
        QList<Submission> batch(20);
        for (int i = 0; i < batch.size(); ++i)
            batch[i].candidate = sampleCandidate(u"Row %1"_s.arg(i));
        QString error;
        QVERIFY2(store.outbox->enqueueAll(batch, &error), qPrintable(error));

        Database other(store.dbPath(), &store.clock);
        QVERIFY2(other.open(&error), qPrintable(error));
        Outbox otherOutbox(&other, store.dir.path(), &store.clock);

        QList<qint64> seen;
        for (bool progress = true; progress;) {
            const auto a = store.outbox->claimDue(3);
            const auto b = otherOutbox.claimDue(3);
            seen << ids(a) << ids(b);
            progress = !a.isEmpty() || !b.isEmpty();
        }
        QCOMPARE(seen.size(), 20);
        QCOMPARE(QSet<qint64>(seen.begin(), seen.end()).size(), 20);
    }

    void recoverInterrupted_putsSendingBackWithTheSameKey()
    {
        Store store;
        const QDateTime start = store.clock.now();
        QList<Submission> batch(3);
        for (int i = 0; i < 3; ++i)
            batch[i].candidate = sampleCandidate(u"Row %1"_s.arg(i));
        QString error;
        QVERIFY(store.outbox->enqueueAll(batch, &error));
        store.clock.advance(5000);
        const auto inFlight = store.outbox->claimDue(2);
        QCOMPARE(inFlight.size(), 2);

        // The app dies here. At the next start:
        store.clock.advance(10000);
        store.reopen();
        QCOMPARE(store.outbox->recoverInterrupted(), 2);
        QCOMPARE(store.outbox->recoverInterrupted(), 0);
        for (const auto &s : inFlight) {
            const auto row = store.outbox->get(s.id);
            QCOMPARE(row->state, SubmissionState::Pending);
            QCOMPARE(row->attempts, 1);
            const auto attempts = store.history->attempts(s.id);
            QCOMPARE(attempts.size(), 1);
            QCOMPARE(attempts.first().outcome, Outbox::OutcomeInterrupted);
            QCOMPARE(attempts.first().startedAt, start.addMSecs(5000));
            QCOMPARE(attempts.first().finishedAt, start.addMSecs(15000));
        }
        const auto again = store.outbox->claimDue(10);
        QCOMPARE(again.size(), 3);
        for (const auto &s : inFlight) {
            const auto it = std::find_if(again.begin(), again.end(),
                                         [&](const Submission &x) { return x.id == s.id; });
            QVERIFY(it != again.end());
            QCOMPARE(it->idempotencyKey, s.idempotencyKey);
            QCOMPARE(it->attempts, 2);
        }
    }

    void markSent_recordsServerIdAndAnAttempt()
    {
        Store store;
        const Submission s = store.sending();
        const QDateTime claimedAt = store.clock.now();
        store.clock.advance(2500);
        QVERIFY(store.outbox->markSent(s.id, 901));

        const auto row = store.outbox->get(s.id);
        QCOMPARE(row->state, SubmissionState::Sent);
        QCOMPARE(row->serverId, std::optional<qint64>(901));
        QCOMPARE(row->updatedAt, store.clock.now());
        QCOMPARE(store.outbox->pendingCount(), 0);

        const auto attempts = store.history->attempts(s.id);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().outcome, Outbox::OutcomeSent);
        QCOMPARE(attempts.first().httpStatus, 201);
        QCOMPARE(attempts.first().startedAt, claimedAt);
        QCOMPARE(attempts.first().finishedAt, store.clock.now());

        // Twice is refused: the row is no longer in flight.
        QString error;
        QVERIFY(!store.outbox->markSent(s.id, 902, 0, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(store.outbox->get(s.id)->serverId, std::optional<qint64>(901));
        QCOMPARE(store.history->attempts(s.id).size(), 1);
    }

    void markRetry_backToPendingWithTheError()
    {
        Store store;
        const Submission s = store.sending();
        const QDateTime next = store.clock.now().addSecs(30);
        QVERIFY(store.outbox->markRetry(s.id, next, u"Too many requests; waiting 30 s."_s,
                                        ApiError::Throttled, 429));
        const auto row = store.outbox->get(s.id);
        QCOMPARE(row->state, SubmissionState::Pending);
        QCOMPARE(row->nextAttemptAt, next);
        QCOMPARE(row->lastError, u"Too many requests; waiting 30 s."_s);
        QCOMPARE(row->errorKind, ApiError::Throttled);
        QCOMPARE(row->idempotencyKey, s.idempotencyKey);
        const auto attempts = store.history->attempts(s.id);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().outcome, Outbox::OutcomeRetry);
        QCOMPARE(attempts.first().httpStatus, 429);
        QCOMPARE(attempts.first().message, u"Too many requests; waiting 30 s."_s);
    }

    void markFailed_keepsTheFieldErrors()
    {
        Store store;
        const Submission s = store.sending();
        FieldErrors errors;
        errors.add(u"email"_s, u"Enter a valid email address."_s);
        errors.add(u"custom_fields.linkedin_url"_s, u"Enter a valid URL."_s);
        QVERIFY(store.outbox->markFailed(s.id, u"The server refused two fields."_s,
                                         ApiError::FieldErrors, errors, 400));
        const auto row = store.outbox->get(s.id);
        QCOMPARE(row->state, SubmissionState::Failed);
        QCOMPARE(row->fieldErrors, errors);
        QCOMPARE(row->errorKind, ApiError::FieldErrors);
        QCOMPARE(row->lastError, u"The server refused two fields."_s);
        const auto attempts = store.history->attempts(s.id);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().outcome, Outbox::OutcomeFailed);
        QCOMPARE(attempts.first().httpStatus, 400);
    }

    void markNeedsDecision_recordsTheExistingCandidate()
    {
        Store store;
        const Submission s = store.sending();
        QVERIFY(store.outbox->markNeedsDecision(s.id, 77, u"Already there as #77."_s, 409));
        const auto row = store.outbox->get(s.id);
        QCOMPARE(row->state, SubmissionState::NeedsDecision);
        QCOMPARE(row->duplicateOf, std::optional<qint64>(77));
        QCOMPARE(row->errorKind, ApiError::Duplicate);
        QCOMPARE(row->lastError, u"Already there as #77."_s);
        const auto attempts = store.history->attempts(s.id);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().outcome, Outbox::OutcomeNeedsDecision);
        QCOMPARE(attempts.first().httpStatus, 409);
    }

    void engineOutcomes_onARowNotInFlight_areRefusedAndRecordNothing()
    {
        Store store;
        const Submission s = store.enqueue(); // Pending, never claimed
        QString error;
        QVERIFY(!store.outbox->markSent(s.id, 1, 0, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!store.outbox->markRetry(s.id, store.clock.now(), u"x"_s, ApiError::Network, 0));
        QVERIFY(!store.outbox->markFailed(s.id, u"x"_s, ApiError::BadToken, {}, 401));
        QVERIFY(!store.outbox->markNeedsDecision(s.id, 5, u"x"_s));
        QVERIFY(!store.outbox->markSent(9999, 1, 0, &error));
        QCOMPARE(store.state(s.id), SubmissionState::Pending);
        QCOMPARE(rowCount(*store.db, u"attempts"_s), 0);
    }

    void cancel_fromPendingFailedOrNeedsDecision_butNotWhileSending()
    {
        Store store;
        const Submission pending = store.enqueue(u"One"_s);
        QVERIFY(store.outbox->cancel(pending.id));
        QCOMPARE(store.state(pending.id), SubmissionState::Cancelled);
        QCOMPARE(store.history->attempts(pending.id).constFirst().outcome,
                 Outbox::OutcomeCancelled);

        const Submission failed = store.sending(u"Two"_s);
        QVERIFY(store.outbox->markFailed(failed.id, u"no"_s, ApiError::NotAllowed, {}, 403));
        QVERIFY(store.outbox->cancel(failed.id));
        QCOMPARE(store.state(failed.id), SubmissionState::Cancelled);

        const Submission duplicate = store.sending(u"Three"_s);
        QVERIFY(store.outbox->markNeedsDecision(duplicate.id, 5, u"dup"_s));
        QVERIFY(store.outbox->cancel(duplicate.id));
        QCOMPARE(store.state(duplicate.id), SubmissionState::Cancelled);

        // In flight: the request may already be at the server.
        const Submission inFlight = store.sending(u"Four"_s);
        QString error;
        QVERIFY(!store.outbox->cancel(inFlight.id, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(store.state(inFlight.id), SubmissionState::Sending);
        QVERIFY(store.history->attempts(inFlight.id).isEmpty());
    }

    void retry_keepsTheIdempotencyKey()
    {
        Store store;
        const Submission s = store.sending();
        QVERIFY(store.outbox->markFailed(s.id, u"Bad token"_s, ApiError::BadToken, {}, 401));
        store.clock.advance(3600 * 1000);
        QVERIFY(store.outbox->retry(s.id));

        const auto row = store.outbox->get(s.id);
        QCOMPARE(row->state, SubmissionState::Pending);
        QCOMPARE(row->idempotencyKey, s.idempotencyKey);
        QCOMPARE(row->nextAttemptAt, store.clock.now());
        QVERIFY(row->lastError.isEmpty());
        QCOMPARE(store.history->attempts(s.id).constLast().outcome, Outbox::OutcomeRequeued);

        const auto due = store.outbox->claimDue(1);
        QCOMPARE(due.size(), 1);
        QCOMPARE(due.first().idempotencyKey, s.idempotencyKey);
        QCOMPARE(due.first().attempts, 2);

        // From Cancelled too, but not from Sent or Pending.
        QVERIFY(store.outbox->markSent(s.id, 12));
        QVERIFY(!store.outbox->retry(s.id));
        const Submission other = store.enqueue(u"Other"_s);
        QVERIFY(!store.outbox->retry(other.id));
        QVERIFY(store.outbox->cancel(other.id));
        QVERIFY(store.outbox->retry(other.id));
        QCOMPARE(store.outbox->get(other.id)->idempotencyKey, other.idempotencyKey);
    }

    void convertToUpdate_turnsADuplicateIntoAnUpdate()
    {
        Store store;
        const CandidateFields changed { CandidateField::Phone, CandidateField::JobId };
        // Only a NeedsDecision create can be converted.
        const Submission failed = store.sending(u"Other"_s);
        QVERIFY(store.outbox->markFailed(failed.id, u"x"_s, ApiError::ServerError, {}, 500));
        QVERIFY(!store.outbox->convertToUpdate(failed.id, 77, changed));
        QCOMPARE(store.outbox->get(failed.id)->kind, SubmissionKind::Create);

        const Submission s = store.sending();
        QVERIFY(store.outbox->markNeedsDecision(s.id, 77, u"dup"_s));
        QVERIFY(store.outbox->convertToUpdate(s.id, 77, changed));

        const auto row = store.outbox->get(s.id);
        QCOMPARE(row->kind, SubmissionKind::Update);
        QCOMPARE(row->targetId, 77);
        QCOMPARE(row->changedFields, changed);
        QCOMPARE(row->state, SubmissionState::Pending);
        QCOMPARE(row->idempotencyKey, s.idempotencyKey);
        QCOMPARE(row->candidate, s.candidate);
        QCOMPARE(store.history->attempts(s.id).constLast().outcome,
                 Outbox::OutcomeConvertedToUpdate);
        // Converted once, it is an update: a second conversion is refused.
        QVERIFY(!store.outbox->convertToUpdate(s.id, 78, changed));
        QCOMPARE(store.outbox->get(s.id)->targetId, 77);
    }

    void pendingCountAndNextDueTime_followTheRows()
    {
        Store store;
        QCOMPARE(store.outbox->pendingCount(), 0);
        QCOMPARE(store.outbox->nextDueTime(), std::nullopt);
        const Submission a = store.enqueue(u"A"_s);
        store.clock.advance(1000);
        store.enqueue(u"B"_s);
        QCOMPARE(store.outbox->pendingCount(), 2);
        QCOMPARE(store.outbox->nextDueTime(), std::optional<QDateTime>(a.createdAt));
        QCOMPARE(store.outbox->get(123456), std::nullopt);
    }

    void verifyResume_detectsAChangedOrMissingCopy()
    {
        Store store;
        const Submission s
            = store.enqueue(u"Asha"_s, store.writeResume(u"cv.txt"_s, "Asha Rao, engineer"));
        QVERIFY(store.outbox->verifyResume(s));
        QVERIFY(writeFile(s.candidate.resumeFile, "Someone else"));
        QVERIFY(!store.outbox->verifyResume(s));
        QVERIFY(QFile::remove(s.candidate.resumeFile));
        QVERIFY(!store.outbox->verifyResume(s));
    }

    void pruneFiles_removesSentCopiesAndLeftovers_keepsTheRest()
    {
        Store store;
        const Submission sent = store.enqueue(u"Sent"_s, store.writeResume(u"a.txt"_s, "resume a"));
        const Submission failed
            = store.enqueue(u"Failed"_s, store.writeResume(u"b.txt"_s, "resume b"));
        const auto claimed = store.outbox->claimDue(2);
        QCOMPARE(claimed.size(), 2);
        QVERIFY(store.outbox->markSent(sent.id, 1));
        QVERIFY(store.outbox->markFailed(failed.id, u"x"_s, ApiError::TooLarge, {}, 413));
        const Submission pending
            = store.enqueue(u"Pending"_s, store.writeResume(u"c.txt"_s, "resume c"));
        // Folders no row names, as a crash during enqueue would leave: a copy
        // never bound to its row, and one whose row never committed.
        const QString files = store.outbox->filesDir();
        QVERIFY(QDir(files).mkpath(u"leftover.partial"_s));
        QVERIFY(writeFile(files + u"/leftover.partial/x.pdf"_s, "half"));
        QVERIFY(QDir(files).mkpath(u"unbound"_s));
        QVERIFY(writeFile(files + u"/unbound/y.pdf"_s, "whole"));

        // Young leftovers may be another process's copy in progress: only the
        // sent copy goes now.
        store.clock.set(QDateTime::currentDateTimeUtc());
        QCOMPARE(store.outbox->pruneFiles(), 1);
        QVERIFY(!QFileInfo::exists(sent.candidate.resumeFile));
        QVERIFY(QFileInfo::exists(files + u"/leftover.partial/x.pdf"_s));
        QVERIFY(QFileInfo::exists(files + u"/unbound/y.pdf"_s));

        // Once they have been quiet for the grace period, they go too; a
        // temporary copy, whose batch may still be copying, gets a day.
        store.clock.set(
            QDateTime::currentDateTimeUtc().addMSecs(Outbox::DefaultPruneGraceMs + 60 * 1000));
        QCOMPARE(store.outbox->pruneFiles(), 1);
        QVERIFY(!QFileInfo::exists(files + u"/unbound"_s));
        QVERIFY(QFileInfo::exists(files + u"/leftover.partial"_s));
        store.clock.set(
            QDateTime::currentDateTimeUtc().addMSecs(Outbox::PartialGraceMs + 60 * 1000));
        QCOMPARE(store.outbox->pruneFiles(), 1);
        QVERIFY(!QFileInfo::exists(files + u"/leftover.partial"_s));
        QVERIFY(store.outbox->verifyResume(*store.outbox->get(failed.id)));
        QVERIFY(store.outbox->verifyResume(*store.outbox->get(pending.id)));

        // The sent row keeps its record of what was sent, but no longer a local file.
        const auto row = store.outbox->get(sent.id);
        QVERIFY(row->candidate.resumeFile.isEmpty());
        QCOMPARE(row->originalResumeName, u"a.txt"_s);
        QCOMPARE(row->resumeSha256, sent.resumeSha256);
        QCOMPARE(store.outbox->pruneFiles(), 0);
    }

    void sameKeysTwice_withSkipKnownKeys_areQueuedOnce_andTheSecondCopyGoes();
    void pruneInAnotherProcess_whileACopyIsMade_keepsTheCopy();
    void pruneFiles_keepsWhatAKeptAsideDatabaseNames();
    void commitThatFails_leavesNoBoundCopy_andPruneRebindsOneThatCommitted();
};

void TestOutbox::sameKeysTwice_withSkipKnownKeys_areQueuedOnce_andTheSecondCopyGoes()
{
    // A sheet imported twice (or by two copies of the app at once): its rows
    // carry the same keys, and the outbox keeps the first of each.
    Store store;
    QList<Submission> batch;
    for (const QString &key : { u"import-a"_s, u"import-b"_s }) {
        Submission s;
        s.candidate = sampleCandidate();
        s.candidate.resumeFile = store.writeResume(key + u".txt"_s, "resume of " + key.toUtf8());
        s.idempotencyKey = key;
        batch << s;
    }
    QString error;
    Outbox::Prepared first = store.outbox->prepareFiles({ batch[0] });
    first.skipKnownKeys = true;
    QList<Submission> known;
    const auto stored = store.outbox->insertPrepared(std::move(first), &error, &known);
    QVERIFY2(stored, qPrintable(error));
    QCOMPARE(stored->size(), 1);
    QVERIFY(known.isEmpty());
    const QStringList foldersAfterFirst
        = QDir(store.outbox->filesDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);

    Outbox::Prepared again = store.outbox->prepareFiles(batch);
    again.skipKnownKeys = true;
    const auto second = store.outbox->insertPrepared(std::move(again), &error, &known);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(second->size(), 1);
    QCOMPARE(second->constFirst().idempotencyKey, u"import-b"_s);
    QCOMPARE(known.size(), 1);
    QCOMPARE(known.constFirst().id, stored->constFirst().id);
    QCOMPARE(store.outbox->pendingCount(), 2);
    // The left-out row's copy is gone; the stored rows keep theirs.
    const QStringList folders
        = QDir(store.outbox->filesDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(folders.size(), foldersAfterFirst.size() + 1);
    QVERIFY(store.outbox->verifyResume(*store.outbox->get(stored->constFirst().id)));
    QVERIFY(store.outbox->verifyResume(*store.outbox->get(second->constFirst().id)));

    const QHash<QString, qint64> keys
        = store.outbox->knownKeys({ u"import-a"_s, u"import-b"_s, u"import-c"_s });
    QCOMPARE(keys.size(), 2);
    QCOMPARE(keys.value(u"import-a"_s), stored->constFirst().id);

    // Without the flag a repeated key is still an error: nothing else makes one.
    Outbox::Prepared strict = store.outbox->prepareFiles({ batch[0] });
    QVERIFY(!store.outbox->insertPrepared(std::move(strict), &error));
    QCOMPARE(QDir(store.outbox->filesDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), folders);
}

void TestOutbox::pruneInAnotherProcess_whileACopyIsMade_keepsTheCopy()
{
    // The parallel-submit bug: process A copies a resume; process B takes
    // the instance lock and prunes before A's row is committed. B must not
    // take A's copy, then or later.
    Store a;
    FakeClock laterClock(QDateTime::currentDateTimeUtc());
    Database other(a.dbPath(), &laterClock);
    QString error;
    QVERIFY2(other.open(&error), qPrintable(error));
    Outbox b(&other, a.dir.path(), &laterClock);

    Submission s;
    s.candidate = sampleCandidate();
    s.candidate.resumeFile = a.writeResume(u"cv.txt"_s, "Asha Rao, engineer, 4 MiB in real life");
    Outbox::Prepared prepared = a.outbox->prepareFiles({ s });
    QVERIFY2(prepared.ok, qPrintable(prepared.error));
    // The copy is on disk, and no row names it yet.
    const QString copyDir = prepared.copyDirs.constFirst();
    QVERIFY(QFileInfo(copyDir + Outbox::PartialSuffix).isDir());
    QVERIFY(!QFileInfo::exists(copyDir));
    QCOMPARE(b.pruneFiles(&error), 0);
    QVERIFY(QFileInfo(copyDir + Outbox::PartialSuffix).isDir());

    const auto stored = a.outbox->insertPrepared(std::move(prepared), &error);
    QVERIFY2(stored, qPrintable(error));
    const Submission row = *a.outbox->get(stored->constFirst().id);
    QVERIFY(QFileInfo::exists(row.candidate.resumeFile));
    QVERIFY(!QFileInfo::exists(copyDir + Outbox::PartialSuffix));
    QVERIFY(a.outbox->verifyResume(row));
    // Bound: the other process's prune keeps it, however late it runs.
    laterClock.advance(qint64(30) * 24 * 3600 * 1000);
    QCOMPARE(b.pruneFiles(&error), 0);
    QVERIFY(a.outbox->verifyResume(row));
}

void TestOutbox::pruneFiles_keepsWhatAKeptAsideDatabaseNames()
{
    // A database damaged with work still pending: moved aside, its rows
    // unreadable. Its resume copies are still that work, so prune keeps them.
    Store store;
    const Submission pending
        = store.enqueue(u"Pending"_s, store.writeResume(u"p.txt"_s, "pending resume"));
    QVERIFY(QFile::copy(store.dbPath(), store.dbPath() + u".corrupt-20261201T000000Z"_s));
    // The WAL holds the row until a checkpoint: keep it beside the copy too.
    if (QFileInfo::exists(store.dbPath() + u"-wal"_s))
        QVERIFY(QFile::copy(store.dbPath() + u"-wal"_s,
                            store.dbPath() + u".corrupt-20261201T000000Z-wal"_s));
    // The new database knows nothing of the row.
    QSqlQuery(store.db->connection()).exec(u"DELETE FROM submissions"_s);
    QCOMPARE(rowCount(*store.db, u"submissions"_s), 0);

    // A leftover changed after the damage cannot be named in the damaged file.
    QVERIFY(QDir(store.outbox->filesDir()).mkpath(u"after-the-damage"_s));
    QFile later(store.outbox->filesDir() + u"/after-the-damage/x.pdf"_s);
    QVERIFY(later.open(QIODevice::WriteOnly));
    QVERIFY(later.setFileTime(QDateTime::currentDateTimeUtc().addSecs(120),
                              QFileDevice::FileModificationTime));
    later.close();

    store.clock.set(QDateTime::currentDateTimeUtc().addDays(30));
    QCOMPARE(store.outbox->pruneFiles(), 1);
    QVERIFY(QFileInfo::exists(pending.candidate.resumeFile));
    QVERIFY(!QFileInfo::exists(store.outbox->filesDir() + u"/after-the-damage"_s));
}

void TestOutbox::commitThatFails_leavesNoBoundCopy_andPruneRebindsOneThatCommitted()
{
    // After a COMMIT that reported failure the copy keeps its temporary name.
    // Should the row have reached the disk after all, prune binds it again.
    Store store;
    const QString files = store.outbox->filesDir();
    const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QVERIFY(QDir(files).mkpath(uuid + Outbox::PartialSuffix));
    QVERIFY(writeFile(files + u'/' + uuid + Outbox::PartialSuffix + u"/cv.txt"_s, "resume"));
    QSqlQuery insert(store.db->connection());
    QVERIFY(insert.exec(u"INSERT INTO submissions (kind, candidate_json, idempotency_key,"
                        " resume_copy, resume_sha256, original_resume_name, state, created_at,"
                        " updated_at, next_attempt_at, name, email, name_key, email_key)"
                        " VALUES ('create', '{}', 'k1', '%1', '', 'cv.txt', 'pending', 'x', 'x',"
                        " 'x', 'n', 'e', 'n', 'e')"_s.arg(files + u'/' + uuid + u"/cv.txt"_s)));
    QCOMPARE(store.outbox->pruneFiles(), 0);
    QVERIFY(QFileInfo::exists(files + u'/' + uuid + u"/cv.txt"_s));
    QVERIFY(!QFileInfo::exists(files + u'/' + uuid + Outbox::PartialSuffix));
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
