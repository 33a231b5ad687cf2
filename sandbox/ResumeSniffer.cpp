#include "ResumeSniffer.h"

#include "resume/PlainTextSniff.h"

#include <QMimeDatabase>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

// The names of the entries of a zip archive, read from its central directory
// without inflating anything. Bounded: at most maxEntries names are read and
// every offset is checked against the data.
QList<QByteArray> zipEntryNames(const QByteArray &zip, int maxEntries = 4096)
{
    QList<QByteArray> names;
    // End of central directory record: signature, then the directory's offset at +16.
    constexpr int eocdSize = 22;
    const qsizetype searchFrom = qMax<qsizetype>(0, zip.size() - eocdSize - 65535);
    const qsizetype eocd = zip.lastIndexOf(QByteArrayView("PK\x05\x06", 4));
    if (eocd < searchFrom || eocd + eocdSize > zip.size())
        return names;
    const auto *base = reinterpret_cast<const uchar *>(zip.constData());
    const quint16 entries = qFromLittleEndian<quint16>(base + eocd + 10);
    qsizetype pos = qFromLittleEndian<quint32>(base + eocd + 16);
    for (int i = 0; i < entries && i < maxEntries; ++i) {
        if (pos < 0 || pos + 46 > zip.size() || zip.mid(pos, 4) != QByteArrayView("PK\x01\x02", 4))
            break;
        const quint16 nameLen = qFromLittleEndian<quint16>(base + pos + 28);
        const quint16 extraLen = qFromLittleEndian<quint16>(base + pos + 30);
        const quint16 commentLen = qFromLittleEndian<quint16>(base + pos + 32);
        if (pos + 46 + nameLen > zip.size())
            break;
        names.append(zip.mid(pos + 46, nameLen));
        pos += 46 + nameLen + extraLen + commentLen;
    }
    return names;
}

QString zipDocumentType(const QByteArray &data)
{
    // ODF: the first entry is "mimetype", stored uncompressed, holding the
    // document's type (a spreadsheet says ...spreadsheet, not ...text).
    const auto *base = reinterpret_cast<const uchar *>(data.constData());
    if (data.size() >= 30) {
        const quint16 nameLen = qFromLittleEndian<quint16>(base + 26);
        const quint16 extraLen = qFromLittleEndian<quint16>(base + 28);
        const qsizetype dataAt = 30 + nameLen + extraLen;
        if (data.mid(30, nameLen) == "mimetype" && dataAt < data.size()) {
            const QByteArray odt = "application/vnd.oasis.opendocument.text";
            return data.mid(dataAt, odt.size()) == odt && data.mid(dataAt + odt.size(), 1) != "-"
                ? u"application/vnd.oasis.opendocument.text"_s
                : QString();
        }
    }
    const auto names = zipEntryNames(data);
    if (names.contains("[Content_Types].xml") && names.contains("word/document.xml"))
        return u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s;
    return {};
}

} // namespace

QString sniffResumeType(const QByteArray &data)
{
    if (data.isEmpty())
        return {};
    QByteArrayView view(data);
    if (view.startsWith("%PDF-"))
        return u"application/pdf"_s;
    if (view.startsWith("{\\rtf"))
        return u"application/rtf"_s;
    if (view.startsWith("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
        // An OLE2 compound file: Word 97-2003 if it has a WordDocument stream,
        // whose name is stored in UTF-16 in the directory.
        if (data.contains(QByteArrayView("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t", 24)))
            return u"application/msword"_s;
        return {};
    }
    if (view.startsWith("PK\x03\x04"))
        return zipDocumentType(data);

    // Shared MIME database as the second opinion: it knows far more binary
    // formats (images, executables, archives) than we would list ourselves.
    const QMimeType mime = QMimeDatabase().mimeTypeForData(data);
    const bool utf16 = view.startsWith("\xFF\xFE") || view.startsWith("\xFE\xFF");
    // The whole upload is judged, as the app judges a file's head.
    if ((utf16 || mime.inherits(u"text/plain"_s)) && cdesk::isPlainText(data))
        return u"text/plain"_s;
    return {};
}

} // namespace cdesk::sandbox
