// The history export without a widget: a real SQLite file in a temporary
// folder, rows made through the real Outbox, a fake clock.
#include "CsvReader.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/HistoryExport.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using cdesk::test::parseCsv;

namespace {

struct Row
{
    qint64 id = 0;
    QString name;
    QString email;
    QDateTime createdAt;
};

QStringList emailsIn(const QList<QStringList> &records)
{
    QStringList emails;
    for (const QStringList &r : records.mid(1))
        emails << r.value(2);
    return emails;
}

} // namespace

class TestHistoryExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    FakeClock m_clock { QDateTime(QDate(2026, 9, 1), QTime(8, 0), QTimeZone::utc()) };
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<HistoryStore> m_history;
    QList<Row> m_rows; // every row made, in the order made
    qint64 m_sentId = 0;

    std::optional<Submission> enqueue(const QString &name, const QString &email,
                                      std::optional<qint64> jobId = std::nullopt,
                                      const QString &phone = u"+91 98450 12345"_s)
    {
        Submission s;
        s.candidate.name = name;
        s.candidate.email = email;
        s.candidate.phone = phone;
        s.candidate.jobId = jobId;
        s.candidate.source = u"Referral"_s;
        s.source = u"form"_s;
        QString error;
        auto stored = m_outbox->enqueue(s, &error);
        if (!stored) {
            qWarning() << error;
            return std::nullopt;
        }
        m_rows << Row { stored->id, name, email, stored->createdAt };
        m_clock.advance(60 * 1000);
        return stored;
    }

    // Many rows, one transaction a day: an export of them spans pages.
    bool addMany(const QString &prefix, int days, int perDay)
    {
        QString error;
        for (int day = 0; day < days; ++day) {
            QList<Submission> batch;
            for (int i = 0; i < perDay; ++i) {
                const int n = day * perDay + i;
                Submission s;
                s.candidate.name = u"%1 Number %2"_s.arg(prefix).arg(n);
                s.candidate.email = u"%1.%2@example.com"_s.arg(prefix.toLower()).arg(n);
                s.candidate.jobId = n % 3 == 0 ? std::nullopt : std::optional<qint64>(10 + n % 2);
                batch << s;
            }
            const auto stored = m_outbox->enqueueAll(batch, &error);
            if (!stored) {
                qWarning() << error;
                return false;
            }
            for (const Submission &s : *stored)
                m_rows << Row { s.id, s.candidate.name, s.candidate.email, s.createdAt };
            m_clock.advance(24 * 3600 * 1000LL);
        }
        return true;
    }

    QList<Row> newestFirst(const std::function<bool(const Row &)> &keep = {}) const
    {
        QList<Row> rows;
        for (const Row &r : m_rows) {
            if (!keep || keep(r))
                rows << r;
        }
        std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
            return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
        });
        return rows;
    }

    static QStringList emailsOf(const QList<Row> &rows)
    {
        QStringList emails;
        for (const Row &r : rows)
            emails << r.email;
        return emails;
    }

    // Runs one export to its end; the file's records, or none.
    HistoryExport::Result run(HistoryExport &job, const HistoryFilter &filter, const QString &path)
    {
        QSignalSpy finished(&job, &HistoryExport::finished);
        if (!job.start(filter, path))
            return {};
        if (!finished.wait(30000))
            return {};
        return finished.first().first().value<HistoryExport::Result>();
    }

    static QList<QStringList> recordsOf(const QString &path, QByteArray *raw = nullptr)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray bytes = file.readAll();
        if (raw)
            *raw = bytes;
        if (!bytes.startsWith("\xEF\xBB\xBF"))
            return {};
        QString problem;
        const auto records = parseCsv(QString::fromUtf8(bytes.mid(3)), &problem);
        if (!problem.isEmpty()) {
            qWarning() << problem;
            return {};
        }
        return records;
    }

    // Nothing of an export that did not finish: not the file, not a temporary one.
    bool nothingLeftOf(const QString &path) const
    {
        const QString name = QFileInfo(path).fileName();
        return !QFile::exists(path)
            && QDir(m_dir.path()).entryList({ name + u'*' }, QDir::Files).isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(u"cdesk.store.info=false"_s);
        m_db = std::make_unique<Database>(m_dir.filePath(u"cdesk.sqlite"_s), &m_clock);
        QString error;
        QVERIFY2(m_db->open(&error), qPrintable(error));
        m_outbox = std::make_unique<Outbox>(m_db.get(), m_dir.filePath(u"data"_s), &m_clock);
        m_history = std::make_unique<HistoryStore>(m_db.get());
        m_history->setTimeZone(QTimeZone::utc());

        auto sent = enqueue(u"Samuel Sentwell"_s, u"samuel@example.com"_s, 11);
        QVERIFY(sent);
        m_sentId = sent->id;
        QVERIFY(m_outbox->claimDue(1).size() == 1);
        QVERIFY(m_outbox->markSent(m_sentId, 4242, 201, &error));
        // What a CSV must quote, and what a spreadsheet would run.
        QVERIFY(enqueue(u"Smith, \"Jo\""_s, u"jo.smith@example.com"_s, 10));
        QVERIFY(enqueue(u"Line\nBreak"_s, u"line.break@example.com"_s));
        QVERIFY(enqueue(u"Carriage\rReturn"_s, u"carriage@example.com"_s));
        QVERIFY(enqueue(u"=HYPERLINK(\"http://x\")"_s, u"formula@example.com"_s));
        QVERIFY(enqueue(u"@SUM(A1:A9)"_s, u"at@example.com"_s));
        QVERIFY(enqueue(u"Minus Sign"_s, u"minus@example.com"_s, std::nullopt, u"-2+3*cmd"_s));
        QVERIFY(enqueue(u"Plain Minus"_s, u"plain.minus@example.com"_s, std::nullopt, u"-42"_s));
        QVERIFY(enqueue(u"Ærøskøbing Ünïcödé"_s, u"aero@example.com"_s, 99));
        QVERIFY(addMany(u"Bulk"_s, 12, 100));
    }

    void writesEveryRow_newestFirst_withHeaderAndTitles()
    {
        HistoryExport job(m_history.get());
        job.setJobTitles({ { 10, u"Backend Engineer"_s }, { 11, u"Data Analyst"_s } });
        const QString path = m_dir.filePath(u"all.csv"_s);
        const HistoryExport::Result result = run(job, {}, path);
        QCOMPARE(result.outcome, HistoryExport::Outcome::Written);
        QCOMPARE(result.path, path);
        QCOMPARE(result.rows, int(m_rows.size()));
        QVERIFY(!job.isRunning());

        const QList<QStringList> records = recordsOf(path);
        QCOMPARE(records.value(0),
                 QStringList({ u"Time"_s, u"Name"_s, u"Email"_s, u"Phone"_s, u"Job"_s, u"Source"_s,
                               u"Status"_s, u"Server ID"_s, u"Error"_s, u"Resume file"_s,
                               u"Resume link"_s }));
        QCOMPARE(emailsIn(records), emailsOf(newestFirst()));
        for (const QStringList &r : records.mid(1))
            QCOMPARE(r.size(), 11);
        const auto byEmail = [&](const QString &email) {
            return *std::find_if(records.cbegin(), records.cend(),
                                 [&](const QStringList &r) { return r.value(2) == email; });
        };
        const QStringList sent = byEmail(u"samuel@example.com"_s);
        QCOMPARE(sent.at(4), u"Data Analyst"_s);
        QCOMPARE(sent.at(6), stateLabel(SubmissionState::Sent));
        QCOMPARE(sent.at(7), u"4242"_s);
        QCOMPARE(byEmail(u"jo.smith@example.com"_s).at(4), u"Backend Engineer"_s);
        QCOMPARE(byEmail(u"line.break@example.com"_s).at(4), u"Talent Pool"_s);
        QCOMPARE(byEmail(u"aero@example.com"_s).at(4), u"#99"_s); // a job without a title
        QCOMPARE(byEmail(u"aero@example.com"_s).at(6), stateLabel(SubmissionState::Pending));
    }

    void quotesCommasQuotesAndLineBreaks()
    {
        HistoryExport job(m_history.get());
        const QString path = m_dir.filePath(u"quoting.csv"_s);
        QCOMPARE(run(job, {}, path).outcome, HistoryExport::Outcome::Written);
        QByteArray raw;
        const QList<QStringList> records = recordsOf(path, &raw);
        QVERIFY(!records.isEmpty());
        QVERIFY(raw.contains("\"Smith, \"\"Jo\"\"\""));
        QVERIFY(raw.contains("\"Line\nBreak\""));
        QVERIFY(raw.contains("\"Carriage\rReturn\""));
        QVERIFY(raw.contains("\xC3\x86r\xC3\xB8sk\xC3\xB8"
                             "bing")); // UTF-8
        QStringList names;
        for (const QStringList &r : records)
            names << r.value(1);
        QVERIFY(names.contains(u"Smith, \"Jo\""_s));
        QVERIFY(names.contains(u"Line\nBreak"_s));
        QVERIFY(names.contains(u"Carriage\rReturn"_s));
    }

    void guardsFormulas_butLeavesPhoneNumbers()
    {
        HistoryExport job(m_history.get());
        const QString path = m_dir.filePath(u"formulas.csv"_s);
        QCOMPARE(run(job, {}, path).outcome, HistoryExport::Outcome::Written);
        QHash<QString, QStringList> byEmail;
        for (const QStringList &r : recordsOf(path))
            byEmail.insert(r.value(2), r);
        QCOMPARE(byEmail.value(u"formula@example.com"_s).at(1), u"'=HYPERLINK(\"http://x\")"_s);
        QCOMPARE(byEmail.value(u"at@example.com"_s).at(1), u"'@SUM(A1:A9)"_s);
        QCOMPARE(byEmail.value(u"minus@example.com"_s).at(3), u"'-2+3*cmd"_s);
        QCOMPARE(byEmail.value(u"plain.minus@example.com"_s).at(3), u"-42"_s);
        QCOMPARE(byEmail.value(u"samuel@example.com"_s).at(3), u"+91 98450 12345"_s);
    }

    void filter_selectsTheRows()
    {
        HistoryExport job(m_history.get());
        HistoryFilter filter;
        filter.text = u"bulk number 1"_s;
        filter.jobId = 0;
        const QString path = m_dir.filePath(u"filtered.csv"_s);
        const auto result = run(job, filter, path);
        QCOMPARE(result.outcome, HistoryExport::Outcome::Written);
        const QList<Row> want = newestFirst([](const Row &r) {
            if (!r.name.startsWith(u"Bulk Number 1"_s))
                return false;
            return r.name.mid(12).toInt() % 3 == 0; // the Talent Pool rows
        });
        QVERIFY(want.size() > 10);
        QCOMPARE(result.rows, int(want.size()));
        QCOMPARE(emailsIn(recordsOf(path)), emailsOf(want));
    }

    void progress_goesUp_andReachesTheTotal()
    {
        HistoryExport job(m_history.get());
        QList<std::pair<int, int>> steps;
        connect(&job, &HistoryExport::progress, this, [&](int done, int total) {
            steps.append({ done, total });
        });
        const auto result = run(job, {}, m_dir.filePath(u"progress.csv"_s));
        QCOMPARE(result.outcome, HistoryExport::Outcome::Written);
        const int all = int(m_rows.size());
        QVERIFY2(steps.size() >= 3, "one call a page and one at the end");
        for (qsizetype i = 0; i < steps.size(); ++i) {
            QCOMPARE(steps.at(i).second, all);
            QVERIFY(steps.at(i).first <= all);
            if (i > 0)
                QVERIFY(steps.at(i).first > steps.at(i - 1).first);
        }
        QCOMPARE(steps.constLast(), std::make_pair(all, all));
    }

    void cancel_afterAPage_leavesNoFile()
    {
        HistoryExport job(m_history.get());
        const QString path = m_dir.filePath(u"cancelled.csv"_s);
        QSignalSpy finished(&job, &HistoryExport::finished);
        connect(&job, &HistoryExport::progress, &job, &HistoryExport::cancel);
        QVERIFY(job.start({}, path));
        QTRY_COMPARE(finished.count(), 1);
        const auto result = finished.first().first().value<HistoryExport::Result>();
        QCOMPARE(result.outcome, HistoryExport::Outcome::Cancelled);
        QCOMPARE(result.rows, 0);
        QVERIFY(!job.isRunning());
        QTest::qWait(20); // a step queued before the cancel must not write
        QCOMPARE(finished.count(), 1);
        QVERIFY(nothingLeftOf(path));
    }

    void cancel_beforeTheFirstPage_endsAtOnce()
    {
        HistoryExport job(m_history.get());
        const QString path = m_dir.filePath(u"at-once.csv"_s);
        QSignalSpy finished(&job, &HistoryExport::finished);
        QVERIFY(job.start({}, path));
        QVERIFY(job.isRunning());
        job.cancel();
        QCOMPARE(finished.count(), 1);
        job.cancel(); // nothing to cancel: no second finished()
        QTest::qWait(20);
        QCOMPARE(finished.count(), 1);
        QVERIFY(nothingLeftOf(path));

        // The job takes the next export as if nothing had happened.
        const auto next = run(job, {}, path);
        QCOMPARE(next.outcome, HistoryExport::Outcome::Written);
        QCOMPARE(next.rows, int(m_rows.size()));
    }

    void aFolderThatIsNotThere_fails_later_withoutAFile()
    {
        HistoryExport job(m_history.get());
        const QString path = m_dir.filePath(u"missing/folder/history.csv"_s);
        QSignalSpy finished(&job, &HistoryExport::finished);
        QVERIFY(job.start({}, path));
        QCOMPARE(finished.count(), 0); // never from within start()
        QVERIFY(finished.wait(5000));
        const auto result = finished.first().first().value<HistoryExport::Result>();
        QCOMPARE(result.outcome, HistoryExport::Outcome::Failed);
        QCOMPARE(result.path, path);
        QVERIFY(!result.error.isEmpty());
        QVERIFY(!QFile::exists(path));
        QVERIFY(!job.isRunning());
    }

    void aSecondStart_whileOneRuns_isRefused()
    {
        HistoryExport job(m_history.get());
        QSignalSpy finished(&job, &HistoryExport::finished);
        QVERIFY(job.start({}, m_dir.filePath(u"first.csv"_s)));
        QVERIFY(!job.start({}, m_dir.filePath(u"second.csv"_s)));
        QVERIFY(!job.start({}, {}));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.count(), 1);
        QVERIFY(QFile::exists(m_dir.filePath(u"first.csv"_s)));
        QVERIFY(!QFile::exists(m_dir.filePath(u"second.csv"_s)));
    }

    // Other connections keep writing while the export runs: rows it has
    // written leave the filter, and newer rows arrive. Each row that matched
    // when it began is written once, in order, and no other.
    void rowsLeavingAndArriving_duringTheExport_eachRowOnce()
    {
        HistoryFilter waiting;
        waiting.state = SubmissionState::Pending;
        const QList<Row> before = newestFirst([&](const Row &r) { return r.id != m_sentId; });
        QVERIFY(before.size() > 1000);
        HistoryExport job(m_history.get());
        bool changed = false;
        connect(&job, &HistoryExport::progress, this, [&] {
            if (std::exchange(changed, true))
                return;
            QStringList ids;
            for (int i = 100; i < 180; ++i)
                ids << QString::number(before.at(i).id);
            QString error;
            QVERIFY2(
                m_db->exec(u"UPDATE submissions SET state = 'cancelled' WHERE id IN (%1)"_s.arg(
                               ids.join(u',')),
                           u"cancel"_s, &error),
                qPrintable(error));
            QVERIFY(addMany(u"Late"_s, 1, 600));
        });
        const QString path = m_dir.filePath(u"moving.csv"_s);
        const auto result = run(job, waiting, path);
        QVERIFY(changed);
        QCOMPARE(result.outcome, HistoryExport::Outcome::Written);
        QCOMPARE(emailsIn(recordsOf(path)), emailsOf(before));
    }
};

QTEST_MAIN(TestHistoryExport)
#include "tst_historyexport.moc"
