#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace cdesk::sandbox {

// One part of a multipart/form-data body (RFC 7578).
struct MultipartPart
{
    QString name; // the form field name from Content-Disposition (decoded UTF-8)
    QString fileName; // the filename, Unicode allowed; empty when hasFileName is false
    bool hasFileName = false; // a file part: Content-Disposition carried filename= or filename*=
    QByteArray contentType; // the part's Content-Type, lower-cased, parameters kept; may be empty
    QByteArray data; // the part's bytes, exactly as sent
};

struct MultipartLimits
{
    int maxParts = 200;
    int maxHeaderBytesPerPart = 16 * 1024;
};

struct MultipartResult
{
    bool ok = false;
    QString error; // plain words, e.g. "Invalid boundary in multipart: None"
    QList<MultipartPart> parts;
};

// A strict, allocation-bounded parser for multipart/form-data request bodies.
// It never trusts lengths or names it reads, never crashes on truncated or
// malformed input, and reports what is wrong instead.
class MultipartParser
{
public:
    // The boundary parameter of a Content-Type header value such as
    // `multipart/form-data; boundary="abc"`. Empty (and *error set) when the
    // header is not multipart/form-data or has no usable boundary (RFC 2046:
    // 1-70 characters).
    static QByteArray boundaryFrom(const QByteArray &contentType, QString *error = nullptr);

    static MultipartResult parse(const QByteArray &body, const QByteArray &boundary,
                                 const MultipartLimits &limits = {});
};

} // namespace cdesk::sandbox
