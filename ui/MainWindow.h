#pragma once

#include "api/ApiEndpoint.h"

#include <QMainWindow>

class QLabel;
class QListWidget;
class QNetworkAccessManager;

namespace cdesk {

// The recruiter's window. For now a skeleton that shows which API it talks to,
// whether it answers, and the open jobs it lists; the form, the drop zone, the
// job picker and the history come with the window issue.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(QNetworkAccessManager *network, ApiEndpoint endpoint, bool sandbox,
               QWidget *parent = nullptr);

    void reloadJobs();
    void setEndpoint(const ApiEndpoint &endpoint);
    void setPendingCount(int pending);

Q_SIGNALS:
    void jobsLoaded(int count);

private:
    QNetworkAccessManager *m_network;
    ApiEndpoint m_endpoint;
    QListWidget *m_jobs;
    QLabel *m_reachability;
    QLabel *m_outbox;
};

} // namespace cdesk
