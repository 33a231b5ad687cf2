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

    static QString stateKey(SubmissionState state);
    static std::optional<SubmissionState> stateFromKey(const QString &key);
    static QString kindKey(SubmissionKind kind);

    static QString changedFieldsKey(const CandidateFields &fields);
    static CandidateFields changedFieldsFromKey(const QString &key);

    static QString candidateJson(const Candidate &candidate);
    static QString fieldErrorsJson(const FieldErrors &errors);

    // The case-folded text that search compares ("Émile" and "émile" fold the same).
    static QString searchKey(const QString &text);
};

} // namespace cdesk
