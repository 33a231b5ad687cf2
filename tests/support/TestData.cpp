#include "TestData.h"

#include <QBuffer>
#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

namespace cdesk::test {

namespace {

QByteArray pdfWithPadding(const QByteArray &text, qsizetype padding)
{
    const QByteArray content = "BT /F1 18 Tf 72 720 Td (" + text + ") Tj ET\n";
    const QList<QByteArray> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + QByteArray::number(content.size()) + " >>\nstream\n" + content
            + "endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };

    QByteArray pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    if (padding > 0)
        pdf += '%' + QByteArray(padding - 2, ' ') + '\n';
    QList<qsizetype> offsets;
    for (qsizetype i = 0; i < objects.size(); ++i) {
        offsets.append(pdf.size());
        pdf += QByteArray::number(i + 1) + " 0 obj\n" + objects.at(i) + "\nendobj\n";
    }
    const qsizetype xref = pdf.size();
    pdf += "xref\n0 " + QByteArray::number(objects.size() + 1) + "\n";
    pdf += "0000000000 65535 f \n";
    for (const qsizetype offset : offsets)
        pdf += QByteArray::number(offset).rightJustified(10, '0') + " 00000 n \n";
    pdf += "trailer\n<< /Size " + QByteArray::number(objects.size() + 1) + " /Root 1 0 R >>\n";
    pdf += "startxref\n" + QByteArray::number(xref) + "\n%%EOF\n";
    return pdf;
}

} // namespace

QByteArray minimalPdf(const QByteArray &text, qsizetype totalSize)
{
    QByteArray pdf = pdfWithPadding(text, 0);
    if (totalSize <= 0 || totalSize == pdf.size())
        return pdf;
    // The padding moves startxref, whose digit count may change: converge.
    qsizetype padding = qMax<qsizetype>(2, totalSize - pdf.size());
    for (int attempt = 0; attempt < 4 && pdf.size() != totalSize; ++attempt) {
        pdf = pdfWithPadding(text, padding);
        padding += totalSize - pdf.size();
        if (padding < 2)
            break;
    }
    return pdf;
}

namespace {

void appendLittleEndian(QByteArray &out, quint64 value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((value >> (8 * i)) & 0xff));
}

} // namespace

QByteArray elfExecutable()
{
    constexpr quint64 base = 0x400000;
    constexpr int headerSize = 64;
    constexpr int programHeaderSize = 56;
    const QByteArray code("\xb8\x3c\x00\x00\x00" // mov eax, 60 (exit)
                          "\x31\xff" // xor edi, edi
                          "\x0f\x05", // syscall
                          9);
    const quint64 total = headerSize + programHeaderSize + quint64(code.size());

    QByteArray elf("\x7f"
                   "ELF\x02\x01\x01\x00",
                   8);
    elf.append(8, '\0'); // ABI version and padding
    appendLittleEndian(elf, 2, 2); // e_type: ET_EXEC
    appendLittleEndian(elf, 0x3e, 2); // e_machine: x86-64
    appendLittleEndian(elf, 1, 4); // e_version
    appendLittleEndian(elf, base + headerSize + programHeaderSize, 8); // e_entry
    appendLittleEndian(elf, headerSize, 8); // e_phoff
    appendLittleEndian(elf, 0, 8); // e_shoff
    appendLittleEndian(elf, 0, 4); // e_flags
    appendLittleEndian(elf, headerSize, 2); // e_ehsize
    appendLittleEndian(elf, programHeaderSize, 2); // e_phentsize
    appendLittleEndian(elf, 1, 2); // e_phnum
    appendLittleEndian(elf, 0, 6); // e_shentsize, e_shnum, e_shstrndx

    appendLittleEndian(elf, 1, 4); // p_type: PT_LOAD
    appendLittleEndian(elf, 5, 4); // p_flags: R X
    appendLittleEndian(elf, 0, 8); // p_offset
    appendLittleEndian(elf, base, 8); // p_vaddr
    appendLittleEndian(elf, base, 8); // p_paddr
    appendLittleEndian(elf, total, 8); // p_filesz
    appendLittleEndian(elf, total, 8); // p_memsz
    appendLittleEndian(elf, 0x1000, 8); // p_align
    elf += code;
    return elf;
}

QByteArray pngImage()
{
    return QByteArray::fromBase64(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDw"
        "AChwGA60e6kgAAAABJRU5ErkJggg==");
}

QString writeFile(const QString &dir, const QString &name, const QByteArray &data)
{
    if (!QDir().mkpath(dir))
        return {};
    const QString path = QDir(dir).absoluteFilePath(name);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return {};
    return path;
}

QStringList filesUnder(const QString &dir)
{
    QStringList result;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        result.append(it.next());
    return result;
}

QStringList filesWithContent(const QString &dir, const QByteArray &data)
{
    QStringList result;
    for (const QString &path : filesUnder(dir)) {
        QFile file(path);
        if (file.size() != data.size() || !file.open(QIODevice::ReadOnly))
            continue;
        if (file.readAll() == data)
            result.append(path);
    }
    return result;
}

QString uniqueEmail(const QString &prefix)
{
    static QAtomicInt counter;
    return QStringLiteral("%1.%2.%3@example.com")
        .arg(prefix)
        .arg(counter.fetchAndAddRelaxed(1) + 1)
        .arg(QCoreApplication::applicationPid());
}

QJsonObject candidateBody(const QString &email)
{
    return QJsonObject {
        { QStringLiteral("name"), QStringLiteral("Ada Lovelace") },
        { QStringLiteral("email"), email },
        { QStringLiteral("phone"), QStringLiteral("+44 20 7946 0958") },
        { QStringLiteral("resume_url"), QStringLiteral("https://example.com/cv/ada.pdf") },
    };
}

MultipartBuilder candidateMultipart(const QString &email, const QByteArray &fileName,
                                    const QByteArray &fileData)
{
    MultipartBuilder builder;
    builder.field("name", QByteArray("Ada Lovelace"))
        .field("email", email.toUtf8())
        .field("phone", QByteArray("+44 20 7946 0958"))
        .file("resume", fileName, "application/pdf", fileData);
    return builder;
}

QStringList fieldMessages(const QJsonObject &errors, const QString &field)
{
    QStringList result;
    const QJsonArray list = errors.value(field).toArray();
    for (const QJsonValue &value : list)
        result.append(value.toString());
    return result;
}

bool isRfc3339Utc(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$"));
    return pattern.match(text).hasMatch() && parseUtc(text).isValid();
}

QDateTime parseUtc(const QString &text)
{
    QDateTime result = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!result.isValid())
        result = QDateTime::fromString(text, Qt::ISODate);
    return result.toUTC();
}

QString candidateShapeProblem(const QJsonObject &candidate)
{
    QStringList problems;
    const auto expect = [&](const QString &key, bool ok, const char *what) {
        if (!candidate.contains(key))
            problems.append(key + QStringLiteral(" is missing"));
        else if (!ok)
            problems.append(key + QStringLiteral(" is not ") + QLatin1String(what));
    };
    const auto value = [&](const char *key) {
        return candidate.value(QLatin1String(key));
    };
    const auto stringOrNull = [&](const char *key) {
        return value(key).isString() || value(key).isNull();
    };

    expect(QStringLiteral("id"), value("id").isDouble() && value("id").toInteger() > 0,
           "a positive integer");
    for (const char *key : { "name", "email", "phone" })
        expect(QLatin1String(key), value(key).isString(), "a string");
    for (const char *key : { "resume_url", "source", "industry", "department" })
        expect(QLatin1String(key), stringOrNull(key), "a string or null");
    expect(QStringLiteral("job_id"), value("job_id").isDouble() || value("job_id").isNull(),
           "an integer or null");
    expect(QStringLiteral("custom_fields"),
           value("custom_fields").isObject() || value("custom_fields").isNull(),
           "an object or null");
    expect(QStringLiteral("talent_pool"), value("talent_pool").isBool(), "a boolean");

    const QJsonValue job = value("job");
    expect(QStringLiteral("job"),
           job.isNull()
               || (job.isObject() && job.toObject().value(QLatin1String("id")).isDouble()
                   && job.toObject().value(QLatin1String("title")).isString()),
           "null or {id, title}");
    const bool pooled = value("job_id").isNull();
    if (value("talent_pool").toBool() != pooled)
        problems.append(QStringLiteral("talent_pool disagrees with job_id"));
    if (job.isNull() != pooled
        || (!pooled
            && job.toObject().value(QLatin1String("id")).toInteger()
                != value("job_id").toInteger()))
        problems.append(QStringLiteral("job disagrees with job_id"));

    const QJsonValue file = value("resume_file");
    expect(QStringLiteral("resume_file"),
           file.isNull()
               || (file.isObject() && file.toObject().value(QLatin1String("filename")).isString()
                   && file.toObject().value(QLatin1String("size")).isDouble()
                   && file.toObject().value(QLatin1String("content_type")).isString()),
           "null or {filename, size, content_type}");
    for (const char *key : { "created_at", "updated_at" })
        expect(QLatin1String(key), isRfc3339Utc(value(key).toString()), "RFC 3339 UTC");

    if (problems.isEmpty())
        return {};
    return problems.join(QStringLiteral("; ")) + QStringLiteral(" in ")
        + QString::fromUtf8(compact(candidate));
}

qint64 idOf(const HttpResponse &response)
{
    const QJsonValue id = response.json().value(QLatin1String("id"));
    return id.isDouble() ? id.toInteger() : -1;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray compact(const QJsonValue &value)
{
    if (value.isObject())
        return compact(value.toObject());
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return compact(QJsonObject { { QStringLiteral("v"), value } });
}

QString queryValue(const QString &value)
{
    return QString::fromLatin1(value.toUtf8().toPercentEncoding());
}

QJsonObject seedJob(int id, const QString &title, const QString &department,
                    const QString &location, const QString &status, const QString &createdAt)
{
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("title"), title },
        { QStringLiteral("department"), department },
        { QStringLiteral("location"), location },
        { QStringLiteral("status"), status },
        { QStringLiteral("created_at"), createdAt },
    };
}

QString writeSeedJobs(const QString &dir, const QJsonArray &jobs)
{
    return writeFile(dir, QStringLiteral("jobs.json"), QJsonDocument(jobs).toJson());
}

QString candidatePath(qint64 id)
{
    return QStringLiteral("candidates/%1/").arg(id);
}

QPair<QByteArray, QByteArray> tokenHeader(const QByteArray &token)
{
    return { QByteArrayLiteral("Authorization"), "Token " + token };
}

QByteArray zipArchive(const QList<QPair<QString, QByteArray>> &entries)
{
    QBuffer buffer;
    buffer.open(QIODevice::ReadWrite);
    QuaZip zip(&buffer);
    if (!zip.open(QuaZip::mdCreate))
        return {};
    for (const auto &[name, data] : entries) {
        QuaZipFile file(&zip);
        // ODF wants its "mimetype" entry stored, not deflated, so readers can sniff it.
        const bool store = name == QLatin1String("mimetype");
        if (!file.open(QIODevice::WriteOnly, QuaZipNewInfo(name), nullptr, 0,
                       store ? 0 : Z_DEFLATED, store ? 0 : Z_DEFAULT_COMPRESSION))
            return {};
        file.write(data);
        file.close();
    }
    zip.close();
    return buffer.data();
}

static QByteArray xmlEscaped(const QString &text)
{
    return text.toHtmlEscaped().toUtf8();
}

QByteArray minimalDocx(const QString &text)
{
    QByteArray body;
    for (const QString &line : text.split(QLatin1Char('\n')))
        body += "<w:p><w:r><w:t xml:space=\"preserve\">" + xmlEscaped(line) + "</w:t></w:r></w:p>";
    return zipArchive({
        { QStringLiteral("[Content_Types].xml"),
          "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          "<Default Extension=\"rels\" "
          "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
          "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>" },
        { QStringLiteral("_rels/.rels"),
          "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
          "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>" },
        { QStringLiteral("word/document.xml"),
          "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
          "<w:body>"
              + body + "</w:body></w:document>" },
    });
}

QByteArray minimalOdt(const QString &text)
{
    QByteArray body;
    for (const QString &line : text.split(QLatin1Char('\n')))
        body += "<text:p>" + xmlEscaped(line) + "</text:p>";
    return zipArchive({
        { QStringLiteral("mimetype"), "application/vnd.oasis.opendocument.text" },
        { QStringLiteral("content.xml"),
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          "<office:document-content "
          "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
          "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
          "<office:body><office:text>"
              + body + "</office:text></office:body></office:document-content>" },
        { QStringLiteral("META-INF/manifest.xml"),
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          "<manifest:manifest "
          "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
          "manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" "
          "manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
          "<manifest:file-entry manifest:full-path=\"content.xml\" "
          "manifest:media-type=\"text/xml\"/></manifest:manifest>" },
    });
}

} // namespace cdesk::test
