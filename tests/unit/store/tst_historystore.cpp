#include "StoreTestSupport.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

constexpr int Days = 30;
constexpr int RowsPerDay = 100;

// What the test knows about each row it made: the oracle the store is checked against.
struct Row
{
    qint64 id = 0;
    QString name;
    QString email;
    std::optional<qint64> jobId;
    SubmissionState state = SubmissionState::Pending;
    std::optional<qint64> serverId;
    QDateTime createdAt;
};

SubmissionState stateFor(qint64 id)
{
    switch (id % 5) {
    case 0:
        return SubmissionState::Sent;
    case 1:
        return SubmissionState::Failed;
    case 2:
        return SubmissionState::NeedsDecision;
    case 3:
        return SubmissionState::Cancelled;
    default:
        return SubmissionState::Pending;
    }
}

bool matches(const Row &row, const HistoryFilter &f, const QTimeZone &zone)
{
    if (f.state && row.state != *f.state)
        return false;
    if (f.jobId && (*f.jobId == 0 ? row.jobId.has_value() : row.jobId != f.jobId))
        return false;
    const QDate day = row.createdAt.toTimeZone(zone).date();
    if (f.from.isValid() && day < f.from)
        return false;
    if (f.to.isValid() && day > f.to)
        return false;
    const QString key = f.text.trimmed().toCaseFolded();
    if (!key.isEmpty()) {
        bool ok = false;
        const qint64 number = QString(key).remove(u'#').toLongLong(&ok);
        const bool idMatch = ok && row.serverId == number;
        if (!row.name.toCaseFolded().contains(key) && !row.email.toCaseFolded().contains(key)
            && !idMatch)
            return false;
    }
    return true;
}

} // namespace

Q_DECLARE_METATYPE(HistoryFilter)

class TestHistoryStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    FakeClock m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HistoryStore> m_history;
    QList<Row> m_rows;

    QList<Row> expected(const HistoryFilter &filter, const QTimeZone &zone) const
    {
        QList<Row> rows;
        for (const Row &row : m_rows) {
            if (matches(row, filter, zone))
                rows << row;
        }
        std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
            return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
        });
        return rows;
    }

    static QList<qint64> idsOf(const QList<Row> &rows)
    {
        QList<qint64> ids;
        for (const Row &row : rows)
            ids << row.id;
        return ids;
    }

    static QList<qint64> idsOf(const QList<Submission> &rows)
    {
        QList<qint64> ids;
        for (const Submission &row : rows)
            ids << row.id;
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // 3,000 rows over 30 days. Each day is one enqueueAll (one transaction),
        // at midnight on even days and one millisecond before midnight on odd
        // ones, so the day bounds are exercised.
        m_db = std::make_unique<Database>(m_dir.filePath(u"cdesk.sqlite"_s), &m_clock);
        QString error;
        QVERIFY2(m_db->open(&error), qPrintable(error));
        Outbox outbox(m_db.get(), m_dir.path(), &m_clock);
        m_history = std::make_unique<HistoryStore>(m_db.get());

        const QStringList first { u"Asha"_s,  u"Élodie"_s, u"Bram"_s, u"Chen"_s,
                                  u"Dara"_s,  u"Émile"_s,  u"Ines"_s, u"Jonas"_s,
                                  u"Kavya"_s, u"Łukasz"_s, u"Mia"_s };
        const QStringList last { u"Rao"_s,    u"Dubois"_s, u"de Vries"_s, u"Wang"_s,
                                 u"O'Neil"_s, u"Müller"_s, u"Santos"_s };
        const QDateTime start(QDate(2026, 10, 1), QTime(0, 0), QTimeZone::utc());
        int n = 0;
        for (int day = 0; day < Days; ++day) {
            m_clock.set(day % 2 == 0 ? start.addDays(day) : start.addDays(day + 1).addMSecs(-1));
            QList<Submission> batch;
            for (int i = 0; i < RowsPerDay; ++i, ++n) {
                Submission s;
                const QString f = first.at(n % first.size());
                const QString l = last.at((n / first.size()) % last.size());
                s.candidate = sampleCandidate(
                    f + u' ' + l, u"%1.%2.%3@Example.com"_s.arg(f, l).arg(n).remove(u' '));
                s.candidate.jobId = n % 4 == 0 ? std::nullopt : std::optional<qint64>(10 + n % 3);
                batch << s;
            }
            const auto stored = outbox.enqueueAll(batch, &error);
            QVERIFY2(stored, qPrintable(error));
            for (const Submission &s : *stored) {
                m_rows << Row { s.id,
                                s.candidate.name,
                                s.candidate.email,
                                s.candidate.jobId,
                                SubmissionState::Pending,
                                std::nullopt,
                                s.createdAt };
            }
        }
        // Spread the states, and server ids for the sent rows, in one transaction.
        QVERIFY(m_db->exec(u"UPDATE submissions SET"
                           " state = CASE id % 5 WHEN 0 THEN 'sent' WHEN 1 THEN 'failed'"
                           "  WHEN 2 THEN 'needs_decision' WHEN 3 THEN 'cancelled' ELSE 'pending'"
                           "  END,"
                           " server_id = CASE id % 5 WHEN 0 THEN 500000 + id END"_s,
                           u"states"_s, &error));
        for (Row &row : m_rows) {
            row.state = stateFor(row.id);
            if (row.state == SubmissionState::Sent)
                row.serverId = 500000 + row.id;
        }
        QCOMPARE(m_rows.size(), Days * RowsPerDay);
    }

    void countAndPage_matchTheRows_newestFirst_data()
    {
        QTest::addColumn<HistoryFilter>("filter");
        const QDate first(2026, 10, 1);
        auto make = [](auto fill) {
            HistoryFilter f;
            fill(f);
            return f;
        };
        QTest::newRow("everything") << HistoryFilter {};
        QTest::newRow("sent") << make([](HistoryFilter &f) { f.state = SubmissionState::Sent; });
        QTest::newRow("failed for job 11") << make([](HistoryFilter &f) {
            f.state = SubmissionState::Failed;
            f.jobId = 11;
        });
        QTest::newRow("talent pool") << make([](HistoryFilter &f) { f.jobId = 0; });
        QTest::newRow("text lower-case accented")
            << make([](HistoryFilter &f) { f.text = u"élodie"_s; });
        QTest::newRow("text upper-case accented")
            << make([](HistoryFilter &f) { f.text = u"ÉLODIE DUBOIS"_s; });
        QTest::newRow("text in the middle") << make([](HistoryFilter &f) { f.text = u"VRIES"_s; });
        QTest::newRow("text email domain")
            << make([](HistoryFilter &f) { f.text = u"  example.COM "_s; });
        QTest::newRow("text apostrophe") << make([](HistoryFilter &f) { f.text = u"o'neil"_s; });
        QTest::newRow("text percent is literal")
            << make([](HistoryFilter &f) { f.text = u"50%"_s; });
        QTest::newRow("text underscore is literal")
            << make([](HistoryFilter &f) { f.text = u"_"_s; });
        QTest::newRow("server id") << make([](HistoryFilter &f) { f.text = u"#500100"_s; });
        QTest::newRow("server id digits") << make([](HistoryFilter &f) { f.text = u"500105"_s; });
        QTest::newRow("from-to") << make([&](HistoryFilter &f) {
            f.from = first.addDays(3);
            f.to = first.addDays(5);
        });
        QTest::newRow("one odd day")
            << make([&](HistoryFilter &f) { f.from = f.to = first.addDays(7); });
        QTest::newRow("from only") << make([&](HistoryFilter &f) { f.from = first.addDays(25); });
        QTest::newRow("to only") << make([&](HistoryFilter &f) { f.to = first.addDays(1); });
        QTest::newRow("everything combined") << make([&](HistoryFilter &f) {
            f.text = u"ASHA"_s;
            f.state = SubmissionState::Pending;
            f.jobId = 12;
            f.from = first.addDays(10);
            f.to = first.addDays(20);
        });
        QTest::newRow("nothing matches") << make([](HistoryFilter &f) { f.text = u"zzz"_s; });
    }

    void countAndPage_matchTheRows_newestFirst()
    {
        QFETCH(HistoryFilter, filter);
        // The days are the recruiter's: the same filter in two zones.
        for (const QTimeZone &zone : { QTimeZone::utc(), QTimeZone(5 * 3600 + 1800) }) {
            m_history->setTimeZone(zone);
            const QList<Row> want = expected(filter, zone);
            QCOMPARE(m_history->count(filter), int(want.size()));

            const auto firstPage = m_history->page(filter, 0, 50);
            QCOMPARE(idsOf(firstPage), idsOf(want.mid(0, 50)));
            QCOMPARE(idsOf(m_history->page(filter, 40, 25)), idsOf(want.mid(40, 25)));
            const int lastOffset = qMax(0, int(want.size()) - 7);
            QCOMPARE(idsOf(m_history->page(filter, lastOffset, 50)), idsOf(want.mid(lastOffset)));

            for (int i = 0; i < firstPage.size(); ++i) {
                QCOMPARE(firstPage[i].candidate.name, want[i].name);
                QCOMPARE(firstPage[i].candidate.email, want[i].email);
                QCOMPARE(firstPage[i].state, want[i].state);
                QCOMPARE(firstPage[i].serverId, want[i].serverId);
                QCOMPARE(firstPage[i].createdAt, want[i].createdAt);
            }
        }
        m_history->setTimeZone(QTimeZone::utc());
    }

    void textSearch_isCaseInsensitive()
    {
        HistoryFilter lower;
        lower.text = u"łukasz müller"_s;
        HistoryFilter upper;
        upper.text = u"ŁUKASZ MÜLLER"_s;
        const int n = m_history->count(lower);
        QVERIFY(n > 0);
        QCOMPARE(m_history->count(upper), n);
    }

    // Every filter is answered from an index: a SCAN or SEARCH of the table
    // itself happens only by primary key, for the rows of the page. So the
    // JSON is never read to filter, and 100,000 rows stay fast.
    void queryPlan_readsIndexesOnly_data() { countAndPage_matchTheRows_newestFirst_data(); }
    void queryPlan_readsIndexesOnly()
    {
        QFETCH(HistoryFilter, filter);
        const QStringList plan = m_history->queryPlan(filter);
        QVERIFY(!plan.isEmpty());
        for (const QString &step : plan) {
            if (!step.startsWith(u"SCAN submissions"_s)
                && !step.startsWith(u"SEARCH submissions"_s))
                continue;
            QVERIFY2(step.contains(u"COVERING INDEX"_s) || step.contains(u"INTEGER PRIMARY KEY"_s),
                     qPrintable(plan.join(u'\n')));
        }
    }

    void page_outOfRange_isEmpty()
    {
        QVERIFY(m_history->page({}, Days * RowsPerDay, 50).isEmpty());
        QVERIFY(m_history->page({}, 0, 0).isEmpty());
        QVERIFY(m_history->page({}, -1, 10).isEmpty());
    }

    void cleanupTestCase()
    {
        m_history.reset();
        m_db.reset();
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
