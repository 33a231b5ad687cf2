#pragma once

// Small helpers shared by the store tests: real files in a QTemporaryDir,
// deterministic bytes, and direct looks at the SQLite file.

#include "model/Candidate.h"
#include "store/Database.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace cdesk::test {

using namespace Qt::StringLiterals;

// The same bytes on every run: the seed is fixed.
inline QByteArray deterministicBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(generator.bounded(256));
    return bytes;
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(bytes) == bytes.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline Candidate sampleCandidate(const QString &name = u"Asha Rao"_s,
                                 const QString &email = u"asha.rao@example.com"_s)
{
    Candidate c;
    c.name = name;
    c.email = email;
    c.phone = u"+91 98450 12345"_s;
    c.jobId = 42;
    c.source = u"Referral"_s;
    c.industry = u"Software"_s;
    c.customFields.insert(u"linkedin_url"_s, u"https://www.linkedin.com/in/asharao"_s);
    return c;
}

// One value of a query on the store's own connection (a pragma, a count).
inline QVariant scalar(const Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0);
}

inline int rowCount(const Database &db, const QString &table)
{
    return scalar(db, u"SELECT count(*) FROM "_s + table).toInt();
}

inline QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

} // namespace cdesk::test
