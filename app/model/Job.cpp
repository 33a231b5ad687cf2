#include "Job.h"

using namespace Qt::StringLiterals;

namespace cdesk {

std::optional<Job> Job::fromJson(const QJsonObject &o)
{
    const qint64 id = o.value(u"id"_s).toInteger(0);
    const QString title = o.value(u"title"_s).toString();
    if (id <= 0 || title.isEmpty())
        return std::nullopt;
    Job job;
    job.id = id;
    job.title = title;
    job.department = o.value(u"department"_s).toString();
    job.location = o.value(u"location"_s).toString();
    job.open = o.value(u"status"_s).toString(u"open"_s) == u"open"_s;
    job.createdAt = QDateTime::fromString(o.value(u"created_at"_s).toString(), Qt::ISODateWithMs);
    return job;
}

} // namespace cdesk
