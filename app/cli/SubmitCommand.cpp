#include "cli/SubmitCommand.h"

#include "account/Account.h"
#include "cli/Cli.h"
#include "intake/IntakeSession.h"
#include "intake/SubmissionEngine.h"
#include "settings/Settings.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

using namespace Qt::StringLiterals;

namespace cdesk {

SubmitCommand::SubmitCommand(Cli *cli, bool update)
    : QObject(cli)
    , m_cli(cli)
    , m_update(update)
{ }

void SubmitCommand::run()
{
    // The same intake the window's form goes through: the same check, the
    // same copy of the resume and the same outbox row.
    Account *account = m_cli->account();
    IntakeSession::Services services;
    services.workspace = account->workspace();
    services.engine = account->engine(); // built with the workspace; sends only once started
    services.api = account->api();
    services.settings = account->settings();
    m_session = new IntakeSession(services, this);

    const auto submission = prepare();
    if (!submission)
        return;
    m_session->queue({ *submission }, this,
                     [this](const std::optional<QList<Submission>> &queued, const QString &error) {
                         if (!queued || queued->isEmpty())
                             return m_cli->fail(Cli::Failure, error);
                         if (m_cli->takeLock())
                             m_cli->startEngine();
                         // Without the lock the window runs the engine: its
                         // periodic look at the outbox picks the row up, and
                         // we watch the row until it settles.
                         watch(queued->first().id);
                     });
}

bool SubmitCommand::readCandidate(Candidate *c, CandidateFields *changed)
{
    const QCommandLineParser &options = m_cli->options();
    auto take = [&](const QString &option, CandidateField field, QString *target) {
        if (options.isSet(option)) {
            *target = options.value(option);
            changed->insert(field);
        }
    };
    take(u"name"_s, CandidateField::Name, &c->name);
    take(u"email"_s, CandidateField::Email, &c->email);
    take(u"phone"_s, CandidateField::Phone, &c->phone);
    take(u"resume"_s, CandidateField::Resume, &c->resumeFile);
    take(u"source"_s, CandidateField::Source, &c->source);
    take(u"industry"_s, CandidateField::Industry, &c->industry);
    take(u"department"_s, CandidateField::Department, &c->department);
    if (options.isSet(u"resume-url"_s)) {
        c->resumeUrl = QUrl(options.value(u"resume-url"_s));
        changed->insert(CandidateField::ResumeUrl);
    }
    if (!m_cli->readJobOption(&c->jobId))
        return false;
    if (options.isSet(u"job"_s)) {
        changed->insert(CandidateField::JobId);
    } else if (options.isSet(u"talent-pool"_s)) {
        changed->insert(CandidateField::JobId); // jobId empty: the Talent Pool
    }
    for (const QString &field : options.values(u"field"_s)) {
        const qsizetype eq = field.indexOf(u'=');
        if (eq <= 0) {
            m_cli->fail(Cli::InvalidInput,
                        tr("--field takes key=value, e.g. --field linkedin_url=https://..."));
            return false;
        }
        c->customFields.insert(field.left(eq).trimmed(), field.mid(eq + 1));
        changed->insert(CandidateField::CustomFields);
    }
    return true;
}

std::optional<Submission> SubmitCommand::prepare()
{
    const Settings *settings = m_cli->account()->settings();
    Candidate c;
    CandidateFields changed;
    if (!readCandidate(&c, &changed))
        return std::nullopt;
    if (!m_update && c.source.isNull()) // the ATS should say who entered the candidate
        c.source = settings->defaultSource();

    Submission s;
    s.source = u"cli"_s;
    if (m_update) {
        bool ok = false;
        s.kind = SubmissionKind::Update;
        s.targetId = m_cli->options().positionalArguments().value(1).toLongLong(&ok);
        if (!ok || s.targetId <= 0) {
            m_cli->fail(Cli::InvalidInput, tr("update takes the candidate's id, a number."));
            return std::nullopt;
        }
        if (changed.isEmpty()) {
            m_cli->fail(Cli::InvalidInput, tr("Nothing to update: give the options to change."));
            return std::nullopt;
        }
        s.changedFields = changed;
    }
    s.candidate = c;
    if (const FieldErrors errors = m_session->check(&s); !errors.isEmpty()) {
        m_cli->output().invalid(errors);
        m_cli->done(Cli::InvalidInput);
        return std::nullopt;
    }
    return s;
}

void SubmitCommand::watch(qint64 submissionId)
{
    m_watched = submissionId;
    if (m_cli->engine())
        return followEngine();
    m_cli->waitForOtherCopy(
        [this] {
            m_cli->startEngine();
            followEngine();
            // The copy that went may have settled the row already: this
            // engine would then never speak of it again.
            checkWatched();
        },
        [this](bool overdue) {
            if (overdue) {
                if (const auto row = m_cli->account()->workspace()->outbox()->get(m_watched))
                    return m_cli->report(*row);
            }
            checkWatched();
        });
}

void SubmitCommand::followEngine()
{
    connect(m_cli->engine(), &SubmissionEngine::submissionChanged, this,
            [this](qint64 id, SubmissionState) {
                if (id == m_watched)
                    checkWatched();
            });
    // Held back by another row's 429, the row may not be tried within --wait.
    connect(m_cli->engine(), &SubmissionEngine::idle, this, &SubmitCommand::checkWatched);
}

void SubmitCommand::checkWatched()
{
    const auto row = m_cli->account()->workspace()->outbox()->get(m_watched);
    if (!row)
        return m_cli->fail(Cli::Failure, tr("The submission disappeared from the outbox."));
    switch (row->state) {
    case SubmissionState::Sending:
        return; // in flight
    case SubmissionState::Pending:
        // Not tried yet (unless a 429 holds it past --wait), or tried and
        // due again within --wait: keep waiting.
        if (row->attempts == 0) {
            const auto held = m_cli->engine() ? m_cli->engine()->heldUntil() : std::nullopt;
            if (!held || !m_cli->waitsTooLong(*held))
                return;
        } else if (!m_cli->waitsTooLong(row->nextAttemptAt)) {
            return;
        }
        return m_cli->report(*row);
    default:
        return m_cli->report(*row);
    }
}

} // namespace cdesk
