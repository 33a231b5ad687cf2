#pragma once

#include "SandboxOptions.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace cdesk::sandbox {

// The local stand-in of the Candidate API (shared/api/candidate-api.md).
// Listens on loopback only. State lives in SQLite (WAL) and resume files under
// Options::dataDir, and survives a restart.
class SandboxServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxServer(Options options, QObject *parent = nullptr);
    ~SandboxServer() override;

    // Opens the store and listens. Returns false and sets errorString() when the
    // data folder, the database or the port cannot be had.
    bool start();
    QString errorString() const;

    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port>/api/v1 (no trailing slash)
    QUrl adminUrl() const; // http://127.0.0.1:<port>/_sandbox/faults
    QByteArray token() const;
    QByteArray readOnlyToken() const;
    QByteArray adminToken() const;
    QString dataDir() const;

    Faults faults() const;
    void setFaults(const Faults &faults);

    // One line of JSON for scripts and tests: base_url, token, read_only_token,
    // admin_url, admin_token, data_dir.
    QByteArray announcement() const;

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk::sandbox
