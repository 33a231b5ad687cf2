#pragma once

// Shared by the fuzz targets: a check that fails loudly under libFuzzer and in
// the replay, and a small reader for inputs written as "Name: value" lines, a
// blank line, then a body, so seed files read like the messages they stand for.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <cstdio>
#include <cstdlib>

// A property every input must keep. Fails with the expression and its line,
// then aborts: libFuzzer keeps the input as a crash, the replay fails its test.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__,             \
                         #condition);                                                              \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace cdesk::fuzz {

struct HeaderMessage
{
    QByteArray firstLine; // the line before the headers, when asked for
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    QByteArray body; // everything after the first blank line, exactly

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key == name)
                return value;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &entry : headers) {
            if (entry.first == name)
                return true;
        }
        return false;
    }
};

// What a text reader hands to the preview and the autofill: LF lines, no
// control characters but tab, no lone surrogate halves. Used with any type
// that has ok, problem and text (TextExtractor's ExtractedText).
template<typename Result> void checkReadableText(const Result &result, qsizetype maxChars)
{
    FUZZ_CHECK(result.ok == result.problem.isEmpty());
    FUZZ_CHECK(result.ok != result.text.isEmpty());
    FUZZ_CHECK(result.text.size() <= maxChars);
    const QString &text = result.text;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        FUZZ_CHECK(c.unicode() >= 0x20 || c == u'\t' || c == u'\n');
        if (c.isHighSurrogate()) {
            FUZZ_CHECK(i + 1 < text.size() && text.at(i + 1).isLowSurrogate());
            ++i;
        } else {
            FUZZ_CHECK(!c.isLowSurrogate());
        }
    }
}

// Lenient on purpose: a line without a colon is skipped, LF and CRLF both end
// a line, and input without a blank line is all headers and no body.
inline HeaderMessage parseHeaderMessage(QByteArrayView data, bool withFirstLine)
{
    HeaderMessage message;
    qsizetype pos = 0;
    bool first = withFirstLine;
    while (pos < data.size()) {
        qsizetype end = data.indexOf('\n', pos);
        const qsizetype next = end < 0 ? data.size() : end + 1;
        if (end < 0)
            end = data.size();
        QByteArrayView line = data.sliced(pos, end - pos);
        if (line.endsWith('\r'))
            line.chop(1);
        pos = next;
        if (first) {
            message.firstLine = line.toByteArray();
            first = false;
            continue;
        }
        if (line.isEmpty()) {
            message.body = data.sliced(pos).toByteArray();
            return message;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        message.headers.append({ line.first(colon).trimmed().toByteArray().toLower(),
                                 line.sliced(colon + 1).trimmed().toByteArray() });
    }
    return message;
}

} // namespace cdesk::fuzz
