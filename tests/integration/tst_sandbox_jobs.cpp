// The sandbox's GET /jobs/ against the contract: DRF page-number pagination with
// absolute next/previous links on the sandbox's own origin, page_size default 50
// and max 200, page=last and an empty page as DRF reads them, the status filter,
// case-insensitive search (Unicode too, "+" read as a space), and 404
// "Invalid page." for any page past the end, however large.

#include "SandboxFixture.h"
#include "TestData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>

using namespace cdesk::test;

namespace {

const QStringList departments = {
    QStringLiteral("Engineering"), QStringLiteral("Sales"),  QStringLiteral("Design"),
    QStringLiteral("Finance"),     QStringLiteral("People"),
};
const QStringList locations = {
    QStringLiteral("Bengaluru"), QStringLiteral("Berlin"), QStringLiteral("São Paulo"),
    QStringLiteral("Zürich"),    QStringLiteral("Remote"),
};
const QStringList titles = {
    QStringLiteral("Backend Engineer"),   QStringLiteral("Account Executive"),
    QStringLiteral("Product Designer"),   QStringLiteral("Financial Analyst"),
    QStringLiteral("Data Scientist"),     QStringLiteral("Kubernetes Wrangler"),
    QStringLiteral("Recruiting Partner"),
};

constexpr int seedSize = 250; // more than the largest page (200)

QList<qint64> sorted(QList<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<qint64> idsOf(const QJsonArray &results)
{
    QList<qint64> ids;
    for (const QJsonValue &value : results)
        ids.append(value.toObject().value(QLatin1String("id")).toInteger());
    return ids;
}

} // namespace

class TestSandboxJobs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void list_default_returnsFirstFiftyOpenJobs();
    void list_nextAndPrevious_areAbsoluteUrlsOnTheSameOrigin();
    void list_followingNext_visitsEveryJobOnce_data();
    void list_followingNext_visitsEveryJobOnce();
    void list_next_keepsOtherQueryParameters();
    void list_lastPage_hasNoNext();
    void list_pageSize_isHonouredUpToTheMaximum_data();
    void list_pageSize_isHonouredUpToTheMaximum();
    void list_invalidPageSize_usesTheDefault_data();
    void list_invalidPageSize_usesTheDefault();
    void list_status_filtersJobs_data();
    void list_status_filtersJobs();
    void list_invalidStatus_returns400FieldError();
    void list_search_matchesTitleDepartmentLocationCaseInsensitively_data();
    void list_search_matchesTitleDepartmentLocationCaseInsensitively();
    void list_searchNonAscii_matchesCaseInsensitively_data();
    void list_searchNonAscii_matchesCaseInsensitively();
    void list_searchWithStatusAll_includesClosedJobs();
    void list_searchWithoutMatch_returnsEmptyFirstPage();
    void list_invalidPage_returns404InvalidPage_data();
    void list_invalidPage_returns404InvalidPage();
    void list_pageLast_returnsTheLastPage_data();
    void list_pageLast_returnsTheLastPage();
    void list_emptyPage_returnsTheFirstPage();
    void list_links_useTheSandboxOriginWhateverTheHostHeader_data();
    void list_links_useTheSandboxOriginWhateverTheHostHeader();
    void list_searchWithPlus_readsThePlusAsASpace_data();
    void list_searchWithPlus_readsThePlusAsASpace();
    void list_searchNonAsciiCapital_matchesCaseInsensitively_data();
    void list_searchNonAsciiCapital_matchesCaseInsensitively();
    void list_job_hasTheContractShape();
    void list_withReadOnlyToken_returnsJobs();
    void list_defaultSeed_hasOpenAndClosedJobsAcrossDepartments();

private:
    QList<qint64> expectedIds(const QString &status, const QString &search = {}) const;

    QTemporaryDir m_seedDir;
    QJsonArray m_seed;
    SandboxFixture m_sandbox;
    std::unique_ptr<HttpClient> m_client;
};

void TestSandboxJobs::initTestCase()
{
    QVERIFY(m_seedDir.isValid());
    const QDateTime first = parseUtc(QStringLiteral("2026-09-01T08:00:00Z"));
    for (int id = 1; id <= seedSize; ++id) {
        const QString status = id % 5 == 0 ? QStringLiteral("closed") : QStringLiteral("open");
        m_seed.append(seedJob(id,
                              QStringLiteral("%1 %2").arg(titles.at(id % titles.size())).arg(id),
                              departments.at((id / 3) % departments.size()),
                              locations.at((id / departments.size()) % locations.size()), status,
                              first.addSecs(qint64(id) * 3600).toString(Qt::ISODate)));
    }
    const QString seedFile = writeSeedJobs(m_seedDir.path(), m_seed);
    QVERIFY(!seedFile.isEmpty());

    cdesk::sandbox::Options options;
    options.seedJobsFile = seedFile;
    QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));
    m_client = std::make_unique<HttpClient>(m_sandbox.token());
}

QList<qint64> TestSandboxJobs::expectedIds(const QString &status, const QString &search) const
{
    QList<qint64> ids;
    for (const QJsonValue &value : m_seed) {
        const QJsonObject job = value.toObject();
        if (status != QLatin1String("all")
            && job.value(QLatin1String("status")).toString() != status)
            continue;
        if (!search.isEmpty()) {
            const bool hit
                = job.value(QLatin1String("title")).toString().contains(search, Qt::CaseInsensitive)
                || job.value(QLatin1String("department"))
                       .toString()
                       .contains(search, Qt::CaseInsensitive)
                || job.value(QLatin1String("location"))
                       .toString()
                       .contains(search, Qt::CaseInsensitive);
            if (!hit)
                continue;
        }
        ids.append(job.value(QLatin1String("id")).toInteger());
    }
    return sorted(ids);
}

void TestSandboxJobs::list_default_returnsFirstFiftyOpenJobs()
{
    const HttpResponse response = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(response.status, 200);
    QVERIFY2(response.isJson(), response.body.constData());
    const QJsonObject page = response.json();
    QCOMPARE(page.value(QLatin1String("count")).toInteger(),
             expectedIds(QStringLiteral("open")).size());
    const QJsonArray results = page.value(QLatin1String("results")).toArray();
    QCOMPARE(results.size(), 50);
    QVERIFY(page.value(QLatin1String("previous")).isNull());
    QVERIFY(page.value(QLatin1String("next")).isString());
    for (const QJsonValue &job : results)
        QCOMPARE(job.toObject().value(QLatin1String("status")).toString(), QStringLiteral("open"));
}

void TestSandboxJobs::list_nextAndPrevious_areAbsoluteUrlsOnTheSameOrigin()
{
    const HttpResponse first = m_client->get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(first.status, 200);
    const QUrl next(first.json().value(QLatin1String("next")).toString());
    QVERIFY2(!next.isRelative(), qPrintable(next.toString()));
    QCOMPARE(next.scheme(), QStringLiteral("http"));
    QCOMPARE(next.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(next.port(), int(m_sandbox.port()));
    QCOMPARE(next.path(), QStringLiteral("/api/v1/jobs/"));
    QCOMPARE(QUrlQuery(next).queryItemValue(QStringLiteral("page")), QStringLiteral("2"));

    const HttpResponse second = m_client->get(next);
    QCOMPARE(second.status, 200);
    const QUrl previous(second.json().value(QLatin1String("previous")).toString());
    QVERIFY2(!previous.isRelative(), second.body.constData());
    QCOMPARE(previous.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(previous.port(), int(m_sandbox.port()));
    QCOMPARE(previous.path(), QStringLiteral("/api/v1/jobs/"));

    const QList<qint64> secondIds = idsOf(second.json().value(QLatin1String("results")).toArray());
    const QList<qint64> firstIds = idsOf(first.json().value(QLatin1String("results")).toArray());
    for (const qint64 id : secondIds)
        QVERIFY2(!firstIds.contains(id), "pages 1 and 2 overlap");

    const HttpResponse back = m_client->get(previous);
    QCOMPARE(back.status, 200);
    QCOMPARE(idsOf(back.json().value(QLatin1String("results")).toArray()), firstIds);
}

void TestSandboxJobs::list_followingNext_visitsEveryJobOnce_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("pageSize");
    QTest::newRow("open, default size") << QStringLiteral("open") << 0;
    QTest::newRow("open, 7 a page") << QStringLiteral("open") << 7;
    QTest::newRow("closed, 7 a page") << QStringLiteral("closed") << 7;
    QTest::newRow("all, 50 a page") << QStringLiteral("all") << 50;
    QTest::newRow("all, 200 a page") << QStringLiteral("all") << 200;
}

void TestSandboxJobs::list_followingNext_visitsEveryJobOnce()
{
    QFETCH(QString, status);
    QFETCH(int, pageSize);
    QString path = QStringLiteral("jobs/?status=") + status;
    if (pageSize > 0)
        path += QStringLiteral("&page_size=%1").arg(pageSize);
    const QList<qint64> expected = expectedIds(status);
    const int perPage = pageSize > 0 ? pageSize : 50;

    QList<qint64> seen;
    QUrl url = m_sandbox.url(path);
    int pages = 0;
    while (url.isValid()) {
        QVERIFY2(++pages <= seedSize, "next never becomes null");
        const HttpResponse response = m_client->get(url);
        QCOMPARE(response.status, 200);
        const QJsonObject page = response.json();
        QCOMPARE(page.value(QLatin1String("count")).toInteger(), expected.size());
        const QList<qint64> ids = idsOf(page.value(QLatin1String("results")).toArray());
        const bool last = page.value(QLatin1String("next")).isNull();
        if (!last)
            QCOMPARE(ids.size(), perPage);
        seen += ids;
        url = last ? QUrl() : QUrl(page.value(QLatin1String("next")).toString());
    }
    QCOMPARE(seen.size(), expected.size());
    QCOMPARE(QSet<qint64>(seen.cbegin(), seen.cend()).size(), seen.size());
    QCOMPARE(sorted(seen), expected);
    QCOMPARE(pages, int((expected.size() + perPage - 1) / perPage));
}

void TestSandboxJobs::list_next_keepsOtherQueryParameters()
{
    const HttpResponse response = m_client->get(
        m_sandbox.url(QStringLiteral("jobs/?status=all&search=berlin&page_size=5")));
    QCOMPARE(response.status, 200);
    const QUrl next(response.json().value(QLatin1String("next")).toString());
    QVERIFY2(next.isValid() && !next.isRelative(), response.body.constData());
    const QUrlQuery query(next);
    QCOMPARE(query.queryItemValue(QStringLiteral("status")), QStringLiteral("all"));
    QCOMPARE(query.queryItemValue(QStringLiteral("search")), QStringLiteral("berlin"));
    QCOMPARE(query.queryItemValue(QStringLiteral("page_size")), QStringLiteral("5"));
    QCOMPARE(query.queryItemValue(QStringLiteral("page")), QStringLiteral("2"));

    const HttpResponse second = m_client->get(next);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.json().value(QLatin1String("count")).toInteger(),
             expectedIds(QStringLiteral("all"), QStringLiteral("berlin")).size());
}

void TestSandboxJobs::list_lastPage_hasNoNext()
{
    const qsizetype open = expectedIds(QStringLiteral("open")).size();
    const qsizetype lastPage = (open + 49) / 50;
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?page=%1").arg(lastPage)));
    QCOMPARE(response.status, 200);
    const QJsonObject page = response.json();
    QVERIFY(page.value(QLatin1String("next")).isNull());
    QVERIFY(page.value(QLatin1String("previous")).isString());
    QCOMPARE(page.value(QLatin1String("results")).toArray().size(), open - (lastPage - 1) * 50);
}

void TestSandboxJobs::list_pageSize_isHonouredUpToTheMaximum_data()
{
    QTest::addColumn<QString>("pageSize");
    QTest::addColumn<int>("expected");
    QTest::newRow("1") << QStringLiteral("1") << 1;
    QTest::newRow("10") << QStringLiteral("10") << 10;
    QTest::newRow("200, the maximum") << QStringLiteral("200") << 200;
    QTest::newRow("201 is clamped") << QStringLiteral("201") << 200;
    QTest::newRow("1000 is clamped") << QStringLiteral("1000") << 200;
}

void TestSandboxJobs::list_pageSize_isHonouredUpToTheMaximum()
{
    QFETCH(QString, pageSize);
    QFETCH(int, expected);
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=all&page_size=") + pageSize));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("results")).toArray().size(), expected);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(), seedSize);
}

void TestSandboxJobs::list_invalidPageSize_usesTheDefault_data()
{
    // DRF's PageNumberPagination.get_page_size falls back to page_size for
    // anything that is not a positive integer.
    QTest::addColumn<QString>("pageSize");
    QTest::newRow("zero") << QStringLiteral("0");
    QTest::newRow("negative") << QStringLiteral("-5");
    QTest::newRow("not a number") << QStringLiteral("abc");
    QTest::newRow("empty") << QString();
}

void TestSandboxJobs::list_invalidPageSize_usesTheDefault()
{
    QFETCH(QString, pageSize);
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=all&page_size=") + pageSize));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("results")).toArray().size(), 50);
}

void TestSandboxJobs::list_status_filtersJobs_data()
{
    QTest::addColumn<QString>("status");
    QTest::newRow("open") << QStringLiteral("open");
    QTest::newRow("closed") << QStringLiteral("closed");
    QTest::newRow("all") << QStringLiteral("all");
}

void TestSandboxJobs::list_status_filtersJobs()
{
    QFETCH(QString, status);
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?page_size=200&status=") + status));
    QCOMPARE(response.status, 200);
    const QList<qint64> expected = expectedIds(status);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(), expected.size());
    const QJsonArray results = response.json().value(QLatin1String("results")).toArray();
    for (const QJsonValue &job : results) {
        const QString jobStatus = job.toObject().value(QLatin1String("status")).toString();
        if (status == QLatin1String("all"))
            QVERIFY(jobStatus == QLatin1String("open") || jobStatus == QLatin1String("closed"));
        else
            QCOMPARE(jobStatus, status);
    }
}

void TestSandboxJobs::list_invalidStatus_returns400FieldError()
{
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=bogus")));
    QCOMPARE(response.status, 400);
    QVERIFY2(response.isJson(), response.body.constData());
    const QStringList messages = fieldMessages(response.json(), QStringLiteral("status"));
    QVERIFY2(!messages.isEmpty() && !messages.first().isEmpty(), response.body.constData());
}

void TestSandboxJobs::list_search_matchesTitleDepartmentLocationCaseInsensitively_data()
{
    QTest::addColumn<QString>("search");
    QTest::newRow("title, lower case") << QStringLiteral("kubernetes");
    QTest::newRow("title, upper case") << QStringLiteral("DATA SCIENTIST");
    QTest::newRow("department, mixed case") << QStringLiteral("eNgInEeRiNg");
    QTest::newRow("location, lower case") << QStringLiteral("berlin");
    QTest::newRow("part of a word") << QStringLiteral("ngalu");
    QTest::newRow("title number") << QStringLiteral("Wrangler 12");
}

void TestSandboxJobs::list_search_matchesTitleDepartmentLocationCaseInsensitively()
{
    QFETCH(QString, search);
    const QList<qint64> expected = expectedIds(QStringLiteral("open"), search);
    QVERIFY2(!expected.isEmpty(), "the seed should have matches for this search");
    const HttpResponse response = m_client->get(
        m_sandbox.url(QStringLiteral("jobs/?page_size=200&search=") + queryValue(search)));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(), expected.size());
    QCOMPARE(sorted(idsOf(response.json().value(QLatin1String("results")).toArray())), expected);
}

void TestSandboxJobs::list_searchNonAscii_matchesCaseInsensitively_data()
{
    QTest::addColumn<QString>("search");
    QTest::newRow("as stored") << QStringLiteral("São Paulo");
    QTest::newRow("upper case") << QStringLiteral("SÃO PAULO");
    QTest::newRow("lower case") << QStringLiteral("zürich");
}

void TestSandboxJobs::list_searchNonAscii_matchesCaseInsensitively()
{
    QFETCH(QString, search);
    const QList<qint64> expected = expectedIds(QStringLiteral("open"), search);
    QVERIFY(!expected.isEmpty());
    const HttpResponse response = m_client->get(
        m_sandbox.url(QStringLiteral("jobs/?page_size=200&search=") + queryValue(search)));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(), expected.size());
    QCOMPARE(sorted(idsOf(response.json().value(QLatin1String("results")).toArray())), expected);
}

void TestSandboxJobs::list_searchWithStatusAll_includesClosedJobs()
{
    const QString search = QStringLiteral("finance");
    const QList<qint64> expected = expectedIds(QStringLiteral("all"), search);
    QVERIFY(expected.size() > expectedIds(QStringLiteral("open"), search).size());
    const HttpResponse response = m_client->get(
        m_sandbox.url(QStringLiteral("jobs/?status=all&page_size=200&search=") + search));
    QCOMPARE(response.status, 200);
    QCOMPARE(sorted(idsOf(response.json().value(QLatin1String("results")).toArray())), expected);
}

void TestSandboxJobs::list_searchWithoutMatch_returnsEmptyFirstPage()
{
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?search=no-such-job-anywhere")));
    QCOMPARE(response.status, 200);
    const QJsonObject page = response.json();
    QCOMPARE(page.value(QLatin1String("count")).toInteger(), 0);
    QVERIFY(page.value(QLatin1String("results")).isArray());
    QVERIFY(page.value(QLatin1String("results")).toArray().isEmpty());
    QVERIFY(page.value(QLatin1String("next")).isNull());
    QVERIFY(page.value(QLatin1String("previous")).isNull());
}

void TestSandboxJobs::list_invalidPage_returns404InvalidPage_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("past the end") << QStringLiteral("page=999");
    QTest::newRow("one past the last page") << QStringLiteral("page=5");
    QTest::newRow("zero") << QStringLiteral("page=0");
    QTest::newRow("negative") << QStringLiteral("page=-1");
    QTest::newRow("not a number") << QStringLiteral("page=abc");
    QTest::newRow("past the end of a search")
        << QStringLiteral("search=berlin&page=2&page_size=200");
    // Numbers that overflow a 32-bit or 64-bit page number, or the offset made from it.
    QTest::newRow("2^31 - 1") << QStringLiteral("page=2147483647");
    QTest::newRow("2^31") << QStringLiteral("page=2147483648");
    QTest::newRow("2^63 - 1") << QStringLiteral("page=9223372036854775807");
    QTest::newRow("20 digits") << QStringLiteral("page=99999999999999999999");
    QTest::newRow("2^31 - 1 with the largest page size")
        << QStringLiteral("page=2147483647&page_size=200");
}

void TestSandboxJobs::list_invalidPage_returns404InvalidPage()
{
    QFETCH(QString, query);
    const HttpResponse response = m_client->get(m_sandbox.url(QStringLiteral("jobs/?") + query));
    QCOMPARE(response.status, 404);
    QVERIFY2(response.isJson(), response.body.constData());
    QCOMPARE(response.detail(), QStringLiteral("Invalid page."));
}

void TestSandboxJobs::list_pageLast_returnsTheLastPage_data()
{
    // DRF's PageNumberPagination: page=last names the last page.
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("pageSize");
    QTest::newRow("open, default size") << QStringLiteral("open") << 50;
    QTest::newRow("all, 7 a page") << QStringLiteral("all") << 7;
    QTest::newRow("closed, one page of 200") << QStringLiteral("closed") << 200;
}

void TestSandboxJobs::list_pageLast_returnsTheLastPage()
{
    QFETCH(QString, status);
    QFETCH(int, pageSize);
    const QList<qint64> expected = expectedIds(status);
    const qsizetype lastPage = (expected.size() + pageSize - 1) / pageSize;
    const QString query = QStringLiteral("jobs/?status=%1&page_size=%2").arg(status).arg(pageSize);

    const HttpResponse last = m_client->get(m_sandbox.url(query + QStringLiteral("&page=last")));
    QCOMPARE(last.status, 200);
    const QJsonObject page = last.json();
    QCOMPARE(page.value(QLatin1String("count")).toInteger(), expected.size());
    QVERIFY2(page.value(QLatin1String("next")).isNull(), last.body.left(300).constData());
    if (lastPage > 1) {
        QVERIFY2(page.value(QLatin1String("previous")).isString(), last.body.left(300).constData());
        const QUrl previous(page.value(QLatin1String("previous")).toString());
        const QString number = QUrlQuery(previous).queryItemValue(QStringLiteral("page"));
        // DRF leaves the page out of the link to page 1.
        QCOMPARE(number.isEmpty() ? qint64(1) : number.toLongLong(), qint64(lastPage - 1));
    } else {
        QVERIFY(page.value(QLatin1String("previous")).isNull());
    }

    const HttpResponse numbered
        = m_client->get(m_sandbox.url(query + QStringLiteral("&page=%1").arg(lastPage)));
    QCOMPARE(numbered.status, 200);
    const QList<qint64> ids = idsOf(page.value(QLatin1String("results")).toArray());
    QCOMPARE(ids, idsOf(numbered.json().value(QLatin1String("results")).toArray()));
    QCOMPARE(ids, expected.mid((lastPage - 1) * pageSize));
}

void TestSandboxJobs::list_emptyPage_returnsTheFirstPage()
{
    // DRF: "page_number = request.query_params.get('page') or 1".
    const HttpResponse first = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=all")));
    QCOMPARE(first.status, 200);
    const HttpResponse empty
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=all&page=")));
    QCOMPARE(empty.status, 200);
    QVERIFY(empty.json().value(QLatin1String("previous")).isNull());
    QCOMPARE(idsOf(empty.json().value(QLatin1String("results")).toArray()),
             idsOf(first.json().value(QLatin1String("results")).toArray()));
    const QUrl next(empty.json().value(QLatin1String("next")).toString());
    QCOMPARE(QUrlQuery(next).queryItemValue(QStringLiteral("page")), QStringLiteral("2"));
}

void TestSandboxJobs::list_links_useTheSandboxOriginWhateverTheHostHeader_data()
{
    QTest::addColumn<QByteArray>("hostHeader"); // empty: no Host header at all
    QTest::newRow("another host") << QByteArray("evil.example");
    QTest::newRow("another host and port") << QByteArray("evil.example:8443");
    QTest::newRow("a host with a path in it") << QByteArray("evil.example/phish?x=");
    QTest::newRow("localhost on port 80") << QByteArray("localhost");
}

void TestSandboxJobs::list_links_useTheSandboxOriginWhateverTheHostHeader()
{
    QFETCH(QByteArray, hostHeader);
    const QByteArray request
        = "GET /api/v1/jobs/?page=2&page_size=10 HTTP/1.1\r\nHost: " + hostHeader
        + "\r\nAuthorization: Token " + m_sandbox.token() + "\r\nConnection: close\r\n\r\n";
    const QByteArray response = rawExchange(m_sandbox.port(), request);
    QCOMPARE(rawStatus(response), 200);
    const QJsonObject page = QJsonDocument::fromJson(rawBody(response)).object();
    const QString origin
        = QStringLiteral("http://127.0.0.1:%1/api/v1/jobs/?").arg(m_sandbox.port());
    for (const char *link : { "next", "previous" }) {
        const QString url = page.value(QLatin1String(link)).toString();
        QVERIFY2(url.startsWith(origin),
                 qPrintable(QLatin1String(link) + QLatin1String(": ") + url));
    }
}

void TestSandboxJobs::list_searchWithPlus_readsThePlusAsASpace_data()
{
    // Django reads a query string as a form: "+" is a space, "%2B" a plus.
    QTest::addColumn<QString>("search"); // as it goes into the query string
    QTest::addColumn<QStringList>("titles");
    QTest::newRow("plus") << QStringLiteral("Backend+Engineer")
                          << QStringList { QStringLiteral("Backend Engineer") };
    QTest::newRow("%20") << QStringLiteral("Backend%20Engineer")
                         << QStringList { QStringLiteral("Backend Engineer") };
    QTest::newRow("plus, lower case")
        << QStringLiteral("backend+engineer") << QStringList { QStringLiteral("Backend Engineer") };
    QTest::newRow("%2B is a literal plus") << QStringLiteral("Backend%2BEngineer") << QStringList();
}

void TestSandboxJobs::list_searchWithPlus_readsThePlusAsASpace()
{
    QFETCH(QString, search);
    QFETCH(QStringList, titles);
    SandboxFixture sandbox; // the built-in seed has one "Backend Engineer"
    QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());
    const HttpResponse response
        = client.get(sandbox.url(QStringLiteral("jobs/?status=all&search=") + search));
    QCOMPARE(response.status, 200);
    QStringList found;
    const QJsonArray results = response.json().value(QLatin1String("results")).toArray();
    for (const QJsonValue &job : results)
        found.append(job.toObject().value(QLatin1String("title")).toString());
    QCOMPARE(found, titles);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(), titles.size());
}

void TestSandboxJobs::list_searchNonAsciiCapital_matchesCaseInsensitively_data()
{
    // Capitals outside ASCII in the stored text ("Édition"): SQLite's lower()
    // folds ASCII only, so these need the folding done elsewhere.
    QTest::addColumn<QString>("search");
    QTest::addColumn<QList<qint64>>("ids");
    const QList<qint64> edition { 1, 3 };
    QTest::newRow("lower case") << QStringLiteral("édition") << edition;
    QTest::newRow("upper case") << QStringLiteral("ÉDITION") << edition;
    QTest::newRow("as stored") << QStringLiteral("Édition") << edition;
    QTest::newRow("part of a word") << QStringLiteral("ÉDIT") << edition;
    QTest::newRow("title, upper case") << QStringLiteral("RÉDACTRICE") << QList<qint64> { 1 };
    QTest::newRow("location, lower case") << QStringLiteral("île-de-france") << QList<qint64> { 2 };
    QTest::newRow("Greek, lower case") << QStringLiteral("αθήνα") << QList<qint64> { 3 };
}

void TestSandboxJobs::list_searchNonAsciiCapital_matchesCaseInsensitively()
{
    QFETCH(QString, search);
    QFETCH(QList<qint64>, ids);
    QTemporaryDir seedDir;
    QVERIFY(seedDir.isValid());
    const QString seedFile = writeSeedJobs(
        seedDir.path(),
        QJsonArray {
            seedJob(1, QStringLiteral("Rédactrice technique"), QStringLiteral("Édition"),
                    QStringLiteral("Lyon"), QStringLiteral("open")),
            seedJob(2, QStringLiteral("Backend Engineer"), QStringLiteral("Engineering"),
                    QStringLiteral("ÎLE-DE-FRANCE"), QStringLiteral("open")),
            seedJob(3, QStringLiteral("Correcteur"), QStringLiteral("ÉDITION"),
                    QStringLiteral("ΑΘΉΝΑ"), QStringLiteral("closed")),
        });
    QVERIFY(!seedFile.isEmpty());
    SandboxFixture sandbox;
    cdesk::sandbox::Options options;
    options.seedJobsFile = seedFile;
    QVERIFY2(sandbox.start(options), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());

    const HttpResponse response
        = client.get(sandbox.url(QStringLiteral("jobs/?status=all&search=") + queryValue(search)));
    QCOMPARE(response.status, 200);
    QCOMPARE(sorted(idsOf(response.json().value(QLatin1String("results")).toArray())), ids);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(), ids.size());
}

void TestSandboxJobs::list_job_hasTheContractShape()
{
    const HttpResponse response
        = m_client->get(m_sandbox.url(QStringLiteral("jobs/?status=all&page_size=200")));
    QCOMPARE(response.status, 200);
    QJsonObject seven;
    const QJsonArray results = response.json().value(QLatin1String("results")).toArray();
    for (const QJsonValue &value : results) {
        if (value.toObject().value(QLatin1String("id")).toInteger() == 7)
            seven = value.toObject();
    }
    QVERIFY2(!seven.isEmpty(), "job 7 is on the first page of 200");
    const QJsonObject expected = m_seed.at(6).toObject();
    QCOMPARE(seven.value(QLatin1String("id")).type(), QJsonValue::Double);
    for (const QString &key : { QStringLiteral("title"), QStringLiteral("department"),
                                QStringLiteral("location"), QStringLiteral("status") })
        QCOMPARE(seven.value(key).toString(), expected.value(key).toString());
    const QString createdAt = seven.value(QLatin1String("created_at")).toString();
    QVERIFY2(isRfc3339Utc(createdAt), qPrintable(createdAt));
    QCOMPARE(parseUtc(createdAt), parseUtc(expected.value(QLatin1String("created_at")).toString()));
}

void TestSandboxJobs::list_withReadOnlyToken_returnsJobs()
{
    HttpClient client(m_sandbox.readOnlyToken());
    const HttpResponse response = client.get(m_sandbox.url(QStringLiteral("jobs/")));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(QLatin1String("count")).toInteger(),
             expectedIds(QStringLiteral("open")).size());
}

void TestSandboxJobs::list_defaultSeed_hasOpenAndClosedJobsAcrossDepartments()
{
    SandboxFixture sandbox;
    QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
    HttpClient client(sandbox.token());

    auto countOf = [&](const QString &status) {
        const HttpResponse response
            = client.get(sandbox.url(QStringLiteral("jobs/?status=") + status));
        return response.status == 200 ? response.json().value(QLatin1String("count")).toInteger()
                                      : qint64(-1);
    };
    const qint64 open = countOf(QStringLiteral("open"));
    const qint64 closed = countOf(QStringLiteral("closed"));
    QVERIFY(open > 0);
    QVERIFY(closed > 0);
    QCOMPARE(countOf(QStringLiteral("all")), open + closed);

    const HttpResponse all = client.get(sandbox.url(QStringLiteral("jobs/?status=all")));
    QSet<QString> departmentsSeen;
    QSet<QString> locationsSeen;
    const QJsonArray results = all.json().value(QLatin1String("results")).toArray();
    for (const QJsonValue &value : results) {
        const QJsonObject job = value.toObject();
        QVERIFY(job.value(QLatin1String("id")).toInteger() > 0);
        QVERIFY(!job.value(QLatin1String("title")).toString().isEmpty());
        QVERIFY(isRfc3339Utc(job.value(QLatin1String("created_at")).toString()));
        departmentsSeen.insert(job.value(QLatin1String("department")).toString());
        locationsSeen.insert(job.value(QLatin1String("location")).toString());
    }
    QVERIFY(departmentsSeen.size() >= 3);
    QVERIFY(locationsSeen.size() >= 2);
}

QTEST_GUILESS_MAIN(TestSandboxJobs)
#include "tst_sandbox_jobs.moc"
