#pragma once

#include "resume/Autofill.h"
#include "resume/ResumeInspector.h"
#include "resume/TextExtractor.h"

#include <QCoreApplication>
#include <QFuture>
#include <QString>

namespace cdesk {

// Everything the app learns from a resume in one pass, off the GUI thread:
// what it is, its text, and what the text says about the candidate.
struct ResumeReading
{
    ResumeInfo info;
    ExtractedText text;
    AutofillResult fill;
};

// What a resume over the server's limit can become instead. The original is
// never changed: the result is a new file in `targetDir`.
struct ShrinkResult
{
    bool ok = false;
    QString path; // the new file
    qint64 size = 0;
    QString message; // plain words: what was done, or honestly why it could not be
};

class ResumeReader
{
    Q_DECLARE_TR_FUNCTIONS(ResumeReader)
public:
    static ResumeReading read(const QString &path, const QString &phoneRegion, qint64 maxBytes,
                              const ExtractLimits &limits = {});
    static QFuture<ResumeReading> readAsync(const QString &path, const QString &phoneRegion,
                                            qint64 maxBytes, const ExtractLimits &limits = {});

    // The extracted text as a UTF-8 .txt resume named after the original.
    static ShrinkResult asPlainText(const ResumeReading &reading, const QString &targetDir);
    // A smaller copy where one is really possible (DOCX and ODT: their parts
    // zipped again at the highest compression). Says so when it is not.
    static ShrinkResult compress(const ResumeInfo &info, const QString &targetDir, qint64 maxBytes);
};

} // namespace cdesk
