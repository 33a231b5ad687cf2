#include "ResumeReader.h"

#include "ZipWalk.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>
#include <QUuid>
#include <QtConcurrent>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

using namespace Qt::StringLiterals;

namespace cdesk {

ResumeReading ResumeReader::read(const QString &path, const QString &phoneRegion, qint64 maxBytes,
                                 const ExtractLimits &limits)
{
    ResumeReading reading;
    reading.info = ResumeInspector::inspect(path, maxBytes);
    if (!reading.info.accepted)
        return reading;
    reading.text = TextExtractor::extract(path, limits);
    if (reading.text.ok)
        reading.fill = autofill(reading.text.text, phoneRegion);
    return reading;
}

QFuture<ResumeReading> ResumeReader::readAsync(const QString &path, const QString &phoneRegion,
                                               qint64 maxBytes, const ExtractLimits &limits)
{
    return QtConcurrent::run([path, phoneRegion, maxBytes, limits] {
        return read(path, phoneRegion, maxBytes, limits);
    });
}

namespace {

// A fresh folder per result, so two resumes with the same name never collide
// and the file keeps its own name for the ATS.
QString freshFolder(const QString &targetDir)
{
    const QString dir = targetDir + u'/' + QUuid::createUuid().toString(QUuid::WithoutBraces);
    return QDir().mkpath(dir) ? dir : QString();
}

// What a DOCX or ODT may unpack to while being compressed again: room for
// the pictures a resume carries, and no more.
ZipLimits compressLimits()
{
    ZipLimits limits;
    limits.maxEntryBytes = 64 * 1024 * 1024;
    limits.maxTotalBytes = 64 * 1024 * 1024;
    return limits;
}

QString walkFailure(ZipWalk::Error error)
{
    switch (error) {
    case ZipWalk::Error::TooManyEntries:
        return ResumeReader::tr("The resume has too many parts to compress.");
    case ZipWalk::Error::EntryTooLarge:
    case ZipWalk::Error::TotalTooLarge:
    case ZipWalk::Error::TooCompressed:
        return ResumeReader::tr("The resume would unpack to far more than any resume holds "
                                "(damaged or malicious files look like this), so it was not "
                                "compressed. Send it as plain text instead.");
    case ZipWalk::Error::None:
    case ZipWalk::Error::Damaged:
        break;
    }
    return ResumeReader::tr("Could not read a part of the resume.");
}

} // namespace

ShrinkResult ResumeReader::asPlainText(const ResumeReading &reading, const QString &targetDir)
{
    ShrinkResult result;
    if (!reading.text.ok || reading.text.text.trimmed().isEmpty()) {
        result.message = reading.text.imageOnly
            ? tr("This resume is a scanned image: there is no text to send instead. Ask the "
                 "candidate for a smaller file.")
            : tr("No text could be read from this resume, so it cannot be sent as plain text.");
        return result;
    }
    const QString dir = freshFolder(targetDir);
    if (dir.isEmpty()) {
        result.message = tr("Could not create a folder for the plain-text copy in %1.")
                             .arg(QDir::toNativeSeparators(targetDir));
        return result;
    }
    result.path = dir + u'/' + QFileInfo(reading.info.fileName).completeBaseName() + u".txt"_s;
    QSaveFile file(result.path);
    const QByteArray bytes = reading.text.text.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        result.message = tr("Could not write the plain-text copy: %1").arg(file.errorString());
        return result;
    }
    result.ok = true;
    result.size = bytes.size();
    result.message
        = tr("The resume's text (%1) will be sent as %2; the original file stays in "
             "your draft.")
              .arg(QLocale().formattedDataSize(result.size), QFileInfo(result.path).fileName());
    return result;
}

ShrinkResult ResumeReader::compress(const ResumeInfo &info, const QString &targetDir,
                                    qint64 maxBytes)
{
    ShrinkResult result;
    const bool zipped
        = info.mimeType.contains(u"openxmlformats"_s) || info.mimeType.contains(u"opendocument"_s);
    if (!zipped) {
        result.message = tr("A %1 cannot be made smaller here without changing what it shows. "
                            "Send it as plain text instead.")
                             .arg(info.typeLabel);
        return result;
    }
    const QString dir = freshFolder(targetDir);
    if (dir.isEmpty()) {
        result.message = tr("Could not create a folder for the smaller copy.");
        return result;
    }
    result.path = dir + u'/' + info.fileName;
    // The same bounded walk as every other reader of the archive: a zip bomb
    // is refused here too, not inflated into the new file.
    ZipWalk in(info.path, compressLimits());
    QuaZip out(result.path);
    if (!in.open() || !out.open(QuaZip::mdCreate)) {
        result.message = in.error() == ZipWalk::Error::TooManyEntries
            ? walkFailure(in.error())
            : tr("Could not open the resume to compress it.");
        return result;
    }
    QString failure;
    const bool walked = in.forEach([&](const ZipEntry &entry) {
        if (!in.reserve(entry) || !in.openEntry()) {
            failure = walkFailure(in.error());
            return false;
        }
        // ODF wants its "mimetype" entry first and stored, so readers can sniff it.
        const bool store = entry.name == u"mimetype"_s;
        QuaZipFile target(&out);
        if (!target.open(QIODevice::WriteOnly, QuaZipNewInfo(entry.name), nullptr, 0,
                         store ? 0 : Z_DEFLATED, store ? 0 : Z_BEST_COMPRESSION)) {
            failure = tr("Could not write the smaller copy.");
            return false;
        }
        QByteArray buffer(64 * 1024, Qt::Uninitialized);
        for (;;) {
            const qint64 n = in.read(buffer.data(), buffer.size());
            if (n < 0) {
                failure = walkFailure(in.error());
                return false;
            }
            if (n == 0)
                break;
            if (target.write(buffer.constData(), n) != n) {
                failure = tr("Could not write the smaller copy.");
                return false;
            }
        }
        target.close();
        if (target.getZipError() != ZIP_OK) {
            failure = tr("Could not write the smaller copy.");
            return false;
        }
        return true;
    });
    if (!walked && failure.isEmpty())
        failure = walkFailure(in.error());
    if (!failure.isEmpty()) {
        out.close();
        QFile::remove(result.path);
        result.message = failure;
        return result;
    }
    out.close();
    result.size = QFileInfo(result.path).size();
    if (result.size >= info.size) {
        QFile::remove(result.path);
        result.message = tr("Compressing does not make this file smaller (its images are already "
                            "compressed). Send it as plain text instead.");
        return result;
    }
    if (maxBytes > 0 && result.size > maxBytes) {
        QFile::remove(result.path);
        result.message = tr("Compressed, it would still be %1, over the server's limit of %2. "
                            "Send it as plain text instead.")
                             .arg(QLocale().formattedDataSize(result.size),
                                  QLocale().formattedDataSize(maxBytes));
        return result;
    }
    result.ok = true;
    result.message = tr("Compressed from %1 to %2.")
                         .arg(QLocale().formattedDataSize(info.size),
                              QLocale().formattedDataSize(result.size));
    return result;
}

} // namespace cdesk
