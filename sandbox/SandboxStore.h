#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace cdesk::sandbox {

struct JobRecord
{
    qint64 id = 0;
    QString title;
    QString department;
    QString location;
    QString status; // "open" or "closed"
    QDateTime createdAt;
};

struct ResumeFile
{
    QString fileName; // as the client gave it; never used as a path
    qint64 size = 0;
    QString contentType; // judged by content
    QString storedName; // the file's name under <dataDir>/resumes
};

struct CandidateRecord
{
    qint64 id = 0;
    QString name;
    QString email;
    QString phone;
    QString resumeUrl; // null when isNull()
    std::optional<qint64> jobId;
    QString source, industry, department; // null when isNull()
    std::optional<QJsonObject> customFields;
    std::optional<ResumeFile> resume;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct IdempotencyRecord
{
    QByteArray fingerprint;
    int status = 0;
    QByteArray body;
    QByteArray location;
    QDateTime createdAt;
};

// The sandbox's state: SQLite in WAL mode with synchronous=FULL, and resume
// files beside it. One connection per store, named after the store, used from
// the thread that opened it.
class SandboxStore
{
public:
    explicit SandboxStore(QString dataDir);
    ~SandboxStore();
    SandboxStore(const SandboxStore &) = delete;
    SandboxStore &operator=(const SandboxStore &) = delete;

    bool open(QString *error);
    QString resumeDir() const;

    bool hasJobs();
    bool insertJobs(const QList<JobRecord> &jobs, QString *error);
    // status: "open", "closed" or "all"; ordered by id.
    QList<JobRecord> jobs(const QString &status);
    std::optional<JobRecord> job(qint64 id);

    std::optional<CandidateRecord> candidate(qint64 id);
    std::optional<qint64> candidateIdByEmail(const QString &email);
    // email: a null string lists everyone; otherwise a case-insensitive match.
    qint64 candidateCount(const QString &email);
    QList<CandidateRecord> candidates(const QString &email, qint64 offset, int limit);
    // Names of the resume files that rows refer to (to remove orphans at start).
    QSet<QString> storedResumeNames();

    // A read that failed sets this; the server answers 500 rather than a
    // misleading 404 or an empty list. Returns and clears it.
    QString takeFailure();

    // Transactions around a write and its idempotency record.
    bool begin();
    bool commit();
    void rollback();

    bool insertCandidate(CandidateRecord *candidate, QString *error);
    bool updateCandidate(const CandidateRecord &candidate, QString *error);

    std::optional<IdempotencyRecord> idempotency(const QByteArray &scope, const QString &key,
                                                 const QDateTime &notBefore);
    bool saveIdempotency(const QByteArray &scope, const QString &key,
                         const IdempotencyRecord &record, QString *error);
    void purgeIdempotency(const QDateTime &olderThan);

private:
    bool exec(const QString &sql, QString *error);
    bool run(class QSqlQuery &query); // exec(), recording a failure
    bool migrate(QString *error);
    CandidateRecord candidateFrom(const class QSqlQuery &query) const;

    QString m_dataDir;
    QString m_connectionName;
    QString m_failure;
};

} // namespace cdesk::sandbox
