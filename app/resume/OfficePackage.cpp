#include "OfficePackage.h"

#include "ExtractMessages.h"
#include "TextBudget.h"

#include <QXmlStreamReader>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

using namespace ExtractMessages;

// Parts are inflated through a buffer of this size, never held whole.
constexpr qint64 kChunkBytes = 64 * 1024;

ZipLimits zipLimits(const ExtractLimits &limits)
{
    ZipLimits zip;
    zip.maxEntries = limits.maxZipEntries;
    zip.maxEntryBytes = limits.maxEntryBytes;
    zip.maxTotalBytes = limits.maxTotalBytes;
    return zip;
}

QString shownEntryName(QString name)
{
    name.replace(QChar(0), u"\\0"_s);
    if (name.size() > 80)
        name = name.left(77) + u"..."_s;
    return name;
}

QString tooLarge(qint64 bytes)
{
    return tr("This document would unpack to more than %1 MB, far more than any resume: "
              "damaged or malicious files (“zip bombs”) look like this, so Candidate Desk "
              "did not read it.")
               .arg(std::max<qint64>(1, bytes / (1024 * 1024)))
        + u' ' + askForAnotherCopy();
}

} // namespace

OfficePackage::OfficePackage(const QString &path, const ExtractLimits &limits)
    : m_zip(path, zipLimits(limits))
{ }

bool OfficePackage::open(const std::function<bool(const QString &)> &wanted)
{
    if (!m_zip.open())
        return failWalk();
    QString unsafe;
    const bool walked = m_zip.forEachSafe(
        [&](const ZipEntry &entry) {
            if (!wanted(entry.name) || m_parts.contains(entry.name))
                return true;
            if (!m_zip.reserve(entry))
                return false;
            m_parts.append(entry.name);
            return true;
        },
        &unsafe);
    if (!walked || m_zip.error() != ZipWalk::Error::None)
        return failWalk();
    if (!unsafe.isNull())
        return fail(tr("This document holds a part named “%1”: no word processor writes such a "
                       "name, and attacks on other programs use it, so Candidate Desk did not "
                       "read it.")
                        .arg(shownEntryName(unsafe))
                    + u' ' + askForAnotherCopy());
    return true;
}

bool OfficePackage::read(const QString &name, XmlTextHandler &handler, const TextSink &sink)
{
    if (!m_zip.openEntry(name))
        return failWalk();
    QXmlStreamReader xml;
    QByteArray chunk(kChunkBytes, Qt::Uninitialized);
    while (!sink.full()) {
        xml.readNext();
        if (xml.error() == QXmlStreamReader::PrematureEndOfDocumentError) {
            const qint64 n = m_zip.read(chunk.data(), chunk.size());
            if (n < 0)
                return failWalk();
            if (n == 0)
                return fail(damagedDocument()); // the XML stops short
            xml.addData(QByteArray(chunk.constData(), n));
            continue;
        }
        if (xml.hasError())
            return fail(damagedDocument());
        if (xml.tokenType() == QXmlStreamReader::EndDocument)
            break;
        handler.handle(xml);
    }
    return true;
}

QString OfficePackage::joinedSections(const QStringList &sections)
{
    QStringList kept;
    for (const QString &section : sections) {
        const QString trimmed = section.trimmed();
        if (!trimmed.isEmpty() && !kept.contains(trimmed))
            kept.append(trimmed);
    }
    return kept.join(u"\n\n"_s);
}

bool OfficePackage::fail(const QString &problem)
{
    m_problem = problem;
    return false;
}

bool OfficePackage::failWalk()
{
    const ZipLimits &limits = m_zip.limits();
    switch (m_zip.error()) {
    case ZipWalk::Error::TooManyEntries:
        return fail(tr("This document holds more than %n files inside, far more than any resume: "
                       "damaged or malicious files look like this, so Candidate Desk did not "
                       "read it.",
                       nullptr, limits.maxEntries)
                    + u' ' + askForAnotherCopy());
    case ZipWalk::Error::EntryTooLarge:
        return fail(tooLarge(limits.maxEntryBytes));
    case ZipWalk::Error::TotalTooLarge:
        return fail(tooLarge(limits.maxTotalBytes));
    case ZipWalk::Error::TooCompressed:
        return fail(tr("This document holds a part packed more than %1 times smaller than it "
                       "unpacks, far beyond any resume: damaged or malicious files (“zip "
                       "bombs”) look like this, so Candidate Desk did not read it.")
                        .arg(limits.maxRatio)
                    + u' ' + askForAnotherCopy());
    case ZipWalk::Error::None:
    case ZipWalk::Error::Damaged:
        break;
    }
    return fail(damagedDocument());
}

} // namespace cdesk
