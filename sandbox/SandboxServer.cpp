#include "SandboxServer.h"

#include "AdminHandlers.h"
#include "Authenticator.h"
#include "CandidateHandlers.h"
#include "FaultInjector.h"
#include "HttpEndpoint.h"
#include "JobHandlers.h"
#include "Pagination.h"
#include "RequestGate.h"
#include "SandboxClock.h"
#include "SandboxStore.h"
#include "SeedJobs.h"

#include <QDir>
#include <QFile>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

constexpr auto kApiPrefix = "/api/v1/";

using Method = QHttpServerRequest::Method;

// One row of the API's routing table: a collection ("jobs/") or one of its
// items ("jobs/<id>/"), the methods it takes, and who may use it.
struct ApiRoute
{
    QString collection;
    bool item = false;
    QByteArray allow; // for 405 and OPTIONS
    bool readWriteOnly = false; // a read-only token is refused (403)
    std::function<Reply(const QHttpServerRequest &, qint64 id)> read; // GET and HEAD
    Method writeMethod = Method::Unknown;
    std::function<Reply(const QHttpServerRequest &, qint64 id, const QByteArray &token)> write = {};
};

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

Reply optionsReply(const QByteArray &allow)
{
    return Reply::json(200,
                       QJsonObject { { u"name"_s, u"Candidate API"_s },
                                     { u"renders"_s, QJsonArray { u"application/json"_s } },
                                     { u"parses"_s,
                                       QJsonArray { u"application/json"_s, u"multipart/form-data"_s,
                                                    u"application/x-www-form-urlencoded"_s } } })
        .header("Allow", allow);
}

Options withTokens(Options options)
{
    auto random40hex = [] {
        QByteArray bytes(20, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 5);
        return bytes.toHex();
    };
    if (options.token.isEmpty())
        options.token = random40hex();
    if (options.readOnlyToken.isEmpty())
        options.readOnlyToken = random40hex();
    if (options.adminToken.isEmpty())
        options.adminToken = random40hex();
    return options;
}

} // namespace

// Routing only: who may do what is the Authenticator's, misbehaviour the
// FaultInjector's, and the answers the handlers'.
class SandboxServer::Private
{
public:
    explicit Private(Options o);

    Reply handle(const QHttpServerRequest &request);
    Reply routeAdmin(const QHttpServerRequest &request, const QString &path);
    Reply routeApi(const QHttpServerRequest &request, const QString &path);
    bool prepareStore();

    Options options;
    Authenticator authenticator;
    FaultInjector faultInjector;
    SandboxClock clock;
    AdminHandlers admin;
    std::unique_ptr<QTemporaryDir> tempDir;
    std::unique_ptr<SandboxStore> store;
    // Made once the port is known: links and Location headers are absolute.
    std::unique_ptr<Pagination> pagination;
    std::unique_ptr<JobHandlers> jobs;
    std::unique_ptr<CandidateHandlers> candidates;
    QList<ApiRoute> routes;
    std::unique_ptr<HttpEndpoint> http;
    GatedTcpServer *tcp = nullptr;
    QString error;
};

SandboxServer::Private::Private(Options o)
    : options(withTokens(std::move(o)))
    , authenticator(options.token, options.readOnlyToken, options.adminToken)
    , faultInjector(options.faults, options.maxResumeBytes)
    , clock { options.fixedNow }
    , admin(faultInjector, clock)
{
    const QByteArray readOnly = "GET, HEAD, OPTIONS";
    routes = {
        { .collection = u"jobs/"_s,
          .allow = readOnly,
          .read =
              [this](const QHttpServerRequest &r, qint64) {
                  return jobs->list(r);
              } },
        { .collection = u"jobs/"_s,
          .item = true,
          .allow = readOnly,
          .read =
              [this](const QHttpServerRequest &, qint64 id) {
                  return jobs->get(id);
              } },
        { .collection = u"candidates/"_s,
          .allow = "GET, POST, HEAD, OPTIONS",
          .readWriteOnly = true,
          .read = [this](const QHttpServerRequest &r, qint64) { return candidates->list(r); },
          .writeMethod = Method::Post,
          .write =
              [this](const QHttpServerRequest &r, qint64, const QByteArray &token) {
                  return candidates->create(r, token);
              } },
        { .collection = u"candidates/"_s,
          .item = true,
          .allow = "GET, PUT, HEAD, OPTIONS",
          .readWriteOnly = true,
          .read = [this](const QHttpServerRequest &, qint64 id) { return candidates->get(id); },
          .writeMethod = Method::Put,
          .write =
              [this](const QHttpServerRequest &r, qint64 id, const QByteArray &) {
                  return candidates->update(r, id);
              } },
    };
}

SandboxServer::SandboxServer(Options options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(std::move(options)))
{ }

SandboxServer::~SandboxServer() = default;

bool SandboxServer::Private::prepareStore()
{
    if (options.dataDir.isEmpty()) {
        tempDir = std::make_unique<QTemporaryDir>();
        if (!tempDir->isValid()) {
            error = SandboxServer::tr("Cannot create a temporary data folder: %1")
                        .arg(tempDir->errorString());
            return false;
        }
        options.dataDir = tempDir->path();
    }
    options.dataDir = QDir(options.dataDir).absolutePath();
    store = std::make_unique<SandboxStore>(options.dataDir);
    QString why;
    if (!store->open(&why)) {
        error = SandboxServer::tr("Cannot open the sandbox database in %1: %2")
                    .arg(options.dataDir, why);
        return false;
    }
    // Candidate data is personal: the folder and its files are the user's alone.
    QFile::setPermissions(options.dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QFile::setPermissions(store->resumeDir(),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // A crash between writing a resume and committing its row leaves the file
    // behind: nothing refers to it, so it goes.
    const QSet<QString> referenced = store->storedResumeNames();
    const QDir resumes(store->resumeDir());
    for (const QString &name : resumes.entryList(QDir::Files)) {
        if (!referenced.contains(name))
            QFile::remove(resumes.filePath(name));
    }
    if (!store->hasJobs()) {
        QList<JobRecord> seed;
        if (options.seedJobsFile.isEmpty())
            seed = defaultSeedJobs();
        else if (!readSeedJobs(options.seedJobsFile, &seed, &why)) {
            error = why;
            return false;
        }
        if (!store->insertJobs(seed, &why)) {
            error = SandboxServer::tr("Cannot store the seed jobs: %1").arg(why);
            return false;
        }
    }
    return true;
}

bool SandboxServer::start()
{
    if (!d->prepareStore())
        return false;

    RequestGate::Limits limits;
    limits.maxBodyBytes
        = qMax(4 * d->options.maxResumeBytes, d->options.maxResumeBytes + (16 << 20));
    limits.tooLarge = [this] {
        const Reply r = d->faultInjector.tooLarge();
        const QByteArray type = r.contentType();
        return RequestGate::Answer { r.status, reasonPhrase(r.status),
                                     type.isEmpty() ? QByteArray("application/json") : type,
                                     r.body };
    };
    d->http = std::make_unique<HttpEndpoint>(
        [this](const QHttpServerRequest &request) { return d->handle(request); },
        [this] { return d->faultInjector.faults().latencyMs; });
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
    const QUrl origin(u"http://127.0.0.1:%1"_s.arg(d->tcp->serverPort()));
    d->pagination = std::make_unique<Pagination>(d->faultInjector, origin);
    d->jobs = std::make_unique<JobHandlers>(*d->store, *d->pagination);
    d->candidates = std::make_unique<CandidateHandlers>(
        *d->store, d->faultInjector, d->clock, *d->pagination,
        origin.toString() + QLatin1StringView(kApiPrefix) + u"candidates/"_s,
        d->options.maxResumeBytes);
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
    return d->faultInjector.faults();
}

void SandboxServer::setFaults(const Faults &faults)
{
    d->faultInjector.setFaults(faults);
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

Reply SandboxServer::Private::handle(const QHttpServerRequest &request)
{
    const QString path = request.url().path();
    Reply reply;
    if (path.startsWith(u"/_sandbox/"_s))
        reply = routeAdmin(request, path);
    else if (path.startsWith(QLatin1StringView(kApiPrefix)))
        reply = routeApi(request, path.mid(qsizetype(strlen(kApiPrefix))));
    else
        reply = notFound();
    // A read that failed must not pass for "not found" or an empty list.
    if (const QString failure = store->takeFailure(); !failure.isEmpty())
        return Reply::detail(500, u"The sandbox's database failed: %1"_s.arg(failure));
    return reply;
}

Reply SandboxServer::Private::routeAdmin(const QHttpServerRequest &request, const QString &path)
{
    const bool isFaults = path == u"/_sandbox/faults"_s;
    const bool isClock = path == u"/_sandbox/clock"_s;
    if (!isFaults && !isClock)
        return notFound();
    const auto auth = authenticator.authenticate(request);
    using Access = Authenticator::Access;
    if (auth.access == Access::Missing || auth.access == Access::Invalid)
        return Authenticator::unauthorized(auth.message);
    if (auth.access != Access::Admin)
        return Authenticator::forbidden();
    const auto method = request.method();
    if (method != Method::Get && method != Method::Put)
        return methodNotAllowed(method, "GET, PUT");
    return isFaults ? admin.faults(request) : admin.clock(request);
}

Reply SandboxServer::Private::routeApi(const QHttpServerRequest &request, const QString &path)
{
    const ApiRoute *route = nullptr;
    qint64 id = 0;
    for (const ApiRoute &candidate : routes) {
        if (candidate.item ? (id = idSegment(path, candidate.collection)) > 0
                           : path == candidate.collection) {
            route = &candidate;
            break;
        }
    }
    if (!route)
        return notFound();

    const auto auth = authenticator.authenticate(request);
    using Access = Authenticator::Access;
    if (auth.access == Access::Missing || auth.access == Access::Invalid
        || auth.access == Access::Admin)
        return Authenticator::unauthorized(auth.access == Access::Admin ? u"Invalid token."_s
                                                                        : auth.message,
                                           faultInjector.faults().authFailureStatus);
    if (auto faulted = faultInjector.faultFor(request))
        return *faulted;

    // HEAD is GET without the body (the body is dropped when the answer is written).
    const Method method = request.method() == Method::Head ? Method::Get : request.method();
    if (method == Method::Options)
        return optionsReply(route->allow);
    const bool writes = route->write && method == route->writeMethod;
    if (method != Method::Get && !writes)
        return methodNotAllowed(method, route->allow);
    // A read-only token is limited to reading jobs (the contract).
    if (route->readWriteOnly && auth.access != Access::ReadWrite)
        return Authenticator::forbidden();
    return writes ? route->write(request, id, auth.token) : route->read(request, id);
}

} // namespace cdesk::sandbox
