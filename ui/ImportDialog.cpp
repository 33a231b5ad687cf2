#include "ImportDialog.h"

#include "Dialogs.h"
#include "FieldMarks.h"
#include "intake/JobDirectory.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

const QList<ColumnRole> kRolesOffered = {
    ColumnRole::Ignore, ColumnRole::Name,   ColumnRole::FirstName, ColumnRole::LastName,
    ColumnRole::Email,  ColumnRole::Phone,  ColumnRole::Resume,    ColumnRole::Job,
    ColumnRole::JobId,  ColumnRole::Source, ColumnRole::Industry,  ColumnRole::Department,
    ColumnRole::Custom,
};

const QString kJobFromSheet = u"sheet"_s;
constexpr int kResumeColumns = 6; // resume, name, email, phone, job, source
const QString kTalentPool = u"pool"_s;

} // namespace

ImportDialog::ImportDialog(const ImportRun::Services &services, JobDirectory *jobs, QWidget *parent)
    : QDialog(parent)
    , m_run(new ImportRun(services, this))
    , m_jobs(jobs)
    , m_file(new QLabel(this))
    , m_mapping(new QTableWidget(this))
    , m_job(new QComboBox(this))
    , m_source(new QLineEdit(this))
    , m_rows(new QTableWidget(this))
    , m_summary(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
{
    setWindowTitle(tr("Import candidates"));
    setObjectName(u"importDialog"_s);
    m_file->setObjectName(u"importFile"_s);
    m_file->setTextFormat(Qt::PlainText);
    m_file->setWordWrap(true);
    m_mapping->setObjectName(u"importMapping"_s);
    m_mapping->setColumnCount(2);
    m_mapping->setHorizontalHeaderLabels({ tr("Column in the sheet"), tr("Imported as") });
    m_mapping->horizontalHeader()->setStretchLastSection(true);
    m_mapping->verticalHeader()->hide();
    m_mapping->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_job->setObjectName(u"importJob"_s);
    m_source->setObjectName(u"importSource"_s);
    m_source->setPlaceholderText(tr("For rows without a source"));
    m_rows->setObjectName(u"importRows"_s);
    m_rows->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rows->setWordWrap(false);
    m_summary->setObjectName(u"importSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_progress->setObjectName(u"importProgress"_s);
    m_progress->hide();
    m_progressText->setObjectName(u"importProgressText"_s);
    m_progressText->setTextFormat(Qt::PlainText);

    auto *choices = new QFormLayout;
    choices->addRow(tr("Job for every row:"), m_job);
    choices->addRow(tr("Source:"), m_source);

    auto *buttons = new QDialogButtonBox(this);
    m_import = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(u"importStart"_s);
    m_import->setEnabled(false);
    m_cancelImport = buttons->addButton(tr("Stop sending"), QDialogButtonBox::ActionRole);
    m_cancelImport->setObjectName(u"importStop"_s);
    m_cancelImport->hide();
    m_pause = buttons->addButton(tr("Pause"), QDialogButtonBox::ActionRole);
    m_pause->setObjectName(u"importPause"_s);
    m_pause->hide();
    m_report = buttons->addButton(tr("Save report…"), QDialogButtonBox::ActionRole);
    m_report->setObjectName(u"importReport"_s);
    m_report->setEnabled(false);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    // The buttons act; none of them ends the dialog except Close.
    disconnect(buttons, nullptr, this, nullptr);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_file);
    layout->addWidget(m_mapping, 1);
    layout->addLayout(choices);
    layout->addWidget(m_rows, 2);
    layout->addWidget(m_summary);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressText);
    layout->addWidget(buttons);
    resize(900, 700);

    connect(m_import, &QPushButton::clicked, m_run, &ImportRun::start);
    connect(m_cancelImport, &QPushButton::clicked, m_run, &ImportRun::cancel);
    connect(m_pause, &QPushButton::clicked, m_run,
            [this] { m_run->isPaused() ? m_run->resume() : m_run->pause(); });
    connect(m_run, &ImportRun::pausedChanged, this,
            [this](bool paused) { m_pause->setText(paused ? tr("Resume") : tr("Pause")); });
    connect(m_report, &QPushButton::clicked, this, &ImportDialog::saveReport);
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_job, &QComboBox::activated, this, &ImportDialog::onJobChosen);
    connect(m_source, &QLineEdit::editingFinished, this,
            [this] { m_run->setSource(m_source->text().trimmed()); });

    connect(m_run, &ImportRun::readProgress, this, [this](int done, int total) {
        m_file->setText(tr("Reading %L1 of %L2 resumes…").arg(done).arg(total));
    });
    connect(m_run, &ImportRun::opened, this, [this] {
        if (m_run->isResumes()) {
            m_file->setText(
                tr("%n resume(s) read. Fix what is marked (double-click a cell to edit it), "
                   "set the job and source for all or for each, then import.",
                   nullptr, int(m_run->drafts().size())));
            m_mapping->hide();
            fillJobs();
        } else {
            m_file->setText(tr("%1 (%2): %n row(s).", nullptr, int(m_run->table().rows.size()))
                                .arg(QFileInfo(m_run->path()).fileName(), m_run->table().format));
            showMapping();
        }
        setTone(m_file, Tone::Plain);
        m_source->setText(m_run->options().sourceForAll);
        showTable();
    });
    connect(m_rows, &QTableWidget::itemChanged, this, &ImportDialog::onCellEdited);
    connect(m_run, &ImportRun::failed, this, [this](const QString &message) {
        m_file->setText(message);
        setTone(m_file, Tone::Problem);
        if (m_run->stage() == ImportRun::Stage::Ready) { // nothing was queued: try again
            m_mapping->setEnabled(true);
            m_job->setEnabled(true);
            m_source->setEnabled(true);
            m_cancelImport->hide();
            m_pause->hide();
            showChecked();
        }
    });
    connect(m_run, &ImportRun::checking, this, [this] {
        m_import->setEnabled(false);
        m_summary->setText(tr("Checking every row…"));
        setTone(m_summary, Tone::Plain);
    });
    connect(m_run, &ImportRun::checked, this, &ImportDialog::showChecked);
    connect(m_run, &ImportRun::started, this, [this] {
        m_import->setEnabled(false);
        m_mapping->setEnabled(false);
        m_job->setEnabled(false);
        m_source->setEnabled(false);
        m_cancelImport->show();
        m_pause->show();
        m_progress->show();
        m_rows->setEditTriggers(QAbstractItemView::NoEditTriggers); // what is sent is sent
        showProgress();
    });
    connect(m_run, &ImportRun::progressed, this, &ImportDialog::showProgress);
    connect(m_run, &ImportRun::finished, this, [this] {
        m_cancelImport->hide();
        m_pause->hide();
        m_report->setEnabled(true);
        showProgress();
    });
    if (m_jobs)
        connect(m_jobs, &JobDirectory::jobsChanged, this, &ImportDialog::fillJobs);
    fillJobs();
}

ImportDialog::~ImportDialog() = default;

void ImportDialog::chooseFile()
{
    Dialogs::openFile(this, tr("Import candidates"),
                      tr("Sheets (*.csv *.txt *.tsv *.xlsx);;All files (*)"),
                      [this](const QString &path) {
                          if (!path.isEmpty())
                              openFile(path);
                      });
}

void ImportDialog::openFile(const QString &path)
{
    m_file->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    setTone(m_file, Tone::Plain);
    m_run->open(path);
}

void ImportDialog::openResumes(const QStringList &paths)
{
    setWindowTitle(tr("Review resumes"));
    m_file->setText(tr("Reading the resumes…"));
    setTone(m_file, Tone::Plain);
    m_run->openResumes(paths);
}

void ImportDialog::fillJobs()
{
    const QString current = m_job->currentData().toString();
    m_job->clear();
    m_job->addItem(m_run->isResumes()
                       ? tr("As each row says (its Job cell), else the Talent Pool")
                       : tr("As the sheet says (its Job column), else the Talent Pool"),
                   kJobFromSheet);
    m_job->addItem(tr("Talent Pool (no job)"), kTalentPool);
    const QList<Job> jobs = m_jobs ? m_jobs->jobs() : QList<Job>();
    for (const Job &job : jobs)
        m_job->addItem(tr("%1 (#%2)").arg(job.title).arg(job.id), u"id:%1"_s.arg(job.id));
    const int again = m_job->findData(current);
    m_job->setCurrentIndex(qMax(0, again));
    m_run->setJobs(jobs, m_jobs && m_jobs->hasList());
}

void ImportDialog::onJobChosen()
{
    const QString chosen = m_job->currentData().toString();
    m_run->setTalentPoolForAll(chosen == kTalentPool);
    m_run->setJobForAll(chosen.startsWith(u"id:"_s)
                            ? std::optional<qint64>(chosen.mid(3).toLongLong())
                            : std::nullopt);
}

void ImportDialog::showMapping()
{
    const QStringList &header = m_run->table().header;
    m_mapping->setRowCount(int(header.size()));
    for (int i = 0; i < header.size(); ++i) {
        auto *name = new QTableWidgetItem(header[i]);
        m_mapping->setItem(i, 0, name);
        auto *combo = new QComboBox(m_mapping);
        combo->setObjectName(u"importColumn%1"_s.arg(i));
        for (const ColumnRole role : kRolesOffered) {
            const ColumnMapping mapping {
                role, role == ColumnRole::Custom ? SheetImport::customKeyFor(header[i]) : QString()
            };
            combo->addItem(SheetImport::mappingLabel(mapping), SheetImport::mappingName(mapping));
        }
        const ColumnMapping current = m_run->columns().value(i);
        int index = combo->findData(SheetImport::mappingName(current));
        if (index < 0) { // a custom key of another name, remembered from before
            combo->addItem(SheetImport::mappingLabel(current), SheetImport::mappingName(current));
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(index);
        connect(combo, &QComboBox::activated, this, [this, combo, i] {
            const QString columnName = m_run->table().header.value(i);
            if (const auto mapping
                = SheetImport::mappingFromName(combo->currentData().toString(), columnName))
                m_run->setColumn(i, *mapping);
            showTable();
        });
        m_mapping->setCellWidget(i, 1, combo);
    }
    m_mapping->resizeColumnToContents(0);
}

void ImportDialog::showTable()
{
    const QSignalBlocker quiet(m_rows);
    if (m_run->isResumes()) {
        // One row per resume; all but the file can be corrected here.
        const QList<ResumeFolder::Draft> &drafts = m_run->drafts();
        m_rows->clear();
        m_rows->setColumnCount(kResumeColumns);
        m_rows->setHorizontalHeaderLabels({ tr("Resume"), tr("Name"), tr("Email"), tr("Phone"),
                                            tr("Job (id or title)"), tr("Source") });
        m_rows->setRowCount(int(drafts.size()));
        m_rows->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                | QAbstractItemView::AnyKeyPressed);
        for (int r = 0; r < drafts.size(); ++r) {
            const ResumeFolder::Draft &d = drafts[r];
            const QStringList cells = { QFileInfo(d.candidate.resumeFile).fileName(),
                                        d.candidate.name,
                                        d.candidate.email,
                                        d.candidate.phone,
                                        d.jobCell,
                                        d.source };
            for (int c = 0; c < kResumeColumns; ++c) {
                auto *item = new QTableWidgetItem(cells[c]);
                if (c == 0) {
                    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
                    item->setData(Qt::ToolTipRole, d.candidate.resumeFile);
                }
                m_rows->setItem(r, c, item);
            }
        }
        m_rows->resizeColumnsToContents();
        return;
    }
    const SheetTable &table = m_run->table();
    QStringList labels;
    for (int i = 0; i < table.header.size(); ++i)
        labels << u"%1\n%2"_s.arg(table.header[i],
                                  SheetImport::mappingLabel(m_run->columns().value(i)));
    m_rows->clear();
    m_rows->setColumnCount(int(table.header.size()));
    m_rows->setHorizontalHeaderLabels(labels);
    m_rows->setRowCount(int(table.rows.size()));
    QStringList lines;
    for (int r = 0; r < table.rows.size(); ++r) {
        lines << QString::number(table.rowLines.value(r));
        for (int c = 0; c < table.header.size(); ++c)
            m_rows->setItem(r, c, new QTableWidgetItem(table.rows[r].value(c)));
    }
    m_rows->setVerticalHeaderLabels(lines);
}

void ImportDialog::onCellEdited(QTableWidgetItem *item)
{
    if (!m_run->isResumes() || m_run->stage() != ImportRun::Stage::Ready)
        return;
    ResumeFolder::Draft draft = m_run->drafts().value(item->row());
    const QString text = item->text().trimmed();
    switch (item->column()) {
    case 1:
        draft.candidate.name = text;
        break;
    case 2:
        draft.candidate.email = text;
        break;
    case 3:
        draft.candidate.phone = text;
        break;
    case 4:
        draft.jobCell = text;
        break;
    case 5:
        draft.source = text;
        break;
    default:
        return;
    }
    m_run->setDraft(item->row(), draft);
}

int ImportDialog::columnOf(const QString &field) const
{
    if (!m_run->isResumes())
        return qMax(0, SheetImport::columnOf(m_run->columns(), field));
    static const QStringList fields
        = { u"resume"_s, u"name"_s, u"email"_s, u"phone"_s, u"job_id"_s, u"source"_s };
    return qMax(0, int(fields.indexOf(field)));
}

void ImportDialog::showChecked()
{
    const QSignalBlocker quiet(m_rows);
    const QList<SheetImport::Row> &rows = m_run->rows();
    const QBrush problem(QColor(0xfe, 0xe2, 0xe2));
    int withProblems = 0;
    for (int r = 0; r < rows.size() && r < m_rows->rowCount(); ++r) {
        for (int c = 0; c < m_rows->columnCount(); ++c) {
            if (QTableWidgetItem *item = m_rows->item(r, c)) {
                item->setBackground(QBrush());
                item->setToolTip(QString());
            }
        }
        const FieldErrors &problems = rows[r].problems;
        if (problems.isEmpty())
            continue;
        ++withProblems;
        // Each problem on the cell it comes from; one with no column (a
        // required field no column gives) on the row's first cell.
        for (const QString &field : problems.fields()) {
            const int column = columnOf(field);
            QTableWidgetItem *item = m_rows->item(r, column);
            if (!item) {
                item = new QTableWidgetItem;
                m_rows->setItem(r, column, item);
            }
            item->setBackground(problem);
            const QString words
                = FieldErrors::label(field) + u": "_s + problems.messages(field).join(u' ');
            item->setToolTip(item->toolTip().isEmpty() ? words : item->toolTip() + u'\n' + words);
        }
    }
    const int ready = m_run->readyCount();
    const QString fix = m_run->isResumes()
        ? tr("Fix them here, or they are not sent.")
        : tr("They are not sent; fix them in the sheet and import it again.");
    m_summary->setText(withProblems == 0
                           ? tr("%n row(s), all ready to send.", nullptr, ready)
                           : tr("%1 ready to send; %2 need attention: their marked cells say "
                                "why (hover over them). %3")
                                 .arg(ready)
                                 .arg(withProblems)
                                 .arg(fix));
    setTone(m_summary, withProblems == 0 ? Tone::Plain : Tone::Warning);
    m_import->setText(tr("Import %n row(s)", nullptr, ready));
    m_import->setEnabled(ready > 0 && m_run->stage() == ImportRun::Stage::Ready
                         && !m_run->isChecking());
}

void ImportDialog::showProgress()
{
    const ImportRun::Progress p = m_run->progress();
    const ImportLedger::Counts &c = p.counts;
    const int queued = c.rows - c.invalid;
    m_progress->setRange(0, qMax(1, queued));
    m_progress->setValue(queued - c.waiting - c.ready);
    QString text = tr("Sent %L1 of %L2 · %L3 need attention · %L4 to go")
                       .arg(c.sent)
                       .arg(queued)
                       .arg(c.duplicate + c.refused)
                       .arg(c.waiting);
    if (p.perSecond > 0)
        text += tr(" · %1 a second").arg(p.perSecond, 0, 'f', 1);
    if (m_run->isPaused())
        text += tr(" · paused: nothing more is sent until you resume");
    else if (p.secondsLeft >= 0 && c.waiting > 0)
        text += tr(" · about %n second(s) left", nullptr, p.secondsLeft);
    if (m_run->stage() == ImportRun::Stage::Done) {
        text = tr("Done: %L1 sent, %L2 need attention, %L3 not imported (invalid), %L4 "
                  "cancelled.")
                   .arg(c.sent)
                   .arg(c.duplicate + c.refused)
                   .arg(c.invalid)
                   .arg(c.cancelled);
        if (c.earlierImport > 0)
            text += u' '
                + tr("%n row(s) had been imported before and were not sent again.", nullptr,
                     c.earlierImport);
    }
    m_progressText->setText(text);
}

void ImportDialog::saveReport()
{
    const QString suggested = QFileInfo(m_run->path()).completeBaseName() + tr("-report.csv");
    Dialogs::saveFile(this, tr("Save the import report"), suggested, tr("CSV files (*.csv)"),
                      [this](const QString &path) {
                          if (path.isEmpty())
                              return;
                          QString error;
                          if (!m_run->writeReport(path, &error))
                              Dialogs::tell(this, QMessageBox::Warning, tr("Report not saved"),
                                            error);
                      });
}

} // namespace cdesk
