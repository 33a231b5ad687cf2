#pragma once

#include "intake/ImportRun.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;

namespace cdesk {

class JobDirectory;

// Import a sheet (CSV or .xlsx): how each column is read, the job and the
// source for every row, every row shown with its problems on the cell, then
// the good rows sent with progress (sent, needing attention, to go, rate,
// time left), a cancel, and a report to save. It only shows and edits: the
// import itself is an ImportRun.
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    ImportDialog(const ImportRun::Services &services, JobDirectory *jobs,
                 QWidget *parent = nullptr);
    ~ImportDialog() override;

    ImportRun *run() const { return m_run; }
    void openFile(const QString &path);
    // Asks for the file (Dialogs::openFile), then opens it.
    void chooseFile();
    // Many resumes (files and folders) into a review list, one row each.
    void openResumes(const QStringList &paths);

private:
    void showTable();
    void showMapping();
    void showChecked();
    void onCellEdited(QTableWidgetItem *item);
    int columnOf(const QString &field) const; // where a problem of this field is shown
    void showProgress();
    void fillJobs();
    void onJobChosen();
    void saveReport();

    ImportRun *m_run;
    JobDirectory *m_jobs;
    QLabel *m_file;
    QTableWidget *m_mapping;
    QComboBox *m_job;
    QLineEdit *m_source;
    QTableWidget *m_rows;
    QLabel *m_summary;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QPushButton *m_import;
    QPushButton *m_cancelImport;
    QPushButton *m_pause;
    QPushButton *m_report;
    QPushButton *m_close;
};

} // namespace cdesk
