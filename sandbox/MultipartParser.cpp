#include "MultipartParser.h"

#include <QByteArrayView>

#include <optional>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

// RFC 2046 5.1.1: a boundary is 1 to 70 characters.
constexpr qsizetype kMaxBoundaryLength = 70;

// Error messages quote bytes the client sent; keep such quotes short and printable so a
// hostile header cannot flood the response or smuggle control characters into it.
constexpr qsizetype kMaxQuotedBytes = 80;

bool isLinearWhiteSpace(char c)
{
    return c == ' ' || c == '\t';
}

QString quotedForError(QByteArrayView bytes)
{
    const bool cut = bytes.size() > kMaxQuotedBytes;
    QByteArray shown = bytes.first(cut ? kMaxQuotedBytes : bytes.size()).toByteArray();
    for (char &c : shown) {
        if (c < 0x20 || c > 0x7e)
            c = '?';
    }
    if (cut)
        shown += "...";
    return QString::fromLatin1(shown);
}

QString invalidBoundaryError(std::optional<QByteArrayView> boundary)
{
    // Django's wording; "None" is what Python prints for a parameter that is not there.
    if (!boundary || boundary->isEmpty())
        return u"Invalid boundary in multipart: None"_s;
    return u"Invalid boundary in multipart: "_s + quotedForError(*boundary);
}

// Any printable ASCII, as Django accepts, rather than only RFC 2046's bchars: real clients
// stay within bchars anyway, so being stricter would only turn away bodies that a DRF
// server takes. A trailing space is never allowed: RFC 2046 forbids it, and it could not be
// told apart from transport padding.
bool isUsableBoundary(QByteArrayView boundary)
{
    if (boundary.isEmpty() || boundary.size() > kMaxBoundaryLength)
        return false;
    for (const char c : boundary) {
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return boundary.back() != ' ';
}

struct HeaderParameter
{
    QByteArray name; // lower-cased
    QByteArray value; // unquoted and unescaped
};

struct HeaderValue
{
    QByteArray token; // the part before the first ';', trimmed and lower-cased
    QList<HeaderParameter> parameters;

    // The first occurrence wins: a second `name=` or `boundary=` is ignored, so what the
    // parser acts on does not depend on how far along a header a sniffer reads.
    std::optional<QByteArray> parameter(QByteArrayView name) const
    {
        for (const HeaderParameter &p : parameters) {
            if (p.name == name)
                return p.value;
        }
        return std::nullopt;
    }
};

// Reads a quoted-string that starts just after its opening quote at `i`; leaves `i` after
// the closing quote (or at the end when the quote is never closed, which is tolerated).
// Only `\"` and `\\` are escapes: browsers never escape a backslash (HTML's form encoding
// replaces only `"`, CR and LF), so `C:\docs\cv.pdf` must survive as written. This is
// what Django does too.
QByteArray readQuotedString(QByteArrayView text, qsizetype &i)
{
    QByteArray value;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            ++i;
            return value;
        }
        if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
            value += text[i + 1];
            i += 2;
            continue;
        }
        value += c;
        ++i;
    }
    return value;
}

// Parses `token; name=value; name="quoted value"` as Content-Type and Content-Disposition
// use it. Lenient about whitespace around `;` and `=`; parameters without `=` are ignored.
// The input is one header value, already bounded by the header size limit.
HeaderValue parseHeaderValue(QByteArrayView text)
{
    HeaderValue result;
    qsizetype i = text.indexOf(';');
    if (i < 0)
        i = text.size();
    result.token = text.first(i).trimmed().toByteArray().toLower();

    while (i < text.size()) {
        // Skip the separator and any whitespace before the parameter name.
        while (i < text.size() && (text[i] == ';' || isLinearWhiteSpace(text[i])))
            ++i;
        const qsizetype nameStart = i;
        while (i < text.size() && text[i] != '=' && text[i] != ';')
            ++i;
        const QByteArray name
            = text.sliced(nameStart, i - nameStart).trimmed().toByteArray().toLower();
        if (i >= text.size() || text[i] == ';')
            continue; // a bare word, not a parameter
        ++i; // '='
        while (i < text.size() && isLinearWhiteSpace(text[i]))
            ++i;
        QByteArray value;
        if (i < text.size() && text[i] == '"') {
            ++i;
            value = readQuotedString(text, i);
            // Anything between the closing quote and the next ';' is junk; skip it.
            while (i < text.size() && text[i] != ';')
                ++i;
        } else {
            const qsizetype valueStart = i;
            while (i < text.size() && text[i] != ';')
                ++i;
            value = text.sliced(valueStart, i - valueStart).trimmed().toByteArray();
        }
        if (!name.isEmpty())
            result.parameters.append({ name, value });
    }
    return result;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Percent-decoding that keeps a malformed escape (`%zz`, a trailing `%`) as literal text
// instead of failing: a filename is better shown odd than lost.
QByteArray percentDecoded(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hexValue(text[i + 1]);
            const int low = hexValue(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += char((high << 4) | low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// RFC 5987 / 8187 ext-value: charset'language'percent-encoded. Returns nothing when the
// value does not have that shape, so the caller can fall back to the plain filename.
std::optional<QString> decodeExtendedValue(QByteArrayView value)
{
    const qsizetype firstQuote = value.indexOf('\'');
    if (firstQuote < 0)
        return std::nullopt;
    const qsizetype secondQuote = value.indexOf('\'', firstQuote + 1);
    if (secondQuote < 0)
        return std::nullopt;
    const QByteArrayView charset = value.first(firstQuote).trimmed();
    const QByteArray bytes = percentDecoded(value.sliced(secondQuote + 1));
    if (charset.compare("iso-8859-1", Qt::CaseInsensitive) == 0
        || charset.compare("us-ascii", Qt::CaseInsensitive) == 0) {
        return QString::fromLatin1(bytes);
    }
    // RFC 8187 requires UTF-8 support and nothing else; an unknown charset is most likely
    // UTF-8 mislabelled, and invalid sequences become U+FFFD rather than an error.
    return QString::fromUtf8(bytes);
}

// The one header line, without its line ending, and where the next line starts.
struct Line
{
    QByteArrayView text;
    qsizetype next = -1; // -1: no line ending before the end of the searched range
};

Line lineAt(QByteArrayView body, qsizetype pos, qsizetype searchEnd)
{
    const qsizetype newline = body.first(searchEnd).indexOf('\n', pos);
    if (newline < 0)
        return {};
    QByteArrayView text = body.sliced(pos, newline - pos);
    if (text.endsWith('\r'))
        text.chop(1);
    return { text, newline + 1 };
}

enum class DelimiterKind { None, Part, Close };

struct Delimiter
{
    DelimiterKind kind = DelimiterKind::None;
    qsizetype lineStart = -1; // where "--boundary" starts
    qsizetype next = -1; // for Part: the first byte of the part's header block
};

// Classifies the line starting at `pos`, which must already start with `--boundary`.
// A line that merely begins with the boundary (`--boundaryX`) is not a delimiter, and a
// delimiter cut off by the end of the body is not one either: the search then runs out
// and the caller reports the body as truncated.
Delimiter classifyDelimiter(QByteArrayView body, qsizetype pos, qsizetype dashBoundarySize)
{
    qsizetype i = pos + dashBoundarySize;
    if (i + 1 < body.size() && body[i] == '-' && body[i + 1] == '-')
        return { DelimiterKind::Close, pos, i + 2 };
    // RFC 2046 allows transport padding (linear white space) before the line break.
    while (i < body.size() && isLinearWhiteSpace(body[i]))
        ++i;
    if (i < body.size() && body[i] == '\n')
        return { DelimiterKind::Part, pos, i + 1 };
    if (i + 1 < body.size() && body[i] == '\r' && body[i + 1] == '\n')
        return { DelimiterKind::Part, pos, i + 2 };
    return {};
}

// Finds the first delimiter line that starts at or after `from`. A delimiter counts only
// at the start of a line (RFC 2046: it follows a line break), so `--boundary` in the
// middle of a line of data is data. Each candidate is looked at once and the search
// resumes after it, which keeps the whole parse linear in the body size.
Delimiter findDelimiter(QByteArrayView body, qsizetype from, QByteArrayView dashBoundary,
                        QByteArrayView lineBreakDashBoundary)
{
    if (from == 0 && body.startsWith(dashBoundary)) {
        const Delimiter d = classifyDelimiter(body, 0, dashBoundary.size());
        if (d.kind != DelimiterKind::None)
            return d;
    }
    // The '\n' of the candidate may be the byte just before `from`.
    qsizetype searchFrom = from > 0 ? from - 1 : 0;
    while (true) {
        const qsizetype hit = body.indexOf(lineBreakDashBoundary, searchFrom);
        if (hit < 0)
            return {};
        const Delimiter d = classifyDelimiter(body, hit + 1, dashBoundary.size());
        if (d.kind != DelimiterKind::None)
            return d;
        searchFrom = hit + 1;
    }
}

struct PartHeaders
{
    std::optional<QByteArray> contentDisposition;
    std::optional<QByteArray> contentType;
};

enum class HeaderBlockStatus { Ok, Truncated, TooLarge, MissingBlankLine };

void keepHeader(PartHeaders &headers, QByteArrayView name, const QByteArray &value)
{
    // Only the first of a repeated header counts, as for parameters.
    if (name.compare("content-disposition", Qt::CaseInsensitive) == 0) {
        if (!headers.contentDisposition)
            headers.contentDisposition = value;
    } else if (name.compare("content-type", Qt::CaseInsensitive) == 0) {
        if (!headers.contentType)
            headers.contentType = value;
    }
}

// Reads the header block of one part, from `start` up to and including its blank line,
// and sets `dataStart` to the first byte after it. Never looks further than `maxBytes`
// past `start`, so a body without line breaks costs no more than the limit.
HeaderBlockStatus readHeaderBlock(QByteArrayView body, qsizetype start, qsizetype maxBytes,
                                  QByteArrayView dashBoundary, PartHeaders &headers,
                                  qsizetype &dataStart)
{
    // One byte past the limit is enough to tell "too large" from "fits".
    const qsizetype searchEnd = qMin(body.size(), start + qMax<qsizetype>(maxBytes, 0) + 1);
    QByteArray name;
    QByteArray value;
    bool haveHeader = false;
    qsizetype pos = start;
    while (true) {
        const Line line = lineAt(body, pos, searchEnd);
        if (line.next < 0 || line.next - start > maxBytes) {
            if (searchEnd - start > maxBytes)
                return HeaderBlockStatus::TooLarge;
            return HeaderBlockStatus::Truncated;
        }
        if (line.text.isEmpty()) {
            if (haveHeader)
                keepHeader(headers, name, value);
            dataStart = line.next;
            return HeaderBlockStatus::Ok;
        }
        if (line.text.startsWith(dashBoundary)
            && classifyDelimiter(body, pos, dashBoundary.size()).kind != DelimiterKind::None) {
            return HeaderBlockStatus::MissingBlankLine;
        }
        if (isLinearWhiteSpace(line.text.front())) {
            // obs-fold (RFC 5322 / RFC 7230): a continuation of the previous header.
            if (haveHeader) {
                value += ' ';
                value += line.text.trimmed();
            }
        } else {
            if (haveHeader)
                keepHeader(headers, name, value);
            const qsizetype colon = line.text.indexOf(':');
            // A line without a colon is not a header; skip it rather than fail the body.
            haveHeader = colon > 0;
            if (haveHeader) {
                name = line.text.first(colon).trimmed().toByteArray();
                value = line.text.sliced(colon + 1).trimmed().toByteArray();
            }
        }
        pos = line.next;
    }
}

QString partError(qsizetype partNumber, const QString &what)
{
    return u"Part "_s + QString::number(partNumber) + u' ' + what;
}

} // namespace

QByteArray MultipartParser::boundaryFrom(const QByteArray &contentType, QString *error)
{
    const HeaderValue header = parseHeaderValue(contentType);
    if (header.token != "multipart/form-data") {
        if (error) {
            *error = u"Invalid Content-Type: "_s
                + (header.token.isEmpty() ? u"None"_s : quotedForError(header.token));
        }
        return {};
    }
    const std::optional<QByteArray> boundary = header.parameter("boundary");
    if (!boundary || !isUsableBoundary(*boundary)) {
        if (error)
            *error = invalidBoundaryError(boundary);
        return {};
    }
    if (error)
        error->clear();
    return *boundary;
}

MultipartResult MultipartParser::parse(const QByteArray &body, const QByteArray &boundary,
                                       const MultipartLimits &limits)
{
    MultipartResult result;
    if (!isUsableBoundary(boundary)) {
        result.error = invalidBoundaryError(boundary);
        return result;
    }

    const QByteArray dashBoundary = "--" + boundary;
    const QByteArray lineBreakDashBoundary = '\n' + dashBoundary;
    const QByteArrayView view(body);

    // Everything before the first delimiter is preamble and ignored (RFC 2046).
    Delimiter delimiter = findDelimiter(view, 0, dashBoundary, lineBreakDashBoundary);
    if (delimiter.kind == DelimiterKind::None) {
        result.error = u"The body does not contain the multipart boundary given in the "
                       u"Content-Type header."_s;
        return result;
    }

    while (delimiter.kind == DelimiterKind::Part) {
        const qsizetype partNumber = result.parts.size() + 1;
        if (result.parts.size() >= limits.maxParts) {
            result.error = u"Too many parts: at most "_s + QString::number(limits.maxParts)
                + u" are allowed."_s;
            result.parts.clear();
            return result;
        }

        PartHeaders headers;
        qsizetype dataStart = -1;
        switch (readHeaderBlock(view, delimiter.next, limits.maxHeaderBytesPerPart, dashBoundary,
                                headers, dataStart)) {
        case HeaderBlockStatus::Ok:
            break;
        case HeaderBlockStatus::Truncated:
            result.error = u"The body ends before the closing boundary; the upload may be "
                           u"incomplete."_s;
            result.parts.clear();
            return result;
        case HeaderBlockStatus::TooLarge:
            result.error
                = partError(partNumber,
                            u"has headers longer than "_s
                                + QString::number(limits.maxHeaderBytesPerPart) + u" bytes."_s);
            result.parts.clear();
            return result;
        case HeaderBlockStatus::MissingBlankLine:
            result.error = partError(partNumber, u"has no blank line after its headers."_s);
            result.parts.clear();
            return result;
        }

        // Check the headers before looking for the data, so a bad part fails fast.
        if (!headers.contentDisposition) {
            result.error = partError(partNumber, u"has no Content-Disposition header."_s);
            result.parts.clear();
            return result;
        }
        const HeaderValue disposition = parseHeaderValue(*headers.contentDisposition);
        if (disposition.token != "form-data") {
            result.error
                = partError(partNumber,
                            u"has Content-Disposition \""_s + quotedForError(disposition.token)
                                + u"\"; only form-data is accepted."_s);
            result.parts.clear();
            return result;
        }
        const std::optional<QByteArray> name = disposition.parameter("name");
        if (!name || name->isEmpty()) {
            result.error = partError(partNumber, u"has no field name."_s);
            result.parts.clear();
            return result;
        }

        const Delimiter nextDelimiter
            = findDelimiter(view, dataStart, dashBoundary, lineBreakDashBoundary);
        if (nextDelimiter.kind == DelimiterKind::None) {
            result.error = u"The body ends before the closing boundary; the upload may be "
                           u"incomplete."_s;
            result.parts.clear();
            return result;
        }

        // The line break before the delimiter belongs to the delimiter, not to the data.
        // When the delimiter starts right at dataStart (a client that sent no line break
        // for empty data), that line break was the blank line's and the data is empty.
        qsizetype dataEnd = nextDelimiter.lineStart;
        if (dataEnd > dataStart) {
            --dataEnd; // '\n'
            if (dataEnd > dataStart && view[dataEnd - 1] == '\r')
                --dataEnd;
        }

        MultipartPart part;
        part.name = QString::fromUtf8(*name);
        const std::optional<QByteArray> fileName = disposition.parameter("filename");
        const std::optional<QByteArray> extendedFileName = disposition.parameter("filename*");
        part.hasFileName = fileName || extendedFileName;
        std::optional<QString> decoded;
        if (extendedFileName)
            decoded = decodeExtendedValue(*extendedFileName);
        // filename* wins (RFC 6266 4.3), unless it is malformed or empty and the plain
        // filename has something to say.
        if (decoded && !decoded->isEmpty())
            part.fileName = *decoded;
        else if (fileName)
            part.fileName = QString::fromUtf8(*fileName);
        if (headers.contentType)
            part.contentType = headers.contentType->toLower();
        // The one copy of the part's bytes.
        part.data = body.sliced(dataStart, dataEnd - dataStart);
        result.parts.append(std::move(part));

        delimiter = nextDelimiter;
    }

    // After the close delimiter comes the epilogue, ignored (RFC 2046).
    result.ok = true;
    return result;
}

} // namespace cdesk::sandbox
