#include "ResumeTestSupport.h"
#include "resume/TextExtractor.h"

#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

#include <functional>

using namespace Qt::StringLiterals;
using cdesk::ExtractedText;
using cdesk::ExtractLimits;
using cdesk::TextExtractor;
using namespace cdesk::test;

namespace {

using Entries = QList<QPair<QString, QByteArray>>;

const QByteArray kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const QByteArray kMcNs = "http://schemas.openxmlformats.org/markup-compatibility/2006";

QByteArray wordPart(const QByteArray &root, const QByteArray &inner)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:" + root
        + " xmlns:w=\"" + kWordNs + "\" xmlns:mc=\"" + kMcNs + "\">" + inner + "</w:" + root + ">";
}

QByteArray paragraph(const QByteArray &text)
{
    return "<w:p><w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r></w:p>";
}

// The parts every DOCX has, the body given as the inside of w:body.
Entries docxParts(const QByteArray &body)
{
    return {
        { u"[Content_Types].xml"_s,
          "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>" },
        { u"_rels/.rels"_s,
          "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
          "2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>" },
        { u"word/document.xml"_s, wordPart("document", "<w:body>" + body + "</w:body>") },
    };
}

const QByteArray kOdfNamespaces
    = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"";

Entries odtParts(const QByteArray &body, const QByteArray &masterPage = {})
{
    Entries entries = {
        { u"mimetype"_s, "application/vnd.oasis.opendocument.text" },
        { u"content.xml"_s,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content " + kOdfNamespaces
              + "><office:body><office:text>" + body
              + "</office:text></office:body></office:document-content>" },
    };
    if (!masterPage.isEmpty()) {
        entries.append({ u"styles.xml"_s,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles "
                             + kOdfNamespaces
                             + "><office:styles><style:style style:name=\"Standard\"/>"
                               "</office:styles><office:master-styles>"
                               "<style:master-page style:name=\"Standard\">"
                             + masterPage
                             + "</style:master-page></office:master-styles>"
                               "</office:document-styles>" });
    }
    return entries;
}

} // namespace

class TestTextExtractor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &data)
    {
        return fixture(m_dir, name, data);
    }

    static ExtractLimits limits()
    {
        ExtractLimits limits;
        limits.helperPath = QString::fromUtf8(CDESK_EXTRACT_EXE);
        return limits;
    }

    static ExtractedText extract(const QString &path, const ExtractLimits &bounds = limits())
    {
        return TextExtractor::extract(path, bounds);
    }

    // A PDF drawn with QPainter at 72 dpi, so that coordinates are points.
    QString pdf(const QString &name, const std::function<void(QPdfWriter &, QPainter &)> &draw)
    {
        const QString path = m_dir.filePath(name);
        QPdfWriter writer(path);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setResolution(72);
        QPainter painter(&writer);
        painter.setFont(QFont(u"DejaVu Sans"_s, 11));
        draw(writer, painter);
        painter.end();
        return path;
    }

    // A DOCX whose body unpacks to `bytes` of zeros, deflated while written
    // (a few hundred KB on disk, never the whole in memory).
    QString zipBomb(const QString &name, qint64 bytes)
    {
        const QString path = m_dir.filePath(name);
        QuaZip zip(path);
        if (!zip.open(QuaZip::mdCreate))
            return {};
        Entries parts = docxParts({});
        parts.removeLast();
        for (const auto &[entry, data] : std::as_const(parts)) {
            QuaZipFile file(&zip);
            if (!file.open(QIODevice::WriteOnly, QuaZipNewInfo(entry)))
                return {};
            file.write(data);
            file.close();
        }
        QuaZipFile file(&zip);
        if (!file.open(QIODevice::WriteOnly, QuaZipNewInfo(u"word/document.xml"_s), nullptr, 0,
                       Z_DEFLATED, Z_BEST_SPEED))
            return {};
        const QByteArray zeros(1024 * 1024, '\0');
        for (qint64 written = 0; written < bytes; written += zeros.size())
            file.write(zeros);
        file.close();
        zip.close();
        return zip.getZipError() == UNZ_OK ? path : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo(QString::fromUtf8(CDESK_EXTRACT_EXE)).isExecutable(), CDESK_EXTRACT_EXE);
    }

    // --- Plain text --------------------------------------------------------

    void plainText_encodings_decoded_data()
    {
        QTest::addColumn<QByteArray>("content");
        const QString text = u"José Müller — Анна Иванова\nada@example.com"_s;
        QTest::newRow("utf-8") << text.toUtf8();
        QTest::newRow("utf-8 with bom") << QByteArray("\xEF\xBB\xBF") + text.toUtf8();
        QTest::newRow("utf-16le with bom") << utf16WithBom(text, QStringEncoder::Utf16LE);
        QTest::newRow("utf-16be with bom") << utf16WithBom(text, QStringEncoder::Utf16BE);
        QTest::newRow("utf-8, crlf") << QString(text).replace(u"\n"_s, u"\r\n"_s).toUtf8();
    }

    void plainText_encodings_decoded()
    {
        QFETCH(QByteArray, content);
        const ExtractedText result = extract(write(u"cv.txt"_s, content));
        QCOMPARE(result.problem, QString());
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"José Müller — Анна Иванова\nada@example.com"_s);
        QCOMPARE(result.pages, 0);
        QVERIFY(!result.truncated);
    }

    void plainText_invalidUtf8_readAsWindows1252()
    {
        const ExtractedText result = extract(
            write(u"cv.txt"_s, "Jos\xE9 M\xFCller\r\nFee: \x80 5 \x96 \x93quoted\x94\r\n"));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"José Müller\nFee: € 5 – “quoted”"_s);
    }

    void plainText_longerThanCap_cutAndMarkedTruncated()
    {
        ExtractLimits bounds = limits();
        bounds.maxTextChars = 10;
        const ExtractedText result = extract(write(u"long.txt"_s, "0123456789abcdef\n"), bounds);
        QVERIFY(result.ok);
        QVERIFY(result.truncated);
        QCOMPARE(result.text, u"0123456789"_s);
    }

    void plainText_capInsideSurrogatePair_cutBeforeIt()
    {
        // The cap falls between the two halves of an emoji (caught by fuzz_resume's checks):
        // half a pair is no character, and the preview would show it as garbage.
        ExtractLimits bounds = limits();
        bounds.maxTextChars = 4;
        const ExtractedText result
            = extract(write(u"emoji.txt"_s, u"Ash😀 Rao\n"_s.toUtf8()), bounds);
        QVERIFY(result.ok);
        QVERIFY(result.truncated);
        QCOMPARE(result.text, u"Ash"_s);
    }

    void plainText_utf8CutByInputBound_staysUtf8()
    {
        // The bound falls inside "é": the cut must not turn the file into Windows-1252.
        ExtractLimits bounds = limits();
        bounds.maxInputBytes = 4;
        const ExtractedText result = extract(write(u"cut.txt"_s, u"Josébé\n"_s.toUtf8()), bounds);
        QVERIFY(result.ok);
        QVERIFY(result.truncated);
        QCOMPARE(result.text, u"Jos"_s);
    }

    // --- RTF ---------------------------------------------------------------

    void rtf_controlWordsAndDestinations_stripped()
    {
        const QByteArray rtf
            = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 "
              "Helvetica;}{\\f1\\froman Times;}}\n"
              "{\\colortbl;\\red0\\green0\\blue0;}{\\stylesheet{\\s0 Normal;}}{\\*\\generator "
              "Writer 1.0;}{\\info{\\title My CV}{\\author Someone}}\n"
              "{\\header\\pard ada@example.com\\par}\n"
              "\\viewkind4\\uc1\\pard\\f0\\fs24 Jos\\'e9 M\\u252?ller\\par\n"
              "Analyst\\line second line\\tab tabbed\\par\n"
              "{\\pict\\pngblip\\picw10\\pich10 89504e470d0a1a0a}after picture\\par\n"
              "{\\*\\bkmkstart cv}Braces \\{ and \\} and a backslash \\\\\\par\n"
              "\\uc2 caf\\u233\\'c3\\'a9 and \\u8364\\'80\\'80 euro\\par\n"
              "{\\field{\\*\\fldinst HYPERLINK \"https://example.com\"}{\\fldrslt link "
              "text}}\\par\n"
              "{\\footer\\pard +44 20 7946 0958\\par}\n"
              "}";
        const ExtractedText result = extract(write(u"cv.rtf"_s, rtf));
        QCOMPARE(result.problem, QString());
        QVERIFY(result.ok);
        QCOMPARE(result.text,
                 u"ada@example.com\n"
                 "José Müller\n"
                 "Analyst\n"
                 "second line\ttabbed\n"
                 "after picture\n"
                 "Braces { and } and a backslash \\\n"
                 "café and € euro\n"
                 "link text\n"
                 "+44 20 7946 0958"_s);
    }

    void rtf_fontCharset_decodedInItsCodePage()
    {
        if (!QStringDecoder("windows-1251").isValid())
            QSKIP("This Qt decodes no Windows-1251 (built without ICU)");
        const QByteArray rtf = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fcharset0 "
                               "Arial;}{\\f1\\fcharset204 Arial Cyr;}}\n"
                               "\\f1\\'c0\\'ed\\'ed\\'e0 \\f0 Caf\\'e9\\par}";
        const ExtractedText result = extract(write(u"cyrillic.rtf"_s, rtf));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"Анна Café"_s);
    }

    void rtf_documentCodePage_decodesHexEscapes()
    {
        if (!QStringDecoder("windows-1251").isValid())
            QSKIP("This Qt decodes no Windows-1251 (built without ICU)");
        const ExtractedText result = extract(
            write(u"cp1251.rtf"_s, "{\\rtf1\\ansi\\ansicpg1251 \\'c0\\'ed\\'ed\\'e0\\par}"));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"Анна"_s);
    }

    void rtf_deeplyNestedGroups_readWithinBounds()
    {
        const QByteArray rtf
            = "{\\rtf1 " + QByteArray(200'000, '{') + "deep text" + QByteArray(200'000, '}') + "}";
        const ExtractedText result = extract(write(u"nested.rtf"_s, rtf));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"deep text"_s);
    }

    void rtf_binaryData_skipped()
    {
        const QByteArray rtf = QByteArray("{\\rtf1 before {\\pict\\bin6 ")
            + QByteArray("{}\\x\0y", 6) + "}after\\par}";
        const ExtractedText result = extract(write(u"bin.rtf"_s, rtf));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"before after"_s);
    }

    // --- DOCX --------------------------------------------------------------

    void docx_paragraphsTabsAndBreaks_kept()
    {
        const QByteArray body
            = "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
              "<w:r><w:t>Ada</w:t></w:r><w:r><w:t xml:space=\"preserve\"> "
              "Lovelace</w:t></w:r></w:p>"
              "<w:p><w:r><w:t>Skills:</w:t><w:tab/><w:t>Mathematics</w:t><w:br/>"
              "<w:t>Engines</w:t></w:r></w:p>";
        const ExtractedText result = extract(write(u"cv.docx"_s, zipArchive(docxParts(body))));
        QCOMPARE(result.problem, QString());
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"Ada Lovelace\nSkills:\tMathematics\nEngines"_s);
    }

    void docx_textBoxFallbackDeletionsAndFields_notRepeated()
    {
        const QByteArray box = "<w:txbxContent>" + paragraph("Text box") + "</w:txbxContent>";
        const QByteArray body = paragraph("Ada Lovelace")
            + "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>" + box
            + "</w:drawing></mc:Choice><mc:Fallback><w:pict>" + box
            + "</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
              "<w:p><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>"
              "<w:r><w:instrText>HYPERLINK \"https://example.com\"</w:instrText></w:r>"
              "<w:r><w:t>shown</w:t></w:r></w:p>";
        const ExtractedText result = extract(write(u"box.docx"_s, zipArchive(docxParts(body))));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"Ada Lovelace\nText box\nshown"_s);
    }

    void docx_headersAndFooters_readAroundTheBody()
    {
        Entries entries = docxParts(paragraph("Ada Lovelace") + paragraph("Analyst"));
        entries.append({ u"word/header1.xml"_s, wordPart("hdr", paragraph("ada@example.com")) });
        // Word repeats a header for the first and even pages: one copy is enough.
        entries.append({ u"word/header2.xml"_s, wordPart("hdr", paragraph("ada@example.com")) });
        entries.append({ u"word/footer1.xml"_s, wordPart("ftr", paragraph("+44 20 7946 0958")) });
        const ExtractedText result = extract(write(u"margins.docx"_s, zipArchive(entries)));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"ada@example.com\n\nAda Lovelace\nAnalyst\n\n+44 20 7946 0958"_s);
    }

    void docx_largerThanOneReadChunk_readWhole()
    {
        QByteArray body;
        for (int i = 0; i < 5000; ++i)
            body += paragraph("Line " + QByteArray::number(i));
        QVERIFY(body.size() > 4 * 64 * 1024);
        const ExtractedText result = extract(write(u"long.docx"_s, zipArchive(docxParts(body))));
        QVERIFY(result.ok);
        const QStringList lines = result.text.split(u'\n');
        QCOMPARE(lines.size(), 5000);
        QCOMPARE(lines.first(), u"Line 0"_s);
        QCOMPARE(lines.at(2500), u"Line 2500"_s);
        QCOMPARE(lines.last(), u"Line 4999"_s);
    }

    void docx_fromTestData_read()
    {
        const ExtractedText result
            = extract(write(u"minimal.docx"_s, minimalDocx(u"Zoë Müller\nAnalyst & <Engineer>"_s)));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"Zoë Müller\nAnalyst & <Engineer>"_s);
    }

    void docx_zipBomb_refusedQuickly()
    {
        const QString path = zipBomb(u"bomb.docx"_s, 200LL * 1024 * 1024);
        QVERIFY(!path.isEmpty());
        QVERIFY(QFileInfo(path).size() < 2 * 1024 * 1024);
        const ExtractedText result = extract(path);
        QVERIFY(!result.ok);
        QVERIFY(result.text.isEmpty());
        QVERIFY2(result.problem.contains(u"would unpack to more than 20 MB"_s),
                 qPrintable(result.problem));
    }

    void docx_partsOverTotalCap_refused()
    {
        Entries entries = docxParts(paragraph(QByteArray(1500, 'a')));
        entries.append(
            { u"word/header1.xml"_s, wordPart("hdr", paragraph(QByteArray(1500, 'b'))) });
        ExtractLimits bounds = limits();
        bounds.maxTotalBytes = 2000;
        const ExtractedText result = extract(write(u"total.docx"_s, zipArchive(entries)), bounds);
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"would unpack to more than"_s),
                 qPrintable(result.problem));
    }

    void docx_tooManyEntries_refused()
    {
        Entries entries = docxParts(paragraph("Ada Lovelace"));
        for (int i = 0; i < 5; ++i)
            entries.append({ u"word/media/image%1.png"_s.arg(i), pngImage() });
        ExtractLimits bounds = limits();
        bounds.maxZipEntries = 5;
        const ExtractedText result = extract(write(u"many.docx"_s, zipArchive(entries)), bounds);
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"more than 5 files inside"_s),
                 qPrintable(result.problem));
    }

    void docx_unsafeEntryName_refused_data()
    {
        QTest::addColumn<QString>("entryName");
        QTest::newRow("parent folder") << u"../evil.xml"_s;
        QTest::newRow("parent folder inside") << u"word/../../evil.xml"_s;
        QTest::newRow("backslashes") << u"word\\..\\..\\evil.xml"_s;
        QTest::newRow("absolute") << u"/etc/evil.xml"_s;
        QTest::newRow("drive letter") << u"C:/evil.xml"_s;
    }

    void docx_unsafeEntryName_refused()
    {
        QFETCH(QString, entryName);
        Entries entries = docxParts(paragraph("Ada Lovelace"));
        entries.append({ entryName, "x" });
        const ExtractedText result = extract(write(u"unsafe.docx"_s, zipArchive(entries)));
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"no word processor writes such a name"_s),
                 qPrintable(result.problem));
    }

    void docx_nulInEntryName_refused()
    {
        Entries entries = docxParts(paragraph("Ada Lovelace"));
        entries.append({ u"word/evilXname.xml"_s, "x" });
        QByteArray zip = zipArchive(entries);
        // QuaZip writes names as C strings: put the NUL in afterwards, in the
        // local header and in the central directory alike.
        QCOMPARE(zip.count("word/evilXname.xml"), 2);
        zip.replace("word/evilXname.xml", QByteArray("word/evil\0name.xml", 18));
        const ExtractedText result = extract(write(u"nul.docx"_s, zip));
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"“word/evil\\0name.xml”"_s), qPrintable(result.problem));
    }

    void docx_malformedXml_saidDamaged()
    {
        Entries entries = docxParts({});
        entries.last().second = "<?xml version=\"1.0\"?><w:document xmlns:w=\"" + kWordNs
            + "\"><w:body><w:p><w:r><w:t>Ada</w:r></w:p>";
        const ExtractedText result = extract(write(u"broken.docx"_s, zipArchive(entries)));
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"damaged"_s), qPrintable(result.problem));
    }

    void docx_emptyBody_saysThereIsNoText()
    {
        const ExtractedText result
            = extract(write(u"empty.docx"_s, zipArchive(docxParts("<w:p/>"))));
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"no text"_s), qPrintable(result.problem));
    }

    // --- ODT ---------------------------------------------------------------

    void odt_spacesTabsAndLineBreaks_asOdfSays()
    {
        const QByteArray body
            = "<text:h>Ada   Lovelace</text:h>\n  "
              "<text:p>\n  Skills:<text:tab/>Mathematics<text:line-break/>"
              "Engines   and<text:s text:c=\"3\"/>looms <text:span>span</text:span>"
              "<office:annotation><text:p>a comment</text:p></office:annotation>"
              "</text:p>";
        const ExtractedText result = extract(write(u"cv.odt"_s, zipArchive(odtParts(body))));
        QCOMPARE(result.problem, QString());
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"Ada Lovelace\nSkills:\tMathematics\nEngines and   looms span"_s);
    }

    void odt_headerAndFooterInStyles_readAroundTheBody()
    {
        // header-style holds the header's layout, not its text.
        const QByteArray master = "<style:header-style/>"
                                  "<style:header><text:p>ada@example.com</text:p></style:header>"
                                  "<style:footer><text:p>+44 20 7946 0958</text:p></style:footer>";
        const ExtractedText result = extract(
            write(u"margins.odt"_s, zipArchive(odtParts("<text:p>Ada Lovelace</text:p>", master))));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"ada@example.com\n\nAda Lovelace\n\n+44 20 7946 0958"_s);
    }

    void odt_fromTestData_read()
    {
        const ExtractedText result
            = extract(write(u"minimal.odt"_s, minimalOdt(u"Zoë Müller\nAnalyst"_s)));
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"Zoë Müller\nAnalyst"_s);
    }

    void odt_unsafeEntryName_refused()
    {
        Entries entries = odtParts("<text:p>Ada Lovelace</text:p>");
        entries.append({ u"../../evil.xml"_s, "x" });
        const ExtractedText result = extract(write(u"unsafe.odt"_s, zipArchive(entries)));
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"“../../evil.xml”"_s), qPrintable(result.problem));
    }

    // --- PDF ---------------------------------------------------------------

    void pdf_twoPages_textAndPageCount()
    {
        const QString path = pdf(u"two-pages.pdf"_s, [](QPdfWriter &writer, QPainter &painter) {
            painter.drawText(QPointF(72, 72), u"Ada Lovelace"_s);
            painter.drawText(QPointF(72, 90), u"ada.lovelace@example.com"_s);
            writer.newPage();
            painter.drawText(QPointF(72, 72), u"Experience: Analytical Engine"_s);
        });
        const ExtractedText result = extract(path);
        QCOMPARE(result.problem, QString());
        QVERIFY(result.ok);
        QCOMPARE(result.pages, 2);
        QCOMPARE(result.text,
                 u"Ada Lovelace\nada.lovelace@example.com\n\nExperience: Analytical Engine"_s);
        QVERIFY(!result.imageOnly);
        QVERIFY(!result.timedOut);
    }

    void pdf_twoColumns_eachLineOfEachColumnIntact()
    {
        const QStringList left
            = { u"Ada Lovelace"_s, u"ada.lovelace@example.com"_s, u"+44 20 7946 0958"_s };
        const QStringList right
            = { u"Skills"_s, u"Analytical engines"_s, u"Mathematics and poetry"_s };
        const QString path = pdf(u"columns.pdf"_s, [&](QPdfWriter &, QPainter &painter) {
            for (int i = 0; i < left.size(); ++i) {
                painter.drawText(QPointF(40, 80 + 16 * i), left.at(i));
                painter.drawText(QPointF(330, 80 + 16 * i), right.at(i));
            }
        });
        const ExtractedText result = extract(path);
        QVERIFY(result.ok);
        QCOMPARE(result.pages, 1);
        // Side by side lines may share a line of text (Poppler keeps the
        // layout), but each column's line stays whole and apart from the other's.
        for (const QString &line : left + right) {
            const QRegularExpression whole(u"(^|\\s)"_s + QRegularExpression::escape(line)
                                           + u"(\\s|$)"_s);
            QVERIFY2(whole.match(result.text).hasMatch(),
                     qPrintable(line + u" in "_s + result.text));
        }
    }

    void pdf_accentedAndCyrillicNames_read()
    {
        const QString path = pdf(u"names.pdf"_s, [](QPdfWriter &, QPainter &painter) {
            painter.drawText(QPointF(72, 72), u"José Müller-Øberg"_s);
            painter.drawText(QPointF(72, 90), u"Анна Иванова"_s);
        });
        const ExtractedText result = extract(path);
        QVERIFY(result.ok);
        QCOMPARE(result.text, u"José Müller-Øberg\nАнна Иванова"_s);
    }

    void pdf_imageOnly_saidPlainly()
    {
        // A scan: the words are pixels.
        QImage scan(600, 120, QImage::Format_RGB32);
        scan.fill(Qt::white);
        {
            QPainter painter(&scan);
            painter.setFont(QFont(u"DejaVu Sans"_s, 28));
            painter.drawText(QPointF(20, 70), u"Ada Lovelace"_s);
        }
        const QString path = pdf(u"scan.pdf"_s, [&](QPdfWriter &, QPainter &painter) {
            painter.drawImage(QRectF(40, 40, 450, 90), scan);
        });
        const ExtractedText result = extract(path);
        QVERIFY(!result.ok);
        QVERIFY(result.imageOnly);
        QCOMPARE(result.pages, 1);
        QVERIFY(result.text.isEmpty());
        QVERIFY2(
            result.problem.startsWith(u"This PDF is a scanned image: it has no text to read"_s),
            qPrintable(result.problem));
    }

    void pdf_damaged_saidPlainly()
    {
        const ExtractedText result
            = extract(write(u"damaged.pdf"_s, "%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n"));
        QVERIFY(!result.ok);
        QVERIFY(!result.timedOut);
        QVERIFY(!result.imageOnly);
        QVERIFY2(result.problem.contains(u"damaged"_s), qPrintable(result.problem));
    }

    void pdf_textOverCap_cutByHelper()
    {
        ExtractLimits bounds = limits();
        bounds.maxTextChars = 8;
        const ExtractedText result
            = extract(write(u"long.pdf"_s, minimalPdf("Ada Lovelace, Analyst")), bounds);
        QVERIFY(result.ok);
        QVERIFY(result.truncated);
        QCOMPARE(result.pages, 1);
        QCOMPARE(result.text, u"Ada Love"_s);
    }

    // --- Anything else -----------------------------------------------------

    void executableNamedPdf_refusedByContent()
    {
        const ExtractedText result = extract(write(u"resume.pdf"_s, elfExecutable()));
        QVERIFY(!result.ok);
        QVERIFY(result.text.isEmpty());
        QVERIFY2(result.problem.contains(u"Accepted types:"_s), qPrintable(result.problem));
    }

    void emptyFile_refused()
    {
        const ExtractedText result = extract(write(u"empty.pdf"_s, {}));
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"is empty (0 bytes)"_s), qPrintable(result.problem));
    }

    void extractAsync_deliversTheSameText()
    {
        const QString path = write(u"async.docx"_s, minimalDocx(u"Ada Lovelace"_s));
        QFuture<ExtractedText> future = TextExtractor::extractAsync(path, limits());
        QTRY_VERIFY(future.isFinished());
        QCOMPARE(future.result().text, extract(path).text);
        QCOMPARE(future.result().text, u"Ada Lovelace"_s);
    }
};

QTEST_MAIN(TestTextExtractor)
#include "tst_textextractor.moc"
