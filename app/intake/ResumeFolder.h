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
    };

    // The resumes in the folder and its subfolders, by name: files whose
    // content is a resume type (ResumeInspector); hidden files and others are
    // left out and counted in *skipped. Nullopt, with *error, when the folder
    // cannot be read or holds more than maxFiles resumes.
    static std::optional<QStringList> list(const QString &folder, int maxFiles, int *skipped,
                                           QString *error);

    // One resume read into a row (its text extracted, a PDF in the helper
    // process): for a worker thread. `index` numbers the row from 1.
    static SheetImport::Row read(const QString &path, int index, const Options &options);
};

} // namespace cdesk
