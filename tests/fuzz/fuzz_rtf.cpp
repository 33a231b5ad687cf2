// The RTF reader (TextExtractor::extractRtf): an input is an RTF file.
// Read with the defaults, then with tight bounds that reach the cut paths
// (the text cap in the middle of a \u escape or a multi-byte code page, the
// input cap in the middle of a control word or a \bin run).

#include "FuzzSupport.h"

#include "resume/TextExtractor.h"

#include <cstdint>

using namespace cdesk;

namespace {

void check(const QByteArray &rtf, const ExtractLimits &limits)
{
    const ExtractedText result = TextExtractor::extractRtf(rtf, limits);
    // Beyond what every reader keeps: no DEL and no byte-order mark from the
    // RTF's own escapes, nothing blank at either end unless cut.
    fuzz::checkReadableText(result, limits.maxTextChars);
    const QString &text = result.text;
    for (const QChar c : text)
        FUZZ_CHECK(c.unicode() != 0x7f && c.unicode() != 0xfeff);
    FUZZ_CHECK(result.truncated || text == text.trimmed());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray rtf(reinterpret_cast<const char *>(data), qsizetype(size));
    check(rtf, {});
    ExtractLimits tight;
    tight.maxTextChars = 40;
    tight.maxInputBytes = 200;
    check(rtf, tight);
    return 0;
}
