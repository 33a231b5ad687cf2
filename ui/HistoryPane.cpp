#include "HistoryPane.h"

#include "Dialogs.h"
#include "HistoryDetails.h"
#include "store/HistoryExport.h"
#include "store/HistoryModel.h"
#include "store/HistoryStore.h"

#include <QCalendarWidget>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

constexpr int SearchDelayMs = 200; // typing "asha" runs one query, not four
constexpr int RefreshIntervalMs = 250; // a CSV import changes rows many times a second

// A QDateEdit cannot be empty: its minimum stands for "any date" and shows
// as the special value text.
const QDate AnyDate(2000, 1, 1);

// Failed and needs-a-decision rows stand out, so the recruiter sees at a
// glance what waits for them. A delegate, not a model role: the model is
// QtCore only, and no per-row widget is created.
class StatusDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const auto state = SubmissionState(index.data(HistoryModel::StateRole).toInt());
        if (isHeld(state)) {
            option->font.setBold(true);
            if (!(option->state & QStyle::State_Selected)) {
                option->palette.setColor(QPalette::Text,
                                         state == SubmissionState::Failed
                                             ? QColor(0xb9, 0x1c, 0x1c)
                                             : QColor(0xb4, 0x53, 0x09));
            }
        }
    }
};

// With "any date" the calendar would open in January 2000: open it on today.
// The calendar is made only when it is first opened (a mouse press on the
// arrow, or F4 / Alt+Down): two calendars cost more than the table to build.
class OpenOnToday : public QObject
{
public:
    explicit OpenOnToday(QDateEdit *edit)
        : QObject(edit)
        , m_edit(edit)
    {
        edit->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        const auto type = event->type();
        if (watched == m_edit && !m_calendar
            && (type == QEvent::MouseButtonPress || type == QEvent::KeyPress)) {
            m_calendar = m_edit->calendarWidget();
            m_calendar->installEventFilter(this);
        } else if (watched == m_calendar && type == QEvent::Show && m_edit->date() == AnyDate) {
            const QDate today = QDate::currentDate();
            m_calendar->setCurrentPage(today.year(), today.month());
        }
        return false;
    }

private:
    QDateEdit *m_edit;
    QCalendarWidget *m_calendar = nullptr;
};

} // namespace

class HistoryPane::Private
{
public:
    Private(HistoryPane *q, HistoryStore *store)
        : q(q)
        , m_store(store)
        , m_model(new HistoryModel(store, q))
        , m_exportJob(new HistoryExport(store, q))
    {
        m_exportJob->setObjectName(u"historyExportJob"_s);
    }

    void buildUi();
    HistoryFilter filterFromUi() const;
    void applyFilter();
    void refreshNow();
    void updateCount();
    void showCurrent();
    void updateButtons();
    void fillJobs();
    QString jobText(const std::optional<qint64> &jobId) const;
    void exportTo(const QString &path);
    void exportProgress(int done, int total);
    void exportFinished(const HistoryExport::Result &result);

    HistoryPane *q;
    HistoryStore *m_store;
    HistoryModel *m_model;
    QHash<qint64, QString> m_jobTitles;

    QLineEdit *m_search = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_job = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QToolButton *m_anyDate = nullptr;
    QTableView *m_table = nullptr;
    HistoryDetails *m_details = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_exportStatus = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_update = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_cancelExport = nullptr;

    QTimer m_searchTimer;
    QTimer m_refreshTimer;
    bool m_refreshPending = false;
    std::optional<Submission> m_current; // what the details and the buttons are about
    HistoryExport *m_exportJob;
};

void HistoryPane::Private::buildUi()
{
    m_search = new QLineEdit;
    m_search->setObjectName(u"historySearch"_s);
    m_search->setPlaceholderText(tr("Search name, email or #server id"));
    m_search->setClearButtonEnabled(true);

    m_status = new QComboBox;
    m_status->setObjectName(u"historyStatus"_s);
    m_status->setAccessibleName(tr("Status"));
    m_status->addItem(tr("Any status"), -1);
    for (auto state :
         { SubmissionState::Pending, SubmissionState::Sending, SubmissionState::Sent,
           SubmissionState::Failed, SubmissionState::NeedsDecision, SubmissionState::Cancelled })
        m_status->addItem(HistoryDetails::statusText(state), int(state));

    m_job = new QComboBox;
    m_job->setObjectName(u"historyJob"_s);
    m_job->setAccessibleName(tr("Job"));
    m_job->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    fillJobs();

    auto makeDate = [&](const QString &name, const QString &accessible) {
        auto *edit = new QDateEdit;
        edit->setObjectName(name);
        edit->setAccessibleName(accessible);
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(u"yyyy-MM-dd"_s);
        edit->setMinimumDate(AnyDate);
        edit->setSpecialValueText(tr("Any date"));
        edit->setDate(AnyDate);
        new OpenOnToday(edit);
        return edit;
    };
    m_from = makeDate(u"historyFrom"_s, tr("From"));
    m_to = makeDate(u"historyTo"_s, tr("To"));
    m_anyDate = new QToolButton;
    m_anyDate->setObjectName(u"historyAnyDate"_s);
    m_anyDate->setText(tr("Any date"));
    m_anyDate->setToolTip(tr("Show every date"));

    m_table = new QTableView;
    m_table->setObjectName(u"historyTable"_s);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setSortingEnabled(false); // the store orders newest first, indexed
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_table->setItemDelegateForColumn(HistoryModel::Status, new StatusDelegate(m_table));
    // Uniform rows: Fixed never asks the model for a size hint, so neither
    // 100,000 rows nor a long name makes the view read more than it shows.
    QHeaderView *rows = m_table->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    rows->hide();
    // After the rows are set up: each of those calls walks every section.
    m_table->setModel(m_model);
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive); // never ResizeToContents
    columns->setHighlightSections(false);
    const QFontMetrics metrics = m_table->fontMetrics();
    auto widthOf = [&](const QString &sample) {
        return metrics.horizontalAdvance(sample) + 24;
    };
    columns->resizeSection(HistoryModel::Time, widthOf(u"8888-88-88 88:88"_s));
    columns->resizeSection(HistoryModel::Name, widthOf(u"Alexandra Fitzgerald"_s));
    columns->resizeSection(HistoryModel::Email, widthOf(u"alexandra.fitzgerald@example.com"_s));
    columns->resizeSection(HistoryModel::Job, widthOf(u"Senior Backend Engineer"_s));
    columns->resizeSection(HistoryModel::Source, widthOf(u"Career page"_s));
    columns->resizeSection(HistoryModel::Status, widthOf(tr("Needs a decision")) + 8);
    columns->setStretchLastSection(true);

    m_details = new HistoryDetails;
    m_details->setObjectName(u"historyDetails"_s);

    m_count = new QLabel;
    m_count->setObjectName(u"historyCount"_s);
    m_exportStatus = new QLabel;
    m_exportStatus->setObjectName(u"historyExportStatus"_s);
    m_retry = new QPushButton(tr("Retry"));
    m_retry->setObjectName(u"historyRetry"_s);
    m_retry->setToolTip(tr("Send this submission again, with the same request"));
    m_update = new QPushButton(tr("Update this candidate"));
    m_update->setObjectName(u"historyUpdate"_s);
    m_update->setToolTip(tr("Open the candidate in the form to change their record"));
    m_export = new QPushButton(tr("Export CSV…"));
    m_export->setObjectName(u"historyExport"_s);
    m_export->setToolTip(tr("Save the submissions shown as a CSV file"));
    m_cancelExport = new QPushButton(tr("Cancel export"));
    m_cancelExport->setObjectName(u"historyExportCancel"_s);
    m_cancelExport->setToolTip(tr("Stop the export; no file is written"));
    m_cancelExport->hide();

    // The search gets a row of its own: it is what the recruiter uses most.
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_status);
    filters->addWidget(m_job);
    auto *fromLabel = new QLabel(tr("&From"));
    fromLabel->setBuddy(m_from);
    auto *toLabel = new QLabel(tr("&To"));
    toLabel->setBuddy(m_to);
    // Kerned pairs such as "To" measure narrower than they draw in some fonts:
    // without room to spare the "o" is clipped.
    for (QLabel *label : { fromLabel, toLabel })
        label->setMinimumWidth(label->sizeHint().width() + label->fontMetrics().averageCharWidth());
    filters->addWidget(fromLabel);
    filters->addWidget(m_from);
    filters->addWidget(toLabel);
    filters->addWidget(m_to);
    filters->addWidget(m_anyDate);
    filters->addStretch(1);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_count);
    actions->addWidget(m_exportStatus, 1);
    actions->addWidget(m_cancelExport);
    actions->addWidget(m_retry);
    actions->addWidget(m_update);
    actions->addWidget(m_export);

    auto *layout = new QVBoxLayout(q);
    layout->addLayout(searchRow);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);
    layout->addLayout(actions);
}

void HistoryPane::Private::fillJobs()
{
    const QVariant current = m_job->currentData();
    const QSignalBlocker blocker(m_job);
    m_job->clear();
    m_job->addItem(tr("Any job"));
    m_job->addItem(tr("Talent Pool"), qint64(0));
    QList<std::pair<QString, qint64>> jobs;
    for (auto it = m_jobTitles.cbegin(); it != m_jobTitles.cend(); ++it)
        jobs.append({ it.value(), it.key() });
    std::sort(jobs.begin(), jobs.end(), [](const auto &a, const auto &b) {
        const int byTitle = QString::localeAwareCompare(a.first, b.first);
        return byTitle != 0 ? byTitle < 0 : a.second < b.second;
    });
    for (const auto &[title, id] : std::as_const(jobs))
        m_job->addItem(title, id);
    // A job that is no longer listed stays chosen under its id, so the
    // table does not change under the recruiter.
    if (current.isValid()) {
        int index = m_job->findData(current);
        if (index < 0) {
            m_job->addItem(jobText(current.toLongLong()), current);
            index = m_job->count() - 1;
        }
        m_job->setCurrentIndex(index);
    }
}

QString HistoryPane::Private::jobText(const std::optional<qint64> &jobId) const
{
    if (!jobId || *jobId == 0)
        return tr("Talent Pool");
    return m_jobTitles.value(*jobId, u"#%1"_s.arg(*jobId));
}

HistoryFilter HistoryPane::Private::filterFromUi() const
{
    HistoryFilter filter;
    filter.text = m_search->text().trimmed();
    if (const int state = m_status->currentData().toInt(); state >= 0)
        filter.state = SubmissionState(state);
    if (const QVariant job = m_job->currentData(); job.isValid())
        filter.jobId = job.toLongLong();
    if (m_from->date() != AnyDate)
        filter.from = m_from->date();
    if (m_to->date() != AnyDate)
        filter.to = m_to->date();
    return filter;
}

void HistoryPane::Private::applyFilter()
{
    m_searchTimer.stop();
    const HistoryFilter before = m_model->filter();
    const HistoryFilter after = filterFromUi();
    m_model->setFilter(after);
    const bool changed = before.text != after.text || before.state != after.state
        || before.jobId != after.jobId || before.from != after.from || before.to != after.to;
    if (changed)
        m_table->scrollToTop(); // other rows: start from the newest
    updateCount();
}

void HistoryPane::Private::refreshNow()
{
    m_refreshPending = false;
    QScrollBar *bar = m_table->verticalScrollBar();
    const int scrolled = bar->value();
    int inserted = 0;
    const auto counter = QObject::connect(m_model, &QAbstractItemModel::rowsInserted, q,
                                          [&](const QModelIndex &, int first, int last) {
                                              if (first == 0)
                                                  inserted += last - first + 1;
                                          });
    m_model->refresh();
    QObject::disconnect(counter);
    // New rows arrive on top. A recruiter reading further down keeps the rows
    // they were reading in place; at the top, they see the new ones come in.
    // (A reset keeps the scroll value: the same place in the list.)
    if (inserted > 0 && scrolled > 0) {
        m_table->doItemsLayout(); // the new range, before the value is moved
        bar->setValue(scrolled + inserted); // ScrollPerItem: a step is a row
    }
    updateCount();
    m_refreshTimer.start(); // no other refresh before it times out
}

void HistoryPane::Private::updateCount()
{
    const int n = m_model->rowCount();
    m_count->setText(n == 0 ? tr("No submissions") : tr("%Ln submission(s)", nullptr, n));
}

void HistoryPane::Private::showCurrent()
{
    const QModelIndex index = m_table->currentIndex();
    m_current = index.isValid() ? m_model->submissionAt(index.row()) : std::nullopt;
    if (m_current) {
        m_details->showSubmission(*m_current, m_store->attempts(m_current->id),
                                  jobText(m_current->candidate.jobId));
    } else {
        m_details->showNothing();
    }
    updateButtons();
}

void HistoryPane::Private::updateButtons()
{
    const auto state = m_current ? std::optional(m_current->state) : std::nullopt;
    // Sending a duplicate again only meets the same 409: it needs "Update", not "Retry".
    m_retry->setEnabled(state == SubmissionState::Failed || state == SubmissionState::Cancelled);
    m_update->setEnabled(m_current && (m_current->serverId || m_current->duplicateOf));
    const bool exporting = m_exportJob->isRunning();
    m_export->setEnabled(!exporting);
    m_cancelExport->setVisible(exporting);
}

void HistoryPane::Private::exportTo(const QString &path)
{
    if (path.isEmpty() || !m_exportJob->start(m_model->filter(), path))
        return;
    m_exportStatus->setText(tr("Exporting…"));
    updateButtons();
}

void HistoryPane::Private::exportProgress(int done, int total)
{
    if (total > 0 && done < total)
        m_exportStatus->setText(tr("Exporting… %1%").arg(int(qint64(done) * 100 / total)));
}

void HistoryPane::Private::exportFinished(const HistoryExport::Result &result)
{
    updateButtons();
    const QString name = QFileInfo(result.path).fileName();
    switch (result.outcome) {
    case HistoryExport::Outcome::Written:
        m_exportStatus->setText(
            tr("Exported %Ln submission(s) to %1", nullptr, result.rows).arg(name));
        return;
    case HistoryExport::Outcome::Cancelled:
        m_exportStatus->setText(tr("Export cancelled: no file was written."));
        return;
    case HistoryExport::Outcome::Failed:
        m_exportStatus->clear();
        Dialogs::tell(q, QMessageBox::Warning, tr("Could not export the history"),
                      tr("The file %1 could not be written: %2\n\nChoose another folder or file "
                         "name and try again.")
                          .arg(QDir::toNativeSeparators(result.path), result.error));
        return;
    }
}

HistoryPane::HistoryPane(HistoryStore *store, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>(this, store))
{
    d->buildUi();

    d->m_searchTimer.setSingleShot(true);
    d->m_searchTimer.setInterval(SearchDelayMs);
    connect(&d->m_searchTimer, &QTimer::timeout, this, [this] { d->applyFilter(); });
    connect(d->m_search, &QLineEdit::textChanged, this, [this] { d->m_searchTimer.start(); });
    connect(d->m_search, &QLineEdit::returnPressed, this, [this] { d->applyFilter(); });
    connect(d->m_status, &QComboBox::currentIndexChanged, this, [this] { d->applyFilter(); });
    connect(d->m_job, &QComboBox::currentIndexChanged, this, [this] { d->applyFilter(); });
    connect(d->m_from, &QDateEdit::dateChanged, this, [this] { d->applyFilter(); });
    connect(d->m_to, &QDateEdit::dateChanged, this, [this] { d->applyFilter(); });
    connect(d->m_anyDate, &QToolButton::clicked, this, [this] {
        const QSignalBlocker from(d->m_from);
        const QSignalBlocker to(d->m_to);
        d->m_from->setDate(AnyDate);
        d->m_to->setDate(AnyDate);
        d->applyFilter();
    });

    // Leading edge at once, then at most one refresh per interval: a row the
    // recruiter just sent shows at once, and 5,000 rows draining from a CSV
    // import do not run 5,000 counts.
    d->m_refreshTimer.setSingleShot(true);
    d->m_refreshTimer.setInterval(RefreshIntervalMs);
    connect(&d->m_refreshTimer, &QTimer::timeout, this, [this] {
        if (d->m_refreshPending)
            d->refreshNow();
    });

    HistoryModel *model = d->m_model;
    connect(d->m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { d->showCurrent(); });
    // A refresh announces changed rows: the details follow the row they show.
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndex current = d->m_table->currentIndex();
                if (current.isValid() && current.row() >= topLeft.row()
                    && current.row() <= bottomRight.row())
                    d->showCurrent();
            });
    connect(model, &QAbstractItemModel::modelReset, this, [this] { d->showCurrent(); });

    connect(d->m_retry, &QPushButton::clicked, this, [this] {
        if (d->m_current)
            Q_EMIT retryRequested(d->m_current->id);
    });
    connect(d->m_update, &QPushButton::clicked, this, [this] {
        if (d->m_current)
            Q_EMIT updateRequested(*d->m_current);
    });
    connect(d->m_exportJob, &HistoryExport::progress, this,
            [this](int done, int total) { d->exportProgress(done, total); });
    connect(d->m_exportJob, &HistoryExport::finished, this,
            [this](const HistoryExport::Result &result) { d->exportFinished(result); });
    connect(d->m_cancelExport, &QPushButton::clicked, d->m_exportJob, &HistoryExport::cancel);
    connect(d->m_export, &QPushButton::clicked, this, [this] {
        const QString suggested
            = tr("candidate-desk-history-%1.csv").arg(QDate::currentDate().toString(Qt::ISODate));
        Dialogs::saveFile(this, tr("Export the history"), suggested, tr("CSV files (*.csv)"),
                          [pane = QPointer<HistoryPane>(this)](const QString &path) {
                              if (pane)
                                  pane->d->exportTo(path);
                          });
    });

    d->updateCount();
    d->updateButtons();
    setFocusProxy(d->m_search);
}

HistoryPane::~HistoryPane() = default;

HistoryModel *HistoryPane::model() const
{
    return d->m_model;
}

void HistoryPane::refresh()
{
    if (d->m_refreshTimer.isActive())
        d->m_refreshPending = true;
    else
        d->refreshNow();
}

void HistoryPane::focusSearch()
{
    d->m_search->setFocus(Qt::ShortcutFocusReason);
    d->m_search->selectAll();
}

void HistoryPane::setJobTitles(const QHash<qint64, QString> &titles)
{
    d->m_jobTitles = titles;
    d->m_model->setJobTitles(titles);
    d->m_exportJob->setJobTitles(titles);
    d->fillJobs();
    if (d->m_current) {
        d->m_details->showSubmission(*d->m_current, d->m_store->attempts(d->m_current->id),
                                     d->jobText(d->m_current->candidate.jobId));
    }
}

} // namespace cdesk
