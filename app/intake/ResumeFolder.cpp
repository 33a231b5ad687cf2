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

SheetImport::Row ResumeFolder::read(const QString &path, int index, const Options &options)
{
    SheetImport::Row row;
    row.line = index;
    row.origin = QFileInfo(path).fileName();
    Submission &s = row.submission;
    s.source = u"import:resumes"_s;
    Candidate &c = s.candidate;
    c.resumeFile = QFileInfo(path).absoluteFilePath();
    c.jobId = options.jobForAll;
    c.source = options.source;

    const ResumeReading reading = ResumeReader::read(
        path, options.validation.phoneRegion, options.validation.maxResumeBytes, options.limits);
    c.name = reading.fill.name;
    c.email = reading.fill.email;
    c.phone = reading.fill.phone;
    for (auto link = reading.fill.links.cbegin(); link != reading.fill.links.cend(); ++link)
        c.customFields.insert(link.key(), link.value());

    row.problems = IntakeSession::check(&s, options.validation);
    // A field the resume does not give is told as such, not as a typing slip.
    const QString unreadable = reading.text.problem;
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
