#pragma once

#include "api/ApiEndpoint.h"
#include "model/Job.h"

#include <QList>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace cdesk {

// One call: lists the open jobs, following `next` until it is null. Accepts the
// paginated shape ({"results": [...]}) and a plain JSON array. Emits finished()
// exactly once, then may be deleted.
class JobListFetch : public QObject
{
    Q_OBJECT
public:
    JobListFetch(QNetworkAccessManager *network, ApiEndpoint endpoint, QObject *parent = nullptr);

    void start();
    void cancel();
    void setTimeout(int ms) { m_timeoutMs = ms; }

Q_SIGNALS:
    // error is empty on success; otherwise a sentence for the recruiter.
    void finished(const QList<cdesk::Job> &jobs, const QString &error);

private:
    void fetch(const QUrl &url);
    void onReply(QNetworkReply *reply);
    void finish(const QString &error);

    QNetworkAccessManager *m_network;
    ApiEndpoint m_endpoint;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_timer;
    QList<Job> m_jobs;
    int m_timeoutMs = 30000;
    int m_pages = 0;
    bool m_timedOut = false;
    bool m_done = false;
};

} // namespace cdesk
