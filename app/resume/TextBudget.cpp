#include "TextBudget.h"

namespace cdesk {

void TextSink::append(QStringView text)
{
    if (text.isEmpty() || m_budget.exhausted)
        return;
    if (text.size() <= m_budget.remaining) {
        m_text += text;
        m_budget.remaining -= text.size();
        return;
    }
    qsizetype take = m_budget.remaining;
    // Half a surrogate pair is no character: cut before it.
    if (take > 0 && text.at(take - 1).isHighSurrogate())
        --take;
    m_text += text.first(take);
    m_budget.remaining = 0;
    m_budget.exhausted = true;
}

} // namespace cdesk
