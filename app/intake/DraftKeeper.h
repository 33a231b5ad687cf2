#pragma once

#include "model/Candidate.h"
#include "model/DraftState.h"

#include <QJsonObject>
#include <QObject>

class QTimer;

namespace cdesk {

class DraftStore;

// Keeps what the recruiter is typing on disk as they type: each change is
// saved after a short pause (debounced), and at once on flush() (closing the
// window, switching drafts, submitting). A failed save (a full disk, a
// database another program holds) is reported, and tried again on the next
// change and by itself every retryInterval(), so a draft typed while the
// disk was full reaches the disk once there is room, even if nobody types
// again; the form keeps its contents.
class DraftKeeper : public QObject
{
    Q_OBJECT
public:
    explicit DraftKeeper(DraftStore *store, QObject *parent = nullptr);
    ~DraftKeeper() override;

    void setDelay(int ms);
    int delay() const;
    void setRetryInterval(int ms);
    int retryInterval() const;

    // The draft being edited; 0: a new one (made at the first save).
    qint64 currentId() const { return m_currentId; }
    // Saves what is pending first; when that fails (a full disk) nothing
    // switches and it returns false: the caller must not drop the form.
    bool setCurrentId(qint64 id);

    // Something changed: save it after the delay.
    void edited(const Candidate &candidate, const DraftState &state);
    // Save now what is pending; true when nothing is left unsaved.
    bool flush();
    bool hasUnsavedChanges() const { return m_dirty; }

    // Forget the current draft (after it was sent): removes it from the store.
    void discardCurrent();

Q_SIGNALS:
    void saved(qint64 draftId);
    void saveFailed(const QString &message);

private:
    DraftStore *m_store;
    QTimer *m_timer;
    QTimer *m_retry;
    qint64 m_currentId = 0;
    Candidate m_candidate;
    DraftState m_state;
    bool m_dirty = false;
};

} // namespace cdesk
