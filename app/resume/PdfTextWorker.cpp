#include "PdfTextWorker.h"

#include "ExtractMessages.h"

#include <QFileInfo>
#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

using namespace ExtractMessages;

// Why a run of the helper gave no text, when the helper itself is the reason;
// empty when it ended by itself and its exit status tells the rest.
QString runProblem(const PdfHelperRun &run, const ExtractLimits &limits, bool *timedOut)
{
    switch (run.outcome) {
    case PdfHelperRun::Outcome::NotStarted:
        return tr("Candidate Desk cannot read the text of PDF files here: its PDF reader (%1) is "
                  "missing or cannot be started. Reinstall Candidate Desk to bring it back.")
                   .arg(QFileInfo(run.program).fileName())
            + u' ' + fillByHand();
    case PdfHelperRun::Outcome::Cancelled:
        return tr("Reading the resume was cancelled.");
    case PdfHelperRun::Outcome::TimedOut: {
        *timedOut = true;
        const int seconds = std::max(1, (limits.pdfTimeoutMs + 999) / 1000);
        return tr("Reading this PDF took too long (more than %n second(s)), so Candidate Desk "
                  "stopped. The PDF may be damaged or unusually complex.",
                  nullptr, seconds)
            + u' ' + fillByHand();
    }
    case PdfHelperRun::Outcome::Crashed:
        return tr("The PDF reader stopped unexpectedly on this file, so its text cannot be read. "
                  "The PDF may be damaged; Candidate Desk itself is fine.")
            + u' ' + fillByHand();
    case PdfHelperRun::Outcome::Finished:
    case PdfHelperRun::Outcome::OutputCut:
        break;
    }
    return {};
}

} // namespace

ExtractedText PdfTextWorker::run(const QString &path, const ExtractLimits &limits,
                                 const std::function<bool()> &cancelled)
{
    ExtractedText result;
    // The helper cuts the text itself; this bound only keeps a misbehaving
    // helper from filling our memory. UTF-8 takes at most 3 bytes per UTF-16
    // unit, plus one form feed per page.
    const qint64 maxOutput = qint64(limits.maxTextChars) * 3 + 1024 * 1024;
    // "--" so that a file whose name starts with a dash is never taken for an option.
    const PdfHelperRun run = PdfHelper::run(
        { u"--max-chars"_s, QString::number(limits.maxTextChars), u"--"_s, path }, limits,
        maxOutput, cancelled);
    result.problem = runProblem(run, limits, &result.timedOut);
    if (!result.problem.isEmpty())
        return result;

    const auto status = run.outcome == PdfHelperRun::Outcome::OutputCut
        ? PdfHelperExit::Truncated
        : PdfHelperExit(run.exitCode);
    const QString decoded = QString::fromUtf8(run.output);
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
                             .arg(run.exitCode)
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
