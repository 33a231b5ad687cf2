#include "SandboxServer.h"

#include "CandidateRules.h"
#include "FaultsJson.h"
#include "MultipartParser.h"
#include "RequestGate.h"
#include "SandboxStore.h"
#include "SeedJobs.h"

#include <QAbstractHttpServer>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QPointer>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

#include <deque>
#include <functional>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

constexpr auto kApiPrefix = "/api/v1/";
constexpr int kIdempotencyHours = 24;

struct Reply
{
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool dropConnection = false; // the write is committed, then the connection closes unanswered

    static Reply json(int status, const QJsonValue &value)
    {
        Reply r;
        r.status = status;
        r.body = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        return r;
    }
    static Reply detail(int status, const QString &text)
    {
        return json(status, QJsonObject { { u"detail"_s, text } });
    }
    Reply &header(const QByteArray &name, const QByteArray &value)
    {
        headers.append({ name, value });
        return *this;
    }
};

Reply notFound()
{
    return Reply::detail(404, u"Not found."_s);
}

Reply conflict(qint64 existingId)
{
    return Reply::json(
        409,
        QJsonObject { { u"detail"_s, u"A candidate with this email already exists."_s },
                      { u"id"_s, existingId } });
}

// Compares in time that does not depend on where the first difference is.
bool sameToken(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    uchar diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= uchar(a[i]) ^ uchar(b[i]);
    return diff == 0;
}

// DRF answers 401 with a challenge when the first authentication class has
// one (TokenAuthentication), and 403 with the same detail when it has none.
QByteArray reasonPhrase(int status)
{
    static const QHash<int, QByteArray> phrases = {
        { 200, "OK" },
        { 201, "Created" },
        { 307, "Temporary Redirect" },
        { 400, "Bad Request" },
        { 401, "Unauthorized" },
        { 403, "Forbidden" },
        { 404, "Not Found" },
        { 405, "Method Not Allowed" },
        { 409, "Conflict" },
        { 413, "Request Entity Too Large" },
        { 415, "Unsupported Media Type" },
        { 422, "Unprocessable Entity" },
        { 429, "Too Many Requests" },
        { 411, "Length Required" },
        { 500, "Internal Server Error" },
        { 502, "Bad Gateway" },
        { 503, "Service Unavailable" },
        { 504, "Gateway Timeout" },
    };
    return phrases.value(status, "Unknown");
}

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

Reply notAnObject(const QJsonValue &value)
{
    return Reply::json(
        400,
        QJsonObject { { u"non_field_errors"_s,
                        QJsonArray { u"Invalid data. Expected a dictionary, but got %1."_s.arg(
                            pythonTypeName(value)) } } });
}

QString megabytes(qint64 bytes)
{
    const double mb = double(bytes) / (1024.0 * 1024.0);
    return QString::number(mb, 'g', 4);
}

} // namespace

// QtHttpServer's abstract server, so requests arrive with their socket: the
// sandbox needs it to delay an answer or to close a connection unanswered.
class HttpEndpoint : public QAbstractHttpServer
{
public:
    using Handler = std::function<Reply(const QHttpServerRequest &)>;
    HttpEndpoint(Handler handler, std::function<int()> latencyMs)
        : m_handler(std::move(handler))
        , m_latencyMs(std::move(latencyMs))
    { }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }

private:
    Handler m_handler;
    std::function<int()> m_latencyMs;
};

class SandboxServer::Private
{
public:
    explicit Private(Options o)
        : options(std::move(o))
    { }

    Reply handle(const QHttpServerRequest &request);
    Reply handleAdmin(const QHttpServerRequest &request, const QString &path);
    Reply handleApi(const QHttpServerRequest &request, const QString &path);
    Reply listJobs(const QHttpServerRequest &request);
    Reply getJob(qint64 id);
    Reply listCandidates(const QHttpServerRequest &request);
    Reply getCandidate(qint64 id);
    Reply createCandidate(const QHttpServerRequest &request, const QByteArray &token);
    Reply updateCandidate(const QHttpServerRequest &request, qint64 id);

    std::optional<Reply> readInput(const QHttpServerRequest &request, CandidateInput *input);
    std::optional<Reply> checkResumeSize(const CandidateInput &input);
    bool storeResume(const UploadedFile &file, const QString &contentType, ResumeFile *stored,
                     QString *error);
    QJsonObject candidateJson(const CandidateRecord &c);
    struct Page
    {
        qint64 number = 1;
        int size = 50;
        qint64 last = 1;
        qint64 offset() const { return (number - 1) * size; }
    };
    static QUrlQuery formQuery(const QHttpServerRequest &request);
    std::optional<Reply> pageParams(const QHttpServerRequest &request, qint64 total, Page *page);
    Reply paginate(const QHttpServerRequest &request, qint64 total, const Page &page,
                   const QJsonArray &results);
    std::optional<Reply> applyFaults();
    bool takeFault(int *next, double rate);

    QDateTime now() const
    {
        return fixedNow.isValid() ? fixedNow : QDateTime::currentDateTimeUtc();
    }
    Reply tooLarge() const;
    QString tooLargeDetail() const;

    Options options;
    Faults faults;
    QDateTime fixedNow;
    std::unique_ptr<QTemporaryDir> tempDir;
    std::unique_ptr<SandboxStore> store;
    std::unique_ptr<HttpEndpoint> http;
    GatedTcpServer *tcp = nullptr;
    // Throttling counts on a monotonic clock: the frozen test clock must not
    // hold the window still (or move it back).
    QElapsedTimer monotonic;
    std::deque<qint64> recentRequests; // monotonic ms of the API requests in the last second
    QUrl baseUrl; // http://127.0.0.1:<port>, for every absolute link
    QString error;
    CandidateRules rules;
};

SandboxServer::SandboxServer(Options options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(std::move(options)))
{
    auto random40hex = [] {
        QByteArray bytes(20, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 5);
        return bytes.toHex();
    };
    if (d->options.token.isEmpty())
        d->options.token = random40hex();
    if (d->options.readOnlyToken.isEmpty())
        d->options.readOnlyToken = random40hex();
    if (d->options.adminToken.isEmpty())
        d->options.adminToken = random40hex();
    d->faults = d->options.faults;
    d->fixedNow = d->options.fixedNow;
    d->rules.findJob = [this](qint64 id) {
        return d->store->job(id);
    };
}

SandboxServer::~SandboxServer() = default;

bool SandboxServer::start()
{
    if (d->options.dataDir.isEmpty()) {
        d->tempDir = std::make_unique<QTemporaryDir>();
        if (!d->tempDir->isValid()) {
            d->error
                = tr("Cannot create a temporary data folder: %1").arg(d->tempDir->errorString());
            return false;
        }
        d->options.dataDir = d->tempDir->path();
    }
    d->options.dataDir = QDir(d->options.dataDir).absolutePath();
    d->store = std::make_unique<SandboxStore>(d->options.dataDir);
    QString error;
    if (!d->store->open(&error)) {
        d->error = tr("Cannot open the sandbox database in %1: %2").arg(d->options.dataDir, error);
        return false;
    }
    // Candidate data is personal: the folder and its files are the user's alone.
    QFile::setPermissions(d->options.dataDir,
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QFile::setPermissions(d->store->resumeDir(),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // A crash between writing a resume and committing its row leaves the file
    // behind: nothing refers to it, so it goes.
    const QSet<QString> referenced = d->store->storedResumeNames();
    const QDir resumes(d->store->resumeDir());
    for (const QString &name : resumes.entryList(QDir::Files)) {
        if (!referenced.contains(name))
            QFile::remove(resumes.filePath(name));
    }
    if (!d->store->hasJobs()) {
        QList<JobRecord> jobs;
        if (d->options.seedJobsFile.isEmpty())
            jobs = defaultSeedJobs();
        else if (!readSeedJobs(d->options.seedJobsFile, &jobs, &error)) {
            d->error = error;
            return false;
        }
        if (!d->store->insertJobs(jobs, &error)) {
            d->error = tr("Cannot store the seed jobs: %1").arg(error);
            return false;
        }
    }

    RequestGate::Limits limits;
    limits.maxBodyBytes
        = qMax(4 * d->options.maxResumeBytes, d->options.maxResumeBytes + (16 << 20));
    limits.tooLarge = [this] {
        const Reply r = d->tooLarge();
        QByteArray type = "application/json";
        for (const auto &[name, value] : r.headers) {
            if (name.compare("content-type", Qt::CaseInsensitive) == 0)
                type = value;
        }
        return RequestGate::Answer { r.status, reasonPhrase(r.status), type, r.body };
    };
    d->http = std::make_unique<HttpEndpoint>(
        [this](const QHttpServerRequest &request) { return d->handle(request); },
        [this] { return d->faults.latencyMs; });
    d->tcp = new GatedTcpServer(limits);
    if (!d->tcp->listen(QHostAddress::LocalHost, d->options.port)) {
        d->error = tr("Cannot listen on 127.0.0.1:%1: %2")
                       .arg(d->options.port)
                       .arg(d->tcp->errorString());
        delete d->tcp;
        d->tcp = nullptr;
        return false;
    }
    d->http->bind(d->tcp); // the HTTP server takes ownership
    d->baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(d->tcp->serverPort()));
    d->monotonic.start();
    return true;
}

QString SandboxServer::errorString() const
{
    return d->error;
}

quint16 SandboxServer::port() const
{
    return d->tcp ? d->tcp->serverPort() : 0;
}

QUrl SandboxServer::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/api/v1"_s.arg(port()));
}

QUrl SandboxServer::adminUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/_sandbox/faults"_s.arg(port()));
}

QByteArray SandboxServer::token() const
{
    return d->options.token;
}

QByteArray SandboxServer::readOnlyToken() const
{
    return d->options.readOnlyToken;
}

QByteArray SandboxServer::adminToken() const
{
    return d->options.adminToken;
}

QString SandboxServer::dataDir() const
{
    return d->options.dataDir;
}

Faults SandboxServer::faults() const
{
    return d->faults;
}

void SandboxServer::setFaults(const Faults &faults)
{
    d->faults = faults;
}

QByteArray SandboxServer::announcement() const
{
    const QJsonObject o {
        { u"base_url"_s, baseUrl().toString() },
        { u"token"_s, QString::fromLatin1(token()) },
        { u"read_only_token"_s, QString::fromLatin1(readOnlyToken()) },
        { u"admin_url"_s, adminUrl().toString() },
        { u"admin_token"_s, QString::fromLatin1(adminToken()) },
        { u"data_dir"_s, dataDir() },
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool HttpEndpoint::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (RequestGate::isRejected(socket))
        return true; // already answered by the gate
    const Reply reply = m_handler(request);
    const bool head = request.method() == QHttpServerRequest::Method::Head;

    QPointer<QTcpSocket> guard(socket);
    auto deliver = [guard, reply, head] {
        if (!guard || guard->state() != QAbstractSocket::ConnectedState)
            return;
        if (reply.dropConnection) {
            guard->abort();
            return;
        }
        QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + ' '
            + reasonPhrase(reply.status) + "\r\n";
        bool hasType = false;
        for (const auto &[name, value] : reply.headers) {
            hasType = hasType || name.compare("content-type", Qt::CaseInsensitive) == 0;
            out += name + ": " + value + "\r\n";
        }
        if (!hasType)
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
        if (!head)
            out += reply.body;
        guard->write(out);
    };
    const int latency = m_latencyMs();
    if (latency > 0)
        QTimer::singleShot(latency, socket, deliver);
    else
        deliver();
    return true;
}

QString SandboxServer::Private::tooLargeDetail() const
{
    return u"Resume file too large. Maximum size is %1 MB."_s.arg(
        megabytes(options.maxResumeBytes));
}

Reply SandboxServer::Private::tooLarge() const
{
    // Real deployments answer a big body in three ways; the client must read all of them.
    if (faults.tooLargeStyle == u"nginx"_s) {
        Reply r;
        r.status = 413;
        r.body = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
                 "<center><h1>413 Request Entity Too Large</h1></center>\r\n"
                 "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        r.header("Content-Type", "text/html");
        return r;
    }
    if (faults.tooLargeStyle == u"django"_s) {
        Reply r;
        r.status = 400;
        r.body = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Bad Request (400)</title>\n"
                 "</head>\n<body>\n  <h1>Bad Request (400)</h1><p></p>\n</body>\n</html>\n";
        r.header("Content-Type", "text/html; charset=utf-8");
        return r;
    }
    return Reply::detail(413, tooLargeDetail());
}

Reply SandboxServer::Private::handle(const QHttpServerRequest &request)
{
    const QString path = request.url().path();
    Reply reply;
    if (path.startsWith(u"/_sandbox/"_s))
        reply = handleAdmin(request, path);
    else if (path.startsWith(QLatin1StringView(kApiPrefix)))
        reply = handleApi(request, path.mid(qsizetype(strlen(kApiPrefix))));
    else
        reply = notFound();
    // A read that failed must not pass for "not found" or an empty list.
    if (const QString failure = store->takeFailure(); !failure.isEmpty())
        return Reply::detail(500, u"The sandbox's database failed: %1"_s.arg(failure));
    return reply;
}

namespace {

enum class Auth { Missing, Invalid, ReadWrite, ReadOnly, Admin };

struct AuthResult
{
    Auth auth = Auth::Missing;
    QString message;
    QByteArray token;
};

AuthResult authenticate(const QHttpServerRequest &request, const Options &options)
{
    const QList<QByteArray> parts = request.value("authorization").simplified().split(' ');
    if (parts.isEmpty() || parts[0].toLower() != "token")
        return { Auth::Missing, u"Authentication credentials were not provided."_s, {} };
    if (parts.size() == 1)
        return { Auth::Invalid, u"Invalid token header. No credentials provided."_s, {} };
    if (parts.size() > 2)
        return { Auth::Invalid,
                 u"Invalid token header. Token string should not contain spaces."_s,
                 {} };
    const QByteArray &token = parts[1];
    if (sameToken(token, options.token))
        return { Auth::ReadWrite, {}, token };
    if (sameToken(token, options.readOnlyToken))
        return { Auth::ReadOnly, {}, token };
    if (sameToken(token, options.adminToken))
        return { Auth::Admin, {}, token };
    return { Auth::Invalid, u"Invalid token."_s, {} };
}

Reply unauthorized(const QString &message, int status = 401)
{
    if (status == 403)
        return Reply::detail(403, message);
    return Reply::detail(401, message).header("WWW-Authenticate", "Token");
}

Reply forbidden()
{
    return Reply::detail(403, u"You do not have permission to perform this action."_s);
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    const char *key = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method));
    return key ? QByteArray(key).toUpper() : QByteArrayLiteral("UNKNOWN");
}

Reply methodNotAllowed(QHttpServerRequest::Method method, const QByteArray &allow)
{
    return Reply::detail(
               405, u"Method \"%1\" not allowed."_s.arg(QString::fromLatin1(methodName(method))))
        .header("Allow", allow);
}

// "candidates/42/" -> 42; anything else -> 0.
qint64 idSegment(const QString &path, const QString &collection)
{
    if (!path.startsWith(collection) || !path.endsWith(u'/'))
        return 0;
    const QString middle = path.mid(collection.size(), path.size() - collection.size() - 1);
    if (middle.isEmpty() || middle.size() > 18
        || !std::all_of(middle.begin(), middle.end(),
                        [](QChar c) { return c.isDigit() && c.unicode() < 0x80; }))
        return 0;
    return middle.toLongLong();
}

} // namespace

Reply SandboxServer::Private::handleAdmin(const QHttpServerRequest &request, const QString &path)
{
    const bool isFaults = path == u"/_sandbox/faults"_s;
    const bool isClock = path == u"/_sandbox/clock"_s;
    if (!isFaults && !isClock)
        return notFound();
    const AuthResult auth = authenticate(request, options);
    if (auth.auth == Auth::Missing || auth.auth == Auth::Invalid)
        return unauthorized(auth.message);
    if (auth.auth != Auth::Admin)
        return forbidden();
    const auto method = request.method();
    if (method != QHttpServerRequest::Method::Get && method != QHttpServerRequest::Method::Put)
        return methodNotAllowed(method, "GET, PUT");

    auto clockJson = [this] {
        return QJsonObject { { u"now"_s, isoTime(now()) }, { u"frozen"_s, fixedNow.isValid() } };
    };
    if (method == QHttpServerRequest::Method::Get)
        return Reply::json(200, isFaults ? faultsToJson(faults) : clockJson());

    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(request.body(), &parseError);
    if (!doc.isObject())
        return Reply::detail(400, u"Send a JSON object."_s);
    const QJsonObject patch = doc.object();
    if (isFaults) {
        QString error;
        if (!applyFaultsJson(patch, &faults, &error))
            return Reply::detail(400, error);
        return Reply::json(200, faultsToJson(faults));
    }
    if (patch.contains(u"now"_s)) {
        const QJsonValue v = patch.value(u"now"_s);
        if (v.isNull()) {
            fixedNow = QDateTime();
        } else {
            const auto t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
            if (!t.isValid())
                return Reply::detail(400, u"now must be an RFC 3339 time or null."_s);
            fixedNow = t.toUTC();
        }
    }
    if (patch.contains(u"advance_seconds"_s)) {
        if (!fixedNow.isValid())
            return Reply::detail(400, u"Freeze the clock with \"now\" before advancing it."_s);
        fixedNow = fixedNow.addSecs(patch.value(u"advance_seconds"_s).toInteger());
    }
    return Reply::json(200, clockJson());
}

bool SandboxServer::Private::takeFault(int *next, double rate)
{
    if (*next > 0) {
        --*next;
        return true;
    }
    return rate > 0 && QRandomGenerator::global()->generateDouble() < rate;
}

std::optional<Reply> SandboxServer::Private::applyFaults()
{
    if (faults.throttlePerSecond > 0) {
        const qint64 t = monotonic.elapsed();
        while (!recentRequests.empty() && t - recentRequests.front() >= 1000)
            recentRequests.pop_front();
        if (int(recentRequests.size()) >= faults.throttlePerSecond) {
            const qint64 waitMs = 1000 - (t - recentRequests.front());
            const qint64 seconds = qMax<qint64>(1, (waitMs + 999) / 1000);
            return Reply::detail(
                       429,
                       u"Request was throttled. Expected available in %1 %2."_s.arg(seconds).arg(
                           seconds == 1 ? u"second"_s : u"seconds"_s))
                .header("Retry-After", QByteArray::number(seconds));
        }
        recentRequests.push_back(t);
    }
    if (faults.throttleNext > 0) {
        --faults.throttleNext;
        return Reply::detail(429, u"Request was throttled. Expected available in 1 second."_s)
            .header("Retry-After", "1");
    }
    if (takeFault(&faults.errorNext, faults.errorRate)) {
        Reply r;
        r.status = faults.errorStatus;
        r.body = "<h1>Server Error (" + QByteArray::number(r.status) + ")</h1>";
        r.header("Content-Type", "text/html; charset=utf-8");
        return r;
    }
    return std::nullopt;
}

Reply SandboxServer::Private::handleApi(const QHttpServerRequest &request, const QString &path)
{
    using Method = QHttpServerRequest::Method;
    enum class Route { None, Jobs, Job, Candidates, Candidate };
    Route route = Route::None;
    qint64 id = 0;
    if (path == u"jobs/"_s)
        route = Route::Jobs;
    else if ((id = idSegment(path, u"jobs/"_s)) > 0)
        route = Route::Job;
    else if (path == u"candidates/"_s)
        route = Route::Candidates;
    else if ((id = idSegment(path, u"candidates/"_s)) > 0)
        route = Route::Candidate;
    if (route == Route::None)
        return notFound();

    const AuthResult auth = authenticate(request, options);
    if (auth.auth == Auth::Missing || auth.auth == Auth::Invalid || auth.auth == Auth::Admin)
        return unauthorized(auth.auth == Auth::Admin ? u"Invalid token."_s : auth.message,
                            faults.authFailureStatus);

    if (!faults.redirectTo.isEmpty()) {
        QUrl target = faults.redirectTo.resolved(QUrl(request.url().path()));
        target.setQuery(request.url().query());
        return Reply::detail(307, u"Moved."_s).header("Location", target.toEncoded());
    }
    if (auto faulted = applyFaults())
        return *faulted;

    // HEAD is GET without the body (the body is dropped when the answer is written).
    const Method method = request.method() == Method::Head ? Method::Get : request.method();
    if (method == Method::Options) {
        const QByteArray allow = route == Route::Candidates ? "GET, POST, HEAD, OPTIONS"
            : route == Route::Candidate                     ? "GET, PUT, HEAD, OPTIONS"
                                                            : "GET, HEAD, OPTIONS";
        return Reply::json(
                   200,
                   QJsonObject { { u"name"_s, u"Candidate API"_s },
                                 { u"renders"_s, QJsonArray { u"application/json"_s } },
                                 { u"parses"_s,
                                   QJsonArray { u"application/json"_s, u"multipart/form-data"_s,
                                                u"application/x-www-form-urlencoded"_s } } })
            .header("Allow", allow);
    }
    switch (route) {
    case Route::Jobs:
        return method == Method::Get ? listJobs(request)
                                     : methodNotAllowed(method, "GET, HEAD, OPTIONS");
    case Route::Job:
        return method == Method::Get ? getJob(id) : methodNotAllowed(method, "GET, HEAD, OPTIONS");
    case Route::Candidates:
        if (method != Method::Get && method != Method::Post)
            return methodNotAllowed(method, "GET, POST, HEAD, OPTIONS");
        // A read-only token is limited to reading jobs (the contract).
        if (auth.auth != Auth::ReadWrite)
            return forbidden();
        return method == Method::Get ? listCandidates(request)
                                     : createCandidate(request, auth.token);
    case Route::Candidate:
        if (method != Method::Get && method != Method::Put)
            return methodNotAllowed(method, "GET, PUT, HEAD, OPTIONS");
        if (auth.auth != Auth::ReadWrite)
            return forbidden();
        return method == Method::Get ? getCandidate(id) : updateCandidate(request, id);
    case Route::None:
        break;
    }
    return notFound();
}

// Query parameters decoded as a form would be: "+" is a space, as Django reads them.
QUrlQuery SandboxServer::Private::formQuery(const QHttpServerRequest &request)
{
    QString raw = request.url().query(QUrl::FullyEncoded);
    raw.replace(u'+', u"%20"_s);
    return QUrlQuery(raw);
}

std::optional<Reply> SandboxServer::Private::pageParams(const QHttpServerRequest &request,
                                                        qint64 total, Page *page)
{
    if (faults.listShape == u"array"_s) {
        // No pagination at all: everything in one plain array, page parameters ignored.
        page->number = 1;
        page->size = int(qMin<qint64>(qMax<qint64>(total, 1), 100000));
        page->last = 1;
        return std::nullopt;
    }
    const QUrlQuery query = formQuery(request);
    page->size = 50;
    if (query.hasQueryItem(u"page_size"_s)) {
        bool ok = false;
        const int requested = query.queryItemValue(u"page_size"_s).toInt(&ok);
        if (ok && requested > 0)
            page->size = qMin(requested, 200); // DRF: max_page_size clamps, a bad size is ignored
    }
    page->last = qMax<qint64>(1, (total + page->size - 1) / page->size);
    // Cursor pagination names its position "cursor"; page pagination "page".
    const QString key = faults.listShape == u"cursor"_s ? u"cursor"_s : u"page"_s;
    const QString value = query.queryItemValue(key, QUrl::FullyDecoded).trimmed();
    page->number = 1;
    if (value == u"last"_s) {
        page->number = page->last;
    } else if (!value.isEmpty()) {
        bool ok = false;
        page->number = value.toLongLong(&ok);
        if (!ok || page->number < 1 || page->number > page->last)
            return Reply::detail(404, u"Invalid page."_s);
    }
    return std::nullopt;
}

Reply SandboxServer::Private::paginate(const QHttpServerRequest &request, qint64 total,
                                       const Page &page, const QJsonArray &results)
{
    if (faults.listShape == u"array"_s)
        return Reply::json(200, results);
    const bool cursor = faults.listShape == u"cursor"_s;
    const QString key = cursor ? u"cursor"_s : u"page"_s;
    // Absolute links on the sandbox's own origin, whatever Host the client sent.
    auto pageUrl = [&](qint64 number) -> QJsonValue {
        QUrl url = baseUrl;
        if (!faults.nextOrigin.isEmpty()) {
            url.setScheme(faults.nextOrigin.scheme());
            url.setHost(faults.nextOrigin.host());
            url.setPort(faults.nextOrigin.port());
        }
        url.setPath(request.url().path());
        QUrlQuery query = formQuery(request);
        query.removeAllQueryItems(key);
        if (number > 1 || cursor)
            query.addQueryItem(key, QString::number(number));
        url.setQuery(query);
        return url.toString(QUrl::FullyEncoded);
    };
    QJsonObject body {
        { u"next"_s, page.number < page.last ? pageUrl(page.number + 1) : QJsonValue() },
        { u"previous"_s, page.number > 1 ? pageUrl(page.number - 1) : QJsonValue() },
        { u"results"_s, results },
    };
    if (!cursor)
        body.insert(u"count"_s, total); // cursor pagination never counts
    return Reply::json(200, body);
}

static QJsonObject jobJson(const JobRecord &job)
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

Reply SandboxServer::Private::listJobs(const QHttpServerRequest &request)
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
    QList<JobRecord> jobs = store->jobs(status);
    if (!search.isEmpty()) {
        jobs.removeIf([&](const JobRecord &job) {
            return !job.title.contains(search, Qt::CaseInsensitive)
                && !job.department.contains(search, Qt::CaseInsensitive)
                && !job.location.contains(search, Qt::CaseInsensitive);
        });
    }
    Page page;
    if (auto invalid = pageParams(request, jobs.size(), &page))
        return *invalid;
    QJsonArray results;
    for (const auto &job : jobs.mid(page.offset(), page.size))
        results.append(jobJson(job));
    return paginate(request, jobs.size(), page, results);
}

Reply SandboxServer::Private::getJob(qint64 id)
{
    const auto job = store->job(id);
    return job ? Reply::json(200, jobJson(*job)) : notFound();
}

QJsonObject SandboxServer::Private::candidateJson(const CandidateRecord &c)
{
    auto orNull = [](const QString &s) {
        return s.isNull() ? QJsonValue() : QJsonValue(s);
    };
    QJsonValue job;
    if (c.jobId) {
        const auto record = store->job(*c.jobId);
        job = QJsonObject { { u"id"_s, *c.jobId },
                            { u"title"_s, record ? record->title : QString() } };
    }
    QJsonValue resume;
    if (c.resume) {
        resume = QJsonObject { { u"filename"_s, c.resume->fileName },
                               { u"size"_s, c.resume->size },
                               { u"content_type"_s, c.resume->contentType } };
    }
    return QJsonObject {
        { u"id"_s, c.id },
        { u"name"_s, c.name },
        { u"email"_s, c.email },
        { u"phone"_s, c.phone },
        { u"resume_url"_s, orNull(c.resumeUrl) },
        { u"job_id"_s, c.jobId ? QJsonValue(*c.jobId) : QJsonValue() },
        { u"job"_s, job },
        { u"talent_pool"_s, !c.jobId.has_value() },
        { u"source"_s, orNull(c.source) },
        { u"industry"_s, orNull(c.industry) },
        { u"department"_s, orNull(c.department) },
        { u"custom_fields"_s, c.customFields ? QJsonValue(*c.customFields) : QJsonValue() },
        { u"resume_file"_s, resume },
        { u"created_at"_s, isoTime(c.createdAt) },
        { u"updated_at"_s, isoTime(c.updatedAt) },
    };
}

Reply SandboxServer::Private::listCandidates(const QHttpServerRequest &request)
{
    // django-filter ignores an empty filter: "?email=" lists everyone.
    const QString email
        = formQuery(request).queryItemValue(u"email"_s, QUrl::FullyDecoded).trimmed();
    const QString filter = email.isEmpty() ? QString() : email;
    const qint64 total = store->candidateCount(filter);
    Page page;
    if (auto invalid = pageParams(request, total, &page))
        return *invalid;
    QJsonArray results;
    for (const auto &c : store->candidates(filter, page.offset(), page.size))
        results.append(candidateJson(c));
    return paginate(request, total, page, results);
}

Reply SandboxServer::Private::getCandidate(qint64 id)
{
    const auto c = store->candidate(id);
    return c ? Reply::json(200, candidateJson(*c)) : notFound();
}

std::optional<Reply> SandboxServer::Private::readInput(const QHttpServerRequest &request,
                                                       CandidateInput *input)
{
    const QByteArray body = request.body();
    // Whatever its form, a body larger than the largest resume plus room for the
    // other fields is refused before it is parsed.
    if (body.size() > options.maxResumeBytes + (1 << 20))
        return tooLarge();

    const QByteArray contentType = request.value("content-type");
    const QByteArray mediaType = contentType.split(';').value(0).trimmed().toLower();
    // DRF reads a zero-length body as empty data (white space is a JSON parse error).
    if (body.isEmpty() && (mediaType == "application/json" || mediaType == "multipart/form-data")) {
        *input = CandidateInput::fromJson({}); // DRF reads an empty body as empty data
        return std::nullopt;
    }
    if (mediaType == "application/json") {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError) {
            // Qt 6.4 refuses a lone value ("text", 42, null) that JSON allows:
            // wrapped in an array it parses, and DRF would name its type.
            const QJsonDocument wrapped = QJsonDocument::fromJson('[' + body + ']');
            if (wrapped.isArray() && wrapped.array().size() == 1)
                return notAnObject(wrapped.array().first());
            return Reply::detail(
                400,
                u"JSON parse error - %1 at offset %2"_s.arg(error.errorString()).arg(error.offset));
        }
        if (!doc.isObject())
            return notAnObject(doc.array());
        *input = CandidateInput::fromJson(doc.object());
        return std::nullopt;
    }
    if (mediaType == "multipart/form-data") {
        QString error;
        const QByteArray boundary = MultipartParser::boundaryFrom(contentType, &error);
        if (boundary.isEmpty())
            return Reply::detail(400, u"Multipart form parse error - "_s + error);
        const MultipartResult parsed = MultipartParser::parse(body, boundary);
        if (!parsed.ok)
            return Reply::detail(400, u"Multipart form parse error - "_s + parsed.error);
        *input = CandidateInput::fromFormParts(parsed.parts);
        return std::nullopt;
    }
    if (mediaType == "application/x-www-form-urlencoded") {
        QList<MultipartPart> parts;
        for (const QByteArray &pair : body.split('&')) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf('=');
            auto decode = [](QByteArray bytes) {
                return QByteArray::fromPercentEncoding(bytes.replace('+', ' '));
            };
            MultipartPart part;
            part.name = QString::fromUtf8(decode(pair.left(eq < 0 ? pair.size() : eq)));
            part.data = eq < 0 ? QByteArray() : decode(pair.mid(eq + 1));
            parts.append(part);
        }
        *input = CandidateInput::fromFormParts(parts);
        return std::nullopt;
    }
    if (mediaType.isEmpty() && body.isEmpty()) {
        *input = CandidateInput::fromJson({});
        return std::nullopt;
    }
    return Reply::detail(
        415, u"Unsupported media type \"%1\" in request."_s.arg(QString::fromLatin1(contentType)));
}

std::optional<Reply> SandboxServer::Private::checkResumeSize(const CandidateInput &input)
{
    if (input.resume && input.resume->data.size() > options.maxResumeBytes)
        return tooLarge();
    return std::nullopt;
}

bool SandboxServer::Private::storeResume(const UploadedFile &file, const QString &contentType,
                                         ResumeFile *stored, QString *error)
{
    // The client's filename is kept as data only; the file on disk gets a name of ours.
    stored->fileName = file.fileName;
    stored->size = file.data.size();
    stored->contentType = contentType;
    stored->storedName = QUuid::createUuid().toString(QUuid::WithoutBraces) + u".bin"_s;
    const QString path = store->resumeDir() + u'/' + stored->storedName;
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(file.data) != file.data.size()
        || !out.commit()) {
        *error = out.errorString();
        return false;
    }
    // Candidate data is personal: readable by the user alone.
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return true;
}

Reply SandboxServer::Private::createCandidate(const QHttpServerRequest &request,
                                              const QByteArray &token)
{
    CandidateInput input;
    if (auto refused = readInput(request, &input))
        return *refused;
    if (auto refused = checkResumeSize(input))
        return *refused;

    ValidatedCandidate valid = rules.validate(input);

    // Idempotency-Key (IETF httpapi draft): scoped to the token, kept 24 hours.
    // The key's bytes are kept as sent (Latin-1 maps each byte to one character).
    const QString key = QString::fromLatin1(request.value("idempotency-key").trimmed());
    const QByteArray scope = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    // What the request means, so a retry with a new multipart boundary, or the
    // same record sent as JSON, is the same request.
    const QByteArray fingerprint = valid.ok() ? fingerprintOf(valid, input) : input.fingerprint();
    const QDateTime t = now();
    if (!key.isEmpty()) {
        if (key.size() > 255)
            return Reply::detail(400, u"Idempotency-Key must be at most 255 characters."_s);
        if (const auto seen
            = store->idempotency(scope, key, t.addSecs(-3600 * kIdempotencyHours))) {
            if (seen->fingerprint != fingerprint)
                return Reply::detail(422, u"Idempotency-Key reused with a different request."_s);
            Reply replay;
            replay.status = seen->status;
            replay.body = seen->body;
            if (!seen->location.isEmpty())
                replay.header("Location", seen->location);
            replay.header("Idempotent-Replayed", "true");
            return replay;
        }
    }

    if (!valid.ok())
        return Reply::json(400, valid.errors);
    if (const auto existing = store->candidateIdByEmail(valid.record.email))
        return conflict(*existing);

    CandidateRecord record = valid.record;
    record.createdAt = record.updatedAt = t;
    QString error;
    if (input.resume) {
        ResumeFile stored;
        if (!storeResume(*input.resume, valid.resumeContentType, &stored, &error))
            return Reply::detail(500, u"Cannot store the resume: %1"_s.arg(error));
        record.resume = stored;
    }
    auto discardResume = [&] {
        if (record.resume)
            QFile::remove(store->resumeDir() + u'/' + record.resume->storedName);
    };
    if (!store->begin()) {
        discardResume();
        return Reply::detail(500, u"Cannot start a transaction."_s);
    }
    if (!store->insertCandidate(&record, &error)) {
        store->rollback();
        discardResume();
        return Reply::detail(500, u"Cannot store the candidate: %1"_s.arg(error));
    }
    Reply created = Reply::json(201, candidateJson(record));
    const QByteArray location
        = (baseUrl.toString() + QLatin1StringView(kApiPrefix) + u"candidates/%1/"_s.arg(record.id))
              .toUtf8();
    created.header("Location", location);
    if (!key.isEmpty()) {
        store->purgeIdempotency(t.addSecs(-3600 * kIdempotencyHours));
        if (!store->saveIdempotency(scope, key, { fingerprint, 201, created.body, location, t },
                                    &error)) {
            store->rollback();
            discardResume();
            return Reply::detail(500, u"Cannot store the idempotency key: %1"_s.arg(error));
        }
    }
    if (!store->commit()) {
        store->rollback();
        discardResume();
        return Reply::detail(500, u"Cannot commit the candidate."_s);
    }
    created.dropConnection = takeFault(&faults.dropAfterCommitNext, faults.dropAfterCommitRate);
    return created;
}

Reply SandboxServer::Private::updateCandidate(const QHttpServerRequest &request, qint64 id)
{
    const auto existing = store->candidate(id);
    if (!existing)
        return notFound();
    CandidateInput input;
    if (auto refused = readInput(request, &input))
        return *refused;
    if (auto refused = checkResumeSize(input))
        return *refused;
    ValidatedCandidate valid = rules.validate(input, &*existing);
    if (!valid.ok())
        return Reply::json(400, valid.errors);
    if (const auto other = store->candidateIdByEmail(valid.record.email); other && *other != id)
        return conflict(*other);

    CandidateRecord record = valid.record;
    record.id = id;
    record.createdAt = existing->createdAt;
    record.updatedAt = now();
    // No resume and no resume_url: the stored resume is kept (the contract).
    const bool resumeGiven = input.resume.has_value() || !record.resumeUrl.isNull();
    if (!resumeGiven) {
        record.resume = existing->resume;
        record.resumeUrl = existing->resumeUrl;
    } else if (!input.resume) {
        record.resume = existing->resume;
    }
    QString error;
    if (input.resume) {
        ResumeFile stored;
        if (!storeResume(*input.resume, valid.resumeContentType, &stored, &error))
            return Reply::detail(500, u"Cannot store the resume: %1"_s.arg(error));
        record.resume = stored;
    }
    if (!store->begin() || !store->updateCandidate(record, &error) || !store->commit()) {
        store->rollback();
        if (input.resume)
            QFile::remove(store->resumeDir() + u'/' + record.resume->storedName);
        return Reply::detail(500, u"Cannot update the candidate: %1"_s.arg(error));
    }
    if (input.resume && existing->resume)
        QFile::remove(store->resumeDir() + u'/' + existing->resume->storedName);
    Reply updated = Reply::json(200, candidateJson(record));
    updated.dropConnection = takeFault(&faults.dropAfterCommitNext, faults.dropAfterCommitRate);
    return updated;
}

} // namespace cdesk::sandbox
