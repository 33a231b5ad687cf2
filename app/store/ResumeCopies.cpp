#include "ResumeCopies.h"

#include "model/Submission.h"
#include "store/Database.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUuid>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

constexpr qint64 CopyChunkBytes = 64 * 1024;

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// fsync of a folder makes the names created in it durable. Without it, a
// power cut can lose the copy's directory entry even though its data was synced.
bool syncDirectory(const QString &path)
{
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
#else
    Q_UNUSED(path);
    return true;
#endif
}

QByteArray sha256Of(const QString &path, bool *ok)
{
    *ok = false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    // addData(QIODevice*) reads in chunks, never the whole file at once.
    if (!hash.addData(&file))
        return {};
    *ok = true;
    return hash.result().toHex();
}

} // namespace

ResumeCopies::ResumeCopies(QString filesDir)
    : m_filesDir(std::move(filesDir))
{ }

bool ResumeCopies::copy(Submission *s, QString *copyDir, QString *error) const
{
    if (s->candidate.resumeFile.isEmpty()) {
        s->originalResumeName.clear();
        s->resumeSha256.clear();
        return true;
    }
    const QFileInfo source(s->candidate.resumeFile);
    if (!source.isFile()) {
        *error = tr("The resume %1 is not there any more, or it is not a file. Attach it "
                    "again, then submit.")
                     .arg(QDir::toNativeSeparators(s->candidate.resumeFile));
        return false;
    }
    // The name the recruiter's file had, or one the caller chose (a
    // converted resume). Only its last part is used: it is never a path.
    QString name = QFileInfo(s->originalResumeName).fileName();
    if (name.isEmpty() || name == u"."_s || name == u".."_s)
        name = source.fileName();

    *copyDir = QDir(m_filesDir).filePath(QUuid::createUuid().toString(QUuid::WithoutBraces));
    const QString partial = *copyDir + PartialSuffix;
    if (!QDir().mkpath(partial)) {
        *error = tr("Could not create the folder %1 for the resume copy. Check that the disk "
                    "is not full and that you may write to the data folder, then submit "
                    "again.")
                     .arg(QDir::toNativeSeparators(partial));
        return false;
    }
    QByteArray sha;
    if (!copyFile(source.absoluteFilePath(), QDir(partial).filePath(name), &sha, error))
        return false;
    // The row names the final folder, which exists once the row commits.
    s->candidate.resumeFile = QDir(*copyDir).filePath(name);
    s->originalResumeName = name;
    s->resumeSha256 = sha;
    return true;
}

bool ResumeCopies::copyFile(const QString &source, const QString &target, QByteArray *sha256,
                            QString *error) const
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = tr("Could not read the resume %1: %2. Check that the file still exists and "
                    "that you may open it, then submit again.")
                     .arg(QDir::toNativeSeparators(source), in.errorString());
        return false;
    }
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        *error = tr("Could not copy the resume into the data folder (%1): %2. Check that you "
                    "may write there, then submit again.")
                     .arg(QDir::toNativeSeparators(target), out.errorString());
        return false;
    }
    const auto writeFailed = [&](const QString &reason) {
        *error = tr("Could not copy the resume into the data folder: %1. Free some disk space, "
                    "then submit again. Nothing was queued.")
                     .arg(reason);
        return false;
    };

    // Streamed in chunks, hashing as it goes: a resume is never read whole into memory.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(CopyChunkBytes, Qt::Uninitialized);
    for (;;) {
        const qint64 n = in.read(buffer.data(), buffer.size());
        if (n < 0) {
            *error = tr("Could not read the resume %1: %2. Check the file, then submit again.")
                         .arg(QDir::toNativeSeparators(source), in.errorString());
            return false;
        }
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        if (out.write(buffer.constData(), n) != n)
            return writeFailed(out.errorString());
    }
    // QFile buffers: a full disk may only show at flush(). fsync's result is
    // checked too, because QSaveFile::commit() ignores it.
    if (!out.flush())
        return writeFailed(out.errorString());
#ifdef Q_OS_UNIX
    if (::fsync(out.handle()) != 0)
        return writeFailed(systemError());
#endif
    out.close();
    if (out.error() != QFileDevice::NoError)
        return writeFailed(out.errorString());
    syncDirectory(QFileInfo(target).absolutePath());
    *sha256 = hash.result().toHex();
    return true;
}

bool ResumeCopies::bind(const QStringList &copyDirs, QString *error) const
{
    for (qsizetype i = 0; i < copyDirs.size(); ++i) {
        const QString &dir = copyDirs.at(i);
        if (!QFile::rename(dir + PartialSuffix, dir)) {
            unbind(copyDirs.mid(0, i));
            *error = tr("Could not keep the resume copy in the data folder (%1). Check that you "
                        "may write there and that the disk is not full, then submit again.")
                         .arg(QDir::toNativeSeparators(dir));
            return false;
        }
    }
    return true;
}

void ResumeCopies::unbind(const QStringList &copyDirs) const
{
    for (const QString &dir : copyDirs) {
        if (QFileInfo::exists(dir) && !QFile::rename(dir, dir + PartialSuffix))
            qCWarning(lcStore) << "Could not give" << dir << "its temporary name back";
    }
}

void ResumeCopies::discard(const QStringList &copyDirs) const
{
    for (const QString &dir : copyDirs) {
        QDir(dir).removeRecursively();
        QDir(dir + PartialSuffix).removeRecursively();
    }
}

void ResumeCopies::syncNames() const
{
    syncDirectory(m_filesDir);
}

bool ResumeCopies::verify(const Submission &s)
{
    if (s.candidate.resumeFile.isEmpty())
        return s.originalResumeName.isEmpty(); // a file was promised but is gone
    bool ok = false;
    const QByteArray sha = sha256Of(s.candidate.resumeFile, &ok);
    return ok && !s.resumeSha256.isEmpty() && sha == s.resumeSha256.toLower();
}

QString ResumeCopies::folderOf(const QString &resumePath)
{
    return QFileInfo(QFileInfo(resumePath).absolutePath()).fileName();
}

QStringList ResumeCopies::doomed(const Judgement &j) const
{
    const QDir files(m_filesDir);
    QStringList doomed;
    const auto entries = files.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QString &entry : entries) {
        const bool partial = entry.endsWith(PartialSuffix);
        const QString folder = partial ? entry.chopped(PartialSuffix.size()) : entry;
        if (j.named.contains(folder)) {
            // A copy whose COMMIT reported a failure but reached the disk:
            // its row is there, so it gets its final name back.
            if (partial && !QFileInfo::exists(files.filePath(folder))
                && QFile::rename(files.filePath(entry), files.filePath(folder)))
                qCInfo(lcStore) << "Bound the resume copy" << folder << "to its row again";
            continue;
        }
        // The copies of sent rows go now: the server has them. Anything else
        // no row names is a crash's leftover, or a copy another process is
        // still making (a batch of many resumes can take long: a temporary
        // copy gets longer), or work a damaged database kept aside names: it
        // goes only once it has been quiet for the grace period, and never
        // when it is older than a kept-aside database.
        if (j.sent.contains(folder) && !partial) {
            doomed << entry;
            continue;
        }
        const QDateTime changed = lastChange(files.filePath(entry));
        const qint64 grace = partial ? j.partialGraceMs : j.graceMs;
        const bool quiet = changed.isValid() && changed.msecsTo(j.now) >= grace;
        const bool maybeNamedInKeptAside = j.keptAside.isValid() && changed <= j.keptAside;
        if (quiet && !maybeNamedInKeptAside)
            doomed << entry;
    }
    return doomed;
}

int ResumeCopies::remove(const QStringList &folders) const
{
    const QDir files(m_filesDir);
    int removed = 0;
    for (const QString &entry : folders) {
        if (QDir(files.filePath(entry)).removeRecursively())
            ++removed;
        else
            qCWarning(lcStore) << "Could not remove" << files.filePath(entry);
    }
    return removed;
}

// The newest of the damaged databases kept aside next to dbPath
// ("<file>.corrupt-<time>"): when it was last written before it was moved
// aside. A resume copy older than that may be named only in it, readable or
// not, so it is pending work that a prune must not take.
QDateTime ResumeCopies::newestKeptAside(const QString &dbPath)
{
    const QFileInfo db(dbPath);
    QDateTime newest;
    const auto kept
        = db.absoluteDir().entryInfoList({ db.fileName() + u".corrupt-*"_s }, QDir::Files);
    for (const QFileInfo &file : kept) {
        if (!newest.isValid() || file.lastModified() > newest)
            newest = file.lastModified();
    }
    return newest;
}

QDateTime ResumeCopies::lastChange(const QString &folder)
{
    // The newest change to the folder or anything in it: a copy being written
    // moves its file's mtime, and a rename moves the folder's ctime.
    QDateTime newest;
    auto consider = [&](const QFileInfo &info) {
        for (const QDateTime &t : { info.lastModified(), info.metadataChangeTime() }) {
            if (t.isValid() && (!newest.isValid() || t > newest))
                newest = t;
        }
    };
    consider(QFileInfo(folder));
    const auto children = QDir(folder).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot
                                                     | QDir::Hidden | QDir::System);
    for (const QFileInfo &child : children)
        consider(child);
    return newest;
}

} // namespace cdesk
