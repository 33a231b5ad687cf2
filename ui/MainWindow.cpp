#include "MainWindow.h"

#include "api/JobListFetch.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStatusBar>
#include <QVBoxLayout>

namespace cdesk {

MainWindow::MainWindow(QNetworkAccessManager *network, ApiEndpoint endpoint, bool sandbox,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_network(network)
    , m_endpoint(std::move(endpoint))
    , m_jobs(new QListWidget)
    , m_reachability(new QLabel)
    , m_outbox(new QLabel)
{
    setWindowTitle(sandbox ? tr("Candidate Desk — Sandbox") : tr("Candidate Desk"));
    resize(900, 600);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    auto *heading = new QLabel(tr("<b>Open jobs</b> — candidates you submit can be mapped to "
                                  "these, or go to the Talent Pool."));
    heading->setWordWrap(true);
    layout->addWidget(heading);
    m_jobs->setObjectName(QStringLiteral("jobList"));
    layout->addWidget(m_jobs);
    setCentralWidget(central);

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    auto *refresh = fileMenu->addAction(tr("&Refresh jobs"), this, &MainWindow::reloadJobs);
    refresh->setShortcut(QKeySequence::Refresh);
    fileMenu->addSeparator();
    auto *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    if (sandbox) {
        auto *badge = new QLabel(tr("SANDBOX"));
        badge->setObjectName(QStringLiteral("sandboxBadge"));
        badge->setToolTip(tr("You are trying Candidate Desk against a local sandbox. Nothing "
                             "reaches a real applicant tracking system."));
        badge->setStyleSheet(QStringLiteral(
            "QLabel { background: #b45309; color: white; font-weight: bold; padding: 1px 6px;"
            " border-radius: 3px; }"));
        statusBar()->addPermanentWidget(badge);
    }
    auto *api = new QLabel(m_endpoint.baseUrl().toDisplayString());
    api->setObjectName(QStringLiteral("apiUrl"));
    statusBar()->addPermanentWidget(api);
    m_reachability->setObjectName(QStringLiteral("reachability"));
    statusBar()->addPermanentWidget(m_reachability);
    m_outbox->setObjectName(QStringLiteral("outboxCount"));
    statusBar()->addPermanentWidget(m_outbox);

    reloadJobs();
}

void MainWindow::setEndpoint(const ApiEndpoint &endpoint)
{
    m_endpoint = endpoint;
    reloadJobs();
}

void MainWindow::setPendingCount(int pending)
{
    m_outbox->setText(pending > 0 ? tr("%n waiting in the outbox", nullptr, pending) : QString());
}

void MainWindow::reloadJobs()
{
    m_reachability->setText(tr("Connecting…"));
    auto *fetch = new JobListFetch(m_network, m_endpoint, this);
    connect(fetch, &JobListFetch::finished, this,
            [this, fetch](const QList<Job> &jobs, const QString &error) {
                fetch->deleteLater();
                if (!error.isEmpty()) {
                    m_reachability->setText(tr("Not reachable"));
                    statusBar()->showMessage(error);
                    return;
                }
                m_reachability->setText(tr("Connected"));
                m_jobs->clear();
                for (const Job &job : jobs) {
                    m_jobs->addItem(tr("%1 — %2, %3").arg(job.title, job.department, job.location));
                }
                Q_EMIT jobsLoaded(int(jobs.size()));
            });
    fetch->start();
}

} // namespace cdesk
