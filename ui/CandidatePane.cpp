#include "CandidatePane.h"

#include "CandidateForm.h"
#include "Dialogs.h"
#include "FieldMarks.h"
#include "ResumeDropZone.h"
#include "api/ApiClient.h"
#include "intake/DraftKeeper.h"
#include "resume/ResumeReader.h"
#include "settings/Settings.h"
#include "store/Workspace.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace cdesk {

class CandidatePane::Private
{
public:
    Services services;
    IntakeSession *session = nullptr;
    CandidateForm *form = nullptr;
    QProgressBar *progress = nullptr;
    QLabel *result = nullptr;
    QPushButton *openSettings = nullptr;
    // The resume: what reading it found, for autofill, the preview and a
    // plain-text copy when it is too large for the server.
    QLabel *resumeNote = nullptr;
    QPushButton *preview = nullptr;
    QPushButton *asText = nullptr;
    QPushButton *compress = nullptr;
    std::optional<ResumeReading> reading;
    quint64 readingGeneration = 0;
    bool loading = false; // the form fills itself: not an edit

    // Shows what the session hands the form, without taking it as an edit.
    template<typename Fill> void fill(Fill &&fillForm)
    {
        const QScopedValueRollback guard(loading, true);
        fillForm();
    }
    void pushEdit() { session->edited(form->candidate(), form->draftState()); }
};

CandidatePane::CandidatePane(const Services &services, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->services = services;
    d->session = new IntakeSession(services, this);
    d->form = new CandidateForm;
    d->form->setObjectName(u"candidateForm"_s);
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

    const auto applySettings = [this] {
        d->form->setValidationOptions(d->session->validationOptions());
        if (d->services.settings)
            d->form->setRecruiterName(d->services.settings->recruiterName());
    };
    applySettings();
    if (services.settings) {
        // The region, the name or the server's resume limit (learned from a 413)
        // can change while the window is open.
        connect(services.settings, &Settings::changed, this, applySettings);
        // The last source used is the likeliest next one (a batch from one job fair).
        const QString last = services.settings->lastSource();
        d->form->setDefaultSource(last.isEmpty() ? services.settings->defaultSource() : last);
    }

    connect(d->form, &CandidateForm::edited, this, [this] {
        if (!d->loading)
            d->pushEdit();
    });
    connect(d->form, &CandidateForm::submitRequested, this, &CandidatePane::submit);
    connect(d->form->resumeZone(), &ResumeDropZone::fileAccepted, this, &CandidatePane::readResume);
    connect(d->form->resumeZone(), &ResumeDropZone::manyDropped, this,
            &CandidatePane::manyResumesDropped);
    connect(d->form->resumeZone(), &ResumeDropZone::changed, this, [this] {
        if (d->form->resumeZone()->filePath().isEmpty())
            showReading({});
    });
    connect(d->preview, &QPushButton::clicked, this, &CandidatePane::previewResumeText);
    connect(d->asText, &QPushButton::clicked, this, &CandidatePane::sendResumeAsPlainText);
    connect(d->compress, &QPushButton::clicked, this, &CandidatePane::compressResume);
    connect(d->openSettings, &QPushButton::clicked, this, &CandidatePane::openSettingsRequested);
    bindSession();
}

// The session decides; the pane shows what it says in the form, the result
// line and the progress bar.
void CandidatePane::bindSession()
{
    IntakeSession *session = d->session;
    connect(session, &IntakeSession::noteChanged, this, &CandidatePane::showNote);
    connect(session, &IntakeSession::progressChanged, this,
            [this](const IntakeSession::Progress &p) {
                d->progress->setVisible(p.visible);
                if (p.total > 0) {
                    d->progress->setRange(0, 1000);
                    d->progress->setValue(int(p.sent * 1000 / p.total));
                } else {
                    d->progress->setRange(0, 0);
                }
                d->progress->setFormat(p.text);
            });
    connect(session, &IntakeSession::preparingChanged, d->form, &QWidget::setDisabled);
    connect(session, &IntakeSession::queued, this, [this](const Submission &queued) {
        d->fill([this] { d->form->clear(); });
        if (!queued.candidate.source.isEmpty())
            d->form->setDefaultSource(queued.candidate.source);
    });
    connect(session, &IntakeSession::cleared, this,
            [this] { d->fill([this] { d->form->clear(); }); });
    connect(session, &IntakeSession::draftOpened, this, [this](const Draft &draft) {
        d->fill([this, &draft] {
            d->form->setCandidate(draft.candidate);
            d->form->setDraftState(draft.state);
        });
    });
    connect(session, &IntakeSession::updateReady, this,
            [this](qint64 id, const std::optional<Candidate> &record) {
                if (!record) {
                    d->form->setUpdateTarget(id);
                    return;
                }
                // What the recruiter typed stays; the server's record fills what
                // is empty and is the baseline the changed fields are measured against.
                d->fill([this, id, &record] { d->form->startUpdate(id, *record); });
                d->pushEdit();
            });
    connect(session, &IntakeSession::fieldErrorsFound, d->form, &CandidateForm::setFieldErrors);
    connect(session, &IntakeSession::decisionNeeded, this, &CandidatePane::decideOnDuplicate);
    connect(session, &IntakeSession::submissionQueued, this, &CandidatePane::submissionQueued);
    connect(session, &IntakeSession::draftsChanged, this, &CandidatePane::draftsChanged);
}

CandidatePane::~CandidatePane()
{
    d->session->drafts()->flush();
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
    return d->session->drafts();
}

IntakeSession *CandidatePane::session() const
{
    return d->session;
}

void CandidatePane::showNote(const IntakeSession::Note &note)
{
    d->result->setText(note.text);
    const bool problem = note.tone == IntakeSession::Note::Problem;
    d->result->setProperty("problem", problem);
    // Only good news is green; news that is neither keeps the palette's colour.
    setTone(d->result,
            problem                                         ? Tone::Problem
                : note.tone == IntakeSession::Note::Success ? Tone::Success
                                                            : Tone::Plain);
    d->openSettings->setVisible(note.offerSettings);
}

void CandidatePane::saveDraft()
{
    d->session->saveDraft(d->form->candidate(), d->form->draftState());
}

void CandidatePane::submit()
{
    d->form->clearFieldErrors();
    if (!d->form->validateAll()) {
        showNote({ tr("Some fields need attention: see the messages under them."),
                   IntakeSession::Note::Problem });
        return;
    }
    d->session->submit(d->form->candidate(), d->form->draftState());
}

void CandidatePane::decideOnDuplicate(const Submission &s,
                                      const std::optional<RemoteCandidate> &existing)
{
    const qint64 id = s.duplicateOf.value_or(0);
    const QString who = existing
        ? tr("%1 <%2>, %3, added %4")
              .arg(existing->candidate.name, existing->candidate.email,
                   existing->talentPool ? tr("Talent Pool") : existing->jobTitle,
                   QLocale().toString(existing->createdAt.toLocalTime().date(),
                                      QLocale::ShortFormat))
        : tr("candidate #%1").arg(id);
    Dialogs::ask(
        this, tr("This candidate already exists"),
        tr("%1 is already on the server as %2.\n\nUpdate that candidate with what you "
           "typed? Only the fields that differ are changed. Or cancel, and nothing is sent.")
            .arg(s.candidate.email, who),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes,
        [this, s, existing](QMessageBox::StandardButton answer) {
            d->session->decideDuplicate(s,
                                        answer == QMessageBox::Yes
                                            ? IntakeSession::DuplicateDecision::Update
                                            : IntakeSession::DuplicateDecision::Keep,
                                        existing);
        });
}

void CandidatePane::loadForUpdate(qint64 serverId)
{
    d->session->loadForUpdate(serverId);
}

void CandidatePane::newCandidate()
{
    d->session->newCandidate();
}

void CandidatePane::openDraft(qint64 draftId)
{
    d->session->openDraft(draftId);
}

void CandidatePane::restoreLatestDraft()
{
    d->session->restoreLatestDraft();
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
            showNote({ tr("Filled from the resume: %1. Please check them (marked in yellow).")
                           .arg(filled.join(u", "_s)),
                       IntakeSession::Note::Info });
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
    d->form->setOriginalResume(d->form->resumeZone()->filePath());
    d->form->resumeZone()->setFilePath(result.path);
    d->resumeNote->setText(result.message);
    d->asText->setVisible(false);
    d->compress->setVisible(false);
}

} // namespace cdesk
