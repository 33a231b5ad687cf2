// Candidate Desk: the composition root. Builds the objects the window and the
// command line use, and is the only file that knows the sandbox exists.
#include "CommandLine.h"
#include "FirstRunDialog.h"
#include "MainWindow.h"
#include "SandboxServer.h"
#include "SettingsDialog.h"
#include "account/Account.h"
#include "api/ApiEndpoint.h"
#include "cli/Cli.h"
#include "intake/SubmissionEngine.h"
#include "settings/Settings.h"
#include "store/Database.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QMessageBox>
#include <QNetworkInformation>
#include <QThread>
#include <QTimer>

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

// The account may start the sandbox on the host when --sandbox asks for it.
void offerSandbox(cdesk::Account *account, SandboxHost *sandbox)
{
    account->setSandboxStarter([sandbox](QString *error) -> std::optional<cdesk::ApiEndpoint> {
        cdesk::sandbox::Options options;
        options.dataDir = cdesk::sandbox::defaultDataDir();
        sandbox->moveContext();
        if (!sandbox->start(options, error))
            return std::nullopt;
        return cdesk::ApiEndpoint(sandbox->server()->baseUrl(), sandbox->server()->token());
    });
}

// candidate-desk jobs | submit | update | history | outbox: no window, no display.
int runCommandLine(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    setApplicationNames();
    SandboxHost sandbox; // outlives the account, whose calls may reach it
    cdesk::Account account;
    offerSandbox(&account, &sandbox);
    cdesk::Cli cli(QCoreApplication::arguments(), &account);
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
    SandboxHost sandbox; // outlives the account, whose calls may reach it
    cdesk::Account account;
    offerSandbox(&account, &sandbox);
    if (parser.isSet(apiUrlOption))
        account.setApiUrlOverride(QUrl(parser.value(apiUrlOption)));
    cdesk::Settings *settings = account.settings();

    bool sandboxMode
        = parser.isSet(sandboxOption) || (account.apiUrl().isEmpty() && settings->sandboxMode());
    if (!sandboxMode && account.apiUrl().isEmpty()
        && !firstRun(settings, account.tokens(), account.network(), &sandboxMode))
        return 0;

    // One window per data folder: two would send the same outbox.
    QString error;
    bool heldElsewhere = false;
    if (!account.lockDataDir(account.defaultDataDir(sandboxMode), &error, &heldElsewhere)
        && heldElsewhere) {
        QMessageBox::information(nullptr, title, error);
        return 1;
    }
    // Without the lock for another reason, the window opens only where
    // nothing can be written anyway (a read-only folder), to read: its banner
    // says why, and it sends nothing, so it never races a copy that holds the
    // outbox later. Anywhere else (a full disk) it says why it cannot start.
    const QString lockError = error;
    if (!account.openWorkspace(&error)) {
        QMessageBox::critical(nullptr, title, error);
        return 1;
    }
    cdesk::Workspace *workspace = account.workspace();
    if (!account.holdsLock() && !workspace->database()->isReadOnly()) {
        QMessageBox::critical(nullptr, title, lockError);
        return 1;
    }
    if (account.holdsLock())
        workspace->tidy();
    if (const QString notice = workspace->salvageNotice(); !notice.isEmpty())
        QMessageBox::warning(nullptr, title, notice);

    if (sandboxMode) {
        if (!account.useSandbox(&error)) {
            QMessageBox::critical(nullptr, title, error);
            return 1;
        }
    } else {
        account.useApi(); // the token arrives below
    }
    cdesk::SubmissionEngine *engine = account.engine();
    // A window runs for days: the copies of what was sent go when the outbox
    // has nothing in flight, at most every ten minutes, not only at start.
    QElapsedTimer sinceTidy;
    sinceTidy.start();
    QObject::connect(engine, &cdesk::SubmissionEngine::idle, engine, [&] {
        if (account.holdsLock() && sinceTidy.hasExpired(10 * 60 * 1000)) {
            workspace->tidy();
            sinceTidy.restart();
        }
    });

    // Pause the outbox while the machine is offline, where the platform can tell.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        auto online = [](QNetworkInformation::Reachability r) {
            return r != QNetworkInformation::Reachability::Disconnected;
        };
        engine->setOnline(online(QNetworkInformation::instance()->reachability()));
        QObject::connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged,
                         engine, [engine, online](QNetworkInformation::Reachability r) {
                             engine->setOnline(online(r));
                         });
    }

    cdesk::MainWindow::Services services;
    services.workspace = workspace;
    services.engine = engine;
    services.api = account.api();
    services.settings = settings;
    services.tokens = sandboxMode ? nullptr : account.tokens();
    services.network = account.network();
    services.sandbox = sandboxMode;
    cdesk::MainWindow window(services);
    window.show();

    // For bench_startup: quit once the first frame is on screen.
    if (qEnvironmentVariableIsSet("CANDIDATE_DESK_EXIT_WHEN_SHOWN"))
        QTimer::singleShot(0, &window, [&window] {
            window.repaint();
            QCoreApplication::quit();
        });

    const auto startSending = [engine, &account] {
        if (account.holdsLock())
            engine->start();
    };
    if (sandboxMode) {
        startSending();
    } else {
        // The token comes from the keychain (or CANDIDATE_DESK_TOKEN), asynchronously;
        // after the settings change, the address and the token are read again.
        QObject::connect(&account, &cdesk::Account::tokenLoaded, &window, [&] {
            window.endpointChanged();
            startSending();
        });
        QObject::connect(&window, &cdesk::MainWindow::settingsChanged, &account,
                         [&account] { account.loadToken(); });
        account.loadToken();
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
