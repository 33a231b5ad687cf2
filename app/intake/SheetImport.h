#pragma once

#include "intake/CsvReader.h"
#include "model/CandidateValidator.h"
#include "model/FieldErrors.h"
#include "model/Job.h"
#include "model/Submission.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cdesk {

// What one column of a sheet becomes.
enum class ColumnRole {
    Ignore,
    Name,
    FirstName, // joined with LastName into the name
    LastName,
    Email,
    Phone,
    Resume, // a path (relative to the sheet's folder) or an http(s) link
    Job, // a job's id, or its exact title
    JobId,
    Source,
    Industry,
    Department,
    Custom, // a custom field, keyed by ColumnMapping::customKey
};

struct ColumnMapping
{
    ColumnRole role = ColumnRole::Ignore;
    QString customKey; // for Custom

    bool operator==(const ColumnMapping &other) const = default;
};

// A sheet of candidates made into submissions: the columns given a meaning,
// each row checked as the server will check it, and a key per row that stays
// the same when the same sheet is imported again, so the outbox queues it
// once. Pure: reads the resume files' metadata (in the check) and nothing
// else, so it runs on a worker thread, in the CLI and in tests alike.
class SheetImport
{
    Q_DECLARE_TR_FUNCTIONS(SheetImport)
public:
    // The mapping suggested by the header's names (Name / Full name, E-mail,
    // Mobile / Phone, Resume / CV, Job, Job ID, Source, Industry, Department).
    // Other columns are ignored until the recruiter maps them.
    static QList<ColumnMapping> suggest(const QStringList &header);
    static ColumnMapping suggestFor(const QString &headerName);

    // The words of --map: "email", "first_name", "job", "job_id", "ignore",
    // "custom" (keyed by the column's name) or "custom:KEY".
    static std::optional<ColumnMapping> mappingFromName(const QString &name,
                                                        const QString &headerName);
    static QString mappingName(const ColumnMapping &mapping);
    // The recruiter's word for it: "Email", "Custom field linkedin_url", "Not imported".
    static QString mappingLabel(const ColumnMapping &mapping);
    static QStringList mappingNames(); // what --map accepts, for its help
    // A custom field's key for a column name: "LinkedIn URL" -> "linkedin_url".
    static QString customKeyFor(const QString &headerName);
    // The contract field a role fills ("email", "job_id"), empty for Ignore.
    static QString fieldOf(const ColumnMapping &mapping);

    struct Options
    {
        QList<ColumnMapping> columns; // one per header column
        std::optional<qint64> jobForAll; // every row to this job (over a Job column)
        bool talentPoolForAll = false; // every row to the Talent Pool
        QString sourceForAll; // for rows whose Source cell is empty
        QString folder; // resume paths are relative to it (the sheet's folder)
        QString fileName; // the sheet's name: Submission::source is "import:<name>"
        QString account; // the API the rows go to: part of each row's key
        QList<Job> jobs; // to find a job by its title
        bool jobsLoaded = false; // jobs is the server's list (else it could not be loaded)
        ValidationOptions validation;
    };

    // One row of the sheet, ready to queue when it has no problems.
    struct Row
    {
        int line = 0; // where it is in the file
        QString origin; // a row made from a resume: the resume's file name
        Submission submission;
        FieldErrors problems; // by contract field ("email", "job_id", "non_field_errors")
    };
    static QList<Row> build(const SheetTable &table, const Options &options);
    // A Job cell: a job's id, or (role Job) the exact title of one of
    // options.jobs. Nullopt with *problem when it names no job.
    static std::optional<qint64> resolveJob(const QString &cell, ColumnRole role,
                                            const Options &options, QString *problem);
    // A problem on the email of each row whose email an earlier row has.
    static void markRepeatedEmails(QList<Row> *rows);

    // The column a problem of `field` points at (the first mapped to it),
    // or -1. For "name", the first-name column when there is no Name column.
    static int columnOf(const QList<ColumnMapping> &columns, const QString &field);

    // A key that is the same for the same candidate sent to the same account,
    // and differs when any field, or the resume file's path, differs.
    static QString rowKey(const QString &account, const Candidate &candidate);
};

} // namespace cdesk
