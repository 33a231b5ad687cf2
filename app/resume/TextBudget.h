#pragma once

#include <QString>

namespace cdesk {

// The characters still allowed, shared by every part of one document so that
// a DOCX with a thousand headers cannot multiply the cap.
struct TextBudget
{
    qsizetype remaining = 0;
    bool exhausted = false;
};

// Text gathered against a budget: what does not fit is dropped, and the cut
// never falls inside a surrogate pair.
class TextSink
{
public:
    explicit TextSink(TextBudget &budget)
        : m_budget(budget)
    { }

    void append(QStringView text);
    void append(QChar c) { append(QStringView(&c, 1)); }

    bool full() const { return m_budget.exhausted; }
    const QString &text() const { return m_text; }

private:
    TextBudget &m_budget;
    QString m_text;
};

// What a reader found: the raw text, or why there is none.
struct RawText
{
    QString text;
    bool truncated = false;
    QString problem;

    static RawText failed(const QString &problem)
    {
        RawText raw;
        raw.problem = problem;
        return raw;
    }
};

} // namespace cdesk
