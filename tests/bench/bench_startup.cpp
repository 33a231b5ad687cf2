// bench_startup: cold start to the first shown window of candidate-desk with
// 100,000 submissions in its history, against a bare Qt Widgets window
// started the same way (offscreen), as a ratio. Each program quits as soon as
// its first frame is painted; the figure is the whole process's wall time,
// median of several runs. Figures, not pass/fail: not a ctest test.
//
//   bench_startup [--rows N] [--runs R]

#include "core/Clock.h"
#include "store/Database.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

double medianMs(const QString &program, const QStringList &arguments,
                const QProcessEnvironment &env, int runs)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QProcess process;
        process.setProcessEnvironment(env);
        QElapsedTimer timer;
        timer.start();
        process.start(program, arguments);
        if (!process.waitForFinished(120000) || process.exitCode() != 0) {
            std::fprintf(stderr, "%s failed: %s\n", qPrintable(program),
                         process.readAllStandardError().constData());
            return -1;
        }
        times.append(timer.nsecsElapsed() / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times.at(times.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({ { u"rows"_s, u"History rows (default 100000)."_s, u"N"_s, u"100000"_s },
                        { u"runs"_s, u"Runs of each program (default 5)."_s, u"R"_s, u"5"_s } });
    parser.process(app);
    const int rows = qMax(1, parser.value(u"rows"_s).toInt());
    const int runs = qMax(1, parser.value(u"runs"_s).toInt());

    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u"config"_s));
    env.insert(u"XDG_DATA_HOME"_s, home.filePath(u"data"_s));
    env.insert(u"XDG_CACHE_HOME"_s, home.filePath(u"cache"_s));
    env.insert(u"CANDIDATE_DESK_TOKEN"_s, u"0123456789abcdef0123456789abcdef01234567"_s);
    env.insert(u"CANDIDATE_DESK_EXIT_WHEN_SHOWN"_s, u"1"_s);
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);

    // The app's own data folder under the temporary home, filled with sent submissions.
    const QString dataDir = home.filePath(u"data/candidate-desk/candidate-desk"_s);
    {
        Workspace workspace(dataDir, Clock::system());
        QString error;
        if (!workspace.open(&error)) {
            std::fprintf(stderr, "workspace: %s\n", qPrintable(error));
            return 1;
        }
        QList<Submission> batch;
        batch.reserve(rows);
        for (int i = 0; i < rows; ++i) {
            Submission s;
            s.candidate.name = u"Candidate %1"_s.arg(i);
            s.candidate.email = u"candidate.%1@example.com"_s.arg(i);
            s.candidate.phone = u"+91987650%1"_s.arg(i % 10000, 4, 10, QLatin1Char('0'));
            s.candidate.resumeUrl = QUrl(u"https://files.example.com/%1.pdf"_s.arg(i));
            batch.append(s);
        }
        if (!workspace.outbox()->enqueueAll(batch, &error)) {
            std::fprintf(stderr, "enqueue: %s\n", qPrintable(error));
            return 1;
        }
        // History, not outbox: the window must not try to send them.
        QSqlQuery sent(workspace.database()->connection());
        sent.exec(u"UPDATE submissions SET state = 'sent', server_id = id"_s);
    }

    const QString app_ = QStringLiteral(CDESK_APP_EXE);
    // A closed port: the jobs request fails at once and the window shows the cache.
    const double appMs
        = medianMs(app_, { u"--api-url"_s, u"http://127.0.0.1:9/api/v1"_s }, env, runs);
    const double bareMs = medianMs(QStringLiteral(CDESK_BARE_EXE), {}, env, runs);
    std::printf("history rows: %d, runs: %d (median, offscreen, process start to first frame)\n",
                rows, runs);
    std::printf("bare Qt Widgets window: %8.1f ms\n", bareMs);
    std::printf("candidate-desk:         %8.1f ms\n", appMs);
    std::printf("ratio: %.2f\n", bareMs > 0 ? appMs / bareMs : 0.0);
    return 0;
}
