#pragma once

#include <QCoreApplication>
#include <QLockFile>
#include <QString>

#include <memory>

namespace cdesk {

// One Candidate Desk per data folder. Two copies would each drain the same
// outbox and send a candidate twice. The lock is a QLockFile held for the
// app's lifetime and released when this object is destroyed.
class InstanceLock
{
    Q_DECLARE_TR_FUNCTIONS(InstanceLock)
public:
    static inline const QString FileName = QStringLiteral("candidate-desk.lock");

    // Takes the lock in dataDir without waiting. Returns null when another
    // process holds it; *error then names that process's pid, and what to do.
    // A lock left by a process that no longer runs (a crash, a reboot) is
    // taken over: QLockFile checks the pid, host and boot id it wrote.
    // *heldElsewhere (when given) tells a lock another process holds apart
    // from one that cannot be made at all (a folder that cannot be written).
    static std::unique_ptr<InstanceLock> acquire(const QString &dataDir, QString *error,
                                                 bool *heldElsewhere = nullptr);

    QString filePath() const { return m_filePath; }

    ~InstanceLock();
    InstanceLock(const InstanceLock &) = delete;
    InstanceLock &operator=(const InstanceLock &) = delete;

private:
    explicit InstanceLock(const QString &filePath);

    QString m_filePath;
    QLockFile m_lock;
};

} // namespace cdesk
