// The sandbox's candidate endpoints against the contract: create (JSON and
// multipart), read, list by email, full update, every field rule of the
// candidate table (lengths in characters, not UTF-16 units; no NUL or lone
// surrogate), resumes judged by content and size, and state that survives a
// restart (and orphan resume files that do not).

#include "SandboxFixture.h"
#include "SandboxStore.h"
#include "TestData.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QMap>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace cdesk::test;

namespace {

constexpr int openJobId = 1;
constexpr int closedJobId = 2;
constexpr int secondOpenJobId = 3;

QJsonArray testSeed()
{
    return QJsonArray {
        seedJob(openJobId, QStringLiteral("Backend Engineer"), QStringLiteral("Engineering"),
                QStringLiteral("Bengaluru"), QStringLiteral("open")),
        seedJob(closedJobId, QStringLiteral("Office Manager"), QStringLiteral("Operations"),
                QStringLiteral("Berlin"), QStringLiteral("closed")),
        seedJob(secondOpenJobId, QStringLiteral("Product Designer"), QStringLiteral("Design"),
                QStringLiteral("Remote"), QStringLiteral("open")),
    };
}

QString repeated(QChar c, int count)
{
    return QString(count, c);
}

// count times U+1F600, one character each but two UTF-16 units.
QString emoji(int count)
{
    return QStringLiteral("\U0001F600").repeated(count);
}

// The JSON text of body with the member key set to rawValue, JSON text sent as
// written: for escapes QJsonDocument never writes, such as a lone surrogate.
QByteArray withRawMember(QJsonObject body, const QString &key, const QByteArray &rawValue)
{
    body.remove(key);
    QByteArray json = compact(body);
    json.insert(1, '"' + key.toUtf8() + "\":" + rawValue + (body.isEmpty() ? "" : ","));
    return json;
}

// text in UTF-16 with its byte order mark.
QByteArray utf16WithBom(const QString &text, QStringConverter::Encoding encoding)
{
    QStringEncoder encode(encoding); // writes no byte order mark by itself
    const QByteArray bom
        = encoding == QStringConverter::Utf16LE ? QByteArray("\xFF\xFE") : QByteArray("\xFE\xFF");
    return bom + QByteArray(encode(text));
}

// An OpenDocument package whose "mimetype" entry (stored, first unless told
// otherwise) says mimetype: a spreadsheet, a template, or a text.
QByteArray odfPackage(const QByteArray &mimetype, bool mimetypeFirst = true)
{
    const QPair<QString, QByteArray> type { QStringLiteral("mimetype"), mimetype };
    const QPair<QString, QByteArray> content {
        QStringLiteral("content.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content "
        "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "office:version=\"1.2\"><office:body><office:spreadsheet/></office:body>"
        "</office:document-content>"
    };
    const QPair<QString, QByteArray> manifest {
        QStringLiteral("META-INF/manifest.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest "
        "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
        "manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" "
        "manifest:media-type=\""
            + mimetype + "\"/></manifest:manifest>"
    };
    return mimetypeFirst ? zipArchive({ type, content, manifest })
                         : zipArchive({ content, type, manifest });
}

// "0644 <path>" and the like, for failure messages.
QString modeOf(const QString &path)
{
    const QFileDevice::Permissions p = QFileInfo(path).permissions();
    const auto digit
        = [&](QFileDevice::Permission r, QFileDevice::Permission w, QFileDevice::Permission x) {
              return (p.testFlag(r) ? 4 : 0) + (p.testFlag(w) ? 2 : 0) + (p.testFlag(x) ? 1 : 0);
          };
    return QStringLiteral("0%1%2%3 %4")
        .arg(digit(QFileDevice::ReadOwner, QFileDevice::WriteOwner, QFileDevice::ExeOwner))
        .arg(digit(QFileDevice::ReadGroup, QFileDevice::WriteGroup, QFileDevice::ExeGroup))
        .arg(digit(QFileDevice::ReadOther, QFileDevice::WriteOther, QFileDevice::ExeOther))
        .arg(path);
}

QJsonObject manyCustomFields(int count)
{
    QJsonObject fields;
    for (int i = 0; i < count; ++i)
        fields.insert(QStringLiteral("k%1").arg(i).leftJustified(64, QLatin1Char('_')),
                      repeated(QLatin1Char('v'), 2000));
    return fields;
}

} // namespace

class TestSandboxCandidates : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // create
    void create_json_returns201WithCandidateAndLocation();
    void create_withoutJob_isInTalentPool();
    void create_withoutSource_defaultsToApi();
    void create_withNullSource_keepsNull();
    void create_unknownField_isIgnored();
    void create_name_isTrimmed();
    void create_email_storesDomainLowerCased();
    void create_email_isTrimmed();
    void create_validEdgeValues_returns201_data();
    void create_validEdgeValues_returns201();
    void create_invalidField_returns400WithMessage_data();
    void create_invalidField_returns400WithMessage();
    void create_forbiddenCharacter_returns400WithMessage_data();
    void create_forbiddenCharacter_returns400WithMessage();
    void create_escapedSurrogatePair_countsAsOneCharacter();
    void create_emptyBody_returns400RequiredFields_data();
    void create_emptyBody_returns400RequiredFields();
    void create_withForeignHostHeader_locationUsesTheSandboxOrigin();
    void create_multipart_withResume_returns201WithResumeFile();
    void create_multipart_storesResumeOnDiskByContent();
    void create_multipart_withResumeUrlOnly_returns201();
    void create_multipart_withJobAndCustomFields_storesThem();
    void create_multipart_invalidField_returns400WithMessage_data();
    void create_multipart_invalidField_returns400WithMessage();
    void create_unicodeFilename_keepsNameAsGiven();
    void create_rfc5987Filename_isDecoded();
    void create_filenameWithPath_neverWritesOutsideDataDir();
    void create_acceptedResumeType_returns201_data();
    void create_acceptedResumeType_returns201();
    void create_refusedResumeContent_returns400_data();
    void create_refusedResumeContent_returns400();
    void create_emptyResume_returns400Empty();
    void create_resumeFile_isReadableByItsOwnerOnly();
    void create_resumeOverDefaultLimit_returns413();
    void create_resumeAtConfiguredLimit_isAcceptedAndOneByteMoreIsNot();
    void create_bodyFarOverTheLimit_returns413();
    void update_withResumeOverTheLimit_returns413AndKeepsTheOldOne();

    // read
    void read_existing_returnsTheCreatedCandidate();
    void read_unknownId_returns404NotFound();
    void list_byEmail_matchesCaseInsensitively();
    void list_byUnknownEmail_returnsEmptyPage();
    void list_withEmptyEmailFilter_listsEveryone_data();
    void list_withEmptyEmailFilter_listsEveryone();
    void list_byEmail_readsPlusInTheQueryAsASpace_data();
    void list_byEmail_readsPlusInTheQueryAsASpace();

    // update
    void update_fullRecord_returns200WithTheEdits();
    void update_leavingOutOptionalFields_setsThemNull();
    void update_withoutResume_keepsStoredResumeFile();
    void update_withoutResume_keepsStoredResumeUrl();
    void update_withNewResumeFile_replacesTheResume();
    void update_missingRequiredField_returns400();
    void update_unknownId_returns404();
    void update_toAnotherCandidatesEmail_returns409WithTheirId();
    void update_ownEmailInOtherCase_returns200();
    void update_withFrozenClock_movesUpdatedAtOnly();
    void update_withNullCharacter_returns400AndKeepsTheRecord();
    void update_moveToClosedJob_returns400JobClosed();
    void update_keepingAJobThatHasClosedSince_returns200();

    // restart
    void restart_keepsCandidatesResumesAndJobs();
    void restart_keepsIdempotencyKeysAndNeverReusesIds();
    void restart_removesOrphanResumeFilesAndKeepsReferencedOnes();

private:
    HttpResponse create(const QJsonObject &body, const HeaderList &headers = {});
    HttpResponse createMultipart(const MultipartBuilder &builder);
    HttpResponse putMultipart(qint64 id, const MultipartBuilder &builder);
    HttpResponse read(qint64 id);

    QTemporaryDir m_seedDir;
    QString m_seedFile;
    QTemporaryDir m_files; // resumes written by the tests
    SandboxFixture m_sandbox;
    std::unique_ptr<HttpClient> m_client;
};

void TestSandboxCandidates::initTestCase()
{
    QVERIFY(m_seedDir.isValid());
    QVERIFY(m_files.isValid());
    m_seedFile = writeSeedJobs(m_seedDir.path(), testSeed());
    QVERIFY(!m_seedFile.isEmpty());
    cdesk::sandbox::Options options;
    options.seedJobsFile = m_seedFile;
    QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));
    m_client = std::make_unique<HttpClient>(m_sandbox.token());
}

HttpResponse TestSandboxCandidates::create(const QJsonObject &body, const HeaderList &headers)
{
    return m_client->postJson(m_sandbox.url(QStringLiteral("candidates/")), body, headers);
}

HttpResponse TestSandboxCandidates::createMultipart(const MultipartBuilder &builder)
{
    return m_client->send("POST", m_sandbox.url(QStringLiteral("candidates/")), builder.body(),
                          builder.contentType());
}

HttpResponse TestSandboxCandidates::putMultipart(qint64 id, const MultipartBuilder &builder)
{
    return m_client->send("PUT", m_sandbox.url(candidatePath(id)), builder.body(),
                          builder.contentType());
}

HttpResponse TestSandboxCandidates::read(qint64 id)
{
    return m_client->get(m_sandbox.url(candidatePath(id)));
}

// --- create -------------------------------------------------------------------

void TestSandboxCandidates::create_json_returns201WithCandidateAndLocation()
{
    const QString email = uniqueEmail(QStringLiteral("full"));
    QJsonObject body = candidateBody(email);
    body.insert(QStringLiteral("job_id"), openJobId);
    body.insert(QStringLiteral("source"), QStringLiteral("LinkedIn"));
    body.insert(QStringLiteral("industry"), QStringLiteral("Software"));
    body.insert(QStringLiteral("department"), QStringLiteral("Platform"));
    const QJsonObject custom { { QStringLiteral("linkedin_url"),
                                 QStringLiteral("https://www.linkedin.com/in/ada") },
                               { QStringLiteral("notes"), QStringLiteral("Met at the meetup.") } };
    body.insert(QStringLiteral("custom_fields"), custom);

    const HttpResponse response = create(body);
    QCOMPARE(response.status, 201);
    const QJsonObject candidate = response.json();
    const QString problem = candidateShapeProblem(candidate);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    const qint64 id = idOf(response);
    QCOMPARE(QString::fromUtf8(response.header("Location")),
             m_sandbox.url(candidatePath(id)).toString());
    for (const QString &key :
         { QStringLiteral("name"), QStringLiteral("email"), QStringLiteral("phone"),
           QStringLiteral("resume_url"), QStringLiteral("source"), QStringLiteral("industry"),
           QStringLiteral("department") })
        QCOMPARE(candidate.value(key).toString(), body.value(key).toString());
    QCOMPARE(candidate.value(QLatin1String("job_id")).toInteger(), openJobId);
    QCOMPARE(candidate.value(QLatin1String("talent_pool")).toBool(), false);
    QCOMPARE(
        compact(candidate.value(QLatin1String("job"))),
        compact(QJsonObject { { QStringLiteral("id"), openJobId },
                              { QStringLiteral("title"), QStringLiteral("Backend Engineer") } }));
    QCOMPARE(compact(candidate.value(QLatin1String("custom_fields"))), compact(custom));
    QVERIFY(candidate.value(QLatin1String("resume_file")).isNull());
}

void TestSandboxCandidates::create_withoutJob_isInTalentPool()
{
    const HttpResponse response = create(candidateBody(uniqueEmail(QStringLiteral("pool"))));
    QCOMPARE(response.status, 201);
    const QJsonObject candidate = response.json();
    QVERIFY2(candidateShapeProblem(candidate).isEmpty(),
             qPrintable(candidateShapeProblem(candidate)));
    QVERIFY(candidate.value(QLatin1String("job_id")).isNull());
    QVERIFY(candidate.value(QLatin1String("job")).isNull());
    QCOMPARE(candidate.value(QLatin1String("talent_pool")).toBool(), true);

    QJsonObject explicitNull = candidateBody(uniqueEmail(QStringLiteral("pool")));
    explicitNull.insert(QStringLiteral("job_id"), QJsonValue::Null);
    const HttpResponse second = create(explicitNull);
    QCOMPARE(second.status, 201);
    QCOMPARE(second.json().value(QLatin1String("talent_pool")).toBool(), true);
}

void TestSandboxCandidates::create_withoutSource_defaultsToApi()
{
    const HttpResponse response = create(candidateBody(uniqueEmail(QStringLiteral("source"))));
    QCOMPARE(response.status, 201);
    QCOMPARE(response.json().value(QLatin1String("source")).toString(), QStringLiteral("API"));
    QVERIFY(response.json().value(QLatin1String("industry")).isNull());
    QVERIFY(response.json().value(QLatin1String("department")).isNull());
    QVERIFY(response.json().value(QLatin1String("custom_fields")).isNull());
}

void TestSandboxCandidates::create_withNullSource_keepsNull()
{
    // "absent: API" is a default; an explicit null is a value (DRF: allow_null).
    QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("source")));
    body.insert(QStringLiteral("source"), QJsonValue::Null);
    const HttpResponse response = create(body);
    QCOMPARE(response.status, 201);
    QVERIFY2(response.json().value(QLatin1String("source")).isNull(), response.body.constData());
}

void TestSandboxCandidates::create_unknownField_isIgnored()
{
    QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("unknown")));
    body.insert(QStringLiteral("favourite_colour"), QStringLiteral("teal"));
    body.insert(QStringLiteral("talent_pool"), false); // read-only: ignored too
    const HttpResponse response = create(body);
    QCOMPARE(response.status, 201);
    QVERIFY(!response.json().contains(QLatin1String("favourite_colour")));
    QCOMPARE(response.json().value(QLatin1String("talent_pool")).toBool(), true);
}

void TestSandboxCandidates::create_name_isTrimmed()
{
    QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("trim")));
    body.insert(QStringLiteral("name"), QStringLiteral("  Ada Lovelace \t"));
    const HttpResponse response = create(body);
    QCOMPARE(response.status, 201);
    QCOMPARE(response.json().value(QLatin1String("name")).toString(),
             QStringLiteral("Ada Lovelace"));
}

void TestSandboxCandidates::create_email_storesDomainLowerCased()
{
    const QString local = QStringLiteral("Grace.Hopper.%1").arg(QCoreApplication::applicationPid());
    const HttpResponse response
        = create(candidateBody(local + QStringLiteral("@Navy.EXAMPLE.com")));
    QCOMPARE(response.status, 201);
    QCOMPARE(response.json().value(QLatin1String("email")).toString(),
             local + QStringLiteral("@navy.example.com"));
}

void TestSandboxCandidates::create_email_isTrimmed()
{
    // DRF's EmailField trims whitespace like every CharField.
    const QString email = uniqueEmail(QStringLiteral("trimmed"));
    const HttpResponse response
        = create(candidateBody(QStringLiteral("  ") + email + QStringLiteral(" ")));
    QCOMPARE(response.status, 201);
    QCOMPARE(response.json().value(QLatin1String("email")).toString(), email);
}

void TestSandboxCandidates::create_validEdgeValues_returns201_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");

    QTest::newRow("name of 200 characters")
        << QStringLiteral("name") << QJsonValue(repeated(QLatin1Char('n'), 200));
    QTest::newRow("name of 200 characters in spaces")
        << QStringLiteral("name")
        << QJsonValue(QStringLiteral("  ") + repeated(QLatin1Char('n'), 200)
                      + QStringLiteral("  "));
    QTest::newRow("name in many scripts")
        << QStringLiteral("name") << QJsonValue(QStringLiteral("Zoë Łukasiewicz-李小龍 Ωμέγα"));
    // Lengths count characters (code points), as DRF does, not UTF-16 units.
    QTest::newRow("name of 150 emoji (300 UTF-16 units)")
        << QStringLiteral("name") << QJsonValue(emoji(150));
    QTest::newRow("name of 200 emoji") << QStringLiteral("name") << QJsonValue(emoji(200));
    QTest::newRow("source of 100 emoji") << QStringLiteral("source") << QJsonValue(emoji(100));
    QTest::newRow("custom_fields value of 2000 emoji")
        << QStringLiteral("custom_fields")
        << QJsonValue(QJsonObject { { QStringLiteral("notes"), emoji(2000) } });
    QTest::newRow("phone with punctuation")
        << QStringLiteral("phone") << QJsonValue(QStringLiteral("+1 (555) 010-0199"));
    QTest::newRow("phone with dots")
        << QStringLiteral("phone") << QJsonValue(QStringLiteral("+44.20.7946.0958"));
    QTest::newRow("phone with exactly 7 digits")
        << QStringLiteral("phone") << QJsonValue(QStringLiteral("1234567"));
    QTest::newRow("phone of 32 characters")
        << QStringLiteral("phone")
        << QJsonValue(QStringLiteral("+") + repeated(QLatin1Char('9'), 31));
    QTest::newRow("http resume_url")
        << QStringLiteral("resume_url") << QJsonValue(QStringLiteral("http://example.com/cv"));
    QTest::newRow("source of 100 characters")
        << QStringLiteral("source") << QJsonValue(repeated(QLatin1Char('s'), 100));
    QTest::newRow("industry of 100 characters")
        << QStringLiteral("industry") << QJsonValue(repeated(QLatin1Char('i'), 100));
    QTest::newRow("department of 100 characters")
        << QStringLiteral("department") << QJsonValue(repeated(QLatin1Char('d'), 100));
    QTest::newRow("null industry") << QStringLiteral("industry") << QJsonValue(QJsonValue::Null);
    QTest::newRow("null department")
        << QStringLiteral("department") << QJsonValue(QJsonValue::Null);
    QTest::newRow("null custom_fields")
        << QStringLiteral("custom_fields") << QJsonValue(QJsonValue::Null);
    QTest::newRow("empty custom_fields")
        << QStringLiteral("custom_fields") << QJsonValue(QJsonObject());
    QTest::newRow("50 custom fields at their largest")
        << QStringLiteral("custom_fields") << QJsonValue(manyCustomFields(50));
    QTest::newRow("open job") << QStringLiteral("job_id") << QJsonValue(secondOpenJobId);
}

void TestSandboxCandidates::create_validEdgeValues_returns201()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("edge")));
    body.insert(field, value);
    const HttpResponse response = create(body);
    QVERIFY2(response.status == 201, response.body.left(2000).constData());
    const QString problem = candidateShapeProblem(response.json());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    if (value.isString())
        QCOMPARE(response.json().value(field).toString(), value.toString().trimmed());
    if (value.isObject())
        QCOMPARE(compact(response.json().value(field)), compact(value));
}

void TestSandboxCandidates::create_invalidField_returns400WithMessage_data()
{
    // field to change (value Undefined: leave it out), the field the error is
    // under, and the exact message (empty: any message).
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("errorField");
    QTest::addColumn<QString>("message");

    const QJsonValue absent(QJsonValue::Undefined);
    const QJsonValue null(QJsonValue::Null);
    const QString required = QStringLiteral("This field is required.");
    const QString blank = QStringLiteral("This field may not be blank.");
    const QString notNull = QStringLiteral("This field may not be null.");
    const QString badEmail = QStringLiteral("Enter a valid email address.");
    const QString badPhone = QStringLiteral("Enter a valid phone number.");
    const QString badUrl = QStringLiteral("Enter a valid URL.");
    const QString over100 = QStringLiteral("Ensure this field has no more than 100 characters.");
    const QString provide = QStringLiteral("Provide a resume file or a resume_url.");
    const QString name = QStringLiteral("name");
    const QString email = QStringLiteral("email");
    const QString phone = QStringLiteral("phone");
    const QString resumeUrl = QStringLiteral("resume_url");
    const QString jobId = QStringLiteral("job_id");
    const QString custom = QStringLiteral("custom_fields");

    QTest::newRow("name missing") << name << absent << name << required;
    QTest::newRow("name empty") << name << QJsonValue(QString()) << name << blank;
    QTest::newRow("name only spaces") << name << QJsonValue(QStringLiteral("   ")) << name << blank;
    QTest::newRow("name null") << name << null << name << notNull;
    QTest::newRow("name of 201 characters")
        << name << QJsonValue(repeated(QLatin1Char('n'), 201)) << name
        << QStringLiteral("Ensure this field has no more than 200 characters.");
    QTest::newRow("name of 201 emoji")
        << name << QJsonValue(emoji(201)) << name
        << QStringLiteral("Ensure this field has no more than 200 characters.");

    QTest::newRow("email missing") << email << absent << email << required;
    QTest::newRow("email empty") << email << QJsonValue(QString()) << email << blank;
    QTest::newRow("email null") << email << null << email << notNull;
    QTest::newRow("email without @")
        << email << QJsonValue(QStringLiteral("plainaddress")) << email << badEmail;
    QTest::newRow("email without domain")
        << email << QJsonValue(QStringLiteral("ada@")) << email << badEmail;
    QTest::newRow("email without local part")
        << email << QJsonValue(QStringLiteral("@example.com")) << email << badEmail;
    QTest::newRow("email with a space")
        << email << QJsonValue(QStringLiteral("ada l@example.com")) << email << badEmail;
    QTest::newRow("email with two @")
        << email << QJsonValue(QStringLiteral("ada@@example.com")) << email << badEmail;
    QTest::newRow("email with a non-ASCII local part")
        << email << QJsonValue(QStringLiteral("zoë@example.com")) << email << badEmail;
    QTest::newRow("email of 255 characters")
        << email
        << QJsonValue(
               repeated(QLatin1Char('a'), 64) + QStringLiteral("@") + repeated(QLatin1Char('b'), 60)
               + QStringLiteral(".") + repeated(QLatin1Char('c'), 60) + QStringLiteral(".")
               + repeated(QLatin1Char('d'), 60) + QStringLiteral(".") + QStringLiteral("example"))
        << email << QString();

    QTest::newRow("phone missing") << phone << absent << phone << required;
    QTest::newRow("phone empty") << phone << QJsonValue(QString()) << phone << blank;
    QTest::newRow("phone null") << phone << null << phone << notNull;
    QTest::newRow("phone of 3 characters")
        << phone << QJsonValue(QStringLiteral("123")) << phone
        << QStringLiteral("Ensure this field has at least 4 characters.");
    QTest::newRow("phone of 33 characters")
        << phone << QJsonValue(repeated(QLatin1Char('1'), 33)) << phone
        << QStringLiteral("Ensure this field has no more than 32 characters.");
    QTest::newRow("phone with letters")
        << phone << QJsonValue(QStringLiteral("555-CALL-NOW")) << phone << badPhone;
    QTest::newRow("phone with a slash")
        << phone << QJsonValue(QStringLiteral("555/0100/99")) << phone << badPhone;
    QTest::newRow("phone with 6 digits")
        << phone << QJsonValue(QStringLiteral("12-34-56")) << phone << badPhone;
    QTest::newRow("phone with 5 digits")
        << phone << QJsonValue(QStringLiteral("12345")) << phone << badPhone;

    QTest::newRow("no resume and no resume_url")
        << resumeUrl << absent << QStringLiteral("resume") << provide;
    QTest::newRow("no resume and null resume_url")
        << resumeUrl << null << QStringLiteral("resume") << provide;
    QTest::newRow("resume_url not a URL")
        << resumeUrl << QJsonValue(QStringLiteral("not a url")) << resumeUrl << badUrl;
    QTest::newRow("resume_url relative")
        << resumeUrl << QJsonValue(QStringLiteral("/cv/ada.pdf")) << resumeUrl << badUrl;
    QTest::newRow("resume_url ftp")
        << resumeUrl << QJsonValue(QStringLiteral("ftp://example.com/cv.pdf")) << resumeUrl
        << badUrl;
    QTest::newRow("resume_url javascript")
        << resumeUrl << QJsonValue(QStringLiteral("javascript:alert(1)")) << resumeUrl << badUrl;

    QTest::newRow("job_id unknown") << jobId << QJsonValue(99) << jobId
                                    << QStringLiteral("Invalid pk \"99\" - object does not exist.");
    QTest::newRow("job_id of a closed job")
        << jobId << QJsonValue(closedJobId) << jobId << QStringLiteral("This job is closed.");
    // DRF's PrimaryKeyRelatedField: "received <Python type name>".
    const QString incorrectType = QStringLiteral("Incorrect type. Expected pk value, received %1.");
    QTest::newRow("job_id not a number") << jobId << QJsonValue(QStringLiteral("abc")) << jobId
                                         << incorrectType.arg(QLatin1String("str"));
    QTest::newRow("job_id a boolean")
        << jobId << QJsonValue(true) << jobId << incorrectType.arg(QLatin1String("bool"));
    QTest::newRow("job_id an object")
        << jobId << QJsonValue(QJsonObject { { QStringLiteral("id"), openJobId } }) << jobId
        << incorrectType.arg(QLatin1String("dict"));
    QTest::newRow("job_id a list") << jobId << QJsonValue(QJsonArray { openJobId }) << jobId
                                   << incorrectType.arg(QLatin1String("list"));

    QTest::newRow("source of 101 characters")
        << QStringLiteral("source") << QJsonValue(repeated(QLatin1Char('s'), 101))
        << QStringLiteral("source") << over100;
    QTest::newRow("industry of 101 characters")
        << QStringLiteral("industry") << QJsonValue(repeated(QLatin1Char('i'), 101))
        << QStringLiteral("industry") << over100;
    QTest::newRow("department of 101 characters")
        << QStringLiteral("department") << QJsonValue(repeated(QLatin1Char('d'), 101))
        << QStringLiteral("department") << over100;
    QTest::newRow("source of 101 emoji") << QStringLiteral("source") << QJsonValue(emoji(101))
                                         << QStringLiteral("source") << over100;

    QTest::newRow("custom_fields a string")
        << custom << QJsonValue(QStringLiteral("notes")) << custom << QString();
    QTest::newRow("custom_fields a list")
        << custom << QJsonValue(QJsonArray { 1, 2 }) << custom << QString();
    QTest::newRow("custom_fields key with capitals")
        << custom << QJsonValue(QJsonObject { { QStringLiteral("LinkedIn"), QStringLiteral("x") } })
        << custom << QString();
    QTest::newRow("custom_fields key with a dash")
        << custom
        << QJsonValue(QJsonObject { { QStringLiteral("linked-in"), QStringLiteral("x") } })
        << custom << QString();
    QTest::newRow("custom_fields empty key")
        << custom << QJsonValue(QJsonObject { { QString(), QStringLiteral("x") } }) << custom
        << QString();
    QTest::newRow("custom_fields key of 65 characters")
        << custom
        << QJsonValue(QJsonObject { { repeated(QLatin1Char('k'), 65), QStringLiteral("x") } })
        << custom << QString();
    QTest::newRow("custom_fields value of 2001 characters")
        << custom
        << QJsonValue(QJsonObject { { QStringLiteral("notes"), repeated(QLatin1Char('v'), 2001) } })
        << custom << QString();
    QTest::newRow("custom_fields value of 2001 emoji")
        << custom << QJsonValue(QJsonObject { { QStringLiteral("notes"), emoji(2001) } }) << custom
        << QString();
    QTest::newRow("custom_fields value a number")
        << custom << QJsonValue(QJsonObject { { QStringLiteral("age"), 42 } }) << custom
        << QString();
    QTest::newRow("custom_fields value null")
        << custom << QJsonValue(QJsonObject { { QStringLiteral("notes"), QJsonValue::Null } })
        << custom << QString();
    QTest::newRow("custom_fields value an object")
        << custom
        << QJsonValue(
               QJsonObject { { QStringLiteral("notes"),
                               QJsonObject { { QStringLiteral("a"), QStringLiteral("b") } } } })
        << custom << QString();
    QTest::newRow("custom_fields with 51 keys")
        << custom << QJsonValue(manyCustomFields(51)) << custom << QString();
}

void TestSandboxCandidates::create_invalidField_returns400WithMessage()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, errorField);
    QFETCH(QString, message);

    const QString email = uniqueEmail(QStringLiteral("invalid"));
    QJsonObject body = candidateBody(email);
    if (value.isUndefined())
        body.remove(field);
    else
        body.insert(field, value);

    const HttpResponse response = create(body);
    QVERIFY2(response.status == 400,
             qPrintable(QString::number(response.status) + QLatin1Char(' ')
                        + QString::fromUtf8(response.body.left(500))));
    QVERIFY2(response.isJson(), response.body.constData());
    const QJsonObject errors = response.json();
    QCOMPARE(errors.keys(), QStringList { errorField });
    const QStringList messages = fieldMessages(errors, errorField);
    QVERIFY2(!messages.isEmpty() && !messages.first().isEmpty(), response.body.constData());
    if (!message.isEmpty())
        QVERIFY2(messages.contains(message), response.body.constData());

    // Nothing was created.
    if (field != QLatin1String("email")) {
        const HttpResponse lookup = m_client->get(
            m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
        QCOMPARE(lookup.status, 200);
        QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 0);
    }
}

void TestSandboxCandidates::create_forbiddenCharacter_returns400WithMessage_data()
{
    // DRF's CharField refuses NUL (ProhibitNullCharactersValidator) and lone
    // surrogates (ProhibitSurrogateCharactersValidator). JSON can carry both as
    // escapes, so the body is written by hand.
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("rawValue"); // the member's JSON text, as sent
    QTest::addColumn<QString>("message"); // for custom_fields: part of the message

    const QString nul = QStringLiteral("Null characters are not allowed.");
    const QString surrogate = QStringLiteral("Surrogate characters are not allowed: U+%1.");
    const QString name = QStringLiteral("name");
    const QString custom = QStringLiteral("custom_fields");

    QTest::newRow("name with a lone high surrogate")
        << name << QByteArray(R"("A\ud800B")") << surrogate.arg(QLatin1String("D800"));
    QTest::newRow("name with a lone low surrogate")
        << name << QByteArray(R"("A\udc00B")") << surrogate.arg(QLatin1String("DC00"));
    QTest::newRow("name ending in a high surrogate")
        << name << QByteArray(R"("Ada\ud83d")") << surrogate.arg(QLatin1String("D83D"));
    QTest::newRow("name with a pair in the wrong order")
        << name << QByteArray(R"("\ude00\ud83d")") << surrogate.arg(QLatin1String("DE00"));
    QTest::newRow("name with a NUL") << name << QByteArray(R"("A\u0000B")") << nul;
    QTest::newRow("name of a NUL only") << name << QByteArray(R"("\u0000")") << nul;
    QTest::newRow("email with a NUL")
        << QStringLiteral("email") << QByteArray(R"("ada\u0000@example.com")") << nul;
    QTest::newRow("phone with a NUL")
        << QStringLiteral("phone") << QByteArray(R"("+44 20 7946\u00000958")") << nul;
    QTest::newRow("resume_url with a NUL")
        << QStringLiteral("resume_url") << QByteArray(R"("https://example.com/\u0000cv.pdf")")
        << nul;
    QTest::newRow("source with a trailing NUL")
        << QStringLiteral("source") << QByteArray(R"("LinkedIn\u0000")") << nul;
    QTest::newRow("industry with a lone surrogate")
        << QStringLiteral("industry") << QByteArray(R"("Soft\udfffware")")
        << surrogate.arg(QLatin1String("DFFF"));
    QTest::newRow("department of a lone surrogate only")
        << QStringLiteral("department") << QByteArray(R"("\ud800")")
        << surrogate.arg(QLatin1String("D800"));
    QTest::newRow("custom_fields value with a lone surrogate")
        << custom << QByteArray(R"({"notes": "A\ud800B"})") << surrogate.arg(QLatin1String("D800"));
    QTest::newRow("custom_fields value with a NUL")
        << custom << QByteArray(R"({"notes": "A\u0000B"})") << nul;
}

void TestSandboxCandidates::create_forbiddenCharacter_returns400WithMessage()
{
    QFETCH(QString, field);
    QFETCH(QByteArray, rawValue);
    QFETCH(QString, message);

    const QString email = uniqueEmail(QStringLiteral("forbidden"));
    const QByteArray body = withRawMember(candidateBody(email), field, rawValue);
    const HttpResponse response = m_client->send(
        "POST", m_sandbox.url(QStringLiteral("candidates/")), body, "application/json");
    QVERIFY2(response.status == 400,
             qPrintable(QString::number(response.status) + QLatin1Char(' ')
                        + QString::fromUtf8(response.body.left(500))));
    const QJsonObject errors = response.json();
    QCOMPARE(errors.keys(), QStringList { field });
    const QStringList messages = fieldMessages(errors, field);
    const bool found = field == QLatin1String("custom_fields")
        ? std::any_of(messages.cbegin(), messages.cend(),
                      [&](const QString &m) { return m.contains(message); })
        : messages.contains(message);
    QVERIFY2(found, response.body.constData());

    if (field != QLatin1String("email")) {
        const HttpResponse lookup = m_client->get(
            m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
        QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 0);
    }
}

void TestSandboxCandidates::create_escapedSurrogatePair_countsAsOneCharacter()
{
    // A pair written as escapes is one character, and fine.
    const QUrl url = m_sandbox.url(QStringLiteral("candidates/"));
    HttpResponse response
        = m_client->send("POST", url,
                         withRawMember(candidateBody(uniqueEmail(QStringLiteral("pair"))),
                                       QStringLiteral("name"), R"("Ada \ud83d\ude00")"),
                         "application/json");
    QVERIFY2(response.status == 201, response.body.constData());
    QCOMPARE(response.json().value(QLatin1String("name")).toString(),
             QStringLiteral("Ada ") + emoji(1));

    const QByteArray pairs = '"' + QByteArray(R"(\ud83d\ude00)").repeated(200) + '"';
    response = m_client->send("POST", url,
                              withRawMember(candidateBody(uniqueEmail(QStringLiteral("pair"))),
                                            QStringLiteral("name"), pairs),
                              "application/json");
    QVERIFY2(response.status == 201, response.body.left(500).constData());
    QCOMPARE(response.json().value(QLatin1String("name")).toString(), emoji(200));
}

void TestSandboxCandidates::create_emptyBody_returns400RequiredFields_data()
{
    // DRF reads an empty body (Content-Length 0) as empty data, whatever its
    // media type: the answer is the field errors, not a parse error.
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("POST, JSON") << QByteArray("POST") << QByteArray("application/json");
    QTest::newRow("POST, JSON with a charset")
        << QByteArray("POST") << QByteArray("application/json; charset=utf-8");
    QTest::newRow("POST, multipart")
        << QByteArray("POST") << QByteArray("multipart/form-data; boundary=xYzZY");
    QTest::newRow("PUT, JSON") << QByteArray("PUT") << QByteArray("application/json");
}

void TestSandboxCandidates::create_emptyBody_returns400RequiredFields()
{
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, contentType);
    QString path = QStringLiteral("candidates/");
    HttpResponse created;
    if (verb == "PUT") {
        created = create(candidateBody(uniqueEmail(QStringLiteral("emptyput"))));
        QCOMPARE(created.status, 201);
        path = candidatePath(idOf(created));
    }
    const HttpResponse response
        = m_client->send(verb, m_sandbox.url(path), QByteArray(), contentType);
    QVERIFY2(response.status == 400,
             qPrintable(QString::number(response.status) + QLatin1Char(' ')
                        + QString::fromUtf8(response.body.left(500))));
    const QJsonObject errors = response.json();
    QVERIFY2(!errors.contains(QLatin1String("detail")), response.body.constData());
    for (const char *field : { "name", "email", "phone" })
        QCOMPARE(fieldMessages(errors, QLatin1String(field)),
                 QStringList { QStringLiteral("This field is required.") });
    if (verb == "POST")
        QCOMPARE(fieldMessages(errors, QStringLiteral("resume")),
                 QStringList { QStringLiteral("Provide a resume file or a resume_url.") });
    else
        QCOMPARE(compact(read(idOf(created)).json()), compact(created.json()));
}

void TestSandboxCandidates::create_withForeignHostHeader_locationUsesTheSandboxOrigin()
{
    // Location is built from the sandbox's own origin: a Host header is the
    // client's to choose and must not steer where the link points.
    const QByteArray json = compact(candidateBody(uniqueEmail(QStringLiteral("host"))));
    const QByteArray request
        = "POST /api/v1/candidates/ HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Token "
        + m_sandbox.token() + "\r\nContent-Type: application/json\r\nContent-Length: "
        + QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" + json;
    const QByteArray response = rawExchange(m_sandbox.port(), request);
    QCOMPARE(rawStatus(response), 201);
    const qint64 id = QJsonDocument::fromJson(rawBody(response))
                          .object()
                          .value(QLatin1String("id"))
                          .toInteger();
    QCOMPARE(QString::fromUtf8(rawHeader(response, "Location")),
             m_sandbox.url(candidatePath(id)).toString());
}

void TestSandboxCandidates::create_multipart_withResume_returns201WithResumeFile()
{
    const QByteArray pdf = minimalPdf("multipart resume");
    const HttpResponse response
        = createMultipart(candidateMultipart(uniqueEmail(QStringLiteral("mp")), "resume.pdf", pdf));
    QCOMPARE(response.status, 201);
    const QJsonObject candidate = response.json();
    QVERIFY2(candidateShapeProblem(candidate).isEmpty(),
             qPrintable(candidateShapeProblem(candidate)));
    const qint64 id = idOf(response);
    QCOMPARE(QString::fromUtf8(response.header("Location")),
             m_sandbox.url(candidatePath(id)).toString());
    const QJsonObject file = candidate.value(QLatin1String("resume_file")).toObject();
    QCOMPARE(file.value(QLatin1String("filename")).toString(), QStringLiteral("resume.pdf"));
    QCOMPARE(file.value(QLatin1String("size")).toInteger(), pdf.size());
    QCOMPARE(file.value(QLatin1String("content_type")).toString(),
             QStringLiteral("application/pdf"));
    QCOMPARE(candidate.value(QLatin1String("source")).toString(), QStringLiteral("API"));
    QCOMPARE(candidate.value(QLatin1String("talent_pool")).toBool(), true);
}

void TestSandboxCandidates::create_multipart_storesResumeOnDiskByContent()
{
    const QByteArray pdf
        = minimalPdf("stored on disk " + QByteArray::number(QDateTime::currentMSecsSinceEpoch()));
    QVERIFY(filesWithContent(m_sandbox.dataDir(), pdf).isEmpty());
    const HttpResponse response
        = createMultipart(candidateMultipart(uniqueEmail(QStringLiteral("disk")), "cv.pdf", pdf));
    QCOMPARE(response.status, 201);
    const QStringList stored = filesWithContent(m_sandbox.dataDir(), pdf);
    QCOMPARE(stored.size(), 1);
    QVERIFY2(QFileInfo(stored.first())
                 .canonicalFilePath()
                 .startsWith(QDir(m_sandbox.dataDir()).canonicalPath() + QLatin1Char('/')),
             qPrintable(stored.first()));
}

void TestSandboxCandidates::create_multipart_withResumeUrlOnly_returns201()
{
    MultipartBuilder builder;
    builder.field("name", QByteArray("Ada Lovelace"))
        .field("email", uniqueEmail(QStringLiteral("mpurl")).toUtf8())
        .field("phone", QByteArray("+44 20 7946 0958"))
        .field("resume_url", QByteArray("https://example.com/cv/ada.pdf"));
    const HttpResponse response = createMultipart(builder);
    QCOMPARE(response.status, 201);
    QCOMPARE(response.json().value(QLatin1String("resume_url")).toString(),
             QStringLiteral("https://example.com/cv/ada.pdf"));
    QVERIFY(response.json().value(QLatin1String("resume_file")).isNull());
}

void TestSandboxCandidates::create_multipart_withJobAndCustomFields_storesThem()
{
    MultipartBuilder builder = candidateMultipart(uniqueEmail(QStringLiteral("mpjob")));
    builder.field("job_id", QByteArray::number(openJobId))
        .field("source", QByteArray("Referral"))
        .field("industry", QByteArray("Fintech"))
        .field("custom_fields", QByteArray(R"({"notes":"Prefers remote","github":"ada"})"));
    const HttpResponse response = createMultipart(builder);
    QCOMPARE(response.status, 201);
    const QJsonObject candidate = response.json();
    QVERIFY2(candidateShapeProblem(candidate).isEmpty(),
             qPrintable(candidateShapeProblem(candidate)));
    QCOMPARE(candidate.value(QLatin1String("job_id")).toInteger(), openJobId);
    QCOMPARE(candidate.value(QLatin1String("talent_pool")).toBool(), false);
    QCOMPARE(candidate.value(QLatin1String("source")).toString(), QStringLiteral("Referral"));
    QCOMPARE(candidate.value(QLatin1String("industry")).toString(), QStringLiteral("Fintech"));
    QCOMPARE(
        compact(candidate.value(QLatin1String("custom_fields"))),
        compact(QJsonObject { { QStringLiteral("github"), QStringLiteral("ada") },
                              { QStringLiteral("notes"), QStringLiteral("Prefers remote") } }));
}

void TestSandboxCandidates::create_multipart_invalidField_returns400WithMessage_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("withFile");
    QTest::addColumn<QString>("errorField");
    QTest::addColumn<QString>("message");

    QTest::newRow("name empty") << QByteArray("name") << QByteArray() << true
                                << QStringLiteral("name")
                                << QStringLiteral("This field may not be blank.");
    QTest::newRow("email invalid")
        << QByteArray("email") << QByteArray("nobody") << true << QStringLiteral("email")
        << QStringLiteral("Enter a valid email address.");
    QTest::newRow("phone with letters")
        << QByteArray("phone") << QByteArray("12ab567") << true << QStringLiteral("phone")
        << QStringLiteral("Enter a valid phone number.");
    QTest::newRow("job_id unknown")
        << QByteArray("job_id") << QByteArray("99") << true << QStringLiteral("job_id")
        << QStringLiteral("Invalid pk \"99\" - object does not exist.");
    QTest::newRow("job_id closed")
        << QByteArray("job_id") << QByteArray::number(closedJobId) << true
        << QStringLiteral("job_id") << QStringLiteral("This job is closed.");
    QTest::newRow("custom_fields not JSON") << QByteArray("custom_fields") << QByteArray("{notes")
                                            << true << QStringLiteral("custom_fields") << QString();
    QTest::newRow("custom_fields a JSON list")
        << QByteArray("custom_fields") << QByteArray("[\"a\"]") << true
        << QStringLiteral("custom_fields") << QString();
    QTest::newRow("resume as a text field, not a file")
        << QByteArray("resume") << QByteArray("%PDF-1.4 pretend") << false
        << QStringLiteral("resume") << QString();
    QTest::newRow("no file and no resume_url")
        << QByteArray("source") << QByteArray("Fair") << false << QStringLiteral("resume")
        << QStringLiteral("Provide a resume file or a resume_url.");
    QTest::newRow("name with a NUL byte")
        << QByteArray("name") << QByteArray("Ada\0Lovelace", 12) << true << QStringLiteral("name")
        << QStringLiteral("Null characters are not allowed.");
    QTest::newRow("custom_fields value with an escaped lone surrogate")
        << QByteArray("custom_fields") << QByteArray(R"({"notes": "A\udc00"})") << true
        << QStringLiteral("custom_fields") << QString();
}

void TestSandboxCandidates::create_multipart_invalidField_returns400WithMessage()
{
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, value);
    QFETCH(bool, withFile);
    QFETCH(QString, errorField);
    QFETCH(QString, message);

    const QMap<QByteArray, QByteArray> defaults {
        { "name", "Ada Lovelace" },
        { "email", uniqueEmail(QStringLiteral("mpinvalid")).toUtf8() },
        { "phone", "+44 20 7946 0958" },
    };
    MultipartBuilder builder;
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it) {
        if (it.key() != field)
            builder.field(it.key(), it.value());
    }
    builder.field(field, value);
    if (withFile)
        builder.file("resume", "resume.pdf", "application/pdf", minimalPdf());

    const HttpResponse response = createMultipart(builder);
    QVERIFY2(response.status == 400, response.body.constData());
    const QJsonObject errors = response.json();
    QCOMPARE(errors.keys(), QStringList { errorField });
    const QStringList messages = fieldMessages(errors, errorField);
    QVERIFY2(!messages.isEmpty() && !messages.first().isEmpty(), response.body.constData());
    if (!message.isEmpty())
        QVERIFY2(messages.contains(message), response.body.constData());
}

void TestSandboxCandidates::create_unicodeFilename_keepsNameAsGiven()
{
    const QString fileName = QStringLiteral("Résumé – Zoë 李小龍 (2026).pdf");
    const QByteArray pdf = minimalPdf("unicode file name");
    const HttpResponse response = createMultipart(
        candidateMultipart(uniqueEmail(QStringLiteral("unicode")), fileName.toUtf8(), pdf));
    QCOMPARE(response.status, 201);
    const QJsonObject file = response.json().value(QLatin1String("resume_file")).toObject();
    QCOMPARE(file.value(QLatin1String("filename")).toString(), fileName);

    const HttpResponse again = read(idOf(response));
    QCOMPARE(again.json()
                 .value(QLatin1String("resume_file"))
                 .toObject()
                 .value(QLatin1String("filename"))
                 .toString(),
             fileName);
    QCOMPARE(filesWithContent(m_sandbox.dataDir(), pdf).size(), 1);
}

void TestSandboxCandidates::create_rfc5987Filename_isDecoded()
{
    // RFC 7578 section 4.2 / RFC 5987: filename* carries the UTF-8 name percent-encoded.
    const QByteArray pdf = minimalPdf("filename star");
    MultipartBuilder builder;
    builder.field("name", QByteArray("Ada Lovelace"))
        .field("email", uniqueEmail(QStringLiteral("star")).toUtf8())
        .field("phone", QByteArray("+44 20 7946 0958"))
        .raw("--" + builder.boundary()
             + "\r\nContent-Disposition: form-data; name=\"resume\"; "
               "filename*=UTF-8''R%C3%A9sum%C3%A9%20Zo%C3%AB.pdf\r\n"
               "Content-Type: application/pdf\r\n\r\n"
             + pdf + "\r\n");
    const HttpResponse response = createMultipart(builder);
    QVERIFY2(response.status == 201, response.body.constData());
    QCOMPARE(response.json()
                 .value(QLatin1String("resume_file"))
                 .toObject()
                 .value(QLatin1String("filename"))
                 .toString(),
             QStringLiteral("Résumé Zoë.pdf"));
}

void TestSandboxCandidates::create_filenameWithPath_neverWritesOutsideDataDir()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString dataDir = root.filePath(QStringLiteral("a/b/data"));
    QVERIFY(QDir().mkpath(dataDir));
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.dataDir = dataDir;
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());

    const QByteArray pdf = minimalPdf("path traversal");
    int n = 0;
    for (const QByteArray &name :
         { QByteArray("../../../escaped.pdf"), QByteArray("/tmp/../escaped.pdf"),
           QByteArray("..\\..\\..\\escaped.pdf"), QByteArray("..") }) {
        const MultipartBuilder builder
            = candidateMultipart(QStringLiteral("traversal.%1@example.com").arg(++n), name, pdf);
        const HttpResponse response
            = client.send("POST", sandbox.url(QStringLiteral("candidates/")), builder.body(),
                          builder.contentType());
        QVERIFY2(response.status == 201 || response.status == 400, response.body.constData());
    }
    sandbox.stop();
    const QString inside = QDir(dataDir).canonicalPath() + QLatin1Char('/');
    for (const QString &path : filesUnder(root.path()))
        QVERIFY2(QFileInfo(path).canonicalFilePath().startsWith(inside), qPrintable(path));
    for (const QString &outside :
         { QStringLiteral("/tmp/escaped.pdf"), QStringLiteral("/escaped.pdf"),
           QDir::temp().filePath(QStringLiteral("escaped.pdf")) }) {
        QFile escaped(outside);
        if (escaped.open(QIODevice::ReadOnly))
            QVERIFY2(escaped.readAll() != pdf, qPrintable(outside));
    }
}

void TestSandboxCandidates::create_acceptedResumeType_returns201_data()
{
    QTest::addColumn<QByteArray>("fileName");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("PDF") << QByteArray("cv.pdf") << QByteArray("application/pdf") << minimalPdf();
    QTest::newRow("PDF sent as octet-stream")
        << QByteArray("cv.pdf") << QByteArray("application/octet-stream") << minimalPdf();
    QTest::newRow("plain text") << QByteArray("cv.txt") << QByteArray("text/plain")
                                << QByteArray("Ada Lovelace\nAnalyst, 1843\nada@example.com\n");
    QTest::newRow("plain text in UTF-8")
        << QByteArray("cv.txt") << QByteArray("text/plain; charset=utf-8")
        << QStringLiteral("Zoë Łukasiewicz\nInżynier oprogramowania\n").toUtf8();
    QTest::newRow("RTF") << QByteArray("cv.rtf") << QByteArray("application/rtf")
                         << QByteArray("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}"
                                       "\\f0\\fs24 Ada Lovelace\\par Analyst\\par}\n");
    QTest::newRow("DOCX") << QByteArray("cv.docx")
                          << QByteArray("application/vnd.openxmlformats-officedocument."
                                        "wordprocessingml.document")
                          << minimalDocx();
    QTest::newRow("ODT") << QByteArray("cv.odt")
                         << QByteArray("application/vnd.oasis.opendocument.text") << minimalOdt();
    QTest::newRow("DOCX named .pdf (an accepted type's name)")
        << QByteArray("cv.pdf") << QByteArray("application/pdf") << minimalDocx();
    QTest::newRow("PDF with no extension")
        << QByteArray("Ada Lovelace CV") << QByteArray("application/pdf") << minimalPdf();
    QTest::newRow("PDF whose name has an unknown dot part")
        << QByteArray("A.Lovelace") << QByteArray("application/pdf") << minimalPdf();
    const QString text = QStringLiteral("Zoë Łukasiewicz\r\nInżynier oprogramowania 😀\r\n");
    QTest::newRow("plain text in UTF-16LE with a byte order mark")
        << QByteArray("cv.txt") << QByteArray("text/plain; charset=utf-16")
        << utf16WithBom(text, QStringConverter::Utf16LE);
    QTest::newRow("plain text in UTF-16BE with a byte order mark")
        << QByteArray("cv.txt") << QByteArray("text/plain; charset=utf-16")
        << utf16WithBom(text, QStringConverter::Utf16BE);
}

void TestSandboxCandidates::create_acceptedResumeType_returns201()
{
    QFETCH(QByteArray, fileName);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, data);
    MultipartBuilder builder;
    builder.field("name", QByteArray("Ada Lovelace"))
        .field("email", uniqueEmail(QStringLiteral("type")).toUtf8())
        .field("phone", QByteArray("+44 20 7946 0958"))
        .file("resume", fileName, contentType, data);
    const HttpResponse response = createMultipart(builder);
    QVERIFY2(response.status == 201, response.body.constData());
    const QJsonObject file = response.json().value(QLatin1String("resume_file")).toObject();
    QCOMPARE(file.value(QLatin1String("filename")).toString(), QString::fromUtf8(fileName));
    QCOMPARE(file.value(QLatin1String("size")).toInteger(), data.size());
    QVERIFY(!file.value(QLatin1String("content_type")).toString().isEmpty());
}

void TestSandboxCandidates::create_refusedResumeContent_returns400_data()
{
    QTest::addColumn<QByteArray>("fileName");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("ELF executable named .pdf")
        << QByteArray("resume.pdf") << QByteArray("application/pdf") << elfExecutable();
    QTest::newRow("ELF executable named .txt")
        << QByteArray("resume.txt") << QByteArray("text/plain") << elfExecutable();
    QTest::newRow("PNG image named .pdf")
        << QByteArray("resume.pdf") << QByteArray("application/pdf") << pngImage();
    QTest::newRow("PNG image") << QByteArray("photo.png") << QByteArray("image/png") << pngImage();
    QTest::newRow("PDF named .exe") << QByteArray("cv.exe") << QByteArray("application/pdf")
                                    << minimalPdf("A PDF under an executable's name");
    QTest::newRow("zip that is not a document")
        << QByteArray("cv.docx") << QByteArray("application/zip")
        << zipArchive({ { QStringLiteral("notes.txt"), QByteArray("hello") } });

    // An OpenDocument package is a text only when its mimetype entry says so.
    const QByteArray odt = "application/vnd.oasis.opendocument.text";
    QTest::newRow("ODF spreadsheet named .odt")
        << QByteArray("cv.odt") << odt
        << odfPackage("application/vnd.oasis.opendocument.spreadsheet");
    QTest::newRow("ODF spreadsheet named .odt, mimetype not the first entry")
        << QByteArray("cv.odt") << odt
        << odfPackage("application/vnd.oasis.opendocument.spreadsheet", false);
    QTest::newRow("ODF text template named .odt")
        << QByteArray("cv.odt") << odt
        << odfPackage("application/vnd.oasis.opendocument.text-template");

    // Text, but under the name of a type that is no resume (text/html and
    // application/x-shellscript are kinds of text/plain to the MIME database).
    const QByteArray plain = "Grace Hopper\nRear Admiral, compilers\ngrace@example.com\n";
    QTest::newRow("plain text named .html")
        << QByteArray("x.html") << QByteArray("text/html") << plain;
    QTest::newRow("plain text named .sh")
        << QByteArray("x.sh") << QByteArray("text/plain") << plain;
    QTest::newRow("shell script named .sh")
        << QByteArray("x.sh") << QByteArray("application/x-shellscript")
        << QByteArray("#!/bin/sh\necho 'Ada Lovelace'\n");

    // A UTF-16 byte order mark promises UTF-16: what follows must decode.
    const QByteArray le = utf16WithBom(QStringLiteral("Ada Lovelace\n"), QStringConverter::Utf16LE);
    QTest::newRow("FF FE and one byte") << QByteArray("cv.txt") << QByteArray("text/plain")
                                        << QByteArray("\xFF\xFE"
                                                      "A");
    QTest::newRow("UTF-16LE with an odd number of bytes")
        << QByteArray("cv.txt") << QByteArray("text/plain") << (le + 'X');
    QTest::newRow("UTF-16LE with a lone low surrogate")
        << QByteArray("cv.txt") << QByteArray("text/plain")
        << (le + QByteArray("\x00\xDC", 2) + le.mid(2));
    QTest::newRow("UTF-16LE ending in a high surrogate")
        << QByteArray("cv.txt") << QByteArray("text/plain") << (le + QByteArray("\x3D\xD8", 2));
    QTest::newRow("UTF-16BE with a lone high surrogate")
        << QByteArray("cv.txt") << QByteArray("text/plain")
        << (utf16WithBom(QStringLiteral("Ada"), QStringConverter::Utf16BE)
            + QByteArray("\xD8\x00\x00L", 4));
    QTest::newRow("UTF-16LE of control characters")
        << QByteArray("cv.txt") << QByteArray("text/plain")
        << (le + QByteArray("\x01\x00\x02\x00\x1B\x00", 6));
}

void TestSandboxCandidates::create_refusedResumeContent_returns400()
{
    QFETCH(QByteArray, fileName);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, data);
    // Written to and read back from a real file, as a recruiter's would be.
    const QString path = writeFile(m_files.path(), QStringLiteral("refused.bin"), data);
    QVERIFY(!path.isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));

    const QString email = uniqueEmail(QStringLiteral("refused"));
    MultipartBuilder builder;
    builder.field("name", QByteArray("Ada Lovelace"))
        .field("email", email.toUtf8())
        .field("phone", QByteArray("+44 20 7946 0958"))
        .file("resume", fileName, contentType, file.readAll());
    const HttpResponse response = createMultipart(builder);
    QVERIFY2(response.status == 400, response.body.constData());
    const QStringList messages = fieldMessages(response.json(), QStringLiteral("resume"));
    QVERIFY2(!messages.isEmpty()
                 && messages.first().startsWith(QLatin1String("Unsupported file type")),
             response.body.constData());
    QVERIFY(filesWithContent(m_sandbox.dataDir(), data).isEmpty());
}

void TestSandboxCandidates::create_emptyResume_returns400Empty()
{
    const HttpResponse response = createMultipart(
        candidateMultipart(uniqueEmail(QStringLiteral("empty")), "resume.pdf", QByteArray()));
    QCOMPARE(response.status, 400);
    QCOMPARE(fieldMessages(response.json(), QStringLiteral("resume")),
             QStringList { QStringLiteral("The submitted file is empty.") });
}

void TestSandboxCandidates::create_resumeFile_isReadableByItsOwnerOnly()
{
#ifndef Q_OS_UNIX
    QSKIP("POSIX permissions only");
#else
    // Resumes are personal data: the data folder is 0700 and each file 0600.
    const QByteArray pdf
        = minimalPdf("owner only " + QByteArray::number(QCoreApplication::applicationPid()));
    const HttpResponse response
        = createMultipart(candidateMultipart(uniqueEmail(QStringLiteral("mode")), "cv.pdf", pdf));
    QCOMPARE(response.status, 201);
    const QStringList stored = filesWithContent(m_sandbox.dataDir(), pdf);
    QCOMPARE(stored.size(), 1);

    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
        | QFileDevice::ExeOther;
    for (const QString &path :
         { m_sandbox.dataDir(), QFileInfo(stored.first()).absolutePath(), stored.first() })
        QVERIFY2(!(QFileInfo(path).permissions() & others), qPrintable(modeOf(path)));
    QVERIFY2(QFileInfo(stored.first())
                 .permissions()
                 .testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner),
             qPrintable(modeOf(stored.first())));
#endif
}

void TestSandboxCandidates::create_resumeOverDefaultLimit_returns413()
{
    const qsizetype limit = 5 * 1024 * 1024;
    const QByteArray pdf = minimalPdf("too large", limit + 1);
    QCOMPARE(pdf.size(), limit + 1);
    const QString email = uniqueEmail(QStringLiteral("large"));
    const HttpResponse response = createMultipart(candidateMultipart(email, "large.pdf", pdf));
    QCOMPARE(response.status, 413);
    QCOMPARE(response.detail(), QStringLiteral("Resume file too large. Maximum size is 5 MB."));

    const HttpResponse lookup
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    QCOMPARE(lookup.json().value(QLatin1String("count")).toInteger(), 0);
    QVERIFY(filesWithContent(m_sandbox.dataDir(), pdf).isEmpty());
}

void TestSandboxCandidates::create_resumeAtConfiguredLimit_isAcceptedAndOneByteMoreIsNot()
{
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.maxResumeBytes = 1024 * 1024;
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());

    const QByteArray atLimit = minimalPdf("at the limit", options.maxResumeBytes);
    QCOMPARE(atLimit.size(), options.maxResumeBytes);
    MultipartBuilder builder
        = candidateMultipart(uniqueEmail(QStringLiteral("limit")), "cv.pdf", atLimit);
    HttpResponse response = client.send("POST", sandbox.url(QStringLiteral("candidates/")),
                                        builder.body(), builder.contentType());
    QVERIFY2(response.status == 201, response.body.left(500).constData());
    QCOMPARE(response.json()
                 .value(QLatin1String("resume_file"))
                 .toObject()
                 .value(QLatin1String("size"))
                 .toInteger(),
             options.maxResumeBytes);

    const QByteArray over = minimalPdf("over the limit", options.maxResumeBytes + 1);
    builder = candidateMultipart(uniqueEmail(QStringLiteral("limit")), "cv.pdf", over);
    response = client.send("POST", sandbox.url(QStringLiteral("candidates/")), builder.body(),
                           builder.contentType());
    QCOMPARE(response.status, 413);
    QCOMPARE(response.detail(), QStringLiteral("Resume file too large. Maximum size is 1 MB."));
}

void TestSandboxCandidates::create_bodyFarOverTheLimit_returns413()
{
    // "body or resume over the limit": a body much larger than the largest resume
    // is refused whatever its form, with the same message.
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.maxResumeBytes = 1024 * 1024;
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());

    QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("hugebody")));
    body.insert(QStringLiteral("industry"), QString(4 * 1024 * 1024, QLatin1Char('i')));
    const HttpResponse response = client.postJson(sandbox.url(QStringLiteral("candidates/")), body);
    QCOMPARE(response.status, 413);
    QCOMPARE(response.detail(), QStringLiteral("Resume file too large. Maximum size is 1 MB."));
}

void TestSandboxCandidates::update_withResumeOverTheLimit_returns413AndKeepsTheOldOne()
{
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.maxResumeBytes = 1024 * 1024;
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());

    const QString email = uniqueEmail(QStringLiteral("updlarge"));
    MultipartBuilder builder = candidateMultipart(email, "small.pdf", minimalPdf("small"));
    const HttpResponse created = client.send("POST", sandbox.url(QStringLiteral("candidates/")),
                                             builder.body(), builder.contentType());
    QCOMPARE(created.status, 201);

    builder
        = candidateMultipart(email, "large.pdf", minimalPdf("large", options.maxResumeBytes + 1));
    const HttpResponse response = client.send("PUT", sandbox.url(candidatePath(idOf(created))),
                                              builder.body(), builder.contentType());
    QCOMPARE(response.status, 413);
    QCOMPARE(response.detail(), QStringLiteral("Resume file too large. Maximum size is 1 MB."));
    const HttpResponse read = client.get(sandbox.url(candidatePath(idOf(created))));
    QCOMPARE(compact(read.json()), compact(created.json()));
}

// --- read ---------------------------------------------------------------------

void TestSandboxCandidates::read_existing_returnsTheCreatedCandidate()
{
    const HttpResponse created
        = createMultipart(candidateMultipart(uniqueEmail(QStringLiteral("read"))));
    QCOMPARE(created.status, 201);
    const HttpResponse response = read(idOf(created));
    QCOMPARE(response.status, 200);
    QCOMPARE(compact(response.json()), compact(created.json()));
}

void TestSandboxCandidates::read_unknownId_returns404NotFound()
{
    const HttpResponse response = read(987654321);
    QCOMPARE(response.status, 404);
    QCOMPARE(compact(response.json()),
             compact(QJsonObject { { QStringLiteral("detail"), QStringLiteral("Not found.") } }));
}

void TestSandboxCandidates::list_byEmail_matchesCaseInsensitively()
{
    const QString local = QStringLiteral("Ada.Byron+cv.%1").arg(QCoreApplication::applicationPid());
    const HttpResponse created = create(candidateBody(local + QStringLiteral("@Example.ORG")));
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);

    const QStringList queries = {
        local + QStringLiteral("@example.org"),
        local.toUpper() + QStringLiteral("@EXAMPLE.ORG"),
        local.toLower() + QStringLiteral("@Example.Org"),
    };
    for (const QString &query : queries) {
        const HttpResponse response = m_client->get(
            m_sandbox.url(QStringLiteral("candidates/?email=") + queryValue(query)));
        QCOMPARE(response.status, 200);
        const QJsonObject page = response.json();
        QCOMPARE(page.value(QLatin1String("count")).toInteger(), 1);
        QVERIFY(page.value(QLatin1String("next")).isNull());
        QVERIFY(page.value(QLatin1String("previous")).isNull());
        const QJsonArray results = page.value(QLatin1String("results")).toArray();
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().toObject().value(QLatin1String("id")).toInteger(), id);
        QCOMPARE(compact(results.first().toObject()), compact(created.json()));
    }
}

void TestSandboxCandidates::list_byUnknownEmail_returnsEmptyPage()
{
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=")
                                      + queryValue(QStringLiteral("nobody@nowhere.example"))));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(), 0);
    QVERIFY(response.json().value(QLatin1String("results")).toArray().isEmpty());
}

void TestSandboxCandidates::list_withEmptyEmailFilter_listsEveryone_data()
{
    // django-filter ignores an empty value (a form's CharField strips it first).
    QTest::addColumn<QString>("query");
    QTest::newRow("empty") << QStringLiteral("email=");
    QTest::newRow("spaces") << QStringLiteral("email=%20%20");
    QTest::newRow("plus signs (spaces)") << QStringLiteral("email=++");
}

void TestSandboxCandidates::list_withEmptyEmailFilter_listsEveryone()
{
    QFETCH(QString, query);
    QCOMPARE(create(candidateBody(uniqueEmail(QStringLiteral("everyone")))).status, 201);
    const HttpResponse all
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?page_size=200")));
    QCOMPARE(all.status, 200);
    const HttpResponse filtered
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?page_size=200&") + query));
    QCOMPARE(filtered.status, 200);
    const qint64 count = all.json().value(QLatin1String("count")).toInteger();
    QVERIFY(count > 0);
    QCOMPARE(filtered.json().value(QLatin1String("count")).toInteger(), count);
    QCOMPARE(compact(filtered.json().value(QLatin1String("results"))),
             compact(all.json().value(QLatin1String("results"))));
}

void TestSandboxCandidates::list_byEmail_readsPlusInTheQueryAsASpace_data()
{
    // Django reads the query string as a form: "+" is a space, "%2B" a plus.
    QTest::addColumn<QString>("email"); // as it goes into the query string
    QTest::addColumn<bool>("found");
    QTest::newRow("plus and at sign percent-encoded")
        << QStringLiteral("a%2Bb%40example.com") << true;
    QTest::newRow("plus percent-encoded, at sign as is")
        << QStringLiteral("a%2Bb@example.com") << true;
    QTest::newRow("upper case") << QStringLiteral("A%2BB%40EXAMPLE.COM") << true;
    QTest::newRow("a literal plus reads as a space") << QStringLiteral("a+b@example.com") << false;
    QTest::newRow("a literal plus, at sign encoded")
        << QStringLiteral("a+b%40example.com") << false;
}

void TestSandboxCandidates::list_byEmail_readsPlusInTheQueryAsASpace()
{
    QFETCH(QString, email);
    QFETCH(bool, found);
    const HttpResponse created = create(candidateBody(QStringLiteral("a+b@example.com")));
    QVERIFY2(created.status == 201 || created.status == 409, created.body.constData());
    const qint64 id = idOf(created);

    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("candidates/?email=") + email));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(), found ? 1 : 0);
    const QJsonArray results = response.json().value(QLatin1String("results")).toArray();
    QCOMPARE(results.size(), found ? 1 : 0);
    if (found)
        QCOMPARE(results.first().toObject().value(QLatin1String("id")).toInteger(), id);
}

// --- update -------------------------------------------------------------------

void TestSandboxCandidates::update_fullRecord_returns200WithTheEdits()
{
    QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("upd")));
    body.insert(QStringLiteral("source"), QStringLiteral("Fair"));
    const HttpResponse created = create(body);
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);

    QJsonObject edited = body;
    edited.insert(QStringLiteral("name"), QStringLiteral("Augusta Ada King"));
    edited.insert(QStringLiteral("email"), uniqueEmail(QStringLiteral("updnew")));
    edited.insert(QStringLiteral("phone"), QStringLiteral("+44 20 7946 0000"));
    edited.insert(QStringLiteral("job_id"), openJobId);
    edited.insert(QStringLiteral("source"), QStringLiteral("Referral"));
    edited.insert(QStringLiteral("industry"), QStringLiteral("Mathematics"));
    edited.insert(QStringLiteral("department"), QStringLiteral("Research"));
    edited.insert(QStringLiteral("custom_fields"),
                  QJsonObject { { QStringLiteral("notes"), QStringLiteral("Updated") } });
    const HttpResponse response = m_client->putJson(m_sandbox.url(candidatePath(id)), edited);
    QCOMPARE(response.status, 200);
    const QJsonObject candidate = response.json();
    QVERIFY2(candidateShapeProblem(candidate).isEmpty(),
             qPrintable(candidateShapeProblem(candidate)));
    QCOMPARE(idOf(response), id);
    for (const QString &key :
         { QStringLiteral("name"), QStringLiteral("email"), QStringLiteral("phone"),
           QStringLiteral("source"), QStringLiteral("industry"), QStringLiteral("department") })
        QCOMPARE(candidate.value(key).toString(), edited.value(key).toString());
    QCOMPARE(candidate.value(QLatin1String("talent_pool")).toBool(), false);
    QCOMPARE(
        candidate.value(QLatin1String("job")).toObject().value(QLatin1String("id")).toInteger(),
        openJobId);
    QCOMPARE(compact(read(id).json()), compact(candidate));
}

void TestSandboxCandidates::update_leavingOutOptionalFields_setsThemNull()
{
    QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("updnull")));
    body.insert(QStringLiteral("job_id"), openJobId);
    body.insert(QStringLiteral("industry"), QStringLiteral("Software"));
    body.insert(QStringLiteral("department"), QStringLiteral("Platform"));
    body.insert(QStringLiteral("custom_fields"),
                QJsonObject { { QStringLiteral("notes"), QStringLiteral("x") } });
    const HttpResponse created = create(body);
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);

    QJsonObject required;
    for (const char *key : { "name", "email", "phone" })
        required.insert(QLatin1String(key), body.value(QLatin1String(key)));
    const HttpResponse response = m_client->putJson(m_sandbox.url(candidatePath(id)), required);
    QCOMPARE(response.status, 200);
    const QJsonObject candidate = response.json();
    for (const char *key : { "job_id", "job", "industry", "department", "custom_fields" })
        QVERIFY2(candidate.value(QLatin1String(key)).isNull(), key);
    QCOMPARE(candidate.value(QLatin1String("talent_pool")).toBool(), true);
    // No resume and no resume_url: the stored resume is kept.
    QCOMPARE(candidate.value(QLatin1String("resume_url")).toString(),
             body.value(QLatin1String("resume_url")).toString());
    QCOMPARE(compact(read(id).json()), compact(candidate));
}

void TestSandboxCandidates::update_withoutResume_keepsStoredResumeFile()
{
    const QByteArray pdf = minimalPdf("kept on update");
    const HttpResponse created = createMultipart(
        candidateMultipart(uniqueEmail(QStringLiteral("keepfile")), "kept.pdf", pdf));
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);

    QJsonObject body;
    for (const char *key : { "name", "email", "phone" })
        body.insert(QLatin1String(key), created.json().value(QLatin1String(key)));
    body.insert(QStringLiteral("name"), QStringLiteral("Ada King"));
    HttpResponse response = m_client->putJson(m_sandbox.url(candidatePath(id)), body);
    QCOMPARE(response.status, 200);
    QCOMPARE(compact(response.json().value(QLatin1String("resume_file"))),
             compact(created.json().value(QLatin1String("resume_file"))));
    QCOMPARE(filesWithContent(m_sandbox.dataDir(), pdf).size(), 1);

    // The same through multipart without a file part.
    MultipartBuilder builder;
    builder.field("name", QByteArray("Ada K."))
        .field("email", body.value(QLatin1String("email")).toString().toUtf8())
        .field("phone", QByteArray("+44 20 7946 0958"));
    response = putMultipart(id, builder);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("name")).toString(), QStringLiteral("Ada K."));
    QCOMPARE(compact(response.json().value(QLatin1String("resume_file"))),
             compact(created.json().value(QLatin1String("resume_file"))));
}

void TestSandboxCandidates::update_withoutResume_keepsStoredResumeUrl()
{
    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("keepurl")));
    const HttpResponse created = create(body);
    QCOMPARE(created.status, 201);
    QJsonObject edit = body;
    edit.remove(QStringLiteral("resume_url"));
    edit.insert(QStringLiteral("phone"), QStringLiteral("+1 555 010 0199"));
    const HttpResponse response
        = m_client->putJson(m_sandbox.url(candidatePath(idOf(created))), edit);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("resume_url")).toString(),
             body.value(QLatin1String("resume_url")).toString());
    QCOMPARE(response.json().value(QLatin1String("phone")).toString(),
             QStringLiteral("+1 555 010 0199"));
}

void TestSandboxCandidates::update_withNewResumeFile_replacesTheResume()
{
    const HttpResponse created = createMultipart(candidateMultipart(
        uniqueEmail(QStringLiteral("replace")), "old.pdf", minimalPdf("old resume")));
    QCOMPARE(created.status, 201);
    const qint64 id = idOf(created);

    const QByteArray text = "Ada Lovelace\nNew resume, plain text.\n";
    MultipartBuilder builder;
    builder.field("name", QByteArray("Ada Lovelace"))
        .field("email", created.json().value(QLatin1String("email")).toString().toUtf8())
        .field("phone", QByteArray("+44 20 7946 0958"))
        .file("resume", "new.txt", "text/plain", text);
    const HttpResponse response = putMultipart(id, builder);
    QCOMPARE(response.status, 200);
    const QJsonObject file = response.json().value(QLatin1String("resume_file")).toObject();
    QCOMPARE(file.value(QLatin1String("filename")).toString(), QStringLiteral("new.txt"));
    QCOMPARE(file.value(QLatin1String("size")).toInteger(), text.size());
    QCOMPARE(filesWithContent(m_sandbox.dataDir(), text).size(), 1);
}

void TestSandboxCandidates::update_missingRequiredField_returns400()
{
    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("updreq")));
    const HttpResponse created = create(body);
    QCOMPARE(created.status, 201);
    QJsonObject edit = body;
    edit.remove(QStringLiteral("phone"));
    const HttpResponse response
        = m_client->putJson(m_sandbox.url(candidatePath(idOf(created))), edit);
    QCOMPARE(response.status, 400);
    QCOMPARE(fieldMessages(response.json(), QStringLiteral("phone")),
             QStringList { QStringLiteral("This field is required.") });
    QCOMPARE(compact(read(idOf(created)).json()), compact(created.json()));
}

void TestSandboxCandidates::update_unknownId_returns404()
{
    const HttpResponse response
        = m_client->putJson(m_sandbox.url(candidatePath(987654321)),
                            candidateBody(uniqueEmail(QStringLiteral("ghost"))));
    QCOMPARE(response.status, 404);
    QCOMPARE(response.detail(), QStringLiteral("Not found."));
}

void TestSandboxCandidates::update_toAnotherCandidatesEmail_returns409WithTheirId()
{
    const HttpResponse first = create(candidateBody(uniqueEmail(QStringLiteral("owner"))));
    const HttpResponse second = create(candidateBody(uniqueEmail(QStringLiteral("mover"))));
    QCOMPARE(first.status, 201);
    QCOMPARE(second.status, 201);
    QJsonObject edit
        = candidateBody(first.json().value(QLatin1String("email")).toString().toUpper());
    const HttpResponse response
        = m_client->putJson(m_sandbox.url(candidatePath(idOf(second))), edit);
    QCOMPARE(response.status, 409);
    QCOMPARE(response.detail(), QStringLiteral("A candidate with this email already exists."));
    QCOMPARE(idOf(response), idOf(first));
}

void TestSandboxCandidates::update_ownEmailInOtherCase_returns200()
{
    const QString email = uniqueEmail(QStringLiteral("self"));
    const HttpResponse created = create(candidateBody(email));
    QCOMPARE(created.status, 201);
    const QString local = email.section(QLatin1Char('@'), 0, 0);
    const HttpResponse response
        = m_client->putJson(m_sandbox.url(candidatePath(idOf(created))),
                            candidateBody(local.toUpper() + QStringLiteral("@EXAMPLE.COM")));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("email")).toString(),
             local.toUpper() + QStringLiteral("@example.com"));
}

void TestSandboxCandidates::update_withFrozenClock_movesUpdatedAtOnly()
{
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.seedJobsFile = m_seedFile;
    options.fixedNow = parseUtc(QStringLiteral("2026-11-29T12:00:00Z"));
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());

    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("clock")));
    const HttpResponse created = client.postJson(sandbox.url(QStringLiteral("candidates/")), body);
    QCOMPARE(created.status, 201);
    QCOMPARE(parseUtc(created.json().value(QLatin1String("created_at")).toString()),
             options.fixedNow);
    QCOMPARE(parseUtc(created.json().value(QLatin1String("updated_at")).toString()),
             options.fixedNow);

    HttpClient admin(sandbox.adminToken());
    const HttpResponse advanced = admin.putJson(
        sandbox.clockUrl(), QJsonObject { { QStringLiteral("advance_seconds"), 3600 } });
    QVERIFY2(advanced.status == 200, advanced.body.constData());

    const HttpResponse updated = client.putJson(sandbox.url(candidatePath(idOf(created))), body);
    QCOMPARE(updated.status, 200);
    const QString createdAt = updated.json().value(QLatin1String("created_at")).toString();
    const QString updatedAt = updated.json().value(QLatin1String("updated_at")).toString();
    QVERIFY2(isRfc3339Utc(createdAt) && isRfc3339Utc(updatedAt), updated.body.constData());
    QCOMPARE(parseUtc(createdAt), options.fixedNow);
    QCOMPARE(parseUtc(updatedAt), options.fixedNow.addSecs(3600));
}

void TestSandboxCandidates::update_withNullCharacter_returns400AndKeepsTheRecord()
{
    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("updnul")));
    const HttpResponse created = create(body);
    QCOMPARE(created.status, 201);
    const HttpResponse response = m_client->send(
        "PUT", m_sandbox.url(candidatePath(idOf(created))),
        withRawMember(body, QStringLiteral("name"), R"("Ada\u0000King")"), "application/json");
    QCOMPARE(response.status, 400);
    QCOMPARE(fieldMessages(response.json(), QStringLiteral("name")),
             QStringList { QStringLiteral("Null characters are not allowed.") });
    QCOMPARE(compact(read(idOf(created)).json()), compact(created.json()));
}

void TestSandboxCandidates::update_moveToClosedJob_returns400JobClosed()
{
    QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("toclosed")));
    body.insert(QStringLiteral("job_id"), openJobId);
    const HttpResponse onJob = create(body);
    QCOMPARE(onJob.status, 201);
    const HttpResponse inPool = create(candidateBody(uniqueEmail(QStringLiteral("toclosed"))));
    QCOMPARE(inPool.status, 201);

    for (const HttpResponse *created : { &onJob, &inPool }) {
        QJsonObject edit = candidateBody(created->json().value(QLatin1String("email")).toString());
        edit.insert(QStringLiteral("job_id"), closedJobId);
        const HttpResponse response
            = m_client->putJson(m_sandbox.url(candidatePath(idOf(*created))), edit);
        QCOMPARE(response.status, 400);
        QCOMPARE(fieldMessages(response.json(), QStringLiteral("job_id")),
                 QStringList { QStringLiteral("This job is closed.") });
        QCOMPARE(compact(read(idOf(*created)).json()), compact(created->json()));
    }
}

void TestSandboxCandidates::update_keepingAJobThatHasClosedSince_returns200()
{
    // The API can neither close a job nor map a candidate to a closed one. So,
    // with the sandbox stopped, its own store puts a candidate on closed job 2:
    // the state a candidate is in when its job closed after it was mapped.
    QTemporaryDir dataDir;
    QVERIFY(dataDir.isValid());
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.seedJobsFile = m_seedFile;
    options.dataDir = dataDir.path();
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString())); // schema and jobs
    sandbox.stop();

    const QString email = uniqueEmail(QStringLiteral("closedsince"));
    qint64 id = 0;
    {
        cdesk::sandbox::SandboxStore store(dataDir.path());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        cdesk::sandbox::CandidateRecord record;
        record.name = QStringLiteral("Ada Lovelace");
        record.email = email;
        record.phone = QStringLiteral("+44 20 7946 0958");
        record.resumeUrl = QStringLiteral("https://example.com/cv/ada.pdf");
        record.jobId = closedJobId;
        record.source = QStringLiteral("API");
        record.createdAt = record.updatedAt = parseUtc(QStringLiteral("2026-11-01T09:00:00Z"));
        QVERIFY2(store.insertCandidate(&record, &error), qPrintable(error));
        id = record.id;
    }

    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());
    const HttpResponse before = client.get(sandbox.url(candidatePath(id)));
    QCOMPARE(before.status, 200);
    QCOMPARE(before.json().value(QLatin1String("job_id")).toInteger(), closedJobId);

    // Editing other fields while keeping the job is fine.
    QJsonObject edit = candidateBody(email);
    edit.insert(QStringLiteral("name"), QStringLiteral("Ada King"));
    edit.insert(QStringLiteral("job_id"), closedJobId);
    HttpResponse response = client.putJson(sandbox.url(candidatePath(id)), edit);
    QVERIFY2(response.status == 200, response.body.constData());
    QCOMPARE(response.json().value(QLatin1String("name")).toString(), QStringLiteral("Ada King"));
    QCOMPARE(response.json().value(QLatin1String("job_id")).toInteger(), closedJobId);
    QCOMPARE(response.json()
                 .value(QLatin1String("job"))
                 .toObject()
                 .value(QLatin1String("title"))
                 .toString(),
             QStringLiteral("Office Manager"));

    // The job as a string, as multipart sends it, is the same job.
    MultipartBuilder builder;
    builder.field("name", QByteArray("Ada King"))
        .field("email", email.toUtf8())
        .field("phone", QByteArray("+44 20 7946 0958"))
        .field("job_id", QByteArray::number(closedJobId));
    response
        = client.send("PUT", sandbox.url(candidatePath(id)), builder.body(), builder.contentType());
    QVERIFY2(response.status == 200, response.body.constData());
    QCOMPARE(response.json().value(QLatin1String("job_id")).toInteger(), closedJobId);

    // Leaving it is fine too; coming back to it is a move to a closed job.
    edit.insert(QStringLiteral("job_id"), openJobId);
    response = client.putJson(sandbox.url(candidatePath(id)), edit);
    QCOMPARE(response.status, 200);
    edit.insert(QStringLiteral("job_id"), closedJobId);
    response = client.putJson(sandbox.url(candidatePath(id)), edit);
    QCOMPARE(response.status, 400);
    QCOMPARE(fieldMessages(response.json(), QStringLiteral("job_id")),
             QStringList { QStringLiteral("This job is closed.") });
}

// --- restart ------------------------------------------------------------------

void TestSandboxCandidates::restart_keepsCandidatesResumesAndJobs()
{
    SandboxFixture first;
    cdesk::sandbox::Options options;
    options.seedJobsFile = m_seedFile;
    QVERIFY2(first.start(options), qPrintable(first.errorString()));
    const QString dataDir = first.dataDir();

    QJsonObject candidate;
    const QByteArray pdf = minimalPdf("survives a restart");
    const QString email = uniqueEmail(QStringLiteral("restart"));
    {
        HttpClient client(first.token());
        MultipartBuilder builder = candidateMultipart(email, "Lebenslauf – Jürgen.pdf", pdf);
        builder.field("job_id", QByteArray::number(openJobId));
        const HttpResponse created = client.send("POST", first.url(QStringLiteral("candidates/")),
                                                 builder.body(), builder.contentType());
        QCOMPARE(created.status, 201);
        candidate = created.json();
    }
    first.stop();

    SandboxFixture second;
    options.dataDir = dataDir;
    QVERIFY2(second.start(options), qPrintable(second.errorString()));
    HttpClient client(second.token());
    const qint64 id = candidate.value(QLatin1String("id")).toInteger();

    const HttpResponse again = client.get(second.url(candidatePath(id)));
    QCOMPARE(again.status, 200);
    QCOMPARE(compact(again.json()), compact(candidate));
    const HttpResponse byEmail
        = client.get(second.url(QStringLiteral("candidates/?email=") + queryValue(email)));
    QCOMPARE(byEmail.json().value(QLatin1String("count")).toInteger(), 1);
    QCOMPARE(filesWithContent(dataDir, pdf).size(), 1);

    const HttpResponse jobs = client.get(second.url(QStringLiteral("jobs/?status=all")));
    QCOMPARE(jobs.status, 200);
    QCOMPARE(jobs.json().value(QLatin1String("count")).toInteger(), testSeed().size());

    const HttpResponse duplicate
        = client.postJson(second.url(QStringLiteral("candidates/")), candidateBody(email));
    QCOMPARE(duplicate.status, 409);
    QCOMPARE(idOf(duplicate), id);
}

void TestSandboxCandidates::restart_keepsIdempotencyKeysAndNeverReusesIds()
{
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.seedJobsFile = m_seedFile;
    // Keys are scoped to the token (IETF draft: per client), so keep the token across the restart.
    options.token = QByteArrayLiteral("0123456789abcdef0123456789abcdef01234567");
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));

    const QJsonObject body = candidateBody(uniqueEmail(QStringLiteral("restartkey")));
    const HeaderList key { { QByteArrayLiteral("Idempotency-Key"),
                             QByteArrayLiteral("restart-key-1") } };
    HttpResponse created;
    {
        HttpClient client(sandbox.token());
        created = client.postJson(sandbox.url(QStringLiteral("candidates/")), body, key);
        QCOMPARE(created.status, 201);
    }
    sandbox.stop();
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString())); // the same data folder
    HttpClient client(sandbox.token());

    const HttpResponse replay
        = client.postJson(sandbox.url(QStringLiteral("candidates/")), body, key);
    QCOMPARE(replay.status, 201);
    QCOMPARE(replay.header("Idempotent-Replayed"), QByteArrayLiteral("true"));
    QCOMPARE(compact(replay.json()), compact(created.json()));

    const HttpResponse next
        = client.postJson(sandbox.url(QStringLiteral("candidates/")),
                          candidateBody(uniqueEmail(QStringLiteral("restartkey"))));
    QCOMPARE(next.status, 201);
    QVERIFY(idOf(next) > idOf(created));
}

void TestSandboxCandidates::restart_removesOrphanResumeFilesAndKeepsReferencedOnes()
{
    QTemporaryDir dataDir;
    QVERIFY(dataDir.isValid());
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.seedJobsFile = m_seedFile;
    options.dataDir = dataDir.path();
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));

    const QByteArray pdf = minimalPdf("referenced, kept");
    HttpResponse created;
    {
        HttpClient client(sandbox.token());
        const MultipartBuilder builder
            = candidateMultipart(uniqueEmail(QStringLiteral("orphan")), "cv.pdf", pdf);
        created = client.send("POST", sandbox.url(QStringLiteral("candidates/")), builder.body(),
                              builder.contentType());
        QCOMPARE(created.status, 201);
    }
    sandbox.stop();

    // What a crash between writing a resume and committing its row leaves behind.
    const QString resumes = QDir(dataDir.path()).filePath(QStringLiteral("resumes"));
    QCOMPARE(filesWithContent(resumes, pdf).size(), 1);
    const QStringList orphans = {
        writeFile(resumes, QStringLiteral("orphan.bin"), "left behind by a crash"),
        writeFile(resumes, QStringLiteral("0f8fad5b-d9cb-469f-a165-70867728950e.bin"),
                  minimalPdf("never committed")),
    };
    for (const QString &orphan : orphans)
        QVERIFY(!orphan.isEmpty());
    // Only resumes/ is the sandbox's to tidy.
    const QString elsewhere = writeFile(dataDir.path(), QStringLiteral("notes.txt"), "mine");
    QVERIFY(!elsewhere.isEmpty());

    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    for (const QString &orphan : orphans)
        QVERIFY2(!QFileInfo::exists(orphan), qPrintable(orphan));
    QVERIFY(QFileInfo::exists(elsewhere));
    QCOMPARE(filesWithContent(resumes, pdf).size(), 1);
    QCOMPARE(filesUnder(resumes).size(), 1);

    HttpClient client(sandbox.token());
    const HttpResponse read = client.get(sandbox.url(candidatePath(idOf(created))));
    QCOMPARE(read.status, 200);
    QCOMPARE(compact(read.json()), compact(created.json()));
}

QTEST_GUILESS_MAIN(TestSandboxCandidates)
#include "tst_sandbox_candidates.moc"
