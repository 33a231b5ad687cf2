#include "Dialogs.h"
#include "ResumeDropZone.h"
#include "TestData.h"
// The resume tests' helpers: fixtures and stand-ins for the PDF helper.
#include "../unit/resume/ResumeTestSupport.h"
#include "resume/ResumeInspector.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDragLeaveEvent>
#include <QDropEvent>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPainter>
#include <QPdfWriter>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace {

// Waits until every background task (inspection, thumbnail) has finished and
// its answer reached the event loop: "nothing else arrives" is then a fact,
// not a guess about time.
void settle()
{
    for (int round = 0; round < 3; ++round) {
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

} // namespace
using cdesk::ResumeDropZone;
using namespace cdesk::test;

namespace {

// What a file manager puts on a drag: the file's URL.
std::unique_ptr<QMimeData> fileDrag(const QString &path)
{
    auto mime = std::make_unique<QMimeData>();
    mime->setUrls({ QUrl::fromLocalFile(path) });
    return mime;
}

// Enter, then drop: the events a real drag delivers, sent to the widget.
bool dragAndDrop(QWidget *target, const QMimeData *mime)
{
    const QPoint pos = target->rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton,
                          Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent drop(QPointF(pos), Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton,
                    Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

} // namespace

class TestResumeDropZone : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pdf; // a real PDF made by Qt's own writer
    QString m_docx;

    template<typename T> static T *child(ResumeDropZone &zone, const QString &name)
    {
        auto *widget = zone.findChild<T *>(name);
        if (!widget)
            qFatal("no child %s", qPrintable(name));
        return widget;
    }

    QString write(const QString &name, const QByteArray &data)
    {
        const QString path = writeFile(m_dir.path(), name, data);
        if (path.isEmpty())
            qFatal("cannot write a fixture");
        return path;
    }

    QString script(const QString &name, const QByteArray &body)
    {
        return helperScript(m_dir, name, body);
    }

    // The helper the zone runs, for one test: the app finds it through this
    // variable, as the tests' environment names the real one.
    class HelperOverride
    {
    public:
        explicit HelperOverride(const QString &path)
            : m_saved(qgetenv("CANDIDATE_DESK_EXTRACT_HELPER"))
        {
            qputenv("CANDIDATE_DESK_EXTRACT_HELPER", QFile::encodeName(path));
        }
        ~HelperOverride()
        {
            // Nothing may still be reading the variable when it changes back.
            settle();
            qputenv("CANDIDATE_DESK_EXTRACT_HELPER", m_saved);
        }
        HelperOverride(const HelperOverride &) = delete;
        HelperOverride &operator=(const HelperOverride &) = delete;

    private:
        QByteArray m_saved;
    };

    // Drops a file and waits until the zone has judged it.
    bool dropAndWait(ResumeDropZone &zone, const QString &path)
    {
        const auto mime = fileDrag(path);
        if (!dragAndDrop(&zone, mime.get()))
            return false;
        auto *status = zone.findChild<QLabel *>(u"resumeStatus"_s);
        return QTest::qWaitFor([&] { return status->isHidden(); }, 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_pdf = m_dir.filePath(u"Ada Lovelace CV.pdf"_s);
        QPdfWriter writer(m_pdf);
        writer.setPageSize(QPageSize(QPageSize::A4));
        QPainter painter(&writer);
        QFont font = painter.font();
        font.setPointSize(28);
        painter.setFont(font);
        painter.drawText(QRect(0, 0, writer.width(), writer.height() / 4), Qt::AlignCenter,
                         u"Ada Lovelace — Analyst"_s);
        painter.fillRect(QRect(0, writer.height() / 2, writer.width(), writer.height() / 8),
                         Qt::darkBlue);
        QVERIFY(painter.end());
        m_docx = write(u"Ada Lovelace CV.docx"_s, minimalDocx());
    }

    void init() { cdesk::Dialogs::reset(); }

    void dropPdf_showsNameTypeSizeAndThumbnail()
    {
        ResumeDropZone zone;
        zone.show();
        QSignalSpy changed(&zone, &ResumeDropZone::changed);
        QSignalSpy accepted(&zone, &ResumeDropZone::fileAccepted);

        const auto mime = fileDrag(m_pdf);
        QVERIFY(dragAndDrop(&zone, mime.get()));
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(accepted.first().first().toString(), m_pdf);
        QCOMPARE(zone.filePath(), m_pdf);
        QCOMPARE(changed.count(), 1);

        QCOMPARE(child<QLabel>(zone, u"resumeName"_s)->text(), u"Ada Lovelace CV.pdf"_s);
        QVERIFY(child<QLabel>(zone, u"resumeDetails"_s)->text().startsWith(u"PDF · "_s));
        QVERIFY(child<QLabel>(zone, u"resumeError"_s)->isHidden());
        QVERIFY(child<QLabel>(zone, u"resumeWarning"_s)->isHidden());
        auto *thumbnail = child<QLabel>(zone, u"resumeThumbnail"_s);
        QTRY_VERIFY(!thumbnail->pixmap().isNull());
        QVERIFY(!thumbnail->isHidden());
        // Not a blank page: the text and the band are drawn.
        const QImage image = thumbnail->pixmap().toImage();
        QVERIFY(image.width() <= 72 * image.devicePixelRatio());
        bool ink = false;
        for (int y = 0; y < image.height() && !ink; ++y) {
            for (int x = 0; x < image.width() && !ink; ++x)
                ink = qGray(image.pixel(x, y)) < 128;
        }
        QVERIFY(ink);
    }

    void unreadablePdf_noThumbnail_plainMessage_noCrash()
    {
        ResumeDropZone zone;
        zone.show();
        // A PDF by its first bytes (the inspector accepts it), that the
        // helper cannot open.
        const QString garbage
            = write(u"garbage.pdf"_s, "%PDF-1.7\n" + QByteArray(4096, '\x9c') + "\n%%EOF\n");
        QVERIFY(dropAndWait(zone, garbage));
        QCOMPARE(zone.filePath(), garbage);
        auto *thumbnail = child<QLabel>(zone, u"resumeThumbnail"_s);
        QTRY_COMPARE(thumbnail->text(), u"No preview"_s);
        QVERIFY(thumbnail->pixmap().isNull());
        QVERIFY2(thumbnail->toolTip().contains(u"cannot be drawn"_s),
                 qPrintable(thumbnail->toolTip()));
        // The file itself stays, with no error: the server judges its bytes.
        QVERIFY(child<QLabel>(zone, u"resumeError"_s)->isHidden());
        QVERIFY(child<QLabel>(zone, u"resumeDetails"_s)->text().startsWith(u"PDF · "_s));

        // The next PDF gets its picture, and the message goes.
        QVERIFY(dropAndWait(zone, m_pdf));
        QTRY_VERIFY(!thumbnail->pixmap().isNull());
        QCOMPARE(thumbnail->text(), QString());
        QCOMPARE(thumbnail->toolTip(), QString());
    }

    void helperCrashes_noThumbnail_plainMessage_noCrash()
    {
        const HelperOverride crashing(script(u"crashes.sh"_s, "kill -SEGV $$\n"));
        ResumeDropZone zone;
        zone.show();
        QVERIFY(dropAndWait(zone, m_pdf));
        auto *thumbnail = child<QLabel>(zone, u"resumeThumbnail"_s);
        QTRY_COMPARE(thumbnail->text(), u"No preview"_s);
        QVERIFY(thumbnail->pixmap().isNull());
        QVERIFY2(thumbnail->toolTip().contains(u"stopped unexpectedly"_s),
                 qPrintable(thumbnail->toolTip()));
        QCOMPARE(zone.filePath(), m_pdf);
    }

    void newDropWhileDrawing_stopsTheOldHelper_andShowsTheNewThumbnail()
    {
        // The helper hangs on "slow.pdf" and draws anything else.
        const QString real = qEnvironmentVariable("CANDIDATE_DESK_EXTRACT_HELPER");
        QVERIFY2(!real.isEmpty(), "run through ctest, which names the helper");
        const QString helper = script(u"picky.sh"_s,
                                      "for a; do last=$a; done\n"
                                      "case \"$last\" in *slow.pdf) echo $$ > \"$0.pid\"; "
                                      "exec sleep 600;; esac\n"
                                      "exec '"
                                          + QFile::encodeName(real) + "' \"$@\"\n");
        const HelperOverride picky(helper);
        const QString slow = m_dir.filePath(u"slow.pdf"_s);
        QVERIFY(QFile::copy(m_pdf, slow));

        ResumeDropZone zone;
        zone.show();
        QVERIFY(dropAndWait(zone, slow));
        QFile pidFile(helper + u".pid"_s);
        QTRY_VERIFY(pidFile.exists() && pidFile.size() > 0);

        QVERIFY(dropAndWait(zone, m_pdf));
        auto *thumbnail = child<QLabel>(zone, u"resumeThumbnail"_s);
        QTRY_VERIFY(!thumbnail->pixmap().isNull());
        QCOMPARE(zone.filePath(), m_pdf);
        // The helper still drawing the first file was stopped, not waited for.
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const qint64 pid = pidFile.readAll().trimmed().toLongLong();
        QTRY_VERIFY(processGone(pid));
        settle();
        QVERIFY(!thumbnail->pixmap().isNull());
        QCOMPARE(thumbnail->text(), QString());
    }

    void details_sayTypeAndSize()
    {
        ResumeDropZone zone;
        const QString pdf = write(u"sized.pdf"_s, minimalPdf("Ada", 250 * 1024));
        QVERIFY(dropAndWait(zone, pdf));
        QCOMPARE(child<QLabel>(zone, u"resumeDetails"_s)->text(), u"PDF · 250 KB"_s);

        QVERIFY(dropAndWait(zone, m_docx));
        QCOMPARE(zone.filePath(), m_docx);
        QVERIFY(child<QLabel>(zone, u"resumeDetails"_s)->text().startsWith(u"Word (DOCX) · "_s));

        const QString big = write(u"big.pdf"_s, minimalPdf("Ada", 5 * 1024 * 1024 + 300 * 1024));
        QVERIFY(dropAndWait(zone, big));
        QCOMPARE(child<QLabel>(zone, u"resumeDetails"_s)->text(), u"PDF · 5.3 MB"_s);
    }

    void renamedExecutable_isRefused_andThePreviousFileStays()
    {
        ResumeDropZone zone;
        zone.show();
        QVERIFY(dropAndWait(zone, m_pdf));
        auto *thumbnail = child<QLabel>(zone, u"resumeThumbnail"_s);
        QTRY_VERIFY(!thumbnail->pixmap().isNull());
        QSignalSpy changed(&zone, &ResumeDropZone::changed);
        QSignalSpy accepted(&zone, &ResumeDropZone::fileAccepted);

        const QString elf = write(u"cv.pdf"_s, elfExecutable());
        QVERIFY(dropAndWait(zone, elf));
        auto *error = child<QLabel>(zone, u"resumeError"_s);
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().contains(u"“cv.pdf”"_s), qPrintable(error->text()));
        QVERIFY(error->text().contains(cdesk::ResumeInspector::acceptedTypes()));

        QCOMPARE(zone.filePath(), m_pdf);
        QCOMPARE(child<QLabel>(zone, u"resumeName"_s)->text(), u"Ada Lovelace CV.pdf"_s);
        QVERIFY(!thumbnail->pixmap().isNull());
        QCOMPARE(changed.count(), 0);
        QCOMPARE(accepted.count(), 0);

        // The next good file clears the message.
        QVERIFY(dropAndWait(zone, m_docx));
        QCOMPARE(zone.filePath(), m_docx);
        QVERIFY(error->isHidden());
    }

    void emptyFile_isRefused_andThePreviousFileStays()
    {
        ResumeDropZone zone;
        QVERIFY(dropAndWait(zone, m_docx));
        const QString empty = write(u"empty.docx"_s, QByteArray());
        QVERIFY(dropAndWait(zone, empty));
        auto *error = child<QLabel>(zone, u"resumeError"_s);
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().contains(u"empty"_s), qPrintable(error->text()));
        QVERIFY(error->text().contains(cdesk::ResumeInspector::acceptedTypes()));
        QCOMPARE(zone.filePath(), m_docx);
    }

    void refusalWithNoFileBefore_leavesTheZoneEmpty()
    {
        ResumeDropZone zone;
        QVERIFY(dropAndWait(zone, write(u"photo.png"_s, pngImage())));
        QVERIFY(!child<QLabel>(zone, u"resumeError"_s)->isHidden());
        QCOMPARE(zone.filePath(), QString());
        QVERIFY(child<QWidget>(zone, u"resumeFile"_s)->isHidden());
    }

    void overTheLimit_isAcceptedWithAWarning()
    {
        ResumeDropZone zone;
        zone.setMaxBytes(1024);
        QSignalSpy accepted(&zone, &ResumeDropZone::fileAccepted);
        const QString pdf = write(u"two-kb.pdf"_s, minimalPdf("Ada", 2048));
        QVERIFY(dropAndWait(zone, pdf));
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(zone.filePath(), pdf);

        auto *warning = child<QLabel>(zone, u"resumeWarning"_s);
        QVERIFY(!warning->isHidden());
        const QString text = warning->text();
        QVERIFY2(text.contains(u"2 KB"_s) && text.contains(u"1 KB"_s), qPrintable(text));
        QVERIFY2(text.contains(u"will refuse"_s), qPrintable(text));
        QVERIFY2(text.contains(u"plain text"_s) && text.contains(u"compress"_s), qPrintable(text));
        QVERIFY(child<QLabel>(zone, u"resumeError"_s)->isHidden());

        // A larger limit from settings: the warning goes at once.
        zone.setMaxBytes(5 * 1024 * 1024);
        QVERIFY(warning->isHidden());
        zone.setMaxBytes(2047);
        QVERIFY(!warning->isHidden());
    }

    void browse_usesTheDialogSeam()
    {
        ResumeDropZone zone;
        QSignalSpy accepted(&zone, &ResumeDropZone::fileAccepted);
        cdesk::Dialogs::setNextFile(m_docx);
        QTest::mouseClick(child<QPushButton>(zone, u"resumeBrowse"_s), Qt::LeftButton);
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(zone.filePath(), m_docx);

        // Cancelled: nothing changes.
        cdesk::Dialogs::setNextFile(QString());
        QSignalSpy changed(&zone, &ResumeDropZone::changed);
        QTest::mouseClick(child<QPushButton>(zone, u"resumeBrowse"_s), Qt::LeftButton);
        settle();
        QCOMPARE(zone.filePath(), m_docx);
        QCOMPARE(changed.count(), 0);
    }

    void remove_clearsTheFile()
    {
        ResumeDropZone zone;
        zone.show();
        QVERIFY(dropAndWait(zone, m_pdf));
        QTRY_VERIFY(!child<QLabel>(zone, u"resumeThumbnail"_s)->pixmap().isNull());
        QSignalSpy changed(&zone, &ResumeDropZone::changed);

        QTest::mouseClick(child<QPushButton>(zone, u"resumeRemove"_s), Qt::LeftButton);
        QCOMPARE(zone.filePath(), QString());
        QCOMPARE(changed.count(), 1);
        QVERIFY(child<QWidget>(zone, u"resumeFile"_s)->isHidden());
        QVERIFY(child<QLabel>(zone, u"resumeThumbnail"_s)->isHidden());
        QVERIFY(child<QLabel>(zone, u"resumeThumbnail"_s)->pixmap().isNull());
    }

    void dropAnother_replaces()
    {
        ResumeDropZone zone;
        QVERIFY(dropAndWait(zone, m_pdf));
        QSignalSpy changed(&zone, &ResumeDropZone::changed);
        QVERIFY(dropAndWait(zone, m_docx));
        QCOMPARE(zone.filePath(), m_docx);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(child<QLabel>(zone, u"resumeName"_s)->text(), u"Ada Lovelace CV.docx"_s);
        QVERIFY(child<QLabel>(zone, u"resumeDetails"_s)->text().startsWith(u"Word (DOCX) · "_s));
        // A thumbnail still being drawn for the PDF does not come back for the DOCX.
        settle();
        QVERIFY(child<QLabel>(zone, u"resumeThumbnail"_s)->isHidden());
    }

    void staleResult_isDiscarded()
    {
        ResumeDropZone zone;
        QSignalSpy accepted(&zone, &ResumeDropZone::fileAccepted);
        zone.setFilePath(m_pdf);
        zone.setFilePath(m_docx); // before the first answer can arrive
        QTRY_COMPARE(accepted.count(), 1);
        settle();
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(accepted.first().first().toString(), m_docx);
        QCOMPARE(zone.filePath(), m_docx);

        // Remove while a file is still being read: it never arrives.
        zone.setFilePath(m_pdf);
        zone.clear();
        settle();
        QCOMPARE(zone.filePath(), QString());
        QCOMPARE(accepted.count(), 1);
    }

    void link_roundTrips_andTheFileWins()
    {
        ResumeDropZone zone;
        QSignalSpy changed(&zone, &ResumeDropZone::changed);
        auto *edit = child<QLineEdit>(zone, u"resumeUrlEdit"_s);
        QCOMPARE(edit->placeholderText(), u"…or paste a link to the resume"_s);
        QCOMPARE(zone.resumeUrl(), QUrl());

        const QUrl url(u"https://example.com/cv/ada%20lovelace.pdf"_s);
        zone.setResumeUrl(url);
        QCOMPARE(zone.resumeUrl(), url);
        QVERIFY(changed.count() >= 1);
        auto *note = child<QLabel>(zone, u"resumeSendNote"_s);
        QVERIFY2(note->text().contains(u"link will be sent"_s), qPrintable(note->text()));

        edit->clear();
        changed.clear();
        QTest::keyClicks(edit, u"https://example.org/ada"_s);
        QCOMPARE(zone.resumeUrl(), QUrl(u"https://example.org/ada"_s));
        QVERIFY(changed.count() >= 1);

        // A file and a link: both kept, and the zone says the file is sent.
        QVERIFY(dropAndWait(zone, m_docx));
        QCOMPARE(zone.filePath(), m_docx);
        QCOMPARE(zone.resumeUrl(), QUrl(u"https://example.org/ada"_s));
        QVERIFY2(note->text().contains(u"file will be sent"_s), qPrintable(note->text()));

        QTest::mouseClick(child<QPushButton>(zone, u"resumeRemove"_s), Qt::LeftButton);
        QCOMPARE(zone.resumeUrl(), QUrl(u"https://example.org/ada"_s));
        QVERIFY(note->text().contains(u"link will be sent"_s));

        zone.clear();
        QCOMPARE(zone.resumeUrl(), QUrl());
        QVERIFY(note->isHidden());
    }

    void dragOfANonFile_isIgnored()
    {
        ResumeDropZone zone;
        QMimeData text;
        text.setText(u"Ada Lovelace"_s);
        QVERIFY(!dragAndDrop(&zone, &text));
        QMimeData web;
        web.setUrls({ QUrl(u"https://example.com/cv.pdf"_s) });
        QVERIFY(!dragAndDrop(&zone, &web));
        QVERIFY(!zone.property("dropActive").toBool());

        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&zone, &drop);
        QVERIFY(!drop.isAccepted());
        QCOMPARE(zone.filePath(), QString());
    }

    void dragEnter_highlights_untilLeaveOrDrop()
    {
        ResumeDropZone zone;
        const auto mime = fileDrag(m_pdf);
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, mime.get(), Qt::LeftButton,
                              Qt::NoModifier);
        QApplication::sendEvent(&zone, &enter);
        QVERIFY(enter.isAccepted());
        QVERIFY(zone.property("dropActive").toBool());
        QDragLeaveEvent leave;
        QApplication::sendEvent(&zone, &leave);
        QVERIFY(!zone.property("dropActive").toBool());

        QVERIFY(dropAndWait(zone, m_pdf));
        QVERIFY(!zone.property("dropActive").toBool());
    }

    void fileDroppedOnTheLinkField_isTheFile()
    {
        ResumeDropZone zone;
        auto *edit = child<QLineEdit>(zone, u"resumeUrlEdit"_s);
        const auto mime = fileDrag(m_docx);
        QVERIFY(dragAndDrop(edit, mime.get()));
        QTRY_COMPARE(zone.filePath(), m_docx);
        QCOMPARE(edit->text(), QString());
    }

    void setError_showsTheServersMessage_untilTheResumeChanges()
    {
        ResumeDropZone zone;
        QVERIFY(dropAndWait(zone, m_pdf));
        zone.setError(u"Unsupported file type. Upload a PDF, DOC, DOCX, ODT, RTF or TXT file."_s);
        auto *error = child<QLabel>(zone, u"resumeError"_s);
        QVERIFY(!error->isHidden());
        QCOMPARE(error->text(),
                 u"Unsupported file type. Upload a PDF, DOC, DOCX, ODT, RTF or TXT file."_s);
        QCOMPARE(zone.filePath(), m_pdf); // the message does not cost the file

        QVERIFY(dropAndWait(zone, m_docx));
        QVERIFY(error->isHidden());
        zone.setError(u"Too large"_s);
        zone.setError(QString());
        QVERIFY(error->isHidden());
    }

    void fileNames_areShownAsText_notMarkup()
    {
        ResumeDropZone zone;
        const QString path = write(u"<b>cv<i>.docx"_s, minimalDocx());
        QVERIFY(dropAndWait(zone, path));
        auto *name = child<QLabel>(zone, u"resumeName"_s);
        QCOMPARE(name->text(), u"<b>cv<i>.docx"_s);
        QCOMPARE(name->textFormat(), Qt::PlainText);
    }
};

QTEST_MAIN(TestResumeDropZone)
#include "tst_resumedropzone.moc"
