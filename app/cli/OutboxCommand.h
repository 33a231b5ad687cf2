#pragma once

#include <QObject>

namespace cdesk {

class Cli;

// `outbox`: what waits to be sent. `outbox --retry`: sends it now, waiting
// out each Retry-After or backoff that --wait allows, and ends with what is
// left for this account. When another copy (the window) holds the outbox it
// waits for that copy to send it, and takes over should it go away.
class OutboxCommand : public QObject
{
    Q_OBJECT
public:
    explicit OutboxCommand(Cli *cli);

    void list();
    void retry();

private:
    void drain();
    int sentCount() const;
    void onIdle();
    void finish();

    Cli *m_cli;
    int m_sentAtStart = 0;
};

} // namespace cdesk
