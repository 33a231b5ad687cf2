#include "intake/XlsxReader.h"

#include "resume/ZipWalk.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QLocale>
#include <QXmlStreamReader>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

constexpr qint64 kChunkBytes = 64 * 1024;
const QString kWorkbook = u"xl/workbook.xml"_s;
const QString kWorkbookRels = u"xl/_rels/workbook.xml.rels"_s;
const QString kSharedStrings = u"xl/sharedStrings.xml"_s;
const QString kStyles = u"xl/styles.xml"_s;
constexpr char16_t kRelationshipsNs[]
    = u"http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// The bounded zip walk with a sheet's words for what goes wrong.
class Package
{
    Q_DECLARE_TR_FUNCTIONS(XlsxReader)
public:
    explicit Package(const QString &path)
        : m_zip(path, ZipLimits {}) // the limits of a DOCX
    { }

    bool open()
    {
        if (!m_zip.open())
            return failWalk();
        QString unsafe;
        const bool walked = m_zip.forEachSafe(
            [&](const ZipEntry &entry) {
                m_entries.insert(entry.name, entry);
                return true;
            },
            &unsafe);
        if (!walked)
            return failWalk();
        if (!unsafe.isNull())
            return fail(tr("The workbook holds a part with a name no spreadsheet writes, as "
                           "attacks on other programs do, so it was not read."));
        if (!m_entries.contains(kWorkbook))
            return fail(tr("This zip file is not an Excel workbook (it has no "
                           "xl/workbook.xml). Save the sheet as .xlsx or CSV and import that."));
        return true;
    }

    bool has(const QString &name) const { return m_entries.contains(name); }

    // Streams one part, token by token, until visit() returns false or the
    // part ends. False when the part is missing, damaged or over a bound.
    bool stream(const QString &name, const std::function<bool(QXmlStreamReader &)> &visit)
    {
        const auto entry = m_entries.constFind(name);
        if (entry == m_entries.cend())
            return fail(tr("The workbook is damaged: its part %1 is missing.").arg(name));
        if (!m_zip.reserve(*entry) || !m_zip.openEntry(name))
            return failWalk();
        QXmlStreamReader xml;
        QByteArray chunk(kChunkBytes, Qt::Uninitialized);
        for (;;) {
            xml.readNext();
            if (xml.error() == QXmlStreamReader::PrematureEndOfDocumentError) {
                const qint64 n = m_zip.read(chunk.data(), chunk.size());
                if (n < 0)
                    return failWalk();
                if (n == 0)
                    return fail(damaged(name));
                xml.addData(QByteArray(chunk.constData(), n));
                continue;
            }
            if (xml.hasError())
                return fail(damaged(name));
            if (xml.tokenType() == QXmlStreamReader::EndDocument)
                return true;
            if (!visit(xml))
                return m_problem.isEmpty();
        }
    }

    bool fail(const QString &problem)
    {
        m_problem = problem;
        return false;
    }
    const QString &problem() const { return m_problem; }

private:
    static QString damaged(const QString &part)
    {
        return tr("The workbook is damaged (its part %1 cannot be read). Open it in your "
                  "spreadsheet and save it again, or save it as CSV.")
            .arg(part);
    }

    bool failWalk()
    {
        const ZipLimits limits;
        switch (m_zip.error()) {
        case ZipWalk::Error::TooManyEntries:
            return fail(tr("The workbook holds more than %L1 parts, far more than a sheet of "
                           "candidates: damaged or malicious files look like this, so it was "
                           "not read.")
                            .arg(limits.maxEntries));
        case ZipWalk::Error::EntryTooLarge:
        case ZipWalk::Error::TotalTooLarge:
        case ZipWalk::Error::TooCompressed:
            return fail(tr("The workbook unpacks to far more than a sheet of candidates (over "
                           "%1): damaged or malicious files (“zip bombs”) look like this, so it "
                           "was not read. Split the sheet, or save it as CSV.")
                            .arg(QLocale().formattedDataSize(limits.maxEntryBytes)));
        case ZipWalk::Error::Damaged:
        case ZipWalk::Error::None:
            break;
        }
        return fail(tr("The workbook is damaged and cannot be read. Open it in your "
                       "spreadsheet and save it again, or save it as CSV."));
    }

    ZipWalk m_zip;
    QHash<QString, ZipEntry> m_entries;
    QString m_problem;
};

struct SheetRef
{
    QString name;
    QString part; // "xl/worksheets/sheet1.xml"
};

struct Workbook
{
    QList<SheetRef> sheets;
    bool date1904 = false;
};

bool readWorkbook(Package &package, Workbook *book)
{
    QList<QPair<QString, QString>> named; // name, relationship id
    bool ok = package.stream(kWorkbook, [&](QXmlStreamReader &xml) {
        if (!xml.isStartElement())
            return true;
        const QXmlStreamAttributes a = xml.attributes();
        if (xml.name() == u"workbookPr") {
            const auto v = a.value(u"date1904"_s);
            book->date1904 = v == u"1" || v == u"true";
        } else if (xml.name() == u"sheet") {
            QString rid = a.value(QString::fromUtf16(kRelationshipsNs), u"id"_s).toString();
            if (rid.isEmpty()) {
                for (const QXmlStreamAttribute &attribute : a) {
                    if (attribute.name() == u"id")
                        rid = attribute.value().toString();
                }
            }
            named.append({ a.value(u"name"_s).toString(), rid });
        }
        return true;
    });
    if (!ok)
        return false;
    QHash<QString, QString> targets;
    if (package.has(kWorkbookRels)) {
        ok = package.stream(kWorkbookRels, [&](QXmlStreamReader &xml) {
            if (xml.isStartElement() && xml.name() == u"Relationship") {
                const QXmlStreamAttributes a = xml.attributes();
                QString target = a.value(u"Target"_s).toString();
                // Relative to xl/, or absolute in the package ("/xl/...").
                target = target.startsWith(u'/') ? target.mid(1) : u"xl/"_s + target;
                targets.insert(a.value(u"Id"_s).toString(), QDir::cleanPath(target));
            }
            return true;
        });
        if (!ok)
            return false;
    }
    for (qsizetype i = 0; i < named.size(); ++i) {
        // Without relationships, sheets are sheet1.xml, sheet2.xml... in order.
        const QString part
            = targets.value(named[i].second, u"xl/worksheets/sheet%1.xml"_s.arg(i + 1));
        book->sheets.append({ named[i].first, part });
    }
    if (book->sheets.isEmpty())
        return package.fail(XlsxReader::tr("The workbook has no sheet."));
    return true;
}

// The text of <t> elements inside the current element, phonetic runs left out.
class RichText
{
public:
    // Feeds a token; true while inside the element that started it.
    void feed(const QXmlStreamReader &xml)
    {
        if (xml.isStartElement()) {
            if (xml.name() == u"rPh")
                m_inPhonetic = true;
            else if (xml.name() == u"t")
                m_inText = true;
        } else if (xml.isEndElement()) {
            if (xml.name() == u"rPh")
                m_inPhonetic = false;
            else if (xml.name() == u"t")
                m_inText = false;
        } else if (xml.isCharacters() && m_inText && !m_inPhonetic) {
            m_text += xml.text();
        }
    }
    QString take()
    {
        m_inText = m_inPhonetic = false;
        return std::exchange(m_text, {});
    }
    qsizetype size() const { return m_text.size(); }

private:
    QString m_text;
    bool m_inText = false;
    bool m_inPhonetic = false;
};

bool readSharedStrings(Package &package, const SheetLimits &limits, QStringList *strings)
{
    if (!package.has(kSharedStrings))
        return true;
    RichText text;
    bool inItem = false;
    qint64 total = 0;
    return package.stream(kSharedStrings, [&](QXmlStreamReader &xml) {
        if (xml.isStartElement() && xml.name() == u"si") {
            inItem = true;
            return true;
        }
        if (xml.isEndElement() && xml.name() == u"si") {
            inItem = false;
            total += text.size();
            if (total > limits.maxBytes)
                return package.fail(XlsxReader::tr("The workbook's text is larger than %1.")
                                        .arg(QLocale().formattedDataSize(limits.maxBytes)));
            strings->append(text.take());
            return true;
        }
        if (inItem)
            text.feed(xml);
        return true;
    });
}

// What each cell style shows numbers as: a date, or whole numbers padded
// with zeros to a width ("00000000000", a phone number's format).
struct NumberStyle
{
    bool date = false;
    int zeroPad = 0;
};

bool isBuiltInDate(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47)
        || (id >= 50 && id <= 58);
}

bool readStyles(Package &package, QList<NumberStyle> *styles)
{
    if (!package.has(kStyles))
        return true;
    QHash<int, QString> formats;
    QList<int> xfFormats;
    bool inCellXfs = false;
    const bool ok = package.stream(kStyles, [&](QXmlStreamReader &xml) {
        if (xml.isStartElement()) {
            const QXmlStreamAttributes a = xml.attributes();
            if (xml.name() == u"numFmt")
                formats.insert(a.value(u"numFmtId"_s).toInt(), a.value(u"formatCode"_s).toString());
            else if (xml.name() == u"cellXfs")
                inCellXfs = true;
            else if (inCellXfs && xml.name() == u"xf")
                xfFormats.append(a.value(u"numFmtId"_s).toInt());
        } else if (xml.isEndElement() && xml.name() == u"cellXfs") {
            inCellXfs = false;
        }
        return true;
    });
    if (!ok)
        return false;
    for (const int id : std::as_const(xfFormats)) {
        NumberStyle style;
        const QString code = formats.value(id);
        style.date = formats.contains(id) ? XlsxReader::isDateFormat(code) : isBuiltInDate(id);
        if (!code.isEmpty()
            && std::all_of(code.cbegin(), code.cend(), [](QChar c) { return c == u'0'; }))
            style.zeroPad = int(code.size());
        styles->append(style);
    }
    return true;
}

// "AB12" -> 27 (from 0); -1 when there is no column.
int columnOfReference(QStringView reference)
{
    int column = 0;
    qsizetype i = 0;
    for (; i < reference.size() && reference[i].isLetter(); ++i) {
        const char16_t c = reference[i].toUpper().unicode();
        if (c < u'A' || c > u'Z' || column > 100000)
            return -1;
        column = column * 26 + (c - u'A' + 1);
    }
    return i == 0 ? -1 : column - 1;
}

QString numberText(const QString &raw, const NumberStyle &style, bool date1904)
{
    bool ok = false;
    const double value = raw.toDouble(&ok);
    if (!ok)
        return raw;
    if (style.date)
        return XlsxReader::serialDateText(value, date1904);
    QString text;
    if (std::floor(value) == value && std::fabs(value) < 1e15)
        text = QString::number(qint64(value)); // 9.19845012345E+11 -> 919845012345
    else
        text = QString::number(value, 'g', 15);
    if (style.zeroPad > text.size() && value >= 0)
        text = text.rightJustified(style.zeroPad, u'0');
    return text;
}

class SheetParser
{
    Q_DECLARE_TR_FUNCTIONS(XlsxReader)
public:
    SheetParser(Package &package, const SheetLimits &limits, const QStringList &strings,
                const QList<NumberStyle> &styles, bool date1904)
        : m_package(package)
        , m_limits(limits)
        , m_strings(strings)
        , m_styles(styles)
        , m_date1904(date1904)
    { }

    bool visit(QXmlStreamReader &xml, SheetTable *table);

private:
    bool endCell();
    bool endRow(SheetTable *table);

    Package &m_package;
    const SheetLimits &m_limits;
    const QStringList &m_strings;
    const QList<NumberStyle> &m_styles;
    bool m_date1904;

    int m_rowNumber = 0;
    qint64 m_cellCount = 0; // cells held, blank ones too
    QStringList m_cells;
    bool m_haveHeader = false;
    // The cell being read.
    bool m_inCell = false;
    bool m_inValue = false;
    bool m_inInline = false;
    int m_column = 0;
    QString m_type;
    int m_style = 0;
    QString m_value;
    RichText m_inlineText;
};

bool SheetParser::visit(QXmlStreamReader &xml, SheetTable *table)
{
    if (xml.isStartElement()) {
        const QStringView name = xml.name();
        if (name == u"row") {
            bool ok = false;
            const int r = xml.attributes().value(u"r"_s).toInt(&ok);
            m_rowNumber = ok && r > m_rowNumber ? r : m_rowNumber + 1;
            m_cells.clear();
        } else if (name == u"c") {
            const QXmlStreamAttributes a = xml.attributes();
            const int column = columnOfReference(a.value(u"r"_s));
            m_column = column >= 0 ? column : int(m_cells.size());
            m_type = a.value(u"t"_s).toString();
            m_style = a.value(u"s"_s).toInt();
            m_value.clear();
            m_inlineText.take(); // nothing of another cell's inline text
            m_inCell = true;
        } else if (m_inCell && name == u"v") {
            m_inValue = true;
        } else if (m_inCell && name == u"is") {
            m_inInline = true;
        }
    } else if (xml.isEndElement()) {
        const QStringView name = xml.name();
        if (name == u"v")
            m_inValue = false;
        else if (name == u"is")
            m_inInline = false;
        else if (name == u"c")
            return endCell();
        else if (name == u"row")
            return endRow(table);
    } else if (xml.isCharacters() && m_inValue) {
        m_value += xml.text();
    }
    if (m_inInline)
        m_inlineText.feed(xml);
    if (m_value.size() > m_limits.maxCellChars || m_inlineText.size() > m_limits.maxCellChars)
        return m_package.fail(tr("Row %L1: a cell is longer than %L2 characters.")
                                  .arg(m_rowNumber)
                                  .arg(m_limits.maxCellChars));
    return true;
}

bool SheetParser::endCell()
{
    m_inCell = false;
    if (m_column >= m_limits.maxColumns)
        return m_package.fail(tr("Row %L1 has a cell past column %L2; is this a sheet of "
                                 "candidates?")
                                  .arg(m_rowNumber)
                                  .arg(m_limits.maxColumns));
    QString text;
    if (m_type == u"s") {
        bool ok = false;
        const qsizetype index = m_value.toLongLong(&ok);
        text = ok && index >= 0 && index < m_strings.size() ? m_strings[index] : QString();
    } else if (m_type == u"inlineStr") {
        text = m_inlineText.take();
    } else if (m_type == u"b") {
        text = m_value.trimmed() == u"1" ? u"TRUE"_s : u"FALSE"_s;
    } else if (m_type == u"str" || m_type == u"e") {
        text = m_value;
    } else if (!m_value.isEmpty()) {
        text = numberText(m_value.trimmed(), m_styles.value(m_style), m_date1904);
    }
    if (text.size() > m_limits.maxCellChars)
        return m_package.fail(tr("Row %L1: a cell is longer than %L2 characters.")
                                  .arg(m_rowNumber)
                                  .arg(m_limits.maxCellChars));
    if (m_cellCount + (m_column + 1 - m_cells.size()) > m_limits.maxCells)
        return m_package.fail(tr("The sheet has more than %L1 cells; split it into smaller "
                                 "files.")
                                  .arg(m_limits.maxCells));
    while (m_cells.size() <= m_column) {
        m_cells.append(QString());
        ++m_cellCount;
    }
    m_cells[m_column] = text;
    return true;
}

bool SheetParser::endRow(SheetTable *table)
{
    // Trailing empty cells are no cells (a formatted but empty column).
    while (!m_cells.isEmpty() && m_cells.last().isEmpty())
        m_cells.removeLast();
    const bool blank = std::all_of(m_cells.cbegin(), m_cells.cend(),
                                   [](const QString &cell) { return cell.trimmed().isEmpty(); });
    if (blank)
        return true;
    if (!m_haveHeader) {
        table->header = tidyHeader(m_cells);
        m_haveHeader = true;
        return true;
    }
    if (table->rows.size() >= m_limits.maxRows)
        return m_package.fail(tr("The sheet has more than %L1 rows; split it into smaller files.")
                                  .arg(m_limits.maxRows));
    table->rows.append(m_cells);
    table->rowLines.append(m_rowNumber);
    return true;
}

std::optional<SheetTable> failed(SheetError *error, const QString &message)
{
    if (error)
        *error = { 0, 0, message };
    return std::nullopt;
}

bool isWorkbook(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(4) == "PK\x03\x04";
}

} // namespace

QString XlsxReader::serialDateText(double serial, bool date1904)
{
    // Excel's dates run from 1900 to 9999 (serial 2,958,465); anything else
    // in a date-formatted cell is shown as the number it is.
    if (!std::isfinite(serial) || serial < 0 || serial > 2958466)
        return QString::number(serial, 'g', 15);
    // Excel's 1900 system counts 1900 as a leap year: from serial 61 on,
    // day 0 is 1899-12-30; before it, 1899-12-31.
    const QDate base = date1904 ? QDate(1904, 1, 1)
        : serial >= 61          ? QDate(1899, 12, 30)
                                : QDate(1899, 12, 31);
    const qint64 days = qint64(std::floor(serial));
    const double fraction = serial - double(days);
    const QDate date = base.addDays(days);
    const int minutes = int(std::lround(fraction * 24 * 60));
    if (minutes == 0 || minutes == 24 * 60)
        return (minutes == 0 ? date : date.addDays(1)).toString(Qt::ISODate);
    if (days == 0 && !date1904)
        return QTime(0, 0).addSecs(minutes * 60).toString(u"HH:mm"_s);
    return date.toString(Qt::ISODate) + u' '
        + QTime(0, 0).addSecs(minutes * 60).toString(u"HH:mm"_s);
}

bool XlsxReader::isDateFormat(const QString &formatCode)
{
    // Letters of a date or a time outside quotes, brackets ([Red], [$-409])
    // and escapes. "General" and "0.00" are not dates; "mm:ss" is a time.
    bool quoted = false;
    int bracket = 0;
    for (qsizetype i = 0; i < formatCode.size(); ++i) {
        const QChar c = formatCode[i];
        if (c == u'"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == u'\\' || c == u'_' || c == u'*')
            ++i; // the next character is literal
        else if (c == u'[')
            ++bracket;
        else if (c == u']')
            bracket = qMax(0, bracket - 1);
        else if (bracket == 0 && QStringView(u"dmyhsDMYHS").contains(c))
            return true;
        else if (c == u';')
            break; // the first section decides
    }
    return false;
}

std::optional<QStringList> XlsxReader::sheetNames(const QString &path, SheetError *error)
{
    Package package(path);
    Workbook book;
    if (!package.open() || !readWorkbook(package, &book)) {
        if (error)
            *error = { 0, 0, package.problem() };
        return std::nullopt;
    }
    QStringList names;
    for (const SheetRef &sheet : std::as_const(book.sheets))
        names << sheet.name;
    return names;
}

std::optional<SheetTable> XlsxReader::read(const QString &path, const QString &sheetName,
                                           SheetError *error, const SheetLimits &limits)
{
    Package package(path);
    Workbook book;
    if (!package.open() || !readWorkbook(package, &book))
        return failed(error, package.problem());
    const SheetRef *sheet = &book.sheets.constFirst();
    if (!sheetName.isEmpty()) {
        sheet = nullptr;
        QStringList names;
        for (const SheetRef &candidate : std::as_const(book.sheets)) {
            names << candidate.name;
            if (candidate.name.compare(sheetName, Qt::CaseInsensitive) == 0)
                sheet = &candidate;
        }
        if (!sheet)
            return failed(error,
                          tr("The workbook has no sheet “%1”. Its sheets are: %2.")
                              .arg(sheetName, names.join(u", "_s)));
    }
    QStringList strings;
    QList<NumberStyle> styles;
    if (!readSharedStrings(package, limits, &strings) || !readStyles(package, &styles))
        return failed(error, package.problem());

    SheetTable table;
    SheetParser parser(package, limits, strings, styles, book.date1904);
    if (!package.stream(sheet->part,
                        [&](QXmlStreamReader &xml) { return parser.visit(xml, &table); })) {
        return failed(error, package.problem());
    }
    if (table.header.isEmpty())
        return failed(
            error, tr("The sheet “%1” is empty: there is no header and no row.").arg(sheet->name));
    table.format = tr("Excel workbook, sheet “%1”").arg(sheet->name);
    return table;
}

std::optional<SheetTable> readSheetFile(const QString &path, const QString &sheetName,
                                        SheetError *error, const SheetLimits &limits)
{
    if (isWorkbook(path))
        return XlsxReader::read(path, sheetName, error, limits);
    if (!sheetName.isEmpty())
        return failed(error,
                      XlsxReader::tr("A CSV file has one sheet: leave out the sheet's "
                                     "name."));
    return CsvReader::readFile(path, error, limits);
}

} // namespace cdesk
