#include "IntakeStack.h"

#include "SandboxFixture.h"
#include "api/ApiClient.h"
#include "intake/IntakeSession.h"
#include "intake/SubmissionEngine.h"
#include "store/Workspace.h"

namespace cdesk::test {

IntakeStack::IntakeStack(const SandboxFixture &sandbox, Clock *clock)
    : m_sandbox(sandbox)
    , m_clock(clock)
{ }

IntakeStack::~IntakeStack()
{
    // Calls in flight belong to the client: the session and the engine let
    // go of them first, then the client aborts them.
    m_session.reset();
    m_engine.reset();
    m_api.reset();
    m_workspace.reset();
}

bool IntakeStack::open(QString *error)
{
    if (!m_data.isValid()) {
        *error = m_data.errorString();
        return false;
    }
    m_workspace = std::make_unique<Workspace>(m_data.path(), m_clock);
    if (!m_workspace->open(error))
        return false;
    m_api = std::make_unique<ApiClient>(&m_network, m_clock);
    m_api->setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.token()));
    m_engine = std::make_unique<SubmissionEngine>(m_workspace->outbox(), m_api.get(), m_clock);
    m_engine->setBackoff(1, 5);
    m_engine->start();
    renewSession();
    return true;
}

IntakeSession *IntakeStack::renewSession()
{
    m_session.reset();
    m_session = std::make_unique<IntakeSession>(
        IntakeSession::Services { m_workspace.get(), m_engine.get(), m_api.get(), nullptr });
    return m_session.get();
}

} // namespace cdesk::test
