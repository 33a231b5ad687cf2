// Candidate Desk: the composition root. Builds the objects the window and the
// command line use, and is the only file that knows the sandbox exists.
#include "CommandLine.h"
#include "FirstRunDialog.h"
#include "MainWindow.h"
#include "SandboxServer.h"
#include "SettingsDialog.h"
#include "api/ApiClient.h"
#include "api/ApiEndpoint.h"
#include "cli/Cli.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "settings/KeychainBackend.h"
#include "settings/Settings.h"
#include "settings/TokenStore.h"
#include "store/Database.h"
#include "store/InstanceLock.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QIcon>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkInformation>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

// Q_INIT_RESOURCE declares its function in the enclosing namespace: call it
// from the global one, where the resource library defines it.
static void initResources()
{
    Q_INIT_RESOURCE(cdesk);
}

namespace {

// Runs the sandbox on its own thread, so its uploads and SQLite writes never
// hold up the window.
class SandboxHost
{
public:
    ~SandboxHost()
    {
        if (m_server)
            QMetaObject::invokeMethod(
                m_server, [server = m_server] { delete server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    bool start(cdesk::sandbox::Options options, QString *error)
    {
        m_thread.setObjectName(u"sandbox"_s);
        m_thread.start();
        bool started = false;
        QMetaObject::invokeMethod(
            &m_context,
            [&] {
                m_server = new cdesk::sandbox::SandboxServer(std::move(options));
                started = m_server->start();
                if (!started) {
                    *error = m_server->errorString();
                    delete m_server;
                    m_server = nullptr;
                }
            },
            Qt::BlockingQueuedConnection);
        return started;
    }

    void moveContext() { m_context.moveToThread(&m_thread); }
    cdesk::sandbox::SandboxServer *server() const { return m_server; }

private:
    QThread m_thread;
    QObject m_context;
    cdesk::sandbox::SandboxServer *m_server = nullptr;
};

void setApplicationNames()
{
    QCoreApplication::setApplicationName(u"candidate-desk"_s);
    QCoreApplication::setOrganizationName(u"candidate-desk"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CDESK_VERSION));
}

std::optional<cdesk::ApiEndpoint> startSandbox(SandboxHost *sandbox, QString *error)
{
    cdesk::sandbox::Options options;
    options.dataDir = cdesk::sandbox::defaultDataDir();
    sandbox->moveContext();
    if (!sandbox->start(options, error))
        return std::nullopt;
    return cdesk::ApiEndpoint(sandbox->server()->baseUrl(), sandbox->server()->token());
}

// candidate-desk jobs | submit | update | history | outbox: no window, no display.
int runCommandLine(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    setApplicationNames();
    SandboxHost sandbox;
    cdesk::Cli cli(QCoreApplication::arguments(), cdesk::Clock::system());
    cli.setSandboxStarter([&sandbox](QString *error) { return startSandbox(&sandbox, error); });
    QObject::connect(&cli, &cdesk::Cli::finished, &app,
                     [](int code) { QCoreApplication::exit(code); });
    QTimer::singleShot(0, &cli, &cdesk::Cli::start);
    return app.exec();
}

// Before the window: a first run without an API address offers the sandbox
// or the recruiter's account. Returns false when the recruiter closed it.
bool firstRun(cdesk::Settings *settings, cdesk::TokenStore *tokens, QNetworkAccessManager *network,
              bool *sandbox)
{
    cdesk::FirstRunDialog first;
    enum { None, Sandbox, Account } choice = None;
    QObject::connect(&first, &cdesk::FirstRunDialog::sandboxChosen, [&] { choice = Sandbox; });
    QObject::connect(&first, &cdesk::FirstRunDialog::connectChosen, [&] { choice = Account; });
    // Modal before the main event loop runs: nothing else is on the screen yet.
    first.exec();
    if (choice == Sandbox) {
        settings->setSandboxMode(true);
        *sandbox = true;
        return true;
    }
    if (choice == Account) {
        cdesk::SettingsDialog dialog(settings, tokens, network);
        return dialog.exec() == QDialog::Accepted && !settings->apiUrl().isEmpty();
    }
    return false;
}

int runWindow(int argc, char *argv[])
{
    QApplication app(argc, argv);
    initResources();
    setApplicationNames();
    QApplication::setApplicationDisplayName(u"Candidate Desk"_s);
    QApplication::setWindowIcon(QIcon(u":/cdesk/icons/candidate-desk.svg"_s));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main",
                                "Put candidates into your applicant tracking system.\n"
                                "Without a window: candidate-desk jobs|submit|update|"
                                "history|outbox --help"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sandboxOption(
        u"sandbox"_s,
        QApplication::translate("main", "Start a local sandbox API and connect to it."));
    const QCommandLineOption apiUrlOption(
        u"api-url"_s, QApplication::translate("main", "The Candidate API's base URL."), u"URL"_s);
    parser.addOptions({ sandboxOption, apiUrlOption });
    parser.process(app);

    const QString title = QApplication::translate("main", "Candidate Desk");
    const auto settings = cdesk::Settings::openDefault();
    QNetworkAccessManager network;
    auto apiUrl = [&] {
        return parser.isSet(apiUrlOption) ? QUrl(parser.value(apiUrlOption)) : settings->apiUrl();
    };
    cdesk::TokenStore tokens(apiUrl(), std::make_unique<cdesk::KeychainBackend>());

    bool sandboxMode
        = parser.isSet(sandboxOption) || (apiUrl().isEmpty() && settings->sandboxMode());
    if (!sandboxMode && apiUrl().isEmpty()
        && !firstRun(settings.get(), &tokens, &network, &sandboxMode))
        return 0;

    // One window per data folder: two would send the same outbox.
    const QString dataDir = cdesk::Workspace::defaultDataDir(sandboxMode);
    QString error;
    QDir().mkpath(dataDir);
    bool heldElsewhere = false;
    const auto lock = cdesk::InstanceLock::acquire(dataDir, &error, &heldElsewhere);
    if (!lock && heldElsewhere) {
        QMessageBox::information(nullptr, title, error);
        return 1;
    }
    // Without the lock for another reason, the window opens only where
    // nothing can be written anyway (a read-only folder), to read: its banner
    // says why, and it sends nothing, so it never races a copy that holds the
    // outbox later. Anywhere else (a full disk) it says why it cannot start.
    const QString lockError = error;
    cdesk::Workspace workspace(dataDir, cdesk::Clock::system());
    workspace.setMayRepair(lock != nullptr);
    if (!workspace.open(&error)) {
        QMessageBox::critical(nullptr, title, error);
        return 1;
    }
    if (!lock && !workspace.database()->isReadOnly()) {
        QMessageBox::critical(nullptr, title, lockError);
        return 1;
    }
    if (lock)
        workspace.tidy();
    if (const QString notice = workspace.salvageNotice(); !notice.isEmpty())
        QMessageBox::warning(nullptr, title, notice);

    SandboxHost sandbox;
    cdesk::ApiClient api(&network, cdesk::Clock::system());
    api.setTimeout(settings->timeoutMs());
    if (sandboxMode) {
        const auto started = startSandbox(&sandbox, &error);
        if (!started) {
            QMessageBox::critical(
                nullptr, title,
                QApplication::translate("main", "The sandbox could not start: %1").arg(error));
            return 1;
        }
        api.setEndpoint(*started);
    } else {
        api.setEndpoint(cdesk::ApiEndpoint(apiUrl(), {})); // the token arrives below
    }
    // What waits in the outbox goes only to the account it was queued for.
    workspace.outbox()->setAccount(sandboxMode ? u"sandbox"_s
                                               : cdesk::Outbox::accountFor(apiUrl()));
    cdesk::SubmissionEngine engine(workspace.outbox(), &api, cdesk::Clock::system());
    engine.setConcurrency(settings->concurrency());
    QObject::connect(settings.get(), &cdesk::Settings::changed, &engine,
                     [&engine, &settings] { engine.setConcurrency(settings->concurrency()); });
    QObject::connect(&engine, &cdesk::SubmissionEngine::serverLimitLearned, settings.get(),
                     [&settings](qint64 bytes) { settings->setMaxResumeBytes(bytes); });
    // A window runs for days: the copies of what was sent go when the outbox
    // has nothing in flight, at most every ten minutes, not only at start.
    QElapsedTimer sinceTidy;
    sinceTidy.start();
    QObject::connect(&engine, &cdesk::SubmissionEngine::idle, &engine, [&] {
        if (lock && sinceTidy.hasExpired(10 * 60 * 1000)) {
            workspace.tidy();
            sinceTidy.restart();
        }
    });

    // Pause the outbox while the machine is offline, where the platform can tell.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        auto online = [](QNetworkInformation::Reachability r) {
            return r != QNetworkInformation::Reachability::Disconnected;
        };
        engine.setOnline(online(QNetworkInformation::instance()->reachability()));
        QObject::connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged,
                         &engine, [&engine, online](QNetworkInformation::Reachability r) {
                             engine.setOnline(online(r));
                         });
    }

    cdesk::MainWindow::Services services;
    services.workspace = &workspace;
    services.engine = &engine;
    services.api = &api;
    services.settings = settings.get();
    services.tokens = sandboxMode ? nullptr : &tokens;
    services.network = &network;
    services.sandbox = sandboxMode;
    cdesk::MainWindow window(services);
    window.show();

    // For bench_startup: quit once the first frame is on screen.
    if (qEnvironmentVariableIsSet("CANDIDATE_DESK_EXIT_WHEN_SHOWN"))
        QTimer::singleShot(0, &window, [&window] {
            window.repaint();
            QCoreApplication::quit();
        });

    const auto startSending = [&engine, &lock] {
        if (lock)
            engine.start();
    };
    if (sandboxMode) {
        startSending();
    } else {
        // The token comes from the keychain (or CANDIDATE_DESK_TOKEN), asynchronously;
        // after the settings change, the address and the token are read again.
        QObject::connect(&tokens, &cdesk::TokenStore::loaded, &window,
                         [&](const QByteArray &token, cdesk::TokenStore::Location) {
                             api.setEndpoint(cdesk::ApiEndpoint(apiUrl(), token));
                             window.endpointChanged();
                             startSending();
                         });
        QObject::connect(&window, &cdesk::MainWindow::settingsChanged, &tokens, [&] {
            workspace.outbox()->setAccount(cdesk::Outbox::accountFor(apiUrl()));
            tokens.setApiUrl(apiUrl());
            tokens.load();
        });
        tokens.load();
    }
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc > 1 && cdesk::Cli::isCommand(QString::fromLocal8Bit(argv[1])))
        return runCommandLine(argc, argv);
    return runWindow(argc, argv);
}
