// trial_kill: proves that no candidate is lost or sent twice while Candidate
// Desk processes sharing one data folder are killed with SIGKILL at random
// moments. See tests/README.md ("Kill and concurrency trial").
#include "KillTrial.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRandomGenerator>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"trial_kill"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Kill and concurrency trial: N submissions through candidate-desk processes run in "
        "parallel on one data folder (command-line submits, `outbox --retry`, a headless "
        "window), killed with SIGKILL at random moments and started again; then the outbox is "
        "drained and the invariants checked (every queued candidate on the server exactly once, "
        "nothing else there, no row failed or needing a decision, the database intact, every "
        "waiting row's resume copy unchanged). Prints one summary line; exit 0 when every "
        "invariant held, 1 on a violation (each one named on stderr), 2 when the trial could "
        "not run."_s);
    parser.addHelpOption();
    const QCommandLineOption submissions(u"submissions"_s, u"How many candidates (default 40)."_s,
                                         u"N"_s, u"40"_s);
    const QCommandLineOption parallel(u"parallel"_s, u"Processes at once (default 3)."_s, u"P"_s,
                                      u"3"_s);
    const QCommandLineOption seed(u"seed"_s, u"Seed of the schedule (default: random)."_s, u"S"_s);
    const QCommandLineOption killRate(
        u"kill-rate"_s,
        u"Share of submit and retry runs killed at a random moment (default 0.5)."_s, u"RATE"_s,
        u"0.5"_s);
    const QCommandLineOption aim(
        u"aim"_s,
        u"Of the kills, the share aimed at a phase: a resume copy, a SQLite write or an upload, "
        "watched for every 2 ms (default 0.5); the rest land at a random moment."_s,
        u"SHARE"_s, u"0.5"_s);
    const QCommandLineOption keep(u"keep"_s, u"Keep the trial folder (logs, databases, files)."_s);
    const QCommandLineOption dir(u"dir"_s, u"Make the trial folder in DIR (default: temp)."_s,
                                 u"DIR"_s);
    const QCommandLineOption windows(u"window-percent"_s,
                                     u"Share of runs that are a window, 0-100 (default 10)."_s,
                                     u"PCT"_s, u"10"_s);
    const QCommandLineOption retries(
        u"retry-percent"_s, u"Share of runs that are `outbox --retry`, 0-100 (default 20)."_s,
        u"PCT"_s, u"20"_s);
    const QCommandLineOption resumeMin(
        u"resume-min-kib"_s, u"Smallest resume in KiB (default 1024)."_s, u"KIB"_s, u"1024"_s);
    const QCommandLineOption resumeMax(
        u"resume-max-kib"_s, u"Largest resume in KiB (default 4096)."_s, u"KIB"_s, u"4096"_s);
    const QCommandLineOption faults(
        u"faults"_s,
        u"Sandbox faults during the kills: none, latency (a changing latency_ms) or all "
        "(latency, 3% 500s, 3% writes committed then dropped). Default all."_s,
        u"WHICH"_s, u"all"_s);
    const QCommandLineOption cap(u"cap"_s,
                                 u"Kill a run still going after this many seconds (default 20)."_s,
                                 u"S"_s, u"20"_s);
    const QCommandLineOption deadline(
        u"deadline"_s, u"Stop starting runs after this many seconds (default: none)."_s, u"S"_s,
        u"0"_s);
    const QCommandLineOption appExe(u"app"_s, u"The candidate-desk executable."_s, u"FILE"_s,
                                    QStringLiteral(CDESK_APP_EXE));
    const QCommandLineOption sandboxExe(u"sandbox"_s, u"The candidate-desk-sandbox executable."_s,
                                        u"FILE"_s, QStringLiteral(CDESK_SANDBOX_EXE));
    parser.addOptions({ submissions, parallel, seed, killRate, aim, keep, dir, windows, retries,
                        resumeMin, resumeMax, faults, cap, deadline, appExe, sandboxExe });
    parser.process(app);

    cdesk::trial::TrialOptions o;
    bool ok = true;
    auto number = [&](const QCommandLineOption &option, int min, int max) {
        bool good = false;
        const int value = parser.value(option).toInt(&good);
        if (!good || value < min || value > max) {
            std::fprintf(stderr, "trial_kill: --%s takes a number from %d to %d\n",
                         qPrintable(option.names().constFirst()), min, max);
            ok = false;
        }
        return value;
    };
    o.submissions = number(submissions, 1, 99999);
    o.parallel = number(parallel, 1, 64);
    o.windowPercent = number(windows, 0, 100);
    o.retryPercent = number(retries, 0, 100);
    o.minResumeKiB = number(resumeMin, 1, 4800);
    o.maxResumeKiB = number(resumeMax, o.minResumeKiB, 4800); // the app's limit is 5 MiB
    o.capSeconds = number(cap, 1, 3600);
    o.deadlineSeconds = number(deadline, 0, 86400);
    bool rateOk = false;
    o.killRate = parser.value(killRate).toDouble(&rateOk);
    if (!rateOk || o.killRate < 0 || o.killRate > 1) {
        std::fprintf(stderr, "trial_kill: --kill-rate takes a number from 0 to 1\n");
        ok = false;
    }
    bool aimOk = false;
    o.aimShare = parser.value(aim).toDouble(&aimOk);
    if (!aimOk || o.aimShare < 0 || o.aimShare > 1) {
        std::fprintf(stderr, "trial_kill: --aim takes a number from 0 to 1\n");
        ok = false;
    }
    o.faults = parser.value(faults);
    if (o.faults != u"none"_s && o.faults != u"latency"_s && o.faults != u"all"_s) {
        std::fprintf(stderr, "trial_kill: --faults takes none, latency or all\n");
        ok = false;
    }
    if (parser.isSet(seed)) {
        bool seedOk = false;
        o.seed = parser.value(seed).toULongLong(&seedOk);
        if (!seedOk) {
            std::fprintf(stderr, "trial_kill: --seed takes a whole number\n");
            ok = false;
        }
    } else {
        o.seed = QRandomGenerator::system()->bounded(1u << 30);
    }
    o.keep = parser.isSet(keep);
    o.parentDir = parser.value(dir);
    o.appExe = parser.value(appExe);
    o.sandboxExe = parser.value(sandboxExe);
    if (!ok)
        return 2;

    cdesk::trial::KillTrial trial(o);
    return trial.run();
}
