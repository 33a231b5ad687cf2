#include "WindowStartup.h"

#include "FirstRunDialog.h"
#include "MainWindow.h"
#include "SettingsDialog.h"
#include "account/Account.h"
#include "intake/SubmissionEngine.h"
#include "settings/Settings.h"
#include "store/Database.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QNetworkInformation>

#include <memory>

namespace cdesk {

WindowStartup::WindowStartup(Account *account, bool sandboxMode, QObject *parent)
    : QObject(parent), m_account(account), m_sandboxMode(sandboxMode)
{
}

WindowStartup::~WindowStartup() = default;

void WindowStartup::begin()
{
    // Until the window is up, closing a dialog is not the end of the
    // application: the next step may open another one. Each step that ends
    // it says so (QCoreApplication::exit()).
    QApplication::setQuitOnLastWindowClosed(false);
    if (!m_sandboxMode && m_account->apiUrl().isEmpty())
        askFirstRun();
    else
        openWorkspace();
}

// A first run without an API address offers the sandbox or the recruiter's account.
void WindowStartup::askFirstRun()
{
    auto *first = new FirstRunDialog;
    first->setAttribute(Qt::WA_DeleteOnClose);
    auto chosen = std::make_shared<bool>(false);
    connect(first, &FirstRunDialog::sandboxChosen, this, [this, chosen] {
        *chosen = true;
        m_account->settings()->setSandboxMode(true);
        m_sandboxMode = true;
        openWorkspace();
    });
    connect(first, &FirstRunDialog::connectChosen, this, [this, chosen] {
        *chosen = true;
        askForAccount();
    });
    connect(first, &QDialog::finished, this, [this, chosen] {
        if (!*chosen)
            QCoreApplication::exit(0); // closed without a choice
    });
    first->open();
}

void WindowStartup::askForAccount()
{
    auto *dialog = new SettingsDialog(m_account->settings(), m_account->tokens(),
                                      m_account->network());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this](int result) {
        if (result == QDialog::Accepted && !m_account->settings()->apiUrl().isEmpty())
            openWorkspace();
        else
            QCoreApplication::exit(0);
    });
    dialog->open();
}

void WindowStartup::openWorkspace()
{
    // One window per data folder: two would send the same outbox.
    QString error;
    bool heldElsewhere = false;
    if (!m_account->lockDataDir(m_account->defaultDataDir(m_sandboxMode), &error, &heldElsewhere)
        && heldElsewhere) {
        stop(QMessageBox::Information, error, 1);
        return;
    }
    // Without the lock for another reason, the window opens only where
    // nothing can be written anyway (a read-only folder), to read: its banner
    // says why, and it sends nothing, so it never races a copy that holds the
    // outbox later. Anywhere else (a full disk) it says why it cannot start.
    const QString lockError = error;
    if (!m_account->openWorkspace(&error)) {
        stop(QMessageBox::Critical, error, 1);
        return;
    }
    Workspace *workspace = m_account->workspace();
    if (!m_account->holdsLock() && !workspace->database()->isReadOnly()) {
        stop(QMessageBox::Critical, lockError, 1);
        return;
    }
    if (m_account->holdsLock())
        workspace->tidy();
    if (m_sandboxMode) {
        if (!m_account->useSandbox(&error)) {
            stop(QMessageBox::Critical, error, 1);
            return;
        }
    } else {
        m_account->useApi(); // the token arrives in startSending()
    }
    openWindow();
}

void WindowStartup::openWindow()
{
    Workspace *workspace = m_account->workspace();
    SubmissionEngine *engine = m_account->engine();
    // A window runs for days: the copies of what was sent go when the outbox
    // has nothing in flight, at most every ten minutes, not only at start.
    auto sinceTidy = std::make_shared<QElapsedTimer>();
    sinceTidy->start();
    connect(engine, &SubmissionEngine::idle, this, [this, workspace, sinceTidy] {
        if (m_account->holdsLock() && sinceTidy->hasExpired(10 * 60 * 1000)) {
            workspace->tidy();
            sinceTidy->restart();
        }
    });

    // Pause the outbox while the machine is offline, where the platform can tell.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        auto online = [](QNetworkInformation::Reachability r) {
            return r != QNetworkInformation::Reachability::Disconnected;
        };
        engine->setOnline(online(QNetworkInformation::instance()->reachability()));
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, engine,
                [engine, online](QNetworkInformation::Reachability r) {
                    engine->setOnline(online(r));
                });
    }

    MainWindow::Services services;
    services.workspace = workspace;
    services.engine = engine;
    services.api = m_account->api();
    services.settings = m_account->settings();
    services.tokens = m_sandboxMode ? nullptr : m_account->tokens();
    services.network = m_account->network();
    services.sandbox = m_sandboxMode;
    m_window = std::make_unique<MainWindow>(services);
    m_window->show();
    QApplication::setQuitOnLastWindowClosed(true);

    // A damaged database was kept aside: said over the window, which is usable meanwhile.
    if (const QString notice = workspace->salvageNotice(); !notice.isEmpty()) {
        auto *box = new QMessageBox(QMessageBox::Warning, QApplication::applicationDisplayName(),
                                    notice, QMessageBox::Ok, m_window.get());
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    Q_EMIT windowShown();
    startSending();
}

void WindowStartup::startSending()
{
    SubmissionEngine *engine = m_account->engine();
    if (m_sandboxMode) {
        if (m_account->holdsLock())
            engine->start();
        return;
    }
    // The token comes from the keychain (or CANDIDATE_DESK_TOKEN),
    // asynchronously; after the settings change, the address and the token
    // are read again.
    connect(m_account, &Account::tokenLoaded, m_window.get(), [this, engine] {
        m_window->endpointChanged();
        if (m_account->holdsLock())
            engine->start();
    });
    connect(m_window.get(), &MainWindow::settingsChanged, m_account,
            [account = m_account] { account->loadToken(); });
    m_account->loadToken();
}

void WindowStartup::stop(QMessageBox::Icon icon, const QString &message, int exitCode)
{
    auto *box = new QMessageBox(icon, QApplication::applicationDisplayName(), message,
                                QMessageBox::Ok);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QDialog::finished, this, [exitCode] { QCoreApplication::exit(exitCode); });
    box->open();
}

} // namespace cdesk
