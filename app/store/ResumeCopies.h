#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QSet>
#include <QString>
#include <QStringList>

namespace cdesk {

struct Submission;

// The outbox's own copies of resumes, one folder each under filesDir():
// made and synced under a temporary name ("<uuid>.partial") that no row
// ever holds, given their final name ("<uuid>") inside the transaction that
// commits their row, checked against their SHA-256 before sending, and
// removed only when nothing can still need them. The Outbox decides which
// rows keep a copy; this class does the file work. Safe on a worker thread:
// it touches no database.
class ResumeCopies
{
    Q_DECLARE_TR_FUNCTIONS(ResumeCopies)
public:
    explicit ResumeCopies(QString filesDir);

    QString filesDir() const { return m_filesDir; }

    // Copies s's resume (if it has one) into a new "<uuid>.partial" folder,
    // hashing and syncing it, and points s at the final "<uuid>" path with
    // originalResumeName and resumeSha256 set. *copyDir is the final folder
    // name (set as soon as the folder exists, so the caller can discard it).
    bool copy(Submission *s, QString *copyDir, QString *error) const;
    // Gives copies their final names (in the caller's transaction); on a
    // failure the ones already renamed go back, and *error says why.
    bool bind(const QStringList &copyDirs, QString *error) const;
    // Back to the temporary name (a COMMIT that failed but may have reached the disk).
    void unbind(const QStringList &copyDirs) const;
    // Removes the copies, under either name.
    void discard(const QStringList &copyDirs) const;
    // Makes new and renamed folder names durable.
    void syncNames() const;

    // True when s needs no file, or when its copy is still there with the
    // recorded SHA-256.
    static bool verify(const Submission &s);

    // The folder a stored resume path is in ("<uuid>"): folders are judged by
    // name, never by a path a row holds.
    static QString folderOf(const QString &resumePath);

    // What a prune knows from the database, judged under its write lock.
    struct Judgement
    {
        QSet<QString> named; // folders of rows that keep their copy
        QSet<QString> sent; // folders of sent rows: the server has the file
        QDateTime now;
        qint64 graceMs = 0; // a folder no row names is left alone this long...
        qint64 partialGraceMs = 0; // ...or this long while it is still ".partial"
        // The newest damaged database kept aside: a copy older than that may
        // be named only there, and is never removed.
        QDateTime keptAside;
    };
    // The folders to remove. A temporary copy whose row did commit gets its
    // final name back on the way.
    QStringList doomed(const Judgement &judgement) const;
    // Removes them; returns how many went.
    int remove(const QStringList &folders) const;

    // The newest "<database>.corrupt-*" next to dbPath: when it was last written.
    static QDateTime newestKeptAside(const QString &dbPath);

    static inline const QString PartialSuffix = QStringLiteral(".partial");

private:
    bool copyFile(const QString &source, const QString &target, QByteArray *sha256,
                  QString *error) const;
    static QDateTime lastChange(const QString &folder);

    QString m_filesDir;
};

} // namespace cdesk
