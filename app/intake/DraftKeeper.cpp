#include "DraftKeeper.h"

#include "store/DraftStore.h"

#include <QTimer>

namespace cdesk {

DraftKeeper::DraftKeeper(DraftStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_timer(new QTimer(this))
    , m_retry(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(300);
    connect(m_timer, &QTimer::timeout, this, &DraftKeeper::flush);
    m_retry->setSingleShot(true);
    m_retry->setInterval(5000);
    connect(m_retry, &QTimer::timeout, this, &DraftKeeper::flush);
}

void DraftKeeper::setRetryInterval(int ms)
{
    m_retry->setInterval(qMax(0, ms));
}

int DraftKeeper::retryInterval() const
{
    return m_retry->interval();
}

DraftKeeper::~DraftKeeper()
{
    flush(); // whatever was typed last is kept, even when the window goes
}

void DraftKeeper::setDelay(int ms)
{
    m_timer->setInterval(qMax(0, ms));
}

int DraftKeeper::delay() const
{
    return m_timer->interval();
}

bool DraftKeeper::setCurrentId(qint64 id)
{
    if (!flush())
        return false;
    m_currentId = id;
    m_dirty = false;
    return true;
}

void DraftKeeper::edited(const Candidate &candidate, const DraftState &state)
{
    m_candidate = candidate;
    m_state = state;
    m_dirty = true;
    m_timer->start();
}

bool DraftKeeper::flush()
{
    m_timer->stop();
    if (!m_dirty)
        return true;
    Draft draft;
    draft.id = m_currentId;
    draft.candidate = m_candidate;
    draft.state = m_state;
    QString error;
    const qint64 id = m_store->save(draft, &error);
    if (id == 0) {
        m_retry->start();
        Q_EMIT saveFailed(tr("Your draft could not be saved: %1 It stays in the form and is "
                             "saved by itself as soon as that works again.")
                              .arg(error));
        return false;
    }
    m_retry->stop();
    m_currentId = id;
    m_dirty = false;
    Q_EMIT saved(id);
    return true;
}

void DraftKeeper::discardCurrent()
{
    m_timer->stop();
    m_retry->stop();
    m_dirty = false;
    if (m_currentId != 0)
        m_store->remove(m_currentId);
    m_currentId = 0;
}

} // namespace cdesk
