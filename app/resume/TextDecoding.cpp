#include "TextDecoding.h"

#include <QByteArray>

namespace cdesk {

namespace {

// 0x80-0x9F differ from Latin-1; the five holes become U+FFFD.
constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

QByteArray codePageName(int codePage)
{
    switch (codePage) {
    case 437:
        return "IBM437";
    case 850:
        return "IBM850";
    case 932:
        return "Shift_JIS";
    case 936:
        return "GBK";
    case 949:
        return "windows-949";
    case 950:
        return "Big5";
    case 10000:
        return "macintosh";
    case 65001:
        return "UTF-8";
    default:
        return "windows-" + QByteArray::number(codePage);
    }
}

} // namespace

QString TextDecoding::fromWindows1252(QByteArrayView bytes)
{
    QString out(bytes.size(), Qt::Uninitialized);
    QChar *to = out.data();
    for (const char ch : bytes) {
        const auto b = uchar(ch);
        *to++ = QChar(b >= 0x80 && b < 0xA0 ? kWindows1252High[b - 0x80] : char16_t(b));
    }
    return out;
}

int TextDecoding::codePageForCharset(int charset)
{
    switch (charset) {
    case 77:
        return 10000;
    case 128:
        return 932;
    case 129:
        return 949;
    case 134:
        return 936;
    case 136:
        return 950;
    case 161:
        return 1253;
    case 162:
        return 1254;
    case 163:
        return 1258;
    case 177:
        return 1255;
    case 178:
        return 1256;
    case 186:
        return 1257;
    case 204:
        return 1251;
    case 222:
        return 874;
    case 238:
        return 1250;
    default:
        return 0;
    }
}

QString TextDecoding::encodingName(Encoding encoding)
{
    switch (encoding) {
    case Encoding::Utf8:
        return QStringLiteral("UTF-8");
    case Encoding::Utf8WithBom:
        return QStringLiteral("UTF-8 with BOM");
    case Encoding::Utf16LE:
        return QStringLiteral("UTF-16 LE");
    case Encoding::Utf16BE:
        return QStringLiteral("UTF-16 BE");
    case Encoding::Windows1252:
        return QStringLiteral("Windows-1252");
    }
    return {};
}

QString TextDecoding::decodeText(QByteArrayView bytes, bool cut, Encoding *used)
{
    Encoding ignored;
    Encoding &encoding = used ? *used : ignored;
    if (bytes.startsWith("\xEF\xBB\xBF")) {
        encoding = Encoding::Utf8WithBom;
        return QString::fromUtf8(bytes.sliced(3));
    }
    if (bytes.startsWith("\xFF\xFE") || bytes.startsWith("\xFE\xFF")) {
        const bool le = bytes.startsWith("\xFF\xFE");
        encoding = le ? Encoding::Utf16LE : Encoding::Utf16BE;
        QByteArrayView body = bytes.sliced(2);
        if (body.size() % 2 != 0)
            body.chop(1);
        QStringDecoder decoder(le ? QStringDecoder::Utf16LE : QStringDecoder::Utf16BE);
        return decoder(body);
    }
    // Valid UTF-8 is UTF-8: other 8-bit text almost never is. A whole file is
    // decoded stateless, so a sequence cut at its end counts as an error; a
    // file cut by the bound may end inside a character, which the stateful
    // decoder keeps back instead of calling it invalid.
    QStringDecoder utf8(QStringDecoder::Utf8,
                        cut ? QStringDecoder::Flag::Default : QStringDecoder::Flag::Stateless);
    const QString text = utf8(bytes);
    if (!utf8.hasError()) {
        encoding = Encoding::Utf8;
        return text;
    }
    encoding = Encoding::Windows1252;
    return fromWindows1252(bytes);
}

QString CodePageDecoder::decode(QByteArrayView bytes, int codePage)
{
    if (codePage == 1252 || codePage <= 0)
        return TextDecoding::fromWindows1252(bytes);
    if (codePage != m_codePage) {
        m_codePage = codePage;
        m_decoder.emplace(codePageName(codePage).constData(), QStringDecoder::Flag::Stateless);
    }
    // A code page this Qt cannot decode (no ICU): Windows-1252 gets the ASCII
    // right and most Western letters.
    if (!m_decoder->isValid())
        return TextDecoding::fromWindows1252(bytes);
    return (*m_decoder)(bytes);
}

} // namespace cdesk
