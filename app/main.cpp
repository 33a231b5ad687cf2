// Candidate Desk: the composition root. Builds the objects the window and the
// command line use, and is the only file that knows the sandbox exists.
#include "CommandLine.h"
#include "MainWindow.h"
#include "SandboxServer.h"
#include "WindowStartup.h"
#include "account/Account.h"
#include "api/ApiEndpoint.h"
#include "cli/Cli.h"
#include "settings/Settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
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

    SandboxHost sandbox; // outlives the account, whose calls may reach it
    cdesk::Account account;
    offerSandbox(&account, &sandbox);
    if (parser.isSet(apiUrlOption))
        account.setApiUrlOverride(QUrl(parser.value(apiUrlOption)));

    const bool sandboxMode = parser.isSet(sandboxOption)
        || (account.apiUrl().isEmpty() && account.settings()->sandboxMode());
    cdesk::WindowStartup startup(&account, sandboxMode);
    // For bench_startup: quit once the first frame is on screen.
    if (qEnvironmentVariableIsSet("CANDIDATE_DESK_EXIT_WHEN_SHOWN")) {
        QObject::connect(&startup, &cdesk::WindowStartup::windowShown, &startup, [&startup] {
            QTimer::singleShot(0, startup.window(), [&startup] {
                startup.window()->repaint();
                QCoreApplication::quit();
            });
        });
    }
    QTimer::singleShot(0, &startup, &cdesk::WindowStartup::begin);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc > 1 && cdesk::Cli::isCommand(QString::fromLocal8Bit(argv[1])))
        return runCommandLine(argc, argv);
    return runWindow(argc, argv);
}
