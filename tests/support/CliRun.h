#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cdesk::test {

// What one run of the command line left: its exit code (-1 when it did not
// finish) and what it printed, for the CLI tests in a child process and in
// this one.
struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QJsonArray jsonArray() const { return QJsonDocument::fromJson(out).array(); }
    QByteArray text() const { return out + err; }
};

} // namespace cdesk::test
