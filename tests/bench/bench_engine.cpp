// bench_engine: the submission engine's throughput against the sandbox on
// loopback. Baseline: the same number of creates sent one after another
// straight through the ApiClient (no outbox, no SQLite, no lookups). Then the
// engine drains an outbox of the same size (enqueued in one transaction), with
// the lookup before each create and every state change written with
// synchronous=FULL. Prints submissions per second for both and the ratio.
// Figures, not pass/fail: not a ctest test.
//
//   bench_engine [--count N] [--concurrency C]

#include "SandboxFixture.h"
#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

Candidate candidate(const QString &tag, int i)
{
    Candidate c;
    c.name = u"Bench Candidate %1"_s.arg(i);
    c.email = u"%1.%2@example.com"_s.arg(tag).arg(i);
    c.phone = u"+91987650%1"_s.arg(i % 10000, 4, 10, QLatin1Char('0'));
    c.resumeUrl = QUrl(u"https://files.example.com/%1.pdf"_s.arg(i));
    return c;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        { { u"count"_s, u"Submissions per run (default 500)."_s, u"N"_s, u"500"_s },
          { u"concurrency"_s, u"Engine concurrency (default 4)."_s, u"C"_s, u"4"_s } });
    parser.process(app);
    const int count = qMax(1, parser.value(u"count"_s).toInt());
    const int concurrency = qBound(1, parser.value(u"concurrency"_s).toInt(), 16);

    test::SandboxFixture sandbox;
    if (!sandbox.start()) {
        std::fprintf(stderr, "sandbox: %s\n", qPrintable(sandbox.errorString()));
        return 1;
    }
    QNetworkAccessManager network;
    ApiClient api(&network, Clock::system());
    api.setEndpoint(ApiEndpoint(sandbox.baseUrl(), sandbox.token()));

    // Baseline: one create after another through the client alone.
    QElapsedTimer timer;
    timer.start();
    int failures = 0;
    for (int i = 0; i < count; ++i) {
        QEventLoop loop;
        ApiCall *call = api.createCandidate(candidate(u"base"_s, i), u"base-%1"_s.arg(i));
        QObject::connect(call, &ApiCall::finished, &loop, [&](const ApiResult &r) {
            failures += r.ok() ? 0 : 1;
            loop.quit();
        });
        loop.exec();
    }
    const double baselineS = timer.elapsed() / 1000.0;

    // The engine: outbox in SQLite, lookups, N at a time.
    QTemporaryDir data;
    Workspace workspace(data.path(), Clock::system());
    QString error;
    if (!workspace.open(&error)) {
        std::fprintf(stderr, "workspace: %s\n", qPrintable(error));
        return 1;
    }
    QList<Submission> batch;
    for (int i = 0; i < count; ++i) {
        Submission s;
        s.candidate = candidate(u"engine"_s, i);
        batch.append(s);
    }
    timer.restart();
    if (!workspace.outbox()->enqueueAll(batch, &error)) {
        std::fprintf(stderr, "enqueue: %s\n", qPrintable(error));
        return 1;
    }
    const double enqueueS = timer.elapsed() / 1000.0;
    SubmissionEngine engine(workspace.outbox(), &api, Clock::system());
    engine.setConcurrency(concurrency);
    QEventLoop loop;
    QObject::connect(&engine, &SubmissionEngine::idle, &loop, [&] {
        if (workspace.outbox()->pendingCount() == 0)
            loop.quit();
    });
    timer.restart();
    engine.start();
    loop.exec();
    const double engineS = timer.elapsed() / 1000.0;

    const double baselineRate = count / baselineS;
    const double engineRate = count / engineS;
    std::printf("submissions: %d (baseline failures: %d)\n", count, failures);
    std::printf("baseline, ApiClient one at a time: %8.1f /s (%.2f s)\n", baselineRate, baselineS);
    std::printf("enqueue into the outbox:           %8.1f /s (%.2f s, one transaction)\n",
                count / qMax(enqueueS, 0.001), enqueueS);
    std::printf("engine, concurrency %2d, lookups:   %8.1f /s (%.2f s)\n", concurrency, engineRate,
                engineS);
    std::printf("ratio engine/baseline: %.2f\n", engineRate / baselineRate);
    return 0;
}
