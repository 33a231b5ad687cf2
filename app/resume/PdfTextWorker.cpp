#include "PdfTextWorker.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("TextExtractor", text, disambiguation, n);
}

// How often a waiting worker looks at the clock and at a cancel.
constexpr int kPollMs = 50;
// Starting a small executable takes milliseconds; this only catches a broken system.
constexpr int kStartMs = 10'000;
// A killed process is gone at once; this only bounds a wait on a zombie.
constexpr int kReapMs = 5'000;

QString fillByHand()
{
    return tr("Fill in the form by hand; the file itself can still be sent as it is.");
}

void stop(QProcess &process)
{
    process.kill();
    process.waitForFinished(kReapMs);
}

} // namespace

ExtractedText PdfTextWorker::run(const QString &path, const ExtractLimits &limits,
                                 const std::function<bool()> &cancelled)
{
    ExtractedText result;
    const QString helper
        = limits.helperPath.isEmpty() ? TextExtractor::defaultHelperPath() : limits.helperPath;

    QProcess process;
    process.setProgram(helper);
    // "--" so that a file whose name starts with a dash is never taken for an option.
    process.setArguments({ u"--max-chars"_s, QString::number(limits.maxTextChars), u"--"_s, path });
    process.setStandardInputFile(QProcess::nullDevice());
    // Poppler reports every oddity of a PDF on stderr: nothing the recruiter
    // can act on, and unbounded.
    process.setStandardErrorFile(QProcess::nullDevice());
    process.start(QIODevice::ReadOnly);
    if (!process.waitForStarted(kStartMs)) {
        result.problem = tr("Candidate Desk cannot read the text of PDF files here: its PDF "
                            "reader (%1) is missing or cannot be started. Reinstall Candidate "
                            "Desk to bring it back.")
                             .arg(QFileInfo(helper).fileName())
            + u' ' + fillByHand();
        stop(process);
        return result;
    }

    // The helper cuts the text itself; this bound only keeps a misbehaving
    // helper from filling our memory. UTF-8 takes at most 3 bytes per UTF-16
    // unit, plus one form feed per page.
    const qint64 maxOutput = qint64(limits.maxTextChars) * 3 + 1024 * 1024;
    QByteArray output;
    bool outputCut = false;
    const QDeadlineTimer deadline(std::max(0, limits.pdfTimeoutMs));
    while (process.state() != QProcess::NotRunning) {
        if (cancelled && cancelled()) {
            stop(process);
            result.problem = tr("Reading the resume was cancelled.");
            return result;
        }
        if (deadline.hasExpired()) {
            stop(process);
            const int seconds = std::max(1, (limits.pdfTimeoutMs + 999) / 1000);
            result.timedOut = true;
            result.problem = tr("Reading this PDF took too long (more than %n second(s)), so "
                                "Candidate Desk stopped. The PDF may be damaged or unusually "
                                "complex.",
                                nullptr, seconds)
                + u' ' + fillByHand();
            return result;
        }
        // Waiting for the end drains the pipe as it goes, so the helper never
        // blocks on a full pipe; the slice keeps the clock and a cancel in view.
        const int slice = int(std::min<qint64>(deadline.remainingTime(), kPollMs));
        process.waitForFinished(slice);
        output += process.readAllStandardOutput();
        if (output.size() > maxOutput) {
            stop(process);
            outputCut = true;
            break;
        }
    }
    output += process.readAllStandardOutput();

    if (!outputCut && process.exitStatus() == QProcess::CrashExit) {
        result.problem = tr("The PDF reader stopped unexpectedly on this file, so its text "
                            "cannot be read. The PDF may be damaged; Candidate Desk itself is "
                            "fine.")
            + u' ' + fillByHand();
        return result;
    }

    const auto status = outputCut ? PdfHelperExit::Truncated : PdfHelperExit(process.exitCode());
    if (output.size() > maxOutput)
        output.truncate(maxOutput);
    const QString decoded = QString::fromUtf8(output);
    QStringList pages = decoded.split(u'\f');
    // Every page ends with a form feed: what follows the last one is no page.
    pages.removeLast();
    result.pages = int(pages.size());

    switch (status) {
    case PdfHelperExit::Ok:
    case PdfHelperExit::Truncated:
    case PdfHelperExit::NoText:
        break;
    case PdfHelperExit::NotPdf:
        result.problem
            = tr("This file does not open as a PDF, whatever its name says.") + u' ' + fillByHand();
        return result;
    case PdfHelperExit::Encrypted:
        result.problem = tr("This PDF is locked with a password, so its text cannot be read. "
                            "Ask the candidate for a copy without a password, or fill in the "
                            "form by hand.");
        return result;
    case PdfHelperExit::Damaged:
        result.problem = tr("This PDF is damaged and its text cannot be read. Opening it in a "
                            "PDF viewer and printing it again as a PDF often repairs it.")
            + u' ' + fillByHand();
        return result;
    case PdfHelperExit::Usage:
    default:
        result.problem = tr("The PDF reader failed on this file (status %1), so its text cannot "
                            "be read.")
                             .arg(process.exitCode())
            + u' ' + fillByHand();
        return result;
    }

    QStringList texts;
    for (const QString &page : std::as_const(pages)) {
        const QString trimmed = page.trimmed();
        if (!trimmed.isEmpty())
            texts.append(trimmed);
    }
    if (texts.isEmpty()) {
        // A scan: pages drawn as pictures. Nothing to fill the form from, and
        // the recruiter should know why, not face an empty form.
        result.imageOnly = result.pages > 0;
        result.problem = result.imageOnly
            ? tr("This PDF is a scanned image: it has no text to read, so nothing can be filled "
                 "in from it. Ask the candidate for a PDF saved from their word processor, or "
                 "fill in the form by hand; the file itself can still be sent as it is.")
            : tr("This PDF has no pages, so it holds no text to read.") + u' ' + fillByHand();
        return result;
    }
    result.text = texts.join(u"\n\n"_s);
    result.truncated = status == PdfHelperExit::Truncated;
    result.ok = true;
    return result;
}

} // namespace cdesk
