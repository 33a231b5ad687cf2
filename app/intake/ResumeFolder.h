#pragma once

#include "intake/SheetImport.h"
#include "resume/TextExtractor.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace cdesk {

// A folder of resumes made into candidates: one per resume, filled by the
// same autofill as a resume dropped on the form (name, email, phone, links),
// checked as the form checks it. A resume that does not say who the
// candidate is comes back with its problems, for a person to fix.
class ResumeFolder
{
    Q_DECLARE_TR_FUNCTIONS(ResumeFolder)
public:
    struct Options
    {
        std::optional<qint64> jobForAll; // else the Talent Pool
        QString source;
        QString account; // part of each row's key, as for a sheet
        ValidationOptions validation;
        ExtractLimits limits;
        int maxFiles = 2000;
        QList<Job> jobs; // to find a draft's job by its title
        bool jobsLoaded = false;
    };

    // What one resume gave, and what the recruiter changed in review, before
    // the choices for the whole batch (job, source) are applied.
    struct Draft
    {
        int index = 0; // numbers the row from 1
        Candidate candidate; // the resume file, and name, email, phone, links read from it
        QString unreadable; // why its text could not be read, or empty
        QString jobCell; // this row's job (an id or an exact title); empty: the batch's
        QString source; // this row's source; empty: the batch's
    };

    // The resumes in the folder and its subfolders, by name: files whose
    // content is a resume type (ResumeInspector); hidden files and others are
    // left out and counted in *skipped. Nullopt, with *error, when the folder
    // cannot be read or holds more than maxFiles resumes.
    static std::optional<QStringList> list(const QString &folder, int maxFiles, int *skipped,
                                           QString *error);
    // Files and folders dropped together: each folder's resumes as list()
    // finds them, and each file that is a resume type.
    static std::optional<QStringList> collect(const QStringList &paths, int maxFiles, int *skipped,
                                              QString *error);

    // One resume read into a row (its text extracted, a PDF in the helper
    // process): for a worker thread. `index` numbers the row from 1.
    static SheetImport::Row read(const QString &path, int index, const Options &options);
    // read() in its two halves: the slow one (the text), for a worker thread,
    static Draft readDraft(const QString &path, int index, const Options &options);
    // and the row a draft makes with the batch's choices, checked and keyed.
    static SheetImport::Row rowOf(const Draft &draft, const Options &options);
};

} // namespace cdesk
