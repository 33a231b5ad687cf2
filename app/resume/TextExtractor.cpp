#include "TextExtractor.h"

#include "PdfTextWorker.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QList>
#include <QPromise>
#include <QStringDecoder>
#include <QXmlStreamReader>
#include <QtConcurrent/QtConcurrentRun>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipfileinfo.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("TextExtractor", text, disambiguation, n);
}

// Reads go through buffers of this size: large enough to be quick, small
// enough that no file, however large, is ever held whole.
constexpr qint64 kChunkBytes = 64 * 1024;

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

// ---------------------------------------------------------------------------
// The text cap

// The characters still allowed, shared by every part of one document so that
// a DOCX with a thousand headers cannot multiply the cap.
struct TextBudget
{
    qsizetype remaining = 0;
    bool exhausted = false;
};

class TextSink
{
public:
    explicit TextSink(TextBudget &budget)
        : m_budget(budget)
    { }

    void append(QStringView text)
    {
        if (text.isEmpty() || m_budget.exhausted)
            return;
        if (text.size() <= m_budget.remaining) {
            m_text += text;
            m_budget.remaining -= text.size();
            return;
        }
        qsizetype take = m_budget.remaining;
        // Half a surrogate pair is no character: cut before it.
        if (take > 0 && text.at(take - 1).isHighSurrogate())
            --take;
        m_text += text.first(take);
        m_budget.remaining = 0;
        m_budget.exhausted = true;
    }
    void append(QChar c) { append(QStringView(&c, 1)); }

    bool full() const { return m_budget.exhausted; }
    QChar last() const { return m_text.isEmpty() ? QChar() : m_text.back(); }
    const QString &text() const { return m_text; }

private:
    TextBudget &m_budget;
    QString m_text;
};

// What a reader found: the raw text, or why there is none.
struct RawText
{
    QString text;
    bool truncated = false;
    QString problem;
};

RawText failed(const QString &problem)
{
    RawText raw;
    raw.problem = problem;
    return raw;
}

// Line ends as LF, no control characters but tab and LF, no lone surrogates
// (a crafted \u escape or a cut UTF-16 file), no trailing blanks on a line and
// no more than one blank line in a row: what a preview, a .txt resume and the
// autofill's patterns all want.
QString cleaned(QStringView in)
{
    QString out;
    out.reserve(in.size());
    const auto newline = [&out] {
        while (!out.isEmpty() && (out.back() == u' ' || out.back() == u'\t'))
            out.chop(1);
        if (!out.endsWith(u"\n\n"_s))
            out.append(u'\n');
    };
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QChar c = in.at(i);
        const char16_t u = c.unicode();
        if (u == u'\r') {
            if (i + 1 < in.size() && in.at(i + 1) == u'\n')
                ++i;
            newline();
        } else if (u == u'\n' || u == u'\f' || u == 0x2028 || u == 0x2029) {
            newline();
        } else if (c.isHighSurrogate() && i + 1 < in.size() && in.at(i + 1).isLowSurrogate()) {
            out.append(c);
            out.append(in.at(++i));
        } else if (c.isSurrogate()) {
            out.append(QChar::ReplacementCharacter);
        } else if ((u < 0x20 && u != u'\t') || u == 0x7f || u == 0xfeff) {
            continue;
        } else {
            out.append(c);
        }
    }
    return out.trimmed();
}

// ---------------------------------------------------------------------------
// 8-bit code pages

// Windows-1252, written out rather than asked of QStringDecoder: Qt knows it
// only when built with ICU, and this is the code page of most 8-bit resumes.
// 0x80-0x9F differ from Latin-1; the five holes become U+FFFD.
constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

QString fromWindows1252(QByteArrayView bytes)
{
    QString out(bytes.size(), Qt::Uninitialized);
    QChar *to = out.data();
    for (const char ch : bytes) {
        const auto b = uchar(ch);
        *to++ = QChar(b >= 0x80 && b < 0xA0 ? kWindows1252High[b - 0x80] : char16_t(b));
    }
    return out;
}

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

// An RTF font's \fcharset as a Windows code page; 0 for "the document's".
int codePageForCharset(int charset)
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

// Decodes text in one code page, keeping the last decoder: an RTF switches
// code pages rarely but decodes a run of bytes after every accented letter.
class CodePageDecoder
{
public:
    QString decode(QByteArrayView bytes, int codePage)
    {
        if (codePage == 1252 || codePage <= 0)
            return fromWindows1252(bytes);
        if (codePage != m_codePage) {
            m_codePage = codePage;
            m_decoder.emplace(codePageName(codePage).constData(), QStringDecoder::Flag::Stateless);
        }
        // A code page this Qt cannot decode (no ICU): Windows-1252 gets the
        // ASCII right and most Western letters.
        if (!m_decoder->isValid())
            return fromWindows1252(bytes);
        return (*m_decoder)(bytes);
    }

private:
    int m_codePage = 0;
    std::optional<QStringDecoder> m_decoder;
};

// ---------------------------------------------------------------------------
// Plain text

RawText readPlainText(const QString &path, const ExtractLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed(cannotOpen(file.errorString()));
    // No encoding takes more than 4 bytes a character: reading further would
    // only decode what the cap throws away.
    const qint64 wanted = std::min(limits.maxInputBytes, qint64(limits.maxTextChars) * 4 + 4);
    const QByteArray bytes = file.read(wanted);
    const bool cut = !file.atEnd();

    RawText raw;
    raw.truncated = cut;
    QByteArrayView view(bytes);
    if (view.startsWith("\xEF\xBB\xBF")) {
        raw.text = QString::fromUtf8(view.sliced(3));
    } else if (view.startsWith("\xFF\xFE") || view.startsWith("\xFE\xFF")) {
        const bool le = view.startsWith("\xFF\xFE");
        view = view.sliced(2);
        if (view.size() % 2 != 0)
            view.chop(1);
        QStringDecoder decoder(le ? QStringDecoder::Utf16LE : QStringDecoder::Utf16BE);
        raw.text = decoder(view);
    } else {
        // Valid UTF-8 is UTF-8: other 8-bit text almost never is. A whole file
        // is decoded stateless, so a sequence cut at its end counts as an
        // error; a file cut by the bound may end inside a character, which
        // the stateful decoder keeps back instead of calling it invalid.
        QStringDecoder utf8(QStringDecoder::Utf8,
                            cut ? QStringDecoder::Flag::Default : QStringDecoder::Flag::Stateless);
        raw.text = utf8(view);
        if (utf8.hasError())
            raw.text = fromWindows1252(view);
    }
    return raw;
}

// ---------------------------------------------------------------------------
// RTF

// Streams an RTF file into text: groups and control words stripped, the
// destinations that hold no document text (font, colour and style tables,
// metadata, pictures, field instructions, any {\*...}) skipped, \'hh decoded
// in the code page of the document or of the current font, \uN with its \ucN
// fallback skipped. Reads a chunk at a time and keeps a bounded group stack,
// so neither a picture of 50 MB nor a million nested braces costs memory.
class RtfReader
{
public:
    RtfReader(QIODevice &in, qint64 maxBytes, TextSink &sink)
        : m_in(in)
        , m_maxBytes(maxBytes)
        , m_sink(sink)
    { }

    void run()
    {
        while (!m_sink.full()) {
            const int c = get();
            if (c < 0)
                break;
            switch (c) {
            case '{':
                openGroup();
                break;
            case '}':
                closeGroup();
                break;
            case '\\':
                readControl();
                break;
            case '\r':
            case '\n':
                break; // line breaks in the source are for its writer only
            case '\t':
                character(u'\t');
                break;
            default:
                byte(uchar(c));
                break;
            }
        }
        flushBytes();
    }

    bool inputCut() const { return m_cut; }

private:
    enum class Destination { Text, Skip, FontTable };
    struct State
    {
        Destination destination = Destination::Text;
        int unicodeSkip = 1; // \ucN: the fallback characters after each \uN
        int codePage = 0; // the current font's; 0 for the document's
    };

    static constexpr qsizetype kMaxDepth = 1000;
    static constexpr qsizetype kMaxFonts = 4096;
    static constexpr int kMaxUnicodeSkip = 16;

    int get()
    {
        if (m_pos >= m_buffer.size()) {
            if (m_end)
                return -1;
            const qint64 room = m_maxBytes - m_consumed;
            m_buffer = room > 0 ? m_in.read(std::min(kChunkBytes, room)) : QByteArray();
            m_pos = 0;
            if (m_buffer.isEmpty()) {
                m_end = true;
                m_cut = room <= 0 && !m_in.atEnd();
                return -1;
            }
            m_consumed += m_buffer.size();
        }
        return uchar(m_buffer.at(m_pos++));
    }

    int peek()
    {
        const int c = get();
        if (c >= 0)
            --m_pos;
        return c;
    }

    static bool isLetter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
    static bool isDigit(int c) { return c >= '0' && c <= '9'; }
    static int hexValue(int c)
    {
        if (isDigit(c))
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    void openGroup()
    {
        flushBytes();
        m_fallback = 0;
        // Past the bound the depth is only counted: a hostile file gets its
        // text read with the state of the deepest group kept.
        if (m_stack.size() >= kMaxDepth)
            ++m_overflow;
        else
            m_stack.append(m_state);
    }

    void closeGroup()
    {
        flushBytes();
        m_fallback = 0;
        if (m_overflow > 0)
            --m_overflow;
        else if (!m_stack.isEmpty())
            m_state = m_stack.takeLast();
    }

    void readControl()
    {
        const int c = get();
        if (c < 0)
            return;
        if (isLetter(c)) {
            QByteArray word(1, char(c));
            while (isLetter(peek()) && word.size() < 32)
                word.append(char(get()));
            bool negative = false;
            if (peek() == '-') {
                get();
                negative = true;
            }
            bool hasParameter = false;
            qint64 parameter = 0;
            for (int digits = 0; isDigit(peek()); ++digits) {
                const int digit = get() - '0';
                // The spec allows 10 digits; more are dropped, not overflowed.
                if (digits < 10)
                    parameter = parameter * 10 + digit;
                hasParameter = true;
            }
            if (negative && !hasParameter)
                byte('-'); // "\word-" : the dash was text
            if (peek() == ' ')
                get(); // the space that ends a control word is no text
            const qint64 value = std::clamp<qint64>(negative ? -parameter : parameter,
                                                    std::numeric_limits<int>::min(),
                                                    std::numeric_limits<int>::max());
            controlWord(word, hasParameter, int(value));
            return;
        }
        switch (c) {
        case '\'': {
            const int high = hexValue(get());
            const int low = hexValue(get());
            if (high >= 0 && low >= 0)
                byte(uchar(high * 16 + low), true);
            break;
        }
        case '{':
        case '}':
        case '\\':
            byte(uchar(c), true);
            break;
        case '*':
            // {\*\dest ...}: a destination a reader may ignore. None of them
            // holds the document's own text.
            if (m_state.destination == Destination::Text)
                m_state.destination = Destination::Skip;
            break;
        case '~':
            character(u' ');
            break;
        case '_':
            character(u'-');
            break;
        case '\r':
        case '\n':
            character(u'\n'); // a backslash before a line break is \par
            break;
        default:
            break; // \- optional hyphen, \: index entries, \| formulas
        }
    }

    static bool skippedDestination(QByteArrayView word)
    {
        static const QList<QByteArrayView> words = {
            "annotation",   "atnauthor",
            "atnid",        "bkmkend",
            "bkmkstart",    "colorschememapping",
            "colortbl",     "datastore",
            "docvar",       "falt",
            "filetbl",      "fldinst",
            "fontemb",      "fontfile",
            "generator",    "info",
            "latentstyles", "listoverridetable",
            "listpicture",  "listtable",
            "mmathPr",      "nonshppict",
            "objdata",      "panose",
            "passwordhash", "pgdsctbl",
            "pict",         "private",
            "revtbl",       "rsidtbl",
            "shpinst",      "sp",
            "stylesheet",   "tc",
            "template",     "themedata",
            "userprops",    "wgrffmtfilter",
            "xe",           "xmlnstbl",
        };
        return words.contains(word);
    }

    void controlWord(QByteArrayView word, bool hasParameter, int parameter)
    {
        if (word == "bin") {
            // Raw binary data follows: skip it whole, whatever it contains.
            for (int i = 0; i < parameter && get() >= 0; ++i) { }
            return;
        }
        if (m_fallback > 0) {
            --m_fallback;
            return;
        }
        if (m_state.destination == Destination::FontTable) {
            if (word == "f" && hasParameter)
                m_definingFont = parameter;
            else if ((word == "fcharset" || word == "cpg") && m_definingFont >= 0
                     && m_fontCodePages.size() < kMaxFonts)
                m_fontCodePages.insert(m_definingFont,
                                       word == "cpg" ? parameter : codePageForCharset(parameter));
            else if (skippedDestination(word))
                m_state.destination = Destination::Skip;
            return;
        }
        if (m_state.destination == Destination::Skip)
            return;
        if (skippedDestination(word)) {
            m_state.destination = Destination::Skip;
            return;
        }

        if (word == "fonttbl") {
            m_state.destination = Destination::FontTable;
        } else if (word == "ansicpg") {
            m_documentCodePage = parameter > 0 ? parameter : 1252;
        } else if (word == "ansi") {
            m_documentCodePage = 1252;
        } else if (word == "mac") {
            m_documentCodePage = 10000;
        } else if (word == "pc") {
            m_documentCodePage = 437;
        } else if (word == "pca") {
            m_documentCodePage = 850;
        } else if (word == "deff") {
            m_defaultFont = parameter;
        } else if (word == "f") {
            m_state.codePage = m_fontCodePages.value(parameter, 0);
        } else if (word == "plain") {
            m_state.codePage = m_fontCodePages.value(m_defaultFont, 0);
        } else if (word == "uc") {
            m_state.unicodeSkip = std::clamp(parameter, 0, kMaxUnicodeSkip);
        } else if (word == "u" && hasParameter) {
            // A signed 16-bit value: -4064 is U+F020.
            character(char16_t(parameter < 0 ? parameter + 65536 : parameter));
            m_fallback = m_state.unicodeSkip;
        } else if (word == "par" || word == "line" || word == "sect" || word == "page"
                   || word == "row") {
            character(u'\n');
        } else if (word == "tab" || word == "cell" || word == "nestcell") {
            character(u'\t');
        } else if (word == "emdash") {
            character(u'\u2014');
        } else if (word == "endash") {
            character(u'\u2013');
        } else if (word == "bullet") {
            character(u'\u2022');
        } else if (word == "lquote") {
            character(u'\u2018');
        } else if (word == "rquote") {
            character(u'\u2019');
        } else if (word == "ldblquote") {
            character(u'\u201C');
        } else if (word == "rdblquote") {
            character(u'\u201D');
        } else if (word == "emspace" || word == "enspace" || word == "qmspace") {
            character(u' ');
        }
    }

    int codePage() const { return m_state.codePage > 0 ? m_state.codePage : m_documentCodePage; }

    void character(char16_t c)
    {
        flushBytes();
        if (m_state.destination == Destination::Text)
            m_sink.append(QChar(c));
    }

    // A byte of text, raw or from \'hh. Bytes of one code page are decoded
    // together, so the two bytes of a Shift-JIS letter stay one letter.
    void byte(uchar b, bool escaped = false)
    {
        if (m_fallback > 0) {
            --m_fallback;
            return;
        }
        if (m_state.destination != Destination::Text)
            return;
        if (b < 0x80 && !escaped) {
            flushBytes();
            m_sink.append(QChar(char16_t(b)));
            return;
        }
        if (!m_pending.isEmpty() && m_pendingCodePage != codePage())
            flushBytes();
        m_pendingCodePage = codePage();
        m_pending.append(char(b));
    }

    void flushBytes()
    {
        if (m_pending.isEmpty())
            return;
        m_sink.append(m_decoder.decode(m_pending, m_pendingCodePage));
        m_pending.clear();
    }

    QIODevice &m_in;
    const qint64 m_maxBytes;
    TextSink &m_sink;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_consumed = 0;
    bool m_end = false;
    bool m_cut = false;

    State m_state;
    QList<State> m_stack;
    qsizetype m_overflow = 0;
    int m_fallback = 0; // characters still to skip after a \uN

    int m_documentCodePage = 1252;
    int m_defaultFont = 0;
    int m_definingFont = -1;
    QHash<int, int> m_fontCodePages;
    QByteArray m_pending;
    int m_pendingCodePage = 1252;
    CodePageDecoder m_decoder;
};

RawText readRtf(QIODevice &in, const ExtractLimits &limits)
{
    TextBudget budget { limits.maxTextChars };
    TextSink sink(budget);
    RtfReader reader(in, limits.maxInputBytes, sink);
    reader.run();
    RawText raw;
    raw.text = sink.text();
    raw.truncated = sink.full() || reader.inputCut();
    return raw;
}

RawText readRtf(const QString &path, const ExtractLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed(cannotOpen(file.errorString()));
    return readRtf(file, limits);
}

// ---------------------------------------------------------------------------
// DOCX and ODT: XML parts in a zip

class XmlTextHandler
{
public:
    virtual ~XmlTextHandler() = default;
    virtual void handle(const QXmlStreamReader &xml) = 0;
};

QString damagedDocument()
{
    return tr("This document is damaged and its text cannot be read. Open it in Word or "
              "LibreOffice and save it again.")
        + u' ' + fillByHand();
}

// Names no word processor writes, and that attacks on unzipping programs use.
// Nothing here writes entries to disk, but an archive that carries them was
// made by hand, and is refused whole.
bool unsafeEntryName(const QString &name)
{
    if (name.isEmpty() || name.contains(QChar(0)) || name.startsWith(u'/')
        || name.startsWith(u'\\'))
        return true;
    if (name.size() >= 2 && name.at(1) == u':' && name.at(0).isLetter())
        return true; // C:...
    const QList<QStringView> parts = QStringView(name).split(u'/');
    return std::any_of(parts.cbegin(), parts.cend(), [](QStringView part) {
        const QList<QStringView> pieces = part.split(u'\\');
        return std::any_of(pieces.cbegin(), pieces.cend(),
                           [](QStringView piece) { return piece == u".."; });
    });
}

QString shownEntryName(QString name)
{
    name.replace(QChar(0), u"\\0"_s);
    if (name.size() > 80)
        name = name.left(77) + u"..."_s;
    return name;
}

// A zip archive read within bounds: the entry count and every name checked
// before anything is inflated; the parts to read checked by the sizes the
// directory declares, and again by the bytes actually inflated (a crafted
// directory can declare anything).
class ZipDocument
{
public:
    ZipDocument(const QString &path, const ExtractLimits &limits)
        : m_zip(path)
        , m_limits(limits)
    { }

    // Checks the directory and lists the wanted parts found; false with problem() set.
    bool open(const std::function<bool(const QString &)> &wanted)
    {
        if (!m_zip.open(QuaZip::mdUnzip))
            return fail(damagedDocument());
        if (m_zip.getEntriesCount() > m_limits.maxZipEntries)
            return fail(tooManyEntries());
        int seen = 0;
        qint64 planned = 0;
        for (bool more = m_zip.goToFirstFile(); more; more = m_zip.goToNextFile()) {
            // The count in the archive's trailer can lie: count for ourselves.
            if (++seen > m_limits.maxZipEntries)
                return fail(tooManyEntries());
            QuaZipFileInfo64 info;
            if (!m_zip.getCurrentFileInfo(&info))
                return fail(damagedDocument());
            if (unsafeEntryName(info.name))
                return fail(tr("This document holds a part named “%1”: no word processor "
                               "writes such a name, and attacks on other programs use it, so "
                               "Candidate Desk did not read it.")
                                .arg(shownEntryName(info.name))
                            + u' ' + askForAnotherCopy());
            if (!wanted(info.name) || m_parts.contains(info.name))
                continue;
            if (info.uncompressedSize > quint64(m_limits.maxEntryBytes))
                return fail(tooLarge(m_limits.maxEntryBytes));
            planned += qint64(info.uncompressedSize);
            if (planned > m_limits.maxTotalBytes)
                return fail(tooLarge(m_limits.maxTotalBytes));
            m_parts.append(info.name);
        }
        if (m_zip.getZipError() != UNZ_OK)
            return fail(damagedDocument());
        return true;
    }

    const QStringList &parts() const { return m_parts; }

    // Streams one part through the handler until its end or until the text is
    // full; false with problem() set.
    bool read(const QString &name, XmlTextHandler &handler, const TextSink &sink)
    {
        if (!m_zip.setCurrentFile(name, QuaZip::csSensitive))
            return fail(damagedDocument());
        QuaZipFile file(&m_zip);
        if (!file.open(QIODevice::ReadOnly))
            return fail(damagedDocument());

        QXmlStreamReader xml;
        QByteArray chunk(kChunkBytes, Qt::Uninitialized);
        qint64 entryBytes = 0;
        while (!sink.full()) {
            xml.readNext();
            if (xml.error() == QXmlStreamReader::PrematureEndOfDocumentError) {
                const qint64 n = file.read(chunk.data(), chunk.size());
                if (n <= 0)
                    return fail(damagedDocument()); // a read error, or the XML stops short
                entryBytes += n;
                m_totalBytes += n;
                if (entryBytes > m_limits.maxEntryBytes)
                    return fail(tooLarge(m_limits.maxEntryBytes));
                if (m_totalBytes > m_limits.maxTotalBytes)
                    return fail(tooLarge(m_limits.maxTotalBytes));
                xml.addData(QByteArray(chunk.constData(), n));
                continue;
            }
            if (xml.hasError())
                return fail(damagedDocument());
            if (xml.tokenType() == QXmlStreamReader::EndDocument)
                break;
            handler.handle(xml);
        }
        return true;
    }

    const QString &problem() const { return m_problem; }

private:
    bool fail(const QString &problem)
    {
        m_problem = problem;
        return false;
    }

    QString tooManyEntries() const
    {
        return tr("This document holds more than %n files inside, far more than any resume: "
                  "damaged or malicious files look like this, so Candidate Desk did not read "
                  "it.",
                  nullptr, m_limits.maxZipEntries)
            + u' ' + askForAnotherCopy();
    }

    static QString tooLarge(qint64 bytes)
    {
        return tr("This document would unpack to more than %1 MB, far more than any resume: "
                  "damaged or malicious files (“zip bombs”) look like this, so Candidate Desk "
                  "did not read it.")
                   .arg(std::max<qint64>(1, bytes / (1024 * 1024)))
            + u' ' + askForAnotherCopy();
    }

    QuaZip m_zip;
    const ExtractLimits &m_limits;
    QStringList m_parts;
    qint64 m_totalBytes = 0;
    QString m_problem;
};

// WordprocessingML: the text of w:t, w:tab and w:br/w:cr in runs, a line per
// w:p. Property subtrees hold no text (and their w:tab is a tab stop, not a
// tab); mc:Fallback repeats its mc:Choice (a text box would come out twice);
// moved-from text comes again where it was moved to.
class DocxHandler : public XmlTextHandler
{
public:
    explicit DocxHandler(TextSink &sink)
        : m_sink(sink)
    { }

    void handle(const QXmlStreamReader &xml) override
    {
        switch (xml.tokenType()) {
        case QXmlStreamReader::StartElement: {
            if (m_skipDepth > 0) {
                ++m_skipDepth;
                return;
            }
            const QStringView name = xml.name();
            const QStringView ns = xml.namespaceUri();
            if (ns == kMarkupCompatibility && name == u"Fallback") {
                m_skipDepth = 1;
                return;
            }
            if (!isWord(ns))
                return;
            static const QList<QStringView> skipped = {
                u"pPr",     u"rPr",      u"sectPr",  u"tblPr",     u"trPr", u"tcPr",
                u"tblGrid", u"moveFrom", u"delText", u"instrText", u"del",
            };
            if (skipped.contains(name)) {
                m_skipDepth = 1;
            } else if (name == u"t") {
                m_inText = true;
            } else if (name == u"r") {
                ++m_runDepth;
            } else if (name == u"p") {
                ++m_paragraphDepth;
            } else if (m_runDepth > 0) {
                if (name == u"tab" || name == u"ptab")
                    write(u'\t');
                else if (name == u"br" || name == u"cr")
                    write(u'\n');
                else if (name == u"noBreakHyphen")
                    write(u'-');
            }
            return;
        }
        case QXmlStreamReader::EndElement: {
            if (m_skipDepth > 0) {
                --m_skipDepth;
                return;
            }
            if (!isWord(xml.namespaceUri()))
                return;
            const QStringView name = xml.name();
            if (name == u"t") {
                m_inText = false;
            } else if (name == u"r" && m_runDepth > 0) {
                --m_runDepth;
            } else if (name == u"p") {
                // A text box's paragraphs sit inside a paragraph of the page:
                // the line they end is the outer one's too.
                m_paragraphDepth = std::max(0, m_paragraphDepth - 1);
                if (m_paragraphDepth > 0 || !m_nestedLineEnded)
                    m_sink.append(u'\n');
                m_nestedLineEnded = m_paragraphDepth > 0;
            }
            return;
        }
        case QXmlStreamReader::Characters:
            if (m_skipDepth == 0 && m_inText)
                write(xml.text());
            return;
        default:
            return;
        }
    }

private:
    static constexpr QStringView kMarkupCompatibility
        = u"http://schemas.openxmlformats.org/markup-compatibility/2006";

    // Transitional (what Word writes) and Strict OOXML.
    static bool isWord(QStringView ns)
    {
        return ns == u"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            || ns == u"http://purl.oclc.org/ooxml/wordprocessingml/main";
    }

    void write(QStringView text)
    {
        m_sink.append(text);
        m_nestedLineEnded = false;
    }
    void write(QChar c) { write(QStringView(&c, 1)); }

    TextSink &m_sink;
    int m_skipDepth = 0;
    int m_runDepth = 0;
    int m_paragraphDepth = 0;
    bool m_nestedLineEnded = false; // a nested paragraph ended the line, nothing since
    bool m_inText = false;
};

// OpenDocument text: a line per text:p and text:h, with text:tab,
// text:line-break and text:s (runs of spaces), white space collapsed as ODF
// says. From content.xml the body; from styles.xml the page headers and
// footers only. Comments, tracked deletions and alternative texts are skipped.
class OdfHandler : public XmlTextHandler
{
public:
    // content.xml: body gets office:body. styles.xml: header and footer get the
    // master pages' headers and footers.
    OdfHandler(TextSink *body, TextSink *header, TextSink *footer)
        : m_body(body)
        , m_header(header)
        , m_footer(footer)
    { }

    void handle(const QXmlStreamReader &xml) override
    {
        switch (xml.tokenType()) {
        case QXmlStreamReader::StartElement:
            start(xml);
            return;
        case QXmlStreamReader::EndElement:
            end(xml);
            return;
        case QXmlStreamReader::Characters:
            if (m_sink && m_skipDepth == 0 && m_paragraphDepth > 0)
                characters(xml.text());
            return;
        default:
            return;
        }
    }

private:
    static constexpr QStringView kOffice = u"urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    static constexpr QStringView kStyle = u"urn:oasis:names:tc:opendocument:xmlns:style:1.0";
    static constexpr QStringView kText = u"urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    static constexpr QStringView kSvg = u"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
    static constexpr int kMaxSpaces = 1000;

    void start(const QXmlStreamReader &xml)
    {
        if (m_skipDepth > 0) {
            ++m_skipDepth;
            return;
        }
        const QStringView name = xml.name();
        const QStringView ns = xml.namespaceUri();
        if (!m_sink) {
            if (ns == kOffice && name == u"body")
                m_sink = m_body;
            else if (ns == kStyle
                     && (name == u"header" || name == u"header-left" || name == u"header-first"))
                m_sink = m_header;
            else if (ns == kStyle
                     && (name == u"footer" || name == u"footer-left" || name == u"footer-first"))
                m_sink = m_footer;
            if (m_sink)
                m_regionDepth = 1;
            return;
        }
        if ((ns == kOffice && name == u"annotation")
            || (ns == kText && (name == u"tracked-changes" || name == u"note-citation"))
            || (ns == kSvg && (name == u"title" || name == u"desc"))) {
            m_skipDepth = 1;
            return;
        }
        ++m_regionDepth;
        if (ns != kText)
            return;
        if (name == u"p" || name == u"h") {
            ++m_paragraphDepth;
            m_lastWasSpace = true; // white space at a paragraph's start is dropped
        } else if (name == u"tab") {
            m_sink->append(u'\t');
            m_lastWasSpace = true;
        } else if (name == u"line-break") {
            m_sink->append(u'\n');
            m_lastWasSpace = true;
        } else if (name == u"s") {
            bool ok = false;
            int count = xml.attributes().value(kText.toString(), u"c"_s).toInt(&ok);
            count = ok ? std::clamp(count, 1, kMaxSpaces) : 1;
            m_sink->append(QString(count, u' '));
            m_lastWasSpace = true;
        }
    }

    void end(const QXmlStreamReader &xml)
    {
        if (m_skipDepth > 0) {
            --m_skipDepth;
            return;
        }
        if (!m_sink)
            return;
        if (--m_regionDepth == 0) {
            m_sink = nullptr;
            m_paragraphDepth = 0;
            return;
        }
        const QStringView name = xml.name();
        if (xml.namespaceUri() == kText && (name == u"p" || name == u"h")) {
            m_paragraphDepth = std::max(0, m_paragraphDepth - 1);
            m_sink->append(u'\n');
            m_lastWasSpace = true;
        }
    }

    void characters(QStringView text)
    {
        QString out;
        out.reserve(text.size());
        for (const QChar c : text) {
            if (c == u' ' || c == u'\t' || c == u'\r' || c == u'\n') {
                if (!m_lastWasSpace)
                    out.append(u' ');
                m_lastWasSpace = true;
            } else {
                out.append(c);
                m_lastWasSpace = false;
            }
        }
        m_sink->append(out);
    }

    TextSink *m_body;
    TextSink *m_header;
    TextSink *m_footer;
    TextSink *m_sink = nullptr; // the region being read, or none
    int m_regionDepth = 0;
    int m_skipDepth = 0;
    int m_paragraphDepth = 0;
    bool m_lastWasSpace = true;
};

// Page headers and footers come around the body, as on the page, each text
// once: Word repeats one header for the first, even and odd pages.
QString joinedSections(const QStringList &sections)
{
    QStringList kept;
    for (const QString &section : sections) {
        const QString trimmed = section.trimmed();
        if (!trimmed.isEmpty() && !kept.contains(trimmed))
            kept.append(trimmed);
    }
    return kept.join(u"\n\n"_s);
}

// "word/header2.xml" before "word/header10.xml".
void sortParts(QStringList &names)
{
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
}

RawText readDocx(const QString &path, const ExtractLimits &limits)
{
    const QString body = u"word/document.xml"_s;
    const auto isHeader = [](const QString &name) {
        return name.startsWith(u"word/header"_s) && name.endsWith(u".xml"_s)
            && name.indexOf(u'/', 5) < 0;
    };
    const auto isFooter = [](const QString &name) {
        return name.startsWith(u"word/footer"_s) && name.endsWith(u".xml"_s)
            && name.indexOf(u'/', 5) < 0;
    };

    ZipDocument zip(path, limits);
    if (!zip.open(
            [&](const QString &name) { return name == body || isHeader(name) || isFooter(name); }))
        return failed(zip.problem());
    if (!zip.parts().contains(body))
        return failed(damagedDocument());
    QStringList headers;
    QStringList footers;
    for (const QString &name : zip.parts()) {
        if (isHeader(name))
            headers.append(name);
        else if (isFooter(name))
            footers.append(name);
    }
    sortParts(headers);
    sortParts(footers);

    TextBudget budget { limits.maxTextChars };
    // The body first, so that it gets the text budget before the margins do.
    const auto readPart = [&](const QString &name, QString *text) {
        TextSink sink(budget);
        DocxHandler handler(sink);
        const bool ok = zip.read(name, handler, sink);
        *text = sink.text();
        return ok;
    };
    QString bodyText;
    if (!readPart(body, &bodyText))
        return failed(zip.problem());
    QStringList headerTexts;
    QStringList footerTexts;
    for (const QString &name : std::as_const(headers)) {
        QString text;
        if (!readPart(name, &text))
            return failed(zip.problem());
        headerTexts.append(text);
    }
    for (const QString &name : std::as_const(footers)) {
        QString text;
        if (!readPart(name, &text))
            return failed(zip.problem());
        footerTexts.append(text);
    }

    RawText raw;
    raw.text = joinedSections(headerTexts + QStringList { bodyText } + footerTexts);
    raw.truncated = budget.exhausted;
    return raw;
}

RawText readOdt(const QString &path, const ExtractLimits &limits)
{
    const QString content = u"content.xml"_s;
    const QString styles = u"styles.xml"_s;
    ZipDocument zip(path, limits);
    if (!zip.open([&](const QString &name) { return name == content || name == styles; }))
        return failed(zip.problem());
    if (!zip.parts().contains(content))
        return failed(damagedDocument());

    TextBudget budget { limits.maxTextChars };
    TextSink body(budget);
    TextSink header(budget);
    TextSink footer(budget);
    {
        OdfHandler handler(&body, nullptr, nullptr);
        if (!zip.read(content, handler, body))
            return failed(zip.problem());
    }
    if (zip.parts().contains(styles)) {
        OdfHandler handler(nullptr, &header, &footer);
        if (!zip.read(styles, handler, header))
            return failed(zip.problem());
    }

    RawText raw;
    raw.text = joinedSections({ header.text(), body.text(), footer.text() });
    raw.truncated = budget.exhausted;
    return raw;
}

// ---------------------------------------------------------------------------

ExtractedText finished(RawText raw, const ExtractLimits &limits)
{
    ExtractedText result;
    if (!raw.problem.isEmpty()) {
        result.problem = raw.problem;
        return result;
    }
    result.text = cleaned(raw.text);
    result.truncated = raw.truncated;
    // Plain text and a PDF's text come here uncapped (the other readers cap
    // as they go). Half a surrogate pair is no character: cut before it.
    if (result.text.size() > limits.maxTextChars) {
        qsizetype keep = limits.maxTextChars;
        if (keep > 0 && result.text.at(keep - 1).isHighSurrogate())
            --keep;
        result.text.truncate(keep);
        result.truncated = true;
    }
    if (result.text.isEmpty()) {
        result.problem = tr("There is no text in this file, so nothing can be filled in from "
                            "it.")
            + u' ' + fillByHand();
        return result;
    }
    result.ok = true;
    return result;
}

ExtractedText extractFile(const QString &path, const ExtractLimits &limits,
                          const std::function<bool()> &cancelled)
{
    // By content, never by name: the inspector also refuses empty files,
    // folders, executables and anything else that is no resume. A resume the
    // server would refuse only for its name ("cv.html" holding a PDF) is still
    // read: the inspector's message about the name is for the upload.
    const ResumeInfo info = ResumeInspector::inspect(path, 0);
    if (info.typeLabel.isEmpty()) {
        ExtractedText result;
        result.problem = info.problem;
        return result;
    }

    const QString &mime = info.mimeType;
    if (mime == u"application/pdf"_s) {
        ExtractedText result = PdfTextWorker::run(info.path, limits, cancelled);
        if (result.ok) {
            RawText raw;
            raw.text = result.text;
            raw.truncated = result.truncated;
            ExtractedText text = finished(raw, limits);
            text.pages = result.pages;
            return text;
        }
        return result;
    }
    if (mime == u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s)
        return finished(readDocx(info.path, limits), limits);
    if (mime == u"application/vnd.oasis.opendocument.text"_s)
        return finished(readOdt(info.path, limits), limits);
    if (mime == u"application/rtf"_s)
        return finished(readRtf(info.path, limits), limits);
    if (mime == u"text/plain"_s)
        return finished(readPlainText(info.path, limits), limits);

    ExtractedText result;
    if (mime == u"application/msword"_s) {
        result.problem = tr("Candidate Desk cannot read the text of Word 97-2003 (.doc) files, "
                            "so nothing can be filled in from this one. Saved again as DOCX or "
                            "PDF, it can be read.")
            + u' ' + fillByHand();
    } else {
        result.problem = tr("Candidate Desk cannot read the text of a %1 file.").arg(info.typeLabel)
            + u' ' + fillByHand();
    }
    return result;
}

} // namespace

ExtractedText TextExtractor::extract(const QString &path, const ExtractLimits &limits)
{
    return extractFile(path, limits, {});
}

ExtractedText TextExtractor::extractRtf(const QByteArray &rtf, const ExtractLimits &limits)
{
    QBuffer buffer;
    buffer.setData(rtf);
    buffer.open(QIODevice::ReadOnly);
    return finished(readRtf(buffer, limits), limits);
}

QFuture<ExtractedText> TextExtractor::extractAsync(const QString &path, const ExtractLimits &limits)
{
    return QtConcurrent::run(
        [](QPromise<ExtractedText> &promise, const QString &file, const ExtractLimits &bounds) {
            promise.addResult(
                extractFile(file, bounds, [&promise] { return promise.isCanceled(); }));
        },
        path, limits);
}

QString TextExtractor::defaultHelperPath()
{
#ifdef Q_OS_WIN
    const QString name = u"candidate-desk-extract.exe"_s;
#else
    const QString name = u"candidate-desk-extract"_s;
#endif
    // Tests and unusual installs name it; otherwise it sits beside the app.
    const QString given = qEnvironmentVariable("CANDIDATE_DESK_EXTRACT_HELPER");
    if (!given.isEmpty())
        return given;
    return QDir(QCoreApplication::applicationDirPath()).filePath(name);
}

} // namespace cdesk
