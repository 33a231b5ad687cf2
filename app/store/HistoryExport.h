#pragma once

#include "store/HistoryStore.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>

namespace cdesk {

// Writes the submissions a filter selects to a CSV file: RFC 4180, UTF-8
// with a byte order mark, newest first, one page of rows per turn of the
// event loop, so the thread that runs it keeps answering and at most one
// page is in memory. It reads through the HistoryStore it is given, on that
// store's thread (a Database connection belongs to one thread).
//
// The file appears only when every row is written: a cancelled or failed
// export leaves nothing behind, not even a half file (QSaveFile).
class HistoryExport : public QObject
{
    Q_OBJECT
public:
    enum class Outcome { Written, Cancelled, Failed };
    struct Result
    {
        Outcome outcome = Outcome::Failed;
        QString path;
        int rows = 0; // written to the file (Written only)
        QString error; // Failed: why, in the recruiter's words ("the disk is full")
    };

    explicit HistoryExport(HistoryStore *store, QObject *parent = nullptr);
    ~HistoryExport() override;

    // Titles for the Job column; an id without one is written as "#id".
    void setJobTitles(const QHash<qint64, QString> &titles);

    // Starts an export. Returns false, and does nothing, while one runs.
    // Every start that returns true ends in exactly one finished(), later,
    // never from within start() itself.
    bool start(const HistoryFilter &filter, const QString &path);
    // Stops the export at once and removes what was written; finished()
    // comes with Outcome::Cancelled before cancel() returns.
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    // After every page: rows written, of the rows that matched when the
    // export began. Once the file is complete, a last call has done == total
    // (the rows written, should the store have changed meanwhile).
    void progress(int done, int total);
    void finished(const cdesk::HistoryExport::Result &result);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
