#pragma once

// Reading back the CSV files the app writes, for the tests that check them.

#include <QList>
#include <QString>
#include <QStringList>

namespace cdesk::test {

using namespace Qt::StringLiterals;

// RFC 4180, strictly: records end with CRLF; a line break inside quotes is data.
inline QList<QStringList> parseCsv(const QString &text, QString *problem)
{
    QList<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false;
    bool wasQuoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == u'"') {
            if (!field.isEmpty() || wasQuoted)
                *problem = u"a quote inside an unquoted field at %1"_s.arg(i);
            quoted = wasQuoted = true;
        } else if (c == u',') {
            record << field;
            field.clear();
            wasQuoted = false;
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            record << field;
            records << record;
            record.clear();
            field.clear();
            wasQuoted = false;
            ++i;
        } else if (c == u'\r' || c == u'\n') {
            *problem = u"a bare line break outside quotes at %1"_s.arg(i);
            field += c;
        } else {
            field += c;
        }
    }
    if (quoted)
        *problem = u"an unterminated quoted field"_s;
    if (!field.isEmpty() || !record.isEmpty()) {
        *problem = u"the last record does not end with CRLF"_s;
        record << field;
        records << record;
    }
    return records;
}

} // namespace cdesk::test
