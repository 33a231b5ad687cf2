// A sheet made into submissions: the columns a recruiter's header names
// suggest, the rows checked as the server checks them, resumes found next to
// the sheet, jobs by id or title, and a key that is the same when the same
// sheet comes again.
#include "TestData.h"
#include "intake/SheetImport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

ColumnMapping role(ColumnRole r, const QString &key = {})
{
    return { r, key };
}

SheetTable table(const QStringList &header, const QList<QStringList> &rows)
{
    SheetTable t;
    t.header = header;
    t.rows = rows;
    for (qsizetype i = 0; i < rows.size(); ++i)
        t.rowLines << int(i) + 2;
    return t;
}

} // namespace

class TestSheetImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(!test::writeFile(m_dir->filePath(u"resumes"_s), u"asha.pdf"_s, test::minimalPdf())
                     .isEmpty());
        m_options = {};
        m_options.folder = m_dir->path();
        m_options.fileName = u"fair.csv"_s;
        m_options.account = u"ats.example.com"_s;
        m_options.jobs = { job(12, u"Data Analyst"_s), job(14, u"Nurse"_s), job(15, u"Nurse"_s) };
        m_options.jobsLoaded = true;
    }

    void suggest_readsTheNamesRecruitersGiveColumns()
    {
        const QStringList header
            = { u"Full name"_s, u"E-mail address"_s, u"Mobile No."_s, u"CV"_s,
                u"Job Title"_s, u"Job ID"_s,         u"Source"_s,     u"Industry"_s,
                u"Dept"_s,      u"LinkedIn URL"_s,   u"Email"_s };
        const QList<ColumnMapping> expected = {
            role(ColumnRole::Name),
            role(ColumnRole::Email),
            role(ColumnRole::Phone),
            role(ColumnRole::Resume),
            role(ColumnRole::Job),
            role(ColumnRole::JobId),
            role(ColumnRole::Source),
            role(ColumnRole::Industry),
            role(ColumnRole::Department),
            // Unknown columns wait for the recruiter; a second email column too.
            role(ColumnRole::Ignore),
            role(ColumnRole::Ignore),
        };
        QCOMPARE(SheetImport::suggest(header), expected);
        QCOMPARE(SheetImport::suggestFor(u"First Name"_s).role, ColumnRole::FirstName);
        QCOMPARE(SheetImport::suggestFor(u"Surname"_s).role, ColumnRole::LastName);
        QCOMPARE(SheetImport::suggestFor(u"Phone number"_s).role, ColumnRole::Phone);
    }

    void mapOption_wordsAndCustomFields()
    {
        QCOMPARE(SheetImport::mappingFromName(u"E-mail"_s, u"x"_s), std::nullopt);
        QCOMPARE(SheetImport::mappingFromName(u"email"_s, u"x"_s), role(ColumnRole::Email));
        QCOMPARE(SheetImport::mappingFromName(u"job-id"_s, u"x"_s), role(ColumnRole::JobId));
        QCOMPARE(SheetImport::mappingFromName(u"custom"_s, u"LinkedIn URL"_s),
                 role(ColumnRole::Custom, u"linkedin_url"_s));
        QCOMPARE(SheetImport::mappingFromName(u"custom:Notes"_s, u"x"_s),
                 role(ColumnRole::Custom, u"Notes"_s));
        QCOMPARE(SheetImport::mappingFromName(u"custom:"_s, u"x"_s), std::nullopt);
        QCOMPARE(SheetImport::mappingName(role(ColumnRole::Custom, u"notes"_s)), u"custom:notes"_s);
        QCOMPARE(SheetImport::customKeyFor(u"  Years of experience (total) "_s),
                 u"years_of_experience_total"_s);
    }

    void build_rowsBecomeCandidates()
    {
        m_options.columns = { role(ColumnRole::FirstName),
                              role(ColumnRole::LastName),
                              role(ColumnRole::Email),
                              role(ColumnRole::Phone),
                              role(ColumnRole::Resume),
                              role(ColumnRole::Job),
                              role(ColumnRole::Custom, u"linkedin_url"_s),
                              role(ColumnRole::Ignore) };
        m_options.sourceForAll = u"Job fair"_s;
        const auto rows = SheetImport::build(
            table({},
                  { { u"Asha"_s, u"Rao"_s, u"ASHA@Example.com "_s, u"+91 98450 12345"_s,
                      u"resumes\\asha.pdf"_s, u"data analyst"_s, u"https://linkedin.com/in/asha"_s,
                      u"notes"_s },
                    { u"Ravi"_s, u""_s, u"ravi@example.com"_s, u"+91 98450 54321"_s,
                      u"https://example.com/ravi.pdf"_s, u""_s, u""_s, u""_s } }),
            m_options);
        QCOMPARE(rows.size(), 2);
        const Row &asha = rows[0];
        QVERIFY2(asha.problems.isEmpty(), qPrintable(asha.problems.summary()));
        const Candidate &c = asha.submission.candidate;
        QCOMPARE(c.name, u"Asha Rao"_s);
        QCOMPARE(c.email,
                 u"ASHA@example.com"_s); // trimmed; the domain lower-cased as the form does
        QCOMPARE(c.phone, u"+919845012345"_s);
        QCOMPARE(c.resumeFile, QDir(m_dir->path()).filePath(u"resumes/asha.pdf"_s));
        QCOMPARE(c.jobId, std::optional<qint64>(12)); // by title, any case
        QCOMPARE(c.source, u"Job fair"_s);
        QCOMPARE(c.customFields.value(u"linkedin_url"_s), u"https://linkedin.com/in/asha"_s);
        QCOMPARE(asha.submission.source, u"import:fair.csv"_s);
        QCOMPARE(asha.line, 2);

        const Candidate &ravi = rows[1].submission.candidate;
        QVERIFY2(rows[1].problems.isEmpty(), qPrintable(rows[1].problems.summary()));
        QCOMPARE(ravi.name, u"Ravi"_s);
        QCOMPARE(ravi.resumeUrl, QUrl(u"https://example.com/ravi.pdf"_s));
        QCOMPARE(ravi.jobId, std::nullopt); // the Talent Pool
    }

    void build_problemsAreOnTheirField()
    {
        m_options.columns
            = { role(ColumnRole::Name), role(ColumnRole::Email), role(ColumnRole::Phone),
                role(ColumnRole::Resume), role(ColumnRole::Job) };
        const auto rows
            = SheetImport::build(table({},
                                       { { u"A One"_s, u"not-an-email"_s, u"+91 98450 12345"_s,
                                           u"resumes/asha.pdf"_s, u"12"_s },
                                         { u"B Two"_s, u"b@example.com"_s, u"+91 98450 12346"_s,
                                           u"missing.pdf"_s, u"Nurse"_s },
                                         { u"C Three"_s, u"c@example.com"_s, u"+91 98450 12347"_s,
                                           u"resumes/asha.pdf"_s, u"Astronaut"_s },
                                         { u"D Four"_s, u"C@example.com"_s, u"+91 98450 12348"_s,
                                           u"resumes/asha.pdf"_s, u"99"_s, u"extra"_s } }),
                                 m_options);
        QCOMPARE(rows.size(), 4);
        QVERIFY(rows[0].problems.contains(u"email"_s));
        QCOMPARE(rows[0].problems.fields(), QStringList({ u"email"_s }));

        QVERIFY(rows[1].problems.first(u"resume"_s).contains(u"missing.pdf"_s));
        QVERIFY(rows[1].problems.first(u"resume"_s).contains(m_dir->path()));
        QVERIFY2(rows[1].problems.first(u"job_id"_s).contains(u"2 jobs are called"_s),
                 qPrintable(rows[1].problems.first(u"job_id"_s)));

        QVERIFY(rows[2].problems.first(u"job_id"_s).contains(u"No job is called “Astronaut”"_s));

        QVERIFY(rows[3].problems.first(u"job_id"_s).contains(u"No job has the id 99"_s));
        QVERIFY(rows[3].problems.first(u"email"_s).contains(u"Line 4 has the same email"_s));
        QVERIFY(rows[3].problems.contains(FieldErrors::NonField)); // the cell past the header

        QCOMPARE(SheetImport::columnOf(m_options.columns, u"job_id"_s), 4);
        QCOMPARE(SheetImport::columnOf(m_options.columns, u"resume"_s), 3);
    }

    void jobForAll_andTalentPoolForAll_winOverTheColumn()
    {
        m_options.columns
            = { role(ColumnRole::Name), role(ColumnRole::Email), role(ColumnRole::Phone),
                role(ColumnRole::Resume), role(ColumnRole::Job) };
        const SheetTable t = table({},
                                   { { u"A One"_s, u"a@example.com"_s, u"+91 98450 12345"_s,
                                       u"resumes/asha.pdf"_s, u"Astronaut"_s } });
        m_options.jobForAll = 14;
        QCOMPARE(SheetImport::build(t, m_options).first().submission.candidate.jobId,
                 std::optional<qint64>(14));
        m_options.jobForAll.reset();
        m_options.talentPoolForAll = true;
        const auto row = SheetImport::build(t, m_options).first();
        QVERIFY(row.problems.isEmpty());
        QCOMPARE(row.submission.candidate.jobId, std::nullopt);
    }

    void rowKey_isStableForTheSameRowAndAccountOnly()
    {
        m_options.columns = { role(ColumnRole::Name), role(ColumnRole::Email),
                              role(ColumnRole::Phone), role(ColumnRole::Resume) };
        const SheetTable t = table(
            {},
            { { u"A One"_s, u"a@example.com"_s, u"+91 98450 12345"_s, u"resumes/asha.pdf"_s } });
        const QString first = SheetImport::build(t, m_options).first().submission.idempotencyKey;
        QCOMPARE(SheetImport::build(t, m_options).first().submission.idempotencyKey, first);
        QVERIFY(first.startsWith(u"import-"_s));
        QVERIFY(first.size() <= 255); // the contract's bound

        SheetTable edited = t;
        edited.rows[0][2] = u"+91 98450 99999"_s;
        QVERIFY(SheetImport::build(edited, m_options).first().submission.idempotencyKey != first);
        m_options.account = u"staging.ats.example.com"_s;
        QVERIFY(SheetImport::build(t, m_options).first().submission.idempotencyKey != first);
    }

private:
    using Row = SheetImport::Row;
    static Job job(qint64 id, const QString &title)
    {
        Job j;
        j.id = id;
        j.title = title;
        return j;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    SheetImport::Options m_options;
};

QTEST_GUILESS_MAIN(TestSheetImport)
#include "tst_sheetimport.moc"
