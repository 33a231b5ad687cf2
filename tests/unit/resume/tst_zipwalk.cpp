// The one bounded walk through a resume's zip (ZipWalk), and the readers that
// go through it: the inspector, the extractor and ResumeReader::compress.

#include "ResumeTestSupport.h"
#include "resume/ResumeInspector.h"
#include "resume/ResumeReader.h"
#include "resume/TextExtractor.h"
#include "resume/ZipWalk.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

using namespace Qt::StringLiterals;
using cdesk::ZipEntry;
using cdesk::ZipLimits;
using cdesk::ZipWalk;
using namespace cdesk::test;

namespace {

using Entries = QList<QPair<QString, QByteArray>>;

// Every local header and central directory record in the archive made to
// declare `size` as the entry's uncompressed size: the lie a crafted zip
// bomb tells to pass a check of declared sizes.
QByteArray declaringSize(QByteArray zip, quint32 size)
{
    for (qsizetype at = zip.indexOf("PK\x03\x04"); at >= 0; at = zip.indexOf("PK\x03\x04", at + 4))
        qToLittleEndian<quint32>(size, zip.data() + at + 22);
    for (qsizetype at = zip.indexOf("PK\x01\x02"); at >= 0; at = zip.indexOf("PK\x01\x02", at + 4))
        qToLittleEndian<quint32>(size, zip.data() + at + 24);
    return zip;
}

// A DOCX whose body is `bytes` of zeros: packs about a thousand to one.
QByteArray docxOfZeros(qsizetype bytes)
{
    return zipArchive({
        { u"[Content_Types].xml"_s, "<Types/>" },
        { u"word/document.xml"_s, QByteArray(bytes, '\0') },
    });
}

QList<ZipEntry> allEntries(ZipWalk &zip)
{
    QList<ZipEntry> entries;
    zip.forEach([&](const ZipEntry &entry) {
        entries.append(entry);
        return true;
    });
    return entries;
}

} // namespace

class TestZipWalk : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &data)
    {
        return fixture(m_dir, name, data);
    }

    // Reads the entry whole through the walk; -1 when the walk refused it.
    static qint64 readWhole(ZipWalk &zip, const QString &name)
    {
        if (!zip.openEntry(name))
            return -1;
        QByteArray chunk(64 * 1024, Qt::Uninitialized);
        qint64 total = 0;
        for (;;) {
            const qint64 n = zip.read(chunk.data(), chunk.size());
            if (n < 0)
                return -1;
            if (n == 0)
                return total;
            total += n;
        }
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void entries_listedInOrder_withTheirSizes()
    {
        const QString path = write(u"three.zip"_s,
                                   zipArchive({ { u"a.txt"_s, "alpha" },
                                                { u"b/c.xml"_s, QByteArray(1000, 'x') },
                                                { u"d"_s, {} } }));
        ZipWalk zip(path);
        QVERIFY(zip.open());
        const QList<ZipEntry> entries = allEntries(zip);
        QCOMPARE(zip.error(), ZipWalk::Error::None);
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries.at(0).name, u"a.txt"_s);
        QCOMPARE(entries.at(0).index, 0);
        QCOMPARE(entries.at(1).name, u"b/c.xml"_s);
        QCOMPARE(entries.at(1).size, 1000);
        QVERIFY(entries.at(1).compressedSize < 1000);
        QCOMPARE(entries.at(2).index, 2);
        QCOMPARE(readWhole(zip, u"b/c.xml"_s), 1000);
    }

    void visitor_stopsTheWalk()
    {
        const QString path
            = write(u"stop.zip"_s, zipArchive({ { u"a"_s, "1" }, { u"b"_s, "2" }, { u"c"_s, "3" } }));
        ZipWalk zip(path);
        QVERIFY(zip.open());
        int visited = 0;
        QVERIFY(zip.forEach([&](const ZipEntry &entry) {
            ++visited;
            return entry.name != u"b"_s;
        }));
        QCOMPARE(visited, 2);
        // The entry the walk stopped on can be read.
        QVERIFY(zip.openEntry());
        char byte = 0;
        QCOMPARE(zip.read(&byte, 1), 1);
        QCOMPARE(byte, '2');
    }

    void notAZip_isDamaged()
    {
        ZipWalk zip(write(u"text.zip"_s, "PK\x03\x04 but nothing after"));
        QVERIFY(!zip.open());
        QCOMPARE(zip.error(), ZipWalk::Error::Damaged);
    }

    void tooManyEntries_refusedBeforeAnyIsRead()
    {
        Entries entries;
        for (int i = 0; i < 6; ++i)
            entries.append({ u"e%1"_s.arg(i), "x" });
        ZipLimits limits;
        limits.maxEntries = 5;
        ZipWalk zip(write(u"six.zip"_s, zipArchive(entries)), limits);
        QVERIFY(!zip.open());
        QCOMPARE(zip.error(), ZipWalk::Error::TooManyEntries);
    }

    void reserve_checksDeclaredSizes()
    {
        const QString path = write(u"sizes.zip"_s,
                                   zipArchive({ { u"a"_s, QByteArray(600, 'a') },
                                                { u"b"_s, QByteArray(600, 'b') } }));
        ZipLimits limits;
        limits.maxEntryBytes = 500;
        ZipWalk small(path, limits);
        QVERIFY(small.open());
        QVERIFY(small.forEach([&](const ZipEntry &entry) { return small.reserve(entry); }));
        QCOMPARE(small.error(), ZipWalk::Error::EntryTooLarge);

        limits.maxEntryBytes = 1000;
        limits.maxTotalBytes = 1000;
        ZipWalk total(path, limits);
        QVERIFY(total.open());
        QVERIFY(total.forEach([&](const ZipEntry &entry) { return total.reserve(entry); }));
        QCOMPARE(total.error(), ZipWalk::Error::TotalTooLarge);
    }

    void lyingDirectory_cutEntry_isDamaged()
    {
        // Declares 10 bytes, inflates to 5 MB: the walk gets no more than the
        // 10 declared, and the checksum at the end says they are not the entry.
        const QString path = write(u"liar.zip"_s,
                                   declaringSize(zipArchive({ { u"big.xml"_s,
                                                                QByteArray(5 << 20, 'a') } }),
                                                 10));
        ZipWalk zip(path);
        QVERIFY(zip.open());
        const QList<ZipEntry> entries = allEntries(zip);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().size, 10);
        QVERIFY(zip.reserve(entries.first()));
        QCOMPARE(readWhole(zip, u"big.xml"_s), -1);
        QCOMPARE(zip.error(), ZipWalk::Error::Damaged);
    }

    void inflatedBytes_checkedAgainstTheBounds()
    {
        // Read without reserve(): the bytes inflated still cross the bounds.
        const QString path
            = write(u"inflated.zip"_s, zipArchive({ { u"big.xml"_s, QByteArray(3 << 20, 'a') } }));
        ZipLimits limits;
        limits.maxEntryBytes = 1 << 20;
        limits.maxRatio = 1'000'000; // only the size is under test here
        ZipWalk zip(path, limits);
        QVERIFY(zip.open());
        QCOMPARE(readWhole(zip, u"big.xml"_s), -1);
        QCOMPARE(zip.error(), ZipWalk::Error::EntryTooLarge);
    }

    void packedTooTightly_refused_declaredOrInflated()
    {
        // 8 MB of zeros: under the entry bound, far over the ratio.
        const QString bomb = write(u"ratio.docx"_s, docxOfZeros(8 << 20));
        ZipWalk declared(bomb);
        QVERIFY(declared.open());
        QVERIFY(declared.forEach([&](const ZipEntry &entry) { return declared.reserve(entry); }));
        QCOMPARE(declared.error(), ZipWalk::Error::TooCompressed);

        ZipWalk inflated(bomb);
        QVERIFY(inflated.open());
        QCOMPARE(readWhole(inflated, u"word/document.xml"_s), -1);
        QCOMPARE(inflated.error(), ZipWalk::Error::TooCompressed);

        // A small part packs as tightly as it likes.
        ZipWalk small(write(u"small.docx"_s, docxOfZeros(100 * 1024)));
        QVERIFY(small.open());
        QVERIFY(small.forEach([&](const ZipEntry &entry) { return small.reserve(entry); }));
        QCOMPARE(small.error(), ZipWalk::Error::None);
        QCOMPARE(readWhole(small, u"word/document.xml"_s), 100 * 1024);
    }

    void extractor_saysZipBombInPlainWords()
    {
        const cdesk::ExtractedText text
            = cdesk::TextExtractor::extract(write(u"bomb.docx"_s, docxOfZeros(8 << 20)));
        QVERIFY(!text.ok);
        QVERIFY2(text.problem.contains(u"zip bombs"_s), qPrintable(text.problem));
    }

    void unsafeNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("unsafe");
        QTest::newRow("plain") << u"word/document.xml"_s << false;
        QTest::newRow("dots in a name") << u"word/a..b.xml"_s << false;
        QTest::newRow("parent") << u"../evil"_s << true;
        QTest::newRow("nested parent") << u"word/../../evil"_s << true;
        QTest::newRow("backslash parent") << u"word\\..\\evil"_s << true;
        QTest::newRow("absolute") << u"/etc/passwd"_s << true;
        QTest::newRow("drive") << u"C:evil"_s << true;
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("nul") << u"a\u0000b"_s << true;
    }
    void unsafeNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, unsafe);
        QCOMPARE(ZipWalk::unsafeName(name), unsafe);
    }

    void inspector_andExtractor_shareTheEntryBound()
    {
        QCOMPARE(cdesk::ResumeInspector::kMaxZipEntries, ZipLimits::kDefaultMaxEntries);
        QCOMPARE(cdesk::ExtractLimits().maxZipEntries, ZipLimits().maxEntries);
    }

    void compress_refusesABomb_andLeavesNoFile_data()
    {
        QTest::addColumn<QByteArray>("zip");
        QTest::addColumn<QString>("message");
        const QByteArray bomb = docxOfZeros(8 << 20);
        QTest::newRow("honest directory") << bomb << u"would unpack to far more"_s;
        QTest::newRow("lying directory") << declaringSize(bomb, 10)
                                         << u"Could not read a part"_s;
    }
    void compress_refusesABomb_andLeavesNoFile()
    {
        QFETCH(QByteArray, zip);
        QFETCH(QString, message);
        cdesk::ResumeInfo info;
        info.path = write(u"bomb-cv.docx"_s, zip);
        info.fileName = u"bomb-cv.docx"_s;
        info.size = QFileInfo(info.path).size();
        info.mimeType
            = u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s;
        info.typeLabel = u"Word (DOCX)"_s;
        const QString target = m_dir.filePath(u"refused"_s);
        const cdesk::ShrinkResult result = cdesk::ResumeReader::compress(info, target, 0);
        QVERIFY(!result.ok);
        QVERIFY2(result.message.contains(message), qPrintable(result.message));
        QVERIFY(filesUnder(target).isEmpty());
    }

    void compress_keepsEveryPart()
    {
        cdesk::ResumeInfo info;
        // Stored, not deflated: compressing again really makes it smaller.
        const QString path = m_dir.filePath(u"stored.docx"_s);
        {
            QuaZip zip(path);
            QVERIFY(zip.open(QuaZip::mdCreate));
            const Entries parts = { { u"[Content_Types].xml"_s, "<Types/>" },
                                    { u"word/document.xml"_s, QByteArray(50'000, 'a') } };
            for (const auto &[name, data] : parts) {
                QuaZipFile file(&zip);
                QVERIFY(file.open(QIODevice::WriteOnly, QuaZipNewInfo(name), nullptr, 0, 0, 0));
                file.write(data);
                file.close();
            }
            zip.close();
        }
        info.path = path;
        info.fileName = u"stored.docx"_s;
        info.size = QFileInfo(path).size();
        info.mimeType
            = u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s;
        const cdesk::ShrinkResult result
            = cdesk::ResumeReader::compress(info, m_dir.filePath(u"smaller"_s), 0);
        QVERIFY2(result.ok, qPrintable(result.message));
        QVERIFY(result.size < info.size);
        ZipWalk copy(result.path);
        QVERIFY(copy.open());
        QStringList names;
        for (const ZipEntry &entry : allEntries(copy))
            names.append(entry.name);
        QCOMPARE(names, QStringList({ u"[Content_Types].xml"_s, u"word/document.xml"_s }));
        QCOMPARE(readWhole(copy, u"word/document.xml"_s), 50'000);
    }
};

QTEST_GUILESS_MAIN(TestZipWalk)
#include "tst_zipwalk.moc"
