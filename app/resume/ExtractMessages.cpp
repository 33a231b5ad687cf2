#include "ExtractMessages.h"

#include <QCoreApplication>

namespace cdesk::ExtractMessages {

QString tr(const char *text, const char *disambiguation, int n)
{
    return QCoreApplication::translate("TextExtractor", text, disambiguation, n);
}

QString fillByHand()
{
    return tr("Fill in the form by hand; the file itself can still be sent as it is.");
}

QString askForAnotherCopy()
{
    return tr("Ask the candidate for another copy (a PDF, say), or fill in the form by hand.");
}

QString cannotOpen(const QString &why)
{
    return tr("Candidate Desk cannot open this file (%1). Check that you may read it, and choose "
              "it again.")
        .arg(why);
}

QString damagedDocument()
{
    return tr("This document is damaged and its text cannot be read. Open it in Word or "
              "LibreOffice and save it again.")
        + u' ' + fillByHand();
}

} // namespace cdesk::ExtractMessages
