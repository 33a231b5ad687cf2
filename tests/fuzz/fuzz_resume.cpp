// A resume file as the recruiter drops it: ResumeInspector judges it by its
// content (the zip directory of a DOCX or ODT, the OLE2 directory of a .doc,
// the head of a text file), then TextExtractor reads it within its limits.
// An input is the whole file; it is written to a temporary file because both
// read from disk, as they do in the app. DOCX and ODT are read twice, with
// bounds on entries, part sizes and text small enough that a few KiB of
// fuzzed zip cross them, and with roomier ones. PDFs are left to Poppler's
// own fuzzing: they are read in a helper process.

#include "FuzzSupport.h"

#include "resume/ResumeInspector.h"
#include "resume/TextExtractor.h"

#include <QFile>
#include <QTemporaryDir>

#include <cstdint>
#include <memory>

using namespace cdesk;

namespace {

QString inputPath()
{
    static const auto dir = std::make_unique<QTemporaryDir>();
    FUZZ_CHECK(dir->isValid());
    return dir->filePath(QStringLiteral("resume")); // no extension: judged by content alone
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = inputPath();
    {
        QFile file(path);
        FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        FUZZ_CHECK(file.write(reinterpret_cast<const char *>(data), qint64(size)) == qint64(size));
    }

    const ResumeInfo info = ResumeInspector::inspect(path, 1024);
    FUZZ_CHECK(info.accepted == info.problem.isEmpty());
    FUZZ_CHECK(!info.accepted || !info.typeLabel.isEmpty());
    FUZZ_CHECK(info.size == qint64(size));
    FUZZ_CHECK(info.overLimit == (qint64(size) > 1024));
    if (info.typeLabel.isEmpty() || info.mimeType == u"application/pdf")
        return 0;

    ExtractLimits tight;
    tight.maxTextChars = 64;
    tight.maxInputBytes = 512;
    tight.maxZipEntries = 4;
    tight.maxEntryBytes = 2048;
    tight.maxTotalBytes = 3072;
    tight.helperPath = QStringLiteral("/nonexistent/candidate-desk-extract");
    fuzz::checkReadableText(TextExtractor::extract(path, tight), tight.maxTextChars);

    ExtractLimits roomy = tight;
    roomy.maxTextChars = 100'000;
    roomy.maxInputBytes = 1024 * 1024;
    roomy.maxZipEntries = 64;
    roomy.maxEntryBytes = 1024 * 1024;
    roomy.maxTotalBytes = 2 * 1024 * 1024;
    fuzz::checkReadableText(TextExtractor::extract(path, roomy), roomy.maxTextChars);
    return 0;
}
