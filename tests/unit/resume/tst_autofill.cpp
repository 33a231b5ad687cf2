#include "resume/Autofill.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using cdesk::autofill;
using cdesk::AutofillResult;

namespace {

const QString kIndia = u"IN"_s;

// The notes are plain words for the recruiter; the tests only need to know
// which field a note is about, by words no other note uses.
bool hasNote(const AutofillResult &result, const QString &words)
{
    return std::any_of(result.notes.cbegin(), result.notes.cend(),
                       [&](const QString &note) { return note.contains(words); });
}

QString lines(const QStringList &list)
{
    return list.join(u'\n');
}

// Filler that reads like the body of a resume: no names, numbers or links.
QStringList bodyLines(int count)
{
    QStringList out;
    for (int i = 0; i < count; ++i)
        out << u"- Led the migration of the billing service, step %1 of the plan"_s.arg(
            QChar(u'a' + i % 26));
    return out;
}

} // namespace

class TestAutofill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void name_isReadFromTheFirstLines_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("name");

        QTest::newRow("accented Latin: Zoë Łukasiewicz")
            << u"Zoë Łukasiewicz\nzoe.lukasiewicz@example.com\n+48 512 345 678"_s
            << u"Zoë Łukasiewicz"_s;
        QTest::newRow("accented Latin: José Álvarez")
            << u"José Álvarez\nMadrid, España\njose.alvarez@example.es"_s << u"José Álvarez"_s;
        QTest::newRow("decomposed accents come out composed (NFC)")
            << u"Jose\u0301 A\u0301lvarez\njose@example.es"_s << u"José Álvarez"_s;
        QTest::newRow("Devanagari")
            << u"प्रिया शर्मा\npriya.sharma@example.in\n+91 98765 43210"_s << u"प्रिया शर्मा"_s;
        QTest::newRow("Chinese: one word of three characters")
            << u"王小明\nwang.xiaoming@example.cn\n+86 139 1234 5678"_s << u"王小明"_s;
        QTest::newRow("Chinese: after the heading 个人简历")
            << u"个人简历\n王小明\n"_s << u"王小明"_s;
        QTest::newRow("Arabic") << u"أحمد الخطيب\nahmed@example.ae\n+971 50 123 4567"_s
                                << u"أحمد الخطيب"_s;
        QTest::newRow("Arabic: after the heading السيرة الذاتية")
            << u"السيرة الذاتية\nأحمد الخطيب"_s << u"أحمد الخطيب"_s;
        QTest::newRow("Arabic: bidi marks around it are dropped")
            << u"\u200Fأحمد الخطيب\u200F\nahmed@example.ae"_s << u"أحمد الخطيب"_s;
        QTest::newRow("Cyrillic in capitals is title-cased")
            << u"ИВАН ПЕТРОВ\nivan@example.ru"_s << u"Иван Петров"_s;
        QTest::newRow("heading line first: CURRICULUM VITAE")
            << u"CURRICULUM VITAE\n\nAsha Rao\nasha.rao@example.com"_s << u"Asha Rao"_s;
        QTest::newRow("heading line first: Résumé, accents and case ignored")
            << u"RÉSUMÉ\nAsha Rao"_s << u"Asha Rao"_s;
        QTest::newRow("heading line first: Bio-Data")
            << u"Bio-Data\nRavi Kumar"_s << u"Ravi Kumar"_s;
        QTest::newRow("heading line first: CV") << u"C.V.\nRavi Kumar"_s << u"Ravi Kumar"_s;
        QTest::newRow("heading and name on one line")
            << u"CURRICULUM VITAE – ASHA RAO\nasha@example.com"_s << u"Asha Rao"_s;
        QTest::newRow("heading with 'of'") << u"Resume of Asha Rao"_s << u"Asha Rao"_s;
        QTest::newRow("label: Name: Ravi Kumar")
            << u"BIODATA\nName: Ravi Kumar\nFather's Name: Suresh Kumar\nDate of Birth: 1 May 1998"_s
            << u"Ravi Kumar"_s;
        QTest::newRow("label alone, the name on the next line")
            << u"Name:\nRavi Kumar"_s << u"Ravi Kumar"_s;
        QTest::newRow("pipe-separated header line")
            << u"Asha Rao | asha.rao@example.com | +91 98765 43210 | Pune"_s << u"Asha Rao"_s;
        QTest::newRow("bullet-separated header line")
            << u"Asha Rao • Pune, India • asha@example.com"_s << u"Asha Rao"_s;
        QTest::newRow("all caps name is title-cased")
            << u"ANITA DESAI\nSenior Analyst"_s << u"Anita Desai"_s;
        QTest::newRow("all caps name keeps its particles and apostrophes")
            << u"JOSÉ DE LA CRUZ\nSHAUN D'SOUZA"_s << u"José de la Cruz"_s;
        QTest::newRow("all caps name with an apostrophe")
            << u"SHAUN D'SOUZA"_s << u"Shaun D'Souza"_s;
        QTest::newRow("particles in a mixed-case name")
            << u"Ludwig van Beethoven"_s << u"Ludwig van Beethoven"_s;
        QTest::newRow("initials") << u"A. P. J. Abdul Kalam"_s << u"A. P. J. Abdul Kalam"_s;
        QTest::newRow("degree after a comma is left out") << u"Asha Rao, PhD"_s << u"Asha Rao"_s;
        QTest::newRow("social title left out")
            << u"Mr. Ravi Kumar\nravi@example.com"_s << u"Ravi Kumar"_s;
        QTest::newRow("doctor kept, degrees left out")
            << u"Dr. Priya Sharma, MBBS, MD"_s << u"Dr. Priya Sharma"_s;
        QTest::newRow("a place line before the name is passed over")
            << u"New Delhi, India\nAsha Rao"_s << u"Asha Rao"_s;
        QTest::newRow("job title line before the name")
            << u"Senior Software Engineer\nAsha Rao"_s << u"Asha Rao"_s;
        QTest::newRow("section headings in capitals before the name")
            << u"PROFESSIONAL PROFILE\nKEY SKILLS\nAsha Rao"_s << u"Asha Rao"_s;
        QTest::newRow("two-column layout, lines interleaved") << lines({
            u"Asha Rao                               Skills"_s,
            u"Senior Engineer                        C++, Qt, SQL"_s,
            u"asha.rao@example.com                   Python"_s,
            u"+91 98765 43210                        Team leadership"_s,
        }) << u"Asha Rao"_s;
        QTest::newRow("two-column layout, columns split by a tab")
            << u"Asha Rao\tSKILLS\nasha@example.com\tC++"_s << u"Asha Rao"_s;
    }

    void name_isReadFromTheFirstLines()
    {
        QFETCH(QString, text);
        QFETCH(QString, name);
        const AutofillResult result = autofill(text, kIndia);
        QCOMPARE(result.name, name);
        QVERIFY2(!hasNote(result, u"No name"_s), qPrintable(result.notes.join(u' ')));
    }

    void name_isLeftEmptyWhenUnsure_data()
    {
        QTest::addColumn<QString>("text");

        QTest::newRow("only a heading and contact lines")
            << u"RESUME\nasha@example.com\n+91 98765 43210\nlinkedin.com/in/asha-rao"_s;
        QTest::newRow("only section headings in capitals")
            << u"WORK EXPERIENCE\nSKILLS\nEDUCATION\nCONTACT DETAILS"_s;
        QTest::newRow("a heading alone: Curriculum Vitae") << u"Curriculum Vitae"_s;
        QTest::newRow("a heading alone: Profile") << u"Profile"_s;
        QTest::newRow("a heading alone: 简历") << u"简历"_s;
        QTest::newRow("a heading alone: السيرة الذاتية") << u"السيرة الذاتية"_s;
        QTest::newRow("a sentence, not a name") << u"looking for a challenging role in finance"_s;
        QTest::newRow("a capitalised sentence with lower-case words")
            << u"Seeking a Role in Finance"_s;
        QTest::newRow("one Latin word") << u"Asha\nasha@example.com"_s;
        QTest::newRow("more than five words") << u"Asha Rao Kumari Devi Lakshmi Narayan"_s;
        QTest::newRow("digits") << u"Asha Rao 2\nFlat 12 B"_s;
        QTest::newRow("an email address") << u"asha.rao@example.com"_s;
        QTest::newRow("a link") << u"www.asharao.dev"_s;
        QTest::newRow("a label with something else")
            << u"Nationality: Indian\nMarital Status: Single"_s;
        QTest::newRow("a place: City, Country") << u"New Delhi, India"_s;
        QTest::newRow("family name first, after a comma") << u"Rao, Asha"_s;
        QTest::newRow("all lower case: not sure it is a name") << u"asha rao"_s;
        QTest::newRow("the name below the first eight lines")
            << lines(bodyLines(8) + QStringList { u"Asha Rao"_s });
    }

    void name_isLeftEmptyWhenUnsure()
    {
        QFETCH(QString, text);
        const AutofillResult result = autofill(text, kIndia);
        QCOMPARE(result.name, QString());
        QVERIFY(hasNote(result, u"No name"_s));
    }

    void email_isTheFirstValidAddressAnywhere_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("email");

        QTest::newRow("in the header")
            << u"Asha Rao\nasha.rao@example.com\n+91 98765 43210"_s << u"asha.rao@example.com"_s;
        QTest::newRow("only in a footer line at the end")
            << lines(QStringList { u"Asha Rao"_s, u"Senior Engineer"_s } + bodyLines(40)
                     + QStringList { u"Asha Rao · asha.rao@gmail.com · Page 2 of 2"_s })
            << u"asha.rao@gmail.com"_s;
        QTest::newRow("with mailto:, domain lower-cased")
            << u"Email: mailto:Asha.Rao@Example.COM"_s << u"Asha.Rao@example.com"_s;
        QTest::newRow("in a pipe-separated line without spaces")
            << u"Asha Rao|asha@example.com|+91 98765 43210"_s << u"asha@example.com"_s;
        QTest::newRow("at the end of a sentence")
            << u"Write to asha@example.com."_s << u"asha@example.com"_s;
        QTest::newRow("in angle brackets")
            << u"Asha Rao <asha@example.com>"_s << u"asha@example.com"_s;
        QTest::newRow("the first of two")
            << u"asha@example.com\nWork: asha.rao@acme.example.org"_s << u"asha@example.com"_s;
        QTest::newRow("a domain without a dot is passed over")
            << u"root@localhost\nasha@example.com"_s << u"asha@example.com"_s;
        QTest::newRow("noreply passed over for the candidate's")
            << u"Downloaded from the job board (noreply@jobs.example.in)\nAsha Rao\n"
               "asha@example.com"_s
            << u"asha@example.com"_s;
        QTest::newRow("template placeholder passed over")
            << u"name@email.com\nasha@example.com"_s << u"asha@example.com"_s;
        QTest::newRow("internationalised domain in its ACE form")
            << u"asha@bücher.de"_s << u"asha@xn--bcher-kva.de"_s;
    }

    void email_isTheFirstValidAddressAnywhere()
    {
        QFETCH(QString, text);
        QFETCH(QString, email);
        const AutofillResult result = autofill(text, kIndia);
        QCOMPARE(result.email, email);
        QVERIFY2(!hasNote(result, u"email"_s), qPrintable(result.notes.join(u' ')));
    }

    void email_missing_isLeftEmptyWithNote_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("no address anywhere") << u"Asha Rao\n+91 98765 43210\nPune"_s;
        QTest::newRow("written out in words") << u"Asha Rao\nasha at example dot com"_s;
        QTest::newRow("not a valid address") << u"Asha Rao\nasha@@example.com"_s;
    }

    void email_missing_isLeftEmptyWithNote()
    {
        QFETCH(QString, text);
        const AutofillResult result = autofill(text, kIndia);
        QCOMPARE(result.email, QString());
        QVERIFY(hasNote(result, u"No email address"_s));
    }

    void email_onlyAutomaticAddress_isFilledWithNote()
    {
        const AutofillResult result
            = autofill(u"Asha Rao\nSent by noreply@jobs.example.in"_s, kIndia);
        QCOMPARE(result.email, u"noreply@jobs.example.in"_s);
        QVERIFY(hasNote(result, u"noreply@jobs.example.in"_s));
    }

    void phone_isTheFirstValidNumberInE164_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("phone");
        QTest::addColumn<QString>("asWritten");

        const QString in = u"+919876543210"_s;
        const QString london = u"+442079460958"_s;
        QTest::newRow("India: +91 98765 43210")
            << u"Asha Rao\n+91 98765 43210"_s << kIndia << in << u"+91 98765 43210"_s;
        QTest::newRow("India: 098765 43210 with region IN")
            << u"Mobile: 098765 43210"_s << kIndia << in << u"098765 43210"_s;
        QTest::newRow("India: 98765-43210 with region IN")
            << u"Phone 98765-43210"_s << kIndia << in << u"98765-43210"_s;
        QTest::newRow("India: region in lower case")
            << u"098765 43210"_s << u"in"_s << in << u"098765 43210"_s;
        QTest::newRow("India: in a pipe-separated header")
            << u"Asha Rao | asha@example.com | +91 98765 43210"_s << kIndia << in
            << u"+91 98765 43210"_s;
        QTest::newRow("India: in a column after a year range")
            << u"B.Tech 2019-2023        98765 43210"_s << kIndia << in << u"98765 43210"_s;
        QTest::newRow("US: (415) 555-2671 with region US")
            << u"Tel: (415) 555-2671"_s << u"US"_s << u"+14155552671"_s << u"(415) 555-2671"_s;
        QTest::newRow("UK: 020 7946 0958 with region GB")
            << u"020 7946 0958"_s << u"GB"_s << london << u"020 7946 0958"_s;
        QTest::newRow("UK: +44 20 7946 0958 with region GB")
            << u"+44 20 7946 0958"_s << u"GB"_s << london << u"+44 20 7946 0958"_s;
        QTest::newRow("UK: +44 20 7946 0958 while the region is IN")
            << u"+44 20 7946 0958"_s << kIndia << london << u"+44 20 7946 0958"_s;
        QTest::newRow("UAE: +971 50 123 4567 while the region is IN")
            << u"Dubai · +971 50 123 4567"_s << kIndia << u"+971501234567"_s
            << u"+971 50 123 4567"_s;
        QTest::newRow("US: +1 415-555-2671 while the region is IN")
            << u"+1 415-555-2671"_s << kIndia << u"+14155552671"_s << u"+1 415-555-2671"_s;
        QTest::newRow("no region: international numbers only")
            << u"+44 20 7946 0958"_s << QString() << london << u"+44 20 7946 0958"_s;
        QTest::newRow("a region the phone library does not know")
            << u"+44 20 7946 0958"_s << u"XX"_s << london << u"+44 20 7946 0958"_s;
        QTest::newRow("the first of two numbers")
            << u"+91 98765 43210\nHome: +91 80 2345 6789"_s << kIndia << in << u"+91 98765 43210"_s;
        QTest::newRow("a year range before it on another line")
            << u"2019-2023\n98765 43210"_s << kIndia << in << u"98765 43210"_s;
    }

    void phone_isTheFirstValidNumberInE164()
    {
        QFETCH(QString, text);
        QFETCH(QString, region);
        QFETCH(QString, phone);
        QFETCH(QString, asWritten);
        const AutofillResult result = autofill(text, region);
        QCOMPARE(result.phone, phone);
        QCOMPARE(result.phoneAsWritten, asWritten);
        QVERIFY2(!hasNote(result, u"phone number"_s), qPrintable(result.notes.join(u' ')));
    }

    void phone_isNotTakenFromDatesPostcodesOrLinks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("region");

        QTest::newRow("year range 2019-2023") << u"B.Tech, 2019-2023"_s << kIndia;
        QTest::newRow("year range with an en dash") << u"Acme Corp 2019 – 2023"_s << kIndia;
        QTest::newRow("two year ranges") << u"2015 - 2019 2019-2023"_s << kIndia;
        QTest::newRow("month/year range") << u"01/2019 - 12/2023"_s << kIndia;
        QTest::newRow("year range in the US") << u"2019-2023"_s << u"US"_s;
        QTest::newRow("year range in the UK") << u"2019-2023"_s << u"GB"_s;
        QTest::newRow("Indian PIN code") << u"Bengaluru 560001, Karnataka"_s << kIndia;
        QTest::newRow("Indian PIN code with a space") << u"Pune 411 045"_s << kIndia;
        QTest::newRow("US ZIP+4") << u"San Francisco, CA 94103-1234"_s << u"US"_s;
        QTest::newRow("UK postcode") << u"London SW1A 1AA"_s << u"GB"_s;
        QTest::newRow("grade and years") << u"CGPA 8.5/10 (2019-2023)"_s << kIndia;
        QTest::newRow("digits in a LinkedIn link")
            << u"linkedin.com/in/asha-rao-9876543210"_s << kIndia;
        QTest::newRow("digits in an email address") << u"asha9876543210@example.com"_s << kIndia;
        QTest::newRow("too short to be a number") << u"Ext. 12345"_s << kIndia;
    }

    void phone_isNotTakenFromDatesPostcodesOrLinks()
    {
        QFETCH(QString, text);
        QFETCH(QString, region);
        const AutofillResult result = autofill(text, region);
        QCOMPARE(result.phone, QString());
        QCOMPARE(result.phoneAsWritten, QString());
        QVERIFY(hasNote(result, u"No phone number"_s));
    }

    void links_goIntoTheirCustomFields_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("linkedin");
        QTest::addColumn<QString>("github");
        QTest::addColumn<QString>("portfolio");

        const QString li = u"https://www.linkedin.com/in/asha-rao"_s;
        const QString gh = u"https://github.com/asharao"_s;
        const QString none;
        QTest::newRow("LinkedIn with scheme")
            << u"https://www.linkedin.com/in/asha-rao/"_s << li << none << none;
        QTest::newRow("LinkedIn without scheme")
            << u"linkedin.com/in/asha-rao"_s << li << none << none;
        QTest::newRow("LinkedIn country host and tracking query")
            << u"LinkedIn: in.linkedin.com/in/asha-rao?trk=public_profile"_s << li << none << none;
        QTest::newRow("LinkedIn company page is no profile")
            << u"linkedin.com/company/acme"_s << none << none << none;
        QTest::newRow("GitHub with scheme")
            << u"https://github.com/asharao"_s << none << gh << none;
        QTest::newRow("GitHub without scheme, trailing slash")
            << u"github.com/asharao/"_s << none << gh << none;
        QTest::newRow("GitHub over http becomes https")
            << u"http://www.github.com/asharao"_s << none << gh << none;
        QTest::newRow("GitHub page of GitHub's own is no profile")
            << u"github.com/features"_s << none << none << none;
        QTest::newRow("portfolio with https")
            << u"Portfolio: https://asharao.dev"_s << none << none << u"https://asharao.dev"_s;
        QTest::newRow("portfolio over http becomes https")
            << u"http://asharao.dev/"_s << none << none << u"https://asharao.dev"_s;
        QTest::newRow("portfolio with www and no scheme")
            << u"www.asharao.dev"_s << none << none << u"https://www.asharao.dev"_s;
        QTest::newRow("portfolio on GitHub Pages")
            << u"https://asharao.github.io/"_s << none << none << u"https://asharao.github.io"_s;
        QTest::newRow("portfolio in parentheses at the end of a sentence")
            << u"Work samples (see https://asharao.dev/work)."_s << none << none
            << u"https://asharao.dev/work"_s;
        QTest::newRow("bare domain without scheme or www is not taken")
            << u"asharao.dev\nSkills: Node.js, ASP.NET"_s << none << none << none;
        QTest::newRow("mail provider's site is no portfolio")
            << u"asha.rao@gmail.com (www.gmail.com)"_s << none << none << none;
        QTest::newRow("the email's own domain is no link")
            << u"asha@asharao.dev"_s << none << none << none;
        QTest::newRow("all three on one line")
            << u"linkedin.com/in/asha-rao | github.com/asharao | https://asharao.dev"_s << li << gh
            << u"https://asharao.dev"_s;
        QTest::newRow("employer's site in the experience section is no portfolio")
            << lines(QStringList { u"Asha Rao"_s } + bodyLines(20)
                     + QStringList { u"Acme Corp (https://acmecorp.in), 2019-2023"_s })
            << none << none << none;
        QTest::newRow("a labelled website further down is taken")
            << lines(QStringList { u"Asha Rao"_s } + bodyLines(20)
                     + QStringList { u"Website: https://asharao.dev"_s })
            << none << none << u"https://asharao.dev"_s;
        QTest::newRow("the first of each")
            << u"linkedin.com/in/asha-rao\nlinkedin.com/in/someone-else\ngithub.com/asharao\n"
               "github.com/another"_s
            << li << gh << none;
    }

    void links_goIntoTheirCustomFields()
    {
        QFETCH(QString, text);
        QFETCH(QString, linkedin);
        QFETCH(QString, github);
        QFETCH(QString, portfolio);
        const AutofillResult result = autofill(text, kIndia);
        QCOMPARE(result.links.value(u"linkedin_url"_s), linkedin);
        QCOMPARE(result.links.value(u"github_url"_s), github);
        QCOMPARE(result.links.value(u"portfolio_url"_s), portfolio);
        // Only filled fields, under keys the contract takes.
        static const QRegularExpression key(u"^[a-z0-9_]{1,64}$"_s);
        for (auto it = result.links.cbegin(); it != result.links.cend(); ++it) {
            QVERIFY2(key.match(it.key()).hasMatch(), qPrintable(it.key()));
            QVERIFY(!it.value().isEmpty());
        }
    }

    void links_gitHubProjectOnly_saysWhyGitHubIsEmpty()
    {
        const AutofillResult result
            = autofill(u"Asha Rao\nContributed to github.com/qt/qtbase"_s, kIndia);
        QVERIFY(!result.links.contains(u"github_url"_s));
        QVERIFY(hasNote(result, u"GitHub"_s));
    }

    void twoColumnLayout_fillsEveryField()
    {
        const QString text = lines({
            u"Asha Rao                                   SKILLS"_s,
            u"Senior Software Engineer                   C++ · Qt · SQL"_s,
            u"asha.rao@example.com                       Python, Go"_s,
            u"+91 98765 43210                            LANGUAGES"_s,
            u"linkedin.com/in/asha-rao                   English, Hindi, Marathi"_s,
            u"github.com/asharao                         EDUCATION"_s,
            u"https://asharao.dev                        B.Tech, 2015-2019"_s,
            u""_s,
            u"EXPERIENCE"_s,
            u"Acme Corp, Pune                            2019-2023"_s,
        });
        const AutofillResult result = autofill(text, kIndia);
        QCOMPARE(result.name, u"Asha Rao"_s);
        QCOMPARE(result.email, u"asha.rao@example.com"_s);
        QCOMPARE(result.phone, u"+919876543210"_s);
        QCOMPARE(result.phoneAsWritten, u"+91 98765 43210"_s);
        QCOMPARE(result.links.value(u"linkedin_url"_s), u"https://www.linkedin.com/in/asha-rao"_s);
        QCOMPARE(result.links.value(u"github_url"_s), u"https://github.com/asharao"_s);
        QCOMPARE(result.links.value(u"portfolio_url"_s), u"https://asharao.dev"_s);
        QCOMPARE(result.notes, QStringList());
    }

    void emptyText_saysThereIsNoText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("nothing") << QString();
        QTest::newRow("only white space and page breaks") << u"  \n\f \r\n\t"_s;
    }

    void emptyText_saysThereIsNoText()
    {
        QFETCH(QString, text);
        const AutofillResult result = autofill(text, kIndia);
        QCOMPARE(result.name, QString());
        QCOMPARE(result.email, QString());
        QCOMPARE(result.phone, QString());
        QVERIFY(result.links.isEmpty());
        QCOMPARE(result.notes.size(), 1);
        QVERIFY(hasNote(result, u"no text"_s));
    }

    // Text no resume has, made to make the patterns backtrack: long runs of
    // dotted labels, hyphens, digits and at-signs. It must finish (the test's
    // time-out guards that) and fill nothing from it.
    void pathologicalText_finishesAndFillsNothing()
    {
        QString text;
        text += u"a."_s.repeated(100000) + u'\n';
        text += u"a-"_s.repeated(100000) + u'\n';
        text += u"x@"_s.repeated(100000) + u'\n';
        text += u"1 2-3 "_s.repeated(50000) + u'\n';
        text += u"https://"_s.repeated(50000) + u'\n';
        text += (u"Led the team at Acme, 2019-2023, grade 8.5/10.\n"_s).repeated(20000);
        QElapsedTimer timer;
        timer.start();
        const AutofillResult result = autofill(text, kIndia);
        qInfo("%lld characters in %lld ms", qlonglong(text.size()), timer.elapsed());
        QCOMPARE(result.name, QString());
        QCOMPARE(result.email, QString());
        QCOMPARE(result.phone, QString());
        QVERIFY(result.links.isEmpty());
    }

    void noteForPhone_namesTheRegion()
    {
        const AutofillResult result = autofill(u"Asha Rao\nasha@example.com"_s, kIndia);
        QCOMPARE(result.notes.size(), 1);
        QVERIFY2(result.notes.constFirst().contains(u"India"_s),
                 qPrintable(result.notes.constFirst()));
        QVERIFY(result.notes.constFirst().contains(u"+91"_s));
    }
};

QTEST_GUILESS_MAIN(TestAutofill)
#include "tst_autofill.moc"
