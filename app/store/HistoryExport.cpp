#include "HistoryExport.h"

#include "core/CsvLine.h"

#include <QSaveFile>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

constexpr int PageSize = 500; // rows read and written per turn of the event loop
constexpr int Overlap = 50; // rows read again per page, see Private::step()

// Newest first: created_at, then id, as HistoryStore::page() orders.
bool isOlder(const Submission &s, const QDateTime &createdAt, qint64 id)
{
    return s.createdAt < createdAt || (s.createdAt == createdAt && s.id < id);
}

// One export in progress.
struct Run
{
    HistoryFilter filter;
    QSaveFile file;
    int offset = 0; // where the next page is read
    int written = 0;
    int total = 0; // the count when the export started, for the progress only
    QDateTime lastCreatedAt; // the last row written: the next must be older
    qint64 lastId = 0;
};

} // namespace

class HistoryExport::Private
{
public:
    Private(HistoryExport *q, HistoryStore *store)
        : q(q)
        , m_store(store)
    { }

    void scheduleStep();
    void step();
    void end(Outcome outcome, const QString &error = {});
    QString jobText(const std::optional<qint64> &jobId) const;
    QByteArray rowLine(const Submission &s) const;

    HistoryExport *q;
    HistoryStore *m_store;
    QHash<qint64, QString> m_jobTitles;
    std::unique_ptr<Run> m_run;
    // Tells a queued step of a cancelled export from one of the next export.
    quint64 m_generation = 0;
};

void HistoryExport::Private::scheduleStep()
{
    QTimer::singleShot(0, q, [this, generation = m_generation] {
        if (m_run && generation == m_generation)
            step();
    });
}

// The store may change while the export runs (new rows on top, rows leaving
// a status filter), which shifts offsets: each page starts Overlap rows
// early, rows not older than the last one written are skipped, and a page
// that starts past the last row written is read again from further back. So
// no row is written twice or missed.
void HistoryExport::Private::step()
{
    const quint64 generation = m_generation; // a progress() listener may cancel
    Run &run = *m_run;
    const QList<Submission> page = m_store->page(run.filter, run.offset, PageSize);
    // Each page after the first overlaps the one before, so it starts at or
    // before the last row written. One that starts after it (or is empty)
    // means rows before it left the filter: look back.
    if (run.written > 0 && run.offset > 0
        && (page.isEmpty() || isOlder(page.constFirst(), run.lastCreatedAt, run.lastId))) {
        run.offset = qMax(0, run.offset - PageSize);
        scheduleStep();
        return;
    }
    for (const Submission &s : page) {
        if (run.written > 0 && !isOlder(s, run.lastCreatedAt, run.lastId))
            continue;
        run.file.write(rowLine(s));
        run.lastCreatedAt = s.createdAt;
        run.lastId = s.id;
        ++run.written;
    }
    if (run.file.error() != QFileDevice::NoError) {
        end(Outcome::Failed, run.file.errorString());
        return;
    }
    if (page.size() == PageSize) {
        run.offset += PageSize - Overlap;
        Q_EMIT q->progress(qMin(run.written, run.total), run.total);
        if (generation == m_generation)
            scheduleStep();
        return;
    }
    // page() answers an unreadable store with no rows, as it answers the end.
    if (page.isEmpty() && run.offset < m_store->count(run.filter)) {
        end(Outcome::Failed, tr("the history could not be read."));
        return;
    }
    // Told before the commit: a cancel that comes with it still leaves no file.
    Q_EMIT q->progress(run.written, run.written);
    if (generation != m_generation)
        return;
    if (!run.file.commit()) {
        end(Outcome::Failed, run.file.errorString());
        return;
    }
    end(Outcome::Written);
}

void HistoryExport::Private::end(Outcome outcome, const QString &error)
{
    Result result;
    result.outcome = outcome;
    result.path = m_run->file.fileName();
    result.rows = outcome == Outcome::Written ? m_run->written : 0;
    result.error = error;
    // A QSaveFile that was not committed removes what it wrote.
    m_run.reset();
    ++m_generation;
    Q_EMIT q->finished(result);
}

QString HistoryExport::Private::jobText(const std::optional<qint64> &jobId) const
{
    if (!jobId || *jobId == 0)
        return tr("Talent Pool");
    return m_jobTitles.value(*jobId, u"#%1"_s.arg(*jobId));
}

QByteArray HistoryExport::Private::rowLine(const Submission &s) const
{
    return csvLine({ s.createdAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s), s.candidate.name,
                     s.candidate.email, s.candidate.phone, jobText(s.candidate.jobId),
                     s.candidate.source, stateLabel(s.state),
                     s.serverId ? QString::number(*s.serverId) : QString(), s.lastError,
                     s.originalResumeName, s.candidate.resumeUrl.toString() });
}

HistoryExport::HistoryExport(HistoryStore *store, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, store))
{ }

HistoryExport::~HistoryExport() = default;

void HistoryExport::setJobTitles(const QHash<qint64, QString> &titles)
{
    d->m_jobTitles = titles;
}

bool HistoryExport::start(const HistoryFilter &filter, const QString &path)
{
    if (d->m_run || path.isEmpty())
        return false;
    d->m_run = std::make_unique<Run>();
    Run &run = *d->m_run;
    run.filter = filter;
    run.file.setFileName(path);
    if (!run.file.open(QIODevice::WriteOnly)) {
        // Told like every other end: later, through finished().
        const QString why = run.file.errorString();
        QTimer::singleShot(0, this, [this, generation = d->m_generation, why] {
            if (d->m_run && generation == d->m_generation)
                d->end(Outcome::Failed, why);
        });
        return true;
    }
    run.total = d->m_store->count(filter);
    // The byte order mark tells spreadsheets the file is UTF-8, so "Élodie"
    // and "Müller" open as written.
    run.file.write("\xEF\xBB\xBF");
    run.file.write(csvLine({ tr("Time"), tr("Name"), tr("Email"), tr("Phone"), tr("Job"),
                             tr("Source"), tr("Status"), tr("Server ID"), tr("Error"),
                             tr("Resume file"), tr("Resume link") }));
    d->scheduleStep();
    return true;
}

void HistoryExport::cancel()
{
    if (d->m_run)
        d->end(Outcome::Cancelled);
}

bool HistoryExport::isRunning() const
{
    return d->m_run != nullptr;
}

} // namespace cdesk
