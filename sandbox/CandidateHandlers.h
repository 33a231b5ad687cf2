#pragma once

#include "CandidateRules.h"
#include "Reply.h"

#include <QJsonObject>

#include <optional>

class QHttpServerRequest;

namespace cdesk::sandbox {

class FaultInjector;
class Pagination;
class SandboxStore;
struct SandboxClock;

// candidates/ and candidates/<id>/: list (by email), get, create (with its
// Idempotency-Key) and update (a whole record). Bodies come as JSON, multipart
// (with a resume file) or a urlencoded form; resumes are kept under the
// store's folder with names of ours.
class CandidateHandlers
{
public:
    // collectionUrl: the absolute URL of candidates/, for Location headers.
    CandidateHandlers(SandboxStore &store, FaultInjector &faults, const SandboxClock &clock,
                      const Pagination &pagination, QString collectionUrl, qint64 maxResumeBytes);

    Reply list(const QHttpServerRequest &request) const;
    Reply get(qint64 id) const;
    // token: the caller's, which idempotency keys are scoped to.
    Reply create(const QHttpServerRequest &request, const QByteArray &token);
    Reply update(const QHttpServerRequest &request, qint64 id);

private:
    std::optional<Reply> readInput(const QHttpServerRequest &request, CandidateInput *input) const;
    std::optional<Reply> parseBody(const QHttpServerRequest &request, CandidateInput *input) const;
    std::optional<Reply> storeResume(const CandidateInput &input, const ValidatedCandidate &valid,
                                     CandidateRecord *record) const;
    void removeResume(const ResumeFile &file) const;
    QJsonObject candidateJson(const CandidateRecord &c) const;

    SandboxStore &m_store;
    FaultInjector &m_faults;
    const SandboxClock &m_clock;
    const Pagination &m_pagination;
    QString m_collectionUrl;
    qint64 m_maxResumeBytes;
    CandidateRules m_rules;
};

} // namespace cdesk::sandbox
