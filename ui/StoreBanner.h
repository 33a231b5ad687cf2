#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace cdesk {

class StoreStatus;

// A bar across the top of the window while the local store cannot be
// written: why (the disk is full, another program holds the database, a
// file that cannot be written, by name), that the form keeps what was typed,
// and a button to try again. It hides itself once a write succeeds.
class StoreBanner : public QFrame
{
    Q_OBJECT
public:
    explicit StoreBanner(StoreStatus *status, QWidget *parent = nullptr);

    QString text() const;

Q_SIGNALS:
    void retryRequested();

private:
    void showProblem(bool failing, const QString &problem);

    QLabel *m_text;
    QPushButton *m_retry;
};

} // namespace cdesk
