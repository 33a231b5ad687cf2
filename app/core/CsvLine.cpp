#include "core/CsvLine.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

QString csvField(const QString &text)
{
    QString value = text;
    if (!value.isEmpty()) {
        const QChar first = value.at(0);
        const bool formula = first == u'=' || first == u'@' || first == u'\t' || first == u'\r';
        const bool signedText = (first == u'+' || first == u'-')
            && std::any_of(value.cbegin() + 1, value.cend(), [](QChar c) {
                                    return !c.isDigit() && !QStringView(u" ()-./").contains(c);
                                });
        if (formula || signedText)
            value.prepend(u'\'');
    }
    if (value.contains(u'"') || value.contains(u',') || value.contains(u'\n')
        || value.contains(u'\r')) {
        value.replace(u"\""_s, u"\"\""_s);
        return u'"' + value + u'"';
    }
    return value;
}

QByteArray csvLine(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString &field : fields)
        quoted << csvField(field);
    return (quoted.join(u',') + u"\r\n"_s).toUtf8();
}

} // namespace cdesk
