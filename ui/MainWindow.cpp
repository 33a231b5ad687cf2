#include "MainWindow.h"

#include "CandidateForm.h"
#include "CandidatePane.h"
#include "Dialogs.h"
#include "HistoryPane.h"
#include "ImportDialog.h"
#include "JobPicker.h"
#include "SettingsDialog.h"
#include "StoreBanner.h"
#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/DraftKeeper.h"
#include "intake/JobDirectory.h"
#include "intake/SubmissionEngine.h"
#include "settings/Settings.h"
#include "store/DraftStore.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace cdesk {

class MainWindow::Private
{
public:
    Services services;
    CandidatePane *candidate = nullptr;
    HistoryPane *history = nullptr;
    QLabel *api = nullptr;
    QLabel *reachability = nullptr;
    QLabel *outbox = nullptr;
    StoreBanner *banner = nullptr;
    QMenu *draftsMenu = nullptr;
    QTimer *historyRefresh = nullptr;
    JobDirectory *jobs = nullptr;
    bool quitWithoutSaving = false;
};

MainWindow::MainWindow(const Services &services, QWidget *parent)
    : QMainWindow(parent)
    , d(std::make_unique<Private>())
{
    d->services = services;
    if (!d->services.clock)
        d->services.clock = Clock::system();
    setWindowTitle(services.sandbox ? tr("Candidate Desk — Sandbox") : tr("Candidate Desk"));
    resize(1200, 760);

    d->candidate = new CandidatePane(services); // its part of them
    d->candidate->setObjectName(u"candidatePane"_s);
    d->history = new HistoryPane(services.workspace->history());
    d->history->setObjectName(u"historyPane"_s);
    auto *splitter = new QSplitter;
    splitter->addWidget(d->candidate);
    splitter->addWidget(d->history);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({ 500, 700 });
    // A store that cannot be written (a full disk, a database another
    // program holds, a file that belongs to someone else) says so across
    // the top, not only in a log.
    d->banner = new StoreBanner(services.workspace->status());
    connect(d->banner, &StoreBanner::retryRequested, this, [this] {
        d->candidate->drafts()->flush();
        d->services.engine->kick();
    });
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(d->banner);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    createActions();
    createStatusBar();

    // The history follows the outbox, at most a few times a second.
    d->historyRefresh = new QTimer(this);
    d->historyRefresh->setSingleShot(true);
    d->historyRefresh->setInterval(150);
    connect(d->historyRefresh, &QTimer::timeout, d->history, &HistoryPane::refresh);
    connect(services.engine, &SubmissionEngine::submissionChanged, d->historyRefresh,
            qOverload<>(&QTimer::start));
    connect(d->candidate, &CandidatePane::submissionQueued, d->historyRefresh,
            qOverload<>(&QTimer::start));
    connect(services.engine, &SubmissionEngine::pendingCountChanged, this,
            &MainWindow::setPendingCount);
    connect(services.engine, &SubmissionEngine::pausedChanged, this,
            [this] { setPendingCount(d->services.workspace->outbox()->pendingCount()); });
    connect(d->history, &HistoryPane::retryRequested, this, [this](qint64 id) {
        d->services.workspace->outbox()->retry(id);
        d->services.engine->kick();
        d->historyRefresh->start();
    });
    connect(d->history, &HistoryPane::updateRequested, this, [this](const Submission &s) {
        const qint64 target = s.serverId ? *s.serverId : s.duplicateOf.value_or(s.targetId);
        if (target > 0)
            d->candidate->loadForUpdate(target);
    });
    connect(d->candidate, &CandidatePane::openSettingsRequested, this, &MainWindow::openSettings);
    connect(d->candidate, &CandidatePane::manyResumesDropped, this, &MainWindow::openResumeReview);
    bindJobs();

    setPendingCount(services.workspace->outbox()->pendingCount());
    d->candidate->restoreLatestDraft();
    reloadJobs();
}

MainWindow::~MainWindow()
{
    // The engine outlives the window: an import dialog closed with it
    // resumes the engine, whose news must not reach this half-gone window.
    if (d->services.engine)
        d->services.engine->disconnect(this);
}

CandidatePane *MainWindow::candidatePane() const
{
    return d->candidate;
}

HistoryPane *MainWindow::historyPane() const
{
    return d->history;
}

JobDirectory *MainWindow::jobDirectory() const
{
    return d->jobs;
}

ImportDialog *MainWindow::openResumeReview(const QStringList &paths)
{
    ImportDialog *dialog = openImport();
    dialog->openResumes(paths);
    return dialog;
}

ImportDialog *MainWindow::openImport()
{
    ImportRun::Services services;
    services.session = d->candidate->session();
    services.workspace = d->services.workspace;
    services.engine = d->services.engine;
    services.settings = d->services.settings;
    // Not modal: the window goes on while the rows are sent.
    auto *dialog = new ImportDialog(services, d->jobs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newCandidate
        = file->addAction(tr("&New candidate"), d->candidate, &CandidatePane::newCandidate);
    newCandidate->setShortcut(QKeySequence::New);
    QAction *save = file->addAction(tr("&Save draft"), d->candidate, &CandidatePane::saveDraft);
    save->setShortcut(QKeySequence::Save);
    d->draftsMenu = file->addMenu(tr("&Drafts"));
    connect(d->draftsMenu, &QMenu::aboutToShow, this, &MainWindow::fillDraftsMenu);
    file->addSeparator();
    QAction *import
        = file->addAction(tr("&Import candidates…"), this, [this] { openImport()->chooseFile(); });
    import->setObjectName(u"importAction"_s);
    import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    file->addSeparator();
    QAction *settings = file->addAction(tr("S&ettings…"), this, &MainWindow::openSettings);
    settings->setShortcut(QKeySequence::Preferences);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *candidate = menuBar()->addMenu(tr("&Candidate"));
    QAction *submit = candidate->addAction(tr("S&ubmit"), d->candidate, &CandidatePane::submit);
    submit->setObjectName(u"submitAction"_s);
    submit->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter) });
    QAction *pickJob = candidate->addAction(
        tr("Choose &job"), this, [this] { d->candidate->form()->jobPicker()->focusSearch(); });
    pickJob->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    QAction *refresh = candidate->addAction(tr("&Refresh jobs"), this, &MainWindow::reloadJobs);
    refresh->setShortcut(QKeySequence::Refresh);

    QMenu *history = menuBar()->addMenu(tr("&History"));
    QAction *find = history->addAction(tr("&Find…"), d->history, &HistoryPane::focusSearch);
    find->setShortcut(QKeySequence::Find);
    // Shortcuts work from any pane, not only from the menu bar's focus.
    for (QAction *action : { newCandidate, save, submit, pickJob, refresh, find })
        action->setShortcutContext(Qt::WindowShortcut);
}

void MainWindow::fillDraftsMenu()
{
    // clear() leaves submenus alive: delete them, or each opening adds more.
    qDeleteAll(d->draftsMenu->findChildren<QMenu *>(Qt::FindDirectChildrenOnly));
    d->draftsMenu->clear();
    const QList<Draft> drafts = d->services.workspace->drafts()->list();
    if (drafts.isEmpty()) {
        d->draftsMenu->addAction(tr("No drafts"))->setEnabled(false);
        return;
    }
    for (const Draft &draft : drafts) {
        const QString name
            = draft.candidate.name.isEmpty() ? tr("(no name)") : draft.candidate.name;
        const QString when
            = QLocale().toString(draft.updatedAt.toLocalTime(), QLocale::ShortFormat);
        QMenu *entry = d->draftsMenu->addMenu(tr("%1 — %2").arg(name, when));
        entry->addAction(tr("Open"), this, [this, id = draft.id] { d->candidate->openDraft(id); });
        entry->addAction(tr("Delete"), this,
                         [this, id = draft.id] { d->services.workspace->drafts()->remove(id); });
    }
}

void MainWindow::createStatusBar()
{
    if (d->services.sandbox) {
        auto *badge = new QLabel(tr("SANDBOX"));
        badge->setObjectName(u"sandboxBadge"_s);
        badge->setToolTip(tr("You are trying Candidate Desk against a local sandbox. Nothing "
                             "reaches a real applicant tracking system."));
        badge->setStyleSheet(u"QLabel { background: #b45309; color: white; font-weight: bold;"
                             " padding: 1px 6px; border-radius: 3px; }"_s);
        statusBar()->addPermanentWidget(badge);
    }
    d->api = new QLabel;
    d->api->setObjectName(u"apiUrl"_s);
    d->reachability = new QLabel;
    d->reachability->setObjectName(u"reachability"_s);
    d->outbox = new QLabel;
    d->outbox->setObjectName(u"outboxCount"_s);
    for (QLabel *label : { d->api, d->reachability, d->outbox })
        statusBar()->addPermanentWidget(label);
    d->api->setText(d->services.api->endpoint().baseUrl().toDisplayString());
}

void MainWindow::setPendingCount(int pending)
{
    QString text
        = pending > 0 ? tr("%n waiting in the outbox", nullptr, pending) : tr("Outbox empty");
    if (d->services.engine->isPaused())
        text += tr(" · sending paused by the import");
    d->outbox->setText(text);
}

void MainWindow::endpointChanged()
{
    d->api->setText(d->services.api->endpoint().baseUrl().toDisplayString());
    reloadJobs();
    d->services.engine->kick();
}

void MainWindow::bindJobs()
{
    d->jobs = new JobDirectory(d->services.api, d->services.workspace->jobCache(),
                               d->services.clock, this);
    d->candidate->form()->jobPicker()->bind(d->jobs);
    connect(d->jobs, &JobDirectory::stateChanged, this, [this](JobDirectory::State state) {
        d->reachability->setText(d->jobs->stateText());
        if (state == JobDirectory::State::Live)
            d->reachability->setToolTip({});
        else if (state == JobDirectory::State::Offline)
            d->reachability->setToolTip(d->jobs->errorMessage());
    });
    connect(d->jobs, &JobDirectory::jobsChanged, this, [this] {
        QHash<qint64, QString> titles;
        for (const Job &job : d->jobs->jobs())
            titles.insert(job.id, job.title);
        d->history->setJobTitles(titles);
    });
    connect(d->jobs, &JobDirectory::loaded, this, [this](int count, bool fromCache) {
        if (fromCache)
            statusBar()->showMessage(d->jobs->errorMessage(), 15000);
        Q_EMIT jobsLoaded(count, fromCache);
    });
}

void MainWindow::reloadJobs()
{
    d->jobs->load();
}

void MainWindow::openSettings()
{
    if (!d->services.tokens) {
        // The sandbox has no settings of its own; the way out is the account.
        Dialogs::ask(this, tr("Leave the sandbox?"),
                     tr("You are trying Candidate Desk against a local sandbox. Connect your "
                        "PyjamaHR account instead? Candidate Desk will ask for its address and "
                        "token the next time it starts; nothing from the sandbox is sent there."),
                     QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel,
                     [this](QMessageBox::StandardButton answer) {
                         if (answer != QMessageBox::Yes)
                             return;
                         d->services.settings->setSandboxMode(false);
                         statusBar()->showMessage(
                             tr("Restart Candidate Desk to connect your account."), 0);
                     });
        return;
    }
    auto *dialog
        = new SettingsDialog(d->services.settings, d->services.tokens, d->services.network, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, &MainWindow::settingsChanged);
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Whatever was typed last is on disk before the window goes; when it
    // cannot be (a full disk), the recruiter decides.
    if (d->quitWithoutSaving || d->candidate->drafts()->flush()) {
        QMainWindow::closeEvent(event);
        return;
    }
    event->ignore();
    Dialogs::ask(this, tr("Your draft could not be saved"),
                 tr("The last changes to this candidate could not be written to disk (is it "
                    "full?). Quit anyway and lose them, or cancel and keep the window open?"),
                 QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel,
                 [this](QMessageBox::StandardButton answer) {
                     if (answer != QMessageBox::Discard)
                         return;
                     d->quitWithoutSaving = true;
                     close();
                 });
}

} // namespace cdesk
