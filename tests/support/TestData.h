#pragma once

#include "SandboxFixture.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// Small builders and checks the sandbox contract tests share: real file
// contents, valid request bodies, and the shapes the contract promises.
namespace cdesk::test {

// A minimal but valid PDF 1.4: one page with one line of text, a correct xref
// table and trailer.
// With totalSize > 0, a comment line pads the file to exactly that many bytes.
QByteArray minimalPdf(const QByteArray &text = "Ada Lovelace, Analyst", qsizetype totalSize = 0);
// A complete 129-byte ELF64 x86-64 executable that exits with status 0.
QByteArray elfExecutable();
// A 1x1 PNG image.
QByteArray pngImage();
// A zip archive (deflated, written by QuaZip) of the given entries, in order.
QByteArray zipArchive(const QList<QPair<QString, QByteArray>> &entries);
// A minimal Word 2007+ document: [Content_Types].xml, _rels/.rels and
// word/document.xml with one paragraph per line of text.
QByteArray minimalDocx(const QString &text = QStringLiteral("Ada Lovelace, Analyst"));
// A minimal OpenDocument text: a stored "mimetype" first, then content.xml and
// META-INF/manifest.xml.
QByteArray minimalOdt(const QString &text = QStringLiteral("Ada Lovelace, Analyst"));

// Writes data to dir/name (creating dir) and returns the absolute path; empty on failure.
QString writeFile(const QString &dir, const QString &name, const QByteArray &data);
// Every regular file under dir (recursively) whose content equals data.
QStringList filesWithContent(const QString &dir, const QByteArray &data);
// Every regular file under dir (recursively), as absolute paths.
QStringList filesUnder(const QString &dir);

// A valid address unique within this process: "<prefix>.<n>.<pid>@example.com".
QString uniqueEmail(const QString &prefix = QStringLiteral("candidate"));
// A valid create body: name, email, phone and a resume_url; nothing optional.
QJsonObject candidateBody(const QString &email);
// A multipart create body with the same fields and a PDF resume in part "resume".
MultipartBuilder candidateMultipart(const QString &email, const QByteArray &fileName = "resume.pdf",
                                    const QByteArray &fileData = minimalPdf());

// The messages under a field of a 400 body ([] when the field is absent or not a list).
QStringList fieldMessages(const QJsonObject &errors, const QString &field);
// RFC 3339 in UTC with the "Z" designator, e.g. "2026-11-29T12:00:00Z" (fractions allowed).
bool isRfc3339Utc(const QString &text);
QDateTime parseUtc(const QString &text);
// Checks a candidate object against the contract's table (every field present
// with its type, talent_pool and job consistent with job_id, timestamps in RFC 3339
// UTC). Returns what is wrong, or an empty string.
QString candidateShapeProblem(const QJsonObject &candidate);
// The "id" of a JSON object body, -1 when absent.
qint64 idOf(const HttpResponse &response);

// Compact JSON text, canonical because QJsonObject keeps keys sorted: compares objects in QCOMPARE.
QByteArray compact(const QJsonObject &object);
QByteArray compact(const QJsonValue &value); // objects and arrays as themselves

// Percent-encodes a query value strictly (only RFC 3986 unreserved characters stay),
// so "+" and "@" in an address arrive as sent.
QString queryValue(const QString &value);

// One job of a seed file.
QJsonObject seedJob(int id, const QString &title, const QString &department,
                    const QString &location, const QString &status,
                    const QString &createdAt = QStringLiteral("2026-10-02T09:15:00Z"));
// Writes a seed jobs file (a JSON array) to dir/jobs.json and returns its path.
QString writeSeedJobs(const QString &dir, const QJsonArray &jobs);

// The path of a created candidate: "candidates/<id>/".
QString candidatePath(qint64 id);
// The Authorization header pair for a token.
QPair<QByteArray, QByteArray> tokenHeader(const QByteArray &token);

} // namespace cdesk::test
