#include "Submission.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// The names are stored in the outbox and history tables: never change one.
struct StateName
{
    SubmissionState state;
    QString name;
};

const QList<StateName> &stateTable()
{
    static const QList<StateName> table = {
        { SubmissionState::Pending, u"pending"_s },
        { SubmissionState::Sending, u"sending"_s },
        { SubmissionState::Sent, u"sent"_s },
        { SubmissionState::Failed, u"failed"_s },
        { SubmissionState::NeedsDecision, u"needs_decision"_s },
        { SubmissionState::Cancelled, u"cancelled"_s },
    };
    return table;
}

} // namespace

QString stateName(SubmissionState state)
{
    for (const auto &entry : stateTable()) {
        if (entry.state == state)
            return entry.name;
    }
    return {};
}

std::optional<SubmissionState> stateFromName(const QString &name)
{
    for (const auto &entry : stateTable()) {
        if (entry.name == name)
            return entry.state;
    }
    return std::nullopt;
}

QString kindName(SubmissionKind kind)
{
    switch (kind) {
    case SubmissionKind::Create:
        return u"create"_s;
    case SubmissionKind::Update:
        return u"update"_s;
    }
    return {};
}

std::optional<SubmissionKind> kindFromName(const QString &name)
{
    if (name == u"create"_s)
        return SubmissionKind::Create;
    if (name == u"update"_s)
        return SubmissionKind::Update;
    return std::nullopt;
}

QString stateLabel(SubmissionState state)
{
    switch (state) {
    case SubmissionState::Pending:
        return QCoreApplication::translate("Submission", "Waiting");
    case SubmissionState::Sending:
        return QCoreApplication::translate("Submission", "Sending");
    case SubmissionState::Sent:
        return QCoreApplication::translate("Submission", "Sent");
    case SubmissionState::Failed:
        return QCoreApplication::translate("Submission", "Failed");
    case SubmissionState::NeedsDecision:
        return QCoreApplication::translate("Submission", "Needs a decision");
    case SubmissionState::Cancelled:
        return QCoreApplication::translate("Submission", "Cancelled");
    }
    return {};
}

} // namespace cdesk
