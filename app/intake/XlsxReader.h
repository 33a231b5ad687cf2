#pragma once

#include "intake/CsvReader.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace cdesk {

// One sheet of an Office Open XML workbook (.xlsx, as Excel, LibreOffice and
// Google Sheets save it), read through the bounded zip walk (ZipWalk, the
// limits of a DOCX) and streamed with QXmlStreamReader: shared strings,
// inline strings and rich text, booleans, formula results, dates (by the
// cell's number format, 1900 and 1904 systems) as ISO dates, and whole
// numbers written out in full: a phone number typed as a number comes back
// as typed, with the leading zeros its "00000000000" format shows.
class XlsxReader
{
    Q_DECLARE_TR_FUNCTIONS(XlsxReader)
public:
    // The workbook's sheets, in its order; nullopt when it cannot be read.
    static std::optional<QStringList> sheetNames(const QString &path, SheetError *error);
    // The named sheet, or the first when sheetName is empty.
    static std::optional<SheetTable> read(const QString &path, const QString &sheetName,
                                          SheetError *error, const SheetLimits &limits = {});

    // An Excel serial date as text: "2026-03-14", or "2026-03-14 09:30" with a time.
    static QString serialDateText(double serial, bool date1904);
    // Whether a number format shows a date or a time ("dd/mm/yyyy", "h:mm").
    static bool isDateFormat(const QString &formatCode);
};

// A sheet from a file of either kind: a workbook by its content (a zip with
// xl/workbook.xml), else CSV text.
std::optional<SheetTable> readSheetFile(const QString &path, const QString &sheetName,
                                        SheetError *error, const SheetLimits &limits = {});

} // namespace cdesk
