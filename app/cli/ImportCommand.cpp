#include "cli/ImportCommand.h"

#include "account/Account.h"
#include "api/ApiClient.h"
#include "api/ApiResult.h"
#include "cli/Cli.h"
#include "core/Clock.h"
#include "intake/IntakeSession.h"
#include "intake/ResumeFolder.h"
#include "intake/SubmissionEngine.h"
#include "intake/XlsxReader.h"
#include "model/ApiError.h"
#include "settings/Settings.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>
#include <QtConcurrent/QtConcurrentMap>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

constexpr int kProgressMs = 1000;

bool needsJobList(const QList<ColumnMapping> &columns, const SheetTable &table)
{
    for (qsizetype col = 0; col < columns.size(); ++col) {
        if (columns[col].role != ColumnRole::Job && columns[col].role != ColumnRole::JobId)
            continue;
        for (const QStringList &row : table.rows) {
            if (!row.value(col).trimmed().isEmpty())
                return true;
        }
    }
    return false;
}

} // namespace

ImportCommand::ImportCommand(Cli *cli)
    : QObject(cli)
    , m_cli(cli)
{ }

void ImportCommand::prepareSession()
{
    Account *account = m_cli->account();
    IntakeSession::Services services;
    services.workspace = account->workspace();
    services.engine = account->engine();
    services.api = account->api();
    services.settings = account->settings();
    m_session = new IntakeSession(services, this);
}

bool ImportCommand::readCommonOptions()
{
    Account *account = m_cli->account();
    const QCommandLineParser &options = m_cli->options();
    m_options.account = account->workspace()->outbox()->account();
    m_options.validation = m_session->validationOptions();
    m_options.talentPoolForAll = options.isSet(u"talent-pool"_s);
    if (!m_cli->readJobOption(&m_options.jobForAll))
        return false;
    m_options.sourceForAll = options.isSet(u"source"_s) ? options.value(u"source"_s)
                                                        : account->settings()->defaultSource();
    return true;
}

void ImportCommand::run(const QString &path)
{
    m_path = path;
    prepareSession();
    if (!readSheet(path) || !mapColumns() || !readCommonOptions())
        return;
    const QFileInfo file(path);
    m_options.folder = file.absolutePath();
    m_options.fileName = file.fileName();
    loadJobsThenBuild();
}

void ImportCommand::runResumes(const QString &folder)
{
    m_path = folder;
    m_fromResumes = true;
    prepareSession();
    if (!readCommonOptions())
        return;
    int skipped = 0;
    QString error;
    const auto files
        = ResumeFolder::list(folder, ResumeFolder::Options().maxFiles, &skipped, &error);
    if (!files)
        return m_cli->fail(Cli::InvalidInput, error);
    if (files->isEmpty())
        return m_cli->fail(
            Cli::InvalidInput,
            tr("No resume in %1 (PDF, Word, OpenDocument, RTF or text).").arg(folder));
    if (!m_cli->output().isJson()) {
        m_cli->output().print(
            tr("Reading %n resume(s) from %1.", nullptr, int(files->size())).arg(folder));
        if (skipped > 0)
            m_cli->output().print(
                tr("%n other file(s) left out: not a resume type, or hidden.", nullptr, skipped));
    }
    ResumeFolder::Options options;
    options.jobForAll = m_options.talentPoolForAll ? std::nullopt : m_options.jobForAll;
    options.source = m_options.sourceForAll;
    options.account = m_options.account;
    options.validation = m_options.validation;
    QList<QPair<QString, int>> work;
    for (qsizetype i = 0; i < files->size(); ++i)
        work.append({ files->at(i), int(i) + 1 });
    // Text extraction (PDFs in the helper process) on the thread pool.
    auto *watcher = new QFutureWatcher<SheetImport::Row>(this);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher](int done) {
        m_cli->output().progress(
            tr("Read %L1 of %L2 resumes").arg(done).arg(watcher->progressMaximum()));
    });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_cli->output().endProgress();
        m_rows = watcher->future().results();
        SheetImport::markRepeatedEmails(&m_rows);
        rowsReady();
    });
    watcher->setFuture(QtConcurrent::mapped(work, [options](const QPair<QString, int> &file) {
        return ResumeFolder::read(file.first, file.second, options);
    }));
}

bool ImportCommand::readSheet(const QString &path)
{
    SheetError error;
    const auto table = readSheetFile(path, m_cli->options().value(u"sheet"_s), &error);
    if (!table) {
        m_cli->fail(Cli::InvalidInput,
                    tr("Cannot import %1. %2").arg(QFileInfo(path).fileName(), error.text()));
        return false;
    }
    m_table = *table;
    if (m_table.rows.isEmpty()) {
        m_cli->fail(
            Cli::InvalidInput,
            tr("%1 has a header and no rows: nothing to import.").arg(QFileInfo(path).fileName()));
        return false;
    }
    return true;
}

bool ImportCommand::mapColumns()
{
    const QStringList &header = m_table.header;
    QList<ColumnMapping> columns = SheetImport::suggest(header);
    for (const QString &given : m_cli->options().values(u"map"_s)) {
        const qsizetype eq = given.lastIndexOf(u'=');
        const QString column = eq > 0 ? given.left(eq).trimmed() : QString();
        if (column.isEmpty()) {
            m_cli->fail(Cli::InvalidInput,
                        tr("--map takes COLUMN=FIELD, e.g. --map \"Mobile No=phone\"."));
            return false;
        }
        // A column by its name, or by its place (1 is the first).
        qsizetype index = -1;
        for (qsizetype i = 0; i < header.size() && index < 0; ++i) {
            if (header[i].compare(column, Qt::CaseInsensitive) == 0)
                index = i;
        }
        bool isNumber = false;
        const int place = column.toInt(&isNumber);
        if (index < 0 && isNumber && place >= 1 && place <= header.size())
            index = place - 1;
        if (index < 0) {
            m_cli->fail(Cli::InvalidInput,
                        tr("The sheet has no column “%1”. Its columns are: %2.")
                            .arg(column, header.join(u", "_s)));
            return false;
        }
        const auto mapping = SheetImport::mappingFromName(given.mid(eq + 1), header[index]);
        if (!mapping) {
            m_cli->fail(Cli::InvalidInput,
                        tr("“%1” is not a field to import into. Use one of: %2.")
                            .arg(given.mid(eq + 1), SheetImport::mappingNames().join(u", "_s)));
            return false;
        }
        columns[index] = *mapping;
    }
    const bool named = std::any_of(columns.cbegin(), columns.cend(), [](const ColumnMapping &m) {
        return m.role == ColumnRole::Name || m.role == ColumnRole::FirstName
            || m.role == ColumnRole::LastName || m.role == ColumnRole::Email;
    });
    if (!named) {
        m_cli->fail(Cli::InvalidInput,
                    tr("No column of %1 is read as the candidate's name or email. Its columns "
                       "are: %2. Say which is which, e.g. --map \"%3=name\".")
                        .arg(QFileInfo(m_path).fileName(), header.join(u", "_s), header.value(0)));
        return false;
    }
    m_options.columns = columns;
    return true;
}

void ImportCommand::loadJobsThenBuild()
{
    if (m_options.jobForAll || m_options.talentPoolForAll
        || !needsJobList(m_options.columns, m_table))
        return build({}, true);
    // Titles are found in the open jobs; ids are checked against them too.
    ApiCall *call = m_cli->account()->api()->listJobs(u"open"_s);
    connect(call, &ApiCall::finished, this, [this](const ApiResult &result) {
        if (!result.ok())
            m_cli->output().notice(tr("The job list could not be loaded (%1): rows with a job's "
                                      "title cannot be matched.")
                                       .arg(result.message));
        build(result.ok() ? result.jobs : QList<Job>(), result.ok());
    });
}

void ImportCommand::build(const QList<Job> &jobs, bool jobsKnown)
{
    m_options.jobs = jobs;
    m_options.jobsLoaded = jobsKnown;
    m_rows = SheetImport::build(m_table, m_options);
    CliOutput &out = m_cli->output();
    if (!out.isJson()) {
        QStringList read;
        QStringList skipped;
        for (qsizetype i = 0; i < m_table.header.size(); ++i) {
            const ColumnMapping &m = m_options.columns.value(i);
            if (m.role == ColumnRole::Ignore)
                skipped << m_table.header[i];
            else
                read << u"%1 → %2"_s.arg(m_table.header[i], SheetImport::mappingLabel(m));
        }
        out.print(tr("Read %1: %n row(s) (%2).", nullptr, int(m_rows.size()))
                      .arg(QFileInfo(m_path).fileName(), m_table.format));
        out.print(tr("Columns: %1.").arg(read.join(u", "_s)));
        if (!skipped.isEmpty())
            out.print(tr("Columns left out: %1 (import one with --map \"COLUMN=custom\").")
                          .arg(skipped.join(u", "_s)));
    }
    rowsReady();
}

void ImportCommand::rowsReady()
{
    m_ledger.setRows(m_rows);
    if (!m_cli->output().isJson())
        printRowProblems();
    if (m_cli->options().isSet(u"dry-run"_s))
        return finish();
    queue();
}

void ImportCommand::printRowProblems() const
{
    for (const SheetImport::Row &row : m_rows) {
        if (row.problems.isEmpty())
            continue;
        for (const QString &field : row.problems.fields()) {
            const int col = SheetImport::columnOf(m_options.columns, field);
            const QString where = !row.origin.isEmpty() ? tr("“%1”").arg(row.origin)
                : col >= 0
                ? tr("line %L1, column “%2”").arg(row.line).arg(m_table.header.value(col))
                : tr("line %L1").arg(row.line);
            for (const QString &message : row.problems.messages(field))
                m_cli->output().print(tr("Not imported: %1: %2").arg(where, message));
        }
    }
}

void ImportCommand::queue()
{
    QList<Submission> ready;
    for (const SheetImport::Row &row : std::as_const(m_rows)) {
        if (row.problems.isEmpty())
            ready << row.submission;
    }
    if (ready.isEmpty())
        return finish();
    m_session->queueBatch(
        ready, this,
        [this](const std::optional<IntakeSession::Batch> &batch, const QString &error) {
            if (!batch)
                return m_cli->fail(Cli::Failure, error);
            m_ledger.queued(batch->queued, batch->known);
            if (!error.isEmpty())
                m_cli->output().notice(
                    tr("Only %n row(s) were queued: %1 Those are sent; run the same import "
                       "again later to queue the rest (nothing is sent twice).",
                       nullptr, int(batch->queued.size()))
                        .arg(error));
            // Rows an earlier import queued and the server's trouble or a
            // refused token held: importing them again means "send them",
            // as `outbox --retry` would.
            Outbox *outbox = m_cli->account()->workspace()->outbox();
            const QList<ApiError> requeued = requeuedErrors();
            for (const Submission &row : batch->known) {
                if (row.state == SubmissionState::Failed && requeued.contains(row.errorKind)
                    && outbox->retry(row.id)) {
                    if (const auto again = outbox->get(row.id))
                        m_ledger.update(*again);
                }
            }
            const auto counts = m_ledger.counts();
            if (counts.earlierImport > 0 && !m_cli->output().isJson())
                m_cli->output().print(tr("%n row(s) were imported before and are not queued "
                                         "again.",
                                         nullptr, counts.earlierImport));
            send();
        });
}

void ImportCommand::followEngine()
{
    m_cli->startEngine();
    connect(m_cli->engine(), &SubmissionEngine::submissionChanged, this,
            [this](qint64 id, SubmissionState) { onChanged(id); });
    connect(m_cli->engine(), &SubmissionEngine::idle, this, [this] {
        // Idle: nothing in flight and nothing due now. What waits for a
        // backoff or a Retry-After within --wait is sent by the engine's
        // timer; beyond that, the rows stay in the outbox.
        const auto next = m_cli->account()->workspace()->outbox()->nextDueTime();
        if (!next || m_cli->waitsTooLong(*next))
            finish();
    });
}

void ImportCommand::send()
{
    if (m_ledger.counts().waiting == 0)
        return finish();
    m_sending.start();
    m_progressTimer = new QTimer(this);
    connect(m_progressTimer, &QTimer::timeout, this, [this] { showProgress(false); });
    m_progressTimer->start(kProgressMs);
    if (m_cli->takeLock())
        return followEngine();
    if (!m_cli->output().isJson())
        m_cli->output().print(tr("Another Candidate Desk (a window or a command line) is sending "
                                 "the outbox; waiting for it to send these rows."));
    m_cli->waitForOtherCopy(
        [this] {
            followEngine();
            // The copy that went may have settled rows already.
            for (const qint64 id : m_ledger.waitingIds())
                onChanged(id);
        },
        [this](bool overdue) {
            // Rows are sent oldest first: the first waiting ones tell the
            // progress, without reading thousands of rows at every look;
            // the last look reads them all, so the summary is true.
            constexpr qsizetype kLookedAt = 200;
            for (const qint64 id : m_ledger.waitingIds().mid(0, overdue ? -1 : kLookedAt))
                onChanged(id);
            if (overdue)
                finish();
        });
}

void ImportCommand::onChanged(qint64 id)
{
    if (m_cli->isDone())
        return;
    const auto row = m_cli->account()->workspace()->outbox()->get(id);
    if (!row || !m_ledger.update(*row))
        return;
    checkDone();
}

void ImportCommand::checkDone()
{
    if (m_ledger.counts().waiting == 0)
        finish();
}

void ImportCommand::showProgress(bool force)
{
    if (m_cli->output().isJson())
        return;
    const ImportLedger::Counts c = m_ledger.counts();
    const double seconds = qMax<qint64>(1, m_sending.elapsed()) / 1000.0;
    const int settledNow = c.sent + c.duplicate + c.refused + c.cancelled;
    const double rate = settledNow / seconds;
    QString line = tr("Sent %L1 of %L2 · %L3 need attention · %L4 to go · %5/s")
                       .arg(c.sent)
                       .arg(c.rows)
                       .arg(c.needAttention())
                       .arg(c.waiting)
                       .arg(rate, 0, 'f', 1);
    if (rate > 0 && c.waiting > 0)
        line += tr(" · about %1 s left").arg(qRound(c.waiting / rate));
    if (line == m_lastProgress && !force)
        return;
    m_lastProgress = line;
    m_cli->output().progress(line);
}

void ImportCommand::finish()
{
    if (m_cli->isDone())
        return;
    if (m_progressTimer) {
        m_progressTimer->stop();
        showProgress(true);
        m_cli->output().endProgress();
    }
    const ImportLedger::Counts c = m_ledger.counts();
    const bool dryRun = m_cli->options().isSet(u"dry-run"_s);
    // 0 only when every row is on the server (a dry run: every row is ready).
    int code = Cli::Success;
    if (c.heldForToken > 0)
        code = Cli::BadToken;
    else if (c.needAttention() > 0 || c.cancelled > 0)
        code = Cli::NeedsAttention;
    else if (c.waiting > 0)
        code = Cli::Queued;
    else if (!dryRun && c.ready > 0)
        code = Cli::Failure; // checked but not queued: the outbox refused them

    QString reportError;
    const QString reportPath = m_cli->options().value(u"report"_s);
    const bool reported = !reportPath.isEmpty() && m_ledger.writeReport(reportPath, &reportError);
    CliOutput &out = m_cli->output();
    if (!reportPath.isEmpty() && !reported && out.isJson())
        return m_cli->fail(Cli::Failure, reportError);

    if (out.isJson()) {
        QJsonArray rows;
        for (const ImportLedger::Entry &e : m_ledger.entries()) {
            QJsonObject o { { u"line"_s, e.line },
                            { u"name"_s, e.name },
                            { u"email"_s, e.email },
                            { u"outcome"_s, ImportLedger::outcomeName(e.outcome) },
                            { u"earlier_import"_s, e.earlierImport } };
            if (e.serverId)
                o.insert(u"candidate_id"_s, *e.serverId);
            if (e.submissionId)
                o.insert(u"submission_id"_s, e.submissionId);
            if (!e.problems.isEmpty())
                o.insert(u"problems"_s, e.problems.toJson());
            if (!e.message.isEmpty())
                o.insert(u"message"_s, e.message);
            rows.append(o);
        }
        out.printJson(QJsonObject { { u"rows"_s, rows },
                                    { u"sent"_s, c.sent },
                                    { u"waiting"_s, c.waiting },
                                    { u"ready"_s, c.ready },
                                    { u"invalid"_s, c.invalid },
                                    { u"duplicate"_s, c.duplicate },
                                    { u"refused"_s, c.refused },
                                    { u"earlier_import"_s, c.earlierImport },
                                    { u"dry_run"_s, dryRun },
                                    { u"exit_code"_s, code } });
    } else {
        if (dryRun)
            out.print(tr("Dry run: %n row(s) ready to send, nothing was sent.", nullptr, c.ready));
        else
            out.print(tr("%n row(s) on the server.", nullptr, c.sent));
        if (c.invalid > 0 && m_fromResumes)
            out.print(tr("%n resume(s) not imported: they do not say what the server needs (see "
                         "above). Send them with `candidate-desk submit` or from the window.",
                         nullptr, c.invalid));
        else if (c.invalid > 0)
            out.print(tr("%n row(s) not imported: fix them in the sheet (see above) and import "
                         "it again; the rows already sent are not sent twice.",
                         nullptr, c.invalid));
        if (c.duplicate > 0)
            out.print(tr("%n row(s) already on the server with the same email: update those "
                         "candidates, or cancel the rows (`candidate-desk outbox`).",
                         nullptr, c.duplicate));
        if (c.refused > 0)
            out.print(tr("%n row(s) refused by the server and kept in the outbox until you act "
                         "(`candidate-desk outbox`).",
                         nullptr, c.refused));
        if (c.cancelled > 0)
            out.print(tr("%n row(s) were imported before and cancelled: send them again from "
                         "the window's history (Retry).",
                         nullptr, c.cancelled));
        if (!dryRun && c.ready > 0)
            out.print(tr("%n row(s) were checked but could not be queued.", nullptr, c.ready));
        if (c.waiting > 0)
            out.print(tr("%n row(s) still wait in the outbox and are sent by themselves: by the "
                         "window while it runs, or `candidate-desk outbox --retry`.",
                         nullptr, c.waiting));
        if (reported)
            out.print(tr("Report: %1").arg(reportPath));
    }
    if (!reportPath.isEmpty() && !reported)
        return m_cli->fail(Cli::Failure, reportError);
    m_cli->done(code);
}

} // namespace cdesk
