#include "ResumeInspector.h"

#include "PlainTextSniff.h"
#include "ZipWalk.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QtConcurrent/QtConcurrentRun>
#include <QtEndian>


#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("ResumeInspector", text, disambiguation, n);
}

// What the shared MIME database looks at for MatchContent, so one read of the
// head serves the database and our own checks.
constexpr qint64 kHeadBytes = 16 * 1024;
// An ODF "mimetype" entry holds one short line; anything longer is not ODF.
constexpr qint64 kMaxMimetypeEntry = 256;

const QByteArrayView kOleSignature("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
const QByteArrayView kZipSignature("PK\x03\x04", 4);
const QByteArrayView kOdtMimetype("application/vnd.oasis.opendocument.text");

enum class Kind { None, Pdf, Doc, Docx, Odt, Rtf, Txt };

QString mimeFor(Kind kind)
{
    switch (kind) {
    case Kind::Pdf:
        return u"application/pdf"_s;
    case Kind::Doc:
        return u"application/msword"_s;
    case Kind::Docx:
        return u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s;
    case Kind::Odt:
        return u"application/vnd.oasis.opendocument.text"_s;
    case Kind::Rtf:
        return u"application/rtf"_s;
    case Kind::Txt:
        return u"text/plain"_s;
    case Kind::None:
        break;
    }
    return {};
}

QString labelFor(Kind kind)
{
    switch (kind) {
    case Kind::Pdf:
        return tr("PDF");
    case Kind::Doc:
        return tr("Word (DOC)");
    case Kind::Docx:
        return tr("Word (DOCX)");
    case Kind::Odt:
        return tr("OpenDocument text (ODT)");
    case Kind::Rtf:
        return tr("RTF");
    case Kind::Txt:
        return tr("Plain text (TXT)");
    case Kind::None:
        break;
    }
    return {};
}

QString suffixFor(Kind kind)
{
    switch (kind) {
    case Kind::Pdf:
        return u"pdf"_s;
    case Kind::Doc:
        return u"doc"_s;
    case Kind::Docx:
        return u"docx"_s;
    case Kind::Odt:
        return u"odt"_s;
    case Kind::Rtf:
        return u"rtf"_s;
    case Kind::Txt:
        return u"txt"_s;
    case Kind::None:
        break;
    }
    return {};
}

// Every refusal ends the same way, so the recruiter always learns what to choose.
QString refusal(const QString &what)
{
    return what + u' ' + tr("Accepted types: %1.").arg(ResumeInspector::acceptedTypes());
}

template<typename T> std::optional<T> littleEndianAt(const QByteArray &data, qsizetype offset)
{
    if (offset < 0 || offset + qsizetype(sizeof(T)) > data.size())
        return std::nullopt;
    return qFromLittleEndian<T>(data.constData() + offset);
}

// An OLE2 compound file (Word 97-2003, but also Excel, PowerPoint, MSI...) is
// a Word document when its directory holds a "WordDocument" stream. Follows
// the directory's sector chain through the FAT, reading one sector or one FAT
// entry at a time, with a bound on the chain so a loop in a crafted file ends.
class OleDirectory
{
public:
    OleDirectory(QFile &file, const QByteArray &header)
        : m_file(file)
        , m_header(header)
    { }

    bool hasWordDocument()
    {
        const auto byteOrder = littleEndianAt<quint16>(m_header, 0x1C);
        const auto shift = littleEndianAt<quint16>(m_header, 0x1E);
        const auto firstDirectory = littleEndianAt<quint32>(m_header, 0x30);
        if (!byteOrder || *byteOrder != 0xFFFE || !shift || (*shift != 9 && *shift != 12)
            || !firstDirectory)
            return false;
        m_sectorSize = 1 << *shift;

        quint32 sector = *firstDirectory;
        for (int i = 0; i < ResumeInspector::kMaxOleDirectorySectors && !isEnd(sector); ++i) {
            const QByteArray entries = readSector(sector);
            if (entries.size() != m_sectorSize)
                return false;
            for (qsizetype at = 0; at + 128 <= entries.size(); at += 128) {
                const auto nameBytes = littleEndianAt<quint16>(entries, at + 0x40);
                constexpr char kStream = 2;
                // "WordDocument" in UTF-16LE, and its terminator: 26 bytes.
                if (entries.at(at + 0x42) == kStream && nameBytes == 26
                    && entries.mid(at, 24) == wordDocumentName())
                    return true;
            }
            sector = nextSector(sector);
        }
        return false;
    }

private:
    static QByteArray wordDocumentName()
    {
        QByteArray name;
        for (const char c : QByteArrayView("WordDocument")) {
            name.append(c);
            name.append('\0');
        }
        return name;
    }

    // 0xFFFFFFFA and above are markers (end of chain, free, FAT, DIFAT), never sectors.
    static bool isEnd(quint32 sector) { return sector >= 0xFFFFFFFAu; }

    qint64 sectorOffset(quint32 sector) const { return (qint64(sector) + 1) * m_sectorSize; }

    QByteArray readAt(qint64 offset, qint64 length)
    {
        if (offset < 0 || offset + length > m_file.size() || !m_file.seek(offset))
            return {};
        return m_file.read(length);
    }

    QByteArray readSector(quint32 sector)
    {
        return isEnd(sector) ? QByteArray() : readAt(sectorOffset(sector), m_sectorSize);
    }

    std::optional<quint32> readEntry(quint32 sector, quint32 index)
    {
        if (isEnd(sector))
            return std::nullopt;
        return littleEndianAt<quint32>(readAt(sectorOffset(sector) + 4 * qint64(index), 4), 0);
    }

    // Where the index-th FAT sector lives: the first 109 are listed in the
    // header, the rest in a chain of DIFAT sectors.
    std::optional<quint32> fatSector(quint32 index)
    {
        if (index < 109)
            return littleEndianAt<quint32>(m_header, 0x4C + 4 * qsizetype(index));
        index -= 109;
        const quint32 perDifat = quint32(m_sectorSize / 4 - 1); // the last slot links on
        auto difat = littleEndianAt<quint32>(m_header, 0x44);
        for (int hops = 0;
             difat && !isEnd(*difat) && hops < ResumeInspector::kMaxOleDirectorySectors; ++hops) {
            if (index < perDifat)
                return readEntry(*difat, index);
            index -= perDifat;
            difat = readEntry(*difat, perDifat);
        }
        return std::nullopt;
    }

    quint32 nextSector(quint32 sector)
    {
        const quint32 perFat = quint32(m_sectorSize / 4);
        const auto fat = fatSector(sector / perFat);
        if (!fat)
            return 0xFFFFFFFEu;
        return readEntry(*fat, sector % perFat).value_or(0xFFFFFFFEu);
    }

    QFile &m_file;
    const QByteArray &m_header;
    qint64 m_sectorSize = 512;
};

enum class ZipVerdict { Docx, Odt, Other, TooManyEntries, Damaged };

// Whether the first entry is ODF's "mimetype" naming a text document. Reads
// at most kMaxMimetypeEntry bytes of it, whatever its header claims.
bool isOdtMimetypeEntry(ZipWalk &zip, const ZipEntry &entry)
{
    if (entry.size > kMaxMimetypeEntry || !zip.openEntry())
        return false;
    QByteArray text(kMaxMimetypeEntry, Qt::Uninitialized);
    const qint64 n = zip.read(text.data(), text.size());
    if (n < 0)
        return false;
    text.truncate(n);
    return text.trimmed() == kOdtMimetype;
}

// A Word 2007+ or OpenDocument file is a zip: tell them from any other zip by
// the names in its central directory (nothing is inflated, except ODF's tiny
// "mimetype"), reading no more than kMaxZipEntries names.
ZipVerdict lookInsideZip(const QString &path)
{
    ZipWalk zip(path);
    std::optional<ZipVerdict> verdict;
    bool contentTypes = false;
    bool wordDocument = false;
    const bool walked = zip.open() && zip.forEach([&](const ZipEntry &entry) {
        if (entry.index == 0 && entry.name == u"mimetype"_s) {
            verdict = isOdtMimetypeEntry(zip, entry) ? ZipVerdict::Odt : ZipVerdict::Other;
            return false;
        }
        contentTypes = contentTypes || entry.name == u"[Content_Types].xml"_s;
        wordDocument = wordDocument || entry.name == u"word/document.xml"_s;
        if (contentTypes && wordDocument)
            verdict = ZipVerdict::Docx;
        return !verdict;
    });
    if (verdict)
        return *verdict;
    if (walked)
        return ZipVerdict::Other;
    return zip.error() == ZipWalk::Error::TooManyEntries ? ZipVerdict::TooManyEntries
                                                         : ZipVerdict::Damaged;
}

// The server judges the name as well: a name may carry no extension, an
// unknown one or any accepted type's, but not one the MIME database knows as
// another kind of file ("cv.exe", "cv.html").
bool nameFitsResume(const QMimeDatabase &db, const QString &fileName)
{
    static const QStringList accepted = {
        u"application/pdf"_s,
        u"application/msword"_s,
        u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s,
        u"application/vnd.oasis.opendocument.text"_s,
        u"application/rtf"_s,
        u"text/rtf"_s,
        u"text/plain"_s,
    };
    const QList<QMimeType> types = db.mimeTypesForFileName(fileName);
    // Exact names: text/html "inherits" text/plain and is still not a resume.
    return types.isEmpty() || std::any_of(types.cbegin(), types.cend(), [](const QMimeType &t) {
               return accepted.contains(t.name());
           });
}

QString quoted(const QString &text)
{
    return tr("“%1”").arg(text);
}

} // namespace

QString ResumeInspector::acceptedTypes()
{
    return tr("PDF, Word (DOC or DOCX), OpenDocument text (ODT), RTF or plain text (TXT)");
}

ResumeInfo ResumeInspector::inspect(const QString &path, qint64 maxBytes)
{
    ResumeInfo info;
    if (path.isEmpty()) {
        info.problem = refusal(tr("No file was chosen."));
        return info;
    }
    const QFileInfo fileInfo(path);
    info.path = fileInfo.absoluteFilePath();
    info.fileName = fileInfo.fileName();
    const QString name = quoted(info.fileName);

    if (!fileInfo.exists()) {
        info.problem = refusal(
            tr("%1 is not there any more: it may have been moved, renamed or deleted. Choose it "
               "again.")
                .arg(name));
        return info;
    }
    if (fileInfo.isDir()) {
        info.problem = refusal(tr("%1 is a folder. Choose the resume file itself.").arg(name));
        return info;
    }
    // A pipe or a device would block the read below, or never end.
    if (!fileInfo.isFile()) {
        info.problem
            = refusal(tr("%1 is not an ordinary file. Choose the resume file itself.").arg(name));
        return info;
    }

    info.size = fileInfo.size();
    info.overLimit = maxBytes > 0 && info.size > maxBytes;

    QFile file(info.path);
    if (!file.open(QIODevice::ReadOnly)) {
        info.problem = refusal(tr("Candidate Desk cannot read %1 (%2). Check that you may open "
                                  "it, or copy it somewhere you can, and choose it again.")
                                   .arg(name, file.errorString()));
        return info;
    }
    if (info.size == 0) {
        info.problem = refusal(
            tr("%1 is empty (0 bytes): there is no resume in it. Choose the resume file itself.")
                .arg(name));
        return info;
    }
    const QByteArray head = file.read(kHeadBytes);
    if (head.isEmpty()) {
        info.problem = refusal(tr("Candidate Desk cannot read %1 (%2). Check that you may open "
                                  "it, or copy it somewhere you can, and choose it again.")
                                   .arg(name, file.errorString()));
        return info;
    }

    // The same judgement as mimeTypeForFile(path, MatchContent), which peeks at
    // these 16 KiB itself: the bytes already read spare a second open, and the
    // name (which may lie) plays no part.
    const QMimeDatabase db;
    const QMimeType mime = db.mimeTypeForData(head);
    info.mimeType = mime.name();
    const QByteArrayView view(head);

    Kind kind = Kind::None;
    QString why;
    if (view.startsWith(kOleSignature)) {
        if (OleDirectory(file, head).hasWordDocument())
            kind = Kind::Doc;
        else
            why = tr("%1 is a Microsoft Office file, but not a Word document (a spreadsheet or a "
                     "presentation, perhaps). Save the resume from Word as DOCX or PDF.")
                      .arg(name);
    } else if (view.startsWith(kZipSignature) || mime.inherits(u"application/zip"_s)) {
        switch (lookInsideZip(info.path)) {
        case ZipVerdict::Docx:
            kind = Kind::Docx;
            break;
        case ZipVerdict::Odt:
            kind = Kind::Odt;
            break;
        case ZipVerdict::TooManyEntries:
            why = tr("%1 is an archive of more than %n files, far more than any Word or "
                     "OpenDocument resume holds.",
                     nullptr, kMaxZipEntries)
                      .arg(name);
            break;
        case ZipVerdict::Damaged:
            why = tr("%1 is a zip archive or an Office file that is damaged and cannot be "
                     "opened. Open it in its program and save it again.")
                      .arg(name);
            break;
        case ZipVerdict::Other:
            why = tr("%1 is a %2 (a kind of zip archive), not a Word or OpenDocument text "
                     "document. Take the resume out of it, or save it in one of the types below.")
                      .arg(name, mime.comment());
            break;
        }
    } else if (mime.inherits(u"application/pdf"_s)) {
        // The database finds "%PDF-" anywhere in the first KiB; the server, as
        // libmagic does, only at the very start.
        if (view.startsWith("%PDF-"))
            kind = Kind::Pdf;
        else
            why = tr("%1 is a PDF with extra data before its start, which the server refuses. "
                     "Open it and save or print it again as a PDF.")
                      .arg(name);
    } else if (mime.inherits(u"application/rtf"_s) && view.startsWith("{\\rtf")) {
        kind = Kind::Rtf;
    } else if (mime.inherits(u"application/msword"_s)) {
        why = tr("%1 is in an old Word format (before Word 97) that the server does not take. "
                 "Open it in Word and save it as DOCX or PDF.")
                  .arg(name);
    } else if ((view.startsWith("\xFF\xFE") || view.startsWith("\xFE\xFF")
                || mime.inherits(u"text/plain"_s))
               && isPlainText(view, info.size > head.size())) {
        kind = Kind::Txt;
    }

    if (kind == Kind::None) {
        if (why.isEmpty()) {
            why = tr("%1 is not a resume the server takes: by its content it is “%2” (%3), "
                     "whatever its name says.")
                      .arg(name, mime.comment(), mime.name());
        }
        info.problem = refusal(why);
        return info;
    }

    info.mimeType = mimeFor(kind);
    info.typeLabel = labelFor(kind);
    if (!nameFitsResume(db, info.fileName)) {
        const QMimeType byName = db.mimeTypesForFileName(info.fileName).constFirst();
        info.problem = refusal(tr("%1 is a %2 file, but the server goes by its name too and takes "
                                  "it for “%3”. Rename it to end in “.%4” and choose it again.")
                                   .arg(name, info.typeLabel, byName.comment(), suffixFor(kind)));
        return info;
    }
    info.accepted = true;
    return info;
}

QFuture<ResumeInfo> ResumeInspector::inspectAsync(const QString &path, qint64 maxBytes)
{
    return QtConcurrent::run(&ResumeInspector::inspect, path, maxBytes);
}

} // namespace cdesk
