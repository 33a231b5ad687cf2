#include "StoreTestSupport.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/HistoryModel.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"

#include <QAbstractItemModelTester>
#include <QLoggingCategory>
#include <QPersistentModelIndex>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

// The model's page size (HistoryModel.cpp). The tests name rows by page, so
// a change there shows here as failing counts, not as silent drift.
constexpr int PageSize = 200;

// What the test knows about each row it made: the oracle the model is checked against.
struct Row
{
    qint64 id = 0;
    QString name;
    QString email;
    std::optional<qint64> jobId;
    QString source;
    SubmissionState state = SubmissionState::Pending;
    std::optional<qint64> serverId;
    QString lastError;
    QDateTime createdAt;
};

// The recruiter's words for each state, as the Status column must show them.
QString statusWord(SubmissionState state)
{
    switch (state) {
    case SubmissionState::Pending:
        return u"Waiting"_s;
    case SubmissionState::Sending:
        return u"Sending"_s;
    case SubmissionState::Sent:
        return u"Sent"_s;
    case SubmissionState::Failed:
        return u"Failed"_s;
    case SubmissionState::NeedsDecision:
        return u"Needs a decision"_s;
    case SubmissionState::Cancelled:
        return u"Cancelled"_s;
    }
    return {};
}

bool matches(const Row &row, const HistoryFilter &f)
{
    if (f.state && row.state != *f.state)
        return false;
    if (f.jobId && (*f.jobId == 0 ? row.jobId.has_value() : row.jobId != f.jobId))
        return false;
    const QDate day = row.createdAt.toUTC().date();
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

// A store in a temporary folder, filled through the real Outbox in one
// transaction per day, then given a spread of states in one more.
struct Fixture
{
    QTemporaryDir dir;
    FakeClock clock { QDateTime(QDate(2026, 10, 1), QTime(9, 0), QTimeZone::utc()) };
    std::unique_ptr<Database> db;
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<HistoryStore> history;
    QList<Row> rows;
    int made = 0;

    bool open(QString *error)
    {
        db = std::make_unique<Database>(dir.filePath(u"cdesk.sqlite"_s), &clock);
        if (!db->open(error))
            return false;
        outbox = std::make_unique<Outbox>(db.get(), dir.path(), &clock);
        history = std::make_unique<HistoryStore>(db.get());
        history->setTimeZone(QTimeZone::utc());
        return true;
    }

    // `count` rows, `perDay` a day, each day one transaction, all Pending.
    bool add(int count, int perDay, QString *error)
    {
        static const QStringList first { u"Asha"_s,  u"Élodie"_s, u"Bram"_s, u"Chen"_s,
                                         u"Dara"_s,  u"Émile"_s,  u"Ines"_s, u"Jonas"_s,
                                         u"Kavya"_s, u"Łukasz"_s, u"Mia"_s };
        static const QStringList last { u"Rao"_s,    u"Dubois"_s, u"de Vries"_s, u"Wang"_s,
                                        u"O'Neil"_s, u"Müller"_s, u"Santos"_s };
        static const QStringList sources { u"Referral"_s, u"LinkedIn"_s, u"Career page"_s };
        while (count > 0) {
            QList<Submission> batch;
            for (int i = 0; i < perDay && count > 0; ++i, --count, ++made) {
                Submission s;
                const QString f = first.at(made % first.size());
                const QString l = last.at((made / first.size()) % last.size());
                s.candidate = sampleCandidate(
                    f + u' ' + l, u"%1.%2.%3@example.com"_s.arg(f, l).arg(made).remove(u' '));
                s.candidate.jobId
                    = made % 4 == 0 ? std::nullopt : std::optional<qint64>(10 + made % 3);
                s.candidate.source = sources.at(made % sources.size());
                batch << s;
            }
            const auto stored = outbox->enqueueAll(batch, error);
            if (!stored)
                return false;
            for (const Submission &s : *stored) {
                rows << Row { s.id,
                              s.candidate.name,
                              s.candidate.email,
                              s.candidate.jobId,
                              s.candidate.source,
                              SubmissionState::Pending,
                              std::nullopt,
                              {},
                              s.createdAt };
            }
            clock.advance(24 * 3600 * 1000);
        }
        return true;
    }

    // States by id, as years of use would leave them: sent rows with a server
    // id, failed and duplicate rows with the reason.
    bool spreadStates(QString *error)
    {
        if (!db->exec(u"UPDATE submissions SET"
                      " state = CASE id % 5 WHEN 0 THEN 'sent' WHEN 1 THEN 'failed'"
                      "  WHEN 2 THEN 'needs_decision' WHEN 3 THEN 'cancelled' ELSE 'pending' END,"
                      " server_id = CASE id % 5 WHEN 0 THEN 500000 + id END,"
                      " duplicate_of = CASE id % 5 WHEN 2 THEN 600000 + id END,"
                      " last_error = CASE id % 5 WHEN 1 THEN 'Email: enter a valid address #' || id"
                      "  WHEN 2 THEN 'The email already exists' ELSE '' END"_s,
                      u"states"_s, error))
            return false;
        for (Row &row : rows) {
            switch (row.id % 5) {
            case 0:
                row.state = SubmissionState::Sent;
                row.serverId = 500000 + row.id;
                break;
            case 1:
                row.state = SubmissionState::Failed;
                row.lastError = u"Email: enter a valid address #%1"_s.arg(row.id);
                break;
            case 2:
                row.state = SubmissionState::NeedsDecision;
                row.lastError = u"The email already exists"_s;
                break;
            case 3:
                row.state = SubmissionState::Cancelled;
                break;
            default:
                row.state = SubmissionState::Pending;
            }
        }
        return true;
    }

    QList<Row> expected(const HistoryFilter &filter) const
    {
        QList<Row> list;
        for (const Row &row : rows) {
            if (matches(row, filter))
                list << row;
        }
        std::sort(list.begin(), list.end(), [](const Row &a, const Row &b) {
            return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
        });
        return list;
    }
};

// Counts the pages the model reads: it says so on its debug category.
QList<int> g_pageReads;
QtMessageHandler g_previousHandler = nullptr;

void recordPageReads(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtDebugMsg && context.category
        && qstrcmp(context.category, "cdesk.history.model") == 0) {
        static const QRegularExpression page(u"^reading page (\\d+) "_s);
        if (const auto match = page.match(message); match.hasMatch())
            g_pageReads << match.captured(1).toInt();
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QString display(const QAbstractItemModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

qint64 idAt(const QAbstractItemModel &model, int row)
{
    return model.data(model.index(row, 0), HistoryModel::SubmissionIdRole).toLongLong();
}

HistoryFilter stateFilter(SubmissionState state)
{
    HistoryFilter f;
    f.state = state;
    return f;
}

} // namespace

Q_DECLARE_METATYPE(HistoryFilter)

class TestHistoryModel : public QObject
{
    Q_OBJECT

    Fixture m_big; // 3,000 rows over 30 days, left unchanged by every test
    QHash<qint64, QString> m_titles { { 10, u"Backend Engineer"_s }, { 11, u"Data Analyst"_s } };

    static std::unique_ptr<Fixture> smallStore(int rows)
    {
        auto fixture = std::make_unique<Fixture>();
        QString error;
        if (!fixture->open(&error) || !fixture->add(rows, 100, &error)
            || !fixture->spreadStates(&error)) {
            qWarning() << error;
            return nullptr;
        }
        return fixture;
    }

private Q_SLOTS:
    void initTestCase()
    {
        g_previousHandler = qInstallMessageHandler(recordPageReads);
        QLoggingCategory::setFilterRules(
            u"cdesk.history.model.debug=true\ncdesk.store.info=false"_s);
        QString error;
        QVERIFY2(m_big.open(&error), qPrintable(error));
        QVERIFY2(m_big.add(3000, 100, &error), qPrintable(error));
        QVERIFY2(m_big.spreadStates(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        QLoggingCategory::setFilterRules({});
        qInstallMessageHandler(g_previousHandler);
    }

    void init() { g_pageReads.clear(); }

    void rowsAndCells_matchWhatWasInserted_newestFirst_data()
    {
        QTest::addColumn<HistoryFilter>("filter");
        const QDate first(2026, 10, 1);
        auto make = [](auto fill) {
            HistoryFilter f;
            fill(f);
            return f;
        };
        QTest::newRow("everything") << HistoryFilter {};
        QTest::newRow("sent") << stateFilter(SubmissionState::Sent);
        QTest::newRow("failed") << stateFilter(SubmissionState::Failed);
        QTest::newRow("needs decision") << stateFilter(SubmissionState::NeedsDecision);
        QTest::newRow("cancelled") << stateFilter(SubmissionState::Cancelled);
        QTest::newRow("waiting") << stateFilter(SubmissionState::Pending);
        QTest::newRow("job 11") << make([](HistoryFilter &f) { f.jobId = 11; });
        QTest::newRow("talent pool") << make([](HistoryFilter &f) { f.jobId = 0; });
        QTest::newRow("text accented")
            << make([](HistoryFilter &f) { f.text = u"ÉLODIE DUBOIS"_s; });
        QTest::newRow("text email") << make([](HistoryFilter &f) { f.text = u"o'neil.1"_s; });
        QTest::newRow("server id") << make([](HistoryFilter &f) { f.text = u"#500100"_s; });
        QTest::newRow("days") << make([&](HistoryFilter &f) {
            f.from = first.addDays(3);
            f.to = first.addDays(5);
        });
        QTest::newRow("combined") << make([&](HistoryFilter &f) {
            f.text = u"asha"_s;
            f.state = SubmissionState::Sent;
            f.jobId = 12;
            f.from = first.addDays(2);
        });
        QTest::newRow("nothing") << make([](HistoryFilter &f) { f.text = u"zzz"_s; });
    }

    void rowsAndCells_matchWhatWasInserted_newestFirst()
    {
        QFETCH(HistoryFilter, filter);
        HistoryModel model(m_big.history.get());
        model.setJobTitles(m_titles);
        model.setFilter(filter);
        const QList<Row> want = m_big.expected(filter);
        QCOMPARE(model.rowCount(), int(want.size()));
        QCOMPARE(model.columnCount(), int(HistoryModel::ColumnCount));
        for (int r = 0; r < want.size(); ++r) {
            const Row &row = want.at(r);
            QCOMPARE(idAt(model, r), row.id);
            QCOMPARE(display(model, r, HistoryModel::Time),
                     row.createdAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s));
            QCOMPARE(display(model, r, HistoryModel::Name), row.name);
            QCOMPARE(display(model, r, HistoryModel::Email), row.email);
            const QString job = !row.jobId ? u"Talent Pool"_s
                                           : m_titles.value(*row.jobId, u"#%1"_s.arg(*row.jobId));
            QCOMPARE(display(model, r, HistoryModel::Job), job);
            QCOMPARE(display(model, r, HistoryModel::Source), row.source);
            QCOMPARE(display(model, r, HistoryModel::Status), statusWord(row.state));
            QCOMPARE(model.data(model.index(r, 0), HistoryModel::StateRole).toInt(),
                     int(row.state));
            QCOMPARE(display(model, r, HistoryModel::ServerId),
                     row.serverId ? u"#%1"_s.arg(*row.serverId) : QString());
            const QVariant tip = model.data(model.index(r, HistoryModel::Status), Qt::ToolTipRole);
            QCOMPARE(tip.toString(), row.lastError);
            QCOMPARE(tip.isValid(), !row.lastError.isEmpty());
        }
        QVERIFY(!model.submissionAt(int(want.size())));
        if (!want.isEmpty()) {
            const auto last = model.submissionAt(int(want.size()) - 1);
            QVERIFY(last);
            QCOMPARE(last->id, want.constLast().id);
            QCOMPARE(last->candidate.phone, u"+91 98450 12345"_s);
        }
    }

    void header_namesTheColumns()
    {
        HistoryModel model(m_big.history.get());
        QStringList names;
        for (int c = 0; c < model.columnCount(); ++c)
            names << model.headerData(c, Qt::Horizontal).toString();
        QCOMPARE(names,
                 QStringList({ u"Time"_s, u"Name"_s, u"Email"_s, u"Job"_s, u"Source"_s, u"Status"_s,
                               u"Server ID"_s }));
    }

    void pages_areReadOnlyWhenARowInThemIsShown()
    {
        HistoryModel model(m_big.history.get());
        QCOMPARE(model.rowCount(), 3000);
        QCOMPARE(g_pageReads, QList<int>()); // counting reads no rows

        // Roles a view asks for on every paint that the model has nothing for.
        model.data(model.index(5, 0), Qt::FontRole);
        model.data(model.index(5, 0), Qt::DecorationRole);
        QCOMPARE(g_pageReads, QList<int>());

        display(model, 0, HistoryModel::Name);
        display(model, PageSize - 1, HistoryModel::Email);
        QCOMPARE(g_pageReads, QList<int>({ 0 }));
        display(model, PageSize, HistoryModel::Name);
        display(model, 2999, HistoryModel::Name);
        QCOMPARE(g_pageReads, QList<int>({ 0, 1, 14 }));
        // Shown again: from memory.
        display(model, 10, HistoryModel::Name);
        display(model, PageSize + 10, HistoryModel::Status);
        display(model, 2900, HistoryModel::Time);
        QCOMPARE(g_pageReads, QList<int>({ 0, 1, 14 }));

        // Scrolling through everything reads each page not in memory once.
        // Page 14 was pushed out by the eight pages before it: read again.
        for (int r = 0; r < model.rowCount(); ++r)
            display(model, r, HistoryModel::Name);
        QList<int> reads { 0, 1, 14 };
        for (int p = 2; p <= 14; ++p)
            reads << p;
        QCOMPARE(g_pageReads, reads);

        // The cache is small: the first page stays, the most recent eight
        // others stay, and an old one is read again when it comes back.
        g_pageReads.clear();
        display(model, 0, HistoryModel::Name);
        display(model, 2999, HistoryModel::Name);
        display(model, 7 * PageSize, HistoryModel::Name);
        QCOMPARE(g_pageReads, QList<int>());
        display(model, PageSize, HistoryModel::Name);
        QCOMPARE(g_pageReads, QList<int>({ 1 }));
    }

    // The other proof that rows come from memory once read, and from the
    // store only when needed: rows changed behind the model's back.
    void readPages_areKept_untilRefresh()
    {
        auto store = smallStore(1000);
        QVERIFY(store);
        HistoryModel model(store->history.get());
        const QString row0 = display(model, 0, HistoryModel::Name);
        const QString row250 = display(model, 250, HistoryModel::Name);
        QString error;
        QVERIFY2(store->db->exec(
                     u"UPDATE submissions SET candidate_json = json_set(candidate_json, '$.name',"
                     " 'Renamed ' || id)"_s,
                     u"rename"_s, &error),
                 qPrintable(error));
        QCOMPARE(display(model, 0, HistoryModel::Name), row0);
        QCOMPARE(display(model, 250, HistoryModel::Name), row250);
        // Never shown, so never read: it is read now, as it is.
        QVERIFY(display(model, 700, HistoryModel::Name).startsWith(u"Renamed "_s));

        model.refresh();
        QVERIFY(display(model, 0, HistoryModel::Name).startsWith(u"Renamed "_s));
        QVERIFY(display(model, 250, HistoryModel::Name).startsWith(u"Renamed "_s));
    }

    void sameFilterAgain_keepsTheRows()
    {
        HistoryModel model(m_big.history.get());
        HistoryFilter filter;
        filter.text = u"asha"_s;
        model.setFilter(filter);
        display(model, 0, HistoryModel::Name);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        g_pageReads.clear();
        model.setFilter(filter);
        display(model, 0, HistoryModel::Name);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(g_pageReads, QList<int>());
        filter.text = u"ash"_s;
        model.setFilter(filter);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.filter().text, u"ash"_s);
    }

    void jobColumn_titlesTalentPoolAndUnknownIds()
    {
        HistoryModel model(m_big.history.get());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setJobTitles({ { 10, u"Backend Engineer"_s } });
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().column(), int(HistoryModel::Job));
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 2999);
        QSet<QString> shown;
        for (int r = 0; r < 40; ++r)
            shown << display(model, r, HistoryModel::Job);
        QCOMPARE(shown,
                 QSet<QString>({ u"Talent Pool"_s, u"Backend Engineer"_s, u"#11"_s, u"#12"_s }));
    }

    // New submissions arrive on top: they are inserted rows, so the view keeps
    // its selection and scroll position, and what was row 10 is row 13.
    void refresh_newRowsOnTop_areInserted()
    {
        auto store = smallStore(600);
        QVERIFY(store);
        HistoryModel model(store->history.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 tenth = idAt(model, 10);
        QPersistentModelIndex kept(model.index(10, HistoryModel::Name));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        QString error;
        QVERIFY2(store->add(3, 100, &error), qPrintable(error));
        model.refresh();
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 2);
        QCOMPARE(changed.count(), 1); // the rows below may have changed state
        QCOMPARE(model.rowCount(), 603);
        QCOMPARE(kept.row(), 13);
        QCOMPARE(idAt(model, 13), tenth);
        const QList<Row> want = store->expected({});
        for (int r = 0; r < 5; ++r)
            QCOMPARE(idAt(model, r), want.at(r).id);
    }

    void refresh_stateChangedInPlace_isDataChanged()
    {
        auto store = smallStore(600);
        QVERIFY(store);
        HistoryModel model(store->history.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // A waiting row on screen is claimed and sent.
        int row = 0;
        while (model.data(model.index(row, 0), HistoryModel::StateRole).toInt()
               != int(SubmissionState::Pending))
            ++row;
        const qint64 id = idAt(model, row);
        QPersistentModelIndex kept(model.index(row, 0));
        QString error;
        QVERIFY2(store->db->exec(u"UPDATE submissions SET state = 'cancelled'"
                                 " WHERE state = 'pending' AND id <> %1"_s.arg(id),
                                 u"only one waiting"_s, &error),
                 qPrintable(error));
        model.refresh(); // other rows changed too: still in place
        QCOMPARE(model.data(model.index(row, 0), HistoryModel::StateRole).toInt(),
                 int(SubmissionState::Pending));
        const auto claimed = store->outbox->claimDue(1, &error);
        QCOMPARE(claimed.size(), 1);
        QCOMPARE(claimed.first().id, id);
        QVERIFY2(store->outbox->markSent(id, 4242, 201, &error), qPrintable(error));

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refresh();
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(kept.row(), row);
        QCOMPARE(display(model, row, HistoryModel::Status), u"Sent"_s);
        QCOMPARE(display(model, row, HistoryModel::ServerId), u"#4242"_s);
    }

    // A row that leaves the filter (a failed row retried, under "Failed"):
    // the model cannot say where it was without reading everything, so it resets.
    void refresh_rowLeavesTheFilter_resets()
    {
        auto store = smallStore(600);
        QVERIFY(store);
        HistoryModel model(store->history.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFilter(stateFilter(SubmissionState::Failed));
        const int before = model.rowCount();
        const qint64 id = idAt(model, 3);
        QString error;
        QVERIFY2(store->outbox->retry(id, &error), qPrintable(error));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.refresh();
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), before - 1);
        for (int r = 0; r < model.rowCount(); ++r)
            QVERIFY(idAt(model, r) != id);
    }

    // Qt's own checks of the model contract, while the filter changes, rows
    // arrive, change state and leave, and job titles come in.
    void modelTester_acrossFiltersAndRefreshes()
    {
        auto store = smallStore(700);
        QVERIFY(store);
        HistoryModel model(store->history.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;

        HistoryFilter text;
        text.text = u"asha"_s;
        HistoryFilter job;
        job.jobId = 0;
        HistoryFilter days;
        days.from = QDate(2026, 10, 2);
        days.to = QDate(2026, 10, 4);
        for (const HistoryFilter &f : { text, stateFilter(SubmissionState::Failed), job, days,
                                        HistoryFilter {}, stateFilter(SubmissionState::Sent) }) {
            model.setFilter(f);
            QCOMPARE(model.rowCount(), int(store->expected(f).size()));
            display(model, 0, HistoryModel::Name);
            display(model, model.rowCount() - 1, HistoryModel::Name);
        }

        model.setFilter({});
        display(model, 0, HistoryModel::Name);
        QVERIFY2(store->add(2, 100, &error), qPrintable(error)); // on top
        model.refresh();
        QCOMPARE(model.rowCount(), 702);
        model.setJobTitles(m_titles);

        // 250 new rows: more than a page, so a reset.
        QVERIFY2(store->add(250, 250, &error), qPrintable(error));
        model.refresh();
        QCOMPARE(model.rowCount(), 952);

        model.setFilter(stateFilter(SubmissionState::Failed));
        display(model, 0, HistoryModel::Name);
        QVERIFY2(store->outbox->retry(idAt(model, 0), &error), qPrintable(error));
        model.refresh(); // the top row leaves
        QVERIFY2(store->outbox->cancel(idAt(model, 0), &error), qPrintable(error));
        model.refresh();

        // Refreshing with nothing read yet, and with nothing changed.
        HistoryModel fresh(store->history.get());
        QAbstractItemModelTester freshTester(
            &fresh, QAbstractItemModelTester::FailureReportingMode::QtTest);
        fresh.refresh();
        fresh.refresh();
        QCOMPARE(fresh.rowCount(), int(store->expected({}).size()));
        QCOMPARE(idAt(fresh, 0), store->expected({}).constFirst().id);
    }

    void emptyStore_hasNoRows()
    {
        Fixture empty;
        QString error;
        QVERIFY2(empty.open(&error), qPrintable(error));
        HistoryModel model(empty.history.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.submissionAt(0));
        QVERIFY2(empty.add(3, 100, &error), qPrintable(error));
        model.refresh();
        QCOMPARE(model.rowCount(), 3);
    }
};

QTEST_GUILESS_MAIN(TestHistoryModel)
#include "tst_historymodel.moc"
