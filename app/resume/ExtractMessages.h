#pragma once

#include <QString>

namespace cdesk {

// The words every resume reader ends its messages with, in one place so that
// the recruiter meets the same advice whichever reader failed. Translated in
// the "TextExtractor" context, where they always were.
namespace ExtractMessages {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1);

// "Fill in the form by hand; the file itself can still be sent as it is."
QString fillByHand();
// "Ask the candidate for another copy (a PDF, say), or fill in the form by hand."
QString askForAnotherCopy();
// The file could not be opened, with the system's reason.
QString cannotOpen(const QString &why);
// A DOCX or ODT whose zip or XML is broken.
QString damagedDocument();

} // namespace ExtractMessages

} // namespace cdesk
