#pragma once

#include "model/CandidateEdit.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace cdesk {

// A custom field row as the recruiter typed it: a row without a name yet is
// unfinished work, not yet part of the candidate, and still kept.
struct CustomFieldRow
{
    QString key;
    QString value;
    friend bool operator==(const CustomFieldRow &, const CustomFieldRow &) = default;
};

// Everything a draft keeps beyond the candidate itself, so that reopening it
// (after a restart, a crash, or from the drafts list) gives back the same
// form in the same mode. Stored as JSON with the draft; keys written by a
// newer version are carried along untouched.
struct DraftState
{
    CandidateEdit edit; // create, or update #id against a baseline
    QString consentGivenAt; // ISO 8601 UTC; empty: not given
    QList<CustomFieldRow> customRows; // as typed
    QString lastSource; // the source in the form: the next candidate's default
    // Queued for sending as this outbox row: not offered again as a draft
    // while the outbox holds it.
    std::optional<qint64> queuedSubmission;
    // The resume the recruiter chose, when a smaller copy replaced it.
    QString originalResume;

    QJsonObject toJson() const;
    static DraftState fromJson(const QJsonObject &json);
    // Whether the stored state named a baseline: a draft saved without one
    // measures its changes against the candidate it holds.
    bool hasBaseline() const { return m_hasBaseline; }

private:
    QJsonObject m_unknown;
    bool m_hasBaseline = true;
};

} // namespace cdesk
