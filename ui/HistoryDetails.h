#pragma once

#include "model/Submission.h"
#include "store/HistoryStore.h"

#include <QTextBrowser>

namespace cdesk {

// The history's details view: what was sent for one submission (every
// candidate field, the resume's name, the Idempotency-Key) and what came back
// (status, server id or the existing candidate, field errors, every attempt
// with its time, HTTP status and message). Read-only text the recruiter can
// select and copy into a ticket. Private to HistoryPane.
class HistoryDetails : public QTextBrowser
{
    Q_OBJECT
public:
    explicit HistoryDetails(QWidget *parent = nullptr);

    void showSubmission(const Submission &submission, const QList<Attempt> &attempts,
                        const QString &jobText);
    void showNothing();

    // The history's words, shared by the pane's filters and its CSV export.
    static QString statusText(SubmissionState state);
    static QString outcomeText(const QString &outcome);
    static QString originText(const QString &source); // "form", "csv:<file>", "cli"
};

} // namespace cdesk
