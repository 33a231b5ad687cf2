#include "HistoryModel.h"

#include <QCache>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

// Debug level says which pages are read: "cdesk.history.model.debug=true"
// shows what the view costs as it scrolls, and the tests count the reads.
Q_LOGGING_CATEGORY(lcHistoryModel, "cdesk.history.model", QtInfoMsg)

namespace cdesk {

namespace {

// A screenful is 30 to 60 rows: one page covers it and the rows either side,
// so scrolling reads a page every few screens. Eight more pages (1,600 rows,
// about 2 MB) cover scrolling back and forth without holding the history.
constexpr int PageSize = 200;
constexpr int CachedPages = 8;

bool sameFilter(const HistoryFilter &a, const HistoryFilter &b)
{
    return a.text == b.text && a.state == b.state && a.jobId == b.jobId && a.from == b.from
        && a.to == b.to;
}

} // namespace

class HistoryModel::Private
{
public:
    explicit Private(HistoryModel *q, HistoryStore *store)
        : q(q)
        , m_store(store)
    { }

    const Submission *rowAt(int row) const;
    QList<Submission> load(int page) const;
    void clear() const;
    QString jobText(const std::optional<qint64> &jobId) const;
    static QString statusText(SubmissionState state);
    QString display(const Submission &s, int column) const;

    HistoryModel *q;
    HistoryStore *m_store;
    HistoryFilter m_filter;
    QHash<qint64, QString> m_jobTitles;
    // Everything below is a cache of the store for the current filter, filled
    // from const data() and dropped by refresh() and setFilter().
    mutable int m_count = -1; // -1: not counted yet
    // The first page is kept apart and never evicted: it is what the view
    // shows first, and refresh() compares its first row with the store to
    // tell new rows on top (the usual change) from anything else.
    mutable std::optional<QList<Submission>> m_first;
    mutable QCache<int, QList<Submission>> m_pages { CachedPages };
};

QList<Submission> HistoryModel::Private::load(int page) const
{
    qCDebug(lcHistoryModel).nospace() << "reading page " << page << " (rows " << page * PageSize
                                      << " to " << (page + 1) * PageSize - 1 << ")";
    return m_store->page(m_filter, page * PageSize, PageSize);
}

const Submission *HistoryModel::Private::rowAt(int row) const
{
    if (row < 0 || row >= q->rowCount())
        return nullptr;
    const int page = row / PageSize;
    const int offset = row % PageSize;
    const QList<Submission> *rows = nullptr;
    if (page == 0) {
        if (!m_first)
            m_first = load(0);
        rows = &*m_first;
    } else {
        rows = m_pages.object(page);
        if (!rows) {
            // Cached even when short or empty (the store changed since the
            // count, or could not be read): each repaint would read it again.
            // refresh() drops it.
            auto *loaded = new QList<Submission>(load(page));
            rows = loaded;
            m_pages.insert(page, loaded);
        }
    }
    return offset < rows->size() ? &rows->at(offset) : nullptr;
}

void HistoryModel::Private::clear() const
{
    m_count = -1;
    m_first.reset();
    m_pages.clear();
}

QString HistoryModel::Private::jobText(const std::optional<qint64> &jobId) const
{
    if (!jobId)
        return tr("Talent Pool");
    const auto title = m_jobTitles.constFind(*jobId);
    return title != m_jobTitles.cend() ? *title : u"#%1"_s.arg(*jobId);
}

QString HistoryModel::Private::statusText(SubmissionState state)
{
    return stateLabel(state);
}

QString HistoryModel::Private::display(const Submission &s, int column) const
{
    switch (column) {
    case Time:
        return s.createdAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s);
    case Name:
        return s.candidate.name;
    case Email:
        return s.candidate.email;
    case Job:
        return jobText(s.candidate.jobId);
    case Source:
        return s.candidate.source;
    case Status:
        return statusText(s.state);
    case ServerId:
        return s.serverId ? u"#%1"_s.arg(*s.serverId) : QString();
    default:
        return {};
    }
}

HistoryModel::HistoryModel(HistoryStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , d(std::make_unique<Private>(this, store))
{ }

HistoryModel::~HistoryModel() = default;

void HistoryModel::setFilter(const HistoryFilter &filter)
{
    // The search box re-applies its filter as the recruiter types and erases:
    // the same filter again must not throw the view back to the top.
    if (sameFilter(filter, d->m_filter))
        return;
    beginResetModel();
    d->m_filter = filter;
    d->clear();
    endResetModel();
}

HistoryFilter HistoryModel::filter() const
{
    return d->m_filter;
}

// Most changes are new rows on top (a submission just made) or rows changing
// state in place (sent, failed). Both keep the recruiter's scroll position,
// selection and current row: new rows are announced as inserted at row 0 and
// the rest as changed. Anything else (a row leaving a status filter, a change
// of more than a page of rows, rows never looked at) resets the model: always
// correct, and QTableView then keeps its scroll value but forgets the selection.
void HistoryModel::refresh()
{
    if (d->m_count < 0) {
        // Nothing was counted or shown: there is nothing to keep.
        beginResetModel();
        d->clear();
        endResetModel();
        return;
    }
    const int oldCount = d->m_count;
    const int newCount = d->m_store->count(d->m_filter);
    if (d->m_first && !d->m_first->isEmpty() && newCount >= oldCount) {
        const int added = newCount - oldCount;
        const qint64 anchor = d->m_first->constFirst().id;
        QList<Submission> fresh = d->m_store->page(d->m_filter, 0, PageSize);
        if (added < fresh.size() && fresh.at(added).id == anchor) {
            // Until the insert is announced, the view (and the model tester)
            // still reads the old rows: swap the caches inside begin/end.
            auto swap = [&] {
                d->clear();
                d->m_count = newCount;
                d->m_first = std::move(fresh);
            };
            if (added > 0) {
                beginInsertRows({}, 0, added - 1);
                swap();
                endInsertRows();
            } else {
                swap();
            }
            if (newCount > added) {
                Q_EMIT dataChanged(index(added, 0), index(newCount - 1, ColumnCount - 1));
            }
            return;
        }
    }
    beginResetModel();
    d->clear();
    d->m_count = newCount;
    endResetModel();
}

void HistoryModel::setJobTitles(const QHash<qint64, QString> &titles)
{
    d->m_jobTitles = titles;
    const int rows = rowCount();
    if (rows > 0)
        Q_EMIT dataChanged(index(0, Job), index(rows - 1, Job), { Qt::DisplayRole });
}

std::optional<Submission> HistoryModel::submissionAt(int row) const
{
    if (const Submission *s = d->rowAt(row))
        return *s;
    return std::nullopt;
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    if (d->m_count < 0)
        d->m_count = d->m_store->count(d->m_filter);
    return d->m_count;
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    // Not checkIndex(IndexIsValid): it warns, and views do ask about invalid indexes.
    if (!index.isValid() || index.model() != this || index.column() >= ColumnCount)
        return {};
    // Only the roles below read the store: a view asks for many more
    // (font, colours, decoration) on every paint.
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case SubmissionIdRole:
    case StateRole:
        break;
    default:
        return {};
    }
    const Submission *s = d->rowAt(index.row());
    if (!s)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return d->display(*s, index.column());
    case Qt::ToolTipRole:
        return s->lastError.isEmpty() ? QVariant() : QVariant(s->lastError);
    case SubmissionIdRole:
        return s->id;
    case StateRole:
        return int(s->state);
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Name:
        return tr("Name");
    case Email:
        return tr("Email");
    case Job:
        return tr("Job");
    case Source:
        return tr("Source");
    case Status:
        return tr("Status");
    case ServerId:
        return tr("Server ID");
    }
    return {};
}

} // namespace cdesk
