#pragma once

#include "model/Job.h"

#include <QDateTime>
#include <QWidget>

#include <optional>

namespace cdesk {

class Clock;
class JobDirectory;

// Picks the job a candidate is submitted to. "Talent Pool (no job)" is always
// first; closed jobs are hidden; typing filters by title, department and
// location. Shows whether the list is live or from the cache, and how old.
class JobPicker : public QWidget
{
    Q_OBJECT
public:
    explicit JobPicker(QWidget *parent = nullptr); // the system clock
    // clock: tells how old the list is. Must outlive the picker.
    explicit JobPicker(Clock *clock, QWidget *parent = nullptr);
    ~JobPicker() override;

    std::optional<qint64> jobId() const; // std::nullopt: the Talent Pool
    void setJobId(
        const std::optional<qint64> &id); // an id not in the list is kept and shown as "Job #id"
    QString jobTitle() const; // of the chosen job, or "Talent Pool"

    // fromCache: the list was read from the local cache (offline); fetchedAt says how old.
    void setJobs(const QList<Job> &jobs, const QDateTime &fetchedAt, bool fromCache);
    void setLoading(bool loading);
    void setError(const QString &message); // a field error on job_id, or a refresh failure
    void focusSearch(); // Ctrl+J

    // Shows what the directory has, and asks it for the list on Refresh. The
    // picker takes the directory's clock for the age of the list. The
    // directory must outlive the picker, or be unbound first with nullptr.
    void bind(JobDirectory *directory);

Q_SIGNALS:
    void changed();
    void refreshRequested();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
