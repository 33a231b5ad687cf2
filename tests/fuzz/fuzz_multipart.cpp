// The sandbox's multipart/form-data parser. An input is the request's
// Content-Type header value on the first line, then the body, as it arrives:
//
//   multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW
//   ------WebKitFormBoundary7MA4YWxkTrZu0gW
//   Content-Disposition: form-data; name="name"
//   ...

#include "FuzzSupport.h"

#include "MultipartParser.h"

#include <cstdint>

using namespace cdesk::sandbox;

namespace {

void check(const QByteArray &body, const QByteArray &boundary, const MultipartLimits &limits)
{
    const MultipartResult result = MultipartParser::parse(body, boundary, limits);
    FUZZ_CHECK(result.ok == result.error.isEmpty());
    if (!result.ok) {
        FUZZ_CHECK(result.parts.isEmpty());
        return;
    }
    FUZZ_CHECK(result.parts.size() <= limits.maxParts);
    qsizetype total = 0;
    for (const MultipartPart &part : result.parts) {
        FUZZ_CHECK(!part.name.isEmpty());
        FUZZ_CHECK(part.hasFileName || part.fileName.isEmpty());
        FUZZ_CHECK(part.contentType == part.contentType.toLower());
        // Data is a piece of the body, never bytes the body did not have.
        FUZZ_CHECK(body.contains(part.data));
        total += part.data.size();
    }
    FUZZ_CHECK(total <= body.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    QByteArray contentType = newline < 0 ? input : input.left(newline);
    if (contentType.endsWith('\r'))
        contentType.chop(1);
    const QByteArray body = newline < 0 ? QByteArray() : input.mid(newline + 1);

    QString error;
    const QByteArray boundary = MultipartParser::boundaryFrom(contentType, &error);
    FUZZ_CHECK(boundary.isEmpty() != error.isEmpty());
    FUZZ_CHECK(boundary.size() <= 70);
    FUZZ_CHECK(error.size() <= 200); // a hostile header cannot flood the answer

    // The parser checks the boundary itself: hand it whatever the header said.
    check(body, boundary.isEmpty() ? contentType : boundary, {});
    // Tight limits reach the "too many parts" and "headers too long" paths.
    check(body, boundary.isEmpty() ? contentType : boundary, MultipartLimits { 2, 64 });
    return 0;
}
