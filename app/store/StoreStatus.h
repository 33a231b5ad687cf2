#pragma once

#include <QObject>
#include <QString>

namespace cdesk {

// Whether the local store can be written, for the window's banner: set by
// the first write that fails (with why, in the recruiter's words, naming the
// file or the other program when that is the cause), cleared by the next
// write that succeeds. Belongs to the thread of the Database that reports
// to it.
class StoreStatus : public QObject
{
    Q_OBJECT
public:
    explicit StoreStatus(QObject *parent = nullptr);

    bool isFailing() const { return !m_problem.isEmpty(); }
    QString problem() const { return m_problem; }

    void reportFailure(const QString &problem);
    void reportSuccess();

Q_SIGNALS:
    // failing false: writes work again (problem is empty).
    void changed(bool failing, const QString &problem);

private:
    QString m_problem;
};

} // namespace cdesk
