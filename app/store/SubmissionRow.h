#pragma once

#include "model/Submission.h"

#include <QString>

#include <optional>

class QSqlQuery;

namespace cdesk {

// How a Submission is laid out in the submissions table. The Outbox (which
// writes) and the HistoryStore (which reads) share it, so they cannot drift.
// The strings here are the file format: never rename one that has shipped.
class SubmissionRow
{
public:
    // The column list for a SELECT whose result fromQuery() reads, in its order.
    static QString columns();
    static Submission fromQuery(const QSqlQuery &query);

    // States and kinds are stored by stateName() and kindName() (model/Submission.h).
    // SQL that names states by their enum, "state IN ({Pending}, {Sending})":
    // the stored names are put in from stateName(), so SQL never spells them.
    static QString withStates(QString sql);

    static QString changedFieldsKey(const CandidateFields &fields);
    static CandidateFields changedFieldsFromKey(const QString &key);

    static QString candidateJson(const Candidate &candidate);
    static QString fieldErrorsJson(const FieldErrors &errors);

    // The case-folded text that search compares ("Émile" and "émile" fold the same).
    static QString searchKey(const QString &text);
};

} // namespace cdesk
