#pragma once

#include "model/Candidate.h"
#include "model/DraftState.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace cdesk {

class Clock;
class Database;

// A form the recruiter has not submitted yet. The resume path stays as typed.
// No copy is made until submit, so a draft costs nothing on disk.
struct Draft
{
    qint64 id = 0; // 0: not saved yet
    Candidate candidate;
    DraftState state; // the form's own state: update mode, consent, ...
    QDateTime updatedAt; // set by save()
};

// The drafts, autosaved by the form. Works on the thread that opened the Database.
class DraftStore
{
    Q_DECLARE_TR_FUNCTIONS(DraftStore)
public:
    DraftStore(Database *db, Clock *clock);

    // Inserts (id 0, or an id that is gone) or updates the draft, stamped now.
    // Returns its id, or 0 on failure (*error says why).
    qint64 save(const Draft &draft, QString *error = nullptr);
    std::optional<Draft> load(qint64 id);
    QList<Draft> list(); // newest first
    bool remove(qint64 id, QString *error = nullptr);

private:
    Database *m_db;
    Clock *m_clock;
};

} // namespace cdesk
