#include "PdfHelper.h"

#include <QDeadlineTimer>
#include <QProcess>

#include <algorithm>

namespace cdesk {

namespace {

// How often a waiting worker looks at the clock and at a cancel.
constexpr int kPollMs = 50;
// Starting a small executable takes milliseconds; this only catches a broken system.
constexpr int kStartMs = 10'000;
// A killed process is gone at once; this only bounds a wait on a zombie.
constexpr int kReapMs = 5'000;

void stop(QProcess &process)
{
    process.kill();
    process.waitForFinished(kReapMs);
}

} // namespace

PdfHelperRun PdfHelper::run(const QStringList &arguments, const ExtractLimits &limits,
                            qint64 maxOutput, const std::function<bool()> &cancelled)
{
    PdfHelperRun run;
    run.program
        = limits.helperPath.isEmpty() ? TextExtractor::defaultHelperPath() : limits.helperPath;

    QProcess process;
    process.setProgram(run.program);
    process.setArguments(arguments);
    process.setStandardInputFile(QProcess::nullDevice());
    // Poppler reports every oddity of a PDF on stderr: nothing the recruiter
    // can act on, and unbounded.
    process.setStandardErrorFile(QProcess::nullDevice());
    process.start(QIODevice::ReadOnly);
    if (!process.waitForStarted(kStartMs)) {
        stop(process);
        run.outcome = PdfHelperRun::Outcome::NotStarted;
        return run;
    }

    const QDeadlineTimer deadline(std::max(0, limits.pdfTimeoutMs));
    while (process.state() != QProcess::NotRunning) {
        if (cancelled && cancelled()) {
            stop(process);
            run.outcome = PdfHelperRun::Outcome::Cancelled;
            return run;
        }
        if (deadline.hasExpired()) {
            stop(process);
            run.outcome = PdfHelperRun::Outcome::TimedOut;
            return run;
        }
        // Waiting for the end drains the pipe as it goes, so the helper never
        // blocks on a full pipe; the slice keeps the clock and a cancel in view.
        const int slice = int(std::min<qint64>(deadline.remainingTime(), kPollMs));
        process.waitForFinished(slice);
        run.output += process.readAllStandardOutput();
        if (run.output.size() > maxOutput) {
            // A misbehaving helper must not fill our memory.
            stop(process);
            run.output.truncate(maxOutput);
            run.outcome = PdfHelperRun::Outcome::OutputCut;
            return run;
        }
    }
    run.output += process.readAllStandardOutput();
    run.exitCode = process.exitCode();
    if (process.exitStatus() == QProcess::CrashExit) {
        run.outcome = PdfHelperRun::Outcome::Crashed;
    } else if (run.output.size() > maxOutput) {
        run.output.truncate(maxOutput);
        run.outcome = PdfHelperRun::Outcome::OutputCut;
    } else {
        run.outcome = PdfHelperRun::Outcome::Finished;
    }
    return run;
}

} // namespace cdesk
