#include "RtfReader.h"

#include "TextDecoding.h"

#include <QByteArray>
#include <QHash>
#include <QIODevice>
#include <QList>

#include <algorithm>
#include <limits>

namespace cdesk {

namespace {

// Reads go through buffers of this size: large enough to be quick, small
// enough that no file, however large, is ever held whole.
constexpr qint64 kChunkBytes = 64 * 1024;

// The state machine behind RtfReader::read (see RtfReader.h).
class RtfParser
{
public:
    RtfParser(QIODevice &in, qint64 maxBytes, TextSink &sink)
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
    // One hex digit of either case; -1 for anything else (the end included).
    static int hexValue(int c)
    {
        if (isDigit(c))
            return c - '0';
        const int lower = c | 0x20; // 'A'-'F' to 'a'-'f', nothing else into that range
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
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
                                       word == "cpg" ? parameter : TextDecoding::codePageForCharset(parameter));
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

} // namespace

RawText RtfReader::read(QIODevice &in, const ExtractLimits &limits)
{
    TextBudget budget { limits.maxTextChars };
    TextSink sink(budget);
    RtfParser parser(in, limits.maxInputBytes, sink);
    parser.run();
    RawText raw;
    raw.text = sink.text();
    raw.truncated = sink.full() || parser.inputCut();
    return raw;
}

} // namespace cdesk
