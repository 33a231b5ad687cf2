#pragma once

#include "model/Candidate.h"
#include "model/CandidateValidator.h"
#include "model/DraftState.h"
#include "model/FieldErrors.h"
#include "resume/Autofill.h"

#include <QWidget>

#include <optional>

namespace cdesk {

class Clock;
class JobPicker;
class ResumeDropZone;

// The candidate form: every contract field, custom fields as key-value rows,
// a consent checkbox whose time is kept as a custom field, the resume drop
// zone and the job picker. Validates a field as the recruiter leaves it, puts
// the server's field errors on the fields they name, and never loses what was
// typed. Always says whether Submit will create or update ("Update #123").
class CandidateForm : public QWidget
{
    Q_OBJECT
public:
    explicit CandidateForm(QWidget *parent = nullptr);
    ~CandidateForm() override;

    Candidate candidate() const; // what the form holds now (consent included)
    void setCandidate(const Candidate &candidate);
    void clear(); // an empty form in create mode

    // Update mode: Submit updates candidate #id; std::nullopt: create.
    void setUpdateTarget(const std::optional<qint64> &id);
    // Update mode against the server's record of #id (the duplicate flow):
    // what the recruiter typed stays, the record fills what is empty and is
    // the baseline changedFields() is measured against.
    void startUpdate(qint64 id, const Candidate &serverRecord);
    std::optional<qint64> updateTarget() const;
    // In update mode, the fields edited since setCandidate().
    CandidateFields changedFields() const;

    // The consent checkbox records the time it was ticked: Clock::system() by default.
    void setClock(Clock *clock);
    void setValidationOptions(const ValidationOptions &options);
    // Source presets come built in; the recruiter's name can be added to the source.
    void setRecruiterName(const QString &name);
    void setDefaultSource(const QString &source);

    // Checks every field, shows each problem on its field, returns true when
    // the candidate can be sent. Focuses the first field with a problem.
    bool validateAll();
    // The server's (or the CLI's) errors, shown on the fields they name;
    // errors without a field in a banner above the form.
    void setFieldErrors(const FieldErrors &errors);
    void clearFieldErrors();

    // State a draft keeps beyond the candidate: update target and baseline,
    // consent, custom rows as typed. Round-trips through setDraftState().
    DraftState draftState() const;
    void setDraftState(const DraftState &state);
    // A smaller copy replaced the chosen resume: the draft remembers the original.
    void setOriginalResume(const QString &path);

    // What a resume says about the candidate, put into the fields that are
    // still empty (never over what the recruiter typed). Each filled field is
    // marked for the recruiter to check until they edit it. Returns the
    // labels of the fields filled ("Name", "Email", ...).
    QStringList fillFromResume(const AutofillResult &fill);

    JobPicker *jobPicker() const;
    ResumeDropZone *resumeZone() const;

Q_SIGNALS:
    void edited(); // anything changed: the draft autosaves on this
    void submitRequested(); // the Submit button (the window owns Ctrl+Enter)

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
