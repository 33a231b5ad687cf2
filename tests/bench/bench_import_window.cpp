// bench_import_window: a sheet of N candidates with 100 KB resumes imported
// in the window's import dialog against the sandbox (in its own thread),
// offscreen. Prints the rate, and the longest stall of the GUI thread while
// the sheet is read and checked and while the rows are queued and sent (a
// 5 ms ticker's largest gap), against the same ticker on the idle dialog in
// the same run. The goal: no stall over 50 ms. Figures, not pass/fail.
//
//   bench_import_window [--count N] [--resume-kb K] [--concurrency C]

#include "ImportDialog.h"
#include "SandboxFixture.h"
#include "StallProbe.h"
#include "TestData.h"
#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/ImportRun.h"
#include "intake/IntakeSession.h"
#include "intake/SubmissionEngine.h"
#include "settings/Settings.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace cdesk;
using cdesk::bench::StallProbe;

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({ { u"count"_s, u"Rows in the sheet (default 1000)."_s, u"N"_s, u"1000"_s },
                        { u"resume-kb"_s, u"Resume size in KB (default 100)."_s, u"K"_s, u"100"_s },
                        { u"concurrency"_s, u"Requests in flight (default 4, as Settings)."_s,
                          u"C"_s, u"4"_s } });
    parser.process(app);
    const int count = qMax(1, parser.value(u"count"_s).toInt());
    const int resumeKb = qMax(1, parser.value(u"resume-kb"_s).toInt());

    test::SandboxFixture sandbox;
    sandbox::Options options;
    options.maxResumeBytes = 50 * 1024 * 1024;
    if (!sandbox.start(options)) {
        std::fprintf(stderr, "sandbox: %s\n", qPrintable(sandbox.errorString()));
        return 1;
    }
    QTemporaryDir dir;
    const QString sheetDir = dir.filePath(u"sheet"_s);
    QByteArray sheet = "Name,Email,Phone,Resume\r\n";
    for (int i = 0; i < count; ++i) {
        const QString resume = u"cvs/cv-%1.pdf"_s.arg(i);
        if (test::writeFile(sheetDir + u"/cvs"_s, u"cv-%1.pdf"_s.arg(i),
                            test::minimalPdf("Window Import " + QByteArray::number(i),
                                             qsizetype(resumeKb) * 1024))
                .isEmpty()) {
            std::fprintf(stderr, "could not write the resumes\n");
            return 1;
        }
        sheet += u"Window Import %1,window.%1.%2@example.com,+91 9%3,%4\r\n"_s.arg(i)
                     .arg(QCoreApplication::applicationPid())
                     .arg(700000000 + i)
                     .arg(resume)
                     .toUtf8();
    }
    const QString csv = test::writeFile(sheetDir, u"window.csv"_s, sheet);

    Workspace workspace(dir.filePath(u"data"_s), Clock::system());
    QString error;
    if (!workspace.open(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const auto settings = Settings::temporary();
    settings->setMaxResumeBytes(options.maxResumeBytes);
    QNetworkAccessManager network;
    ApiClient api(&network, Clock::system());
    api.setEndpoint(ApiEndpoint(sandbox.baseUrl(), sandbox.token()));
    SubmissionEngine engine(workspace.outbox(), &api, Clock::system());
    engine.setConcurrency(parser.value(u"concurrency"_s).toInt());
    engine.start();
    IntakeSession session({ &workspace, &engine, &api, settings.get() });
    ImportDialog dialog({ &session, &workspace, &engine, settings.get() }, nullptr);
    dialog.resize(900, 700);
    dialog.show();
    ImportRun *run = dialog.run();

    StallProbe idle;
    idle.runUntil([] { return false; }, 2000);

    bool checked = false;
    QObject::connect(run, &ImportRun::checked, [&] { checked = true; });
    StallProbe reading;
    dialog.openFile(csv);
    reading.runUntil([&] { return checked; }, 120000);
    if (!checked || run->readyCount() != count) {
        std::fprintf(stderr, "the sheet was not read: %d of %d rows ready\n", run->readyCount(),
                     count);
        return 1;
    }

    bool finished = false;
    QObject::connect(run, &ImportRun::finished, [&] { finished = true; });
    StallProbe queueing;
    StallProbe sending;
    run->start();
    queueing.runUntil([&] { return run->stage() != ImportRun::Stage::Queueing; }, 120000);
    sending.runUntil([&] { return finished; }, 600000);
    const int sent = run->ledger().counts().sent;
    if (!finished || sent != count) {
        std::fprintf(stderr, "not finished: %d of %d sent\n", sent, count);
        return 1;
    }

    std::printf("bench_import_window: %d rows, %d KB resumes, %d in flight, offscreen\n", count,
                resumeKb, engine.concurrency());
    std::printf("  idle dialog (baseline):   longest GUI stall %6.1f ms\n", idle.worstMs);
    std::printf("  read and check the sheet: longest GUI stall %6.1f ms   %7.0f ms\n",
                reading.worstMs, reading.elapsedMs);
    std::printf("  queue (250 rows a part):  longest GUI stall %6.1f ms   %7.0f ms\n",
                queueing.worstMs, queueing.elapsedMs);
    const double sendingMs = queueing.elapsedMs + sending.elapsedMs;
    std::printf("  send:                     longest GUI stall %6.1f ms   %7.0f ms   %.0f/s\n",
                sending.worstMs, sending.elapsedMs, count / (sendingMs / 1000.0));
    const double worst = std::max({ reading.worstMs, queueing.worstMs, sending.worstMs });
    std::printf("  worst stall vs baseline:  %.1fx\n", worst / std::max(0.1, idle.worstMs));
    std::printf("goal: no stall over 50 ms\n");
    return 0;
}
