#include "OdtReader.h"

#include "ExtractMessages.h"
#include "OfficePackage.h"

#include <QList>
#include <QXmlStreamReader>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// OpenDocument text: a line per text:p and text:h, with text:tab,
// text:line-break and text:s (runs of spaces), white space collapsed as ODF
// says. From content.xml the body; from styles.xml the page headers and
// footers only. Comments, tracked deletions and alternative texts are skipped.
class OdfHandler : public XmlTextHandler
{
public:
    // content.xml: body gets office:body. styles.xml: header and footer get the
    // master pages' headers and footers.
    OdfHandler(TextSink *body, TextSink *header, TextSink *footer)
        : m_body(body)
        , m_header(header)
        , m_footer(footer)
    { }

    void handle(const QXmlStreamReader &xml) override
    {
        switch (xml.tokenType()) {
        case QXmlStreamReader::StartElement:
            start(xml);
            return;
        case QXmlStreamReader::EndElement:
            end(xml);
            return;
        case QXmlStreamReader::Characters:
            if (m_sink && m_skipDepth == 0 && m_paragraphDepth > 0)
                characters(xml.text());
            return;
        default:
            return;
        }
    }

private:
    static constexpr QStringView kOffice = u"urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    static constexpr QStringView kStyle = u"urn:oasis:names:tc:opendocument:xmlns:style:1.0";
    static constexpr QStringView kText = u"urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    static constexpr QStringView kSvg = u"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
    static constexpr int kMaxSpaces = 1000;

    void start(const QXmlStreamReader &xml)
    {
        if (m_skipDepth > 0) {
            ++m_skipDepth;
            return;
        }
        const QStringView name = xml.name();
        const QStringView ns = xml.namespaceUri();
        if (!m_sink) {
            if (ns == kOffice && name == u"body")
                m_sink = m_body;
            else if (ns == kStyle
                     && (name == u"header" || name == u"header-left" || name == u"header-first"))
                m_sink = m_header;
            else if (ns == kStyle
                     && (name == u"footer" || name == u"footer-left" || name == u"footer-first"))
                m_sink = m_footer;
            if (m_sink)
                m_regionDepth = 1;
            return;
        }
        if ((ns == kOffice && name == u"annotation")
            || (ns == kText && (name == u"tracked-changes" || name == u"note-citation"))
            || (ns == kSvg && (name == u"title" || name == u"desc"))) {
            m_skipDepth = 1;
            return;
        }
        ++m_regionDepth;
        if (ns != kText)
            return;
        if (name == u"p" || name == u"h") {
            ++m_paragraphDepth;
            m_lastWasSpace = true; // white space at a paragraph's start is dropped
        } else if (name == u"tab") {
            m_sink->append(u'\t');
            m_lastWasSpace = true;
        } else if (name == u"line-break") {
            m_sink->append(u'\n');
            m_lastWasSpace = true;
        } else if (name == u"s") {
            bool ok = false;
            int count = xml.attributes().value(kText.toString(), u"c"_s).toInt(&ok);
            count = ok ? std::clamp(count, 1, kMaxSpaces) : 1;
            m_sink->append(QString(count, u' '));
            m_lastWasSpace = true;
        }
    }

    void end(const QXmlStreamReader &xml)
    {
        if (m_skipDepth > 0) {
            --m_skipDepth;
            return;
        }
        if (!m_sink)
            return;
        if (--m_regionDepth == 0) {
            m_sink = nullptr;
            m_paragraphDepth = 0;
            return;
        }
        const QStringView name = xml.name();
        if (xml.namespaceUri() == kText && (name == u"p" || name == u"h")) {
            m_paragraphDepth = std::max(0, m_paragraphDepth - 1);
            m_sink->append(u'\n');
            m_lastWasSpace = true;
        }
    }

    void characters(QStringView text)
    {
        QString out;
        out.reserve(text.size());
        for (const QChar c : text) {
            if (c == u' ' || c == u'\t' || c == u'\r' || c == u'\n') {
                if (!m_lastWasSpace)
                    out.append(u' ');
                m_lastWasSpace = true;
            } else {
                out.append(c);
                m_lastWasSpace = false;
            }
        }
        m_sink->append(out);
    }

    TextSink *m_body;
    TextSink *m_header;
    TextSink *m_footer;
    TextSink *m_sink = nullptr; // the region being read, or none
    int m_regionDepth = 0;
    int m_skipDepth = 0;
    int m_paragraphDepth = 0;
    bool m_lastWasSpace = true;
};

} // namespace

RawText OdtReader::read(const QString &path, const ExtractLimits &limits)
{
    const QString content = u"content.xml"_s;
    const QString styles = u"styles.xml"_s;
    OfficePackage zip(path, limits);
    if (!zip.open([&](const QString &name) { return name == content || name == styles; }))
        return RawText::failed(zip.problem());
    if (!zip.parts().contains(content))
        return RawText::failed(ExtractMessages::damagedDocument());

    TextBudget budget { limits.maxTextChars };
    TextSink body(budget);
    TextSink header(budget);
    TextSink footer(budget);
    {
        OdfHandler handler(&body, nullptr, nullptr);
        if (!zip.read(content, handler, body))
            return RawText::failed(zip.problem());
    }
    if (zip.parts().contains(styles)) {
        OdfHandler handler(nullptr, &header, &footer);
        if (!zip.read(styles, handler, header))
            return RawText::failed(zip.problem());
    }

    RawText raw;
    raw.text = OfficePackage::joinedSections({ header.text(), body.text(), footer.text() });
    raw.truncated = budget.exhausted;
    return raw;
}

// ---------------------------------------------------------------------------

} // namespace cdesk
