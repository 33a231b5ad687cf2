// candidate-desk-extract, the process Poppler runs in: its command line, the
// first page it draws (--thumbnail), and what PdfTextWorker and
// PdfThumbnailWorker make of every way it can fail (a crash, a hang, a kill,
// a lie, its absence).

#include "ResumeTestSupport.h"
#include "resume/PdfHelper.h"
#include "resume/PdfThumbnailWorker.h"
#include "resume/TextExtractor.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;
using cdesk::ExtractedText;
using cdesk::ExtractLimits;
using cdesk::PdfHelperExit;
using cdesk::PdfThumbnailBytes;
using cdesk::PdfThumbnailWorker;
using namespace cdesk::test;

namespace {

bool hasInk(const QImage &image)
{
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (qGray(image.pixel(x, y)) < 128)
                return true;
        }
    }
    return false;
}

} // namespace

class TestPdfHelper : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pdf; // A4, a dark band across the middle

    QString write(const QString &name, const QByteArray &data)
    {
        return fixture(m_dir, name, data);
    }

    QString script(const QString &name, const QByteArray &body)
    {
        return helperScript(m_dir, name, body);
    }

    // A hanging stand-in writes its pid to "<script>.pid" first. On a slow
    // machine the time may run out before it did; when it did, the process
    // must be gone.
    static bool goneIfStarted(const QString &helper)
    {
        QFile pidFile(helper + u".pid"_s);
        return !pidFile.open(QIODevice::ReadOnly)
            || processGone(pidFile.readAll().trimmed().toLongLong());
    }

    static ExtractedText extract(const QString &path, const ExtractLimits &bounds)
    {
        return cdesk::TextExtractor::extract(path, bounds);
    }

    static ExtractLimits limits()
    {
        ExtractLimits limits;
        limits.helperPath = QString::fromUtf8(CDESK_EXTRACT_EXE);
        return limits;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo(QString::fromUtf8(CDESK_EXTRACT_EXE)).isExecutable(), CDESK_EXTRACT_EXE);
        m_pdf = m_dir.filePath(u"band.pdf"_s);
        QPdfWriter writer(m_pdf);
        writer.setPageSize(QPageSize(QPageSize::A4));
        QPainter painter(&writer);
        painter.fillRect(QRect(0, writer.height() / 2, writer.width(), writer.height() / 8),
                         Qt::black);
        QVERIFY(painter.end());
    }

    // --- Text: what the worker makes of the helper -------------------------

    void pdf_helperHangs_killedAtTimeLimit()
    {
        const QString helper = script(u"hangs.sh"_s, "echo $$ > \"$0.pid\"\nexec sleep 600\n");
        ExtractLimits bounds = limits();
        bounds.helperPath = helper;
        bounds.pdfTimeoutMs = 300;
        const ExtractedText result = extract(write(u"cv.pdf"_s, minimalPdf()), bounds);
        QVERIFY(result.timedOut);
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.startsWith(u"Reading this PDF took too long"_s),
                 qPrintable(result.problem));
        QVERIFY(goneIfStarted(helper));
    }

    void pdf_helperCrashes_plainMessage()
    {
        ExtractLimits bounds = limits();
        bounds.helperPath = script(u"crashes.sh"_s, "kill -SEGV $$\n");
        const ExtractedText result = extract(write(u"cv.pdf"_s, minimalPdf()), bounds);
        QVERIFY(!result.ok);
        QVERIFY(!result.timedOut);
        QVERIFY2(result.problem.startsWith(u"The PDF reader stopped unexpectedly on this file"_s),
                 qPrintable(result.problem));
        QVERIFY(!result.problem.contains(u"SEGV"_s, Qt::CaseInsensitive));
    }

    void pdf_helperMissing_saysReinstall()
    {
        ExtractLimits bounds = limits();
        bounds.helperPath = m_dir.filePath(u"no-such-helper"_s);
        const ExtractedText result = extract(write(u"cv.pdf"_s, minimalPdf()), bounds);
        QVERIFY(!result.ok);
        QVERIFY2(result.problem.contains(u"Reinstall Candidate Desk"_s),
                 qPrintable(result.problem));
    }

    void pdf_asyncCancelled_stopsHelperAtOnce()
    {
        const QString helper = script(u"waits.sh"_s, "echo $$ > \"$0.pid\"\nexec sleep 600\n");
        ExtractLimits bounds = limits();
        bounds.helperPath = helper;
        bounds.pdfTimeoutMs = 600'000;
        QFuture<ExtractedText> future
            = cdesk::TextExtractor::extractAsync(write(u"cv.pdf"_s, minimalPdf()), bounds);
        QFile pidFile(helper + u".pid"_s);
        QTRY_VERIFY(pidFile.exists() && pidFile.size() > 0);
        future.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10'000);
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        QVERIFY(processGone(pidFile.readAll().trimmed().toLongLong()));
    }

    void helper_commandLine_printsPagesAndSaysWhatHappened()
    {
        QProcess helper;
        helper.start(QString::fromUtf8(CDESK_EXTRACT_EXE),
                     { write(u"cli.pdf"_s, minimalPdf("Ada Lovelace")) });
        QVERIFY(helper.waitForFinished());
        QCOMPARE(helper.exitCode(), int(PdfHelperExit::Ok));
        const QByteArray out = helper.readAllStandardOutput();
        QVERIFY(out.endsWith('\f'));
        QCOMPARE(out.count('\f'), 1);
        QCOMPARE(out.trimmed(), QByteArray("Ada Lovelace"));

        helper.start(QString::fromUtf8(CDESK_EXTRACT_EXE), { write(u"cli.txt"_s, "hello\n") });
        QVERIFY(helper.waitForFinished());
        QCOMPARE(helper.exitCode(), int(PdfHelperExit::NotPdf));

        helper.start(QString::fromUtf8(CDESK_EXTRACT_EXE), {});
        QVERIFY(helper.waitForFinished());
        QCOMPARE(helper.exitCode(), int(PdfHelperExit::Usage));
    }

    // --- Thumbnail ---------------------------------------------------------

    void pdf_firstPageAsPng_withinBounds()
    {
        const PdfThumbnailBytes drawn = PdfThumbnailWorker::run(m_pdf, { 72, 96 }, limits());
        QVERIFY2(drawn.problem.isEmpty(), qPrintable(drawn.problem));
        QVERIFY(drawn.png.startsWith("\x89PNG"));
        const QImage image = QImage::fromData(drawn.png, "PNG");
        QVERIFY(!image.isNull());
        QVERIFY(image.width() <= 72 && image.height() <= 96);
        // A4 is taller than wide: the height fills the bounds.
        QVERIFY2(image.height() >= 95, qPrintable(QString::number(image.height())));
        QVERIFY(hasInk(image));
    }

    void hugeBounds_clampedByTheHelper()
    {
        const PdfThumbnailBytes drawn = PdfThumbnailWorker::run(m_pdf, { 50'000, 50'000 }, limits());
        const QImage image = QImage::fromData(drawn.png, "PNG");
        QVERIFY2(!image.isNull(), qPrintable(drawn.problem));
        QVERIFY(image.width() <= cdesk::PdfHelper::kMaxThumbnailSide);
        QVERIFY(image.height() <= cdesk::PdfHelper::kMaxThumbnailSide);
    }

    void garbageAfterPdfHeader_noThumbnail_plainMessage()
    {
        const QString path
            = write(u"garbage.pdf"_s, "%PDF-1.7\n" + QByteArray(4096, '\x9c') + "\n%%EOF\n");
        const PdfThumbnailBytes drawn = PdfThumbnailWorker::run(path, { 72, 96 }, limits());
        QVERIFY(drawn.png.isEmpty());
        QVERIFY(!drawn.timedOut);
        QVERIFY2(drawn.problem.startsWith(u"No preview: this PDF cannot be drawn"_s),
                 qPrintable(drawn.problem));
    }

    void notAPdf_noThumbnail()
    {
        const PdfThumbnailBytes drawn
            = PdfThumbnailWorker::run(write(u"cv.txt"_s, "Ada Lovelace\n"), { 72, 96 }, limits());
        QVERIFY(drawn.png.isEmpty());
        QVERIFY(!drawn.problem.isEmpty());
    }

    void helperCrashes_plainMessage()
    {
        ExtractLimits bounds = limits();
        bounds.helperPath = script(u"crashes.sh"_s, "kill -SEGV $$\n");
        const PdfThumbnailBytes drawn = PdfThumbnailWorker::run(m_pdf, { 72, 96 }, bounds);
        QVERIFY(drawn.png.isEmpty());
        QVERIFY2(drawn.problem.contains(u"stopped unexpectedly"_s), qPrintable(drawn.problem));
        QVERIFY(!drawn.problem.contains(u"SEGV"_s, Qt::CaseInsensitive));
    }

    void helperHangs_killedAtTheTimeLimit()
    {
        const QString helper = script(u"hangs.sh"_s, "echo $$ > \"$0.pid\"\nexec sleep 600\n");
        ExtractLimits bounds = limits();
        bounds.helperPath = helper;
        bounds.pdfTimeoutMs = 300;
        const PdfThumbnailBytes drawn = PdfThumbnailWorker::run(m_pdf, { 72, 96 }, bounds);
        QVERIFY(drawn.timedOut);
        QVERIFY(drawn.png.isEmpty());
        QVERIFY2(drawn.problem.contains(u"took too long"_s), qPrintable(drawn.problem));
        QVERIFY(goneIfStarted(helper));
    }

    void helperWritesNoImage_noThumbnail()
    {
        ExtractLimits bounds = limits();
        bounds.helperPath = script(u"lies.sh"_s, "echo 'not a picture'\nexit 0\n");
        const PdfThumbnailBytes drawn = PdfThumbnailWorker::run(m_pdf, { 72, 96 }, bounds);
        QVERIFY(drawn.png.isEmpty());
        QVERIFY(drawn.problem.startsWith(u"No preview: this PDF cannot be drawn"_s));
    }

    void helperMissing_saysReinstall()
    {
        ExtractLimits bounds = limits();
        bounds.helperPath = m_dir.filePath(u"no-such-helper"_s);
        const PdfThumbnailBytes drawn = PdfThumbnailWorker::run(m_pdf, { 72, 96 }, bounds);
        QVERIFY(drawn.png.isEmpty());
        QVERIFY2(drawn.problem.contains(u"Reinstall Candidate Desk"_s), qPrintable(drawn.problem));
    }

    void cancelled_stopsTheHelperAtOnce_withoutAMessage()
    {
        const QString helper = script(u"waits.sh"_s, "echo $$ > \"$0.pid\"\nexec sleep 600\n");
        ExtractLimits bounds = limits();
        bounds.helperPath = helper;
        bounds.pdfTimeoutMs = 600'000;
        QAtomicInt stop = 0;
        QFuture<PdfThumbnailBytes> future = QtConcurrent::run([&] {
            return PdfThumbnailWorker::run(m_pdf, { 72, 96 }, bounds,
                                           [&stop] { return stop.loadRelaxed() != 0; });
        });
        QFile pidFile(helper + u".pid"_s);
        QTRY_VERIFY(pidFile.exists() && pidFile.size() > 0);
        stop.storeRelaxed(1);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10'000);
        QVERIFY(future.result().png.isEmpty());
        QVERIFY(future.result().problem.isEmpty());
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        QVERIFY(processGone(pidFile.readAll().trimmed().toLongLong()));
    }

    void helper_thumbnailCommandLine()
    {
        QProcess helper;
        const QString exe = QString::fromUtf8(CDESK_EXTRACT_EXE);
        helper.start(exe, { u"--thumbnail"_s, u"40x40"_s, u"--"_s, m_pdf });
        QVERIFY(helper.waitForFinished());
        QCOMPARE(helper.exitCode(), int(PdfHelperExit::Ok));
        const QImage image = QImage::fromData(helper.readAllStandardOutput(), "PNG");
        QVERIFY(!image.isNull());
        QVERIFY(image.width() <= 40 && image.height() <= 40);

        for (const QString &bad : { u"0x10"_s, u"10"_s, u"10x-1"_s, u"5000x10"_s, u"axb"_s }) {
            helper.start(exe, { u"--thumbnail"_s, bad, m_pdf });
            QVERIFY(helper.waitForFinished());
            QVERIFY2(helper.exitCode() == int(PdfHelperExit::Usage), qPrintable(bad));
        }

        helper.start(exe, { u"--thumbnail"_s, u"40x40"_s, write(u"locked.pdf"_s, "%PDF-1.4\n") });
        QVERIFY(helper.waitForFinished());
        QCOMPARE(helper.exitCode(), int(PdfHelperExit::Damaged));
        QVERIFY(helper.readAllStandardOutput().isEmpty());
    }
};

QTEST_MAIN(TestPdfHelper)
#include "tst_pdfhelper.moc"
