// bench_store: how the local store scales. It builds a store of 100,000
// history rows and one of 1,000 (the baseline) in temporary folders. For each
// it prints the time to open the database (integrity check, pragmas,
// migration check) and to run the history view's filtered count + first page,
// then the ratio between the two. Figures, not pass/fail: it is not a ctest test.
//
//   bench_store [--rows N] [--runs R] [--plans]

#include "core/Clock.h"
#include "store/Database.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

struct Case
{
    QString label;
    HistoryFilter filter;
    bool deep = false; // a page from the middle of the results, not the first
};

struct Figures
{
    int rows = 0;
    double fileMb = 0;
    double openMs = 0;
    QList<double> caseMs;
    QList<int> caseCounts;
};

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

const QDateTime BenchStart(QDate(2025, 12, 1), QTime(8, 0), QTimeZone::utc());

QList<Case> cases()
{
    QList<Case> list;
    list << Case { u"no filter"_s, {}, false };
    HistoryFilter text;
    text.text = u"asha"_s;
    list << Case { u"text \"asha\""_s, text, false };
    HistoryFilter email;
    email.text = u"RAO.77"_s;
    list << Case { u"text \"RAO.77\""_s, email, false };
    HistoryFilter failed;
    failed.state = SubmissionState::Failed;
    list << Case { u"state=failed"_s, failed, false };
    HistoryFilter recent;
    recent.from = BenchStart.date().addDays(335);
    recent.to = BenchStart.date().addDays(365);
    list << Case { u"last 30 days"_s, recent, false };
    HistoryFilter combined;
    combined.text = u"asha"_s;
    combined.jobId = 11;
    combined.state = SubmissionState::Sent;
    list << Case { u"text+job+state"_s, combined, false };
    list << Case { u"no filter, deep page"_s, {}, true };
    return list;
}

// Builds a store with `rows` submissions spread over a year: enqueued in
// batches through the real Outbox, then states and one attempt per row set
// in one transaction (as years of use would leave them).
bool build(const QString &dir, int rows, QString *error)
{
    FakeClock clock(BenchStart);
    Database db(dir + u"/cdesk.sqlite"_s, &clock);
    if (!db.open(error))
        return false;
    Outbox outbox(&db, dir, &clock);
    const QStringList first { u"Asha"_s,  u"Élodie"_s, u"Bram"_s,  u"Chen"_s,  u"Dara"_s,
                              u"Émile"_s, u"Ines"_s,   u"Jonas"_s, u"Kavya"_s, u"Mia"_s };
    const QStringList last { u"Rao"_s,    u"Dubois"_s, u"Vries"_s, u"Wang"_s,
                             u"Müller"_s, u"Santos"_s, u"Okafor"_s };
    // 50 batches whatever the size, so both stores span the same year.
    const int batches = 50;
    const int batchSize = (rows + batches - 1) / batches;
    const qint64 yearMs = 365LL * 24 * 3600 * 1000;
    int n = 0;
    for (int b = 0; b < batches; ++b) {
        clock.set(BenchStart.addMSecs(yearMs * b / batches));
        QList<Submission> batch;
        for (int i = 0; i < batchSize && n < rows; ++i, ++n) {
            Submission s;
            const QString f = first.at(n % first.size());
            const QString l = last.at((n / first.size()) % last.size());
            s.candidate.name = f + u' ' + l;
            s.candidate.email = u"%1.%2.%3@example.com"_s.arg(f.toLower(), l.toLower()).arg(n);
            s.candidate.phone = u"+91 98450 %1"_s.arg(10000 + n % 90000);
            s.candidate.jobId = n % 4 == 0 ? std::nullopt : std::optional<qint64>(10 + n % 3);
            s.candidate.source = u"Referral"_s;
            s.candidate.customFields.insert(u"linkedin_url"_s,
                                            u"https://www.linkedin.com/in/candidate-%1"_s.arg(n));
            s.candidate.resumeUrl = QUrl(u"https://files.example.com/cv/%1.pdf"_s.arg(n));
            s.source = u"csv:bench.csv"_s;
            batch << s;
        }
        if (!outbox.enqueueAll(batch, error))
            return false;
    }
    return db.beginWrite(error)
        // % 11, not % 10: the first names repeat every 10 rows, and a state
        // tied to the name would leave some combined filters with no match.
        && db.exec(u"UPDATE submissions SET state = CASE id % 11 WHEN 0 THEN 'failed'"
                   " WHEN 1 THEN 'needs_decision' WHEN 2 THEN 'cancelled' ELSE 'sent' END,"
                   " server_id = CASE WHEN id % 11 > 2 THEN 700000 + id END"_s,
                   u"states"_s, error)
        && db.exec(u"INSERT INTO attempts (submission_id, started_at, finished_at, http_status,"
                   " outcome, message) SELECT id, created_at, created_at, 201, 'sent', ''"
                   " FROM submissions"_s,
                   u"attempts"_s, error)
        && db.commit(error);
}

bool measure(const QString &dir, int runs, bool plans, Figures *figures, QString *error)
{
    FakeClock clock(BenchStart.addDays(366));
    const QString path = dir + u"/cdesk.sqlite"_s;
    figures->fileMb = QFileInfo(path).size() / (1024.0 * 1024.0);

    QList<double> opens;
    for (int r = 0; r < runs; ++r) {
        Database db(path, &clock);
        QElapsedTimer timer;
        timer.start();
        if (!db.open(error))
            return false;
        opens << timer.nsecsElapsed() / 1e6;
    }
    figures->openMs = median(opens);

    Database db(path, &clock);
    if (!db.open(error))
        return false;
    HistoryStore history(&db);
    history.setTimeZone(QTimeZone::utc());
    for (const Case &c : cases()) {
        QList<double> times;
        int count = 0;
        for (int r = 0; r < runs; ++r) {
            QElapsedTimer timer;
            timer.start();
            count = history.count(c.filter);
            const auto page = history.page(c.filter, c.deep ? count / 2 : 0, 50);
            times << timer.nsecsElapsed() / 1e6;
            if (page.size() != qMin(50, c.deep ? count - count / 2 : count)) {
                *error = u"%1: page of %2 rows for a count of %3"_s.arg(c.label)
                             .arg(page.size())
                             .arg(count);
                return false;
            }
        }
        figures->caseMs << median(times);
        figures->caseCounts << count;
    }

    if (plans) {
        // The plans of the queries HistoryStore really runs.
        for (const Case &c : cases()) {
            out() << "  " << c.label << "\n";
            for (const QString &step : history.queryPlan(c.filter))
                out() << "      -> " << step << "\n";
        }
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"How the local store scales with history size."_s);
    parser.addHelpOption();
    const QCommandLineOption rowsOption(u"rows"_s, u"Rows in the large store."_s, u"N"_s,
                                        u"100000"_s);
    const QCommandLineOption runsOption(u"runs"_s, u"Runs per figure (median)."_s, u"R"_s, u"5"_s);
    const QCommandLineOption plansOption(u"plans"_s, u"Print SQLite's query plans."_s);
    parser.addOptions({ rowsOption, runsOption, plansOption });
    parser.process(app);
    const int large = qMax(1000, parser.value(rowsOption).toInt());
    const int runs = qMax(1, parser.value(runsOption).toInt());

    QLoggingCategory::setFilterRules(u"cdesk.store.info=false"_s);
    QList<Figures> all;
    for (int rows : { 1000, large }) {
        QTemporaryDir dir;
        QString error;
        QElapsedTimer timer;
        timer.start();
        if (!build(dir.path(), rows, &error)) {
            std::fprintf(stderr, "build failed: %s\n", qPrintable(error));
            return 1;
        }
        out() << "built " << rows << " rows in " << timer.elapsed() << " ms\n";
        Figures f;
        f.rows = rows;
        if (!measure(dir.path(), runs, parser.isSet(plansOption) && rows == large, &f, &error)) {
            std::fprintf(stderr, "measure failed: %s\n", qPrintable(error));
            return 1;
        }
        all << f;
    }

    const auto list = cases();
    out() << "\nmedian of " << runs << " runs, warm page cache, times in ms\n";
    out() << QString(u"%1 %2 %3"_s)
                 .arg(u"what"_s, -34)
                 .arg(u"%1 rows"_s.arg(all[0].rows), 14)
                 .arg(u"%1 rows"_s.arg(all[1].rows), 14)
          << "   ratio\n";
    auto line = [](const QString &label, double small, double big, const QString &suffix = {}) {
        out() << QString(u"%1 %2 %3 %4"_s)
                     .arg(label, -34)
                     .arg(small, 14, 'f', 2)
                     .arg(big, 14, 'f', 2)
                     .arg(small > 0 ? big / small : 0, 7, 'f', 1)
              << suffix << "\n";
    };
    line(u"file size (MB)"_s, all[0].fileMb, all[1].fileMb);
    line(u"open"_s, all[0].openMs, all[1].openMs);
    for (int i = 0; i < list.size(); ++i) {
        line(u"count+page: "_s + list[i].label, all[0].caseMs[i], all[1].caseMs[i],
             u"   (%1 / %2 matches)"_s.arg(all[0].caseCounts[i]).arg(all[1].caseCounts[i]));
    }
    out().flush();
    return 0;
}
