#pragma once

#include "store/Salvage.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <memory>

namespace cdesk {

class Clock;
class Database;
class DraftStore;
class HistoryStore;
class JobCache;
class Outbox;
class StoreStatus;

// The recruiter's local data in one folder: the database with its outbox,
// history, drafts and job cache, and the resume copies beside it. The window
// and the command line open the same workspace, so a submission from either
// shows in both.
class Workspace
{
    Q_DECLARE_TR_FUNCTIONS(Workspace)
public:
    // Where the data lives unless told otherwise (QStandardPaths'
    // AppDataLocation). The sandbox gets a workspace of its own, so nothing
    // tried there can ever be sent to a real account.
    static QString defaultDataDir(bool sandbox = false);

    Workspace(QString dataDir, Clock *clock);
    ~Workspace();
    Workspace(const Workspace &) = delete;
    Workspace &operator=(const Workspace &) = delete;

    // Creates the folder if needed and opens the database. A corrupted
    // database is moved aside (recoveredFrom() says where) and a fresh one
    // made, and what can still be read from the damaged one (submissions,
    // drafts) is brought into the new one (salvaged() says what).
    bool open(QString *error);
    // Whether open() may move a damaged database aside and read it back: only
    // with the instance lock (see Database::setMayRepair). Default yes.
    void setMayRepair(bool may) { m_mayRepair = may; }

    // Removes resume copies that are no longer needed. Only the process that
    // holds the instance lock (and so runs the engine) may call it.
    void tidy();

    QString dataDir() const { return m_dataDir; }
    QString recoveredFrom() const;
    // The damaged databases read back during open(), and the words that tell
    // the recruiter about them (empty when there were none).
    const QList<SalvageReport> &salvaged() const { return m_salvaged; }
    QString salvageNotice() const;

    Database *database() const { return m_db.get(); }
    // Whether the store can be written now, and why not (the window's banner).
    StoreStatus *status() const { return m_status.get(); }
    Outbox *outbox() const { return m_outbox.get(); }
    HistoryStore *history() const { return m_history.get(); }
    DraftStore *drafts() const { return m_drafts.get(); }
    JobCache *jobCache() const { return m_jobs.get(); }

private:
    QString m_dataDir;
    Clock *m_clock;
    std::unique_ptr<StoreStatus> m_status;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<DraftStore> m_drafts;
    std::unique_ptr<JobCache> m_jobs;
    QList<SalvageReport> m_salvaged;
    bool m_mayRepair = true;
};

} // namespace cdesk
