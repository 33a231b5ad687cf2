#pragma once

#include "resume/ZipWalk.h"

#include <QFuture>
#include <QString>

namespace cdesk {

// What a file on disk is, as a resume the Candidate API will take or refuse.
struct ResumeInfo
{
    QString path; // absolute
    QString fileName;
    qint64 size = 0;
    QString mimeType; // judged by content: what the upload's part says it is
    QString typeLabel; // "PDF", "Word (DOCX)"...; empty when the content is no resume type
    bool accepted = false;
    QString problem; // why it was refused, in plain words naming the accepted types
    bool overLimit = false; // larger than the server takes: a warning, the recruiter decides
};

// Judges a resume by its content, never by its name alone: PDF, Word (DOC and
// DOCX), OpenDocument text (ODT), RTF and plain text are accepted, as the
// Candidate API does. Reads only the file's head and, for a zip or an OLE2
// compound file, its directory; never the whole file. Safe on any thread.
class ResumeInspector
{
public:
    // maxBytes <= 0: no limit.
    static ResumeInfo inspect(const QString &path, qint64 maxBytes);
    // The same on the global thread pool, for the GUI thread.
    static QFuture<ResumeInfo> inspectAsync(const QString &path, qint64 maxBytes);

    // "PDF, Word (DOC or DOCX), OpenDocument text (ODT), RTF or plain text (TXT)".
    static QString acceptedTypes();

    // Bounds on what a zip or OLE2 file may make us read: a DOCX has a few
    // dozen entries, a .doc a handful of directory sectors.
    static constexpr int kMaxZipEntries = ZipLimits::kDefaultMaxEntries;
    static constexpr int kMaxOleDirectorySectors = 256;
};

} // namespace cdesk
