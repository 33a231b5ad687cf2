#include "DocxReader.h"

#include "ExtractMessages.h"
#include "OfficePackage.h"

#include <QList>
#include <QXmlStreamReader>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// WordprocessingML: the text of w:t, w:tab and w:br/w:cr in runs, a line per
// w:p. Property subtrees hold no text (and their w:tab is a tab stop, not a
// tab); mc:Fallback repeats its mc:Choice (a text box would come out twice);
// moved-from text comes again where it was moved to.
class DocxHandler : public XmlTextHandler
{
public:
    explicit DocxHandler(TextSink &sink)
        : m_sink(sink)
    { }

    void handle(const QXmlStreamReader &xml) override
    {
        switch (xml.tokenType()) {
        case QXmlStreamReader::StartElement: {
            if (m_skipDepth > 0) {
                ++m_skipDepth;
                return;
            }
            const QStringView name = xml.name();
            const QStringView ns = xml.namespaceUri();
            if (ns == kMarkupCompatibility && name == u"Fallback") {
                m_skipDepth = 1;
                return;
            }
            if (!isWord(ns))
                return;
            static const QList<QStringView> skipped = {
                u"pPr",     u"rPr",      u"sectPr",  u"tblPr",     u"trPr", u"tcPr",
                u"tblGrid", u"moveFrom", u"delText", u"instrText", u"del",
            };
            if (skipped.contains(name)) {
                m_skipDepth = 1;
            } else if (name == u"t") {
                m_inText = true;
            } else if (name == u"r") {
                ++m_runDepth;
            } else if (name == u"p") {
                ++m_paragraphDepth;
            } else if (m_runDepth > 0) {
                if (name == u"tab" || name == u"ptab")
                    write(u'\t');
                else if (name == u"br" || name == u"cr")
                    write(u'\n');
                else if (name == u"noBreakHyphen")
                    write(u'-');
            }
            return;
        }
        case QXmlStreamReader::EndElement: {
            if (m_skipDepth > 0) {
                --m_skipDepth;
                return;
            }
            if (!isWord(xml.namespaceUri()))
                return;
            const QStringView name = xml.name();
            if (name == u"t") {
                m_inText = false;
            } else if (name == u"r" && m_runDepth > 0) {
                --m_runDepth;
            } else if (name == u"p") {
                // A text box's paragraphs sit inside a paragraph of the page:
                // the line they end is the outer one's too.
                m_paragraphDepth = std::max(0, m_paragraphDepth - 1);
                if (m_paragraphDepth > 0 || !m_nestedLineEnded)
                    m_sink.append(u'\n');
                m_nestedLineEnded = m_paragraphDepth > 0;
            }
            return;
        }
        case QXmlStreamReader::Characters:
            if (m_skipDepth == 0 && m_inText)
                write(xml.text());
            return;
        default:
            return;
        }
    }

private:
    static constexpr QStringView kMarkupCompatibility
        = u"http://schemas.openxmlformats.org/markup-compatibility/2006";

    // Transitional (what Word writes) and Strict OOXML.
    static bool isWord(QStringView ns)
    {
        return ns == u"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            || ns == u"http://purl.oclc.org/ooxml/wordprocessingml/main";
    }

    void write(QStringView text)
    {
        m_sink.append(text);
        m_nestedLineEnded = false;
    }
    void write(QChar c) { write(QStringView(&c, 1)); }

    TextSink &m_sink;
    int m_skipDepth = 0;
    int m_runDepth = 0;
    int m_paragraphDepth = 0;
    bool m_nestedLineEnded = false; // a nested paragraph ended the line, nothing since
    bool m_inText = false;
};

// "word/header2.xml" before "word/header10.xml".
void sortParts(QStringList &names)
{
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
}

} // namespace

RawText DocxReader::read(const QString &path, const ExtractLimits &limits)
{
    const QString body = u"word/document.xml"_s;
    const auto isHeader = [](const QString &name) {
        return name.startsWith(u"word/header"_s) && name.endsWith(u".xml"_s)
            && name.indexOf(u'/', 5) < 0;
    };
    const auto isFooter = [](const QString &name) {
        return name.startsWith(u"word/footer"_s) && name.endsWith(u".xml"_s)
            && name.indexOf(u'/', 5) < 0;
    };

    OfficePackage zip(path, limits);
    if (!zip.open(
            [&](const QString &name) { return name == body || isHeader(name) || isFooter(name); }))
        return RawText::failed(zip.problem());
    if (!zip.parts().contains(body))
        return RawText::failed(ExtractMessages::damagedDocument());
    QStringList headers;
    QStringList footers;
    for (const QString &name : zip.parts()) {
        if (isHeader(name))
            headers.append(name);
        else if (isFooter(name))
            footers.append(name);
    }
    sortParts(headers);
    sortParts(footers);

    TextBudget budget { limits.maxTextChars };
    // The body first, so that it gets the text budget before the margins do.
    const auto readPart = [&](const QString &name, QString *text) {
        TextSink sink(budget);
        DocxHandler handler(sink);
        const bool ok = zip.read(name, handler, sink);
        *text = sink.text();
        return ok;
    };
    QString bodyText;
    if (!readPart(body, &bodyText))
        return RawText::failed(zip.problem());
    QStringList headerTexts;
    QStringList footerTexts;
    for (const QString &name : std::as_const(headers)) {
        QString text;
        if (!readPart(name, &text))
            return RawText::failed(zip.problem());
        headerTexts.append(text);
    }
    for (const QString &name : std::as_const(footers)) {
        QString text;
        if (!readPart(name, &text))
            return RawText::failed(zip.problem());
        footerTexts.append(text);
    }

    RawText raw;
    raw.text = OfficePackage::joinedSections(headerTexts + QStringList { bodyText } + footerTexts);
    raw.truncated = budget.exhausted;
    return raw;
}

} // namespace cdesk
