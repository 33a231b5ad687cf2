#include "CandidatePane.h"

#include "CandidateForm.h"
#include "Dialogs.h"
#include "ResumeDropZone.h"
#include "api/ApiClient.h"
#include "intake/DraftKeeper.h"
#include "intake/SubmissionEngine.h"
#include "resume/ResumeReader.h"
#include "settings/Settings.h"
#include "store/DraftStore.h"
#include "store/Outbox.h"
#include "store/Workspace.h"
#include <QHash>

#include <QDialog>
#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace cdesk {

class CandidatePane::Private
{
public:
    Services services;
    CandidateForm *form = nullptr;
    DraftKeeper *drafts = nullptr;
    QProgressBar *progress = nullptr;
    QLabel *result = nullptr;
    QPushButton *openSettings = nullptr;
    // Submissions sent from this pane and not settled yet, with the draft each
    // came from: the draft stays on disk until the server took the candidate.
    QHash<qint64, qint64> tracked;
    qint64 lastQueued = 0; // the progress bar follows this one
    // The resume: what reading it found, for autofill, the preview and a
    // plain-text copy when it is too large for the server.
    QLabel *resumeNote = nullptr;
    QPushButton *preview = nullptr;
    QPushButton *asText = nullptr;
    QPushButton *compress = nullptr;
    std::optional<ResumeReading> reading;
    quint64 readingGeneration = 0;
    bool loading = false; // setCandidate() in progress: not an edit

    // The form holds nothing of the recruiter's: safe to show another draft in it.
    bool formIsFree() const
    {
        return drafts->currentId() == 0 && !drafts->hasUnsavedChanges()
            && form->candidate().name.isEmpty() && form->candidate().email.isEmpty()
            && form->candidate().phone.isEmpty();
    }
    void clearForm()
    {
        loading = true;
        form->clear();
        loading = false;
    }
};

CandidatePane::CandidatePane(const Services &services, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->services = services;
    d->form = new CandidateForm;
    d->form->setObjectName(u"candidateForm"_s);
    d->drafts = new DraftKeeper(services.workspace->drafts(), this);
    d->progress = new QProgressBar;
    d->progress->setObjectName(u"submitProgress"_s);
    d->progress->setVisible(false);
    d->progress->setTextVisible(true);
    d->result = new QLabel;
    d->result->setObjectName(u"resultLabel"_s);
    d->result->setWordWrap(true);
    d->result->setTextFormat(Qt::PlainText); // server and candidate text, never markup
    d->result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    d->openSettings = new QPushButton(tr("Open Settings…"));
    d->openSettings->setObjectName(u"openSettingsButton"_s);
    d->openSettings->setVisible(false);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(d->form);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 1);
    d->resumeNote = new QLabel;
    d->resumeNote->setObjectName(u"resumeAssist"_s);
    d->resumeNote->setWordWrap(true);
    d->resumeNote->setTextFormat(Qt::PlainText);
    d->preview = new QPushButton(tr("Preview text…"));
    d->preview->setObjectName(u"previewResumeText"_s);
    d->asText = new QPushButton(tr("Send as plain text"));
    d->asText->setObjectName(u"sendAsPlainText"_s);
    d->compress = new QPushButton(tr("Compress"));
    d->compress->setObjectName(u"compressResume"_s);
    auto *resumeRow = new QHBoxLayout;
    resumeRow->addWidget(d->resumeNote, 1);
    for (QPushButton *button : { d->preview, d->asText, d->compress }) {
        button->setVisible(false);
        resumeRow->addWidget(button);
    }
    layout->addLayout(resumeRow);
    auto *resultRow = new QHBoxLayout;
    resultRow->addWidget(d->result, 1);
    resultRow->addWidget(d->openSettings);
    layout->addLayout(resultRow);
    layout->addWidget(d->progress);

    if (services.settings) {
        d->form->setValidationOptions(ValidationOptions { services.settings->phoneRegion(),
                                                          services.settings->maxResumeBytes() });
        d->form->setRecruiterName(services.settings->recruiterName());
        // The region, the name or the server's resume limit (learned from a 413)
        // can change while the window is open.
        connect(services.settings, &Settings::changed, this, [this] {
            Settings *settings = d->services.settings;
            d->form->setValidationOptions(
                ValidationOptions { settings->phoneRegion(), settings->maxResumeBytes() });
            d->form->setRecruiterName(settings->recruiterName());
        });
        // The last source used is the likeliest next one (a batch from one job fair).
        const QString last = services.settings->lastSource();
        d->form->setDefaultSource(last.isEmpty() ? services.settings->defaultSource() : last);
    }

    connect(d->form, &CandidateForm::edited, this, [this] {
        if (!d->loading)
            d->drafts->edited(d->form->candidate(), d->form->extraState());
    });
    connect(d->form, &CandidateForm::submitRequested, this, &CandidatePane::submit);
    connect(d->form->resumeZone(), &ResumeDropZone::fileAccepted, this, &CandidatePane::readResume);
    connect(d->form->resumeZone(), &ResumeDropZone::changed, this, [this] {
        if (d->form->resumeZone()->filePath().isEmpty())
            showReading({});
    });
    connect(d->preview, &QPushButton::clicked, this, &CandidatePane::previewResumeText);
    connect(d->asText, &QPushButton::clicked, this, &CandidatePane::sendResumeAsPlainText);
    connect(d->compress, &QPushButton::clicked, this, &CandidatePane::compressResume);
    connect(d->drafts, &DraftKeeper::saved, this, &CandidatePane::draftsChanged);
    connect(d->drafts, &DraftKeeper::saveFailed, this,
            [this](const QString &message) { setResult(message, true); });
    connect(d->openSettings, &QPushButton::clicked, this, &CandidatePane::openSettingsRequested);
    connect(services.engine, &SubmissionEngine::submissionChanged, this,
            &CandidatePane::onSubmissionChanged);
    connect(services.engine, &SubmissionEngine::progress, this,
            [this](qint64 id, qint64 sent, qint64 total) {
                if (id != d->lastQueued || total <= 0)
                    return;
                d->progress->setRange(0, 1000);
                d->progress->setValue(int(sent * 1000 / total));
                d->progress->setFormat(tr("Uploading %1 of %2")
                                           .arg(QLocale().formattedDataSize(sent),
                                                QLocale().formattedDataSize(total)));
            });
}

CandidatePane::~CandidatePane()
{
    d->drafts->flush();
    // The children outlive this body (QWidget deletes them later): the draft
    // keeper flushes again as it goes, and a failure it reports then must not
    // reach this pane's handlers, which read d.
    for (QObject *child : findChildren<QObject *>())
        child->disconnect(this);
}

CandidateForm *CandidatePane::form() const
{
    return d->form;
}

DraftKeeper *CandidatePane::drafts() const
{
    return d->drafts;
}

void CandidatePane::setResult(const QString &text, bool problem, bool offerSettings)
{
    d->result->setText(text);
    d->result->setProperty("problem", problem);
    d->result->setStyleSheet(problem ? u"color: #b91c1c;"_s : u"color: #166534;"_s);
    d->openSettings->setVisible(offerSettings);
}

void CandidatePane::saveDraft()
{
    d->drafts->edited(d->form->candidate(), d->form->extraState());
    if (d->drafts->flush())
        setResult(tr("Draft saved."), false);
}

void CandidatePane::submit()
{
    d->form->clearFieldErrors();
    if (!d->form->validateAll()) {
        setResult(tr("Some fields need attention: see the messages under them."), true);
        return;
    }
    Submission s;
    s.source = u"form"_s;
    s.candidate = d->form->candidate();
    if (const auto target = d->form->updateTarget()) {
        s.kind = SubmissionKind::Update;
        s.targetId = *target;
        s.changedFields = d->form->changedFields();
        if (s.changedFields.isEmpty()) {
            setResult(tr("Nothing changed: edit a field first, then update."), false);
            return;
        }
    }
    // The draft is on disk before the outbox row: if anything below fails,
    // nothing the recruiter typed is lost.
    d->drafts->edited(s.candidate, d->form->extraState());
    if (!d->drafts->flush())
        return; // saveFailed() told the recruiter; the form keeps everything
    const qint64 draftId = d->drafts->currentId();
    // The resume is copied into the outbox (and hashed, and synced) on a
    // worker thread: a large file must not freeze the window. The form waits,
    // disabled, so what is queued is exactly what was on screen.
    Outbox *outbox = d->services.workspace->outbox();
    d->form->setEnabled(false);
    d->progress->setVisible(true);
    d->progress->setRange(0, 0);
    d->progress->setFormat(tr("Preparing…"));
    auto *watcher = new QFutureWatcher<Outbox::Prepared>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, s, draftId] {
        watcher->deleteLater();
        d->form->setEnabled(true);
        Outbox::Prepared prepared = watcher->result();
        QString error = prepared.error;
        const auto queued = prepared.ok
            ? d->services.workspace->outbox()->insertPrepared(std::move(prepared), &error)
            : std::nullopt;
        if (!queued) {
            d->progress->setVisible(false);
            setResult(tr("Could not queue the candidate: %1. Your entry is kept.").arg(error),
                      true);
            return;
        }
        queuedFromDraft(queued->constFirst(), s, draftId);
    });
    watcher->setFuture(QtConcurrent::run([outbox, s] { return outbox->prepareFiles({ s }); }));
}

void CandidatePane::queuedFromDraft(const Submission &queued, const Submission &s, qint64 draftId)
{
    if (d->services.settings && !s.candidate.source.isEmpty())
        d->services.settings->setLastSource(s.candidate.source);
    // The draft remembers its submission, so after a restart it is not offered
    // again while the outbox still holds it.
    QJsonObject extra = d->form->extraState();
    extra.insert(u"queued_submission"_s, queued.id);
    d->drafts->edited(s.candidate, extra);
    d->drafts->flush();
    d->tracked.insert(queued.id, draftId);
    d->lastQueued = queued.id;
    // The outbox has it: the form is free for the next candidate at once.
    d->drafts->setCurrentId(0);
    d->clearForm();
    if (!s.candidate.source.isEmpty())
        d->form->setDefaultSource(s.candidate.source);
    d->progress->setVisible(true);
    d->progress->setRange(0, 0); // busy until the upload reports its size
    d->progress->setFormat(tr("Sending…"));
    setResult(tr("Sending %1… You can go on with the next candidate.").arg(s.candidate.name),
              false);
    Q_EMIT submissionQueued(queued.id);
    Q_EMIT draftsChanged();
    d->services.engine->kick();
}

void CandidatePane::onSubmissionChanged(qint64 id, SubmissionState state)
{
    if (!d->tracked.contains(id) || state == SubmissionState::Sending)
        return;
    const auto row = d->services.workspace->outbox()->get(id);
    if (!row)
        return;
    // Pending again without an attempt: not ours to report yet.
    if (row->state == SubmissionState::Pending && row->attempts == 0)
        return;
    if (id == d->lastQueued)
        d->progress->setVisible(false);
    showResult(*row);
}

void CandidatePane::showResult(const Submission &s)
{
    const qint64 draftId = d->tracked.value(s.id);
    DraftStore *store = d->services.workspace->drafts();
    switch (s.state) {
    case SubmissionState::Sent:
        d->tracked.remove(s.id);
        // The server has the candidate: its draft has done its job, unless the
        // recruiter reopened it meanwhile (then it stays theirs).
        if (draftId != 0 && draftId != d->drafts->currentId())
            store->remove(draftId);
        setResult(
            s.kind == SubmissionKind::Create
                ? tr("Created candidate #%1: %2.").arg(s.serverId.value_or(0)).arg(s.candidate.name)
                : tr("Updated candidate #%1: %2.").arg(s.targetId).arg(s.candidate.name),
            false);
        Q_EMIT draftsChanged();
        return;
    case SubmissionState::Pending:
        // Safe in the outbox and retried automatically; still followed here.
        setResult(tr("%1 waits in the outbox: %2").arg(s.candidate.name, s.lastError), false);
        return;
    case SubmissionState::Failed:
    case SubmissionState::NeedsDecision: {
        d->tracked.remove(s.id);
        const bool bringBack = draftId != 0 && d->formIsFree();
        if (bringBack)
            openDraft(draftId);
        if (s.state == SubmissionState::NeedsDecision) {
            if (bringBack) {
                decideOnDuplicate(s);
            } else {
                setResult(tr("%1 was not sent: the email is already candidate #%2. Open the draft "
                             "(File → Drafts) to update that candidate or cancel.")
                              .arg(s.candidate.name)
                              .arg(s.duplicateOf.value_or(0)),
                          true);
            }
            return;
        }
        const bool token = s.errorKind == errorName(ApiError::BadToken)
            || s.errorKind == errorName(ApiError::NotAllowed);
        if (bringBack) {
            d->form->setFieldErrors(s.fieldErrors);
            setResult(tr("Not sent: %1").arg(s.lastError), true, token);
        } else {
            setResult(tr("%1 was not sent: %2 It is kept in File → Drafts.")
                          .arg(s.candidate.name, s.lastError),
                      true, token);
        }
        Q_EMIT draftsChanged();
        return;
    }
    case SubmissionState::Cancelled:
        d->tracked.remove(s.id);
        return;
    case SubmissionState::Sending:
        return;
    }
}

void CandidatePane::decideOnDuplicate(const Submission &s)
{
    const qint64 existing = s.duplicateOf.value_or(0);
    setResult(tr("%1 is already candidate #%2 on the server.").arg(s.candidate.email).arg(existing),
              true);
    ApiCall *call = d->services.api->getCandidate(existing);
    connect(call, &ApiCall::finished, this, [this, s, existing](const ApiResult &result) {
        const QString who = result.candidate
            ? tr("%1 <%2>, %3, added %4")
                  .arg(result.candidate->candidate.name, result.candidate->candidate.email,
                       result.candidate->talentPool ? tr("Talent Pool")
                                                    : result.candidate->jobTitle,
                       QLocale().toString(result.candidate->createdAt.toLocalTime().date(),
                                          QLocale::ShortFormat))
            : tr("candidate #%1").arg(existing);
        Dialogs::ask(
            this, tr("This candidate already exists"),
            tr("%1 is already on the server as %2.\n\nUpdate that candidate with what you "
               "typed? Only the fields that differ are changed. Or cancel, and nothing is sent.")
                .arg(s.candidate.email, who),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes,
            [this, s, existing, result](QMessageBox::StandardButton answer) {
                d->services.workspace->outbox()->cancel(s.id);
                if (answer != QMessageBox::Yes) {
                    setResult(tr("Not sent: %1 is already candidate #%2. Your entry is kept.")
                                  .arg(s.candidate.email)
                                  .arg(existing),
                              false);
                    return;
                }
                if (result.candidate) {
                    startUpdateFrom(*result.candidate,
                                    tr("Loaded #%1 to update: Submit changes only what differs.")
                                        .arg(existing));
                } else {
                    d->form->setUpdateTarget(existing);
                    setResult(tr("Update #%1: Submit to send what you typed.").arg(existing),
                              false);
                }
            });
    });
}

void CandidatePane::startUpdateFrom(const RemoteCandidate &remote, const QString &note)
{
    // What the recruiter typed stays; the server's record fills what is empty
    // and is the baseline the changed fields are measured against.
    d->loading = true;
    d->form->startUpdate(remote.id, remote.candidate);
    d->loading = false;
    d->drafts->edited(d->form->candidate(), d->form->extraState());
    setResult(note, false);
}

void CandidatePane::loadForUpdate(qint64 serverId)
{
    setResult(tr("Loading candidate #%1…").arg(serverId), false);
    ApiCall *call = d->services.api->getCandidate(serverId);
    connect(call, &ApiCall::finished, this, [this, serverId](const ApiResult &result) {
        if (!result.ok() || !result.candidate) {
            setResult(tr("Could not load candidate #%1: %2").arg(serverId).arg(result.message),
                      true, result.error == ApiError::BadToken);
            return;
        }
        // The work in the form stays as its own draft.
        if (!d->drafts->setCurrentId(0))
            return;
        d->clearForm();
        startUpdateFrom(
            *result.candidate,
            tr("Loaded #%1 to update: Submit changes only what you edit.").arg(serverId));
    });
}

void CandidatePane::newCandidate()
{
    // Everything typed is already a draft on disk: "new" keeps it in the
    // drafts list and starts an empty form. A draft that cannot be saved (a
    // full disk) keeps the form as it is.
    if (!d->drafts->setCurrentId(0))
        return;
    d->clearForm();
    setResult({}, false);
    Q_EMIT draftsChanged();
}

void CandidatePane::openDraft(qint64 draftId)
{
    auto draft = d->services.workspace->drafts()->load(draftId);
    if (!draft || !d->drafts->setCurrentId(draftId))
        return;
    // Reopened: it is the recruiter's again, not the outbox's.
    draft->extra.remove(u"queued_submission"_s);
    d->loading = true;
    d->form->setCandidate(draft->candidate);
    d->form->setExtraState(draft->extra);
    d->loading = false;
    setResult(tr("Draft from %1 reopened.")
                  .arg(QLocale().toString(draft->updatedAt.toLocalTime(), QLocale::ShortFormat)),
              false);
}

void CandidatePane::restoreLatestDraft()
{
    // Drafts whose submission the outbox still holds (or the server took) are
    // not offered again; those the server took go, the others are followed.
    Outbox *outbox = d->services.workspace->outbox();
    DraftStore *store = d->services.workspace->drafts();
    qint64 latest = 0;
    for (const Draft &draft : store->list()) {
        const qint64 queued = draft.extra.value(u"queued_submission"_s).toInteger();
        const auto row = queued > 0 ? outbox->get(queued) : std::nullopt;
        if (row && row->state == SubmissionState::Sent) {
            store->remove(draft.id);
            continue;
        }
        if (row
            && (row->state == SubmissionState::Pending || row->state == SubmissionState::Sending)) {
            d->tracked.insert(row->id, draft.id);
            continue;
        }
        if (latest == 0)
            latest = draft.id;
    }
    if (latest != 0)
        openDraft(latest);
}

void CandidatePane::readResume(const QString &path)
{
    const quint64 generation = ++d->readingGeneration;
    d->resumeNote->setText(tr("Reading the resume…"));
    const QString region = d->services.settings ? d->services.settings->phoneRegion() : u"IN"_s;
    const qint64 limit = d->services.settings ? d->services.settings->maxResumeBytes() : 0;
    auto *watcher = new QFutureWatcher<ResumeReading>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, path] {
        watcher->deleteLater();
        // Another file was chosen meanwhile: this reading is stale.
        if (generation != d->readingGeneration || d->form->resumeZone()->filePath() != path)
            return;
        const ResumeReading reading = watcher->result();
        showReading(reading);
        if (!reading.text.ok)
            return;
        const QStringList filled = d->form->fillFromResume(reading.fill);
        if (!filled.isEmpty()) {
            setResult(tr("Filled from the resume: %1. Please check them (marked in yellow).")
                          .arg(filled.join(u", "_s)),
                      false);
        }
    });
    // Reading, extracting (PDFs in a helper process) and autofill all run off the GUI thread.
    watcher->setFuture(ResumeReader::readAsync(path, region, limit));
}

void CandidatePane::showReading(const std::optional<ResumeReading> &reading)
{
    d->reading = reading;
    const bool text = reading && reading->text.ok;
    const bool over = reading && reading->info.overLimit;
    d->preview->setVisible(text);
    d->asText->setVisible(over && text);
    d->compress->setVisible(over);
    if (!reading) {
        d->resumeNote->clear();
        return;
    }
    if (!reading->text.ok) {
        d->resumeNote->setText(reading->text.problem);
        return;
    }
    const QString size = QLocale().formattedDataSize(reading->info.size);
    d->resumeNote->setText(
        over
            ? tr("This resume is %1, more than the server takes (%2). Send its text instead, or "
                 "compress it.")
                  .arg(size,
                       QLocale().formattedDataSize(
                           d->services.settings ? d->services.settings->maxResumeBytes() : 0))
            : tr("Resume read: %n character(s) of text.", nullptr, int(reading->text.text.size())));
}

void CandidatePane::previewResumeText()
{
    if (!d->reading || !d->reading->text.ok)
        return;
    // Not modal: the recruiter can compare it with the form.
    auto *dialog = new QDialog(this);
    dialog->setObjectName(u"resumePreview"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Text of %1").arg(d->reading->info.fileName));
    auto *text = new QPlainTextEdit(d->reading->text.text);
    text->setReadOnly(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog->resize(640, 720);
    dialog->show();
}

void CandidatePane::sendResumeAsPlainText()
{
    if (!d->reading)
        return;
    const QString dir = d->services.workspace->dataDir() + u"/converted"_s;
    shrink([reading = *d->reading, dir] { return ResumeReader::asPlainText(reading, dir); });
}

void CandidatePane::compressResume()
{
    if (!d->reading)
        return;
    const QString dir = d->services.workspace->dataDir() + u"/converted"_s;
    const qint64 limit = d->services.settings ? d->services.settings->maxResumeBytes() : 0;
    shrink(
        [info = d->reading->info, dir, limit] { return ResumeReader::compress(info, dir, limit); });
}

// Writing a text copy or zipping a document again reads and writes whole
// files: a worker thread does it, the window only takes the result.
void CandidatePane::shrink(std::function<ShrinkResult()> work)
{
    d->asText->setEnabled(false);
    d->compress->setEnabled(false);
    d->resumeNote->setText(tr("Making a smaller copy…"));
    auto *watcher = new QFutureWatcher<ShrinkResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        d->asText->setEnabled(true);
        d->compress->setEnabled(true);
        useSmallerResume(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

void CandidatePane::useSmallerResume(const ShrinkResult &result)
{
    if (!result.ok) {
        d->resumeNote->setText(result.message);
        return;
    }
    // The original stays in the draft's state, so nothing is lost if the
    // recruiter wants it back.
    const QString original = d->form->resumeZone()->filePath();
    QJsonObject extra = d->form->extraState();
    extra.insert(u"original_resume"_s, original);
    d->form->setExtraState(extra);
    d->form->resumeZone()->setFilePath(result.path);
    d->resumeNote->setText(result.message);
    d->asText->setVisible(false);
    d->compress->setVisible(false);
}

} // namespace cdesk
