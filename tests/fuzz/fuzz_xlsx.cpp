// A workbook a recruiter imports (XlsxReader::read): an input is the whole
// .xlsx file, written to a temporary file because the zip walk reads from
// disk, as it does in the app. Read with the defaults, then with tight bounds
// that reach every refusal. What it reads must be a table the importer can
// trust: a header, rows within the bounds, each with its row number, in order.

#include "FuzzSupport.h"

#include "intake/XlsxReader.h"

#include <QFile>
#include <QTemporaryDir>

#include <cstdint>
#include <memory>

using namespace cdesk;

namespace {

QString inputPath()
{
    static const auto dir = std::make_unique<QTemporaryDir>();
    FUZZ_CHECK(dir->isValid());
    return dir->filePath(QStringLiteral("sheet.xlsx"));
}

void check(const QString &path, const SheetLimits &limits)
{
    SheetError error;
    const auto table = XlsxReader::read(path, {}, &error, limits);
    if (!table) {
        FUZZ_CHECK(!error.message.isEmpty());
        return;
    }
    FUZZ_CHECK(!table->header.isEmpty());
    FUZZ_CHECK(table->rows.size() == table->rowLines.size());
    FUZZ_CHECK(table->rows.size() <= limits.maxRows);
    int previous = 0;
    for (qsizetype i = 0; i < table->rows.size(); ++i) {
        FUZZ_CHECK(table->rows[i].size() <= limits.maxColumns);
        FUZZ_CHECK(table->rowLines[i] > previous);
        previous = table->rowLines[i];
        for (const QString &cell : table->rows[i])
            FUZZ_CHECK(cell.size() <= limits.maxCellChars);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = inputPath();
    {
        QFile file(path);
        FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        FUZZ_CHECK(file.write(reinterpret_cast<const char *>(data), qint64(size)) == qint64(size));
    }
    check(path, {});
    SheetLimits tight;
    tight.maxRows = 2;
    tight.maxColumns = 3;
    tight.maxCellChars = 8;
    check(path, tight);
    return 0;
}
