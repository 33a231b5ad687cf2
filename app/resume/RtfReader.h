#pragma once

#include "resume/TextBudget.h"
#include "resume/TextExtractor.h"

class QIODevice;

namespace cdesk {

// Streams an RTF file into text: groups and control words stripped, the
// destinations that hold no document text (font, colour and style tables,
// metadata, pictures, field instructions, any {\*...}) skipped, \'hh decoded
// in the code page of the document or of the current font, \uN with its \ucN
// fallback skipped. Reads a chunk at a time and keeps a bounded group stack,
// so neither a picture of 50 MB nor a million nested braces costs memory.
class RtfReader
{
public:
    // Reads no further than limits.maxInputBytes and keeps at most
    // limits.maxTextChars; truncated says either bound was reached.
    static RawText read(QIODevice &in, const ExtractLimits &limits);
};

} // namespace cdesk
