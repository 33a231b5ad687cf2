#include "intake/ResumeFolder.h"

#include "intake/IntakeSession.h"
#include "resume/ResumeReader.h"

#include <QDirIterator>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace cdesk {

std::optional<QStringList> ResumeFolder::list(const QString &folder, int maxFiles, int *skipped,
                                              QString *error)
{
    const QFileInfo info(folder);
    if (!info.isDir() || !info.isReadable()) {
        *error = tr("Cannot read the folder %1.").arg(folder);
        return std::nullopt;
    }
    QStringList found;
    *skipped = 0;
    QDirIterator it(folder, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (it.fileInfo().isHidden()) {
            ++*skipped;
            continue;
        }
        if (!ResumeInspector::inspect(path, 0).accepted) {
            ++*skipped;
            continue;
        }
        if (found.size() >= maxFiles) {
            *error = tr("The folder holds more than %L1 resumes; import it in smaller folders.")
                         .arg(maxFiles);
            return std::nullopt;
        }
        found << path;
    }
    found.sort(Qt::CaseInsensitive);
    return found;
}

std::optional<QStringList> ResumeFolder::collect(const QStringList &paths, int maxFiles,
                                                 int *skipped, QString *error)
{
    QStringList found;
    *skipped = 0;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            if (found.size() >= maxFiles) {
                *error = tr("More than %L1 resumes at once; add them in smaller groups.")
                             .arg(maxFiles);
                return std::nullopt;
            }
            int skippedHere = 0;
            const auto inFolder = list(path, maxFiles - int(found.size()), &skippedHere, error);
            if (!inFolder)
                return std::nullopt;
            *skipped += skippedHere;
            found << *inFolder;
        } else if (ResumeInspector::inspect(path, 0).accepted) {
            if (found.size() >= maxFiles) {
                *error = tr("More than %L1 resumes at once; add them in smaller groups.")
                             .arg(maxFiles);
                return std::nullopt;
            }
            found << info.absoluteFilePath();
        } else {
            ++*skipped;
        }
    }
    found.removeDuplicates();
    return found;
}

SheetImport::Row ResumeFolder::read(const QString &path, int index, const Options &options)
{
    return rowOf(readDraft(path, index, options), options);
}

ResumeFolder::Draft ResumeFolder::readDraft(const QString &path, int index, const Options &options)
{
    Draft draft;
    draft.index = index;
    Candidate &c = draft.candidate;
    c.resumeFile = QFileInfo(path).absoluteFilePath();
    const ResumeReading reading = ResumeReader::read(
        path, options.validation.phoneRegion, options.validation.maxResumeBytes, options.limits);
    c.name = reading.fill.name;
    c.email = reading.fill.email;
    c.phone = reading.fill.phone;
    for (auto link = reading.fill.links.cbegin(); link != reading.fill.links.cend(); ++link)
        c.customFields.insert(link.key(), link.value());
    draft.unreadable = reading.text.problem;
    return draft;
}

SheetImport::Row ResumeFolder::rowOf(const Draft &draft, const Options &options)
{
    SheetImport::Row row;
    row.line = draft.index;
    row.origin = QFileInfo(draft.candidate.resumeFile).fileName();
    Submission &s = row.submission;
    s.source = u"import:resumes"_s;
    Candidate &c = s.candidate;
    c = draft.candidate;
    c.jobId = options.jobForAll;
    c.source = draft.source.isEmpty() ? options.source : draft.source;
    QString jobProblem;
    if (!draft.jobCell.trimmed().isEmpty()) {
        SheetImport::Options jobs;
        jobs.jobs = options.jobs;
        jobs.jobsLoaded = options.jobsLoaded;
        c.jobId
            = SheetImport::resolveJob(draft.jobCell.trimmed(), ColumnRole::Job, jobs, &jobProblem);
    }

    row.problems = IntakeSession::check(&s, options.validation);
    row.problems.add(u"job_id"_s, jobProblem);
    // A field the resume does not give is told as such, not as a typing slip.
    const QString &unreadable = draft.unreadable;
    auto notFound = [&](const QString &field, const QString &what) {
        if (!row.problems.contains(field))
            return;
        row.problems.remove(field);
        row.problems.add(field,
                         unreadable.isEmpty()
                             ? tr("The resume does not give the candidate's %1; add it "
                                  "by hand.")
                                   .arg(what)
                             : tr("The resume's text could not be read (%1); add the "
                                  "candidate's %2 by hand.")
                                   .arg(unreadable, what));
    };
    if (c.name.isEmpty())
        notFound(u"name"_s, tr("name"));
    if (c.email.isEmpty())
        notFound(u"email"_s, tr("email"));
    if (c.phone.isEmpty())
        notFound(u"phone"_s, tr("phone number"));
    s.idempotencyKey = SheetImport::rowKey(options.account, c);
    return row;
}

} // namespace cdesk
