#pragma once

#include "resume/TextBudget.h"
#include "resume/TextExtractor.h"

namespace cdesk {

// OpenDocument text (ODT): the body of content.xml, with the page headers and
// footers of styles.xml around it.
// The parts are read through OfficePackage, within the limits.
class OdtReader
{
public:
    static RawText read(const QString &path, const ExtractLimits &limits);
};

} // namespace cdesk
