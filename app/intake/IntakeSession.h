#pragma once

#include "model/CandidateValidator.h"
#include "model/DraftState.h"
#include "model/Submission.h"
#include "store/DraftStore.h"
#include "store/Outbox.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace cdesk {

class ApiClient;
class DraftKeeper;
class Settings;
class SubmissionEngine;
class Workspace;

// One recruiter's intake: the whole path of a candidate from what is being
// typed to what the server did with it. It keeps the draft on disk as the
// recruiter types, turns a draft into a queued submission, follows it
// through the outbox and settles the draft when the result comes, asks for
// a decision when the email already exists, and restores the last draft at
// start. No widgets: the window's form binds to it, the command line and
// bulk intake queue through it, and tests drive it directly.
class IntakeSession : public QObject
{
    Q_OBJECT
public:
    struct Services
    {
        Workspace *workspace = nullptr;
        SubmissionEngine *engine = nullptr;
        ApiClient *api = nullptr;
        Settings *settings = nullptr; // optional: defaults when absent
    };

    // A line for the recruiter, in their words. Info is neither good nor bad
    // news ("waits in the outbox"); a problem is never shown as success.
    struct Note
    {
        enum Tone { Info, Success, Problem };
        QString text;
        Tone tone = Info;
        bool offerSettings = false; // the fix is in Settings (a refused token)
    };

    // What the progress bar shows: hidden, busy (total 0), or sent of total.
    struct Progress
    {
        bool visible = false;
        qint64 sent = 0;
        qint64 total = 0;
        QString text;
    };

    enum class DuplicateDecision { Update, Keep };

    explicit IntakeSession(const Services &services, QObject *parent = nullptr);
    ~IntakeSession() override;

    DraftKeeper *drafts() const;
    ValidationOptions validationOptions() const;

    // What is being typed: kept as a draft after a short pause.
    void edited(const Candidate &candidate, const DraftState &state);
    // Save now (Ctrl+S); false when it could not be (the note says why).
    bool saveDraft(const Candidate &candidate, const DraftState &state);
    // Nothing of the recruiter's is being edited: another draft may be shown.
    bool isFree() const;

    // Checks a submission as the server will: normalises the candidate in
    // place and returns what must be fixed. An update is judged only on the
    // fields it changes. Reads the resume file's metadata: call it off the
    // GUI thread or where a short wait is fine (the command line).
    FieldErrors check(Submission *submission) const;
    static FieldErrors check(Submission *submission, const ValidationOptions &options);

    // From the form: the draft is saved first, then the candidate is checked
    // and its resume copied into the outbox off the GUI thread, and queued.
    // preparingChanged() says when the form must wait; queued() says it is
    // free for the next candidate.
    void submit(const Candidate &candidate, const DraftState &state);
    bool isPreparing() const { return m_preparing; }

    // Without a draft (the command line, bulk intake): checks nothing, copies
    // the resumes off the calling thread and queues all in one transaction.
    // done gets the queued rows, or std::nullopt and why.
    using QueuedCallback
        = std::function<void(const std::optional<QList<Submission>> &queued, const QString &error)>;
    void queue(QList<Submission> submissions, QObject *context, QueuedCallback done);

    // Bulk intake (a sheet, a folder of resumes): as queue(), but a row whose
    // Idempotency-Key the outbox already holds (the same sheet imported again)
    // is not queued twice: it comes back in `known` as it is stored.
    struct Batch
    {
        QList<Submission> queued;
        QList<Submission> known;
    };
    using BatchCallback
        = std::function<void(const std::optional<Batch> &batch, const QString &error)>;
    // The rows go in parts of rowsPerTransaction(), one transaction each with
    // the event loop turning in between, so a 5,000-row sheet does not stall
    // the window; the engine may send a part while the next goes in. When a
    // part fails, what went before stays queued (and is sent): done gets
    // those rows and the error; std::nullopt only when nothing was queued.
    // onPart (optional) hears of each part as it is stored, before the
    // engine may send its rows.
    using PartCallback
        = std::function<void(const QList<Submission> &queued, const QList<Submission> &known)>;
    void queueBatch(QList<Submission> submissions, QObject *context, BatchCallback done,
                    PartCallback onPart = {});
    void setRowsPerTransaction(int rows) { m_rowsPerTransaction = qMax(1, rows); }
    int rowsPerTransaction() const { return m_rowsPerTransaction; }

    // Keeps what is typed as a draft and starts an empty form. False when the
    // draft cannot be saved (a full disk): the form stays as it is.
    bool newCandidate();
    bool openDraft(qint64 draftId);
    void restoreLatestDraft(); // at start: what was being typed before a crash or close
    // Loads the server's candidate #id for an update (from the history).
    void loadForUpdate(qint64 serverId);
    // The answer to decisionNeeded(): update the existing candidate with what
    // was typed, or keep it as a draft and send nothing.
    void decideDuplicate(const Submission &submission, DuplicateDecision decision,
                         const std::optional<RemoteCandidate> &existing);

Q_SIGNALS:
    void noteChanged(const cdesk::IntakeSession::Note &note);
    void progressChanged(const cdesk::IntakeSession::Progress &progress);
    void preparingChanged(bool preparing); // the form waits while true
    // Queued from the form: clear it for the next candidate.
    void queued(const cdesk::Submission &submission);
    // Show this draft in the form (reopened, restored, or brought back after
    // the server refused it).
    void draftOpened(const cdesk::Draft &draft);
    void cleared(); // show an empty form
    // Show the form as an update of #id: against the server's record when
    // known, else the typed candidate is sent to #id as it is.
    void updateReady(qint64 id, const std::optional<cdesk::Candidate> &serverRecord);
    // The server's field errors for the draft now in the form.
    void fieldErrorsFound(const cdesk::FieldErrors &errors);
    // The email already exists: update that candidate, or keep the draft.
    void decisionNeeded(const cdesk::Submission &submission,
                        const std::optional<cdesk::RemoteCandidate> &existing);
    void submissionQueued(qint64 submissionId);
    void draftsChanged();

private:
    void insertParts(QList<Outbox::Prepared> parts, Batch batch, QPointer<QObject> context,
                     BatchCallback done, PartCallback onPart);
    void note(const QString &text, Note::Tone tone, bool offerSettings = false);
    void setPreparing(bool preparing);
    void queuedFromDraft(const Submission &queued, const DraftState &state, qint64 draftId);
    void onSubmissionChanged(qint64 id, SubmissionState state);
    void settle(const Submission &submission);
    void askAboutDuplicate(const Submission &submission);
    void clearCurrent();

    Services m_services;
    DraftKeeper *m_drafts;
    // Submissions queued from drafts and not settled yet, with the draft each
    // came from: the draft stays on disk until the server took the candidate.
    QHash<qint64, qint64> m_tracked;
    qint64 m_lastQueued = 0; // the progress follows this one
    Candidate m_current; // what the form holds, as last reported
    bool m_preparing = false;
    int m_rowsPerTransaction = 250;
};

} // namespace cdesk
