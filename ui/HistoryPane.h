#pragma once

#include "model/Submission.h"

#include <QHash>
#include <QWidget>

namespace cdesk {

class HistoryModel;
class HistoryStore;

// The submission history: a lazy table (time, name, email, job, source,
// status, server id), search as you type, filters by status, job and date
// range, a details view (what was sent, every attempt and what came back),
// retry for a failed row, "update this candidate", and export to CSV.
class HistoryPane : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryPane(HistoryStore *store, QWidget *parent = nullptr);
    ~HistoryPane() override;

    HistoryModel *model() const;
    void refresh(); // a submission changed somewhere
    void focusSearch(); // Ctrl+F
    void setJobTitles(const QHash<qint64, QString> &titles);

Q_SIGNALS:
    void retryRequested(qint64 submissionId); // the window requeues it and kicks the engine
    void updateRequested(const cdesk::Submission &submission); // load it into the form, update mode

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
