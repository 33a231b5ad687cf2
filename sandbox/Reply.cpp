#include "Reply.h"

#include "CandidateRules.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

Reply Reply::json(int status, const QJsonValue &value)
{
    Reply r;
    r.status = status;
    r.body = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                             : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return r;
}

Reply Reply::detail(int status, const QString &text)
{
    return json(status, QJsonObject { { u"detail"_s, text } });
}

Reply &Reply::header(const QByteArray &name, const QByteArray &value)
{
    headers.append({ name, value });
    return *this;
}

QByteArray Reply::contentType() const
{
    QByteArray type;
    for (const auto &[name, value] : headers) {
        if (name.compare("content-type", Qt::CaseInsensitive) == 0)
            type = value;
    }
    return type;
}

QByteArray Reply::toHttp(bool withBody) const
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    if (contentType().isEmpty())
        out += "Content-Type: application/json\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    if (withBody)
        out += body;
    return out;
}

Reply notFound()
{
    return Reply::detail(404, u"Not found."_s);
}

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    const char *key = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method));
    return key ? QByteArray(key).toUpper() : QByteArrayLiteral("UNKNOWN");
}

} // namespace

Reply methodNotAllowed(QHttpServerRequest::Method method, const QByteArray &allow)
{
    return Reply::detail(
               405, u"Method \"%1\" not allowed."_s.arg(QString::fromLatin1(methodName(method))))
        .header("Allow", allow);
}

Reply notAnObject(const QJsonValue &value)
{
    return Reply::json(
        400,
        QJsonObject { { u"non_field_errors"_s,
                        QJsonArray { u"Invalid data. Expected a dictionary, but got %1."_s.arg(
                            pythonTypeName(value)) } } });
}

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

} // namespace cdesk::sandbox
