#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

namespace cdesk::sandbox {

// Fault knobs: every one is off by default. Rates are 0..1; the "next" counters
// make a fault happen on exactly the next N eligible requests, so tests never
// depend on chance. All of them can be changed at run time through the admin
// endpoint (PUT <origin>/_sandbox/faults with the admin token).
struct Faults
{
    int latencyMs = 0; // delay before every API answer
    double errorRate = 0.0; // share of API requests answered 500
    int errorNext = 0; // the next N API requests answer 500
    int throttlePerSecond = 0; // allowed API requests per second; more get 429
    int throttleNext = 0; // the next N API requests answer 429 with Retry-After: 1
    int errorStatus = 500; // the status error_rate/error_next answer (500, 502, 503, 504)
    double dropAfterCommitRate = 0.0; // creates/updates committed, then the connection closes
    int dropAfterCommitNext = 0;
    QUrl redirectTo; // non-empty: every API request answers 307 to this origin
    // non-empty: a list's `next` and `previous` links point at this origin
    // (a misconfigured proxy, or a hostile server): a client must not follow.
    QUrl nextOrigin;

    // Shapes of real deployments (not faults, but switched the same way):
    QString listShape = QStringLiteral("page"); // "page" (count/next), "cursor" (no count), "array"
    int authFailureStatus = 401; // 401 with a challenge, or 403 as some DRF setups
    QString tooLargeStyle
        = QStringLiteral("json"); // "json" 413, "nginx" HTML 413, "django" bare 400
};

struct Options
{
    quint16 port = 0; // 0: an ephemeral port
    QString dataDir; // SQLite database and resume files; empty: a temporary folder
    QByteArray token; // read-write token; empty: a random 40-hex token
    QByteArray readOnlyToken; // may read jobs and candidates, never write; empty: random
    QByteArray adminToken; // reaches only the admin endpoint; empty: random
    qint64 maxResumeBytes = 5 * 1024 * 1024;
    QString seedJobsFile; // JSON array of jobs; empty: the built-in dozen
    Faults faults;
    QDateTime fixedNow; // tests: a frozen clock (UTC); invalid: the real clock
};

} // namespace cdesk::sandbox
