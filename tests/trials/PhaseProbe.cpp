#include "PhaseProbe.h"

#include <QDir>
#include <QFile>

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace cdesk::trial {

namespace {

// SQLite's unix VFS takes the WAL write lock (WAL_WRITE_LOCK) as a POSIX
// lock on this byte of the -shm file (UNIX_SHM_BASE in os_unix.c), for the
// whole of a write transaction: BEGIN IMMEDIATE to COMMIT.
constexpr qint64 WalWriteLockOffset = 120;

QString linkTarget(const QString &path)
{
#ifdef Q_OS_LINUX
    char buffer[4096];
    const ssize_t n = ::readlink(QFile::encodeName(path).constData(), buffer, sizeof buffer - 1);
    if (n <= 0)
        return {};
    return QFile::decodeName(QByteArray(buffer, int(n)));
#else
    Q_UNUSED(path);
    return {};
#endif
}

// The access mode of an open file, from /proc/<pid>/fdinfo/<fd>: "flags: 0100001".
bool openedForWriting(const QString &fdinfo)
{
    QFile file(fdinfo);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("flags:")) {
            bool ok = false;
            const uint flags = line.mid(6).trimmed().toUInt(&ok, 8);
            return ok && (flags & 3) != 0; // O_WRONLY or O_RDWR
        }
    }
    return false;
}

} // namespace

QString phaseName(Phase phase)
{
    switch (phase) {
    case Phase::SqliteWrite:
        return u"sqlite-write"_s;
    case Phase::ResumeCopy:
        return u"resume-copy"_s;
    case Phase::Upload:
        return u"upload"_s;
    case Phase::Startup:
        return u"startup"_s;
    case Phase::Engine:
        return u"engine"_s;
    case Phase::Waiting:
        return u"waiting"_s;
    case Phase::Gone:
        return u"gone"_s;
    }
    return u"?"_s;
}

PhaseProbe::PhaseProbe(QString dataDir)
    : m_dataDir(std::move(dataDir))
{ }

qint64 PhaseProbe::lockHolder() const
{
    // QLockFile writes "<pid>\n<app name>\n<host>\n...".
    QFile file(m_dataDir + u"/candidate-desk.lock"_s);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readLine().trimmed().toLongLong();
}

bool PhaseProbe::holdsSqliteWriteLock(qint64 pid) const
{
#ifdef Q_OS_LINUX
    struct stat st;
    if (::stat(QFile::encodeName(m_dataDir + u"/candidate-desk.sqlite-shm"_s).constData(), &st)
        != 0)
        return false;
    const QByteArray inode = QByteArray::number(quint64(st.st_ino));
    const QByteArray pidText = QByteArray::number(pid);
    QFile locks(u"/proc/locks"_s);
    if (!locks.open(QIODevice::ReadOnly))
        return false;
    // "12: POSIX  ADVISORY  WRITE 4242 fd:00:1234567 120 120"; a waiter has "->" after the id.
    for (const QByteArray &line : locks.readAll().split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() < 8 || f.at(1) != "POSIX" || f.at(3) != "WRITE" || f.at(4) != pidText)
            continue;
        if (f.at(5).split(':').value(2) == inode && f.at(6).toLongLong() <= WalWriteLockOffset
            && (f.at(7) == "EOF" || f.at(7).toLongLong() >= WalWriteLockOffset))
            return true;
    }
#else
    Q_UNUSED(pid);
#endif
    return false;
}

Phase PhaseProbe::probe(qint64 pid) const
{
    const QString proc = u"/proc/%1"_s.arg(pid);
    if (pid <= 0 || !QFile::exists(proc))
        return Phase::Gone;
    {
        // "<pid> (<name>) <state> ...": a zombie has ended already.
        QFile stat(proc + u"/stat"_s);
        if (!stat.open(QIODevice::ReadOnly))
            return Phase::Gone;
        const QByteArray text = stat.readAll();
        const qsizetype paren = text.lastIndexOf(')');
        if (paren < 0 || text.mid(paren + 2, 1) == "Z" || text.mid(paren + 2, 1) == "X")
            return Phase::Gone;
    }
    if (holdsSqliteWriteLock(pid))
        return Phase::SqliteWrite;

    const QString files = m_dataDir + u"/outbox-files/"_s;
    const QString database = m_dataDir + u"/candidate-desk.sqlite"_s;
    bool databaseOpen = false;
    bool copyWrite = false;
    bool copyRead = false;
    const QStringList fds
        = QDir(proc + u"/fd"_s).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &fd : fds) {
        const QString target = linkTarget(proc + u"/fd/"_s + fd);
        if (target == database) {
            databaseOpen = true;
        } else if (target.startsWith(files)) {
            if (openedForWriting(proc + u"/fdinfo/"_s + fd))
                copyWrite = true;
            else
                copyRead = true;
        }
    }
    if (copyWrite)
        return Phase::ResumeCopy;
    if (copyRead)
        return Phase::Upload;
    if (!databaseOpen)
        return Phase::Startup;
    return lockHolder() == pid ? Phase::Engine : Phase::Waiting;
}

} // namespace cdesk::trial
