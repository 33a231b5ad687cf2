// The ApiClient over real HTTP against the sandbox on an ephemeral port: every
// error class, produced by the sandbox's fault knobs; the redirect that must
// never carry the token; the lost response that must not make a second
// candidate; the update that changes only what was edited.
#include "SandboxFixture.h"
#include "TestData.h"
#include "api/ApiClient.h"
#include "core/Clock.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

ApiResult run(ApiCall *call)
{
    QSignalSpy finished(call, &ApiCall::finished);
    if (!finished.wait(30000))
        return ApiResult::local(ApiError::LocalProblem, u"the call never finished"_s);
    return finished.first().first().value<ApiResult>();
}

} // namespace

class TestApiClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<cdesk::ApiResult>();
        QVERIFY(m_files.isValid());
        QJsonArray jobs;
        for (int i = 1; i <= 250; ++i)
            jobs.append(seedJob(i, u"Job %1"_s.arg(i), u"Engineering"_s, u"Pune"_s,
                                i == 250 ? u"closed"_s : u"open"_s));
        sandbox::Options options;
        options.seedJobsFile = writeSeedJobs(m_files.path(), jobs);
        options.maxResumeBytes = 2 * 1024 * 1024;
        QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));
        m_pdf = writeFile(m_files.path(), u"Asha Rao CV.pdf"_s, minimalPdf("Asha Rao"));
        QVERIFY(!m_pdf.isEmpty());
    }

    void init()
    {
        m_sandbox.setFaults({});
        m_client = std::make_unique<ApiClient>(&m_network, &m_clock);
        m_client->setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.token()));
    }

    void listJobs_followsNextAcrossPages()
    {
        const ApiResult r = run(m_client->listJobs());
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.jobs.size(), 249); // 250 seeded, one closed, 200 a page
    }

    void listJobs_acceptsCursorAndPlainArrayShapes_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::newRow("cursor") << u"cursor"_s;
        QTest::newRow("array") << u"array"_s;
    }
    void listJobs_acceptsCursorAndPlainArrayShapes()
    {
        QFETCH(QString, shape);
        sandbox::Faults faults;
        faults.listShape = shape;
        m_sandbox.setFaults(faults);
        const ApiResult r = run(m_client->listJobs());
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.jobs.size(), 249);
    }

    void create_multipart_streamsResume_andReportsProgress()
    {
        Candidate c = candidate(u"progress"_s);
        c.resumeFile = m_pdf;
        ApiCall *call = m_client->createCandidate(c, u"key-progress"_s);
        QSignalSpy progress(call, &ApiCall::uploadProgress);
        const ApiResult r = run(call);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QVERIFY(r.candidate);
        QCOMPARE(r.candidate->resumeFileName, u"Asha Rao CV.pdf"_s);
        QCOMPARE(r.candidate->candidate.email, c.email);
        QVERIFY(!progress.isEmpty());
        for (const auto &args : progress) // Qt's closing (0, 0) never reaches a progress bar
            QVERIFY(args.at(1).toLongLong() > 0);
        QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong());
    }

    // A server (or the proxy in front of it) that refuses a body by its
    // Content-Length answers 413 at once and closes the connection while
    // the upload is still going. That is "too large", not "cannot reach".
    void create_hugeUpload_413AndCloseMidUpload_isTooLarge()
    {
        const QString huge = m_files.filePath(u"huge.pdf"_s);
        {
            QFile f(huge);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray chunk = minimalPdf("Huge Resume");
            chunk.append(QByteArray(1024 * 1024 - chunk.size(), ' '));
            for (int i = 0; i < 60; ++i)
                f.write(chunk);
        }
        Candidate c = candidate(u"huge"_s);
        c.resumeFile = huge;
        const ApiResult r = run(m_client->createCandidate(c, u"key-huge"_s));
        QCOMPARE(r.error, ApiError::TooLarge);
        QVERIFY(!r.isRetryable());
        QVERIFY2(r.message.contains(u"plain text"_s), qPrintable(r.message));
    }

    // The same cut when the server is gone: the network, tried again later.
    void create_uploadCutAndServerGone_isNetwork()
    {
        QTcpServer swallow; // reads a little, then closes and stops listening
        QVERIFY(swallow.listen(QHostAddress::LocalHost));
        connect(&swallow, &QTcpServer::newConnection, this, [&swallow] {
            QTcpSocket *socket = swallow.nextPendingConnection();
            swallow.close();
            auto *received = new qint64(0);
            connect(socket, &QTcpSocket::destroyed, socket, [received] { delete received; });
            connect(socket, &QTcpSocket::readyRead, socket, [socket, received] {
                *received += socket->readAll().size();
                if (*received > 1024 * 1024) // part-way through the upload
                    socket->abort();
            });
        });
        const QString big = m_files.filePath(u"big-cut.pdf"_s);
        {
            QFile f(big);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(minimalPdf("Cut Resume"));
            f.write(QByteArray(8 * 1024 * 1024, ' '));
        }
        m_client->setEndpoint(ApiEndpoint(
            QUrl(u"http://127.0.0.1:%1/api/v1"_s.arg(swallow.serverPort())), m_sandbox.token()));
        Candidate c = candidate(u"cut"_s);
        c.resumeFile = big;
        const ApiResult r = run(m_client->createCandidate(c, u"key-cut"_s));
        QCOMPARE(r.error, ApiError::Network);
        QVERIFY(r.isRetryable());
    }

    // `next` is followed only on the API's own origin: another origin's list
    // is not the account's, whether or not it asks for a token.
    void listJobs_nextOnAnotherOrigin_isNotFollowed()
    {
        QTcpServer foreign;
        QVERIFY(foreign.listen(QHostAddress::LocalHost));
        int connections = 0;
        connect(&foreign, &QTcpServer::newConnection, this, [&] {
            ++connections;
            QTcpSocket *socket = foreign.nextPendingConnection();
            const QByteArray body = R"({"count":1,"next":null,"previous":null,"results":[)"
                                    R"({"id":666,"title":"Not yours","status":"open"}]})";
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                          + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
        sandbox::Faults faults;
        faults.nextOrigin = QUrl(u"http://localhost:%1"_s.arg(foreign.serverPort()));
        m_sandbox.setFaults(faults);
        const ApiResult r = run(m_client->listJobs());
        QCOMPARE(r.error, ApiError::BadResponse);
        QVERIFY2(r.message.contains(u"localhost"_s), qPrintable(r.message));
        QVERIFY(r.jobs.isEmpty());
        QCOMPARE(connections, 0);
    }

    void create_json_withResumeUrl_andCustomFields()
    {
        Candidate c = candidate(u"json"_s);
        c.resumeUrl = QUrl(u"https://files.example.com/cv.pdf"_s);
        c.customFields.insert(u"linkedin_url"_s, u"https://linkedin.com/in/asha"_s);
        c.jobId = 7;
        c.source = u"Referral"_s;
        const ApiResult r = run(m_client->createCandidate(c, u"key-json"_s));
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.candidate->candidate.resumeUrl, c.resumeUrl);
        QCOMPARE(r.candidate->candidate.customFields, c.customFields);
        QCOMPARE(r.candidate->candidate.jobId, std::optional<qint64>(7));
        QVERIFY(!r.candidate->talentPool);
    }

    void errors_fromTheServer_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<int>("error");
        QTest::newRow("401 bad token") << u"bad-token"_s << int(ApiError::BadToken);
        QTest::newRow("403 bad token (DRF without a challenge)")
            << u"bad-token-403"_s << int(ApiError::BadToken);
        QTest::newRow("403 read-only token") << u"read-only"_s << int(ApiError::NotAllowed);
        QTest::newRow("400 field errors") << u"bad-email"_s << int(ApiError::FieldErrors);
        QTest::newRow("413 json") << u"too-large"_s << int(ApiError::TooLarge);
        QTest::newRow("413 nginx html") << u"too-large-nginx"_s << int(ApiError::TooLarge);
        QTest::newRow("400 django bare") << u"too-large-django"_s << int(ApiError::TooLarge);
        QTest::newRow("429") << u"throttle"_s << int(ApiError::Throttled);
        QTest::newRow("500") << u"error-500"_s << int(ApiError::ServerError);
        QTest::newRow("503") << u"error-503"_s << int(ApiError::ServerError);
    }
    void errors_fromTheServer()
    {
        QFETCH(QString, setup);
        QFETCH(int, error);
        Candidate c = candidate(u"err-"_s + setup);
        sandbox::Faults faults;
        if (setup == u"bad-token"_s || setup == u"bad-token-403"_s) {
            m_client->setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), "0000000000"));
            faults.authFailureStatus = setup == u"bad-token"_s ? 401 : 403;
        } else if (setup == u"read-only"_s) {
            m_client->setEndpoint(ApiEndpoint(m_sandbox.baseUrl(), m_sandbox.readOnlyToken()));
        } else if (setup == u"bad-email"_s) {
            c.email = u"not-an-email"_s;
        } else if (setup.startsWith(u"too-large"_s)) {
            // Over the 2 MB limit, and over Django's 2.5 MB for the bare-400 style.
            c.resumeFile
                = writeFile(m_files.path(), u"big.pdf"_s, minimalPdf("big", 3 * 1024 * 1024));
            faults.tooLargeStyle = setup.endsWith(u"nginx"_s) ? u"nginx"_s
                : setup.endsWith(u"django"_s)                 ? u"django"_s
                                                              : u"json"_s;
        } else if (setup == u"throttle"_s) {
            faults.throttleNext = 1;
        } else if (setup.startsWith(u"error-"_s)) {
            faults.errorNext = 1;
            faults.errorStatus = setup.mid(6).toInt();
        }
        m_sandbox.setFaults(faults);
        const ApiResult r = run(m_client->createCandidate(c, u"key-"_s + setup));
        QCOMPARE(int(r.error), error);
        QVERIFY(!r.message.isEmpty());
        if (setup == u"bad-email"_s)
            QVERIFY(!r.fieldErrors.first(u"email"_s).isEmpty());
        if (setup == u"too-large"_s)
            QCOMPARE(r.serverLimitBytes, std::optional<qint64>(2 * 1024 * 1024));
        if (setup == u"throttle"_s)
            QCOMPARE(r.retryAfterSeconds, std::optional<qint64>(1));
        if (setup == u"error-503"_s)
            QVERIFY(r.isRetryable());
        if (setup == u"error-500"_s) // the server's trouble: tried again, a bounded number of times
            QVERIFY(r.isRetryable());
    }

    void getUnknown_isNotFound()
    {
        QCOMPARE(run(m_client->getCandidate(999999)).error, ApiError::NotFound);
    }

    void duplicate_carriesTheExistingId()
    {
        Candidate c = candidate(u"dup"_s);
        const ApiResult first = run(m_client->createCandidate(c, u"dup-1"_s));
        QVERIFY(first.ok());
        const ApiResult second = run(m_client->createCandidate(c, u"dup-2"_s));
        QCOMPARE(second.error, ApiError::Duplicate);
        QCOMPARE(second.existingId, std::optional<qint64>(first.candidate->id));
    }

    void timeout_isToldApartFromCancel()
    {
        sandbox::Faults faults;
        faults.latencyMs = 5000;
        m_sandbox.setFaults(faults);
        m_client->setTimeout(200);
        const ApiResult timedOut = run(m_client->getCandidate(1));
        QCOMPARE(timedOut.error, ApiError::Timeout);
        QVERIFY(timedOut.isRetryable());

        ApiCall *call = m_client->getCandidate(1);
        QSignalSpy finished(call, &ApiCall::finished);
        call->cancel();
        QVERIFY(finished.wait(10000) || finished.count() == 1);
        QCOMPARE(finished.first().first().value<ApiResult>().error, ApiError::Cancelled);
    }

    void refusedConnection_isNetworkError()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        m_client->setEndpoint(ApiEndpoint(QUrl(u"http://127.0.0.1:%1/api/v1"_s.arg(port)), "t"));
        const ApiResult r = run(m_client->listJobs());
        QCOMPARE(r.error, ApiError::Network);
        QVERIFY(r.isRetryable());
    }

    void httpsToAPlainServer_isTlsError()
    {
        m_client->setEndpoint(ApiEndpoint(
            QUrl(u"https://127.0.0.1:%1/api/v1"_s.arg(m_sandbox.port())), m_sandbox.token()));
        const ApiResult r = run(m_client->listJobs());
        QVERIFY2(r.error == ApiError::Tls || r.error == ApiError::Network, qPrintable(r.message));
        QVERIFY(!r.ok());
    }

    void plainHttpToARemoteHost_isRefusedBeforeSending()
    {
        m_client->setEndpoint(ApiEndpoint(QUrl(u"http://ats.example.com/api/v1"_s), "t0k3n"));
        const ApiResult r = run(m_client->createCandidate(candidate(u"insecure"_s), u"k"_s));
        QCOMPARE(r.error, ApiError::LocalProblem);
    }

    void redirectToAnotherOrigin_neverCarriesTheToken_andIsNeverSuccess()
    {
        QTcpServer elsewhere;
        QVERIFY(elsewhere.listen(QHostAddress::LocalHost));
        int connections = 0;
        QByteArray received;
        connect(&elsewhere, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = elsewhere.nextPendingConnection()) {
                ++connections;
                connect(s, &QTcpSocket::readyRead, s, [&, s] { received += s->readAll(); });
            }
        });
        sandbox::Faults faults;
        faults.redirectTo = QUrl(u"http://127.0.0.1:%1/"_s.arg(elsewhere.serverPort()));
        m_sandbox.setFaults(faults);
        const Candidate c = candidate(u"redirect"_s);
        const ApiResult r = run(m_client->createCandidate(c, u"key-redirect"_s));
        QCOMPARE(r.error, ApiError::Redirect);
        QVERIFY(r.redirectTarget.contains(QString::number(elsewhere.serverPort())));
        m_sandbox.setFaults({});
        QCOMPARE(connections, 0);
        QVERIFY(!received.contains(m_sandbox.token()));
        const ApiResult lookup = run(m_client->findByEmail(c.email));
        QVERIFY(lookup.ok());
        QCOMPARE(lookup.candidates.size(), 0);
    }

    void lostResponse_retriedWithTheSameKey_leavesOneCandidate()
    {
        const Candidate c = candidate(u"lost"_s);
        sandbox::Faults faults;
        faults.dropAfterCommitNext = 1;
        m_sandbox.setFaults(faults);
        ApiResult r = run(m_client->createCandidate(c, u"key-lost"_s));
        // Qt may re-send the POST by itself when the connection closes after the
        // request was read; either way the key makes the retry a replay.
        if (!r.ok()) {
            QVERIFY2(r.isRetryable(), qPrintable(r.message));
            r = run(m_client->createCandidate(c, u"key-lost"_s));
        }
        QVERIFY2(r.ok(), qPrintable(r.message));
        const ApiResult lookup = run(m_client->findByEmail(c.email));
        QVERIFY(lookup.ok());
        QCOMPARE(lookup.candidates.size(), 1);
        QCOMPARE(lookup.candidates.first().id, r.candidate->id);
    }

    void update_changesOnlyTheEditedFields()
    {
        Candidate c = candidate(u"update"_s);
        c.resumeFile = m_pdf;
        c.jobId = 3;
        c.source = u"Referral"_s;
        c.industry = u"IT services"_s;
        c.department = u"Engineering"_s;
        c.customFields.insert(u"notes"_s, u"Met at the meetup"_s);
        const ApiResult created = run(m_client->createCandidate(c, u"key-update"_s));
        QVERIFY2(created.ok(), qPrintable(created.message));

        Candidate edits;
        edits.phone = u"+91 91234 56789"_s;
        edits.industry = u"Finance"_s;
        const ApiResult updated = run(m_client->updateCandidate(
            created.candidate->id, edits, { CandidateField::Phone, CandidateField::Industry }));
        QVERIFY2(updated.ok(), qPrintable(updated.message));

        const ApiResult read = run(m_client->getCandidate(created.candidate->id));
        QVERIFY(read.ok());
        const Candidate &after = read.candidate->candidate;
        QCOMPARE(after.phone, edits.phone);
        QCOMPARE(after.industry, edits.industry);
        QCOMPARE(after.name, c.name);
        QCOMPARE(after.email, c.email);
        QCOMPARE(after.jobId, c.jobId);
        QCOMPARE(after.source, c.source);
        QCOMPARE(after.department, c.department);
        QCOMPARE(after.customFields, c.customFields);
        QCOMPARE(read.candidate->resumeFileName, u"Asha Rao CV.pdf"_s);
    }

    void findByEmail_withAPlus_findsExactlyThatAddress()
    {
        Candidate c = candidate(u"plus"_s);
        c.email = u"asha+jobs@example.com"_s;
        QVERIFY(run(m_client->createCandidate(c, u"key-plus"_s)).ok());
        const ApiResult found = run(m_client->findByEmail(u"Asha+Jobs@example.com"_s));
        QVERIFY(found.ok());
        QCOMPARE(found.candidates.size(), 1);
        QCOMPARE(found.candidates.first().candidate.email, c.email);
    }

private:
    Candidate candidate(const QString &tag)
    {
        Candidate c;
        c.name = u"Asha Rao"_s;
        c.email = uniqueEmail(tag);
        c.phone = u"+91 98765 43210"_s;
        c.resumeUrl = QUrl(u"https://files.example.com/asha.pdf"_s);
        return c;
    }

    QTemporaryDir m_files;
    SandboxFixture m_sandbox;
    QNetworkAccessManager m_network;
    FakeClock m_clock;
    std::unique_ptr<ApiClient> m_client;
    QString m_pdf;
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
