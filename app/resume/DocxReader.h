#pragma once

#include "resume/TextBudget.h"
#include "resume/TextExtractor.h"

namespace cdesk {

// WordprocessingML (DOCX): the body of word/document.xml, with the page headers
// and footers of word/header*.xml and word/footer*.xml around it.
// The parts are read through OfficePackage, within the limits.
class DocxReader
{
public:
    static RawText read(const QString &path, const ExtractLimits &limits);
};

} // namespace cdesk
