#include "ApiClient.h"

#include "api/TcpNoDelay.h"
#include "core/Clock.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMimeDatabase>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

constexpr int kMaxPages = 1000; // a server whose `next` never ends cannot keep us forever

QString tr(const char *text)
{
    return QCoreApplication::translate("ApiClient", text);
}

// A Content-Disposition parameter value: quotes and backslashes escaped, line
// breaks dropped; Unicode stays as raw UTF-8, as browsers and curl send it.
QByteArray quotedParameter(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\r', "").replace('\n', "");
    return '"' + out + '"';
}

QHttpPart textPart(const QString &name, const QByteArray &value)
{
    QHttpPart part;
    part.setRawHeader("Content-Disposition", "form-data; name=" + quotedParameter(name));
    part.setRawHeader("Content-Type", "text/plain; charset=utf-8");
    part.setBody(value);
    return part;
}

// The request body for a create or a full update: multipart with the resume
// streamed from disk when there is a file, JSON otherwise.
struct Body
{
    QHttpMultiPart *multipart = nullptr; // owned by the caller until sent
    QByteArray json;
    QString error;
};

Body candidateBody(const Candidate &candidate)
{
    Body body;
    const QJsonObject fields = candidate.toRequestJson();
    if (candidate.resumeFile.isEmpty()) {
        body.json = QJsonDocument(fields).toJson(QJsonDocument::Compact);
        return body;
    }
    auto *file = new QFile(candidate.resumeFile);
    if (!file->open(QIODevice::ReadOnly)) {
        body.error = tr("The resume file cannot be read: %1").arg(file->errorString());
        delete file;
        return body;
    }
    auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QJsonValue v = it.value();
        if (v.isNull() || v.isUndefined())
            continue; // multipart has no null: a part left out is null (DRF's full update)
        QByteArray text;
        if (v.isString())
            text = v.toString().toUtf8();
        else if (v.isDouble())
            text = QByteArray::number(v.toInteger());
        else if (v.isObject())
            text = QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
        else if (v.isBool())
            text = v.toBool() ? "true" : "false";
        multipart->append(textPart(it.key(), text));
    }
    QHttpPart resume;
    const QString fileName = QFileInfo(candidate.resumeFile).fileName();
    resume.setRawHeader("Content-Disposition",
                        "form-data; name=\"resume\"; filename=" + quotedParameter(fileName));
    const QMimeType mime
        = QMimeDatabase().mimeTypeForFile(candidate.resumeFile, QMimeDatabase::MatchContent);
    resume.setRawHeader("Content-Type", mime.name().toLatin1());
    // Streamed: QHttpMultiPart reads the file as it sends, never all of it at once.
    resume.setBodyDevice(file);
    file->setParent(multipart);
    multipart->append(resume);
    body.multipart = multipart;
    return body;
}

} // namespace

// ---- ApiCall -------------------------------------------------------------

ApiCall::ApiCall(QNetworkAccessManager *network, ApiEndpoint endpoint, Clock *clock, int timeoutMs)
    : m_network(network)
    , m_endpoint(std::move(endpoint))
    , m_clock(clock)
    , m_timeoutMs(timeoutMs)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_reply)
            m_reply->abort();
    });
}

ApiCall::~ApiCall()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ApiCall::cancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    if (m_reply)
        m_reply->abort();
    else
        finish(ApiResult::local(ApiError::Cancelled, tr("Cancelled.")));
}

void ApiCall::send(const QByteArray &verb, const QNetworkRequest &request,
                   QHttpMultiPart *multipart, const QByteArray &bytes, Handler handler)
{
    if (m_cancelled) {
        delete multipart;
        finish(ApiResult::local(ApiError::Cancelled, tr("Cancelled.")));
        return;
    }
    QNetworkReply *reply = multipart ? m_network->sendCustomRequest(request, verb, multipart)
                                     : m_network->sendCustomRequest(request, verb, bytes);
    qint64 requestBytes = bytes.size();
    if (multipart) {
        multipart->setParent(reply); // released with the reply
        for (const QFile *file : multipart->findChildren<QFile *>())
            requestBytes += file->size();
    }
    m_reply = reply;
    m_uploadSent = 0;
    m_uploadTotal = 0;
    m_timer->start(m_timeoutMs);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        m_timer->start(m_timeoutMs); // inactivity, not total time: a big upload may take long
        if (sent == 0 && total == 0)
            return; // Qt's end-of-upload call; a progress bar must not reset on it
        m_uploadSent = sent;
        m_uploadTotal = total;
        Q_EMIT uploadProgress(sent, total);
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [this] { m_timer->start(m_timeoutMs); });
    // Nagle off on the connection this request went out on (see TcpNoDelay.h).
    connect(reply, &QNetworkReply::requestSent, this, &setTcpNoDelayOnProcessSockets);
    connect(reply, &QNetworkReply::finished, this, [this, reply, handler, requestBytes] {
        onReplyFinished(reply, handler, requestBytes);
    });
}

void ApiCall::onReplyFinished(QNetworkReply *reply, const Handler &handler, qint64 requestBytes)
{
    m_timer->stop();
    reply->deleteLater();
    m_reply.clear();
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    ReplyFacts facts = ReplyFacts::from(reply, body, m_clock->now());
    facts.timedOut = m_timedOut;
    facts.cancelled = m_cancelled && !m_timedOut;
    facts.requestBodyBytes = requestBytes;
    const ApiResult result = ApiResult::fromReply(facts);
    // The connection dropped with part of the body still unsent. A server
    // (or the proxy in front of it) that refuses a body by its length
    // answers 413 at once and closes while the client is still sending; Qt
    // does not read that answer, and reports only the closed connection.
    if (result.error == ApiError::Network && m_uploadTotal > 0 && m_uploadSent < m_uploadTotal) {
        probeAfterCutUpload(result);
        return;
    }
    if (!result.ok()) {
        finish(result);
        return;
    }
    handler(result, body);
}

void ApiCall::probeAfterCutUpload(const ApiResult &cut)
{
    // Is the server there? If it answers a small request at once, it was
    // the server that cut the upload off: the body is too large for it, and
    // sending it again would only be cut off again. If it does not answer,
    // the network went away, and the upload is tried again later.
    const qint64 sent = m_uploadSent;
    const qint64 total = m_uploadTotal;
    m_uploadSent = m_uploadTotal = 0;
    QNetworkReply *probe = m_network->get(endpoint().request(u"jobs/?page_size=1"_s));
    m_reply = probe;
    m_timer->start(qMin(m_timeoutMs, 10000));
    connect(probe, &QNetworkReply::finished, this, [this, probe, cut, sent, total] {
        m_timer->stop();
        probe->deleteLater();
        m_reply.clear();
        const int status = probe->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_cancelled && !m_timedOut) {
            finish(ApiResult::local(ApiError::Cancelled, tr("Cancelled.")));
            return;
        }
        // Only a server that answers as itself (a list, or a word about the
        // token) is taken to have cut the upload on purpose. No answer, a
        // gateway's 502 or a 503 during a deploy: the network or the server's
        // weather, tried again later.
        const bool answersAsItself
            = (status >= 200 && status < 300) || status == 401 || status == 403 || status == 404;
        if (!answersAsItself) {
            finish(cut);
            return;
        }
        ApiResult tooLarge = cut;
        tooLarge.error = ApiError::TooLarge;
        tooLarge.httpStatus = 0;
        tooLarge.message
            = tr("The server stopped the upload part-way (%1 of %2 sent) and closed the "
                 "connection, which is how servers refuse a file over their size limit. Send the "
                 "resume as plain text or compress it, then try again.")
                  .arg(QLocale().formattedDataSize(sent), QLocale().formattedDataSize(total));
        finish(tooLarge);
    });
}

void ApiCall::finish(ApiResult result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = std::move(result);
    Q_EMIT finished(m_result);
    deleteLater();
}

// ---- the calls -----------------------------------------------------------

namespace {

ApiResult badResponse()
{
    ApiResult r = ApiResult::local(ApiError::BadResponse,
                                   tr("The server's answer could not be understood."));
    return r;
}

// GET a list, following `next` across pages. Accepts {"results": [...],
// "next": ...} with or without "count" (page or cursor pagination) and a plain
// JSON array (no pagination).
class ListCall : public ApiCall
{
public:
    using Collect = std::function<bool(const QJsonArray &items, ApiResult *result)>;
    ListCall(QNetworkAccessManager *n, ApiEndpoint e, Clock *c, int t, QString path,
             Collect collect)
        : ApiCall(n, std::move(e), c, t)
        , m_path(std::move(path))
        , m_collect(std::move(collect))
    { }

protected:
    void begin() override { fetch(endpoint().url(m_path)); }

private:
    void fetch(const QUrl &url)
    {
        ++m_pages;
        send("GET", endpoint().request(url), nullptr, {},
             [this](const ApiResult &, const QByteArray &body) {
                 const QJsonDocument doc = QJsonDocument::fromJson(body);
                 QJsonArray items;
                 QUrl next;
                 if (doc.isArray()) {
                     items = doc.array();
                 } else if (doc.isObject() && doc.object().value(u"results"_s).isArray()) {
                     items = doc.object().value(u"results"_s).toArray();
                     next = QUrl(doc.object().value(u"next"_s).toString());
                 } else {
                     finish(badResponse());
                     return;
                 }
                 if (!m_collect(items, &m_result)) {
                     finish(badResponse());
                     return;
                 }
                 m_items += int(items.size());
                 const QJsonValue count = doc.object().value(u"count"_s);
                 Q_EMIT pageLoaded(m_items, count.isDouble() ? qMax(m_items, count.toInt()) : -1);
                 if (!next.isEmpty() && next.isValid() && m_pages < kMaxPages) {
                     const QUrl nextUrl = endpoint().baseUrl().resolved(next);
                     // Another origin's list is not this account's: showing
                     // its items would pass them off as the account's own.
                     if (!endpoint().isSameOrigin(nextUrl)) {
                         finish(ApiResult::local(
                             ApiError::BadResponse,
                             tr("The server pointed to another address (%1) for the rest of the "
                                "list. It was not followed, so the list is not shown; check the "
                                "API address in Settings.")
                                 .arg(nextUrl.host().isEmpty() ? nextUrl.toDisplayString()
                                                               : nextUrl.host())));
                         return;
                     }
                     fetch(nextUrl);
                     return;
                 }
                 finish(m_result);
             });
    }

    QString m_path;
    Collect m_collect;
    ApiResult m_result;
    int m_pages = 0;
    int m_items = 0;
};

class GetCandidateCall : public ApiCall
{
public:
    GetCandidateCall(QNetworkAccessManager *n, ApiEndpoint e, Clock *c, int t, qint64 id)
        : ApiCall(n, std::move(e), c, t)
        , m_id(id)
    { }

protected:
    void begin() override
    {
        send(
            "GET", endpoint().request(u"candidates/%1/"_s.arg(m_id)), nullptr, {},
            [this](const ApiResult &ok, const QByteArray &body) { finishWithCandidate(ok, body); });
    }

public:
    void finishWithCandidate(ApiResult result, const QByteArray &body)
    {
        const auto candidate = RemoteCandidate::fromJson(QJsonDocument::fromJson(body).object());
        if (!candidate) {
            finish(badResponse());
            return;
        }
        result.candidate = candidate;
        finish(result);
    }

private:
    qint64 m_id;
};

// Sends a create or a full update body and reads the candidate it answers with.
class WriteCall : public ApiCall
{
public:
    WriteCall(QNetworkAccessManager *n, ApiEndpoint e, Clock *c, int t)
        : ApiCall(n, std::move(e), c, t)
    { }

protected:
    void write(const QByteArray &verb, const QString &path, const Candidate &candidate,
               const QByteArray &idempotencyKey)
    {
        Body body = candidateBody(candidate);
        if (!body.error.isEmpty()) {
            finish(ApiResult::local(ApiError::LocalProblem, body.error));
            return;
        }
        QNetworkRequest request = endpoint().request(path);
        if (!body.multipart)
            request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        if (!idempotencyKey.isEmpty())
            request.setRawHeader("Idempotency-Key", idempotencyKey);
        send(verb, request, body.multipart, body.json,
             [this](const ApiResult &ok, const QByteArray &reply) {
                 ApiResult result = ok;
                 result.candidate
                     = RemoteCandidate::fromJson(QJsonDocument::fromJson(reply).object());
                 finish(result.candidate ? result : badResponse());
             });
    }
};

class CreateCall : public WriteCall
{
public:
    CreateCall(QNetworkAccessManager *n, ApiEndpoint e, Clock *c, int t, Candidate candidate,
               QString key)
        : WriteCall(n, std::move(e), c, t)
        , m_candidate(std::move(candidate))
        , m_key(std::move(key))
    { }

protected:
    void begin() override { write("POST", u"candidates/"_s, m_candidate, m_key.toUtf8()); }

private:
    Candidate m_candidate;
    QString m_key;
};

class UpdateCall : public WriteCall
{
public:
    UpdateCall(QNetworkAccessManager *n, ApiEndpoint e, Clock *c, int t, qint64 id, Candidate edits,
               CandidateFields changed)
        : WriteCall(n, std::move(e), c, t)
        , m_id(id)
        , m_edits(std::move(edits))
        , m_changed(std::move(changed))
    { }

protected:
    void begin() override
    {
        const QString path = u"candidates/%1/"_s.arg(m_id);
        send("GET", endpoint().request(path), nullptr, {},
             [this, path](const ApiResult &, const QByteArray &body) {
                 const auto current
                     = RemoteCandidate::fromJson(QJsonDocument::fromJson(body).object());
                 if (!current) {
                     finish(badResponse());
                     return;
                 }
                 // Read-modify-write: the server's record with the recruiter's edits
                 // on top, sent whole, so fields nobody touched survive the PUT.
                 Candidate record = current->candidate;
                 record.apply(m_edits, m_changed);
                 write("PUT", path, record, {});
             });
    }

private:
    qint64 m_id;
    Candidate m_edits;
    CandidateFields m_changed;
};

} // namespace

// ---- ApiClient -----------------------------------------------------------

ApiClient::ApiClient(QNetworkAccessManager *network, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_clock(clock)
{ }

template<typename Call, typename... Args> ApiCall *ApiClient::start(Args &&...args)
{
    auto *call = new Call(m_network, m_endpoint, m_clock, m_timeoutMs, std::forward<Args>(args)...);
    call->setParent(this);
    const QString problem = m_endpoint.problem();
    // Start on the next turn of the event loop, so the caller can connect first.
    QTimer::singleShot(0, call, [call, problem] {
        if (!problem.isEmpty())
            static_cast<ApiCall *>(call)->finish(ApiResult::local(ApiError::LocalProblem, problem));
        else
            static_cast<ApiCall *>(call)->begin();
    });
    return call;
}

ApiCall *ApiClient::listJobs(const QString &status)
{
    QUrlQuery query;
    query.addQueryItem(u"status"_s, status);
    query.addQueryItem(u"page_size"_s, u"200"_s);
    return start<ListCall>(u"jobs/?"_s + query.toString(QUrl::FullyEncoded),
                           ListCall::Collect([](const QJsonArray &items, ApiResult *result) {
                               for (const auto &item : items) {
                                   if (auto job = Job::fromJson(item.toObject()))
                                       result->jobs.append(*job);
                               }
                               return true;
                           }));
}

ApiCall *ApiClient::findByEmail(const QString &email)
{
    QUrlQuery query;
    // Strict encoding: "+" in an address must not arrive as a space.
    query.addQueryItem(u"email"_s, QString::fromLatin1(QUrl::toPercentEncoding(email)));
    return start<ListCall>(u"candidates/?"_s + query.toString(QUrl::FullyEncoded),
                           ListCall::Collect([](const QJsonArray &items, ApiResult *result) {
                               for (const auto &item : items) {
                                   auto candidate = RemoteCandidate::fromJson(item.toObject());
                                   if (!candidate)
                                       return false;
                                   result->candidates.append(*candidate);
                               }
                               return true;
                           }));
}

ApiCall *ApiClient::getCandidate(qint64 id)
{
    return start<GetCandidateCall>(id);
}

ApiCall *ApiClient::createCandidate(const Candidate &candidate, const QString &idempotencyKey)
{
    return start<CreateCall>(candidate, idempotencyKey);
}

ApiCall *ApiClient::updateCandidate(qint64 id, const Candidate &edits,
                                    const CandidateFields &changed)
{
    return start<UpdateCall>(id, edits, changed);
}

} // namespace cdesk
