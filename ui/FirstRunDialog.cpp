#include "FirstRunDialog.h"

#include <QCommandLinkButton>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace cdesk {

FirstRunDialog::FirstRunDialog(QWidget *parent)
    : QDialog(parent)
    , m_trySandbox(new QCommandLinkButton(
          tr("Try the sandbox"),
          tr("Practise with made-up jobs on a stand-in that runs on this computer. Nothing you "
             "enter reaches a real ATS.")))
    , m_connectAccount(new QCommandLinkButton(
          tr("Connect to your PyjamaHR account"),
          tr("Enter the API address and token from your ATS's API settings. Works with PyjamaHR "
             "and other ATSs that offer the same Candidate API.")))
{
    setWindowTitle(tr("Welcome to Candidate Desk"));

    auto *intro = new QLabel(tr("Candidate Desk sends the candidates you enter to your applicant "
                                "tracking system. How would you like to start?"));
    intro->setWordWrap(true);

    m_trySandbox->setObjectName(u"trySandbox"_s);
    m_connectAccount->setObjectName(u"connectAccount"_s);
    // Neither is the default: Enter must not pick one for the recruiter.
    m_trySandbox->setAutoDefault(false);
    m_connectAccount->setAutoDefault(false);

    // The signal goes out before the dialog closes, so a window that opens
    // the settings in answer already has it when finished() arrives.
    connect(m_trySandbox, &QCommandLinkButton::clicked, this, [this] {
        Q_EMIT sandboxChosen();
        accept();
    });
    connect(m_connectAccount, &QCommandLinkButton::clicked, this, [this] {
        Q_EMIT connectChosen();
        accept();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(8);
    layout->addWidget(m_trySandbox);
    layout->addWidget(m_connectAccount);
    layout->addStretch(1);
    resize(480, sizeHint().height());
}

} // namespace cdesk
