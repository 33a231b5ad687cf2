#include "ZipWalk.h"

#include <QList>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipfileinfo.h>

#include <algorithm>
#include <limits>
#include <optional>

namespace cdesk {

namespace {

// Below this an entry is too small to be a bomb, whatever its ratio: a page
// of repeated spaces packs better than any rule about ratios would allow.
constexpr qint64 kRatioFloorBytes = 1024 * 1024;

} // namespace

struct ZipWalk::Private
{
    Private(const QString &path, const ZipLimits &bounds)
        : zip(path)
        , limits(bounds)
    { }

    bool fail(Error why)
    {
        error = why;
        return false;
    }

    bool overRatio(qint64 size, qint64 compressed) const
    {
        return size > kRatioFloorBytes && size / std::max<qint64>(1, compressed) > limits.maxRatio;
    }

    bool currentEntry(ZipEntry *entry)
    {
        QuaZipFileInfo64 info;
        if (!zip.getCurrentFileInfo(&info))
            return fail(Error::Damaged);
        entry->name = info.name;
        // Sizes past 2^63 are lies: they only have to stay past every bound.
        constexpr auto most = quint64(std::numeric_limits<qint64>::max());
        entry->size = qint64(std::min(quint64(info.uncompressedSize), most));
        entry->compressedSize = qint64(std::min(quint64(info.compressedSize), most));
        return true;
    }

    // index: the entry's place in the directory, -1 when it was found by name.
    bool openCurrent(int index)
    {
        file.reset();
        entryBytes = 0;
        ZipEntry entry;
        if (!currentEntry(&entry))
            return false;
        entry.index = index;
        current = entry;
        file = std::make_unique<QuaZipFile>(&zip);
        if (!file->open(QIODevice::ReadOnly)) {
            file.reset();
            return fail(Error::Damaged);
        }
        return true;
    }

    QuaZip zip;
    const ZipLimits limits;
    Error error = Error::None;
    std::optional<ZipEntry> current;
    std::unique_ptr<QuaZipFile> file;
    qint64 reserved = 0;
    qint64 entryBytes = 0;
    qint64 totalBytes = 0;
};

ZipWalk::ZipWalk(const QString &path, const ZipLimits &limits)
    : d(std::make_unique<Private>(path, limits))
{ }

ZipWalk::~ZipWalk() = default;

bool ZipWalk::open()
{
    if (!d->zip.open(QuaZip::mdUnzip))
        return d->fail(Error::Damaged);
    if (d->zip.getEntriesCount() > d->limits.maxEntries)
        return d->fail(Error::TooManyEntries);
    return true;
}

bool ZipWalk::forEach(const std::function<bool(const ZipEntry &)> &visit)
{
    int seen = 0;
    for (bool more = d->zip.goToFirstFile(); more; more = d->zip.goToNextFile()) {
        // The count in the archive's trailer can lie: count for ourselves.
        if (++seen > d->limits.maxEntries)
            return d->fail(Error::TooManyEntries);
        ZipEntry entry;
        if (!d->currentEntry(&entry))
            return false;
        entry.index = seen - 1;
        d->current = entry;
        if (!visit(entry))
            return true;
        d->file.reset(); // an entry left open by the visit; the next one moves the cursor
    }
    if (d->zip.getZipError() != UNZ_OK)
        return d->fail(Error::Damaged);
    return true;
}

bool ZipWalk::forEachSafe(const std::function<bool(const ZipEntry &)> &visit, QString *unsafe)
{
    return forEach([&](const ZipEntry &entry) {
        if (unsafeName(entry.name)) {
            *unsafe = entry.name;
            return false;
        }
        return visit(entry);
    });
}

bool ZipWalk::reserve(const ZipEntry &entry)
{
    if (entry.size > d->limits.maxEntryBytes)
        return d->fail(Error::EntryTooLarge);
    d->reserved += entry.size;
    if (d->reserved > d->limits.maxTotalBytes)
        return d->fail(Error::TotalTooLarge);
    if (d->overRatio(entry.size, entry.compressedSize))
        return d->fail(Error::TooCompressed);
    return true;
}

bool ZipWalk::openEntry()
{
    if (!d->current)
        return d->fail(Error::Damaged);
    return d->openCurrent(d->current->index);
}

bool ZipWalk::openEntry(const QString &name)
{
    d->file.reset();
    if (!d->zip.setCurrentFile(name, QuaZip::csSensitive))
        return d->fail(Error::Damaged);
    return d->openCurrent(-1);
}

qint64 ZipWalk::read(char *data, qint64 maxSize)
{
    if (!d->file)
        return -1;
    const qint64 n = d->file->read(data, maxSize);
    if (n == 0) {
        // minizip inflates no more than the directory declares, so a lie
        // about the size yields a cut entry: its checksum, checked at the
        // end, tells the cut one from the real one.
        d->file->close();
        const bool intact = d->file->getZipError() == UNZ_OK;
        d->file.reset();
        if (intact)
            return 0;
    }
    if (n <= 0) {
        d->fail(Error::Damaged);
        return -1;
    }
    d->entryBytes += n;
    d->totalBytes += n;
    if (d->entryBytes > d->limits.maxEntryBytes)
        d->fail(Error::EntryTooLarge);
    else if (d->totalBytes > d->limits.maxTotalBytes)
        d->fail(Error::TotalTooLarge);
    else if (d->overRatio(d->entryBytes, d->current->compressedSize))
        d->fail(Error::TooCompressed);
    else
        return n;
    d->file.reset();
    return -1;
}

ZipWalk::Error ZipWalk::error() const
{
    return d->error;
}

const ZipLimits &ZipWalk::limits() const
{
    return d->limits;
}

bool ZipWalk::unsafeName(const QString &name)
{
    if (name.isEmpty() || name.contains(QChar(0)) || name.startsWith(u'/')
        || name.startsWith(u'\\'))
        return true;
    if (name.size() >= 2 && name.at(1) == u':' && name.at(0).isLetter())
        return true; // C:...
    const QList<QStringView> parts = QStringView(name).split(u'/');
    return std::any_of(parts.cbegin(), parts.cend(), [](QStringView part) {
        const QList<QStringView> pieces = part.split(u'\\');
        return std::any_of(pieces.cbegin(), pieces.cend(),
                           [](QStringView piece) { return piece == u".."; });
    });
}

} // namespace cdesk
