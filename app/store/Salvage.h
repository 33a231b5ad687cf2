#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

class QSqlDatabase;

namespace cdesk {

class Clock;
class Database;

// What was read back from a damaged database that was kept aside.
struct SalvageReport
{
    QString keptAs; // the kept-aside file
    bool opened = false; // false: nothing in it could be read
    int submissions = 0; // rows brought into the new database
    int unsent = 0; // of those, the ones still to send or decide on
    int drafts = 0;
    // Rows that could not be read (-1: unknown, as when the file did not open).
    // Their resume copies stay in the outbox folder: Outbox::pruneFiles()
    // keeps every folder a kept-aside file names.
    int unreadable = 0;
    // Not read back this time (no room for a working copy, the new database
    // refused the rows): nothing was marked, so the next open tries again.
    bool deferred = false;
    QString problem; // why it was deferred
};

// A damaged database is moved aside (Database::open), never deleted. Its
// submissions are pending work, and its drafts are what the recruiter typed,
// so they are read back from the kept-aside file into the new database as far
// as SQLite can still read it: row by row, so one bad page costs only its own
// rows. Each kept-aside file is salvaged once, in one transaction with a mark
// in the meta table, so a crash during salvage only means it runs again.
// Submissions keep their Idempotency-Key: one that did reach the server is
// answered from the server's memory of that key, not created twice.
class Salvage
{
    Q_DECLARE_TR_FUNCTIONS(Salvage)
public:
    // The kept-aside files next to db's file that were not salvaged yet,
    // newest first: a row kept in several of them (a salvaged database that
    // was damaged in turn) comes back in its latest state, and the marks the
    // newer file carries make the older files done.
    static QStringList pending(Database *db);
    // Salvages one kept-aside file into db. A file that cannot be read at
    // all is reported and marked done; one that cannot be read back now
    // (no room, the new database refused) is reported as deferred, unmarked.
    static SalvageReport recover(Database *db, const QString &keptAside, Clock *clock);
    // One paragraph for the recruiter about what happened and what was kept.
    static QString describe(const QList<SalvageReport> &reports);

private:
    static bool carryMarks(Database *db, const QSqlDatabase &source, QString *error);
    static bool copySubmissions(Database *db, const QSqlDatabase &source, const QString &keptAside,
                                const QString &now, SalvageReport *report, QString *error);
    static bool copyDrafts(Database *db, const QSqlDatabase &source, const QString &now,
                           SalvageReport *report, QString *error);
    static bool mark(Database *db, const QString &keptAside, const QString &now,
                     const SalvageReport &report, QString *error);
};

} // namespace cdesk
