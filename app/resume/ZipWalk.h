#pragma once

#include <QString>

#include <functional>
#include <memory>

namespace cdesk {

// Bounds on what one zip archive (a DOCX, an ODT) may make us read. A resume
// holds a few dozen entries and a few MB; anything far beyond is a damaged or
// hostile file.
struct ZipLimits
{
    static constexpr int kDefaultMaxEntries = 4096;

    int maxEntries = kDefaultMaxEntries;
    // The uncompressed size of one entry read, and of all entries read.
    qint64 maxEntryBytes = 20 * 1024 * 1024;
    qint64 maxTotalBytes = 64 * 1024 * 1024;
    // Uncompressed bytes per compressed byte, past the first MiB of an entry:
    // XML packs ten to thirty times, a "zip bomb" a thousand.
    int maxRatio = 200;
};

// One entry of the central directory, as the archive declares it.
struct ZipEntry
{
    QString name;
    qint64 size = 0; // uncompressed
    qint64 compressedSize = 0;
    int index = 0; // its place in the directory, from 0 (-1 when opened by name)
};

// The one bounded walk through a zip archive: every reader of a resume's zip
// goes through it. The entry count is checked against the trailer and
// counted for ourselves (the trailer can lie) before anything is inflated;
// entries are checked by the sizes the directory declares (reserve()), and
// again by the bytes actually inflated (read()), since a crafted directory can
// declare anything. Nothing is ever written to disk here.
class ZipWalk
{
public:
    enum class Error {
        None,
        Damaged, // not a zip, or its directory or an entry is broken
        TooManyEntries, // over maxEntries
        EntryTooLarge, // one entry over maxEntryBytes
        TotalTooLarge, // all entries read or reserved over maxTotalBytes
        TooCompressed, // an entry unpacks to over maxRatio times its packed size
    };

    explicit ZipWalk(const QString &path, const ZipLimits &limits = {});
    ~ZipWalk();
    ZipWalk(const ZipWalk &) = delete;
    ZipWalk &operator=(const ZipWalk &) = delete;

    // Opens the archive and checks the trailer's entry count.
    bool open();
    // Visits the entries in directory order until visit() returns false.
    // False when the walk itself failed (error() says why), not when the
    // visitor stopped it.
    bool forEach(const std::function<bool(const ZipEntry &)> &visit);
    // forEach() for a document: stops at the first entry with an unsafe name
    // (unsafeName()), names it in *unsafe, and does not show it to visit().
    bool forEachSafe(const std::function<bool(const ZipEntry &)> &visit, QString *unsafe);
    // Counts an entry about to be read against the bounds, by the sizes its
    // directory record declares; false with error() set when it would cross one.
    bool reserve(const ZipEntry &entry);

    // Opens the entry forEach() stands on (inside a visit, or after a visit
    // stopped the walk), or the entry of that name, for read().
    bool openEntry();
    bool openEntry(const QString &name);
    // Inflates up to maxSize bytes of the open entry: the count read, 0 at its
    // end (once its checksum is found right), -1 on a damaged entry or a bound
    // crossed (error() says which).
    qint64 read(char *data, qint64 maxSize);

    Error error() const;
    const ZipLimits &limits() const;

    // Names no zip tool writes for a document, and that attacks on unzipping
    // programs use: absolute paths, drive letters, "..", NUL.
    static bool unsafeName(const QString &name);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
