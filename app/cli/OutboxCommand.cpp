#include "cli/OutboxCommand.h"

#include "account/Account.h"
#include "cli/Cli.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

namespace cdesk {

OutboxCommand::OutboxCommand(Cli *cli)
    : QObject(cli)
    , m_cli(cli)
{ }

void OutboxCommand::list()
{
    HistoryFilter filter;
    QList<Submission> rows;
    for (SubmissionState state : { SubmissionState::Pending, SubmissionState::Sending,
                                   SubmissionState::NeedsDecision, SubmissionState::Failed }) {
        filter.state = state;
        rows += m_cli->account()->workspace()->history()->page(filter, 0, 100000);
    }
    m_cli->output().outbox(rows);
    m_cli->done(Cli::Success);
}

void OutboxCommand::retry()
{
    Outbox *outbox = m_cli->account()->workspace()->outbox();
    QString error;
    if (outbox->sendNow(&error) < 0)
        return m_cli->fail(Cli::Failure, error);
    // Counted in the store, so what the window sends while this waits counts too.
    m_sentAtStart = sentCount();
    if (m_cli->takeLock())
        return drain();
    // The window holds the outbox and sends it; wait for it the same way,
    // and take over should it go away.
    if (!m_cli->output().isJson())
        m_cli->output().print(
            tr("Another Candidate Desk (a window or a command line) is sending the outbox; "
               "waiting for it."));
    m_cli->waitForOtherCopy(
        [this] { drain(); },
        [this, outbox](bool overdue) {
            const auto next = outbox->nextDueTime();
            const bool inFlight = outbox->unsent().sending > 0;
            // A row due now is the other copy's to try
            // (--wait 0 too); one due later may be too far.
            const bool dueNow = next && *next <= m_cli->account()->clock()->now();
            if ((!inFlight && !dueNow && (!next || m_cli->waitsTooLong(*next))) || overdue)
                finish();
        });
}

void OutboxCommand::drain()
{
    m_cli->startEngine();
    connect(m_cli->engine(), &SubmissionEngine::idle, this, &OutboxCommand::onIdle);
}

int OutboxCommand::sentCount() const
{
    HistoryFilter sent;
    sent.state = SubmissionState::Sent;
    return m_cli->account()->workspace()->history()->count(sent);
}

void OutboxCommand::onIdle()
{
    // Idle: nothing in flight and nothing due now. What is left waits for a
    // backoff or a Retry-After: wait for it when that is within --wait, so a
    // throttled server gets everything in the end, at the pace it asks for.
    const auto next = m_cli->account()->workspace()->outbox()->nextDueTime();
    if (next && !m_cli->waitsTooLong(*next))
        return; // the engine's timer sends it when it is due
    finish();
}

void OutboxCommand::finish()
{
    if (m_cli->isDone())
        return;
    Outbox *outbox = m_cli->account()->workspace()->outbox();
    const Outbox::Unsent unsent = outbox->unsent();
    if (!unsent.ok)
        return m_cli->fail(Cli::Failure, tr("Could not read the outbox."));
    OutboxRunSummary run;
    run.nextAttempt = outbox->nextDueTime();
    // The code speaks of this account (the API address it sends to): what
    // waits for another one is said in words, and sent only there.
    run.exitCode = Cli::Success;
    if (unsent.waiting > 0)
        run.exitCode = Cli::Queued;
    else if (unsent.heldForToken > 0)
        run.exitCode = Cli::BadToken;
    else if (unsent.held > 0)
        run.exitCode = Cli::Held;
    run.sent = sentCount() - m_sentAtStart;
    run.waiting = unsent.waiting;
    run.waitingElsewhere = unsent.waitingElsewhere;
    run.held = unsent.held;
    if (run.nextAttempt)
        run.nextInSeconds
            = qMax<qint64>(0, m_cli->account()->clock()->now().secsTo(*run.nextAttempt));
    m_cli->output().outboxRun(run);
    m_cli->done(run.exitCode);
}

} // namespace cdesk
