#include "SandboxStore.h"

#include <QDir>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime fromIso(const QVariant &v)
{
    auto t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    t.setTimeSpec(Qt::UTC);
    return t;
}

QVariant nullable(const QString &s)
{
    return s.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

QString nullableString(const QVariant &v)
{
    return v.isNull() ? QString() : v.toString();
}

} // namespace

SandboxStore::SandboxStore(QString dataDir)
    : m_dataDir(std::move(dataDir))
    , m_connectionName(u"cdesk-sandbox-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
{ }

SandboxStore::~SandboxStore()
{
    {
        auto db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString SandboxStore::resumeDir() const
{
    return m_dataDir + u"/resumes"_s;
}

bool SandboxStore::exec(const QString &sql, QString *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    if (!q.exec(sql)) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    return true;
}

bool SandboxStore::open(QString *error)
{
    if (!QDir().mkpath(resumeDir())) {
        *error = u"Cannot create the data folder %1"_s.arg(m_dataDir);
        return false;
    }
    auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    db.setDatabaseName(m_dataDir + u"/sandbox.sqlite"_s);
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    // QSQLITE opens with journal_mode=delete and foreign keys off: set both on every open.
    for (const auto &pragma : { u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=FULL"_s,
                                u"PRAGMA foreign_keys=ON"_s, u"PRAGMA busy_timeout=5000"_s }) {
        if (!exec(pragma, error))
            return false;
    }
    return migrate(error);
}

bool SandboxStore::migrate(QString *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    if (!q.exec(u"PRAGMA user_version"_s) || !q.next()) {
        *error = q.lastError().text();
        return false;
    }
    const int version = q.value(0).toInt();
    const QStringList v1 = {
        u"CREATE TABLE jobs (id INTEGER PRIMARY KEY, title TEXT NOT NULL, department TEXT NOT NULL,"
        " location TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('open','closed')),"
        " created_at TEXT NOT NULL)"_s,
        u"CREATE TABLE candidates (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
        " email TEXT NOT NULL, email_key TEXT NOT NULL UNIQUE, phone TEXT NOT NULL,"
        " resume_url TEXT, job_id INTEGER REFERENCES jobs(id), source TEXT, industry TEXT,"
        " department TEXT, custom_fields TEXT, resume_filename TEXT, resume_size INTEGER,"
        " resume_content_type TEXT, resume_stored_name TEXT, created_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)"_s,
        u"CREATE TABLE idempotency (scope BLOB NOT NULL, key TEXT NOT NULL, fingerprint BLOB NOT "
        u"NULL,"
        " status INTEGER NOT NULL, body BLOB NOT NULL, location BLOB, created_at TEXT NOT NULL,"
        " PRIMARY KEY (scope, key))"_s,
        u"CREATE INDEX idempotency_created ON idempotency(created_at)"_s,
        u"PRAGMA user_version = 1"_s,
    };
    if (version >= 1)
        return true;
    if (!begin()) {
        *error = u"Cannot start the schema migration"_s;
        return false;
    }
    for (const auto &sql : v1) {
        if (!exec(sql, error)) {
            rollback();
            return false;
        }
    }
    if (!commit()) {
        *error = u"Cannot commit the schema migration"_s;
        return false;
    }
    return true;
}

bool SandboxStore::begin()
{
    return QSqlDatabase::database(m_connectionName).transaction();
}

bool SandboxStore::commit()
{
    return QSqlDatabase::database(m_connectionName).commit();
}

void SandboxStore::rollback()
{
    QSqlDatabase::database(m_connectionName).rollback();
}

bool SandboxStore::hasJobs()
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    return q.exec(u"SELECT 1 FROM jobs LIMIT 1"_s) && q.next();
}

bool SandboxStore::insertJobs(const QList<JobRecord> &jobs, QString *error)
{
    if (!begin()) {
        *error = u"Cannot start a transaction"_s;
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"INSERT INTO jobs (id, title, department, location, status, created_at)"
              " VALUES (?, ?, ?, ?, ?, ?)"_s);
    for (const auto &job : jobs) {
        q.addBindValue(job.id);
        q.addBindValue(job.title);
        q.addBindValue(job.department);
        q.addBindValue(job.location);
        q.addBindValue(job.status);
        q.addBindValue(iso(job.createdAt));
        if (!q.exec()) {
            *error = q.lastError().text();
            rollback();
            return false;
        }
    }
    if (!commit()) {
        *error = u"Cannot commit the jobs"_s;
        return false;
    }
    return true;
}

static JobRecord jobFrom(const QSqlQuery &q)
{
    return JobRecord { q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                       q.value(3).toString(),   q.value(4).toString(), fromIso(q.value(5)) };
}

QList<JobRecord> SandboxStore::jobs(const QString &status)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"SELECT id, title, department, location, status, created_at FROM jobs"
              " WHERE :status = 'all' OR status = :status ORDER BY id"_s);
    q.bindValue(u":status"_s, status);
    QList<JobRecord> result;
    if (run(q)) {
        while (q.next())
            result.append(jobFrom(q));
    }
    return result;
}

std::optional<JobRecord> SandboxStore::job(qint64 id)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(
        u"SELECT id, title, department, location, status, created_at FROM jobs WHERE id = ?"_s);
    q.addBindValue(id);
    if (run(q) && q.next())
        return jobFrom(q);
    return std::nullopt;
}

static const auto kCandidateColumns
    = u"id, name, email, phone, resume_url, job_id, source, industry, department, custom_fields,"
      " resume_filename, resume_size, resume_content_type, resume_stored_name, created_at,"
      " updated_at"_s;

CandidateRecord SandboxStore::candidateFrom(const QSqlQuery &q) const
{
    CandidateRecord c;
    c.id = q.value(0).toLongLong();
    c.name = q.value(1).toString();
    c.email = q.value(2).toString();
    c.phone = q.value(3).toString();
    c.resumeUrl = nullableString(q.value(4));
    if (!q.value(5).isNull())
        c.jobId = q.value(5).toLongLong();
    c.source = nullableString(q.value(6));
    c.industry = nullableString(q.value(7));
    c.department = nullableString(q.value(8));
    if (!q.value(9).isNull())
        c.customFields = QJsonDocument::fromJson(q.value(9).toByteArray()).object();
    if (!q.value(10).isNull()) {
        c.resume = ResumeFile { q.value(10).toString(), q.value(11).toLongLong(),
                                q.value(12).toString(), q.value(13).toString() };
    }
    c.createdAt = fromIso(q.value(14));
    c.updatedAt = fromIso(q.value(15));
    return c;
}

std::optional<CandidateRecord> SandboxStore::candidate(qint64 id)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"SELECT "_s + kCandidateColumns + u" FROM candidates WHERE id = ?"_s);
    q.addBindValue(id);
    if (run(q) && q.next())
        return candidateFrom(q);
    return std::nullopt;
}

std::optional<qint64> SandboxStore::candidateIdByEmail(const QString &email)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"SELECT id FROM candidates WHERE email_key = ?"_s);
    q.addBindValue(email.toLower());
    if (run(q) && q.next())
        return q.value(0).toLongLong();
    return std::nullopt;
}

qint64 SandboxStore::candidateCount(const QString &email)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"SELECT count(*) FROM candidates WHERE :email IS NULL OR email_key = :email"_s);
    q.bindValue(u":email"_s,
                email.isNull() ? QVariant(QMetaType::fromType<QString>())
                               : QVariant(email.toLower()));
    return run(q) && q.next() ? q.value(0).toLongLong() : 0;
}

QList<CandidateRecord> SandboxStore::candidates(const QString &email, qint64 offset, int limit)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"SELECT "_s + kCandidateColumns
              + u" FROM candidates WHERE :email IS NULL OR email_key = :email"
                " ORDER BY id LIMIT :limit OFFSET :offset"_s);
    q.bindValue(u":email"_s,
                email.isNull() ? QVariant(QMetaType::fromType<QString>())
                               : QVariant(email.toLower()));
    q.bindValue(u":limit"_s, limit);
    q.bindValue(u":offset"_s, offset);
    QList<CandidateRecord> result;
    if (run(q)) {
        while (q.next())
            result.append(candidateFrom(q));
    }
    return result;
}

QSet<QString> SandboxStore::storedResumeNames()
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    QSet<QString> names;
    q.prepare(u"SELECT resume_stored_name FROM candidates WHERE resume_stored_name IS NOT NULL"_s);
    if (run(q)) {
        while (q.next())
            names.insert(q.value(0).toString());
    }
    return names;
}

bool SandboxStore::run(QSqlQuery &query)
{
    if (query.exec())
        return true;
    m_failure = query.lastError().text();
    return false;
}

QString SandboxStore::takeFailure()
{
    return std::exchange(m_failure, QString());
}

static void bindCandidate(QSqlQuery &q, const CandidateRecord &c)
{
    q.bindValue(u":name"_s, c.name);
    q.bindValue(u":email"_s, c.email);
    q.bindValue(u":email_key"_s, c.email.toLower());
    q.bindValue(u":phone"_s, c.phone);
    q.bindValue(u":resume_url"_s, nullable(c.resumeUrl));
    q.bindValue(u":job_id"_s,
                c.jobId ? QVariant(*c.jobId) : QVariant(QMetaType::fromType<qint64>()));
    q.bindValue(u":source"_s, nullable(c.source));
    q.bindValue(u":industry"_s, nullable(c.industry));
    q.bindValue(u":department"_s, nullable(c.department));
    q.bindValue(u":custom_fields"_s,
                c.customFields
                    ? QVariant(QJsonDocument(*c.customFields).toJson(QJsonDocument::Compact))
                    : QVariant(QMetaType::fromType<QByteArray>()));
    const auto nullString = QVariant(QMetaType::fromType<QString>());
    q.bindValue(u":resume_filename"_s, c.resume ? QVariant(c.resume->fileName) : nullString);
    q.bindValue(u":resume_size"_s,
                c.resume ? QVariant(c.resume->size) : QVariant(QMetaType::fromType<qint64>()));
    q.bindValue(u":resume_content_type"_s, c.resume ? QVariant(c.resume->contentType) : nullString);
    q.bindValue(u":resume_stored_name"_s, c.resume ? QVariant(c.resume->storedName) : nullString);
    q.bindValue(u":created_at"_s, iso(c.createdAt));
    q.bindValue(u":updated_at"_s, iso(c.updatedAt));
}

bool SandboxStore::insertCandidate(CandidateRecord *c, QString *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"INSERT INTO candidates (name, email, email_key, phone, resume_url, job_id, source,"
              " industry, department, custom_fields, resume_filename, resume_size,"
              " resume_content_type, resume_stored_name, created_at, updated_at) VALUES (:name,"
              " :email, :email_key, :phone, :resume_url, :job_id, :source, :industry, :department,"
              " :custom_fields, :resume_filename, :resume_size, :resume_content_type,"
              " :resume_stored_name, :created_at, :updated_at)"_s);
    bindCandidate(q, *c);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    c->id = q.lastInsertId().toLongLong();
    return true;
}

bool SandboxStore::updateCandidate(const CandidateRecord &c, QString *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"UPDATE candidates SET name = :name, email = :email, email_key = :email_key,"
              " phone = :phone, resume_url = :resume_url, job_id = :job_id, source = :source,"
              " industry = :industry, department = :department, custom_fields = :custom_fields,"
              " resume_filename = :resume_filename, resume_size = :resume_size,"
              " resume_content_type = :resume_content_type,"
              " resume_stored_name = :resume_stored_name, created_at = :created_at,"
              " updated_at = :updated_at WHERE id = :id"_s);
    bindCandidate(q, c);
    q.bindValue(u":id"_s, c.id);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

std::optional<IdempotencyRecord>
SandboxStore::idempotency(const QByteArray &scope, const QString &key, const QDateTime &notBefore)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"SELECT fingerprint, status, body, location, created_at FROM idempotency"
              " WHERE scope = ? AND key = ? AND created_at >= ?"_s);
    q.addBindValue(scope);
    q.addBindValue(key);
    q.addBindValue(iso(notBefore));
    if (run(q) && q.next()) {
        return IdempotencyRecord { q.value(0).toByteArray(), q.value(1).toInt(),
                                   q.value(2).toByteArray(), q.value(3).toByteArray(),
                                   fromIso(q.value(4)) };
    }
    return std::nullopt;
}

bool SandboxStore::saveIdempotency(const QByteArray &scope, const QString &key,
                                   const IdempotencyRecord &r, QString *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    // REPLACE: an expired record for the same key gives way to the new one.
    q.prepare(
        u"INSERT OR REPLACE INTO idempotency (scope, key, fingerprint, status, body, location,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(scope);
    q.addBindValue(key);
    q.addBindValue(r.fingerprint);
    q.addBindValue(r.status);
    q.addBindValue(r.body);
    q.addBindValue(r.location);
    q.addBindValue(iso(r.createdAt));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

void SandboxStore::purgeIdempotency(const QDateTime &olderThan)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName));
    q.prepare(u"DELETE FROM idempotency WHERE created_at < ?"_s);
    q.addBindValue(iso(olderThan));
    run(q);
}

} // namespace cdesk::sandbox
