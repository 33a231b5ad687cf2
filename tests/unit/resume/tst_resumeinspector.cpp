#include "ResumeTestSupport.h"
#include "resume/ResumeInspector.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using cdesk::ResumeInfo;
using cdesk::ResumeInspector;
using namespace cdesk::test;

namespace {

constexpr qint64 kLimit = 5 * 1024 * 1024;

const QString kPdf = u"application/pdf"_s;
const QString kDoc = u"application/msword"_s;
const QString kDocx = u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s;
const QString kOdt = u"application/vnd.oasis.opendocument.text"_s;

void putLe16(QByteArray &data, qsizetype at, quint16 value)
{
    qToLittleEndian(value, data.data() + at);
}

void putLe32(QByteArray &data, qsizetype at, quint32 value)
{
    qToLittleEndian(value, data.data() + at);
}

// A minimal OLE2 compound file (512-byte sectors) whose directory lists the
// given streams, four entries to a sector after the root, so a long list
// makes the directory a chain of sectors that only the FAT ties together.
// The streams hold no data: the inspector only reads the directory.
QByteArray oleFile(const QStringList &streams)
{
    constexpr quint32 kEnd = 0xFFFFFFFE;
    constexpr quint32 kFree = 0xFFFFFFFF;
    constexpr quint32 kFatSector = 0xFFFFFFFD;
    const int entries = int(streams.size()) + 1;
    const int directorySectors = (entries + 3) / 4;

    QByteArray header(512, '\0');
    header.replace(0, 8, QByteArray("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8));
    putLe16(header, 0x18, 0x3E);
    putLe16(header, 0x1A, 3);
    putLe16(header, 0x1C, 0xFFFE);
    putLe16(header, 0x1E, 9);
    putLe16(header, 0x20, 6);
    putLe32(header, 0x2C, 1); // one FAT sector
    // Directory sectors are laid out backwards (last one first) so that
    // following the FAT, not reading on, is what finds them all.
    const auto directorySector = [&](int i) {
        return quint32(directorySectors - i);
    };
    putLe32(header, 0x30, directorySector(0));
    putLe32(header, 0x38, 4096);
    putLe32(header, 0x3C, kEnd);
    putLe32(header, 0x44, kEnd);
    for (int i = 0; i < 109; ++i)
        putLe32(header, 0x4C + 4 * i, i == 0 ? 0 : kFree);

    QByteArray fat(512, '\xFF');
    putLe32(fat, 0, kFatSector);
    for (int i = 0; i < directorySectors; ++i)
        putLe32(fat, 4 * directorySector(i),
                i + 1 < directorySectors ? directorySector(i + 1) : kEnd);

    QList<QByteArray> sectors(directorySectors, QByteArray(512, '\0'));
    for (int e = 0; e < entries; ++e) {
        const QString name = e == 0 ? u"Root Entry"_s : streams.at(e - 1);
        QByteArray entry(128, '\0');
        for (qsizetype c = 0; c < name.size(); ++c)
            putLe16(entry, 2 * c, name.at(c).unicode());
        putLe16(entry, 0x40, quint16(2 * name.size() + 2));
        entry[0x42] = e == 0 ? 5 : 2;
        putLe32(entry, 0x44, kFree);
        putLe32(entry, 0x48, kFree);
        putLe32(entry, 0x4C, e == 0 && entries > 1 ? 1 : kFree);
        putLe32(entry, 0x74, kEnd);
        sectors[e / 4].replace((e % 4) * 128, 128, entry);
    }

    QByteArray file = header + fat;
    // File order: FAT (sector 0), then sectors 1..n, holding directory
    // sector n-i+... as laid out above.
    for (quint32 s = 1; s <= quint32(directorySectors); ++s) {
        for (int i = 0; i < directorySectors; ++i) {
            if (directorySector(i) == s)
                file += sectors.at(i);
        }
    }
    return file;
}

} // namespace

class TestResumeInspector : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &data)
    {
        return fixture(m_dir, name, data);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void accepted_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mimeType");
        QTest::addColumn<QString>("typeLabel");

        QTest::newRow("pdf") << u"Ada Lovelace.pdf"_s << minimalPdf() << kPdf << u"PDF"_s;
        QTest::newRow("doc") << u"cv.doc"_s
                             << oleFile({ QChar(1) + u"CompObj"_s, u"WordDocument"_s, u"1Table"_s })
                             << kDoc << u"Word (DOC)"_s;
        QTest::newRow("doc, directory over three sectors")
            << u"cv.doc"_s
            << oleFile({ u"1Table"_s, u"Data"_s, u"ObjectPool"_s, u"SummaryInformation"_s,
                         u"DocumentSummaryInformation"_s, u"CompObj"_s, u"Macros"_s,
                         u"WordDocument"_s })
            << kDoc << u"Word (DOC)"_s;
        QTest::newRow("docx") << u"cv.docx"_s << minimalDocx() << kDocx << u"Word (DOCX)"_s;
        QTest::newRow("odt") << u"cv.odt"_s << minimalOdt() << kOdt << u"OpenDocument text (ODT)"_s;
        QTest::newRow("rtf") << u"cv.rtf"_s
                             << QByteArray("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}"
                                           "\\f0 Ada Lovelace\\par Analyst\\par}")
                             << u"application/rtf"_s << u"RTF"_s;
        QTest::newRow("txt utf-8")
            << u"cv.txt"_s << u"Zoë Müller\r\nAnalyst — Zürich\n\tdata@example.com\n"_s.toUtf8()
            << u"text/plain"_s << u"Plain text (TXT)"_s;
        QTest::newRow("txt utf-8 with bom")
            << u"cv.txt"_s << QByteArray("\xEF\xBB\xBF") + u"Zoë Müller\n"_s.toUtf8()
            << u"text/plain"_s << u"Plain text (TXT)"_s;
        QTest::newRow("txt utf-16le")
            << u"cv.txt"_s
            << utf16WithBom(u"Zoë Müller 李小龍 😀\r\nAnalyst\r\n"_s, QStringEncoder::Utf16LE)
            << u"text/plain"_s << u"Plain text (TXT)"_s;
        QTest::newRow("txt utf-16be")
            << u"cv.txt"_s << utf16WithBom(u"Zoë Müller\nAnalyst\n"_s, QStringEncoder::Utf16BE)
            << u"text/plain"_s << u"Plain text (TXT)"_s;
        // Longer than the 16 KiB head, so the head ends inside the text.
        QTest::newRow("txt utf-16le, long")
            << u"cv.txt"_s << utf16WithBom(u"Zoë Müller 😀 "_s.repeated(1500), QStringEncoder::Utf16LE)
            << u"text/plain"_s << u"Plain text (TXT)"_s;
        QTest::newRow("txt windows-1252")
            << u"cv.txt"_s << QByteArray("Zo\xEB M\xFCller\r\nS\xE3o Paulo\r\n") << u"text/plain"_s
            << u"Plain text (TXT)"_s;
        // By content, not by name: each of these the server takes as well,
        // since the name is of an accepted type or of none.
        QTest::newRow("docx named .pdf")
            << u"cv.pdf"_s << minimalDocx() << kDocx << u"Word (DOCX)"_s;
        QTest::newRow("pdf named .txt") << u"cv.txt"_s << minimalPdf() << kPdf << u"PDF"_s;
        QTest::newRow("pdf without extension")
            << u"Ada_Lovelace"_s << minimalPdf() << kPdf << u"PDF"_s;
        QTest::newRow("html text named .txt")
            << u"cv.txt"_s << QByteArray("<html><body>Ada Lovelace</body></html>\n")
            << u"text/plain"_s << u"Plain text (TXT)"_s;
    }

    void accepted()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, mimeType);
        QFETCH(QString, typeLabel);
        const QString path = write(fileName, content);

        const ResumeInfo info = ResumeInspector::inspect(path, kLimit);
        QCOMPARE(info.problem, QString());
        QVERIFY(info.accepted);
        QCOMPARE(info.path, path);
        QCOMPARE(info.fileName, fileName);
        QCOMPARE(info.size, content.size());
        QCOMPARE(info.mimeType, mimeType);
        QCOMPARE(info.typeLabel, typeLabel);
        QVERIFY(!info.overLimit);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("says");

        QTest::newRow("executable renamed .pdf")
            << u"cv.pdf"_s << elfExecutable() << u"whatever its name says"_s;
        QTest::newRow("empty") << u"cv.pdf"_s << QByteArray() << u"is empty (0 bytes)"_s;
        QTest::newRow("png") << u"photo.png"_s << pngImage() << u"not a resume"_s;
        QTest::newRow("png named .pdf") << u"cv.pdf"_s << pngImage() << u"not a resume"_s;
        QTest::newRow("plain zip") << u"cv.zip"_s << zipArchive({ { u"cv.txt"_s, "Ada Lovelace" } })
                                   << u"not a Word or OpenDocument text document"_s;
        QTest::newRow("plain zip named .docx")
            << u"cv.docx"_s << zipArchive({ { u"word/document.xml"_s, "<w:document/>" } })
            << u"not a Word or OpenDocument text document"_s;
        QTest::newRow("ods") << u"cv.odt"_s
                             << zipArchive({ { u"mimetype"_s,
                                               "application/vnd.oasis.opendocument.spreadsheet" },
                                             { u"content.xml"_s, "<office:document-content/>" } })
                             << u"not a Word or OpenDocument text document"_s;
        QTest::newRow("odt template")
            << u"cv.odt"_s
            << zipArchive({ { u"mimetype"_s, "application/vnd.oasis.opendocument.text-template" },
                            { u"content.xml"_s, "<office:document-content/>" } })
            << u"not a Word or OpenDocument text document"_s;
        QTest::newRow("damaged zip") << u"cv.docx"_s << minimalDocx().left(60) << u"damaged"_s;
        QTest::newRow("excel workbook")
            << u"cv.doc"_s << oleFile({ u"Workbook"_s }) << u"not a Word document"_s;
        QTest::newRow("word before 97")
            << u"cv.doc"_s << QByteArray("\x31\xbe\x00\x00", 4) + QByteArray(600, 'x')
            << u"old Word format"_s;
        QTest::newRow("pdf after junk")
            << u"cv.pdf"_s << QByteArray("junk\n") + minimalPdf() << u"extra data before"_s;
        QTest::newRow("binary") << u"cv.txt"_s << QByteArray("Ada\0Lovelace\x01\x02", 14)
                                << u"not a resume"_s;
        QTest::newRow("utf-16 with a lone surrogate") << u"cv.txt"_s
                                                      << QByteArray("\xFF\xFE"
                                                                    "A\0\x00\xD8"
                                                                    "B\0",
                                                                    8)
                                                      << u"not a resume"_s;
        // The server judges the name too: text named .html is "an HTML page" to it.
        QTest::newRow("text named .html")
            << u"cv.html"_s << QByteArray("Ada Lovelace\n") << u"Rename it to end in “.txt”"_s;
        QTest::newRow("pdf named .exe")
            << u"cv.exe"_s << minimalPdf() << u"Rename it to end in “.pdf”"_s;
    }

    void refused()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, says);
        const QString path = write(fileName, content);

        const ResumeInfo info = ResumeInspector::inspect(path, kLimit);
        QVERIFY(!info.accepted);
        QCOMPARE(info.path, path);
        QCOMPARE(info.fileName, fileName);
        QCOMPARE(info.size, content.size());
        QVERIFY2(info.problem.contains(says), qPrintable(info.problem));
        QVERIFY2(info.problem.contains(u"“"_s + fileName + u"”"_s), qPrintable(info.problem));
        QVERIFY2(info.problem.contains(ResumeInspector::acceptedTypes()), qPrintable(info.problem));
        QVERIFY(!info.overLimit);
    }

    void renamedExecutable_isNotTakenForAPdf()
    {
        const ResumeInfo info
            = ResumeInspector::inspect(write(u"cv.pdf"_s, elfExecutable()), kLimit);
        QVERIFY(!info.accepted);
        QVERIFY(info.mimeType != kPdf);
        QVERIFY2(info.mimeType.contains(u"executable"_s) || info.mimeType.contains(u"sharedlib"_s),
                 qPrintable(info.mimeType));
        QCOMPARE(info.typeLabel, QString());
    }

    void zipWithTooManyEntries_isRefusedByCount()
    {
        QList<QPair<QString, QByteArray>> entries;
        entries.append({ u"[Content_Types].xml"_s, "<Types/>" });
        for (int i = 0; i < ResumeInspector::kMaxZipEntries; ++i)
            entries.append({ u"word/media/%1.bin"_s.arg(i), QByteArray() });
        entries.append({ u"word/document.xml"_s, "<w:document/>" });
        const QString path = write(u"bomb.docx"_s, zipArchive(entries));

        const ResumeInfo info = ResumeInspector::inspect(path, kLimit);
        QVERIFY(!info.accepted);
        QVERIFY2(
            info.problem.contains(u"more than %1 files"_s.arg(ResumeInspector::kMaxZipEntries)),
            qPrintable(info.problem));
    }

    void folder_isRefused()
    {
        const QString path = m_dir.filePath(u"a folder.pdf"_s);
        QVERIFY(QDir().mkpath(path));
        const ResumeInfo info = ResumeInspector::inspect(path, kLimit);
        QVERIFY(!info.accepted);
        QCOMPARE(info.fileName, u"a folder.pdf"_s);
        QVERIFY2(info.problem.contains(u"is a folder"_s), qPrintable(info.problem));
        QVERIFY(info.problem.contains(ResumeInspector::acceptedTypes()));
    }

    void missingFile_isRefused()
    {
        const ResumeInfo info = ResumeInspector::inspect(m_dir.filePath(u"gone.pdf"_s), kLimit);
        QVERIFY(!info.accepted);
        QVERIFY2(info.problem.contains(u"not there any more"_s), qPrintable(info.problem));
        QVERIFY(info.problem.contains(ResumeInspector::acceptedTypes()));

        const ResumeInfo none = ResumeInspector::inspect(QString(), kLimit);
        QVERIFY(!none.accepted);
        QVERIFY(none.problem.contains(ResumeInspector::acceptedTypes()));
    }

    void unreadableFile_isRefused()
    {
        const QString path = write(u"locked.pdf"_s, minimalPdf());
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
        if (::access(QFile::encodeName(path).constData(), R_OK) == 0)
            QSKIP("This user reads files whatever their permissions (root)");
        const ResumeInfo info = ResumeInspector::inspect(path, kLimit);
        QVERIFY(!info.accepted);
        QVERIFY2(info.problem.contains(u"cannot read"_s), qPrintable(info.problem));
        QVERIFY(info.problem.contains(ResumeInspector::acceptedTypes()));
    }

    // Reading a pipe would block until someone writes to it: never opened.
    void pipe_isRefusedWithoutBlocking()
    {
        const QString path = m_dir.filePath(u"cv.txt.fifo"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
        const ResumeInfo info = ResumeInspector::inspect(path, kLimit);
        QVERIFY(!info.accepted);
        QVERIFY2(info.problem.contains(u"not an ordinary file"_s), qPrintable(info.problem));
    }

    void overLimit_isAWarningNotARefusal()
    {
        const QByteArray pdf = minimalPdf("Ada Lovelace", 3000);
        QCOMPARE(pdf.size(), 3000);
        const QString path = write(u"big.pdf"_s, pdf);

        ResumeInfo info = ResumeInspector::inspect(path, 2999);
        QVERIFY(info.accepted);
        QVERIFY(info.overLimit);
        QCOMPARE(info.problem, QString());
        QCOMPARE(info.typeLabel, u"PDF"_s);

        info = ResumeInspector::inspect(path, 3000);
        QVERIFY(info.accepted);
        QVERIFY(!info.overLimit); // the limit itself is allowed

        info = ResumeInspector::inspect(path, 0);
        QVERIFY(info.accepted);
        QVERIFY(!info.overLimit); // no limit
    }

    // 256 MiB that are not on disk (a sparse file): judged from its head in
    // far less time than reading it would take.
    void hugeFile_isJudgedFromItsHead()
    {
        const QString path = write(u"huge.pdf"_s, minimalPdf());
        {
            QFile file(path);
            QVERIFY(file.resize(256LL * 1024 * 1024));
        }
        QElapsedTimer timer;
        timer.start();
        const ResumeInfo info = ResumeInspector::inspect(path, kLimit);
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(info.accepted);
        QVERIFY(info.overLimit);
        QCOMPARE(info.size, 256LL * 1024 * 1024);
        QFile::remove(path);
    }

    void inspectAsync_givesTheSameAnswer()
    {
        const QString path = write(u"async.docx"_s, minimalDocx());
        QFuture<ResumeInfo> future = ResumeInspector::inspectAsync(path, 100);
        future.waitForFinished(); // a test thread, not the GUI thread
        const ResumeInfo info = future.result();
        const ResumeInfo direct = ResumeInspector::inspect(path, 100);
        QVERIFY(info.accepted);
        QVERIFY(info.overLimit);
        QCOMPARE(info.mimeType, direct.mimeType);
        QCOMPARE(info.typeLabel, direct.typeLabel);
        QCOMPARE(info.size, direct.size);
    }
};

QTEST_GUILESS_MAIN(TestResumeInspector)
#include "tst_resumeinspector.moc"
