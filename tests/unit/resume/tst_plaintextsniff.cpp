// The one test of "is this plain text" (cdesk_textsniff), which the app's
// inspector asks of a file's head and the sandbox of a whole upload. This
// test links the library alone: it needs neither the core nor the sandbox.

#include "resume/PlainTextSniff.h"

#include <QStringEncoder>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray utf16(const QString &text, QStringEncoder::Encoding encoding)
{
    QStringEncoder encoder(encoding, QStringEncoder::Flag::WriteBom);
    return encoder(text);
}

} // namespace

class TestPlainTextSniff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void judged_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("truncated");
        QTest::addColumn<bool>("text");

        const QByteArray le = utf16(u"Zoë 😀\r\n"_s, QStringEncoder::Utf16LE);
        QTest::newRow("ascii") << QByteArray("Ada Lovelace\tAnalyst\r\n\f") << false << true;
        QTest::newRow("windows-1252") << QByteArray("Zo\xEB M\xFCller\n") << false << true;
        QTest::newRow("utf-8") << u"Zoë Müller\n"_s.toUtf8() << false << true;
        QTest::newRow("empty") << QByteArray() << false << true;
        QTest::newRow("nul") << QByteArray("Ada\0Lovelace", 12) << false << false;
        QTest::newRow("escape") << QByteArray("Ada \x1b[31m") << false << false;
        QTest::newRow("del") << QByteArray("Ada \x7f") << false << false;
        QTest::newRow("utf-16le") << le << false << true;
        QTest::newRow("utf-16be") << utf16(u"Zoë\n"_s, QStringEncoder::Utf16BE) << false << true;
        QTest::newRow("utf-16 control") << utf16(u"Zo\u0001"_s, QStringEncoder::Utf16LE) << false
                                        << false;
        QTest::newRow("utf-16 lone low surrogate")
            << QByteArray("\xFF\xFE" "A\0" "\x00\xDC" "B\0", 8) << false << false;
        // A whole file that ends inside a unit or a pair is damaged; the head
        // of a longer file may be cut anywhere.
        QTest::newRow("utf-16 odd, whole") << le.chopped(1) << false << false;
        QTest::newRow("utf-16 odd, head") << le.chopped(1) << true << true;
        const QByteArray pairCut = utf16(u"A😀"_s, QStringEncoder::Utf16LE).chopped(2);
        QTest::newRow("utf-16 pair cut, head") << pairCut << true << true;
    }

    void judged()
    {
        QFETCH(QByteArray, data);
        QFETCH(bool, truncated);
        QFETCH(bool, text);
        QCOMPARE(cdesk::isPlainText(data, truncated), text);
    }
};

QTEST_GUILESS_MAIN(TestPlainTextSniff)
#include "tst_plaintextsniff.moc"
