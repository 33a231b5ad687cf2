// The sandbox driven by the real curl binary, the way a recruiter's IT person
// or a script would try it: a multipart create with a PDF read from disk, a
// Unicode filename, a JSON create, a retried create under one Idempotency-Key.

#include "SandboxFixture.h"
#include "TestData.h"

#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace cdesk::test;

namespace {

struct CurlResult
{
    int exitCode = -1;
    int status = 0;
    QByteArray body;
    QByteArray headers; // the response head as curl dumped it
    QByteArray errors; // curl's stderr
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString describe() const
    {
        return QStringLiteral("curl exit %1, HTTP %2: %3 %4")
            .arg(exitCode)
            .arg(status)
            .arg(QString::fromUtf8(errors.trimmed()), QString::fromUtf8(body.left(500)));
    }
};

} // namespace

class TestSandboxCurl : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void curl_multipartWithPdf_returns201WithCandidate();
    void curl_unicodeFilename_keepsNameAsGiven();
    void curl_jsonCreate_returns201();
    void curl_retryWithSameIdempotencyKey_isReplayed();
    void curl_listJobs_returns200();
    void curl_withoutToken_returns401WithChallenge();

private:
    CurlResult runCurl(const QStringList &arguments, bool withToken = true);
    QStringList formFields(const QString &email) const;

    QString m_curl;
    QTemporaryDir m_files;
    SandboxFixture m_sandbox;
    int m_calls = 0;
};

void TestSandboxCurl::initTestCase()
{
    m_curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (m_curl.isEmpty())
        QSKIP("curl is not installed (packaging/debian-packages.txt lists it)");
    QVERIFY(m_files.isValid());
    QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
}

CurlResult TestSandboxCurl::runCurl(const QStringList &arguments, bool withToken)
{
    const QString tag = QString::number(++m_calls);
    const QString bodyFile = m_files.filePath(QStringLiteral("body-") + tag);
    const QString headFile = m_files.filePath(QStringLiteral("head-") + tag);

    QStringList all {
        QStringLiteral("-sS"),     QStringLiteral("--noproxy"),
        QStringLiteral("*"),       QStringLiteral("--max-time"),
        QStringLiteral("60"),      QStringLiteral("-H"),
        QStringLiteral("Expect:"), // QtHttpServer 6.4 has no 100-continue
        QStringLiteral("-o"),      bodyFile,
        QStringLiteral("-D"),      headFile,
        QStringLiteral("-w"),      QStringLiteral("%{http_code}"),
    };
    if (withToken)
        all << QStringLiteral("-H")
            << QStringLiteral("Authorization: Token ") + QString::fromLatin1(m_sandbox.token());
    all += arguments;

    CurlResult result;
    QProcess curl;
    curl.start(m_curl, all);
    // Blocking is fine: the sandbox answers from its own thread.
    if (!curl.waitForFinished(90000)) {
        curl.kill();
        curl.waitForFinished(5000);
        result.errors = "curl did not finish";
        return result;
    }
    result.exitCode = curl.exitStatus() == QProcess::NormalExit ? curl.exitCode() : -1;
    result.status = curl.readAllStandardOutput().trimmed().toInt();
    result.errors = curl.readAllStandardError();
    QFile body(bodyFile);
    if (body.open(QIODevice::ReadOnly))
        result.body = body.readAll();
    QFile head(headFile);
    if (head.open(QIODevice::ReadOnly))
        result.headers = head.readAll();
    return result;
}

QStringList TestSandboxCurl::formFields(const QString &email) const
{
    return {
        QStringLiteral("-F"), QStringLiteral("name=Zoë Łukasiewicz"),
        QStringLiteral("-F"), QStringLiteral("email=") + email,
        QStringLiteral("-F"), QStringLiteral("phone=+48 22 123 45 67"),
    };
}

void TestSandboxCurl::curl_multipartWithPdf_returns201WithCandidate()
{
    const QByteArray pdf = minimalPdf("sent by curl");
    const QString path = writeFile(m_files.path(), QStringLiteral("resume.pdf"), pdf);
    QVERIFY(!path.isEmpty());
    const QString email = uniqueEmail(QStringLiteral("curl"));

    const CurlResult result = runCurl(
        formFields(email)
        + QStringList { QStringLiteral("-F"), QStringLiteral("source=curl"), QStringLiteral("-F"),
                        QStringLiteral("resume=@") + path + QStringLiteral(";type=application/pdf"),
                        m_sandbox.url(QStringLiteral("candidates/")).toString() });
    QVERIFY2(result.exitCode == 0 && result.status == 201, qPrintable(result.describe()));

    const QJsonObject candidate = result.json();
    const QString problem = candidateShapeProblem(candidate);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(candidate.value(QLatin1String("name")).toString(), QStringLiteral("Zoë Łukasiewicz"));
    QCOMPARE(candidate.value(QLatin1String("email")).toString(), email);
    QCOMPARE(candidate.value(QLatin1String("phone")).toString(),
             QStringLiteral("+48 22 123 45 67"));
    QCOMPARE(candidate.value(QLatin1String("source")).toString(), QStringLiteral("curl"));
    const QJsonObject file = candidate.value(QLatin1String("resume_file")).toObject();
    QCOMPARE(file.value(QLatin1String("filename")).toString(), QStringLiteral("resume.pdf"));
    QCOMPARE(file.value(QLatin1String("size")).toInteger(), pdf.size());
    QCOMPARE(file.value(QLatin1String("content_type")).toString(),
             QStringLiteral("application/pdf"));
    const qint64 id = candidate.value(QLatin1String("id")).toInteger();
    QCOMPARE(QString::fromUtf8(rawHeader(result.headers, "Location")),
             m_sandbox.url(candidatePath(id)).toString());
    QCOMPARE(filesWithContent(m_sandbox.dataDir(), pdf).size(), 1);
}

void TestSandboxCurl::curl_unicodeFilename_keepsNameAsGiven()
{
    const QString fileName = QStringLiteral("Résumé Zoë 李小龍 (final).pdf");
    const QByteArray pdf = minimalPdf("unicode name through curl");
    const QString path = writeFile(m_files.path(), fileName, pdf);
    QVERIFY(!path.isEmpty());

    const CurlResult result
        = runCurl(formFields(uniqueEmail(QStringLiteral("curlutf8")))
                  + QStringList { QStringLiteral("-F"),
                                  QStringLiteral("resume=@\"") + path
                                      + QStringLiteral("\";type=application/pdf"),
                                  m_sandbox.url(QStringLiteral("candidates/")).toString() });
    QVERIFY2(result.exitCode == 0 && result.status == 201, qPrintable(result.describe()));
    const QJsonObject file = result.json().value(QLatin1String("resume_file")).toObject();
    QCOMPARE(file.value(QLatin1String("filename")).toString(), fileName);
    QCOMPARE(file.value(QLatin1String("size")).toInteger(), pdf.size());
    QCOMPARE(filesWithContent(m_sandbox.dataDir(), pdf).size(), 1);
}

void TestSandboxCurl::curl_jsonCreate_returns201()
{
    const QString email = uniqueEmail(QStringLiteral("curljson"));
    QJsonObject body = candidateBody(email);
    body.insert(QStringLiteral("custom_fields"),
                QJsonObject {
                    { QStringLiteral("notes"), QStringLiteral("Sent with curl --data-binary") } });
    const QString path = writeFile(m_files.path(), QStringLiteral("candidate.json"), compact(body));
    QVERIFY(!path.isEmpty());

    const CurlResult result
        = runCurl({ QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                    QStringLiteral("--data-binary"), QStringLiteral("@") + path,
                    m_sandbox.url(QStringLiteral("candidates/")).toString() });
    QVERIFY2(result.exitCode == 0 && result.status == 201, qPrintable(result.describe()));
    QCOMPARE(result.json().value(QLatin1String("email")).toString(), email);
    QCOMPARE(compact(result.json().value(QLatin1String("custom_fields"))),
             compact(body.value(QLatin1String("custom_fields"))));
}

void TestSandboxCurl::curl_retryWithSameIdempotencyKey_isReplayed()
{
    // Each curl run picks its own multipart boundary: the retry's bytes differ,
    // its request does not, so it must be a replay and not a 422.
    const QString path
        = writeFile(m_files.path(), QStringLiteral("retry.pdf"), minimalPdf("retried by curl"));
    QVERIFY(!path.isEmpty());
    const QStringList arguments = formFields(uniqueEmail(QStringLiteral("curlretry")))
        + QStringList { QStringLiteral("-H"), QStringLiteral("Idempotency-Key: curl-retry-1"),
                        QStringLiteral("-F"),
                        QStringLiteral("resume=@") + path + QStringLiteral(";type=application/pdf"),
                        m_sandbox.url(QStringLiteral("candidates/")).toString() };

    const CurlResult first = runCurl(arguments);
    QVERIFY2(first.exitCode == 0 && first.status == 201, qPrintable(first.describe()));
    const CurlResult second = runCurl(arguments);
    QVERIFY2(second.exitCode == 0 && second.status == 201, qPrintable(second.describe()));
    QCOMPARE(rawHeader(second.headers, "Idempotent-Replayed"), QByteArrayLiteral("true"));
    QCOMPARE(compact(second.json()), compact(first.json()));
}

void TestSandboxCurl::curl_listJobs_returns200()
{
    const CurlResult result
        = runCurl({ m_sandbox.url(QStringLiteral("jobs/?status=all&page_size=5")).toString() });
    QVERIFY2(result.exitCode == 0 && result.status == 200, qPrintable(result.describe()));
    QVERIFY(result.json().value(QLatin1String("count")).toInteger() > 0);
    QVERIFY(result.json().value(QLatin1String("results")).toArray().size() <= 5);
}

void TestSandboxCurl::curl_withoutToken_returns401WithChallenge()
{
    const CurlResult result
        = runCurl({ m_sandbox.url(QStringLiteral("jobs/")).toString() }, /*withToken=*/false);
    QVERIFY2(result.exitCode == 0 && result.status == 401, qPrintable(result.describe()));
    QCOMPARE(rawHeader(result.headers, "WWW-Authenticate"), QByteArrayLiteral("Token"));
    QCOMPARE(result.json().value(QLatin1String("detail")).toString(),
             QStringLiteral("Authentication credentials were not provided."));
}

QTEST_GUILESS_MAIN(TestSandboxCurl)
#include "tst_sandbox_curl.moc"
