#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace cdesk {

// A place that can hold the API token, one per account (an API host). The
// real one is the system keychain (KeychainBackend); MemoryBackend is the
// fallback for a session without one; tests hand TokenStore their own.
//
// Every call reports through its callback exactly once, either before it
// returns or later from the event loop; TokenStore copes with both. A backend
// never writes the token anywhere but its own store, and never logs it.
class TokenBackend : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        Ok,
        NotFound, // nothing stored for this account (remove: nothing to remove)
        Unavailable, // there is no keychain on this machine or session
        Failed, // there is one, but it refused or broke (locked, denied, …)
    };
    Q_ENUM(Status)

    struct Result
    {
        Status status = Status::Ok;
        QByteArray token; // read() only
        QString message; // the backend's own words when not Ok; never the token
    };
    using Done = std::function<void(const Result &)>;

    using QObject::QObject;

    virtual void read(const QString &account, Done done) = 0;
    virtual void write(const QString &account, const QByteArray &token, Done done) = 0;
    virtual void remove(const QString &account, Done done) = 0;
};

} // namespace cdesk
