#pragma once

#include "resume/TextDecoding.h"

#include <QByteArrayView>
#include <QChar>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cdesk {

// What a sheet says, before any meaning is given to it: a header and rows of
// cells. Every record with a cell that is not blank is a row; the blank ones
// (Excel writes ",,,," for a formatted empty row) are left out.
struct SheetTable
{
    QStringList header; // trimmed; an empty name becomes "Column 3", a repeated one "Email (2)"
    QList<QStringList> rows; // as written: a row may have fewer or more cells than the header
    QList<int> rowLines; // where each row starts in the file (from 1; for .xlsx its row number)
    QString format; // what it was read as, for the recruiter: "CSV, UTF-8, comma"
};

// Bounds on what one sheet may make us hold: a sheet a recruiter exports is
// a few hundred rows; anything far beyond is a wrong or hostile file.
struct SheetLimits
{
    qint64 maxBytes = 64 * 1024 * 1024;
    int maxRows = 100000;
    int maxColumns = 1000;
    int maxCellChars = 100000; // Excel's own limit is 32,767
    qint64 maxCells = 2'000'000; // all cells read, blank ones too
};

// Where a sheet cannot be read, in the recruiter's words.
struct SheetError
{
    int line = 0; // 0 when the whole file is at fault
    int column = 0; // 0 when the whole line is
    QString message;

    // "Line 12, column 8: ..." or the message alone.
    QString text() const;
};

// RFC 4180 CSV as Excel, LibreOffice and Google Sheets write it: quoted
// cells with delimiters, quotes ("") and line breaks inside, CRLF, LF or a
// lone CR (Excel for Mac) between records. The delimiter is Excel's "sep="
// line when there is one, else whichever of comma, semicolon, tab and bar
// splits the first records into the same number of cells. The text is UTF-8
// (with or without a BOM), UTF-16 LE or BE with a BOM (Excel's "Unicode
// text"), or else Windows-1252 (Excel's plain "CSV" on Windows). A quote that
// is never closed, or text after a closing quote, is an error naming its line
// and column: a guess there would shift every later cell.
class CsvReader
{
    Q_DECLARE_TR_FUNCTIONS(CsvReader)
public:
    static std::optional<SheetTable> parse(QByteArrayView bytes, SheetError *error,
                                           const SheetLimits &limits = {});
    // Reads at most limits.maxBytes; a larger file is refused unread.
    static std::optional<SheetTable> readFile(const QString &path, SheetError *error,
                                              const SheetLimits &limits = {});

    // The delimiter of decoded CSV text (comma when nothing splits it).
    static QChar detectDelimiter(QStringView text);
    // "comma", "semicolon", "tab", "bar".
    static QString delimiterName(QChar delimiter);
};

// The header as SheetTable keeps it: trimmed, blanks named by their place,
// repeats numbered.
QStringList tidyHeader(const QStringList &cells);

} // namespace cdesk
