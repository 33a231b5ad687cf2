#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace cdesk {

// A job candidates can be mapped to, as GET /jobs/ lists it.
struct Job
{
    qint64 id = 0;
    QString title;
    QString department;
    QString location;
    bool open = true;
    QDateTime createdAt;

    // Empty when the object lacks an id or a title.
    static std::optional<Job> fromJson(const QJsonObject &object);
};

} // namespace cdesk
