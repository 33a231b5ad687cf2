// bench_history_view: how the history view scales. It builds a store of
// 100,000 submissions and one of 1,000 (the baseline) in temporary folders,
// then, for each, times a HistoryPane from construction to the first painted
// rows of its table, and a few things the recruiter does next (scroll to the
// middle and the end, search, a refresh after a new submission). It prints
// the medians and the ratio large / baseline. Figures, not pass/fail: it is
// not a ctest test. Runs on the offscreen platform unless QT_QPA_PLATFORM says
// otherwise; painting is real (into the offscreen backing store).
//
//   bench_history_view [--rows N] [--runs R] [--screenshot FILE.png]

#include "HistoryPane.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/HistoryModel.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

const QDateTime BenchStart(QDate(2025, 12, 1), QTime(8, 0), QTimeZone::utc());

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

// As bench_store builds its stores: a year of submissions through the real
// Outbox in 50 transactions, then states, server ids and one attempt each.
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
            s.source = u"csv:bench.csv"_s;
            batch << s;
        }
        if (!outbox.enqueueAll(batch, error))
            return false;
    }
    return db.beginWrite(error)
        && db.exec(
            u"UPDATE submissions SET state = CASE id % 11 WHEN 0 THEN 'failed'"
            " WHEN 1 THEN 'needs_decision' WHEN 2 THEN 'cancelled' ELSE 'sent' END,"
            " server_id = CASE WHEN id % 11 > 2 THEN 700000 + id END,"
            " last_error = CASE id % 11 WHEN 0 THEN 'Email: enter a valid address' ELSE '' END"_s,
            u"states"_s, error)
        && db.exec(u"INSERT INTO attempts (submission_id, started_at, finished_at, http_status,"
                   " outcome, message) SELECT id, created_at, created_at, 201, 'sent', ''"
                   " FROM submissions"_s,
                   u"attempts"_s, error)
        && db.commit(error);
}

// Runs `action` and returns the milliseconds until the table has painted rows
// after it: the clock stops on the first turn of the event loop after a cell
// was drawn, when the rows are on screen. (A paint event alone is not enough:
// after a reset the view paints once before it lays the rows out.) The probe
// is the table's default delegate, a QStyledItemDelegate, as without it.
class PaintClock : public QStyledItemDelegate
{
public:
    explicit PaintClock(QTableView *table)
        : QStyledItemDelegate(table)
    {
        table->setItemDelegate(this);
    }

    double time(const std::function<void()> &action)
    {
        QEventLoop loop;
        m_loop = &loop;
        m_painted = false;
        m_timer.start();
        action();
        QTimer::singleShot(10000, &loop, [&loop] { loop.exit(1); });
        if (loop.exec() != 0)
            std::fprintf(stderr, "no rows painted within 10 s\n");
        m_loop = nullptr;
        return double(m_elapsedNs) / 1e6;
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        if (m_loop && !m_painted) {
            m_painted = true;
            QTimer::singleShot(0, this, [this] {
                m_elapsedNs = m_timer.nsecsElapsed();
                if (m_loop)
                    m_loop->quit();
            });
        }
    }

private:
    QEventLoop *m_loop = nullptr;
    QElapsedTimer m_timer;
    mutable bool m_painted = false;
    mutable qint64 m_elapsedNs = 0;
};

struct Figures
{
    int rows = 0;
    QList<double> show, middle, end, search, refresh;
};

bool measure(const QString &dir, int runs, const QString &screenshot, Figures *f, QString *error)
{
    FakeClock clock(BenchStart.addDays(366));
    Database db(dir + u"/cdesk.sqlite"_s, &clock);
    if (!db.open(error))
        return false;
    HistoryStore history(&db);
    Outbox outbox(&db, dir, &clock);
    const QHash<qint64, QString> titles { { 10, u"Backend Engineer"_s },
                                          { 11, u"Data Analyst"_s },
                                          { 12, u"Account Manager"_s } };
    for (int r = 0; r < runs; ++r) {
        std::unique_ptr<HistoryPane> pane;
        QTableView *table = nullptr;
        PaintClock *paints = nullptr;
        // Construction (the count) through the first painted rows.
        QElapsedTimer total;
        total.start();
        pane = std::make_unique<HistoryPane>(&history);
        pane->setJobTitles(titles);
        pane->resize(1100, 700);
        table = pane->findChild<QTableView *>(u"historyTable"_s);
        paints = new PaintClock(table);
        const double built = double(total.nsecsElapsed()) / 1e6;
        f->show << built + paints->time([&] { pane->show(); });

        f->middle << paints->time([&] {
            table->scrollTo(pane->model()->index(f->rows / 2, 0),
                            QAbstractItemView::PositionAtCenter);
        });
        f->end << paints->time([&] { table->scrollToBottom(); });
        f->search << paints->time([&] {
            HistoryFilter filter;
            filter.text = u"asha"_s;
            pane->model()->setFilter(filter);
        });
        pane->model()->setFilter({});
        paints->time([&] { table->scrollToTop(); });
        // One more submission on top, as the engine reports it.
        Submission s;
        s.candidate.name = u"Newest Arrival"_s;
        s.candidate.email = u"newest.%1@example.com"_s.arg(r);
        clock.advance(1000);
        if (!outbox.enqueue(s, error))
            return false;
        f->refresh << paints->time([&] { pane->refresh(); });
        if (!screenshot.isEmpty() && r == runs - 1) {
            table->selectRow(1);
            QEventLoop settle;
            QTimer::singleShot(50, &settle, &QEventLoop::quit);
            settle.exec();
            pane->grab().save(screenshot);
        }
    }
    return true;
}

// The offscreen platform warns on every new window that it cannot pass size
// hints on: noise in the figures.
QtMessageHandler g_previousHandler = nullptr;

void quietOffscreen(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(u"propagateSizeHints"_s))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

int main(int argc, char **argv)
{
    g_previousHandler = qInstallMessageHandler(quietOffscreen);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"How the history view scales with history size."_s);
    parser.addHelpOption();
    const QCommandLineOption rowsOption(u"rows"_s, u"Rows in the large store."_s, u"N"_s,
                                        u"100000"_s);
    const QCommandLineOption runsOption(u"runs"_s, u"Runs per figure (median)."_s, u"R"_s, u"7"_s);
    const QCommandLineOption shotOption(
        u"screenshot"_s, u"Save the pane over the large store as a PNG."_s, u"FILE"_s);
    parser.addOptions({ rowsOption, runsOption, shotOption });
    parser.process(app);
    const int large = qMax(1000, parser.value(rowsOption).toInt());
    const int runs = qMax(1, parser.value(runsOption).toInt());

    QLoggingCategory::setFilterRules(u"cdesk.store.info=false"_s);
    QList<Figures> all;
    bool warm = false;
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
        out().flush();
        if (!warm) {
            // The first window of a process pays for fonts, style and the
            // platform plugin: not for the history. One unmeasured run first.
            Figures ignored;
            if (!measure(dir.path(), 1, {}, &ignored, &error)) {
                std::fprintf(stderr, "warm-up failed: %s\n", qPrintable(error));
                return 1;
            }
            warm = true;
        }
        Figures f;
        f.rows = rows; // as built: each run adds one row on top, for the refresh
        const QString shot = rows == large ? parser.value(shotOption) : QString();
        if (!measure(dir.path(), runs, shot, &f, &error)) {
            std::fprintf(stderr, "measure failed: %s\n", qPrintable(error));
            return 1;
        }
        all << f;
    }

    out() << "\nmedian of " << runs << " runs, times in ms (" << qgetenv("QT_QPA_PLATFORM")
          << " platform)\n";
    out() << QString(u"%1 %2 %3"_s)
                 .arg(u"what"_s, -40)
                 .arg(u"%1 rows"_s.arg(all[0].rows), 12)
                 .arg(u"%1 rows"_s.arg(all[1].rows), 12)
          << "   ratio\n";
    auto line = [](const QString &label, double small, double big) {
        out() << QString(u"%1 %2 %3 %4"_s)
                     .arg(label, -40)
                     .arg(small, 12, 'f', 2)
                     .arg(big, 12, 'f', 2)
                     .arg(small > 0 ? big / small : 0, 7, 'f', 2)
              << "\n";
    };
    line(u"new pane to first painted rows"_s, median(all[0].show), median(all[1].show));
    line(u"scroll to the middle, painted"_s, median(all[0].middle), median(all[1].middle));
    line(u"scroll to the end, painted"_s, median(all[0].end), median(all[1].end));
    line(u"search \"asha\", painted"_s, median(all[0].search), median(all[1].search));
    line(u"refresh, one new row on top, painted"_s, median(all[0].refresh), median(all[1].refresh));
    out() << "\nfirst painted rows, " << all[1].rows << " vs " << all[0].rows << " rows: ratio "
          << QString::number(median(all[1].show) / qMax(1e-9, median(all[0].show)), 'f', 2) << "\n";
    out().flush();
    return 0;
}
