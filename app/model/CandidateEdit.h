#pragma once

#include "model/Candidate.h"

#include <optional>

namespace cdesk {

// What the recruiter is doing with the candidate in front of them: creating
// one, or updating the server's candidate #updateTarget(). For an update it
// keeps the baseline (what the server has, or what was loaded) and the fields
// the recruiter touched, so an update sends only what they changed. A value
// type without widgets: the form shows it, the intake session and the tests
// use it directly.
class CandidateEdit
{
public:
    std::optional<qint64> updateTarget() const { return m_updateTarget; }
    void setUpdateTarget(const std::optional<qint64> &id) { m_updateTarget = id; }

    const Candidate &baseline() const { return m_baseline; }
    void setBaseline(const Candidate &baseline) { m_baseline = baseline; }

    const CandidateFields &touched() const { return m_touched; }
    void setTouched(const CandidateFields &fields) { m_touched = fields; }
    void touch(CandidateField field) { m_touched.insert(field); }
    bool isTouched(CandidateField field) const { return m_touched.contains(field); }

    // A candidate was loaded (a draft, an empty form): it is the new baseline
    // and nothing is touched yet. The update target is left as it is.
    void reset(const Candidate &loaded);

    // The duplicate flow: the recruiter typed `typed`, and the server already
    // has `serverRecord` as candidate #id. Returns what the form shows from
    // now on: what the recruiter typed wins, the record fills what is empty.
    // A source or job the form started with (a default, the Talent Pool) is
    // no reason to overwrite the record's; one the recruiter chose is. The
    // record becomes the baseline and every field counts as touched, so
    // changedFields() is exactly what differs from the server.
    Candidate startUpdate(qint64 id, const Candidate &typed, const Candidate &serverRecord);

    // For an update: the fields that differ from the baseline and that the
    // recruiter touched. The resume is judged by its value alone (a drop zone
    // may swap the file for a smaller copy on its own).
    CandidateFields changedFields(const Candidate &now) const;

    static bool differs(CandidateField field, const Candidate &a, const Candidate &b);
    static const QList<CandidateField> &allFields();

private:
    std::optional<qint64> m_updateTarget;
    Candidate m_baseline;
    CandidateFields m_touched;
};

} // namespace cdesk
