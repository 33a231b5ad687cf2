#include "IntakeSession.h"

#include "api/ApiClient.h"
#include "intake/DraftKeeper.h"
#include "intake/SubmissionEngine.h"
#include "model/CandidateValidator.h"
#include "settings/Settings.h"
#include "store/DraftStore.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QFutureWatcher>
#include <QLocale>
#include <QTimer>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// What a check off the GUI thread hands back with the copied resumes.
struct CheckedAndPrepared
{
    FieldErrors errors; // not empty: nothing was copied
    Submission checked; // the candidate as it will be sent (normalised)
    Outbox::Prepared prepared;
};

} // namespace

IntakeSession::IntakeSession(const Services &services, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_drafts(new DraftKeeper(services.workspace->drafts(), this))
{
    connect(m_drafts, &DraftKeeper::saved, this, &IntakeSession::draftsChanged);
    connect(m_drafts, &DraftKeeper::saveFailed, this,
            [this](const QString &message) { note(message, Note::Problem); });
    connect(services.engine, &SubmissionEngine::submissionChanged, this,
            &IntakeSession::onSubmissionChanged);
    connect(services.engine, &SubmissionEngine::progress, this,
            [this](qint64 id, qint64 sent, qint64 total) {
                if (id != m_lastQueued || total <= 0)
                    return;
                Q_EMIT progressChanged({ true, sent, total,
                                         tr("Uploading %1 of %2")
                                             .arg(QLocale().formattedDataSize(sent),
                                                  QLocale().formattedDataSize(total)) });
            });
}

IntakeSession::~IntakeSession()
{
    m_drafts->flush();
}

DraftKeeper *IntakeSession::drafts() const
{
    return m_drafts;
}

ValidationOptions IntakeSession::validationOptions() const
{
    if (!m_services.settings)
        return {};
    return { m_services.settings->phoneRegion(), m_services.settings->maxResumeBytes() };
}

void IntakeSession::note(const QString &text, Note::Tone tone, bool offerSettings)
{
    Q_EMIT noteChanged({ text, tone, offerSettings });
}

void IntakeSession::setPreparing(bool preparing)
{
    m_preparing = preparing;
    Q_EMIT preparingChanged(preparing);
}

void IntakeSession::clearCurrent()
{
    m_current = {};
    Q_EMIT cleared();
}

void IntakeSession::edited(const Candidate &candidate, const DraftState &state)
{
    m_current = candidate;
    m_drafts->edited(candidate, state);
}

bool IntakeSession::saveDraft(const Candidate &candidate, const DraftState &state)
{
    edited(candidate, state);
    if (!m_drafts->flush())
        return false; // saveFailed() told the recruiter
    note(tr("Draft saved."), Note::Success);
    return true;
}

bool IntakeSession::isFree() const
{
    return m_drafts->currentId() == 0 && !m_drafts->hasUnsavedChanges() && m_current.name.isEmpty()
        && m_current.email.isEmpty() && m_current.phone.isEmpty();
}

FieldErrors IntakeSession::check(Submission *submission) const
{
    return check(submission, validationOptions());
}

FieldErrors IntakeSession::check(Submission *s, const ValidationOptions &options)
{
    const CandidateValidator validator(options);
    if (s->kind == SubmissionKind::Create)
        return validator.validate(&s->candidate);
    FieldErrors errors = validator.validateForUpdate(&s->candidate);
    // Only what is being changed is judged: the server keeps the rest.
    const QStringList fields = errors.fields();
    for (const QString &field : fields) {
        const auto known = fieldFromName(field.section(u'.', 0, 0));
        if (known && !s->changedFields.contains(*known))
            errors.remove(field);
    }
    return errors;
}

void IntakeSession::submit(const Candidate &candidate, const DraftState &state)
{
    if (m_preparing)
        return; // the form is waiting for the one before
    Submission s;
    s.source = u"form"_s;
    s.candidate = candidate;
    if (const auto target = state.edit.updateTarget()) {
        s.kind = SubmissionKind::Update;
        s.targetId = *target;
        s.changedFields = state.edit.changedFields(candidate);
        if (s.changedFields.isEmpty()) {
            note(tr("Nothing changed: edit a field first, then update."), Note::Info);
            return;
        }
    }
    // The draft is on disk before the outbox row: if anything below fails,
    // nothing the recruiter typed is lost.
    edited(candidate, state);
    if (!m_drafts->flush())
        return; // saveFailed() told the recruiter; the form keeps everything
    const qint64 draftId = m_drafts->currentId();
    // The check reads the resume's metadata and the copy hashes and syncs the
    // whole file: a worker thread does both, and the form waits, disabled,
    // so what is queued is exactly what was on screen.
    setPreparing(true);
    Q_EMIT progressChanged({ true, 0, 0, tr("Preparing…") });
    Outbox *outbox = m_services.workspace->outbox();
    const ValidationOptions options = validationOptions();
    auto *watcher = new QFutureWatcher<CheckedAndPrepared>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, state, draftId] {
        watcher->deleteLater();
        setPreparing(false);
        CheckedAndPrepared result = watcher->result();
        if (!result.errors.isEmpty()) {
            Q_EMIT progressChanged({});
            Q_EMIT fieldErrorsFound(result.errors);
            note(tr("Some fields need attention: see the messages under them."), Note::Problem);
            return;
        }
        QString error = result.prepared.error;
        const auto queued = result.prepared.ok
            ? m_services.workspace->outbox()->insertPrepared(std::move(result.prepared), &error)
            : std::nullopt;
        if (!queued) {
            Q_EMIT progressChanged({});
            note(tr("Could not queue the candidate: %1. Your entry is kept.").arg(error),
                 Note::Problem);
            return;
        }
        queuedFromDraft(queued->constFirst(), state, draftId);
    });
    watcher->setFuture(QtConcurrent::run([outbox, s, options]() mutable {
        CheckedAndPrepared result;
        result.errors = check(&s, options);
        if (result.errors.isEmpty())
            result.prepared = outbox->prepareFiles({ s });
        return result;
    }));
}

void IntakeSession::queue(QList<Submission> submissions, QObject *context, QueuedCallback done)
{
    queueBatch(std::move(submissions), context,
               [done](const std::optional<Batch> &batch, const QString &error) {
                   done(batch ? std::optional(batch->queued + batch->known) : std::nullopt, error);
               });
}

void IntakeSession::queueBatch(QList<Submission> submissions, QObject *context, BatchCallback done,
                               PartCallback onPart)
{
    Outbox *outbox = m_services.workspace->outbox();
    // Rows the outbox holds already are not copied again; the insert looks
    // once more, in its transaction, for a copy of the app doing the same.
    Batch batch;
    QStringList keys;
    for (const Submission &s : std::as_const(submissions)) {
        if (!s.idempotencyKey.isEmpty())
            keys << s.idempotencyKey;
    }
    if (!keys.isEmpty()) {
        QString error;
        const QHash<QString, qint64> known = outbox->knownKeys(keys, &error);
        if (!error.isEmpty())
            return done(std::nullopt, error);
        for (auto it = submissions.begin(); it != submissions.end();) {
            const auto row = known.contains(it->idempotencyKey)
                ? outbox->get(known.value(it->idempotencyKey))
                : std::nullopt;
            if (row) {
                batch.known << *row;
                it = submissions.erase(it);
            } else {
                ++it;
            }
        }
    }
    auto *watcher = new QFutureWatcher<Outbox::Prepared>(this);
    // The rows are queued to the end even when the caller goes away (a
    // dialog closed mid-way: closing is not Stop); only its callbacks are
    // not called then.
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, guard = QPointer<QObject>(context), done, onPart,
             batch = std::move(batch)]() mutable {
                watcher->deleteLater();
                Outbox::Prepared prepared = watcher->result();
                if (!prepared.ok)
                    return guard ? done(std::nullopt, prepared.error) : void();
                prepared.skipKnownKeys = true;
                insertParts(Outbox::split(std::move(prepared), m_rowsPerTransaction),
                            std::move(batch), guard, std::move(done), std::move(onPart));
            });
    watcher->setFuture(QtConcurrent::run([outbox, submissions = std::move(submissions)] {
        return outbox->prepareFiles(submissions);
    }));
}

void IntakeSession::insertParts(QList<Outbox::Prepared> parts, Batch batch,
                                QPointer<QObject> context, BatchCallback done, PartCallback onPart)
{
    Outbox *outbox = m_services.workspace->outbox();
    QString error;
    QList<Submission> known;
    const auto queued = outbox->insertPrepared(parts.takeFirst(), &error, &known);
    if (!queued) {
        for (const Outbox::Prepared &left : std::as_const(parts))
            outbox->discard(left);
        if (!context)
            return;
        if (batch.queued.isEmpty())
            return done(std::nullopt, error);
        return done(batch, error); // what went before stays queued, and is sent
    }
    batch.queued << *queued;
    batch.known << known;
    if (onPart && context)
        onPart(*queued, known);
    if (!queued->isEmpty())
        m_services.engine->kick();
    if (parts.isEmpty())
        return context ? done(batch, QString()) : void();
    // The next part on the next turn of the event loop: the window paints
    // and answers in between.
    QTimer::singleShot(0, this,
                       [this, parts = std::move(parts), batch = std::move(batch), context,
                        done = std::move(done), onPart = std::move(onPart)]() mutable {
                           insertParts(std::move(parts), std::move(batch), context, std::move(done),
                                       std::move(onPart));
                       });
}

void IntakeSession::queuedFromDraft(const Submission &row, const DraftState &state, qint64 draftId)
{
    const Candidate &candidate = row.candidate;
    if (m_services.settings && !candidate.source.isEmpty())
        m_services.settings->setLastSource(candidate.source);
    // The draft remembers its submission, so after a restart it is not offered
    // again while the outbox still holds it.
    DraftState kept = state;
    kept.queuedSubmission = row.id;
    m_drafts->edited(m_current, kept);
    m_drafts->flush();
    m_tracked.insert(row.id, draftId);
    m_lastQueued = row.id;
    // The outbox has it: the form is free for the next candidate at once.
    m_drafts->setCurrentId(0);
    m_current = {};
    Q_EMIT queued(row);
    Q_EMIT progressChanged(
        { true, 0, 0, tr("Sending…") }); // busy until the upload reports its size
    note(tr("Sending %1… You can go on with the next candidate.").arg(candidate.name), Note::Info);
    Q_EMIT submissionQueued(row.id);
    Q_EMIT draftsChanged();
    m_services.engine->kick();
}

void IntakeSession::onSubmissionChanged(qint64 id, SubmissionState state)
{
    if (!m_tracked.contains(id) || state == SubmissionState::Sending)
        return;
    const auto row = m_services.workspace->outbox()->get(id);
    if (!row)
        return;
    // Pending again without an attempt: not ours to report yet.
    if (row->state == SubmissionState::Pending && row->attempts == 0)
        return;
    if (id == m_lastQueued)
        Q_EMIT progressChanged({});
    settle(*row);
}

void IntakeSession::settle(const Submission &s)
{
    const qint64 draftId = m_tracked.value(s.id);
    DraftStore *store = m_services.workspace->drafts();
    switch (s.state) {
    case SubmissionState::Sent:
        m_tracked.remove(s.id);
        // The server has the candidate: its draft has done its job, unless the
        // recruiter reopened it meanwhile (then it stays theirs).
        if (draftId != 0 && draftId != m_drafts->currentId())
            store->remove(draftId);
        note(
            s.kind == SubmissionKind::Create
                ? tr("Created candidate #%1: %2.").arg(s.serverId.value_or(0)).arg(s.candidate.name)
                : tr("Updated candidate #%1: %2.").arg(s.targetId).arg(s.candidate.name),
            Note::Success);
        Q_EMIT draftsChanged();
        return;
    case SubmissionState::Pending:
        // Safe in the outbox and retried automatically; still followed here.
        note(tr("%1 waits in the outbox: %2").arg(s.candidate.name, s.lastError), Note::Info);
        return;
    case SubmissionState::Failed:
    case SubmissionState::NeedsDecision: {
        m_tracked.remove(s.id);
        const bool bringBack = draftId != 0 && isFree() && openDraft(draftId);
        if (s.state == SubmissionState::NeedsDecision) {
            if (bringBack) {
                askAboutDuplicate(s);
            } else {
                note(tr("%1 was not sent: the email is already candidate #%2. Open the draft "
                        "(File → Drafts) to update that candidate or cancel.")
                         .arg(s.candidate.name)
                         .arg(s.duplicateOf.value_or(0)),
                     Note::Problem);
            }
            return;
        }
        const bool token = isTokenProblem(s.errorKind);
        if (bringBack) {
            Q_EMIT fieldErrorsFound(s.fieldErrors);
            note(tr("Not sent: %1").arg(s.lastError), Note::Problem, token);
        } else {
            note(tr("%1 was not sent: %2 It is kept in File → Drafts.")
                     .arg(s.candidate.name, s.lastError),
                 Note::Problem, token);
        }
        Q_EMIT draftsChanged();
        return;
    }
    case SubmissionState::Cancelled:
        m_tracked.remove(s.id);
        return;
    case SubmissionState::Sending:
        return;
    }
}

void IntakeSession::askAboutDuplicate(const Submission &s)
{
    const qint64 existing = s.duplicateOf.value_or(0);
    note(tr("%1 is already candidate #%2 on the server.").arg(s.candidate.email).arg(existing),
         Note::Problem);
    ApiCall *call = m_services.api->getCandidate(existing);
    connect(call, &ApiCall::finished, this,
            [this, s](const ApiResult &result) { Q_EMIT decisionNeeded(s, result.candidate); });
}

void IntakeSession::decideDuplicate(const Submission &s, DuplicateDecision decision,
                                    const std::optional<RemoteCandidate> &existing)
{
    const qint64 id = s.duplicateOf.value_or(0);
    // Either way this submission is settled: nothing of it is sent again.
    m_services.workspace->outbox()->cancel(s.id);
    if (decision == DuplicateDecision::Keep) {
        note(tr("Not sent: %1 is already candidate #%2. Your entry is kept.")
                 .arg(s.candidate.email)
                 .arg(id),
             Note::Info);
        return;
    }
    if (existing) {
        Q_EMIT updateReady(id, existing->candidate);
        note(tr("Loaded #%1 to update: Submit changes only what differs.").arg(id), Note::Info);
    } else {
        Q_EMIT updateReady(id, std::nullopt);
        note(tr("Update #%1: Submit to send what you typed.").arg(id), Note::Info);
    }
}

void IntakeSession::loadForUpdate(qint64 serverId)
{
    note(tr("Loading candidate #%1…").arg(serverId), Note::Info);
    ApiCall *call = m_services.api->getCandidate(serverId);
    connect(call, &ApiCall::finished, this, [this, serverId](const ApiResult &result) {
        if (!result.ok() || !result.candidate) {
            note(tr("Could not load candidate #%1: %2").arg(serverId).arg(result.message),
                 Note::Problem, result.error == ApiError::BadToken);
            return;
        }
        // The work in the form stays as its own draft.
        if (!m_drafts->setCurrentId(0))
            return;
        clearCurrent();
        Q_EMIT updateReady(serverId, result.candidate->candidate);
        note(tr("Loaded #%1 to update: Submit changes only what you edit.").arg(serverId),
             Note::Info);
    });
}

bool IntakeSession::newCandidate()
{
    // Everything typed is already a draft on disk: "new" keeps it in the
    // drafts list and starts an empty form. A draft that cannot be saved (a
    // full disk) keeps the form as it is.
    if (!m_drafts->setCurrentId(0))
        return false;
    clearCurrent();
    note({}, Note::Info);
    Q_EMIT draftsChanged();
    return true;
}

bool IntakeSession::openDraft(qint64 draftId)
{
    auto draft = m_services.workspace->drafts()->load(draftId);
    if (!draft || !m_drafts->setCurrentId(draftId))
        return false;
    // Reopened: it is the recruiter's again, not the outbox's.
    draft->state.queuedSubmission.reset();
    m_current = draft->candidate;
    Q_EMIT draftOpened(*draft);
    note(tr("Draft from %1 reopened.")
             .arg(QLocale().toString(draft->updatedAt.toLocalTime(), QLocale::ShortFormat)),
         Note::Info);
    return true;
}

void IntakeSession::restoreLatestDraft()
{
    // Drafts whose submission the outbox still holds (or the server took) are
    // not offered again; those the server took go, the others are followed.
    Outbox *outbox = m_services.workspace->outbox();
    DraftStore *store = m_services.workspace->drafts();
    qint64 latest = 0;
    for (const Draft &draft : store->list()) {
        const qint64 queued = draft.state.queuedSubmission.value_or(0);
        const auto row = queued > 0 ? outbox->get(queued) : std::nullopt;
        if (row && row->state == SubmissionState::Sent) {
            store->remove(draft.id);
            continue;
        }
        if (row && row->isWaiting()) {
            m_tracked.insert(row->id, draft.id);
            continue;
        }
        if (latest == 0)
            latest = draft.id;
    }
    if (latest != 0)
        openDraft(latest);
}

} // namespace cdesk
