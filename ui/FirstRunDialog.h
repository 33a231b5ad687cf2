#pragma once

#include <QDialog>

class QCommandLinkButton;

namespace cdesk {

// What the window shows when no API address is set yet: try the app against
// the local sandbox, or connect a real account. The dialog only asks; the
// window acts on the answer (starts the sandbox, or opens the settings), so
// this stays free of either. Closing it without a choice is rejected() and
// neither signal.
class FirstRunDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FirstRunDialog(QWidget *parent = nullptr);

Q_SIGNALS:
    void sandboxChosen();
    void connectChosen();

private:
    QCommandLinkButton *m_trySandbox;
    QCommandLinkButton *m_connectAccount;
};

} // namespace cdesk
