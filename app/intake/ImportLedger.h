#pragma once

#include "intake/SheetImport.h"
#include "model/Submission.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

namespace cdesk {

// What became of every row of one import: checked and refused here, queued,
// found already queued by an earlier import, sent, or held for a person. The
// command line's progress line and report, and the window's import dialog,
// read it; it follows the outbox's rows, so it tells the outbox's truth.
class ImportLedger
{
    Q_DECLARE_TR_FUNCTIONS(ImportLedger)
public:
    enum class Outcome {
        Invalid, // not queued: a problem in the sheet (problem says which)
        Ready, // checked, not queued yet (or not at all: a dry run)
        Waiting, // queued, the outbox sends it by itself
        Sent, // on the server (serverId)
        Duplicate, // the email is already on the server: a person decides
        Refused, // held: the server refused it, or it needs the token fixed
        Cancelled, // given up by the recruiter
    };

    struct Entry
    {
        int line = 0;
        QString origin; // the resume a row was read from (import --resumes)
        QString name;
        QString email;
        QString key; // the row's Idempotency-Key
        FieldErrors problems; // Invalid: what to fix in the sheet
        qint64 submissionId = 0; // once queued
        bool earlierImport = false; // queued by an earlier import of the same rows
        Outcome outcome = Outcome::Invalid;
        std::optional<qint64> serverId; // Sent: the candidate; Duplicate: the existing one
        QString message; // the outbox's last word on it
        bool tokenProblem = false; // Refused because of the token, not the row
    };

    struct Counts
    {
        int rows = 0;
        int invalid = 0;
        int ready = 0;
        int waiting = 0;
        int sent = 0;
        int duplicate = 0;
        int refused = 0;
        int cancelled = 0;
        int earlierImport = 0; // of all: queued by an earlier run
        int heldForToken = 0; // of refused: the token's fault, not the row's
        int needAttention() const { return invalid + duplicate + refused; }
        int settled() const { return rows - waiting - ready; }
    };

    // The checked rows of a sheet. Rows with problems are Invalid at once.
    void setRows(const QList<SheetImport::Row> &rows);
    // The rows the outbox took, and those it held already (the same rows
    // imported before): matched by their key.
    void queued(const QList<Submission> &queued, const QList<Submission> &known);
    // A queued row as the outbox now holds it. False when it is not one of ours.
    bool update(const Submission &row);

    const QList<Entry> &entries() const { return m_entries; }
    QList<qint64> waitingIds() const;
    Counts counts() const;

    static QString outcomeName(Outcome outcome); // "sent", "invalid": the report's words
    // The report: one line per row, in the sheet's order, with what to do
    // for each that needs a person. UTF-8 with a BOM for Excel; written whole
    // or not at all.
    bool writeReport(const QString &path, QString *error) const;

private:
    QList<Entry> m_entries;
    QHash<QString, qsizetype> m_byKey;
    QHash<qint64, qsizetype> m_byId;
};

} // namespace cdesk
