#include "HistoryDetails.h"

#include "store/Outbox.h"

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// Everything shown comes from a candidate, a server or a file name: escaped,
// so a name such as "<b>Ana</b>" is shown as typed and cannot restyle the view.
QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : QString();
}

QString row(const QString &label, const QString &value)
{
    return u"<tr><th align=\"left\" valign=\"top\">%1</th><td>%2</td></tr>"_s.arg(esc(label),
                                                                                  value);
}

} // namespace

HistoryDetails::HistoryDetails(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setReadOnly(true);
    showNothing();
}

void HistoryDetails::showNothing()
{
    setHtml(u"<p>%1</p>"_s.arg(
        esc(tr("Select a submission to see what was sent and what came back."))));
}

void HistoryDetails::showSubmission(const Submission &s, const QList<Attempt> &attempts,
                                    const QString &jobText)
{
    const QString none = u"<i>%1</i>"_s.arg(esc(tr("none")));
    auto orNone = [&](const QString &text) {
        return text.isEmpty() ? none : esc(text);
    };

    QString html = u"<h3>%1</h3>"_s.arg(
        esc(s.candidate.name.isEmpty() ? s.candidate.email : s.candidate.name));

    // What came back, first: it is why the recruiter opened the details.
    QString outcome;
    switch (s.state) {
    case SubmissionState::Pending:
        outcome = s.attempts > 0 && s.nextAttemptAt.isValid()
            ? tr("The last attempt did not get through; the next one is not before %1.")
                  .arg(timeText(s.nextAttemptAt))
            : tr("Not sent yet.");
        break;
    case SubmissionState::Sending:
        outcome = tr("A request is on its way now.");
        break;
    case SubmissionState::Sent:
        outcome = s.serverId
            ? tr("The applicant tracking system has it as candidate #%1.").arg(*s.serverId)
            : tr("The applicant tracking system has it.");
        break;
    case SubmissionState::Failed:
        outcome = !s.fieldErrors.isEmpty()
            ? tr("The server refused the fields below. Correct them in the form and submit "
                 "again: Retry would send the same values.")
            : tr("Once what is described below is fixed, press Retry to send it again.");
        break;
    case SubmissionState::NeedsDecision:
        outcome = s.duplicateOf
            ? tr("This email already belongs to candidate #%1. Choose \"Update this "
                 "candidate\" to update that record, or leave it.")
                  .arg(*s.duplicateOf)
            : tr("The server needs a decision about this candidate.");
        break;
    case SubmissionState::Cancelled:
        outcome = tr("It was not sent. Press Retry to send it after all.");
        break;
    }
    html += u"<p><b>%1:</b> %2</p>"_s.arg(esc(statusText(s.state)), esc(outcome));
    if (!s.lastError.isEmpty() && s.state != SubmissionState::Sent)
        html += u"<p>%1</p>"_s.arg(esc(s.lastError));
    if (!s.fieldErrors.isEmpty()) {
        html += u"<ul>"_s;
        for (const QString &field : s.fieldErrors.fields()) {
            const QString messages = s.fieldErrors.messages(field).join(u' ');
            html += field == FieldErrors::NonField
                ? u"<li>%1</li>"_s.arg(esc(messages))
                : u"<li><b>%1:</b> %2</li>"_s.arg(esc(FieldErrors::label(field)), esc(messages));
        }
        html += u"</ul>"_s;
    }

    // What was sent.
    html += u"<h4>%1</h4><table cellspacing=\"0\" cellpadding=\"2\">"_s.arg(
        esc(tr("What was sent")));
    if (s.kind == SubmissionKind::Update) {
        QStringList changed;
        for (const QString &name : fieldNames(s.changedFields))
            changed << FieldErrors::label(name);
        html += row(tr("Request"),
                    esc(changed.isEmpty() ? tr("Update of candidate #%1").arg(s.targetId)
                                          : tr("Update of candidate #%1 (changed: %2)")
                                                .arg(s.targetId)
                                                .arg(changed.join(u", "_s))));
    } else {
        html += row(tr("Request"), esc(tr("New candidate")));
    }
    const Candidate &c = s.candidate;
    html += row(tr("Name"), orNone(c.name));
    html += row(tr("Email"), orNone(c.email));
    html += row(tr("Phone"), orNone(c.phone));
    html += row(tr("Job"), esc(jobText));
    html += row(tr("Source"), orNone(c.source));
    html += row(tr("Industry"), orNone(c.industry));
    html += row(tr("Department"), orNone(c.department));
    html += row(tr("Resume file"), orNone(s.originalResumeName));
    html += row(tr("Resume link"), orNone(c.resumeUrl.toDisplayString()));
    if (c.customFields.isEmpty()) {
        html += row(tr("Custom fields"), none);
    } else {
        for (auto it = c.customFields.cbegin(); it != c.customFields.cend(); ++it)
            html += row(FieldErrors::label(u"custom_fields."_s + it.key()), orNone(it.value()));
    }
    html += row(tr("Entered from"), orNone(originText(s.source)));
    html += row(tr("Idempotency key"), u"<tt>%1</tt>"_s.arg(orNone(s.idempotencyKey)));
    html += row(tr("Created"), esc(timeText(s.createdAt)));
    html += row(tr("Last change"), esc(timeText(s.updatedAt)));
    html += row(tr("Server ID"), s.serverId ? esc(u"#%1"_s.arg(*s.serverId)) : none);
    if (s.duplicateOf)
        html += row(tr("Existing candidate"), esc(u"#%1"_s.arg(*s.duplicateOf)));
    html += u"</table>"_s;

    // Every attempt, oldest first.
    html += u"<h4>%1</h4>"_s.arg(esc(tr("Attempts")));
    if (attempts.isEmpty()) {
        html += u"<p>%1</p>"_s.arg(esc(tr("Not sent yet.")));
    } else {
        html += u"<table cellspacing=\"0\" cellpadding=\"2\" border=\"1\"><tr><th>%1</th>"
                "<th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>"_s.arg(
                    esc(tr("Started")), esc(tr("Finished")), esc(tr("HTTP")), esc(tr("Outcome")),
                    esc(tr("Message")));
        for (const Attempt &a : attempts) {
            html += u"<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>"_s.arg(
                esc(timeText(a.startedAt)), esc(timeText(a.finishedAt)),
                a.httpStatus > 0 ? QString::number(a.httpStatus) : u"—"_s,
                esc(outcomeText(a.outcome)), esc(a.message));
        }
        html += u"</table>"_s;
    }
    setHtml(html);
}

QString HistoryDetails::statusText(SubmissionState state)
{
    return stateLabel(state);
}

QString HistoryDetails::outcomeText(const QString &outcome)
{
    if (outcome == Outbox::OutcomeSent)
        return tr("Sent");
    if (outcome == Outbox::OutcomeRetry)
        return tr("Will retry");
    if (outcome == Outbox::OutcomeFailed)
        return tr("Failed");
    if (outcome == Outbox::OutcomeNeedsDecision)
        return tr("Needs a decision");
    if (outcome == Outbox::OutcomeInterrupted)
        return tr("Interrupted (the app stopped)");
    if (outcome == Outbox::OutcomeCancelled)
        return tr("Cancelled");
    if (outcome == Outbox::OutcomeRequeued)
        return tr("Queued again");
    if (outcome == Outbox::OutcomeConvertedToUpdate)
        return tr("Turned into an update");
    return outcome; // a newer version's outcome: its own word says most
}

QString HistoryDetails::originText(const QString &source)
{
    if (source == u"form"_s)
        return tr("The form");
    if (source == u"cli"_s)
        return tr("The command line");
    if (source.startsWith(u"csv:"_s))
        return tr("CSV import (%1)").arg(source.mid(4));
    return source;
}

} // namespace cdesk
