#pragma once

#include "model/Submission.h"
#include "store/HistoryStore.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace cdesk {

// The history as a table, over the store, built to stay fast at 100,000
// rows: it counts the matching rows and fetches pages of them only as the
// view scrolls to them (a small cache of pages, newest first).
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Name, Email, Job, Source, Status, ServerId, ColumnCount };
    enum Role {
        SubmissionIdRole = Qt::UserRole + 1, // qint64
        StateRole, // SubmissionState as int
    };

    explicit HistoryModel(HistoryStore *store, QObject *parent = nullptr);
    ~HistoryModel() override;

    void setFilter(const HistoryFilter &filter);
    HistoryFilter filter() const;
    // Reads the store again (after a submission changed): keeps the filter.
    void refresh();
    // Job titles for the Job column (ids without a title show as "#id").
    void setJobTitles(const QHash<qint64, QString> &titles);

    std::optional<Submission> submissionAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
