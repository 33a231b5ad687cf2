#include "StoreStatus.h"

namespace cdesk {

StoreStatus::StoreStatus(QObject *parent)
    : QObject(parent)
{ }

void StoreStatus::reportFailure(const QString &problem)
{
    if (problem.isEmpty() || problem == m_problem)
        return;
    m_problem = problem;
    Q_EMIT changed(true, m_problem);
}

void StoreStatus::reportSuccess()
{
    if (m_problem.isEmpty())
        return;
    m_problem.clear();
    Q_EMIT changed(false, {});
}

} // namespace cdesk
