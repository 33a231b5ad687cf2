// From a real file the test writes to the fields the form would fill, field
// by field: what a recruiter sees after dropping each kind of resume.
#include "TestData.h"
#include "resume/ResumeReader.h"

#include <QFont>
#include <QPainter>
#include <QPdfWriter>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

class TestResumeReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void resumes_fillTheFieldsTheySay_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("phone");

        QTest::newRow("PDF, two pages, accents, Indian phone")
            << pdf(u"zoe.pdf"_s,
                   { u"Curriculum Vitae"_s, u"Zoë Łukasiewicz"_s, u"zoe.lukasiewicz@example.com"_s,
                     u"+91 98765 43210"_s },
                   true)
            << u"IN"_s << u"Zoë Łukasiewicz"_s << u"zoe.lukasiewicz@example.com"_s
            << u"+919876543210"_s;
        QTest::newRow("PDF, two columns, US phone")
            << pdfTwoColumns(u"james.pdf"_s) << u"US"_s << u"James Carter"_s
            << u"james.carter@example.com"_s << u"+14155552671"_s;
        QTest::newRow("DOCX, email only in the footer, UK phone")
            << docxWithFooter(u"amelia.docx"_s) << u"GB"_s << u"Amelia Watson"_s
            << u"amelia.watson@example.co.uk"_s << u"+442079460958"_s;
        QTest::newRow("ODT, Devanagari name, international phone")
            << write(u"priya.odt"_s,
                     minimalOdt(u"प्रिया शर्मा\npriya@example.in\n+44 20 7946 0958"_s))
            << u"IN"_s << u"प्रिया शर्मा"_s << u"priya@example.in"_s << u"+442079460958"_s;
        QTest::newRow("RTF with escapes")
            << write(u"jose.rtf"_s,
                     "{\\rtf1\\ansi\\ansicpg1252 Jos\\'e9 \\'c1lvarez\\par "
                     "jose.alvarez@example.es\\par +34 612 34 56 78\\par}")
            << u"ES"_s << u"José Álvarez"_s << u"jose.alvarez@example.es"_s << u"+34612345678"_s;
        QTest::newRow("TXT in UTF-16, Chinese name")
            << utf16(u"wang.txt"_s, u"王小明\nwang.xiaoming@example.cn\n+86 138 0013 8000\n"_s)
            << u"CN"_s << u"王小明"_s << u"wang.xiaoming@example.cn"_s << u"+8613800138000"_s;
        QTest::newRow("TXT, no email")
            << write(u"noemail.txt"_s, "Arjun Mehta\n+91 99887 76655\nSkills: Java, SQL\n")
            << u"IN"_s << u"Arjun Mehta"_s << QString() << u"+919988776655"_s;
    }
    void resumes_fillTheFieldsTheySay()
    {
        QFETCH(QString, path);
        QFETCH(QString, region);
        QFETCH(QString, name);
        QFETCH(QString, email);
        QFETCH(QString, phone);
        QVERIFY(!path.isEmpty());
        const ResumeReading r = ResumeReader::read(path, region, 5 * 1024 * 1024);
        QVERIFY2(r.info.accepted, qPrintable(r.info.problem));
        QVERIFY2(r.text.ok, qPrintable(r.text.problem));
        QCOMPARE(r.fill.name, name);
        QCOMPARE(r.fill.email, email);
        QCOMPARE(r.fill.phone, phone);
        if (email.isEmpty())
            QVERIFY(!r.fill.notes.isEmpty()); // it says why the email is empty
    }

    void imageOnlyPdf_isSaidPlainly_andFillsNothing()
    {
        const QString path = m_dir.filePath(u"scan.pdf"_s);
        {
            QPdfWriter writer(path);
            writer.setResolution(72);
            QPainter painter(&writer);
            QImage scan(400, 200, QImage::Format_RGB32);
            scan.fill(Qt::white);
            QPainter onImage(&scan);
            onImage.drawText(20, 40, u"Asha Rao asha@example.com"_s);
            onImage.end();
            painter.drawImage(QPoint(40, 40), scan);
        }
        const ResumeReading r = ResumeReader::read(path, u"IN"_s, 5 * 1024 * 1024);
        QVERIFY(r.info.accepted);
        QVERIFY(!r.text.ok);
        QVERIFY(r.text.imageOnly);
        QVERIFY(r.fill.name.isEmpty() && r.fill.email.isEmpty());
    }

    void refusedFiles_areNotRead_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("executable renamed .pdf") << write(u"cv-exe.pdf"_s, elfExecutable());
        QTest::newRow("0-byte file") << write(u"empty.pdf"_s, {});
    }
    void refusedFiles_areNotRead()
    {
        QFETCH(QString, path);
        const ResumeReading r = ResumeReader::read(path, u"IN"_s, 5 * 1024 * 1024);
        QVERIFY(!r.info.accepted);
        QVERIFY(!r.info.problem.isEmpty());
        QVERIFY(r.text.text.isEmpty());
    }

    void tooLarge_plainTextCopy_keepsTheText_andCompressIsHonest()
    {
        const QString path
            = write(u"big.txt"_s, "Asha Rao\nasha@example.com\n" + QByteArray(9000, 'a'));
        const ResumeReading r = ResumeReader::read(path, u"IN"_s, 1024);
        QVERIFY(r.info.overLimit);
        const ShrinkResult text = ResumeReader::asPlainText(r, m_dir.filePath(u"converted"_s));
        QVERIFY2(text.ok, qPrintable(text.message));
        QVERIFY(text.path.endsWith(u"/big.txt"_s));
        QFile copy(text.path);
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QVERIFY(copy.readAll().startsWith("Asha Rao"));
        // A text file cannot be made smaller here: it says so instead of pretending.
        const ShrinkResult compressed
            = ResumeReader::compress(r.info, m_dir.filePath(u"converted"_s), 1024);
        QVERIFY(!compressed.ok);
        QVERIFY(!compressed.message.isEmpty());

        // A DOCX full of repetition really gets smaller when zipped again at the best level.
        QString body;
        for (int i = 0; i < 2000; ++i)
            body += u"Asha Rao worked on payments and ledgers at Example Corp.\n"_s;
        const QString docx = write(u"long.docx"_s, minimalDocx(body));
        const ResumeReading d = ResumeReader::read(docx, u"IN"_s, 1024 * 1024);
        const ShrinkResult smaller
            = ResumeReader::compress(d.info, m_dir.filePath(u"converted"_s), 1024 * 1024);
        if (smaller.ok)
            QVERIFY(smaller.size < d.info.size);
        else
            QVERIFY(smaller.message.contains(u"smaller"_s)); // honest when it cannot
    }

private:
    QString write(const QString &name, const QByteArray &data)
    {
        return writeFile(m_dir.path(), name, data);
    }

    QString utf16(const QString &name, const QString &text)
    {
        QStringEncoder encoder(QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom);
        return write(name, encoder.encode(text));
    }

    QString pdf(const QString &name, const QStringList &lines, bool secondPage)
    {
        const QString path = m_dir.filePath(name);
        QPdfWriter writer(path);
        writer.setResolution(72);
        QPainter painter(&writer);
        painter.setFont(QFont(u"DejaVu Sans"_s, 12));
        int y = 60;
        for (const QString &line : lines) {
            painter.drawText(60, y, line);
            y += 20;
        }
        if (secondPage) {
            writer.newPage();
            painter.drawText(60, 60, u"Experience: payments, ledgers."_s);
        }
        return path;
    }

    QString pdfTwoColumns(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QPdfWriter writer(path);
        writer.setResolution(72);
        QPainter painter(&writer);
        painter.setFont(QFont(u"DejaVu Sans"_s, 12));
        const QStringList left
            = { u"James Carter"_s, u"james.carter@example.com"_s, u"(415) 555-2671"_s };
        const QStringList right = { u"Skills"_s, u"Go, Rust, SQL"_s, u"Distributed systems"_s };
        for (int i = 0; i < 3; ++i) {
            painter.drawText(60, 60 + 20 * i, left.at(i));
            painter.drawText(330, 60 + 20 * i, right.at(i));
        }
        return path;
    }

    QString docxWithFooter(const QString &name)
    {
        const QByteArray ns
            = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
        return write(
            name,
            zipArchive({
                { u"[Content_Types].xml"_s,
                  "<?xml version=\"1.0\"?><Types "
                  "xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                  "content-types\"><Default Extension=\"xml\" "
                  "ContentType=\"application/xml\"/></Types>" },
                { u"word/document.xml"_s,
                  "<?xml version=\"1.0\"?><w:document " + ns
                      + "><w:body><w:p><w:r><w:t>Amelia Watson</w:t></w:r></w:p><w:p><w:r><w:t>020 "
                        "7946 "
                        "0958</w:t></w:r></w:p></w:body></w:document>" },
                { u"word/footer1.xml"_s,
                  "<?xml version=\"1.0\"?><w:ftr " + ns
                      + "><w:p><w:r><w:t>amelia.watson@example.co.uk</w:t></w:r></w:p></w:ftr>" },
            }));
    }

    QTemporaryDir m_dir;
};

QTEST_MAIN(TestResumeReader)
#include "tst_resumereader.moc"
