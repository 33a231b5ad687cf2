#include "intake/ImportRun.h"

#include "intake/IntakeSession.h"
#include "intake/SubmissionEngine.h"
#include "intake/XlsxReader.h"
#include "settings/Settings.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QFileInfo>

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>
#include <memory>

using namespace Qt::StringLiterals;

namespace cdesk {

ImportRun::ImportRun(const Services &services, QObject *parent)
    : QObject(parent)
    , m_services(services)
{
    connect(m_services.engine, &SubmissionEngine::submissionChanged, this,
            [this](qint64 id, SubmissionState) { follow(id); });
}

ImportRun::~ImportRun()
{
    // Not resume(): its signals would reach a dialog half torn down. The
    // engine may be gone first when the whole window closes.
    if (m_paused && m_pausedEngine)
        m_pausedEngine->setPaused(false);
}

void ImportRun::open(const QString &path, const QString &sheetName)
{
    m_stage = Stage::Reading;
    m_path = path;
    const QFileInfo file(path);
    m_options.folder = file.absolutePath();
    m_options.fileName = file.fileName();
    m_options.account = m_services.workspace->outbox()->account();
    m_options.validation = m_services.session->validationOptions();
    if (m_options.sourceForAll.isEmpty() && m_services.settings)
        m_options.sourceForAll = m_services.settings->defaultSource();

    struct Read
    {
        std::optional<SheetTable> table;
        SheetError error;
    };
    auto *watcher = new QFutureWatcher<Read>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Read read = watcher->result();
        if (!read.table) {
            m_stage = Stage::Empty;
            return Q_EMIT failed(read.error.text());
        }
        m_table = *read.table;
        m_options.columns = SheetImport::suggest(m_table.header);
        // The mapping chosen last time for a sheet with these columns.
        if (m_services.settings) {
            const QStringList kept = m_services.settings->importMapping(m_table.header);
            for (qsizetype i = 0; i < kept.size(); ++i) {
                if (const auto mapping
                    = SheetImport::mappingFromName(kept[i], m_table.header.value(i)))
                    m_options.columns[i] = *mapping;
            }
        }
        m_stage = Stage::Ready;
        Q_EMIT opened();
        recheck();
    });
    watcher->setFuture(QtConcurrent::run([path, sheetName] {
        Read read;
        read.table = readSheetFile(path, sheetName, &read.error);
        return read;
    }));
}

void ImportRun::openResumes(const QStringList &paths)
{
    m_stage = Stage::Reading;
    m_resumes = true;
    m_path = paths.value(0);
    m_options.account = m_services.workspace->outbox()->account();
    m_options.validation = m_services.session->validationOptions();
    if (m_options.sourceForAll.isEmpty() && m_services.settings)
        m_options.sourceForAll = m_services.settings->defaultSource();
    const ResumeFolder::Options options = resumeOptions();
    // Listing looks into every file's first bytes: on the worker too.
    auto *listing = new QFutureWatcher<std::optional<QStringList>>(this);
    auto error = std::make_shared<QString>();
    connect(listing, &QFutureWatcherBase::finished, this, [this, listing, error, options] {
        listing->deleteLater();
        const std::optional<QStringList> files = listing->result();
        if (!files || files->isEmpty()) {
            m_stage = Stage::Empty;
            return Q_EMIT failed(files ? tr("None of these is a resume (PDF, Word, "
                                            "OpenDocument, RTF or text).")
                                       : *error);
        }
        QList<QPair<QString, int>> work;
        for (qsizetype i = 0; i < files->size(); ++i)
            work.append({ files->at(i), int(i) + 1 });
        auto *reading = new QFutureWatcher<ResumeFolder::Draft>(this);
        connect(
            reading, &QFutureWatcherBase::progressValueChanged, this,
            [this, reading](int done) { Q_EMIT readProgress(done, reading->progressMaximum()); });
        connect(reading, &QFutureWatcherBase::finished, this, [this, reading] {
            reading->deleteLater();
            m_drafts = reading->future().results();
            m_stage = Stage::Ready;
            Q_EMIT opened();
            recheck();
        });
        reading->setFuture(QtConcurrent::mapped(work, [options](const QPair<QString, int> &file) {
            return ResumeFolder::readDraft(file.first, file.second, options);
        }));
    });
    listing->setFuture(QtConcurrent::run([paths, options, error] {
        int skipped = 0;
        return ResumeFolder::collect(paths, options.maxFiles, &skipped, error.get());
    }));
}

void ImportRun::setDraft(int row, const ResumeFolder::Draft &draft)
{
    if (row < 0 || row >= m_drafts.size())
        return;
    m_drafts[row] = draft;
    recheck();
}

ResumeFolder::Options ImportRun::resumeOptions() const
{
    ResumeFolder::Options options;
    options.jobForAll = m_options.talentPoolForAll ? std::nullopt : m_options.jobForAll;
    options.source = m_options.sourceForAll;
    options.account = m_options.account;
    options.validation = m_options.validation;
    options.jobs = m_options.jobs;
    options.jobsLoaded = m_options.jobsLoaded;
    return options;
}

void ImportRun::setColumn(int column, const ColumnMapping &mapping)
{
    if (column < 0 || column >= m_options.columns.size() || m_options.columns[column] == mapping)
        return;
    m_options.columns[column] = mapping;
    recheck();
}

void ImportRun::setJobForAll(std::optional<qint64> job)
{
    m_options.jobForAll = job;
    recheck();
}

void ImportRun::setTalentPoolForAll(bool on)
{
    m_options.talentPoolForAll = on;
    recheck();
}

void ImportRun::setSource(const QString &source)
{
    m_options.sourceForAll = source;
    recheck();
}

void ImportRun::setJobs(const QList<Job> &jobs, bool loaded)
{
    m_options.jobs = jobs;
    m_options.jobsLoaded = loaded;
    recheck();
}

void ImportRun::recheck()
{
    if (m_stage != Stage::Ready)
        return;
    // The check reads each resume's metadata: a worker does it, and only
    // the newest check's rows are kept.
    const int generation = ++m_checkGeneration;
    m_checking = true;
    Q_EMIT checking();
    auto *watcher = new QFutureWatcher<QList<SheetImport::Row>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_checkGeneration || m_stage != Stage::Ready)
            return;
        m_rows = watcher->result();
        m_ledger.setRows(m_rows);
        m_checking = false;
        Q_EMIT checked();
    });
    if (m_resumes) {
        watcher->setFuture(QtConcurrent::run([drafts = m_drafts, options = resumeOptions()] {
            QList<SheetImport::Row> rows;
            for (const ResumeFolder::Draft &draft : drafts)
                rows << ResumeFolder::rowOf(draft, options);
            SheetImport::markRepeatedEmails(&rows);
            return rows;
        }));
        return;
    }
    watcher->setFuture(QtConcurrent::run(
        [table = m_table, options = m_options] { return SheetImport::build(table, options); }));
}

int ImportRun::readyCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [](const SheetImport::Row &row) { return row.problems.isEmpty(); }));
}

void ImportRun::start()
{
    // Only rows checked against the choices on screen are sent.
    if (m_stage != Stage::Ready || m_checking)
        return;
    if (m_services.settings && !m_resumes) {
        QStringList names;
        for (const ColumnMapping &mapping : std::as_const(m_options.columns))
            names << SheetImport::mappingName(mapping);
        m_services.settings->setImportMapping(m_table.header, names);
    }
    QList<Submission> ready;
    for (const SheetImport::Row &row : std::as_const(m_rows)) {
        if (row.problems.isEmpty())
            ready << row.submission;
    }
    m_stage = Stage::Queueing;
    Q_EMIT started();
    if (ready.isEmpty()) {
        m_stage = Stage::Done;
        return Q_EMIT finished();
    }
    m_queueing = true;
    m_services.session->queueBatch(
        ready, this,
        [this](const std::optional<IntakeSession::Batch> &batch, const QString &error) {
            m_queueing = false;
            if (!batch) {
                // Nothing was queued: the rows are as they were, and the
                // recruiter may try again.
                m_stage = Stage::Ready;
                return Q_EMIT failed(error);
            }
            if (!error.isEmpty())
                Q_EMIT failed(tr("Only %n row(s) were queued: %1 Those are sent; import the "
                                 "same sheet again later to queue the rest (nothing is sent "
                                 "twice).",
                                 nullptr, int(batch->queued.size()))
                                  .arg(error));
            Q_EMIT progressed();
            finishIfSettled();
        },
        // Each part as it is stored, before the engine can touch its rows:
        // the ledger follows them from then on.
        [this](const QList<Submission> &queued, const QList<Submission> &known) {
            m_ledger.queued(queued, known);
            if (m_stage == Stage::Queueing) {
                m_stage = Stage::Sending;
                m_sending.start();
            }
            if (m_cancelRequested)
                return cancelWaiting(); // before the engine can claim them
            Q_EMIT progressed();
        });
}

void ImportRun::follow(qint64 id)
{
    if (m_stage != Stage::Sending)
        return;
    const auto row = m_services.workspace->outbox()->get(id);
    if (!row || !m_ledger.update(*row))
        return;
    Q_EMIT progressed();
    finishIfSettled();
}

void ImportRun::finishIfSettled()
{
    if (m_stage == Stage::Sending && !m_queueing && m_ledger.counts().waiting == 0) {
        resume();
        m_stage = Stage::Done;
        Q_EMIT finished();
    }
}

void ImportRun::cancel()
{
    if (m_stage != Stage::Queueing && m_stage != Stage::Sending)
        return;
    // Parts still going into the outbox are cancelled as each is stored.
    m_cancelRequested = true;
    cancelWaiting();
    finishIfSettled();
}

void ImportRun::cancelWaiting()
{
    Outbox *outbox = m_services.workspace->outbox();
    for (const qint64 id : m_ledger.waitingIds()) {
        // Pending rows go; a row in flight cannot be called back, and
        // settles as the server answers it.
        if (outbox->cancel(id)) {
            if (const auto row = outbox->get(id))
                m_ledger.update(*row);
        }
    }
    Q_EMIT progressed();
}

void ImportRun::pause()
{
    if ((m_stage != Stage::Queueing && m_stage != Stage::Sending) || m_paused)
        return;
    m_paused = true;
    m_pausedSince.start();
    m_pausedEngine = m_services.engine;
    m_pausedEngine->setPaused(true);
    Q_EMIT pausedChanged(true);
    Q_EMIT progressed();
}

void ImportRun::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    m_pausedMs += m_pausedSince.elapsed();
    m_services.engine->setPaused(false);
    Q_EMIT pausedChanged(false);
    Q_EMIT progressed();
}

ImportRun::Progress ImportRun::progress() const
{
    Progress p;
    p.counts = m_ledger.counts();
    if (m_stage == Stage::Sending || m_stage == Stage::Done) {
        const qint64 pausedMs = m_pausedMs + (m_paused ? m_pausedSince.elapsed() : 0);
        const double seconds = qMax<qint64>(1, m_sending.elapsed() - pausedMs) / 1000.0;
        const int settled = p.counts.sent + p.counts.duplicate + p.counts.refused;
        p.perSecond = settled / seconds;
        if (p.perSecond > 0)
            p.secondsLeft = qRound(p.counts.waiting / p.perSecond);
    }
    return p;
}

bool ImportRun::writeReport(const QString &path, QString *error) const
{
    return m_ledger.writeReport(path, error);
}

} // namespace cdesk
