#pragma once

#include "api/ApiEndpoint.h"
#include "api/ApiResult.h"
#include "model/Candidate.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QHttpMultiPart;
class QIODevice;
class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace cdesk {

class Clock;

// One call to the API: one or more requests (pages, a read before a write),
// one finished() at the end. Deletes itself after finished() unless told not
// to; cancel() ends it with ApiError::Cancelled, told apart from a timeout.
class ApiCall : public QObject
{
    Q_OBJECT
public:
    ~ApiCall() override;

    void cancel();
    const ApiResult &result() const { return m_result; }
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void finished(const cdesk::ApiResult &result);
    // Bytes of the request body sent so far; never the (0, 0) Qt sends at the end.
    void uploadProgress(qint64 sent, qint64 total);
    // A list's page arrived: items so far, and the server's "count" (-1 when
    // it does not say, as with cursor pagination).
    void pageLoaded(int itemsSoFar, int total);

protected:
    friend class ApiClient;
    ApiCall(QNetworkAccessManager *network, ApiEndpoint endpoint, Clock *clock, int timeoutMs);

    virtual void begin() = 0;

    using Handler = std::function<void(const ApiResult &, const QByteArray &body)>;
    // Sends one request; the handler gets the mapped result and the body.
    // body may be a QHttpMultiPart (it is re-parented to the reply).
    void send(const QByteArray &verb, const QNetworkRequest &request, QHttpMultiPart *multipart,
              const QByteArray &bytes, Handler handler);
    void finish(ApiResult result);
    ApiEndpoint &endpoint() { return m_endpoint; }
    Clock *clock() const { return m_clock; }

private:
    void onReplyFinished(QNetworkReply *reply, const Handler &handler, qint64 requestBytes);
    void probeAfterCutUpload(const ApiResult &cut);

    QNetworkAccessManager *m_network;
    ApiEndpoint m_endpoint;
    Clock *m_clock;
    int m_timeoutMs;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_timer;
    ApiResult m_result;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_finished = false;
    qint64 m_uploadSent = 0; // of the current request's body
    qint64 m_uploadTotal = 0;
};

// The Candidate API (shared/api/candidate-api.md) on one injected
// QNetworkAccessManager. Each method starts a call and returns it; connect to
// its finished() signal. The client never follows redirects, refuses plain
// http to a non-loopback host and sends the token only to the API's origin.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    ApiClient(QNetworkAccessManager *network, Clock *clock, QObject *parent = nullptr);

    void setEndpoint(const ApiEndpoint &endpoint) { m_endpoint = endpoint; }
    const ApiEndpoint &endpoint() const { return m_endpoint; }
    // Inactivity timeout per request: no byte up or down for this long ends it.
    void setTimeout(int ms) { m_timeoutMs = ms; }

    // GET /jobs/ following `next`; accepts paginated, cursor and plain-array shapes.
    // status: "open", "closed" or "all".
    ApiCall *listJobs(const QString &status = QStringLiteral("open"));
    // POST /candidates/: multipart with the resume streamed from disk, or JSON
    // when there is no file. The key goes in Idempotency-Key.
    ApiCall *createCandidate(const Candidate &candidate, const QString &idempotencyKey);
    ApiCall *getCandidate(qint64 id);
    // GET /candidates/?email=, every page.
    ApiCall *findByEmail(const QString &email);
    // Read-modify-write: GET the candidate, apply `edits` for the `changed`
    // fields only, PUT the whole record, so untouched fields survive.
    ApiCall *updateCandidate(qint64 id, const Candidate &edits, const CandidateFields &changed);

private:
    template<typename Call, typename... Args> ApiCall *start(Args &&...args);

    QNetworkAccessManager *m_network;
    Clock *m_clock;
    ApiEndpoint m_endpoint;
    int m_timeoutMs = 30000;
};

} // namespace cdesk
