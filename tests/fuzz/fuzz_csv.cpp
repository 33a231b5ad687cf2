// The CSV reader (CsvReader::parse): an input is a file a recruiter imports.
// Read with the defaults, then with tight bounds that reach every refusal.
// Whatever it reads must be a table the importer can trust: a header, rows
// no wider than the bound, each with the line it starts on, in order.

#include "FuzzSupport.h"

#include "intake/CsvReader.h"

#include <cstdint>

using namespace cdesk;

namespace {

void check(const QByteArray &bytes, const SheetLimits &limits)
{
    SheetError error;
    const auto table = CsvReader::parse(bytes, &error, limits);
    if (!table) {
        FUZZ_CHECK(!error.message.isEmpty());
        FUZZ_CHECK(error.line >= 0 && error.column >= 0);
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
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    check(bytes, {});
    SheetLimits tight;
    tight.maxRows = 3;
    tight.maxColumns = 4;
    tight.maxCellChars = 12;
    tight.maxBytes = 512;
    check(bytes, tight);
    return 0;
}
