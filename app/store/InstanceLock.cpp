#include "InstanceLock.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace cdesk {

InstanceLock::InstanceLock(const QString &filePath)
    : m_filePath(filePath)
    , m_lock(filePath)
{
    // 0: never stale because of its age. The default (30 s) would let a second
    // copy break the lock of a first one that has simply been running for a
    // while. Without it, a lock counts as stale only when its process is gone,
    // and QLockFile checks that by pid, host and boot id.
    m_lock.setStaleLockTime(0);
}

InstanceLock::~InstanceLock()
{
    m_lock.unlock();
}

std::unique_ptr<InstanceLock> InstanceLock::acquire(const QString &dataDir, QString *error,
                                                    bool *heldElsewhere)
{
    if (heldElsewhere)
        *heldElsewhere = false;
    if (!QDir().mkpath(dataDir)) {
        *error = tr("Could not create the data folder %1. Check that you may write there.")
                     .arg(QDir::toNativeSeparators(dataDir));
        return nullptr;
    }
    std::unique_ptr<InstanceLock> lock(new InstanceLock(QDir(dataDir).filePath(FileName)));
    if (lock->m_lock.tryLock(0))
        return lock;

    switch (lock->m_lock.error()) {
    case QLockFile::LockFailedError: {
        if (heldElsewhere)
            *heldElsewhere = true;
        qint64 pid = 0;
        QString host;
        QString app;
        if (lock->m_lock.getLockInfo(&pid, &host, &app)) {
            *error = tr("Candidate Desk is already running with this data folder (process %1%2). "
                        "Switch to that window, or close it and start again.")
                         .arg(pid)
                         .arg(host.isEmpty() ? QString() : tr(" on %1").arg(host));
        } else {
            *error = tr("Candidate Desk is already running with this data folder. Switch to that "
                        "window, or close it and start again.");
        }
        break;
    }
    case QLockFile::PermissionError:
        *error = tr("Could not create the lock file %1: permission denied. Check that you may "
                    "write to the data folder.")
                     .arg(QDir::toNativeSeparators(lock->m_filePath));
        break;
    case QLockFile::NoError:
    case QLockFile::UnknownError:
        *error = tr("Could not create the lock file %1. Check that the disk is not full and "
                    "that you may write to the data folder.")
                     .arg(QDir::toNativeSeparators(lock->m_filePath));
        break;
    }
    return nullptr;
}

} // namespace cdesk
