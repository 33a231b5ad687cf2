#include "MultipartParser.h"

#include <QHttpMultiPart>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using cdesk::sandbox::MultipartLimits;
using cdesk::sandbox::MultipartParser;
using cdesk::sandbox::MultipartPart;
using cdesk::sandbox::MultipartResult;

namespace {

// The tests write bodies with '\n' for readability; the wire uses CRLF.
QByteArray crlf(QByteArray text)
{
    return text.replace('\n', "\r\n");
}

const QByteArray kBoundary = QByteArrayLiteral("----cdeskBoundary7MA4YWxkTrZu0gW");

// A valid body with a preamble, a text field, a file and an epilogue, as the truncation
// and byte-flip tests start from.
QByteArray referenceBody()
{
    return crlf("This is the preamble. It is to be ignored.\n"
                "------cdeskBoundary7MA4YWxkTrZu0gW\n"
                "Content-Disposition: form-data; name=\"name\"\n"
                "\n"
                "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m\n"
                "------cdeskBoundary7MA4YWxkTrZu0gW\n"
                "Content-Disposition: form-data; name=\"resume\"; filename=\"cv.txt\"\n"
                "Content-Type: text/plain\n"
                "\n"
                "line one\n"
                "line two\n"
                "------cdeskBoundary7MA4YWxkTrZu0gW--\n"
                "This is the epilogue.\n");
}

bool samePart(const MultipartPart &a, const MultipartPart &b)
{
    return a.name == b.name && a.fileName == b.fileName && a.hasFileName == b.hasFileName
        && a.contentType == b.contentType && a.data == b.data;
}

// What every result must satisfy, whatever the input: a failure says why and carries no
// parts; a success carries only named parts whose bytes come from the body.
void checkInvariants(const MultipartResult &result, const QByteArray &body,
                     const MultipartLimits &limits = {})
{
    if (!result.ok) {
        QVERIFY(!result.error.isEmpty());
        QVERIFY(result.parts.isEmpty());
        return;
    }
    QVERIFY(result.parts.size() <= limits.maxParts);
    qsizetype total = 0;
    for (const MultipartPart &part : result.parts) {
        QVERIFY(!part.name.isEmpty());
        QVERIFY(part.hasFileName || part.fileName.isEmpty());
        QVERIFY(body.contains(part.data));
        total += part.data.size();
    }
    QVERIFY(total <= body.size());
}

} // namespace

class tst_MultipartParser : public QObject
{
    Q_OBJECT

private slots:
    // boundaryFrom()
    void boundaryFrom_acceptsValidHeaders_data();
    void boundaryFrom_acceptsValidHeaders();
    void boundaryFrom_rejectsUnusableHeaders_data();
    void boundaryFrom_rejectsUnusableHeaders();
    void boundaryFrom_acceptsQHttpMultiPartsGeneratedBoundary();

    // parse(): what clients send
    void simpleField_isParsed();
    void unicodeFilename_rawUtf8_isDecoded();
    void unicodeFilename_extendedParameter_winsOverFilename();
    void extendedFilename_malformed_fallsBackToFilename();
    void extendedFilename_alone_isDecoded();
    void quotedFilename_escapesAreUnescapedButPathsSurvive();
    void browserPercentEncodedQuote_isLeftAsIs();
    void quotedBoundary_bodyParses();
    void lfOnlyLineEndings_areTolerated();
    void preambleAndEpilogue_areIgnored();
    void binaryData_isReturnedExactly();
    void emptyFilePart_hasEmptyDataAndFileName();
    void emptyDataWithoutLineBreak_isTolerated();
    void duplicateNames_areAllReturnedInOrder();
    void headers_areCaseInsensitiveAndMayBeFolded();
    void partContentType_isLowerCasedWithParameters();
    void transportPaddingAfterDelimiter_isTolerated();
    void closeDelimiterOnly_isAnEmptyForm();
    void qHttpMultiPartBody_isParsed();
    void curlBody_isParsed();
    void browserBody_isParsed();

    // parse(): errors
    void malformedBody_isRejected_data();
    void malformedBody_isRejected();
    void invalidBoundaryArgument_isRejected();
    void headerBlockExactlyAtLimit_isAccepted();
    void partsExactlyAtLimit_areAccepted();
    void headerWithoutLineBreaks_isBoundedByLimit();

    // parse(): robustness and size
    void truncationAtEveryOffset_isHandled();
    void randomByteFlips_neverBreakInvariants();
    void largeFilePart_isParsedExactly();
    void manyFakeDelimiters_areData();
};

void tst_MultipartParser::boundaryFrom_acceptsValidHeaders_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("boundary");

    QTest::newRow("unquoted") << QByteArrayLiteral("multipart/form-data; boundary=abc123")
                              << QByteArrayLiteral("abc123");
    QTest::newRow("quoted") << QByteArrayLiteral("multipart/form-data; boundary=\"a b:c\"")
                            << QByteArrayLiteral("a b:c");
    QTest::newRow("case-insensitive")
        << QByteArrayLiteral("Multipart/Form-Data; BOUNDARY=XyZ") << QByteArrayLiteral("XyZ");
    QTest::newRow("other parameters")
        << QByteArrayLiteral("multipart/form-data; charset=utf-8; boundary=--x--; foo=\"b;ar\"")
        << QByteArrayLiteral("--x--");
    QTest::newRow("odd whitespace")
        << QByteArrayLiteral("  multipart/form-data ;boundary =  \"q\"  ; x=y")
        << QByteArrayLiteral("q");
    QTest::newRow("first boundary wins")
        << QByteArrayLiteral("multipart/form-data; boundary=one; boundary=two")
        << QByteArrayLiteral("one");
    QTest::newRow("70 characters")
        << "multipart/form-data; boundary=" + QByteArray(70, 'b') << QByteArray(70, 'b');
    QTest::newRow("curl") << QByteArrayLiteral(
        "multipart/form-data; boundary=------------------------d74496d66958873e")
                          << QByteArrayLiteral("------------------------d74496d66958873e");
}

void tst_MultipartParser::boundaryFrom_acceptsValidHeaders()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, boundary);

    QString error = u"stale"_s;
    QCOMPARE(MultipartParser::boundaryFrom(header, &error), boundary);
    QVERIFY(error.isEmpty());
    QCOMPARE(MultipartParser::boundaryFrom(header), boundary); // no error pointer: no crash
}

void tst_MultipartParser::boundaryFrom_rejectsUnusableHeaders_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("error");

    QTest::newRow("json") << QByteArrayLiteral("application/json")
                          << u"Invalid Content-Type: application/json"_s;
    QTest::newRow("mixed") << QByteArrayLiteral("multipart/mixed; boundary=abc")
                           << u"Invalid Content-Type: multipart/mixed"_s;
    QTest::newRow("empty header") << QByteArray() << u"Invalid Content-Type: None"_s;
    QTest::newRow("missing boundary")
        << QByteArrayLiteral("multipart/form-data") << u"Invalid boundary in multipart: None"_s;
    QTest::newRow("other parameter only") << QByteArrayLiteral("multipart/form-data; charset=utf-8")
                                          << u"Invalid boundary in multipart: None"_s;
    QTest::newRow("empty boundary") << QByteArrayLiteral("multipart/form-data; boundary=")
                                    << u"Invalid boundary in multipart: None"_s;
    QTest::newRow("empty quoted boundary")
        << QByteArrayLiteral("multipart/form-data; boundary=\"\"")
        << u"Invalid boundary in multipart: None"_s;
    QTest::newRow("71 characters") << "multipart/form-data; boundary=" + QByteArray(71, 'b')
                                   << u"Invalid boundary in multipart: "_s + QString(71, u'b');
    QTest::newRow("trailing space") << QByteArrayLiteral("multipart/form-data; boundary=\"ab \"")
                                    << u"Invalid boundary in multipart: ab "_s;
    QTest::newRow("control character")
        << QByteArrayLiteral("multipart/form-data; boundary=\"a\x01z\"")
        << u"Invalid boundary in multipart: a?z"_s;
}

void tst_MultipartParser::boundaryFrom_rejectsUnusableHeaders()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, error);

    QString actual;
    QVERIFY(MultipartParser::boundaryFrom(header, &actual).isEmpty());
    QCOMPARE(actual, error);
}

void tst_MultipartParser::boundaryFrom_acceptsQHttpMultiPartsGeneratedBoundary()
{
    // QNetworkAccessManager quotes the boundary it sends; its random part is Base64 and so
    // may contain '+', '/' and '='.
    QHttpMultiPart multiPart(QHttpMultiPart::FormDataType);
    const QByteArray header = "multipart/form-data; boundary=\"" + multiPart.boundary() + '"';
    QCOMPARE(MultipartParser::boundaryFrom(header), multiPart.boundary());
}

void tst_MultipartParser::simpleField_isParsed()
{
    const QByteArray body = crlf("--XyZ\n"
                                 "Content-Disposition: form-data; name=\"email\"\n"
                                 "\n"
                                 "zoe@example.com\n"
                                 "--XyZ--\n");
    const MultipartResult result = MultipartParser::parse(body, "XyZ");
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(result.error.isEmpty());
    QCOMPARE(result.parts.size(), 1);
    const MultipartPart &part = result.parts.first();
    QCOMPARE(part.name, u"email"_s);
    QVERIFY(!part.hasFileName);
    QVERIFY(part.fileName.isEmpty());
    QVERIFY(part.contentType.isEmpty());
    QCOMPARE(part.data, QByteArrayLiteral("zoe@example.com"));
}

void tst_MultipartParser::unicodeFilename_rawUtf8_isDecoded()
{
    // curl and QHttpMultiPart put the UTF-8 bytes of the name between the quotes.
    const QByteArray body
        = crlf("--b\n"
               "Content-Disposition: form-data; name=\"r\xc3\xa9sum\xc3\xa9\"; "
               "filename=\"Zo\xc3\xab \xe2\x82\xac \xe6\x97\xa5\xe6\x9c\xac.pdf\"\n"
               "Content-Type: application/pdf\n"
               "\n"
               "%PDF-1.4\n"
               "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QCOMPARE(result.parts[0].name, u"r\u00e9sum\u00e9"_s);
    QVERIFY(result.parts[0].hasFileName);
    QCOMPARE(result.parts[0].fileName, u"Zo\u00eb \u20ac \u65e5\u672c.pdf"_s);
    QCOMPARE(result.parts[0].contentType, QByteArrayLiteral("application/pdf"));
    QCOMPARE(result.parts[0].data, QByteArrayLiteral("%PDF-1.4"));
}

void tst_MultipartParser::unicodeFilename_extendedParameter_winsOverFilename()
{
    const QByteArray body
        = crlf("--b\n"
               "Content-Disposition: form-data; name=\"resume\"; "
               "filename*=UTF-8''%E2%82%AC%20rates.pdf; filename=\"EUR rates.pdf\"\n"
               "\n"
               "x\n"
               "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QVERIFY(result.parts[0].hasFileName);
    QCOMPARE(result.parts[0].fileName, u"\u20ac rates.pdf"_s);
}

void tst_MultipartParser::extendedFilename_malformed_fallsBackToFilename()
{
    // No charset'language' prefix: not an RFC 5987 value, so the plain filename is used.
    const QByteArray body = crlf("--b\n"
                                 "Content-Disposition: form-data; name=\"resume\"; "
                                 "filename=\"plain.pdf\"; filename*=%E2%82%AC.pdf\n"
                                 "\n"
                                 "x\n"
                                 "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QVERIFY(result.parts[0].hasFileName);
    QCOMPARE(result.parts[0].fileName, u"plain.pdf"_s);
}

void tst_MultipartParser::extendedFilename_alone_isDecoded()
{
    // Charset names are case-insensitive; ISO-8859-1 is the other charset RFC 5987 names;
    // a broken escape stays as text.
    const QByteArray body = crlf("--b\n"
                                 "Content-Disposition: form-data; name=\"a\"; "
                                 "filename*=utf-8'en'%E2%82%AC.pdf\n"
                                 "\n"
                                 "x\n"
                                 "--b\n"
                                 "Content-Disposition: form-data; name=\"b\"; "
                                 "filename*=\"ISO-8859-1''caf%E9%zz.txt%\"\n"
                                 "\n"
                                 "y\n"
                                 "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 2);
    QVERIFY(result.parts[0].hasFileName);
    QCOMPARE(result.parts[0].fileName, u"\u20ac.pdf"_s);
    QVERIFY(result.parts[1].hasFileName);
    QCOMPARE(result.parts[1].fileName, u"caf\u00e9%zz.txt%"_s);
}

void tst_MultipartParser::quotedFilename_escapesAreUnescapedButPathsSurvive()
{
    const QByteArray body = crlf("--b\n"
                                 "Content-Disposition: form-data; name=\"a\"; "
                                 "filename=\"say \\\"hi\\\"; now.txt\"\n"
                                 "\n"
                                 "x\n"
                                 "--b\n"
                                 "Content-Disposition: form-data; name=\"b\"; "
                                 "filename=\"C:\\docs\\cv.pdf\"\n"
                                 "\n"
                                 "y\n"
                                 "--b\n"
                                 "Content-Disposition: form-data; name=\"c\"; "
                                 "filename=\"back\\\\slash.txt\"\n"
                                 "\n"
                                 "z\n"
                                 "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 3);
    QCOMPARE(result.parts[0].fileName, u"say \"hi\"; now.txt"_s);
    QCOMPARE(result.parts[1].fileName, u"C:\\docs\\cv.pdf"_s);
    QCOMPARE(result.parts[2].fileName, u"back\\slash.txt"_s);
}

void tst_MultipartParser::browserPercentEncodedQuote_isLeftAsIs()
{
    // HTML's form encoding turns '"' in a filename into %22 and does not decode it back.
    const QByteArray body = crlf("--b\n"
                                 "Content-Disposition: form-data; name=\"resume\"; "
                                 "filename=\"my %22best%22 cv.pdf\"\n"
                                 "\n"
                                 "x\n"
                                 "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QCOMPARE(result.parts[0].fileName, u"my %22best%22 cv.pdf"_s);
}

void tst_MultipartParser::quotedBoundary_bodyParses()
{
    // A quoted boundary may hold characters a token may not (space, ':', '/', '=').
    QString error;
    const QByteArray boundary = MultipartParser::boundaryFrom(
        "multipart/form-data; boundary=\"we ird:b/o=u+nd'ary\"", &error);
    QCOMPARE(boundary, QByteArrayLiteral("we ird:b/o=u+nd'ary"));
    const QByteArray body = crlf("--we ird:b/o=u+nd'ary\n"
                                 "Content-Disposition: form-data; name=\"f\"\n"
                                 "\n"
                                 "v\n"
                                 "--we ird:b/o=u+nd'ary--\n");
    const MultipartResult result = MultipartParser::parse(body, boundary);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QCOMPARE(result.parts[0].data, QByteArrayLiteral("v"));
}

void tst_MultipartParser::lfOnlyLineEndings_areTolerated()
{
    const QByteArray body = "--b\n"
                            "Content-Disposition: form-data; name=\"one\"\n"
                            "\n"
                            "first\n"
                            "--b\n"
                            "Content-Disposition: form-data; name=\"two\"\n"
                            "\n"
                            "second\r\nline\n"
                            "--b--";
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 2);
    QCOMPARE(result.parts[0].data, QByteArrayLiteral("first"));
    // Only the line break right before the delimiter is taken away.
    QCOMPARE(result.parts[1].data, QByteArrayLiteral("second\r\nline"));
}

void tst_MultipartParser::preambleAndEpilogue_areIgnored()
{
    const MultipartResult result = MultipartParser::parse(referenceBody(), kBoundary);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 2);
    QCOMPARE(result.parts[0].name, u"name"_s);
    QCOMPARE(result.parts[0].data, QByteArrayLiteral("Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m"));
    QCOMPARE(result.parts[1].name, u"resume"_s);
    QCOMPARE(result.parts[1].fileName, u"cv.txt"_s);
    QCOMPARE(result.parts[1].data, QByteArrayLiteral("line one\r\nline two"));

    // A preamble line that looks like the boundary but is longer is preamble too, and an
    // epilogue may hold anything, delimiters included.
    const QByteArray tricky = crlf("--bb not us\n"
                                   "--b\n"
                                   "Content-Disposition: form-data; name=\"f\"\n"
                                   "\n"
                                   "v\n"
                                   "--b--\n"
                                   "--b\n"
                                   "Content-Disposition: attachment\n"
                                   "\n");
    const MultipartResult trickyResult = MultipartParser::parse(tricky, "b");
    QVERIFY2(trickyResult.ok, qPrintable(trickyResult.error));
    QCOMPARE(trickyResult.parts.size(), 1);
    QCOMPARE(trickyResult.parts[0].data, QByteArrayLiteral("v"));
}

void tst_MultipartParser::binaryData_isReturnedExactly()
{
    // Every byte value a line-based parser could trip over: NULs, bare CR and LF, the
    // boundary in the middle of a line, and lines that start like a delimiter but are not.
    static const char raw[] = "\x00\x01\xff\r\n\r\n\n\r"
                              "text --bound mid-line --bound\r\n"
                              "--boundX at a line start but longer\r\n"
                              "--bound-not-closing\r\n"
                              "--bound\tx\r\n"
                              "\r\n--boun\r\n\x00\x00";
    const QByteArray data(raw, sizeof raw - 1);
    QCOMPARE(data.back(), '\0');
    const QByteArray body
        = crlf("--bound\n"
               "Content-Disposition: form-data; name=\"bin\"; filename=\"b.bin\"\n"
               "Content-Type: application/octet-stream\n"
               "\n")
        + data + crlf("\n--bound--\n");
    const MultipartResult result = MultipartParser::parse(body, "bound");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QCOMPARE(result.parts[0].data, data);
}

void tst_MultipartParser::emptyFilePart_hasEmptyDataAndFileName()
{
    // A browser sends this for a file input left empty.
    const QByteArray body = crlf("--b\n"
                                 "Content-Disposition: form-data; name=\"resume\"; filename=\"\"\n"
                                 "Content-Type: application/octet-stream\n"
                                 "\n"
                                 "\n"
                                 "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QVERIFY(result.parts[0].hasFileName);
    QVERIFY(result.parts[0].fileName.isEmpty());
    QVERIFY(result.parts[0].data.isEmpty());
}

void tst_MultipartParser::emptyDataWithoutLineBreak_isTolerated()
{
    // Some clients send the next delimiter right after the blank line for an empty value.
    const QByteArray body = crlf("--b\n"
                                 "Content-Disposition: form-data; name=\"source\"\n"
                                 "\n"
                                 "--b\n"
                                 "Content-Disposition: form-data; name=\"industry\"\n"
                                 "\n"
                                 "IT\n"
                                 "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 2);
    QVERIFY(result.parts[0].data.isEmpty());
    QCOMPARE(result.parts[1].data, QByteArrayLiteral("IT"));
}

void tst_MultipartParser::duplicateNames_areAllReturnedInOrder()
{
    const QByteArray body = crlf("--b\n"
                                 "Content-Disposition: form-data; name=\"tag\"\n"
                                 "\n"
                                 "one\n"
                                 "--b\n"
                                 "Content-Disposition: form-data; name=\"other\"\n"
                                 "\n"
                                 "two\n"
                                 "--b\n"
                                 "Content-Disposition: form-data; name=\"tag\"\n"
                                 "\n"
                                 "three\n"
                                 "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 3);
    QCOMPARE(result.parts[0].name, u"tag"_s);
    QCOMPARE(result.parts[0].data, QByteArrayLiteral("one"));
    QCOMPARE(result.parts[1].name, u"other"_s);
    QCOMPARE(result.parts[2].name, u"tag"_s);
    QCOMPARE(result.parts[2].data, QByteArrayLiteral("three"));
}

void tst_MultipartParser::headers_areCaseInsensitiveAndMayBeFolded()
{
    const QByteArray good = crlf("--b\n"
                                 "content-disposition:FORM-DATA;NAME=email\n"
                                 "X-Ignored: yes\n"
                                 "not a header line\n"
                                 "\n"
                                 "zoe@example.com\n"
                                 "--b\n"
                                 "CONTENT-TYPE : Text/Plain\n"
                                 "Content-Disposition :  form-data ;\n"
                                 " \tname = \"phone\" ;\n"
                                 "\tFileName=\"p.txt\"\n"
                                 "\n"
                                 "+91 80 1234 5678\n"
                                 "--b--\n");
    const MultipartResult goodResult = MultipartParser::parse(good, "b");
    QVERIFY2(goodResult.ok, qPrintable(goodResult.error));
    QCOMPARE(goodResult.parts.size(), 2);
    QCOMPARE(goodResult.parts[0].name, u"email"_s);
    QCOMPARE(goodResult.parts[0].data, QByteArrayLiteral("zoe@example.com"));
    QCOMPARE(goodResult.parts[1].name, u"phone"_s);
    QVERIFY(goodResult.parts[1].hasFileName);
    QCOMPARE(goodResult.parts[1].fileName, u"p.txt"_s);
    QCOMPARE(goodResult.parts[1].contentType, QByteArrayLiteral("text/plain"));
    QCOMPARE(goodResult.parts[1].data, QByteArrayLiteral("+91 80 1234 5678"));
}

void tst_MultipartParser::partContentType_isLowerCasedWithParameters()
{
    const QByteArray body = crlf("--b\n"
                                 "Content-Disposition: form-data; name=\"custom_fields\"\n"
                                 "Content-Type:   Application/JSON; Charset=UTF-8  \n"
                                 "\n"
                                 "{}\n"
                                 "--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QCOMPARE(result.parts[0].contentType, QByteArrayLiteral("application/json; charset=utf-8"));
}

void tst_MultipartParser::transportPaddingAfterDelimiter_isTolerated()
{
    const QByteArray body = crlf("--b  \t\n"
                                 "Content-Disposition: form-data; name=\"f\"\n"
                                 "\n"
                                 "v\n"
                                 "--b--   \n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QCOMPARE(result.parts[0].data, QByteArrayLiteral("v"));
}

void tst_MultipartParser::closeDelimiterOnly_isAnEmptyForm()
{
    const MultipartResult result = MultipartParser::parse(crlf("--b--\n"), "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(result.parts.isEmpty());
}

void tst_MultipartParser::qHttpMultiPartBody_isParsed()
{
    // QHttpMultiPart's serialisation is private, so these are the bytes it writes (see
    // QHttpMultiPartIODevice::readData): "--" boundary CRLF, each header as
    // "Name: value" CRLF, CRLF, the body, CRLF; at the end "--" boundary "--" CRLF. A
    // QString header value is sent as UTF-8. The boundary has QHttpMultiPart's shape, with
    // the Base64 characters '+', '/' and '=' that a real one may hold.
    const QByteArray boundary = QByteArrayLiteral("boundary_.oOo._A+/0b1C2d3E4f5G6h7I8j9K0l==");
    const QByteArray contentType = "multipart/form-data; boundary=\"" + boundary + '"';
    QCOMPARE(MultipartParser::boundaryFrom(contentType), boundary);

    QByteArray pdf = QByteArrayLiteral("%PDF-1.7\r\n");
    for (int i = 0; i < 256; ++i)
        pdf += char(i);
    pdf += QByteArrayLiteral("\r\n%%EOF");

    QByteArray body;
    body += "--" + boundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"name\"\r\n\r\n";
    body += "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m\r\n";
    body += "--" + boundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"job_id\"\r\n\r\n";
    body += "42\r\n";
    body += "--" + boundary + "\r\n";
    body += "Content-Type: application/pdf\r\n";
    body += "Content-Disposition: form-data; name=\"resume\"; "
            "filename=\"Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m \xe2\x80\x93 CV.pdf\"\r\n\r\n";
    body += pdf + "\r\n";
    body += "--" + boundary + "--\r\n";

    const MultipartResult result = MultipartParser::parse(body, boundary);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 3);
    QCOMPARE(result.parts[0].name, u"name"_s);
    QCOMPARE(QString::fromUtf8(result.parts[0].data), u"Zo\u00eb \u00c5ngstr\u00f6m"_s);
    QCOMPARE(result.parts[1].name, u"job_id"_s);
    QCOMPARE(result.parts[1].data, QByteArrayLiteral("42"));
    QCOMPARE(result.parts[2].name, u"resume"_s);
    QVERIFY(result.parts[2].hasFileName);
    QCOMPARE(result.parts[2].fileName, u"Zo\u00eb \u00c5ngstr\u00f6m \u2013 CV.pdf"_s);
    QCOMPARE(result.parts[2].contentType, QByteArrayLiteral("application/pdf"));
    QCOMPARE(result.parts[2].data, pdf);
}

void tst_MultipartParser::curlBody_isParsed()
{
    // curl -F 'name=Zoë' -F 'resume=@cv.txt;type=text/plain' (curl 7.88), unquoted boundary.
    const QByteArray contentType
        = "multipart/form-data; boundary=------------------------d74496d66958873e";
    const QByteArray boundary = MultipartParser::boundaryFrom(contentType);
    QCOMPARE(boundary, QByteArrayLiteral("------------------------d74496d66958873e"));
    const QByteArray body
        = crlf("--------------------------d74496d66958873e\n"
               "Content-Disposition: form-data; name=\"name\"\n"
               "\n"
               "Zo\xc3\xab\n"
               "--------------------------d74496d66958873e\n"
               "Content-Disposition: form-data; name=\"resume\"; filename=\"cv.txt\"\n"
               "Content-Type: text/plain\n"
               "\n"
               "hello\n"
               "\n"
               "--------------------------d74496d66958873e--\n");
    const MultipartResult result = MultipartParser::parse(body, boundary);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 2);
    QCOMPARE(result.parts[0].data, QByteArrayLiteral("Zo\xc3\xab"));
    QCOMPARE(result.parts[1].fileName, u"cv.txt"_s);
    // The file's own trailing newline is data.
    QCOMPARE(result.parts[1].data, QByteArrayLiteral("hello\r\n"));
}

void tst_MultipartParser::browserBody_isParsed()
{
    const QByteArray boundary = MultipartParser::boundaryFrom(
        "multipart/form-data; boundary=----WebKitFormBoundaryuL67FWkv1CA");
    QCOMPARE(boundary, QByteArrayLiteral("----WebKitFormBoundaryuL67FWkv1CA"));
    const QByteArray body = crlf("------WebKitFormBoundaryuL67FWkv1CA\n"
                                 "Content-Disposition: form-data; name=\"department\"\n"
                                 "\n"
                                 "R&D\n"
                                 "------WebKitFormBoundaryuL67FWkv1CA\n"
                                 "Content-Disposition: form-data; name=\"resume\"; "
                                 "filename=\"a%22b%0A.txt\"\n"
                                 "Content-Type: text/plain\n"
                                 "\n"
                                 "cv\n"
                                 "------WebKitFormBoundaryuL67FWkv1CA--\n");
    const MultipartResult result = MultipartParser::parse(body, boundary);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 2);
    QCOMPARE(result.parts[0].data, QByteArrayLiteral("R&D"));
    QCOMPARE(result.parts[1].fileName, u"a%22b%0A.txt"_s);
}

void tst_MultipartParser::malformedBody_isRejected_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("maxParts");
    QTest::addColumn<int>("maxHeaderBytes");
    QTest::addColumn<QString>("error");

    const QString truncated
        = u"The body ends before the closing boundary; the upload may be incomplete."_s;
    const QString noBoundary
        = u"The body does not contain the multipart boundary given in the Content-Type header."_s;
    const MultipartLimits defaults;

    QTest::newRow("empty body") << QByteArray() << defaults.maxParts
                                << defaults.maxHeaderBytesPerPart << noBoundary;
    QTest::newRow("other boundary")
        << crlf("--other\nContent-Disposition: form-data; name=\"f\"\n\nv\n--other--\n")
        << defaults.maxParts << defaults.maxHeaderBytesPerPart << noBoundary;
    QTest::newRow("boundary only mid-line")
        << crlf("x--b\nContent-Disposition: form-data; name=\"f\"\n\nv\nx--b--\n")
        << defaults.maxParts << defaults.maxHeaderBytesPerPart << noBoundary;
    QTest::newRow("no close delimiter")
        << crlf("--b\nContent-Disposition: form-data; name=\"f\"\n\nv\n") << defaults.maxParts
        << defaults.maxHeaderBytesPerPart << truncated;
    QTest::newRow("cut in the close delimiter")
        << crlf("--b\nContent-Disposition: form-data; name=\"f\"\n\nv\n--b-") << defaults.maxParts
        << defaults.maxHeaderBytesPerPart << truncated;
    QTest::newRow("ends at a delimiter")
        << crlf("--b\nContent-Disposition: form-data; name=\"f\"\n\nv\n--b\n") << defaults.maxParts
        << defaults.maxHeaderBytesPerPart << truncated;
    QTest::newRow("cut in the headers")
        << crlf("--b\nContent-Disposition: form-da") << defaults.maxParts
        << defaults.maxHeaderBytesPerPart << truncated;
    QTest::newRow("no content-disposition")
        << crlf("--b\nContent-Type: text/plain\n\nv\n--b--\n") << defaults.maxParts
        << defaults.maxHeaderBytesPerPart << u"Part 1 has no Content-Disposition header."_s;
    QTest::newRow("no headers at all")
        << crlf("--b\n\nv\n--b--\n") << defaults.maxParts << defaults.maxHeaderBytesPerPart
        << u"Part 1 has no Content-Disposition header."_s;
    QTest::newRow("no name") << crlf("--b\nContent-Disposition: form-data; filename=\"a\"\n\n"
                                     "v\n--b--\n")
                             << defaults.maxParts << defaults.maxHeaderBytesPerPart
                             << u"Part 1 has no field name."_s;
    QTest::newRow("empty name") << crlf("--b\nContent-Disposition: form-data; name=\"\"\n\n"
                                        "v\n--b--\n")
                                << defaults.maxParts << defaults.maxHeaderBytesPerPart
                                << u"Part 1 has no field name."_s;
    QTest::newRow("second part without name")
        << crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n"
                "--b\nContent-Disposition: form-data\n\nw\n--b--\n")
        << defaults.maxParts << defaults.maxHeaderBytesPerPart << u"Part 2 has no field name."_s;
    QTest::newRow("attachment")
        << crlf("--b\nContent-Disposition: attachment; name=\"a\"\n\nv\n--b--\n")
        << defaults.maxParts << defaults.maxHeaderBytesPerPart
        << u"Part 1 has Content-Disposition \"attachment\"; only form-data is accepted."_s;
    QTest::newRow("no blank line before next part")
        << crlf("--b\nContent-Disposition: form-data; name=\"a\"\n--b\n"
                "Content-Disposition: form-data; name=\"c\"\n\nv\n--b--\n")
        << defaults.maxParts << defaults.maxHeaderBytesPerPart
        << u"Part 1 has no blank line after its headers."_s;
    QTest::newRow("no blank line before close")
        << crlf("--b\nContent-Disposition: form-data; name=\"a\"\n--b--\n") << defaults.maxParts
        << defaults.maxHeaderBytesPerPart << u"Part 1 has no blank line after its headers."_s;
    QTest::newRow("headers over the limit")
        << crlf("--b\nContent-Disposition: form-data; name=\"a\"\nX-Pad: " + QByteArray(100, 'p')
                + "\n\nv\n--b--\n")
        << defaults.maxParts << 64 << u"Part 1 has headers longer than 64 bytes."_s;
    QTest::newRow("too many parts")
        << crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\n1\n"
                "--b\nContent-Disposition: form-data; name=\"a\"\n\n2\n"
                "--b\nContent-Disposition: form-data; name=\"a\"\n\n3\n--b--\n")
        << 2 << defaults.maxHeaderBytesPerPart << u"Too many parts: at most 2 are allowed."_s;
}

void tst_MultipartParser::malformedBody_isRejected()
{
    QFETCH(QByteArray, body);
    QFETCH(int, maxParts);
    QFETCH(int, maxHeaderBytes);
    QFETCH(QString, error);

    MultipartLimits limits;
    limits.maxParts = maxParts;
    limits.maxHeaderBytesPerPart = maxHeaderBytes;
    const MultipartResult result = MultipartParser::parse(body, "b", limits);
    QVERIFY(!result.ok);
    QCOMPARE(result.error, error);
    QVERIFY(result.parts.isEmpty());
}

void tst_MultipartParser::invalidBoundaryArgument_isRejected()
{
    const QByteArray body = crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n");
    MultipartResult result = MultipartParser::parse(body, QByteArray());
    QVERIFY(!result.ok);
    QCOMPARE(result.error, u"Invalid boundary in multipart: None"_s);
    result = MultipartParser::parse(body, QByteArray(71, 'b'));
    QVERIFY(!result.ok);
    QVERIFY(result.error.startsWith(u"Invalid boundary in multipart: bbb"_s));
}

void tst_MultipartParser::headerBlockExactlyAtLimit_isAccepted()
{
    // The limit counts the header block with its line breaks and its blank line.
    const QByteArray headers = crlf("Content-Disposition: form-data; name=\"a\"\n\n");
    const QByteArray body = crlf("--b\n") + headers + crlf("v\n--b--\n");
    MultipartLimits limits;
    limits.maxHeaderBytesPerPart = int(headers.size());
    MultipartResult result = MultipartParser::parse(body, "b", limits);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);

    limits.maxHeaderBytesPerPart = int(headers.size()) - 1;
    result = MultipartParser::parse(body, "b", limits);
    QVERIFY(!result.ok);
    QCOMPARE(result.error,
             u"Part 1 has headers longer than "_s + QString::number(headers.size() - 1)
                 + u" bytes."_s);
}

void tst_MultipartParser::partsExactlyAtLimit_areAccepted()
{
    QByteArray body;
    for (int i = 0; i < 5; ++i)
        body += crlf("--b\nContent-Disposition: form-data; name=\"f\"\n\n") + QByteArray::number(i)
            + "\r\n";
    body += crlf("--b--\n");
    MultipartLimits limits;
    limits.maxParts = 5;
    MultipartResult result = MultipartParser::parse(body, "b", limits);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 5);
    QCOMPARE(result.parts[4].data, QByteArrayLiteral("4"));

    limits.maxParts = 4;
    result = MultipartParser::parse(body, "b", limits);
    QVERIFY(!result.ok);
    QCOMPARE(result.error, u"Too many parts: at most 4 are allowed."_s);
}

void tst_MultipartParser::headerWithoutLineBreaks_isBoundedByLimit()
{
    // Megabytes with no line break after a delimiter: reported as over the header limit.
    const QByteArray body = crlf("--b\n") + QByteArray(4 * 1024 * 1024, 'h');
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY(!result.ok);
    QCOMPARE(result.error, u"Part 1 has headers longer than 16384 bytes."_s);
}

void tst_MultipartParser::truncationAtEveryOffset_isHandled()
{
    const QByteArray body = referenceBody();
    const MultipartResult full = MultipartParser::parse(body, kBoundary);
    QVERIFY2(full.ok, qPrintable(full.error));
    const qsizetype closeEnd = body.indexOf(QByteArray(kBoundary + "--")) + kBoundary.size() + 2;

    for (qsizetype length = 0; length < body.size(); ++length) {
        const QByteArray prefix = body.first(length);
        const MultipartResult result = MultipartParser::parse(prefix, kBoundary);
        checkInvariants(result, prefix);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(u"at length "_s + QString::number(length)));
        // Only a cut in the epilogue leaves a complete body, and then nothing is lost.
        QCOMPARE(result.ok, length >= closeEnd);
        if (result.ok) {
            QCOMPARE(result.parts.size(), full.parts.size());
            for (qsizetype i = 0; i < full.parts.size(); ++i)
                QVERIFY(samePart(result.parts[i], full.parts[i]));
        }
    }
}

void tst_MultipartParser::randomByteFlips_neverBreakInvariants()
{
    const QByteArray body = referenceBody();
    // A fixed seed: every run sees the same mutations, and a failure can be replayed.
    QRandomGenerator random(20261002);
    static const char interesting[]
        = { '\r', '\n', '-', '"', ';', '=', ':', '\\', '\'', '%', ' ', '\0', 'b', '*' };
    for (int round = 0; round < 4000; ++round) {
        QByteArray mutated = body;
        const int flips = random.bounded(1, 5);
        for (int f = 0; f < flips; ++f) {
            const auto at = qsizetype(random.bounded(quint32(mutated.size())));
            if (random.bounded(2) == 0)
                mutated[at] = interesting[random.bounded(int(sizeof interesting))];
            else
                mutated[at] = char(random.bounded(256));
        }
        const MultipartResult result = MultipartParser::parse(mutated, kBoundary);
        checkInvariants(result, mutated);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(u"in round "_s + QString::number(round)));
    }
}

void tst_MultipartParser::largeFilePart_isParsedExactly()
{
    // 6 MiB of deterministic noise with line breaks and dashes scattered through it, so
    // that every line start is looked at as a possible delimiter.
    constexpr qsizetype size = 6 * 1024 * 1024;
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator random(7);
    random.fillRange(reinterpret_cast<quint32 *>(data.data()), size / qsizetype(sizeof(quint32)));
    for (qsizetype i = 0; i + 4 < size; i += 997)
        data.replace(i, 4, "\r\n--", 4);

    const QByteArray boundary = QByteArrayLiteral("----WebKitFormBoundaryuL67FWkv1CA");
    QByteArray body = crlf("--" + boundary + "\nContent-Disposition: form-data; name=\"name\"\n\n"
                           + "Zoe\n--" + boundary
                           + "\nContent-Disposition: form-data; name=\"resume\"; "
                             "filename=\"big.pdf\"\nContent-Type: application/pdf\n\n");
    body += data;
    body += "\r\n--" + boundary + "--\r\n";

    const MultipartResult result = MultipartParser::parse(body, boundary);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 2);
    QCOMPARE(result.parts[1].data.size(), size);
    QVERIFY(result.parts[1].data == data);
}

void tst_MultipartParser::manyFakeDelimiters_areData()
{
    // Lines that start like the boundary but are not delimiters, a megabyte of them: each
    // is rejected once and the search moves on, so this stays linear.
    QByteArray data;
    for (int i = 0; i < 100000; ++i)
        data += "\n--bX--\r";
    const QByteArray body
        = crlf("--b\nContent-Disposition: form-data; name=\"f\"\n\n") + data + crlf("\n--b--\n");
    const MultipartResult result = MultipartParser::parse(body, "b");
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.parts.size(), 1);
    QCOMPARE(result.parts[0].data, data);
}

QTEST_GUILESS_MAIN(tst_MultipartParser)
#include "tst_multipartparser.moc"
