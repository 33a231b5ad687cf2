#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

class QNetworkAccessManager;
class QUrl;

namespace cdesk {

class ApiCall;
class ApiClient;
class Clock;

// "Test connection" for an address and a token that are not saved yet: one
// list of jobs, the cheapest read that proves the address, the token and its
// permission at once. The answer comes in the recruiter's words
// (describeConnectionTest()), so the settings dialog only shows it.
class ConnectionCheck : public QObject
{
    Q_OBJECT
public:
    ConnectionCheck(QNetworkAccessManager *network, Clock *clock, QObject *parent = nullptr);
    ~ConnectionCheck() override;

    // A check already running is replaced: its answer is not told.
    void start(const QUrl &url, const QByteArray &token, int timeoutMs);
    // Stops the running check; no finished() follows.
    void cancel();
    bool isRunning() const { return !m_call.isNull(); }

Q_SIGNALS:
    void finished(bool ok, const QString &words);

private:
    ApiClient *m_client;
    QPointer<ApiCall> m_call;
};

} // namespace cdesk
