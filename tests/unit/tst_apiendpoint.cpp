#include "api/ApiEndpoint.h"

#include <QTest>

using namespace Qt::StringLiterals;
using cdesk::ApiEndpoint;

class TestApiEndpoint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void url_withOrWithoutTrailingSlash_resolvesUnderBase_data()
    {
        QTest::addColumn<QString>("base");
        QTest::newRow("slash") << u"https://ats.example.com/api/v1/"_s;
        QTest::newRow("no slash") << u"https://ats.example.com/api/v1"_s;
    }
    void url_withOrWithoutTrailingSlash_resolvesUnderBase()
    {
        QFETCH(QString, base);
        const ApiEndpoint endpoint(QUrl(base), "t0k3n");
        QCOMPARE(endpoint.url(u"jobs/?page=2"_s).toString(),
                 u"https://ats.example.com/api/v1/jobs/?page=2"_s);
        QCOMPARE(endpoint.url(u"candidates/42/"_s).toString(),
                 u"https://ats.example.com/api/v1/candidates/42/"_s);
    }

    void problem_plainHttpToRemoteHost_isRefused()
    {
        const ApiEndpoint endpoint(QUrl(u"http://ats.example.com/api/v1"_s), "t0k3n");
        QVERIFY(!endpoint.problem().isEmpty());
        // The token is never put on a request that would travel unencrypted.
        QVERIFY(!endpoint.request(u"jobs/"_s).hasRawHeader("Authorization"));
    }

    void problem_plainHttpToLoopback_isAllowed_data()
    {
        QTest::addColumn<QString>("base");
        QTest::newRow("127.0.0.1") << u"http://127.0.0.1:8000/api/v1"_s;
        QTest::newRow("127.1.2.3") << u"http://127.1.2.3:8000/api/v1"_s;
        QTest::newRow("localhost") << u"http://localhost:8000/api/v1"_s;
        QTest::newRow("::1") << u"http://[::1]:8000/api/v1"_s;
    }
    void problem_plainHttpToLoopback_isAllowed()
    {
        QFETCH(QString, base);
        const ApiEndpoint endpoint { QUrl(base), "t0k3n" };
        QCOMPARE(endpoint.problem(), QString());
        QCOMPARE(endpoint.request(u"jobs/"_s).rawHeader("Authorization"), "Token t0k3n");
    }

    void request_neverFollowsRedirects()
    {
        const ApiEndpoint endpoint(QUrl(u"https://ats.example.com/api/v1"_s), "t0k3n");
        const QNetworkRequest request = endpoint.request(u"jobs/"_s);
        QCOMPARE(request.attribute(QNetworkRequest::RedirectPolicyAttribute).toInt(),
                 int(QNetworkRequest::ManualRedirectPolicy));
    }

    void request_toAnotherOrigin_carriesNoToken()
    {
        const ApiEndpoint endpoint(QUrl(u"https://ats.example.com/api/v1"_s), "t0k3n");
        const auto request
            = endpoint.request(QUrl(u"https://elsewhere.example.net/api/v1/jobs/?page=2"_s));
        QVERIFY(!request.hasRawHeader("Authorization"));
        const auto samePort
            = endpoint.request(QUrl(u"https://ats.example.com:8443/api/v1/jobs/"_s));
        QVERIFY(!samePort.hasRawHeader("Authorization"));
    }

    void problem_missingToken_isReported()
    {
        const ApiEndpoint endpoint(QUrl(u"https://ats.example.com/api/v1"_s), {});
        QVERIFY(!endpoint.problem().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestApiEndpoint)
#include "tst_apiendpoint.moc"
