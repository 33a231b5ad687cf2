#include "CandidateEdit.h"

namespace cdesk {

const QList<CandidateField> &CandidateEdit::allFields()
{
    static const QList<CandidateField> fields {
        CandidateField::Name,         CandidateField::Email,     CandidateField::Phone,
        CandidateField::Resume,       CandidateField::ResumeUrl, CandidateField::JobId,
        CandidateField::Source,       CandidateField::Industry,  CandidateField::Department,
        CandidateField::CustomFields,
    };
    return fields;
}

void CandidateEdit::reset(const Candidate &loaded)
{
    m_baseline = loaded;
    m_touched.clear();
}

Candidate CandidateEdit::startUpdate(qint64 id, const Candidate &typed,
                                     const Candidate &serverRecord)
{
    Candidate merged = serverRecord;
    const auto keepTyped = [](QString &target, const QString &typedText) {
        if (!typedText.trimmed().isEmpty())
            target = typedText;
    };
    keepTyped(merged.name, typed.name);
    keepTyped(merged.email, typed.email);
    keepTyped(merged.phone, typed.phone);
    keepTyped(merged.industry, typed.industry);
    keepTyped(merged.department, typed.department);
    if (isTouched(CandidateField::Source) && !typed.source.trimmed().isEmpty())
        merged.source = typed.source;
    if (isTouched(CandidateField::JobId))
        merged.jobId = typed.jobId;
    if (!typed.resumeFile.isEmpty() || !typed.resumeUrl.isEmpty()) {
        merged.resumeFile = typed.resumeFile;
        merged.resumeUrl = typed.resumeUrl;
    }
    for (auto it = typed.customFields.cbegin(); it != typed.customFields.cend(); ++it) {
        if (!it.value().trimmed().isEmpty())
            merged.customFields.insert(it.key(), it.value());
    }
    m_baseline = serverRecord;
    m_touched = CandidateFields(allFields().cbegin(), allFields().cend());
    m_updateTarget = id;
    return merged;
}

CandidateFields CandidateEdit::changedFields(const Candidate &now) const
{
    CandidateFields changed;
    for (const CandidateField field : allFields()) {
        const bool resume = field == CandidateField::Resume || field == CandidateField::ResumeUrl;
        if ((resume || m_touched.contains(field)) && differs(field, now, m_baseline))
            changed.insert(field);
    }
    return changed;
}

bool CandidateEdit::differs(CandidateField field, const Candidate &a, const Candidate &b)
{
    switch (field) {
    case CandidateField::Name:
        return a.name != b.name;
    case CandidateField::Email:
        return a.email != b.email;
    case CandidateField::Phone:
        return a.phone != b.phone;
    case CandidateField::Resume:
        return a.resumeFile != b.resumeFile;
    case CandidateField::ResumeUrl:
        return a.resumeUrl != b.resumeUrl;
    case CandidateField::JobId:
        return a.jobId != b.jobId;
    case CandidateField::Source:
        return a.source != b.source;
    case CandidateField::Industry:
        return a.industry != b.industry;
    case CandidateField::Department:
        return a.department != b.department;
    case CandidateField::CustomFields:
        return a.customFields != b.customFields;
    }
    return false;
}

} // namespace cdesk
