#include "JobListFetch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {
constexpr int kMaxPages = 1000; // a server whose `next` never ends cannot keep us forever
}

JobListFetch::JobListFetch(QNetworkAccessManager *network, ApiEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_endpoint(std::move(endpoint))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_reply)
            m_reply->abort();
    });
}

void JobListFetch::start()
{
    if (const QString problem = m_endpoint.problem(); !problem.isEmpty()) {
        // Answer on the next turn of the event loop, as a network answer would come.
        QTimer::singleShot(0, this, [this, problem] { finish(problem); });
        return;
    }
    fetch(m_endpoint.url(u"jobs/?status=open&page_size=200"_s));
}

void JobListFetch::cancel()
{
    if (m_reply)
        m_reply->abort();
}

void JobListFetch::fetch(const QUrl &url)
{
    ++m_pages;
    QNetworkReply *reply = m_network->get(m_endpoint.request(url));
    m_reply = reply;
    m_timer->start(m_timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReply(reply); });
}

void JobListFetch::onReply(QNetworkReply *reply)
{
    reply->deleteLater();
    m_timer->stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (m_timedOut) {
        finish(tr("The API did not answer in time. Check your connection and try again."));
        return;
    }
    if (status == 401 || status == 403) {
        finish(tr("The API refused the token. Check the token in Settings."));
        return;
    }
    if (status == 0) {
        finish(tr("Cannot reach the API: %1").arg(reply->errorString()));
        return;
    }
    if (status != 200) {
        finish(tr("The API answered with an error (HTTP %1).").arg(status));
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonArray results
        = doc.isArray() ? doc.array() : doc.object().value(u"results"_s).toArray();
    if (!doc.isArray() && !doc.object().contains(u"results"_s)) {
        finish(tr("The API's answer is not a list of jobs."));
        return;
    }
    for (const auto &value : results) {
        if (auto job = Job::fromJson(value.toObject()); job && job->open)
            m_jobs.append(*job);
    }
    const QUrl next(doc.object().value(u"next"_s).toString());
    if (next.isValid() && !next.isEmpty() && m_pages < kMaxPages) {
        fetch(next);
        return;
    }
    finish({});
}

void JobListFetch::finish(const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(error.isEmpty() ? m_jobs : QList<Job> {}, error);
}

} // namespace cdesk
