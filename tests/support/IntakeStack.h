#pragma once

#include <QNetworkAccessManager>
#include <QTemporaryDir>

#include <memory>

namespace cdesk {
class ApiClient;
class Clock;
class IntakeSession;
class SubmissionEngine;
class Workspace;
} // namespace cdesk

namespace cdesk::test {

class SandboxFixture;

// The app's intake parts as a window builds them, over the sandbox: a
// workspace (a real SQLite outbox) in a fresh temporary folder, an API client
// with the sandbox's token, a started engine with backoffs of a few
// milliseconds, and an intake session on them. Torn down in the right order.
class IntakeStack
{
public:
    IntakeStack(const SandboxFixture &sandbox, Clock *clock);
    ~IntakeStack();
    IntakeStack(const IntakeStack &) = delete;
    IntakeStack &operator=(const IntakeStack &) = delete;

    // False, with *error, when the workspace cannot be opened.
    bool open(QString *error);

    QString dataDir() const { return m_data.path(); }
    Workspace *workspace() const { return m_workspace.get(); }
    ApiClient *api() const { return m_api.get(); }
    SubmissionEngine *engine() const { return m_engine.get(); }
    IntakeSession *session() const { return m_session.get(); }
    // A new session over the same parts (the old one, if any, goes first).
    IntakeSession *renewSession();

private:
    const SandboxFixture &m_sandbox;
    Clock *m_clock;
    QTemporaryDir m_data;
    QNetworkAccessManager m_network;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<SubmissionEngine> m_engine;
    std::unique_ptr<IntakeSession> m_session;
};

} // namespace cdesk::test
