#include "JobHandlers.h"

#include "Pagination.h"
#include "SandboxStore.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

QJsonObject jobJson(const JobRecord &job)
{
    return QJsonObject {
        { u"id"_s, job.id },
        { u"title"_s, job.title },
        { u"department"_s, job.department },
        { u"location"_s, job.location },
        { u"status"_s, job.status },
        { u"created_at"_s, isoTime(job.createdAt) },
    };
}

} // namespace

JobHandlers::JobHandlers(SandboxStore &store, const Pagination &pagination)
    : m_store(store)
    , m_pagination(pagination)
{ }

Reply JobHandlers::list(const QHttpServerRequest &request) const
{
    const QUrlQuery query = formQuery(request);
    QString status = u"open"_s;
    if (query.hasQueryItem(u"status"_s)) {
        status = query.queryItemValue(u"status"_s, QUrl::FullyDecoded);
        if (status != u"open"_s && status != u"closed"_s && status != u"all"_s) {
            const QString message
                = u"Select a valid choice. %1 is not one of the available choices."_s.arg(status);
            return Reply::json(400, QJsonObject { { u"status"_s, QJsonArray { message } } });
        }
    }
    // Jobs are few: the search runs here, where case folding knows all of Unicode
    // (SQLite's lower() folds ASCII only).
    const QString search = query.queryItemValue(u"search"_s, QUrl::FullyDecoded).trimmed();
    QList<JobRecord> jobs = m_store.jobs(status);
    if (!search.isEmpty()) {
        jobs.removeIf([&](const JobRecord &job) {
            return !job.title.contains(search, Qt::CaseInsensitive)
                && !job.department.contains(search, Qt::CaseInsensitive)
                && !job.location.contains(search, Qt::CaseInsensitive);
        });
    }
    Pagination::Page page;
    if (auto invalid = m_pagination.readPage(request, jobs.size(), &page))
        return *invalid;
    QJsonArray results;
    for (const auto &job : jobs.mid(page.offset(), page.size))
        results.append(jobJson(job));
    return m_pagination.answer(request, jobs.size(), page, results);
}

Reply JobHandlers::get(qint64 id) const
{
    const auto job = m_store.job(id);
    return job ? Reply::json(200, jobJson(*job)) : notFound();
}

} // namespace cdesk::sandbox
