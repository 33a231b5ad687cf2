#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace cdesk {

// One record of a CSV file the app writes (the history export, an import
// report): RFC 4180, fields with a quote, comma or line break quoted and
// their quotes doubled, CRLF at the end, UTF-8. A field a spreadsheet would
// run as a formula ("=HYPERLINK(...)" typed into a career-page form) gets a
// leading apostrophe; phone numbers such as "+91 98450 12345" are left as
// they are.
QString csvField(const QString &text);
QByteArray csvLine(const QStringList &fields);

} // namespace cdesk
