#pragma once

#include <QMessageBox>
#include <QObject>

#include <memory>

namespace cdesk {

class Account;
class MainWindow;

// The window's start, one step after another on the running event loop: the
// first run's choice, the data folder's lock, the workspace, the endpoint,
// the window, and then sending. Nothing here runs a nested event loop: every
// dialog is opened with open(), and the next step waits for its answer. A
// step that must stop shows why and ends the application with its exit code
// once the message is read.
//
//   WindowStartup startup(&account, sandbox);
//   QTimer::singleShot(0, &startup, &WindowStartup::begin);
//   return app.exec();
class WindowStartup : public QObject
{
    Q_OBJECT

public:
    WindowStartup(Account *account, bool sandboxMode, QObject *parent = nullptr);
    ~WindowStartup() override;

    void begin();

    MainWindow *window() const { return m_window.get(); } // null until it opens

Q_SIGNALS:
    // The window is on the screen (tests and bench_startup wait for it).
    void windowShown();

private:
    void askFirstRun();
    void askForAccount();
    void openWorkspace();
    void openWindow();
    void startSending();
    void stop(QMessageBox::Icon icon, const QString &message, int exitCode);

    Account *m_account;
    bool m_sandboxMode;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace cdesk
