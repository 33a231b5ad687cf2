// The main of a fuzz target built without libFuzzer (gcc, the normal build):
// runs every file of the folders (or the files) it is given through
// LLVMFuzzerTestOneInput once, so CTest replays the seed corpus and every
// input that once crashed, on every build.

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);

    QStringList files;
    for (int i = 1; i < argc; ++i) {
        const QString path = QString::fromLocal8Bit(argv[i]);
        const QFileInfo info(path);
        if (info.isDir()) {
            QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            QStringList inDir;
            while (it.hasNext())
                inDir.append(it.next());
            inDir.sort();
            files += inDir;
        } else if (info.isFile()) {
            files.append(path);
        } else {
            // A regressions folder is made when the first crash is kept.
            std::fprintf(stderr, "replay: no such file or folder, skipped: %s\n", argv[i]);
        }
    }
    if (files.isEmpty()) {
        std::fprintf(stderr, "replay: no inputs found\n");
        return 1;
    }
    for (const QString &path : std::as_const(files)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "replay: cannot read %s\n", qPrintable(path));
            return 1;
        }
        const QByteArray data = file.readAll();
        std::fprintf(stderr, "replay: %s (%lld bytes)\n", qPrintable(path),
                     static_cast<long long>(data.size()));
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(data.constData()),
                               static_cast<size_t>(data.size()));
    }
    std::fprintf(stderr, "replay: %lld inputs, all passed\n", static_cast<long long>(files.size()));
    return 0;
}
