#include "Submission.h"

#include "model/NameTable.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// The names are stored in the outbox and history tables: never change one.
constexpr NameTable<SubmissionState, 6> kStates { { {
    { SubmissionState::Pending, u"pending" },
    { SubmissionState::Sending, u"sending" },
    { SubmissionState::Sent, u"sent" },
    { SubmissionState::Failed, u"failed" },
    { SubmissionState::NeedsDecision, u"needs_decision" },
    { SubmissionState::Cancelled, u"cancelled" },
} } };

constexpr NameTable<SubmissionKind, 2> kKinds { { {
    { SubmissionKind::Create, u"create" },
    { SubmissionKind::Update, u"update" },
} } };

} // namespace

QString stateName(SubmissionState state)
{
    return kStates.name(state);
}

std::optional<SubmissionState> stateFromName(const QString &name)
{
    return kStates.value(name);
}

QString kindName(SubmissionKind kind)
{
    return kKinds.name(kind);
}

std::optional<SubmissionKind> kindFromName(const QString &name)
{
    return kKinds.value(name);
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
