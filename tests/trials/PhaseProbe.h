#pragma once

#include <QString>

namespace cdesk::trial {

// What a Candidate Desk process was doing at the moment it was killed, as far
// as the outside can tell.
enum class Phase {
    SqliteWrite, // inside a write transaction: it holds SQLite's WAL write lock
    ResumeCopy, // it has a file under outbox-files/ open for writing
    Upload, // it has a resume copy open for reading: streaming it to the server (or hashing it)
    Startup, // the local database is not open yet
    Engine, // it holds the instance lock (runs the engine): lookups, answers, polling
    Waiting, // it does not hold the instance lock: watching its row, or a window
             // that found the lock taken
    Gone, // the process had already ended
};
QString phaseName(Phase phase);
inline constexpr int PhaseCount = int(Phase::Gone) + 1;

// Reads /proc (Linux) for one process of the workspace in dataDir. A snapshot
// taken just before a SIGKILL: the process keeps running between the look and
// the kill (a few hundred microseconds), so it is a good guess, not a proof.
class PhaseProbe
{
public:
    explicit PhaseProbe(QString dataDir);

    Phase probe(qint64 pid) const;
    // The pid written in the instance lock file (candidate-desk.lock), 0 if none.
    qint64 lockHolder() const;

private:
    bool holdsSqliteWriteLock(qint64 pid) const;

    QString m_dataDir;
};

} // namespace cdesk::trial
