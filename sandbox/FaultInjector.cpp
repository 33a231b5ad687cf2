#include "FaultInjector.h"

#include <QHttpServerRequest>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

QString megabytes(qint64 bytes)
{
    const double mb = double(bytes) / (1024.0 * 1024.0);
    return QString::number(mb, 'g', 4);
}

} // namespace

FaultInjector::FaultInjector(Faults faults, qint64 maxResumeBytes)
    : m_faults(std::move(faults))
    , m_maxResumeBytes(maxResumeBytes)
{
    m_monotonic.start();
}

bool FaultInjector::take(int *next, double rate)
{
    if (*next > 0) {
        --*next;
        return true;
    }
    return rate > 0 && QRandomGenerator::global()->generateDouble() < rate;
}

bool FaultInjector::takeDropAfterCommit()
{
    return take(&m_faults.dropAfterCommitNext, m_faults.dropAfterCommitRate);
}

std::optional<Reply> FaultInjector::faultFor(const QHttpServerRequest &request)
{
    if (!m_faults.redirectTo.isEmpty()) {
        QUrl target = m_faults.redirectTo.resolved(QUrl(request.url().path()));
        target.setQuery(request.url().query());
        return Reply::detail(307, u"Moved."_s).header("Location", target.toEncoded());
    }
    if (auto throttled = throttle())
        return throttled;
    if (take(&m_faults.errorNext, m_faults.errorRate)) {
        Reply r;
        r.status = m_faults.errorStatus;
        r.body = "<h1>Server Error (" + QByteArray::number(r.status) + ")</h1>";
        r.header("Content-Type", "text/html; charset=utf-8");
        return r;
    }
    return std::nullopt;
}

std::optional<Reply> FaultInjector::throttle()
{
    if (m_faults.throttlePerSecond > 0) {
        const qint64 t = m_monotonic.elapsed();
        while (!m_recentRequests.empty() && t - m_recentRequests.front() >= 1000)
            m_recentRequests.pop_front();
        if (int(m_recentRequests.size()) >= m_faults.throttlePerSecond) {
            const qint64 waitMs = 1000 - (t - m_recentRequests.front());
            const qint64 seconds = qMax<qint64>(1, (waitMs + 999) / 1000);
            return Reply::detail(
                       429,
                       u"Request was throttled. Expected available in %1 %2."_s.arg(seconds).arg(
                           seconds == 1 ? u"second"_s : u"seconds"_s))
                .header("Retry-After", QByteArray::number(seconds));
        }
        m_recentRequests.push_back(t);
    }
    if (m_faults.throttleNext > 0) {
        --m_faults.throttleNext;
        return Reply::detail(429, u"Request was throttled. Expected available in 1 second."_s)
            .header("Retry-After", "1");
    }
    return std::nullopt;
}

Reply FaultInjector::tooLarge() const
{
    // Real deployments answer a big body in three ways; the client must read all of them.
    if (m_faults.tooLargeStyle == u"nginx"_s) {
        Reply r;
        r.status = 413;
        r.body = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
                 "<center><h1>413 Request Entity Too Large</h1></center>\r\n"
                 "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        r.header("Content-Type", "text/html");
        return r;
    }
    if (m_faults.tooLargeStyle == u"django"_s) {
        Reply r;
        r.status = 400;
        r.body = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Bad Request (400)</title>\n"
                 "</head>\n<body>\n  <h1>Bad Request (400)</h1><p></p>\n</body>\n</html>\n";
        r.header("Content-Type", "text/html; charset=utf-8");
        return r;
    }
    return Reply::detail(
        413, u"Resume file too large. Maximum size is %1 MB."_s.arg(megabytes(m_maxResumeBytes)));
}

} // namespace cdesk::sandbox
