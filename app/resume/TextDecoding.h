#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringDecoder>

#include <optional>

namespace cdesk {

// 8-bit code pages and the encodings of a plain-text resume.
namespace TextDecoding {

// Windows-1252, written out rather than asked of QStringDecoder: Qt knows it
// only when built with ICU, and this is the code page of most 8-bit resumes.
QString fromWindows1252(QByteArrayView bytes);

// An RTF font's \fcharset as a Windows code page; 0 for "the document's".
int codePageForCharset(int charset);

// The encodings decodeText() tells apart.
enum class Encoding { Utf8, Utf8WithBom, Utf16LE, Utf16BE, Windows1252 };
// Its name as a person knows it: "UTF-8", "UTF-16 LE", "Windows-1252"...
QString encodingName(Encoding encoding);

// A text file's bytes: UTF-8 or UTF-16 with a byte order mark, otherwise
// UTF-8 when they are valid UTF-8, otherwise Windows-1252. `cut` says the
// bytes stop before the file does, so a character cut at their end is no
// error. *used (when given) says which it was.
QString decodeText(QByteArrayView bytes, bool cut, Encoding *used = nullptr);

} // namespace TextDecoding

// Decodes text in one Windows code page, keeping the last decoder: an RTF
// switches code pages rarely but decodes a run of bytes after every accented
// letter.
class CodePageDecoder
{
public:
    QString decode(QByteArrayView bytes, int codePage);

private:
    int m_codePage = 0;
    std::optional<QStringDecoder> m_decoder;
};

} // namespace cdesk
