#pragma once

#include "intake/IntakeSession.h"
#include "model/Job.h"
#include "model/Submission.h"

#include <QWidget>

#include <functional>
#include <optional>

namespace cdesk {

class CandidateForm;
class DraftKeeper;
struct ResumeReading;
struct ShrinkResult;

// The form and everything around one candidate: the draft kept as the
// recruiter types, the submission through the outbox with its progress, the
// result shown in place, and the decision when the email already exists.
class CandidatePane : public QWidget
{
    Q_OBJECT
public:
    // The pane's session is built on these.
    using Services = IntakeSession::Services;

    explicit CandidatePane(const Services &services, QWidget *parent = nullptr);
    ~CandidatePane() override;

    CandidateForm *form() const;
    DraftKeeper *drafts() const;
    IntakeSession *session() const;

    void submit(); // Ctrl+Enter
    void saveDraft(); // Ctrl+S
    void newCandidate(); // Ctrl+N: keeps the current work as a draft, or asks
    void openDraft(qint64 draftId);
    void restoreLatestDraft(); // at start: what was being typed before a crash or close
    // From the history: load the server's candidate into the form to update it.
    void loadForUpdate(qint64 serverId);

Q_SIGNALS:
    void openSettingsRequested(); // a refused token: the fix is in Settings
    void submissionQueued(qint64 submissionId);
    void draftsChanged();
    void manyResumesDropped(const QStringList &paths); // for the review list

private:
    void bindSession();
    void showNote(const IntakeSession::Note &note);
    void decideOnDuplicate(const Submission &submission,
                           const std::optional<RemoteCandidate> &existing);
    void readResume(const QString &path);
    void showReading(const std::optional<ResumeReading> &reading);
    void previewResumeText();
    void sendResumeAsPlainText();
    void compressResume();
    void shrink(std::function<ShrinkResult()> work);
    void useSmallerResume(const ShrinkResult &result);

    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
