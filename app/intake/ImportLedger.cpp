#include "intake/ImportLedger.h"

#include "core/CsvLine.h"

#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace cdesk {

void ImportLedger::setRows(const QList<SheetImport::Row> &rows)
{
    m_entries.clear();
    m_byKey.clear();
    m_byId.clear();
    for (const SheetImport::Row &row : rows) {
        Entry e;
        e.line = row.line;
        e.origin = row.origin;
        e.name = row.submission.candidate.name;
        e.email = row.submission.candidate.email;
        e.key = row.submission.idempotencyKey;
        e.problems = row.problems;
        e.outcome = row.problems.isEmpty() ? Outcome::Ready : Outcome::Invalid;
        if (row.problems.isEmpty())
            m_byKey.insert(e.key, m_entries.size());
        m_entries << e;
    }
}

void ImportLedger::queued(const QList<Submission> &queued, const QList<Submission> &known)
{
    for (const QList<Submission> *list : { &queued, &known }) {
        for (const Submission &s : *list) {
            const auto at = m_byKey.constFind(s.idempotencyKey);
            if (at == m_byKey.cend())
                continue;
            Entry &e = m_entries[*at];
            e.submissionId = s.id;
            e.earlierImport = list == &known;
            m_byId.insert(s.id, *at);
            update(s);
        }
    }
}

bool ImportLedger::update(const Submission &row)
{
    const auto at = m_byId.constFind(row.id);
    if (at == m_byId.cend())
        return false;
    Entry &e = m_entries[*at];
    e.message = row.lastError;
    e.serverId.reset();
    switch (row.state) {
    case SubmissionState::Pending:
    case SubmissionState::Sending:
        e.outcome = Outcome::Waiting;
        break;
    case SubmissionState::Sent:
        e.outcome = Outcome::Sent;
        e.serverId = row.serverId;
        break;
    case SubmissionState::NeedsDecision:
        e.outcome = Outcome::Duplicate;
        e.serverId = row.duplicateOf;
        break;
    case SubmissionState::Failed:
        e.outcome = Outcome::Refused;
        e.problems = row.fieldErrors;
        e.tokenProblem = isTokenProblem(row.errorKind);
        break;
    case SubmissionState::Cancelled:
        e.outcome = Outcome::Cancelled;
        break;
    }
    return true;
}

QList<qint64> ImportLedger::waitingIds() const
{
    QList<qint64> ids;
    for (const Entry &e : m_entries) {
        if (e.outcome == Outcome::Waiting)
            ids << e.submissionId;
    }
    return ids;
}

ImportLedger::Counts ImportLedger::counts() const
{
    Counts c;
    c.rows = int(m_entries.size());
    for (const Entry &e : m_entries) {
        if (e.earlierImport)
            ++c.earlierImport;
        switch (e.outcome) {
        case Outcome::Invalid:
            ++c.invalid;
            break;
        case Outcome::Ready:
            ++c.ready;
            break;
        case Outcome::Waiting:
            ++c.waiting;
            break;
        case Outcome::Sent:
            ++c.sent;
            break;
        case Outcome::Duplicate:
            ++c.duplicate;
            break;
        case Outcome::Refused:
            ++c.refused;
            if (e.tokenProblem)
                ++c.heldForToken;
            break;
        case Outcome::Cancelled:
            ++c.cancelled;
            break;
        }
    }
    return c;
}

QString ImportLedger::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Invalid:
        return u"invalid"_s;
    case Outcome::Ready:
        return u"ready"_s;
    case Outcome::Waiting:
        return u"waiting"_s;
    case Outcome::Sent:
        return u"sent"_s;
    case Outcome::Duplicate:
        return u"duplicate"_s;
    case Outcome::Refused:
        return u"refused"_s;
    case Outcome::Cancelled:
        return u"cancelled"_s;
    }
    return {};
}

bool ImportLedger::writeReport(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write the report %1: %2").arg(path, file.errorString());
        return false;
    }
    file.write("\xEF\xBB\xBF");
    file.write(csvLine({ tr("Line"), tr("Resume"), tr("Name"), tr("Email"), tr("Outcome"),
                         tr("Candidate id"), tr("Earlier import"), tr("What to do") }));
    for (const Entry &e : m_entries) {
        QString todo;
        switch (e.outcome) {
        case Outcome::Invalid:
            todo = e.problems.summary();
            break;
        case Outcome::Duplicate:
            todo = tr("Already on the server as #%1: update that candidate, or cancel this "
                      "row in the window's history.")
                       .arg(e.serverId.value_or(0));
            break;
        case Outcome::Refused:
            todo = e.problems.isEmpty() ? e.message : e.problems.summary();
            break;
        case Outcome::Waiting:
            todo = e.message;
            break;
        case Outcome::Ready:
        case Outcome::Sent:
        case Outcome::Cancelled:
            break;
        }
        file.write(
            csvLine({ QString::number(e.line), e.origin, e.name, e.email, outcomeName(e.outcome),
                      e.serverId ? QString::number(*e.serverId) : QString(),
                      e.earlierImport ? tr("yes") : QString(), todo.trimmed() }));
    }
    if (!file.commit()) {
        *error = tr("Cannot write the report %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace cdesk
