// Workbooks as Excel, LibreOffice and Google Sheets save them, built here part
// by part: shared strings with rich text and phonetic runs, inline strings,
// number formats that make a number a date or keep a phone number's zeros,
// the 1904 date system, sparse cells, and files that must be refused.
#include "TestData.h"
#include "intake/XlsxReader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

const QByteArray kContentTypes = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>)";

QByteArray workbook(const QStringList &sheets, bool date1904 = false)
{
    QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)";
    if (date1904)
        xml += R"(<workbookPr date1904="1"/>)";
    xml += "<sheets>";
    for (qsizetype i = 0; i < sheets.size(); ++i)
        xml += u"<sheet name=\"%1\" sheetId=\"%2\" r:id=\"rId%2\"/>"_s.arg(sheets[i])
                   .arg(i + 1)
                   .toUtf8();
    return xml + "</sheets></workbook>";
}

QByteArray relationships(int sheets, bool absolute)
{
    QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
    for (int i = 1; i <= sheets; ++i)
        xml += u"<Relationship Id=\"rId%1\" Type=\"http://schemas.openxmlformats.org/"
               "officeDocument/2006/relationships/worksheet\" Target=\"%2worksheets/sheet%1.xml\"/>"_s
                   .arg(i)
                   .arg(absolute ? u"/xl/"_s : QString())
                   .toUtf8();
    return xml + "</Relationships>";
}

QByteArray worksheet(const QByteArray &rows)
{
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)"
        + rows + "</sheetData></worksheet>";
}

// Excel: shared strings (one rich, one with a phonetic run), a date style,
// an "00000000000" style for phone numbers, and a second sheet.
QByteArray excelWorkbook()
{
    const QByteArray shared = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="7" uniqueCount="7"><si><t>Full name</t></si><si><t>E-mail</t></si><si><t>Mobile</t></si><si><t>Applied on</t></si><si><r><rPr><b/></rPr><t>Asha</t></r><r><t xml:space="preserve"> Rao</t></r></si><si><t>asha@example.com</t></si><si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si></sst>)";
    const QByteArray styles = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="00000000000"/><numFmt numFmtId="165" formatCode="[$-409]d\-mmm\-yy;@"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>)";
    const QByteArray sheet1 = worksheet(
        R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>)"
        R"(<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>919845012345</v></c><c r="D2" s="1"><v>46000</v></c></row>)"
        R"(<row r="4"><c r="A4" t="s"><v>6</v></c><c r="C4" s="2"><v>7700900123</v></c><c r="D4" s="3"><v>46000.5</v></c></row>)"
        R"(<row r="5"><c r="A5" t="str"><f>UPPER("x")</f><v>X</v></c><c r="B5" t="b"><v>1</v></c><c r="C5"><v>9.1984501234E+11</v></c><c r="D5" t="e"><v>#N/A</v></c></row>)"
        R"(<row r="6" spans="1:4"><c r="A6" s="0"/><c r="B6" s="0"/></row>)");
    const QByteArray sheet2
        = worksheet(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Notes</t></is></c></row>)"
                    R"(<row r="2"><c r="A2" t="inlineStr"><is><t>second sheet</t></is></c></row>)");
    return test::zipArchive({ { u"[Content_Types].xml"_s, kContentTypes },
                              { u"xl/workbook.xml"_s, workbook({ u"Candidates"_s, u"Notes"_s }) },
                              { u"xl/_rels/workbook.xml.rels"_s, relationships(2, false) },
                              { u"xl/sharedStrings.xml"_s, shared },
                              { u"xl/styles.xml"_s, styles },
                              { u"xl/worksheets/sheet1.xml"_s, sheet1 },
                              { u"xl/worksheets/sheet2.xml"_s, sheet2 } });
}

} // namespace

class TestXlsxReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void excel_sharedStringsNumbersDatesAndPhones()
    {
        const QString path = test::writeFile(m_dir->path(), u"fair.xlsx"_s, excelWorkbook());
        SheetError error;
        const auto table = XlsxReader::read(path, {}, &error);
        QVERIFY2(table, qPrintable(error.text()));
        QCOMPARE(table->header,
                 QStringList({ u"Full name"_s, u"E-mail"_s, u"Mobile"_s, u"Applied on"_s }));
        QCOMPARE(table->rows.size(), 3); // row 6 has only empty styled cells
        QCOMPARE(table->rowLines, QList<int>({ 2, 4, 5 }));
        const QString date = QDate(1899, 12, 30).addDays(46000).toString(Qt::ISODate);
        QCOMPARE(table->rows[0],
                 QStringList({ u"Asha Rao"_s, u"asha@example.com"_s, u"919845012345"_s, date }));
        // The phonetic reading is not part of the name; B4 is missing; the
        // phone's format keeps its leading zero; a date with a time.
        QCOMPARE(table->rows[1],
                 QStringList({ u"山田"_s, QString(), u"07700900123"_s, date + u" 12:00"_s }));
        QCOMPARE(table->rows[2], QStringList({ u"X"_s, u"TRUE"_s, u"919845012340"_s, u"#N/A"_s }));
        QCOMPARE(table->format, u"Excel workbook, sheet “Candidates”"_s);
    }

    void chosenSheet_byName_andAnUnknownNameListsThem()
    {
        const QString path = test::writeFile(m_dir->path(), u"fair.xlsx"_s, excelWorkbook());
        SheetError error;
        QCOMPARE(XlsxReader::sheetNames(path, &error),
                 std::optional(QStringList({ u"Candidates"_s, u"Notes"_s })));
        const auto notes = XlsxReader::read(path, u"notes"_s, &error);
        QVERIFY2(notes, qPrintable(error.text()));
        QCOMPARE(notes->header, QStringList({ u"Notes"_s }));
        QCOMPARE(notes->rows.value(0), QStringList({ u"second sheet"_s }));
        QVERIFY(!XlsxReader::read(path, u"Missing"_s, &error));
        QVERIFY2(error.message.contains(u"Its sheets are: Candidates, Notes"_s),
                 qPrintable(error.message));
    }

    void libreOfficeShape_absoluteTargetsInlineStringsAnd1904Dates()
    {
        const QByteArray sheet = worksheet(
            R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Born</t></is></c></row>)"
            R"(<row r="2"><c r="A2" t="inlineStr"><is><r><t>Ana </t></r><r><t>Sá</t></r></is></c><c r="B2" s="1"><v>0</v></c></row>)");
        const QByteArray styles
            = R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>)";
        const QString path = test::writeFile(
            m_dir->path(), u"lo.xlsx"_s,
            test::zipArchive({ { u"xl/workbook.xml"_s, workbook({ u"Sheet1"_s }, true) },
                               { u"xl/_rels/workbook.xml.rels"_s, relationships(1, true) },
                               { u"xl/styles.xml"_s, styles },
                               { u"xl/worksheets/sheet1.xml"_s, sheet } }));
        SheetError error;
        const auto table = XlsxReader::read(path, {}, &error);
        QVERIFY2(table, qPrintable(error.text()));
        QCOMPARE(table->rows.value(0), QStringList({ u"Ana Sá"_s, u"1904-01-01"_s }));
    }

    void dateFormats_andSerials()
    {
        QVERIFY(XlsxReader::isDateFormat(u"dd/mm/yyyy"_s));
        QVERIFY(XlsxReader::isDateFormat(u"[$-409]d\\-mmm\\-yy;@"_s));
        QVERIFY(XlsxReader::isDateFormat(u"h:mm AM/PM"_s));
        QVERIFY(!XlsxReader::isDateFormat(u"General"_s));
        QVERIFY(!XlsxReader::isDateFormat(u"0.00"_s));
        QVERIFY(!XlsxReader::isDateFormat(u"[Red]0;\"days\""_s));
        QVERIFY(!XlsxReader::isDateFormat(u"00000000000"_s));
        QCOMPARE(XlsxReader::serialDateText(1, false), u"1900-01-01"_s);
        QCOMPARE(XlsxReader::serialDateText(61, false), u"1900-03-01"_s);
        QCOMPARE(XlsxReader::serialDateText(45000, false), u"2023-03-15"_s);
        QCOMPARE(XlsxReader::serialDateText(0.75, false), u"18:00"_s);
    }

    void refused_notAWorkbook_damaged_orABomb()
    {
        SheetError error;
        const QString docx = test::writeFile(m_dir->path(), u"cv.xlsx"_s, test::minimalDocx());
        QVERIFY(!XlsxReader::read(docx, {}, &error));
        QVERIFY2(error.message.contains(u"not an Excel workbook"_s), qPrintable(error.message));

        const QString broken = test::writeFile(
            m_dir->path(), u"broken.xlsx"_s,
            test::zipArchive({ { u"xl/workbook.xml"_s, workbook({ u"S"_s }) },
                               { u"xl/worksheets/sheet1.xml"_s,
                                 "<worksheet><sheetData><row><c><v>1</v></row>" } }));
        QVERIFY(!XlsxReader::read(broken, {}, &error));
        QVERIFY2(error.message.contains(u"damaged"_s), qPrintable(error.message));

        // 30 MB of one repeated row packs into a few kilobytes: refused unread.
        QByteArray rows;
        const QByteArray row = R"(<row><c t="inlineStr"><is><t>x</t></is></c></row>)";
        while (rows.size() < 30 * 1024 * 1024)
            rows += row;
        const QString bomb = test::writeFile(
            m_dir->path(), u"bomb.xlsx"_s,
            test::zipArchive({ { u"xl/workbook.xml"_s, workbook({ u"S"_s }) },
                               { u"xl/worksheets/sheet1.xml"_s, worksheet(rows) } }));
        QVERIFY(QFileInfo(bomb).size() < 1024 * 1024);
        QVERIFY(!XlsxReader::read(bomb, {}, &error));
        QVERIFY2(error.message.contains(u"zip bombs"_s), qPrintable(error.message));
    }

    void limits_rowsAndColumns()
    {
        SheetLimits limits;
        limits.maxRows = 1;
        const QString path = test::writeFile(m_dir->path(), u"fair.xlsx"_s, excelWorkbook());
        SheetError error;
        QVERIFY(!XlsxReader::read(path, {}, &error, limits));
        QVERIFY(error.message.contains(u"more than 1 rows"_s));
        limits = {};
        limits.maxColumns = 3;
        QVERIFY(!XlsxReader::read(path, {}, &error, limits));
        QVERIFY2(error.message.contains(u"past column 3"_s), qPrintable(error.message));
    }

    void readSheetFile_choosesByContent()
    {
        const QString xlsxNamedCsv
            = test::writeFile(m_dir->path(), u"export.csv"_s, excelWorkbook());
        SheetError error;
        const auto fromWorkbook = readSheetFile(xlsxNamedCsv, {}, &error);
        QVERIFY2(fromWorkbook, qPrintable(error.text()));
        QCOMPARE(fromWorkbook->header.value(0), u"Full name"_s);
        const QString csv = test::writeFile(m_dir->path(), u"plain.csv"_s, "Name\nA\n");
        QVERIFY(readSheetFile(csv, {}, &error));
        QVERIFY(!readSheetFile(csv, u"Sheet1"_s, &error));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestXlsxReader)
#include "tst_xlsxreader.moc"
