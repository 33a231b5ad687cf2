#pragma once

#include "model/Submission.h"

#include <QObject>

#include <optional>

namespace cdesk {

class Cli;
class IntakeSession;

// `submit` and `update ID`: the candidate from the options, checked, queued
// in the outbox, and watched until the outbox settles it (sent, refused, or
// due again later than --wait allows), whoever sends it: this copy, or the
// window that holds the outbox. It checks and queues through the intake
// session the window's form uses.
class SubmitCommand : public QObject
{
    Q_OBJECT
public:
    SubmitCommand(Cli *cli, bool update);

    void run();

private:
    // The candidate as the options give it, and which fields they name
    // (for an update, only those change). False after cli->fail().
    bool readCandidate(Candidate *candidate, CandidateFields *changed);
    // The submission to queue, checked; nothing when it is not valid (the
    // command has then ended).
    std::optional<Submission> prepare();
    void watch(qint64 submissionId);
    void followEngine();
    void checkWatched();

    Cli *m_cli;
    bool m_update;
    IntakeSession *m_session = nullptr;
    qint64 m_watched = 0;
};

} // namespace cdesk
