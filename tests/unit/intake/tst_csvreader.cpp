// CSV as the recruiter's tools write it. Each fixture is built here, byte by
// byte, in the shape Excel, LibreOffice or Google Sheets saves: the encoding,
// the byte order mark, the delimiter of the locale and the line breaks.
#include "intake/CsvReader.h"

#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

QByteArray utf16(const QString &text, QStringConverter::Encoding encoding)
{
    QStringEncoder encoder(encoding, QStringConverter::Flag::WriteBom);
    return encoder(text);
}

SheetTable parsed(QByteArrayView bytes, const SheetLimits &limits = {})
{
    SheetError error;
    const auto table = CsvReader::parse(bytes, &error, limits);
    if (!table)
        qWarning() << "not parsed:" << error.text();
    return table.value_or(SheetTable {});
}

SheetError refused(QByteArrayView bytes, const SheetLimits &limits = {})
{
    SheetError error;
    const auto table = CsvReader::parse(bytes, &error, limits);
    if (table)
        qWarning() << "parsed, though it should not be; header:" << table->header;
    return table ? SheetError { -1, -1, u"parsed"_s } : error;
}

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void excelCsvUtf8_bomCrlfAndQuotedCells()
    {
        // Excel "CSV UTF-8 (Comma delimited)": a BOM, CRLF, and quotes only
        // where a cell needs them.
        const QByteArray bytes
            = "\xEF\xBB\xBF"
              "Full name,E-mail,Mobile,Notes\r\n"
              "Asha Rao,asha@example.com,+91 98450 12345,\"Met at the fair, "
              "booth 4\"\r\n"
              "\"Ng, Mei\",mei@example.com,07700 900123,\"Said \"\"call me\"\"\r\n"
              "after 5\"\r\n"
              "Zoë Ångström,zoe@example.com,,\r\n";
        const SheetTable t = parsed(bytes);
        QCOMPARE(t.header, QStringList({ u"Full name"_s, u"E-mail"_s, u"Mobile"_s, u"Notes"_s }));
        QCOMPARE(t.rows.size(), 3);
        QCOMPARE(t.rows[0][3], u"Met at the fair, booth 4"_s);
        QCOMPARE(t.rows[1][0], u"Ng, Mei"_s);
        QCOMPARE(t.rows[1][3], u"Said \"call me\"\nafter 5"_s);
        QCOMPARE(t.rows[2][0], u"Zoë Ångström"_s);
        QCOMPARE(t.rows[2].size(), 4);
        // The lines each row starts on, past the cell with a line break.
        QCOMPARE(t.rowLines, QList<int>({ 2, 3, 5 }));
        QCOMPARE(t.format, u"CSV, UTF-8 with BOM, comma"_s);
    }

    void excelCsvOnGermanWindows_windows1252AndSemicolons()
    {
        // Excel "CSV (Trennzeichen-getrennt)" in a German locale: Windows-1252,
        // semicolons, and commas inside cells that are not delimiters.
        const QByteArray bytes
            = "Name;E-Mail;Telefon;Gehalt\r\n"
              "J\xFCrgen M\xFCller;jm@example.de;+49 30 901820;50.000,00 \x80\r\n"
              "Stra\xDF"
              "e, Anna;anna@example.de;030 1234567;\r\n";
        const SheetTable t = parsed(bytes);
        QCOMPARE(t.header.size(), 4);
        QCOMPARE(t.rows.size(), 2);
        QCOMPARE(t.rows[0][0], u"Jürgen Müller"_s);
        QCOMPARE(t.rows[0][3], u"50.000,00 €"_s);
        QCOMPARE(t.rows[1][0], u"Straße, Anna"_s);
        QCOMPARE(t.format, u"CSV, Windows-1252, semicolon"_s);
    }

    void excelUnicodeText_utf16LeTabs()
    {
        // Excel "Unicode Text (*.txt)": UTF-16 LE with a BOM, tabs, CRLF.
        const QString text = u"Name\tEmail\tPhone\r\n"
                             u"李雷\tli@example.cn\t+86 10 1234 5678\r\n"
                             u"\"Tab\tinside\"\tt@example.com\t\r\n"_s;
        const SheetTable t = parsed(utf16(text, QStringConverter::Utf16LE));
        QCOMPARE(t.header, QStringList({ u"Name"_s, u"Email"_s, u"Phone"_s }));
        QCOMPARE(t.rows.size(), 2);
        QCOMPARE(t.rows[0][0], u"李雷"_s);
        QCOMPARE(t.rows[1][0], u"Tab\tinside"_s);
        QCOMPARE(t.format, u"CSV, UTF-16 LE, tab"_s);
    }

    void utf16BigEndian_withBom()
    {
        const QString text = u"Name,Email\nÉmile,emile@example.fr\n"_s;
        const SheetTable t = parsed(utf16(text, QStringConverter::Utf16BE));
        QCOMPARE(t.rows.value(0).value(0), u"Émile"_s);
        QCOMPARE(t.format, u"CSV, UTF-16 BE, comma"_s);
    }

    void libreOffice_everyTextCellQuoted_lfAndNoBom()
    {
        // LibreOffice's default: UTF-8 without a BOM, LF, text cells quoted.
        const QByteArray bytes = "\"Name\",\"Email\",\"Phone\",\"Job ID\"\n"
                                 "\"Ravi Kumar\",\"ravi@example.com\",\"+91 98450 54321\",12\n"
                                 "\"\",\"\",\"\",\n"
                                 "\"Ana Sá\",\"ana@example.pt\",\"\",\n";
        const SheetTable t = parsed(bytes);
        QCOMPARE(t.rows.size(), 2); // the blank record is no row
        QCOMPARE(t.rows[0][3], u"12"_s);
        QCOMPARE(t.rows[1][0], u"Ana Sá"_s);
        QCOMPARE(t.rowLines, QList<int>({ 2, 4 }));
        QCOMPARE(t.format, u"CSV, UTF-8, comma"_s);
    }

    void excelForMac_loneCarriageReturns()
    {
        const SheetTable t = parsed("Name,Email\rA One,a@example.com\rB Two,b@example.com");
        QCOMPARE(t.rows.size(), 2);
        QCOMPARE(t.rows[1], QStringList({ u"B Two"_s, u"b@example.com"_s }));
        QCOMPARE(t.rowLines, QList<int>({ 2, 3 }));
    }

    void excelSepLine_choosesTheDelimiter()
    {
        // Without the hint, commas would split this better than semicolons.
        const SheetTable t = parsed("sep=;\r\nName;Notes\r\nA;x,y,z\r\nB;p,q,r\r\n");
        QCOMPARE(t.header, QStringList({ u"Name"_s, u"Notes"_s }));
        QCOMPARE(t.rows[0][1], u"x,y,z"_s);
        QCOMPARE(t.rowLines, QList<int>({ 3, 4 }));
    }

    void excelSepLine_withLoneCarriageReturns()
    {
        const SheetTable t = parsed("sep=;\rName;Notes\rA;x,y\r");
        QCOMPARE(t.header, QStringList({ u"Name"_s, u"Notes"_s }));
        QCOMPARE(t.rows.value(0), QStringList({ u"A"_s, u"x,y"_s }));
    }

    void manyRepeatedHeaderNames_areNumberedInOrder()
    {
        const SheetTable t = parsed("a,A,a,b,a (2)\n1,2,3,4,5\n");
        QCOMPARE(t.header, QStringList({ u"a"_s, u"A (2)"_s, u"a (3)"_s, u"b"_s, u"a (2) (2)"_s }));
    }

    void delimiter_isWhatSplitsTheRecordsAlike()
    {
        QCOMPARE(CsvReader::detectDelimiter(u"a;b;c\n1,5;2;3\n4;5,5;6\n"), QChar(u';'));
        QCOMPARE(CsvReader::detectDelimiter(u"a,b\n\"x;y\",2\n"), QChar(u','));
        QCOMPARE(CsvReader::detectDelimiter(u"a\tb\tc\n1\t2\t3\n"), QChar(u'\t'));
        QCOMPARE(CsvReader::detectDelimiter(u"a|b\n1|2\n"), QChar(u'|'));
        QCOMPARE(CsvReader::detectDelimiter(u"just one column\nsecond\n"), QChar(u','));
    }

    void plainCells_keepTheirQuotes_andRaggedRowsStayAsWritten()
    {
        const SheetTable t = parsed("Name,Height,Extra\nTom,5'10\",\nSue\nAl,6',x,y\n");
        QCOMPARE(t.rows[0][1], u"5'10\""_s);
        QCOMPARE(t.rows[1], QStringList({ u"Sue"_s }));
        QCOMPARE(t.rows[2].size(), 4);
    }

    void header_blankAndRepeatedNamesAreTold()
    {
        const SheetTable t = parsed(" Name ,,Email,email\nA,b,c,d\n");
        QCOMPARE(t.header, QStringList({ u"Name"_s, u"Column 2"_s, u"Email"_s, u"email (2)"_s }));
    }

    void unclosedQuote_namesWhereItOpened()
    {
        const SheetError e = refused("Name,Notes\nA,fine\nB,\"never closed\nC,x\nD,y\n");
        QCOMPARE(e.line, 3);
        QCOMPARE(e.column, 3);
        QVERIFY2(e.text().startsWith(u"Line 3, column 3: "_s), qPrintable(e.text()));
        QVERIFY2(e.message.contains(u"never closed"_s), qPrintable(e.message));
    }

    void textAfterClosingQuote_namesTheSpot()
    {
        const SheetError e = refused("Name,Notes\r\nA,\"said \"hi\" twice\"\r\n");
        QCOMPARE(e.line, 2);
        QCOMPARE(e.column, 10); // the h of hi
        QVERIFY2(e.message.contains(u"written twice"_s), qPrintable(e.message));
    }

    void spacesAfterClosingQuote_areForgiven()
    {
        const SheetTable t = parsed("Name,Email\n\"A B\" ,a@example.com\n");
        QCOMPARE(t.rows.value(0).value(0), u"A B"_s);
    }

    void limits_refuseWithThePlace()
    {
        SheetLimits limits;
        limits.maxRows = 2;
        SheetError e = refused("N\na\nb\nc\n", limits);
        QCOMPARE(e.line, 4);
        QVERIFY(e.message.contains(u"more than 2 rows"_s));

        limits = {};
        limits.maxColumns = 3;
        e = refused("a,b,c\n1,2,3,4\n", limits);
        QCOMPARE(e.line, 2);

        limits = {};
        limits.maxCellChars = 10;
        e = refused(QByteArray("a,b\n1,\"" + QByteArray(50, 'x') + "\"\n"), limits);
        QCOMPARE(e.line, 2);
        QVERIFY(e.column > 0);

        limits = {};
        limits.maxCells = 5;
        e = refused("a,b,c\n1,2,3\n", limits);
        QVERIFY2(e.message.contains(u"more than 5 cells"_s), qPrintable(e.message));

        limits = {};
        limits.maxBytes = 16;
        e = refused(QByteArray(17, 'a'), limits);
        QCOMPARE(e.line, 0);
        QVERIFY(e.message.contains(u"at most"_s));
    }

    void notCsv_isToldPlainly()
    {
        QVERIFY(refused("PK\x03\x04rest of a zip").message.contains(u"workbook"_s));
        QVERIFY(refused(QByteArray("a,b\n\0\0\x01", 7)).message.contains(u"not text"_s));
        QVERIFY(refused("").message.contains(u"empty"_s));
        QVERIFY(refused("\r\n,,\r\n").message.contains(u"empty"_s));
    }

    void readFile_readsAndRefusesOversizedUnread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"fair.csv"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Name,Email\nA,a@example.com\n");
        file.close();
        SheetError error;
        QVERIFY(CsvReader::readFile(path, &error));
        SheetLimits small;
        small.maxBytes = 8;
        QVERIFY(!CsvReader::readFile(path, &error, small));
        QVERIFY(error.message.contains(u"larger than"_s));
        QVERIFY(!CsvReader::readFile(dir.filePath(u"missing.csv"_s), &error));
        QVERIFY(error.message.contains(u"missing.csv"_s));
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
