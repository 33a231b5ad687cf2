#include "SeedJobs.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

QList<JobRecord> defaultSeedJobs()
{
    struct Seed
    {
        const char16_t *title, *department, *location, *status, *createdAt;
    };
    static constexpr Seed seeds[] = {
        { u"Backend Engineer", u"Engineering", u"Bengaluru", u"open", u"2026-10-02T09:15:00Z" },
        { u"Senior Frontend Engineer", u"Engineering", u"Remote (India)", u"open",
          u"2026-10-05T11:00:00Z" },
        { u"QA Automation Engineer", u"Engineering", u"Pune", u"closed", u"2026-07-14T08:30:00Z" },
        { u"Product Designer", u"Design", u"Mumbai", u"open", u"2026-09-21T10:45:00Z" },
        { u"Data Analyst", u"Analytics", u"Hyderabad", u"open", u"2026-10-12T07:20:00Z" },
        { u"Talent Acquisition Partner", u"People", u"Bengaluru", u"open",
          u"2026-08-30T12:00:00Z" },
        { u"Account Executive, EMEA", u"Sales", u"London", u"open", u"2026-10-20T14:10:00Z" },
        { u"Customer Success Manager", u"Customer Success", u"Gurugram", u"closed",
          u"2026-06-03T09:00:00Z" },
        { u"DevOps Engineer", u"Engineering", u"Chennai", u"open", u"2026-11-02T06:40:00Z" },
        { u"Finance Controller", u"Finance", u"Mumbai", u"closed", u"2026-05-18T10:00:00Z" },
        { u"Content Marketing Manager", u"Marketing", u"New York", u"open",
          u"2026-11-09T15:30:00Z" },
        { u"Mobile Engineer (Android)", u"Engineering", u"Bengaluru", u"open",
          u"2026-11-16T08:05:00Z" },
    };
    QList<JobRecord> jobs;
    qint64 id = 101;
    for (const auto &s : seeds) {
        auto created = QDateTime::fromString(QString::fromUtf16(s.createdAt), Qt::ISODate);
        jobs.append(JobRecord { id++, QString::fromUtf16(s.title), QString::fromUtf16(s.department),
                                QString::fromUtf16(s.location), QString::fromUtf16(s.status),
                                created });
    }
    return jobs;
}

bool readSeedJobs(const QString &path, QList<JobRecord> *jobs, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"Cannot read the seed jobs file %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isArray()) {
        *error = u"The seed jobs file %1 is not a JSON array of jobs (%2)"_s.arg(
            path, parseError.errorString());
        return false;
    }
    qint64 nextId = 1;
    for (const auto &value : doc.array()) {
        const QJsonObject o = value.toObject();
        JobRecord job;
        job.id = o.value(u"id"_s).toInteger(nextId);
        nextId = job.id + 1;
        job.title = o.value(u"title"_s).toString();
        job.department = o.value(u"department"_s).toString();
        job.location = o.value(u"location"_s).toString();
        job.status = o.value(u"status"_s).toString(u"open"_s);
        job.createdAt = QDateTime::fromString(o.value(u"created_at"_s).toString(), Qt::ISODate);
        if (!job.createdAt.isValid())
            job.createdAt = QDateTime::currentDateTimeUtc();
        if (job.title.isEmpty() || (job.status != u"open"_s && job.status != u"closed"_s)) {
            *error = u"Every job in %1 needs a title and a status of \"open\" or \"closed\""_s.arg(
                path);
            return false;
        }
        jobs->append(job);
    }
    return true;
}

} // namespace cdesk::sandbox
