#include "StoreStatus.h"

#include <QTimer>

namespace cdesk {

StoreStatus::StoreStatus(QObject *parent)
    : QObject(parent)
    , m_probe(new QTimer(this))
{
    m_probe->setInterval(10000);
    connect(m_probe, &QTimer::timeout, this, &StoreStatus::probeRequested);
}

void StoreStatus::setProbeInterval(int ms)
{
    m_probe->setInterval(qMax(0, ms));
    if (ms <= 0)
        m_probe->stop();
    else if (isFailing())
        m_probe->start();
}

void StoreStatus::reportFailure(const QString &problem)
{
    if (problem.isEmpty() || problem == m_problem)
        return;
    m_problem = problem;
    if (m_probe->interval() > 0)
        m_probe->start();
    Q_EMIT changed(true, m_problem);
}

void StoreStatus::reportSuccess()
{
    if (m_problem.isEmpty())
        return;
    m_problem.clear();
    m_probe->stop();
    Q_EMIT changed(false, {});
}

} // namespace cdesk
