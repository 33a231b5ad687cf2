#include "JobPicker.h"

#include "FieldMarks.h"
#include "core/Clock.h"
#include "intake/JobDirectory.h"

#include <QAbstractListModel>
#include <QEvent>
#include <QFont>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPointer>
#include <QScopedValueRollback>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

enum JobRole {
    JobIdRole = Qt::UserRole + 1, // qint64; invalid for the Talent Pool
    KindRole, // RowKind
    OpenRole, // bool
    SearchTextRole, // title, department and location, folded for matching
};

enum class RowKind { TalentPool, Unknown, Job };

// Case- and accent-insensitive, so "sao" finds "São Paulo" and "ENG" finds "Engineering".
QString searchKey(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString key;
    key.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            key.append(c);
    }
    return key.toCaseFolded();
}

QString describe(const Job &job)
{
    QStringList where;
    if (!job.department.isEmpty())
        where.append(job.department);
    if (!job.location.isEmpty())
        where.append(job.location);
    //: A job in the picker: %1 its title, %2 its department and location
    QString text = where.isEmpty() ? job.title
                                   : JobPicker::tr("%1 — %2").arg(job.title, where.join(u" · "_s));
    if (!job.open)
        text += u' ' + JobPicker::tr("(closed)");
    return text;
}

// Row 0 is the Talent Pool, always. Row 1 is "Job #id" while the chosen job
// is not in the list (a draft or a server record naming a job the list does
// not have); then the jobs in the order the API gave them.
class JobListModel : public QAbstractListModel
{
public:
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(firstJobRow() + m_jobs.size());
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const int row = index.row();
        const RowKind kind = kindOf(row);
        switch (role) {
        case Qt::DisplayRole:
        case Qt::ToolTipRole:
        case Qt::AccessibleTextRole:
            switch (kind) {
            case RowKind::TalentPool:
                return JobPicker::tr("Talent Pool (no job)");
            case RowKind::Unknown:
                if (role == Qt::ToolTipRole) {
                    return JobPicker::tr("This job is not in the list of open jobs. Refresh the "
                                         "list, or choose another job.");
                }
                return JobPicker::tr("Job #%1").arg(*m_unknownId);
            case RowKind::Job:
                return describe(jobAt(row));
            }
            break;
        case Qt::FontRole:
            if (kind != RowKind::Job) {
                QFont font;
                font.setItalic(true);
                return font;
            }
            break;
        case JobIdRole:
            switch (kind) {
            case RowKind::TalentPool:
                return {};
            case RowKind::Unknown:
                return *m_unknownId;
            case RowKind::Job:
                return jobAt(row).id;
            }
            break;
        case KindRole:
            return int(kind);
        case OpenRole:
            return kind != RowKind::Job || jobAt(row).open;
        case SearchTextRole:
            return kind == RowKind::Job ? m_searchKeys.at(row - firstJobRow()) : QString();
        default:
            break;
        }
        return {};
    }

    QHash<int, QByteArray> roleNames() const override
    {
        QHash<int, QByteArray> names = QAbstractListModel::roleNames();
        names.insert(JobIdRole, "jobId");
        names.insert(KindRole, "kind");
        names.insert(OpenRole, "open");
        names.insert(SearchTextRole, "searchText");
        return names;
    }

    void setJobs(const QList<Job> &jobs)
    {
        beginResetModel();
        m_jobs = jobs;
        m_searchKeys.clear();
        m_searchKeys.reserve(jobs.size());
        for (const Job &job : jobs)
            m_searchKeys.append(searchKey(job.title + u' ' + job.department + u' ' + job.location));
        endResetModel();
    }

    const QList<Job> &jobs() const { return m_jobs; }

    const Job *jobById(qint64 id) const
    {
        for (const Job &job : m_jobs) {
            if (job.id == id)
                return &job;
        }
        return nullptr;
    }

    // Shows "Job #id" for a chosen job the list does not have; nullopt removes it.
    void setUnknownId(const std::optional<qint64> &id)
    {
        if (id == m_unknownId)
            return;
        if (m_unknownId && id) {
            m_unknownId = id;
            Q_EMIT dataChanged(index(1), index(1));
        } else if (id) {
            beginInsertRows({}, 1, 1);
            m_unknownId = id;
            endInsertRows();
        } else {
            beginRemoveRows({}, 1, 1);
            m_unknownId.reset();
            endRemoveRows();
        }
    }

    // The row that stands for this choice; -1 when there is none.
    int rowOf(const std::optional<qint64> &id) const
    {
        if (!id)
            return 0;
        if (m_unknownId == id)
            return 1;
        for (int i = 0; i < m_jobs.size(); ++i) {
            if (m_jobs.at(i).id == *id)
                return firstJobRow() + i;
        }
        return -1;
    }

private:
    int firstJobRow() const { return m_unknownId ? 2 : 1; }
    RowKind kindOf(int row) const
    {
        if (row == 0)
            return RowKind::TalentPool;
        if (m_unknownId && row == 1)
            return RowKind::Unknown;
        return RowKind::Job;
    }
    const Job &jobAt(int row) const { return m_jobs.at(row - firstJobRow()); }

    QList<Job> m_jobs;
    QStringList m_searchKeys;
    std::optional<qint64> m_unknownId;
};

// Keeps the Talent Pool and the chosen job in sight, hides closed jobs, and
// keeps the jobs whose title, department or location hold every word typed.
class JobFilterModel : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setSearch(const QString &text)
    {
        const QStringList words = searchKey(text).split(u' ', Qt::SkipEmptyParts);
        if (words == m_words)
            return;
        m_words = words;
        invalidateFilter();
    }

    void setChosenId(const std::optional<qint64> &id)
    {
        if (id == m_chosenId)
            return;
        m_chosenId = id;
        invalidateFilter(); // a closed job shows while it is the chosen one
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override
    {
        const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
        if (RowKind(index.data(KindRole).toInt()) != RowKind::Job)
            return true;
        const bool chosen = m_chosenId && index.data(JobIdRole).toLongLong() == *m_chosenId;
        if (!index.data(OpenRole).toBool() && !chosen)
            return false;
        const QString text = index.data(SearchTextRole).toString();
        return std::all_of(m_words.cbegin(), m_words.cend(),
                           [&](const QString &word) { return text.contains(word); });
    }

private:
    QStringList m_words;
    std::optional<qint64> m_chosenId;
};

QString ageText(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds); // a clock a little behind the server's
    if (seconds < 60)
        return JobPicker::tr("less than a minute ago");
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return JobPicker::tr("%n min ago", nullptr, int(minutes));
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return JobPicker::tr("%n hour(s) ago", nullptr, int(hours));
    const qint64 days = qMin<qint64>(hours / 24, std::numeric_limits<int>::max());
    return JobPicker::tr("%n day(s) ago", nullptr, int(days));
}

} // namespace

// QObject for the search field's key filter.
class JobPicker::Private : public QObject
{
public:
    JobPicker *q = nullptr;
    Clock *m_clock = nullptr;
    QPointer<JobDirectory> m_directory;
    QMetaObject::Connection m_directoryConnections[4];
    QLineEdit *m_search = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_chosen = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QToolButton *m_refresh = nullptr;
    JobListModel *m_model = nullptr;
    JobFilterModel *m_filter = nullptr;
    QTimer *m_ageTimer = nullptr;

    std::optional<qint64> m_chosenId;
    QDateTime m_fetchedAt;
    bool m_fromCache = false;
    bool m_loaded = false;
    bool m_loading = false;
    // Set while the picker moves the selection itself, so that is not taken
    // for the recruiter's choice.
    bool m_syncing = false;

    std::optional<qint64> idAt(const QModelIndex &proxyIndex) const
    {
        const QVariant id = proxyIndex.data(JobIdRole);
        if (!id.isValid())
            return std::nullopt;
        return id.toLongLong();
    }

    void choose(const std::optional<qint64> &id, bool byRecruiter)
    {
        if (byRecruiter)
            q->setError({}); // the recruiter answered whatever the message asked
        if (id == m_chosenId) {
            syncSelection();
            return;
        }
        m_chosenId = id;
        m_syncing = true;
        m_model->setUnknownId(id && !m_model->jobById(*id) ? id : std::nullopt);
        m_filter->setChosenId(id);
        m_syncing = false;
        syncSelection();
        updateChosenLabel();
        Q_EMIT q->changed();
    }

    // The chosen row is the selected one whenever it is in sight.
    void syncSelection()
    {
        const QScopedValueRollback guard(m_syncing, true);
        const int row = m_model->rowOf(m_chosenId);
        const QModelIndex index
            = row >= 0 ? m_filter->mapFromSource(m_model->index(row)) : QModelIndex();
        if (index.isValid()) {
            m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
            m_list->scrollTo(index);
        } else {
            m_list->selectionModel()->clearSelection();
        }
    }

    void updateChosenLabel()
    {
        const int row = m_model->rowOf(m_chosenId);
        const QString text = row >= 0 ? m_model->index(row).data().toString() : q->jobTitle();
        m_chosen->setText(JobPicker::tr("Chosen: %1").arg(text));
    }

    void updateStatus()
    {
        if (m_loading) {
            const int soFar = m_directory ? m_directory->loadedSoFar() : 0;
            const int total = m_directory ? m_directory->expectedTotal() : 0;
            if (soFar > 0 && total > 0)
                m_status->setText(JobPicker::tr("Loading jobs… %L1 of %L2").arg(soFar).arg(total));
            else if (soFar > 0)
                m_status->setText(JobPicker::tr("Loading jobs… %Ln so far", nullptr, soFar));
            else
                m_status->setText(JobPicker::tr("Loading jobs…"));
            return;
        }
        if (!m_loaded) {
            m_status->setText(JobPicker::tr("Jobs not loaded yet: refresh to fetch them."));
            return;
        }
        const QString age
            = m_fetchedAt.isValid() ? ageText(m_fetchedAt.secsTo(m_clock->now())) : QString();
        if (m_fromCache) {
            m_status->setText(age.isEmpty()
                                  ? JobPicker::tr("Offline — jobs from an earlier session")
                                  : JobPicker::tr("Offline — jobs from %1").arg(age));
            return;
        }
        const auto open = std::count_if(m_model->jobs().cbegin(), m_model->jobs().cend(),
                                        [](const Job &job) { return job.open; });
        const QString count = JobPicker::tr("%n open job(s)", nullptr, int(open));
        m_status->setText(age.isEmpty() ? count : JobPicker::tr("%1, updated %2").arg(count, age));
    }

    // The first job that matches what was typed, below the pinned rows.
    QModelIndex firstMatch() const
    {
        for (int row = 0; row < m_filter->rowCount(); ++row) {
            const QModelIndex index = m_filter->index(row, 0);
            if (RowKind(index.data(KindRole).toInt()) == RowKind::Job)
                return index;
        }
        return m_filter->index(0, 0);
    }

    void step(int delta)
    {
        const int rows = m_filter->rowCount();
        if (rows == 0)
            return;
        const QModelIndex current = m_list->selectionModel()->currentIndex();
        const bool inSight = current.isValid() && m_list->selectionModel()->isSelected(current);
        QModelIndex next;
        if (!inSight || (delta > 0 && !m_search->text().isEmpty() && current.row() == 0))
            next = delta > 0 ? firstMatch() : m_filter->index(0, 0);
        else
            next = m_filter->index(qBound(0, current.row() + delta, rows - 1), 0);
        choose(idAt(next), true);
    }

protected:
    // Typing filters; Up and Down walk the list and Enter takes what is
    // highlighted (or the first match), without leaving the search field.
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched != m_search || event->type() != QEvent::KeyPress)
            return false;
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() & ~Qt::KeypadModifier)
            return false;
        switch (key->key()) {
        case Qt::Key_Down:
            step(1);
            return true;
        case Qt::Key_Up:
            step(-1);
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter: {
            const QModelIndex current = m_list->selectionModel()->currentIndex();
            const bool inSight = current.isValid() && m_list->selectionModel()->isSelected(current);
            // Typed and pressed Enter: the recruiter means the first match,
            // unless they already walked to a job.
            if (!inSight || (!m_search->text().isEmpty() && current.row() == 0))
                choose(idAt(firstMatch()), true);
            else
                choose(idAt(current), true);
            return true; // not the window's default button
        }
        default:
            return false;
        }
    }
};

JobPicker::JobPicker(QWidget *parent)
    : JobPicker(Clock::system(), parent)
{ }

JobPicker::JobPicker(Clock *clock, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->m_clock = clock;
    d->m_search = new QLineEdit(this);
    d->m_search->setObjectName(u"jobSearch"_s);
    d->m_search->setPlaceholderText(tr("Search jobs by title, department or location"));
    d->m_search->setClearButtonEnabled(true);
    d->m_search->setAccessibleName(tr("Search jobs"));

    d->m_model = new JobListModel(this);
    d->m_model->setObjectName(u"jobModel"_s);
    d->m_filter = new JobFilterModel(this);
    d->m_filter->setObjectName(u"jobFilterModel"_s);
    d->m_filter->setSourceModel(d->m_model);

    d->m_list = new QListView(this);
    d->m_list->setObjectName(u"jobList"_s);
    d->m_list->setModel(d->m_filter);
    d->m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    d->m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->m_list->setUniformItemSizes(true);
    d->m_list->setAccessibleName(tr("Jobs"));
    // About seven rows: enough to choose from without pushing the rest of the form away.
    d->m_list->setMinimumHeight(d->m_list->fontMetrics().height() * 5);
    d->m_list->setMaximumHeight(d->m_list->fontMetrics().height() * 10);

    d->m_chosen = new QLabel(this);
    d->m_chosen->setObjectName(u"jobChosen"_s);
    d->m_chosen->setWordWrap(true);
    d->m_error = errorLabel(u"jobError"_s, this);
    d->m_status = new QLabel(this);
    d->m_status->setObjectName(u"jobStatus"_s);
    d->m_status->setWordWrap(true);
    d->m_refresh = new QToolButton(this);
    d->m_refresh->setObjectName(u"jobRefresh"_s);
    d->m_refresh->setText(tr("Refresh"));
    d->m_refresh->setToolTip(tr("Fetch the list of jobs again"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->m_search);
    layout->addWidget(d->m_list);
    layout->addWidget(d->m_chosen);
    layout->addWidget(d->m_error);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(d->m_status, 1);
    statusRow->addWidget(d->m_refresh);
    layout->addLayout(statusRow);
    setFocusProxy(d->m_search);

    d->m_search->installEventFilter(d.get());
    connect(d->m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        {
            const QScopedValueRollback guard(d->m_syncing, true);
            d->m_filter->setSearch(text);
        }
        d->syncSelection();
        if (!text.isEmpty())
            d->m_list->scrollToTop();
    });
    const auto pick = [this](const QModelIndex &index) {
        if (index.isValid())
            d->choose(d->idAt(index), true);
    };
    connect(d->m_list, &QListView::clicked, this, pick);
    connect(d->m_list, &QListView::activated, this, pick);
    // Arrow keys in the list itself move the selection: that is a choice too.
    connect(d->m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (!d->m_syncing && current.isValid()
                    && d->m_list->selectionModel()->isSelected(current))
                    d->choose(d->idAt(current), true);
            });
    connect(d->m_refresh, &QToolButton::clicked, this, [this] {
        // While a long list loads the button stops it; the list shown stays.
        if (d->m_loading && d->m_directory) {
            d->m_directory->cancel();
            return;
        }
        Q_EMIT refreshRequested();
        if (d->m_directory)
            d->m_directory->load();
    });

    // "3 min ago" has to keep telling the truth while the window stays open.
    d->m_ageTimer = new QTimer(this);
    d->m_ageTimer->setInterval(30 * 1000);
    connect(d->m_ageTimer, &QTimer::timeout, this, [this] { d->updateStatus(); });

    d->updateStatus();
    d->updateChosenLabel();
    d->syncSelection();
}

JobPicker::~JobPicker()
{
    d->m_search->removeEventFilter(d.get());
}

std::optional<qint64> JobPicker::jobId() const
{
    return d->m_chosenId;
}

void JobPicker::setJobId(const std::optional<qint64> &id)
{
    d->choose(id && *id > 0 ? id : std::nullopt, false);
}

QString JobPicker::jobTitle() const
{
    if (!d->m_chosenId)
        return tr("Talent Pool");
    if (const Job *job = d->m_model->jobById(*d->m_chosenId))
        return job->title;
    return tr("Job #%1").arg(*d->m_chosenId);
}

void JobPicker::setJobs(const QList<Job> &jobs, const QDateTime &fetchedAt, bool fromCache)
{
    {
        const QScopedValueRollback guard(d->m_syncing, true);
        d->m_model->setJobs(jobs);
        const auto chosen = d->m_chosenId;
        d->m_model->setUnknownId(chosen && !d->m_model->jobById(*chosen) ? chosen : std::nullopt);
    }
    d->m_fetchedAt = fetchedAt;
    d->m_fromCache = fromCache;
    d->m_loaded = true;
    setLoading(false);
    if (!fromCache)
        setError({}); // a fresh list answers a failed refresh
    d->syncSelection();
    d->updateChosenLabel();
    d->updateStatus();
    d->m_ageTimer->start();
}

void JobPicker::setLoading(bool loading)
{
    d->m_loading = loading;
    // Bound to a directory, the button stops a load in progress; otherwise
    // there is nothing to stop.
    const bool canStop = loading && d->m_directory;
    d->m_refresh->setEnabled(!loading || canStop);
    d->m_refresh->setText(canStop ? tr("Stop") : tr("Refresh"));
    d->m_refresh->setToolTip(canStop ? tr("Stop fetching the list of jobs")
                                     : tr("Fetch the list of jobs again"));
    d->updateStatus();
}

void JobPicker::setError(const QString &message)
{
    d->m_error->setText(message);
    d->m_error->setVisible(!message.isEmpty());
    markInvalid(d->m_list, !message.isEmpty());
    d->m_search->setAccessibleDescription(message);
}

void JobPicker::focusSearch()
{
    d->m_search->setFocus(Qt::ShortcutFocusReason);
    d->m_search->selectAll();
}

void JobPicker::bind(JobDirectory *directory)
{
    for (const auto &connection : d->m_directoryConnections)
        QObject::disconnect(connection);
    d->m_directory = directory;
    if (!directory)
        return;
    d->m_clock = directory->clock();
    auto showJobs = [this] {
        setJobs(d->m_directory->jobs(), d->m_directory->fetchedAt(), d->m_directory->fromCache());
    };
    auto showState = [this] {
        setLoading(d->m_directory->state() == JobDirectory::State::Loading);
    };
    d->m_directoryConnections[0] = connect(directory, &JobDirectory::jobsChanged, this, showJobs);
    d->m_directoryConnections[1] = connect(directory, &JobDirectory::stateChanged, this, showState);
    // A refused token is about the list: the picker says so where the jobs would be.
    d->m_directoryConnections[2] = connect(directory, &JobDirectory::loaded, this, [this] {
        if (d->m_directory->tokenRefused())
            setError(d->m_directory->errorMessage());
    });
    d->m_directoryConnections[3]
        = connect(directory, &JobDirectory::progress, this, [this] { d->updateStatus(); });
    if (directory->hasList())
        showJobs();
    showState();
}

} // namespace cdesk
