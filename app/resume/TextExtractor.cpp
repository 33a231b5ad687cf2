#include "TextExtractor.h"

#include "DocxReader.h"
#include "ExtractMessages.h"
#include "OdtReader.h"
#include "PdfTextWorker.h"
#include "RtfReader.h"
#include "TextBudget.h"
#include "TextDecoding.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

using namespace ExtractMessages;

// Line ends as LF, no control characters but tab and LF, no lone surrogates
// (a crafted \u escape or a cut UTF-16 file), no trailing blanks on a line and
// no more than one blank line in a row: what a preview, a .txt resume and the
// autofill's patterns all want.
QString cleaned(QStringView in)
{
    QString out;
    out.reserve(in.size());
    const auto newline = [&out] {
        while (!out.isEmpty() && (out.back() == u' ' || out.back() == u'\t'))
            out.chop(1);
        if (!out.endsWith(u"\n\n"_s))
            out.append(u'\n');
    };
    for (qsizetype i = 0; i < in.size(); ++i) {
        const QChar c = in.at(i);
        const char16_t u = c.unicode();
        if (u == u'\r') {
            if (i + 1 < in.size() && in.at(i + 1) == u'\n')
                ++i;
            newline();
        } else if (u == u'\n' || u == u'\f' || u == 0x2028 || u == 0x2029) {
            newline();
        } else if (c.isHighSurrogate() && i + 1 < in.size() && in.at(i + 1).isLowSurrogate()) {
            out.append(c);
            out.append(in.at(++i));
        } else if (c.isSurrogate()) {
            out.append(QChar::ReplacementCharacter);
        } else if ((u < 0x20 && u != u'\t') || u == 0x7f || u == 0xfeff) {
            continue;
        } else {
            out.append(c);
        }
    }
    return out.trimmed();
}

RawText readPlainText(const QString &path, const ExtractLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return RawText::failed(cannotOpen(file.errorString()));
    // No encoding takes more than 4 bytes a character: reading further would
    // only decode what the cap throws away.
    const qint64 wanted = std::min(limits.maxInputBytes, qint64(limits.maxTextChars) * 4 + 4);
    const QByteArray bytes = file.read(wanted);
    RawText raw;
    raw.truncated = !file.atEnd();
    raw.text = TextDecoding::decodeText(bytes, raw.truncated);
    return raw;
}

RawText readRtf(const QString &path, const ExtractLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return RawText::failed(cannotOpen(file.errorString()));
    return RtfReader::read(file, limits);
}

ExtractedText finished(RawText raw, const ExtractLimits &limits)
{
    ExtractedText result;
    if (!raw.problem.isEmpty()) {
        result.problem = raw.problem;
        return result;
    }
    result.text = cleaned(raw.text);
    result.truncated = raw.truncated;
    // Plain text and a PDF's text come here uncapped (the other readers cap
    // as they go). Half a surrogate pair is no character: cut before it.
    if (result.text.size() > limits.maxTextChars) {
        qsizetype keep = limits.maxTextChars;
        if (keep > 0 && result.text.at(keep - 1).isHighSurrogate())
            --keep;
        result.text.truncate(keep);
        result.truncated = true;
    }
    if (result.text.isEmpty()) {
        result.problem = tr("There is no text in this file, so nothing can be filled in from "
                            "it.")
            + u' ' + fillByHand();
        return result;
    }
    result.ok = true;
    return result;
}

ExtractedText extractFile(const QString &path, const ExtractLimits &limits,
                          const std::function<bool()> &cancelled)
{
    // By content, never by name: the inspector also refuses empty files,
    // folders, executables and anything else that is no resume. A resume the
    // server would refuse only for its name ("cv.html" holding a PDF) is still
    // read: the inspector's message about the name is for the upload.
    const ResumeInfo info = ResumeInspector::inspect(path, 0);
    if (info.typeLabel.isEmpty()) {
        ExtractedText result;
        result.problem = info.problem;
        return result;
    }

    const QString &mime = info.mimeType;
    if (mime == u"application/pdf"_s) {
        ExtractedText result = PdfTextWorker::run(info.path, limits, cancelled);
        if (result.ok) {
            RawText raw;
            raw.text = result.text;
            raw.truncated = result.truncated;
            ExtractedText text = finished(raw, limits);
            text.pages = result.pages;
            return text;
        }
        return result;
    }
    if (mime == u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s)
        return finished(DocxReader::read(info.path, limits), limits);
    if (mime == u"application/vnd.oasis.opendocument.text"_s)
        return finished(OdtReader::read(info.path, limits), limits);
    if (mime == u"application/rtf"_s)
        return finished(readRtf(info.path, limits), limits);
    if (mime == u"text/plain"_s)
        return finished(readPlainText(info.path, limits), limits);

    ExtractedText result;
    if (mime == u"application/msword"_s) {
        result.problem = tr("Candidate Desk cannot read the text of Word 97-2003 (.doc) files, "
                            "so nothing can be filled in from this one. Saved again as DOCX or "
                            "PDF, it can be read.")
            + u' ' + fillByHand();
    } else {
        result.problem = tr("Candidate Desk cannot read the text of a %1 file.").arg(info.typeLabel)
            + u' ' + fillByHand();
    }
    return result;
}

} // namespace

ExtractedText TextExtractor::extract(const QString &path, const ExtractLimits &limits)
{
    return extractFile(path, limits, {});
}

ExtractedText TextExtractor::extractRtf(const QByteArray &rtf, const ExtractLimits &limits)
{
    QBuffer buffer;
    buffer.setData(rtf);
    buffer.open(QIODevice::ReadOnly);
    return finished(RtfReader::read(buffer, limits), limits);
}

QFuture<ExtractedText> TextExtractor::extractAsync(const QString &path, const ExtractLimits &limits)
{
    return QtConcurrent::run(
        [](QPromise<ExtractedText> &promise, const QString &file, const ExtractLimits &bounds) {
            promise.addResult(
                extractFile(file, bounds, [&promise] { return promise.isCanceled(); }));
        },
        path, limits);
}

QString TextExtractor::defaultHelperPath()
{
#ifdef Q_OS_WIN
    const QString name = u"candidate-desk-extract.exe"_s;
#else
    const QString name = u"candidate-desk-extract"_s;
#endif
    // Tests and unusual installs name it; otherwise it sits beside the app.
    const QString given = qEnvironmentVariable("CANDIDATE_DESK_EXTRACT_HELPER");
    if (!given.isEmpty())
        return given;
    return QDir(QCoreApplication::applicationDirPath()).filePath(name);
}

} // namespace cdesk
