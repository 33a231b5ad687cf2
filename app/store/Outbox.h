#pragma once

#include "model/Submission.h"
#include "store/ResumeCopies.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace cdesk {

class Clock;
class Database;

// The submissions waiting to be sent, and the state changes that move them on.
// Every way in, from the form or a 5,000-row CSV, goes through enqueue(). Every
// state change is one transaction, and each one records an attempt row.
//
// A candidate is never lost: enqueue() returns only once the row and its
// resume copy are on disk (fsync'd). It is never sent twice: claimDue() hands a
// row out once (it becomes Sending, under the write lock). A row a crash left
// in Sending goes back to Pending with the SAME Idempotency-Key, and the server
// answers a repeat of that key with its first answer.
//
// Works on the thread that opened the Database (see Database). Resume
// checksums (Submission::resumeSha256) are lowercase hex SHA-256 of the copy.
class Outbox
{
    Q_DECLARE_TR_FUNCTIONS(Outbox)
public:
    // The outcome strings of attempt rows (HistoryStore::Attempt::outcome).
    static inline const QString OutcomeSent = QStringLiteral("sent");
    static inline const QString OutcomeRetry = QStringLiteral("retry");
    static inline const QString OutcomeFailed = QStringLiteral("failed");
    static inline const QString OutcomeNeedsDecision = QStringLiteral("needs_decision");
    static inline const QString OutcomeInterrupted = QStringLiteral("interrupted");
    static inline const QString OutcomeCancelled = QStringLiteral("cancelled");
    static inline const QString OutcomeRequeued = QStringLiteral("requeued");
    static inline const QString OutcomeConvertedToUpdate = QStringLiteral("converted_to_update");

    // Resume copies live in <dataDir>/outbox-files/<uuid>/<original file name>.
    Outbox(Database *db, QString dataDir, Clock *clock);

    // The account submissions are queued for and sent to: the API's host
    // (and port). Rows of another account are kept, but neither claimed nor
    // counted, until that account is current again. Empty: every row.
    void setAccount(const QString &account) { m_account = account; }
    QString account() const { return m_account; }
    static QString accountFor(const QUrl &apiUrl);

    QString filesDir() const;

    // Stores s as Pending, due now. If s.candidate.resumeFile is set, the file is
    // copied into filesDir() (streamed, hashed, fsync'd). s.idempotencyKey is
    // made if empty. Returns the stored submission: id set, candidate.resumeFile
    // pointing at the copy, originalResumeName and resumeSha256 set. On
    // failure (unreadable source, full disk, database error) returns nullopt,
    // *error says what happened and what to do, and nothing is left behind.
    std::optional<Submission> enqueue(Submission s, QString *error);
    // The same for many (a CSV import): all in one transaction, all or none.
    // One commit (one fsync) instead of one per row.
    std::optional<QList<Submission>> enqueueAll(QList<Submission> submissions, QString *error);

    // enqueueAll() in two steps, so a large resume is copied off the GUI
    // thread: prepareFiles() copies and hashes the resumes into folders with
    // a temporary name and touches no database (safe on a worker thread);
    // insertPrepared() then writes the rows in one transaction on the thread
    // that owns the database, gives each copy its final name inside that
    // transaction, and on failure removes the copies.
    struct Prepared
    {
        QList<Submission> submissions;
        QStringList copyDirs;
        QString error; // set when ok is false
        bool ok = false;
        // A row whose Idempotency-Key the outbox already holds (the same
        // sheet imported twice, or by two copies at once) is left out
        // instead of failing the batch; insertPrepared() says which.
        bool skipKnownKeys = false;
    };
    Prepared prepareFiles(QList<Submission> submissions) const;
    // A large batch in parts of at most rowsPerPart rows, each with the
    // copies of its own rows, to insert one transaction at a time.
    static QList<Prepared> split(Prepared prepared, int rowsPerPart);
    // The copies of prepared rows that will not be inserted.
    void discard(const Prepared &prepared) const;
    // *known (when given) gets the stored rows that were left out.
    std::optional<QList<Submission>> insertPrepared(Prepared prepared, QString *error,
                                                    QList<Submission> *known = nullptr);

    // Of these Idempotency-Keys, the ones the outbox holds, with their row ids
    // (any state, for any account). Empty on a database error, with *error set.
    QHash<QString, qint64> knownKeys(const QStringList &keys, QString *error = nullptr);

    // Marks up to max Pending rows that are due (nextAttemptAt <= now) as
    // Sending (attempts + 1) and returns them, oldest first. A row is handed
    // out once, even to several threads with their own Database.
    QList<Submission> claimDue(int max, QString *error = nullptr);

    // At start: Sending rows were in flight when the app stopped. They go
    // back to Pending, due now, with an "interrupted" attempt. Returns how
    // many, or -1 on a database error.
    int recoverInterrupted(QString *error = nullptr);

    // "Send now": pending rows waiting for a backoff become due at once, and
    // failed rows whose failure was not the candidate's (the server's
    // trouble, a refused token, a redirect, a TLS failure: requeuedErrors())
    // go back to pending with the same key. Rows of the current account only.
    // Returns how many rows changed, -1 on error.
    int sendNow(QString *error = nullptr);

    // What is not on the server yet for the current account: rows that wait
    // to be sent by themselves, and rows held until a person acts; and what
    // waits for another account.
    struct Unsent
    {
        int waiting = 0; // pending or sending
        int sending = 0; // of waiting: in flight now
        int waitingElsewhere = 0; // pending or sending, queued for another account
        int held = 0; // failed or needs_decision
        int heldForToken = 0; // of held: the token was refused or may not write
        bool ok = false; // false: the database could not be read
    };
    Unsent unsent();

    // The engine's outcomes, for rows it claimed (state Sending). Each returns
    // false and leaves the row alone when the row is not in Sending.
    bool markSent(qint64 id, qint64 serverId, int httpStatus = 0, QString *error = nullptr);
    bool markRetry(qint64 id, const QDateTime &nextAttemptAt, const QString &message,
                   ApiError errorKind, int httpStatus, QString *error = nullptr);
    bool markFailed(qint64 id, const QString &message, ApiError errorKind,
                    const FieldErrors &fieldErrors, int httpStatus, QString *error = nullptr);
    bool markNeedsDecision(qint64 id, qint64 duplicateOf, const QString &message,
                           int httpStatus = 409, QString *error = nullptr);

    // The recruiter's decisions.
    // Pending, Failed or NeedsDecision -> Cancelled. A row in flight cannot be
    // cancelled: its request may already have reached the server.
    bool cancel(qint64 id, QString *error = nullptr);
    // Failed, NeedsDecision or Cancelled -> Pending, due now. It keeps the SAME
    // Idempotency-Key, so a create the server did receive is not made twice.
    bool retry(qint64 id, QString *error = nullptr);
    // A NeedsDecision create becomes an update of targetId (the existing
    // candidate) with the given fields, Pending, due now.
    bool convertToUpdate(qint64 id, qint64 targetId, const CandidateFields &changed,
                         QString *error = nullptr);

    std::optional<Submission> get(qint64 id);
    // How many of the row's latest attempts, in a row, the server answered
    // with a 5xx other than 502-504 (the ones a gateway or a busy server says).
    int consecutiveServerErrors(qint64 id);
    int pendingCount(); // Pending + Sending
    std::optional<QDateTime> nextDueTime(); // of the earliest Pending row

    // True when the submission needs no file, or when its copy is still there
    // with the recorded SHA-256. Check before sending.
    bool verifyResume(const Submission &s) const;

    // Removes the resume copies of Sent rows (the server has the file), and
    // folders under filesDir() that a crash left behind. Failed,
    // NeedsDecision and Cancelled rows keep theirs for a retry. Safe while
    // other processes enqueue: a copy is made in "<uuid>.partial" and renamed
    // to "<uuid>" inside the transaction that inserts its row, and the
    // folders are judged under the same write lock. A folder is removed only
    // when no row names it, when nothing in it changed for the grace period,
    // and when it is younger than every damaged database kept aside (which
    // may name it even where its rows cannot be read: its pending work is
    // still pending). Returns how many folders were removed, or -1 on a
    // database error.
    int pruneFiles(QString *error = nullptr);
    // How long a folder no database names is left alone (default one hour;
    // a temporary "<uuid>.partial" copy, whose batch may still be copying,
    // 24 times as long: a day).
    void setPruneGrace(qint64 ms) { m_pruneGraceMs = ms; }
    static constexpr qint64 DefaultPruneGraceMs = 60 * 60 * 1000;
    static constexpr qint64 PartialGraceMs = 24 * 60 * 60 * 1000;
    // The suffix of a copy that is not yet bound to a row.
    static inline const QString PartialSuffix = ResumeCopies::PartialSuffix;

private:
    struct Change; // one state change and its attempt row
    bool apply(qint64 id, const QList<SubmissionState> &from, const Change &change, QString *error);
    bool prepare(Submission *s, const QDateTime &now, QString *copyDir, QString *error) const;

    Database *m_db;
    QString m_account;
    QString m_dataDir;
    Clock *m_clock;
    ResumeCopies m_copies;
    qint64 m_pruneGraceMs = DefaultPruneGraceMs;
};

} // namespace cdesk
