#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace cdesk::sandbox {

// One answer of the sandbox, and the little builders every part of it shares.
// The answer is written by hand (HttpEndpoint), not by QtHttpServer's
// responder, so the sandbox can delay it or close the connection instead.
struct Reply
{
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool dropConnection = false; // the write is committed, then the connection closes unanswered

    static Reply json(int status, const QJsonValue &value);
    static Reply detail(int status, const QString &text); // DRF's {"detail": text}
    Reply &header(const QByteArray &name, const QByteArray &value);

    // The Content-Type header given, or an empty array when none was.
    QByteArray contentType() const;
    // Status line, headers (application/json when no type was given) and,
    // unless withBody is false (HEAD), the body.
    QByteArray toHttp(bool withBody) const;
};

Reply notFound();
Reply methodNotAllowed(QHttpServerRequest::Method method, const QByteArray &allow);
// A body that parsed but is not a JSON object, in DRF's words.
Reply notAnObject(const QJsonValue &value);

QByteArray reasonPhrase(int status);
QString isoTime(const QDateTime &t); // UTC with milliseconds, as DRF writes times

} // namespace cdesk::sandbox
