#pragma once

#include <QObject>
#include <QString>

class QTimer;

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

    // While failing, how often to ask for a small test write, so the status
    // clears once writes work again even when nothing else writes (an idle
    // window after a moment of "database busy"). 0: never.
    void setProbeInterval(int ms);

Q_SIGNALS:
    // failing false: writes work again (problem is empty).
    void changed(bool failing, const QString &problem);
    // Time for a test write (Workspace answers it with Database::probeWrite()).
    void probeRequested();

private:
    QString m_problem;
    QTimer *m_probe;
};

} // namespace cdesk
