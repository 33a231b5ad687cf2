#include "ApiResult.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("ApiResult", text, disambiguation, n);
}

// Django's default DATA_UPLOAD_MAX_MEMORY_SIZE: a bare 400 for a body larger
// than this is the upload limit, not a malformed request.
constexpr qint64 kDjangoUploadLimit = 2'621'440;

QString detailOf(const QJsonObject &object)
{
    return object.value(u"detail"_s).toString();
}

} // namespace

std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = trimmed.toLongLong(&ok);
    if (ok)
        return qMax<qint64>(0, seconds);
    // An HTTP date (IMF-fixdate) ends in "GMT", which Qt 6.4's RFC 2822 parser
    // does not take: say it as an offset.
    QString text = QString::fromLatin1(trimmed);
    if (text.endsWith(u" GMT"_s) || text.endsWith(u" UTC"_s))
        text = text.chopped(4) + u" +0000"_s;
    const QDateTime when = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!when.isValid() || !now.isValid())
        return std::nullopt;
    return qMax<qint64>(0, now.secsTo(when));
}

namespace {

// "Maximum size is 5 MB." -> 5 MiB, as the sandbox and many DRF apps say it.
std::optional<qint64> limitFromText(const QString &text)
{
    static const QRegularExpression rule(u"(\\d+(?:\\.\\d+)?)\\s*(KB|MB|MiB|KiB)"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    const auto match = rule.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double number = match.captured(1).toDouble();
    const bool mega = match.captured(2).startsWith(u'M', Qt::CaseInsensitive);
    const double bytes = number * (mega ? 1024.0 * 1024.0 : 1024.0);
    // "99999999999999 MB" names no limit, and converting a double beyond
    // qint64 is undefined behaviour: take it as no limit said.
    if (!(bytes < 9.0e18))
        return std::nullopt;
    return qint64(bytes);
}

bool saysCredentialsAreBad(const QString &detail)
{
    const QString d = detail.toLower();
    return d.contains(u"credentials were not provided"_s) || d.contains(u"invalid token"_s)
        || d.contains(u"token has expired"_s) || d.contains(u"token is invalid"_s)
        || d.contains(u"authentication credentials"_s) || d.contains(u"not authenticated"_s);
}

bool emailAlreadyExists(const FieldErrors &errors)
{
    const auto messages = errors.messages(u"email"_s);
    return std::any_of(messages.begin(), messages.end(), [](const QString &m) {
        return m.contains(u"already exists"_s, Qt::CaseInsensitive);
    });
}

} // namespace

ReplyFacts ReplyFacts::from(QNetworkReply *reply, const QByteArray &body, QDateTime now)
{
    ReplyFacts facts;
    facts.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    facts.body = body;
    facts.contentType = reply->rawHeader("Content-Type");
    facts.retryAfter = reply->rawHeader("Retry-After");
    facts.location = reply->rawHeader("Location");
    facts.networkError = reply->error();
    facts.networkErrorString = reply->errorString();
    facts.now = std::move(now);
    return facts;
}

bool ApiResult::isRetryable() const
{
    switch (error) {
    case ApiError::Throttled:
    case ApiError::Timeout:
    case ApiError::Network:
        return true;
    case ApiError::ServerError:
        // Any 5xx is the server's trouble, not the candidate's: the same
        // request may well go through later (the engine bounds how often a
        // plain 500 is tried). 408 is the server timing the request out.
        return httpStatus == 408 || httpStatus >= 500;
    default:
        return false;
    }
}

ApiResult ApiResult::local(ApiError error, const QString &message)
{
    ApiResult result;
    result.error = error;
    result.message = message;
    return result;
}

ApiResult ApiResult::fromReply(const ReplyFacts &f)
{
    ApiResult r;
    r.httpStatus = f.httpStatus;

    // No HTTP answer at all: our own abort, a timeout, or the network.
    if (f.httpStatus == 0) {
        if (f.cancelled) {
            r.error = ApiError::Cancelled;
            r.message = tr("Cancelled.");
        } else if (f.timedOut || f.networkError == QNetworkReply::TimeoutError) {
            r.error = ApiError::Timeout;
            r.message = tr("The server did not answer in time. It will be tried again.");
        } else if (f.networkError == QNetworkReply::SslHandshakeFailedError) {
            r.error = ApiError::Tls;
            r.message = tr("The secure connection to the server failed (%1). Check the API "
                           "address in Settings, or ask IT whether a proxy intercepts HTTPS.")
                            .arg(f.networkErrorString);
        } else {
            r.error = ApiError::Network;
            r.message = tr("Cannot reach the server (%1). It will be tried again when the "
                           "connection is back.")
                            .arg(f.networkErrorString);
        }
        return r;
    }

    const QJsonDocument doc = QJsonDocument::fromJson(f.body);
    const QJsonObject object = doc.object();
    const bool isJsonObject = doc.isObject();
    const QString detail = detailOf(object);
    const int s = f.httpStatus;

    if (s >= 200 && s < 300)
        return r; // success; the call reads its payload

    if (s >= 300 && s < 400) {
        r.error = ApiError::Redirect;
        r.redirectTarget = QString::fromUtf8(f.location);
        const QString host = QUrl(r.redirectTarget).host();
        r.message = tr("The server sent the request elsewhere (%1). It was not followed, so "
                       "your token stays safe; check the API address in Settings.")
                        .arg(host.isEmpty() ? tr("another address") : host);
        return r;
    }

    switch (s) {
    case 400: {
        if (!isJsonObject) {
            if (f.requestBodyBytes > kDjangoUploadLimit || f.body.contains("RequestDataTooBig")
                || f.body.contains("DATA_UPLOAD_MAX")) {
                r.error = ApiError::TooLarge;
                r.message = tr("The resume is too large for the server. Send it as plain text or "
                               "compress it, then try again.");
                return r;
            }
            r.error = ApiError::BadResponse;
            r.message = tr("The server refused the request (HTTP 400) without saying why.");
            return r;
        }
        r.fieldErrors = FieldErrors::fromDrfJson(object);
        if (emailAlreadyExists(r.fieldErrors)) {
            r.error = ApiError::Duplicate;
            r.message = tr("A candidate with this email already exists on the server.");
            return r;
        }
        r.error = ApiError::FieldErrors;
        r.message
            = tr("The server refused some fields. Correct the marked fields and submit again.");
        return r;
    }
    case 401:
        r.error = ApiError::BadToken;
        r.message = tr("The server refused the API token. Open Settings and enter a valid token.");
        return r;
    case 403:
        if (saysCredentialsAreBad(detail)) {
            r.error = ApiError::BadToken;
            r.message = tr("The server refused the API token. Open Settings and enter a valid "
                           "token.");
        } else {
            r.error = ApiError::NotAllowed;
            r.message = tr("This API token may not add or change candidates. Ask your ATS "
                           "administrator for a token with write access.");
        }
        return r;
    case 404:
        r.error = ApiError::NotFound;
        r.message = tr("The server does not know this candidate (or the API address is wrong).");
        return r;
    case 409:
        r.error = ApiError::Duplicate;
        if (object.value(u"id"_s).isDouble())
            r.existingId = object.value(u"id"_s).toInteger();
        r.message = r.existingId
            ? tr("A candidate with this email already exists on the server (#%1).")
                  .arg(*r.existingId)
            : tr("A candidate with this email already exists on the server.");
        return r;
    case 413: {
        r.error = ApiError::TooLarge;
        r.serverLimitBytes = limitFromText(detail.isEmpty() ? QString::fromUtf8(f.body) : detail);
        r.message = r.serverLimitBytes
            ? tr("The resume is too large for the server (its limit is %1). Send it as plain text "
                 "or compress it, then try again.")
                  .arg(QLocale().formattedDataSize(*r.serverLimitBytes))
            : tr("The resume is too large for the server. Send it as plain text or compress it, "
                 "then try again.");
        return r;
    }
    case 422:
        r.error = ApiError::IdempotencyConflict;
        r.message = tr("The server saw this submission before with other details. Submit it again "
                       "as a new submission.");
        return r;
    case 429:
        r.error = ApiError::Throttled;
        r.retryAfterSeconds = parseRetryAfter(f.retryAfter, f.now);
        r.message = r.retryAfterSeconds
            ? tr("The server asked us to slow down. Trying again in %n second(s).", nullptr,
                 int(*r.retryAfterSeconds))
            : tr("The server asked us to slow down. Trying again shortly.");
        return r;
    default:
        break;
    }

    r.error = ApiError::ServerError;
    r.retryAfterSeconds = parseRetryAfter(f.retryAfter, f.now);
    if (s == 408 || s == 502 || s == 503 || s == 504)
        r.message
            = tr("The server is unavailable right now (HTTP %1). It will be tried again.").arg(s);
    else if (s >= 500)
        r.message = tr("The server had a problem (HTTP %1). It will be tried again; if it keeps "
                       "happening, tell your ATS administrator.")
                        .arg(s);
    else
        r.message = tr("The server refused the request (HTTP %1).").arg(s);
    return r;
}

// "api.example.com" or "127.0.0.1:8080": how the recruiter typed the server,
// without the path (and never any user info).
QString serverName(const QUrl &url)
{
    QString name = url.host();
    if (name.isEmpty())
        return url.toDisplayString(QUrl::RemoveUserInfo);
    if (name.contains(u':'))
        name = u'[' + name + u']'; // an IPv6 address
    if (url.port() != -1)
        name += u':' + QString::number(url.port());
    return name;
}

QString describeConnectionTest(const ApiResult &result, const QUrl &apiUrl, int timeoutMs)
{
    // Only the server's name and our own words: ApiResult's messages are
    // written for a submission ("it will be tried again"), and nothing here
    // may ever carry the token.
    const QString server = serverName(apiUrl);
    const int status = result.httpStatus;
    switch (result.error) {
    case ApiError::None: {
        const int jobs = int(result.jobs.size());
        // Without an English translation loaded, "%n job(s)" would show as
        // written; the singular gets its own sentence instead.
        if (jobs == 0)
            return tr("Connected: no open jobs yet. Candidates can still go to the Talent Pool.");
        if (jobs == 1)
            return tr("Connected: 1 open job");
        return tr("Connected: %n open jobs", nullptr, jobs);
    }
    case ApiError::BadToken:
        return tr("The token was refused. Copy it again from your ATS's API settings.");
    case ApiError::NotAllowed:
        return tr("The token was accepted, but it may not list jobs. Ask your ATS administrator "
                  "for a token that may read jobs and add candidates.");
    case ApiError::Timeout: {
        const int seconds = std::max(1, (timeoutMs + 500) / 1000);
        if (seconds == 1)
            return tr("No answer within 1 second. Check the address and your connection.");
        return tr("No answer within %n seconds. Check the address and your connection.", nullptr,
                  seconds);
    }
    case ApiError::Network:
        return tr("Cannot reach %1. Check the address and your connection.").arg(server);
    case ApiError::Tls:
        return tr("The secure connection to %1 failed. Check the address; if it is right, ask "
                  "your IT team whether a proxy intercepts HTTPS.")
            .arg(server);
    case ApiError::Redirect: {
        const QString target = QUrl(result.redirectTarget).host();
        return tr("%1 sent the request on to %2. It was not followed, so your token stays safe. "
                  "Check the address: copy it again from your ATS's API settings.")
            .arg(server, target.isEmpty() ? tr("another address") : target);
    }
    case ApiError::NotFound:
        return tr("%1 answered, but there is no Candidate API at this address (HTTP 404). Check "
                  "the address: copy it again from your ATS's API settings; it usually ends "
                  "in /api/v1.")
            .arg(server);
    case ApiError::BadResponse:
        return tr("Something answered at %1, but not as the Candidate API does. Check the "
                  "address: it usually ends in /api/v1.")
            .arg(server);
    case ApiError::Throttled:
        return tr("%1 asked to slow down. Try again in a minute.").arg(server);
    case ApiError::ServerError:
        if (status == 502 || status == 503 || status == 504 || status == 408)
            return tr("%1 is unavailable right now (HTTP %2). Try again in a few minutes.")
                .arg(server)
                .arg(status);
        if (status >= 500)
            return tr("%1 had a problem (HTTP %2). Try again later; if it keeps happening, tell "
                      "your ATS administrator.")
                .arg(server)
                .arg(status);
        return tr("%1 refused the request (HTTP %2). Check the address: it usually ends in "
                  "/api/v1.")
            .arg(server)
            .arg(status);
    case ApiError::LocalProblem:
        // ApiEndpoint::problem() or the like: about the address, never the token's text.
        return result.message;
    case ApiError::Cancelled:
        return tr("The test was stopped.");
    case ApiError::FieldErrors:
    case ApiError::Duplicate:
    case ApiError::TooLarge:
    case ApiError::IdempotencyConflict:
        break; // answers to a write; listing jobs never gets them from a real API
    }
    return tr("%1 answered in an unexpected way (HTTP %2). Check the address: it usually ends "
              "in /api/v1.")
        .arg(server)
        .arg(status);
}

} // namespace cdesk
