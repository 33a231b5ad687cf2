#pragma once

#include "resume/ResumeInspector.h"

#include <QByteArray>
#include <QFuture>
#include <QString>

namespace cdesk {

// The text of a resume, or why there is none, in the recruiter's words.
struct ExtractedText
{
    bool ok = false; // text was read; problem is empty
    QString text; // LF line ends; pages and document parts separated by a blank line
    QString problem; // plain words: what happened and what to do
    bool timedOut = false; // the PDF reader ran out of time and was stopped
    bool imageOnly = false; // a PDF with pages but no text (a scan)
    int pages = 0; // PDF pages; 0 for other types
    bool truncated = false; // the text reached ExtractLimits::maxTextChars and was cut there
};

// Bounds on what one resume may cost. A resume is a few pages: anything far
// beyond these is a damaged or hostile file, and the recruiter is better served
// by a message than by a frozen machine.
struct ExtractLimits
{
    // The text kept; a resume is rarely above 30,000 characters.
    qsizetype maxTextChars = 1'000'000;
    // TXT and RTF are read no further than this (an RTF with pictures is large).
    qint64 maxInputBytes = 64 * 1024 * 1024;
    // DOCX and ODT: entries in the archive (the inspector's bound, so a file it
    // accepts is never refused here for its entry count).
    int maxZipEntries = ResumeInspector::kMaxZipEntries;
    // DOCX and ODT: the uncompressed size of one part read, and of all parts read.
    qint64 maxEntryBytes = 20 * 1024 * 1024;
    qint64 maxTotalBytes = 64 * 1024 * 1024;
    // PDF: how long the helper process may take before it is killed.
    int pdfTimeoutMs = 15'000;
    // PDF: the helper executable; empty means candidate-desk-extract next to
    // the running executable.
    QString helperPath;
};

// Reads the text of a resume: PDF (in the candidate-desk-extract helper
// process, so a PDF that crashes or hangs Poppler cannot take the app down),
// DOCX and ODT (parts streamed out of the zip with bounds), RTF and plain text
// (UTF-8, UTF-16 with a BOM, otherwise Windows-1252). The type is judged by
// content with ResumeInspector, never by the file's name.
class TextExtractor
{
public:
    using Limits = ExtractLimits;

    // Blocks: for a worker thread, a command line tool or a test. A PDF blocks
    // up to limits.pdfTimeoutMs.
    static ExtractedText extract(const QString &path, const ExtractLimits &limits = {});
    // The same on the global thread pool: what the GUI thread calls. Cancelling
    // the future stops a running PDF helper at once.
    static QFuture<ExtractedText> extractAsync(const QString &path,
                                               const ExtractLimits &limits = {});

    // For tests and fuzzing: the RTF reader alone, on bytes in memory, with the
    // limits and the clean-up of extract(). The bytes are read as RTF whatever
    // they hold (extract() judges the type by content first).
    static ExtractedText extractRtf(const QByteArray &rtf, const ExtractLimits &limits = {});

    // candidate-desk-extract in QCoreApplication::applicationDirPath().
    static QString defaultHelperPath();
};

} // namespace cdesk
