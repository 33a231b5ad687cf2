// parseRetryAfter: a Retry-After header value, "120" or an HTTP date, in
// seconds from now. An input is the header value as a server sends it; one
// whose first line is "now=<seconds since 1970>" measures the rest against
// that moment instead of the fixed one.

#include "FuzzSupport.h"

#include "api/ApiResult.h"

#include <QDateTime>

#include <cstdint>

using namespace cdesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    QDateTime now(QDate(2026, 11, 29), QTime(12, 0), Qt::UTC);
    if (value.startsWith("now=")) {
        const qsizetype newline = value.indexOf('\n');
        const QByteArray given = value.mid(4, newline < 0 ? -1 : newline - 4);
        now = QDateTime::fromSecsSinceEpoch(given.trimmed().toLongLong(), Qt::UTC);
        value = newline < 0 ? QByteArray() : value.mid(newline + 1);
    }

    const std::optional<qint64> seconds = parseRetryAfter(value, now);
    FUZZ_CHECK(!seconds || *seconds >= 0);

    // Seconds do not depend on the clock; a date cannot be measured without one.
    bool isNumber = false;
    const qint64 number = value.trimmed().toLongLong(&isNumber);
    if (isNumber) {
        FUZZ_CHECK(seconds && *seconds == qMax<qint64>(0, number));
        FUZZ_CHECK(parseRetryAfter(value, QDateTime()) == seconds);
    } else {
        FUZZ_CHECK(!parseRetryAfter(value, QDateTime()));
    }
    // The same value a minute later is never further away.
    const QDateTime aMinuteLater = now.addSecs(60);
    if (aMinuteLater.isValid()) {
        const std::optional<qint64> later = parseRetryAfter(value, aMinuteLater);
        FUZZ_CHECK(later.has_value() == seconds.has_value());
        if (seconds && later)
            FUZZ_CHECK(*later <= *seconds);
    }
    return 0;
}
