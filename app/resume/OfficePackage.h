#pragma once

#include "resume/TextExtractor.h"
#include "resume/ZipWalk.h"

#include <QStringList>

#include <functional>

class QXmlStreamReader;

namespace cdesk {

class TextSink;

// Gets the text of one XML part, a token at a time.
class XmlTextHandler
{
public:
    virtual ~XmlTextHandler() = default;
    virtual void handle(const QXmlStreamReader &xml) = 0;
};

// The XML parts of a DOCX or ODT, read out of its zip through ZipWalk within
// the extractor's limits, with what went wrong said in the recruiter's words.
class OfficePackage
{
public:
    OfficePackage(const QString &path, const ExtractLimits &limits);

    // Checks the directory and lists the wanted parts found; false with
    // problem() set. An archive holding a name that attacks use (ZipWalk::
    // unsafeName) was made by hand, and is refused whole.
    bool open(const std::function<bool(const QString &)> &wanted);
    const QStringList &parts() const { return m_parts; }

    // Streams one part through the handler until its end or until the text is
    // full; false with problem() set.
    bool read(const QString &name, XmlTextHandler &handler, const TextSink &sink);

    const QString &problem() const { return m_problem; }

    // Page headers and footers come around the body, as on the page, each text
    // once: Word repeats one header for the first, even and odd pages.
    static QString joinedSections(const QStringList &sections);

private:
    bool fail(const QString &problem);
    bool failWalk();

    ZipWalk m_zip;
    QStringList m_parts;
    QString m_problem;
};

} // namespace cdesk
