#include "model/CandidateValidator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;
using cdesk::Candidate;
using cdesk::CandidateValidator;
using cdesk::FieldErrors;
using cdesk::ValidationOptions;

namespace {

ValidationOptions withRegion(const QString &region)
{
    ValidationOptions options;
    options.phoneRegion = region;
    return options;
}

} // namespace

class TestCandidateValidator : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, qint64 size)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        if (size > 0 && !file.resize(size))
            return {};
        return path;
    }

    Candidate validCandidate()
    {
        Candidate c;
        c.name = u"Asha Rao"_s;
        c.email = u"asha.rao@example.com"_s;
        c.phone = u"+91 98765 43210"_s;
        c.resumeUrl = QUrl(u"https://drive.example.com/asha-rao-cv.pdf"_s);
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Sizes in messages are formatted in the user's locale: pin it.
        QLocale::setDefault(QLocale::c());
        QVERIFY(m_dir.isValid());
    }

    // ---- name -------------------------------------------------------------

    void checkName_lettersOfAnyScript_areAccepted_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << u"Asha Rao"_s;
        QTest::newRow("accents") << u"José Ñúñez-Gómez"_s;
        QTest::newRow("apostrophe") << u"Siobhán O'Brien"_s;
        QTest::newRow("scandinavian") << u"Zoë Ångström Øster"_s;
        QTest::newRow("devanagari") << u"प्रिया शर्मा"_s;
        QTest::newRow("chinese") << u"王小明"_s;
        QTest::newRow("arabic") << u"محمد عبد الله"_s;
        QTest::newRow("persian with ZWNJ") << u"نرگس محمدی\u200Cپور"_s;
        QTest::newRow("malayalam with ZWJ") << u"കാര്\u200Dത്തിക്"_s;
        QTest::newRow("supplementary CJK") << u"𠮷野家"_s;
        QTest::newRow("one letter") << u"X"_s;
        QTest::newRow("suffix with digits") << u"John Smith 3rd"_s;
    }
    void checkName_lettersOfAnyScript_areAccepted()
    {
        QFETCH(QString, name);
        const CandidateValidator validator;
        QString value = name;
        QCOMPARE(validator.checkName(&value), QString());
        QCOMPARE(value, name.normalized(QString::NormalizationForm_C));
    }

    void checkName_surroundingWhitespace_isTrimmed()
    {
        const CandidateValidator validator;
        QString name = u"  \tAsha Rao\u00A0 "_s;
        QCOMPARE(validator.checkName(&name), QString());
        QCOMPARE(name, u"Asha Rao"_s);
    }

    void checkName_decomposedInput_isNormalisedToNfc_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("e + acute") << u"Jose\u0301"_s << u"Jos\u00E9"_s;
        QTest::newRow("n + tilde") << u"Nun\u0303ez"_s << u"Nu\u00F1ez"_s;
        QTest::newRow("A + ring") << u"A\u030Angstro\u0308m"_s << u"\u00C5ngstr\u00F6m"_s;
        QTest::newRow("devanagari nukta")
            << u"\u0915\u093C\u093E\u0930\u0940"_s << u"\u0915\u093C\u093E\u0930\u0940"_s;
    }
    void checkName_decomposedInput_isNormalisedToNfc()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const CandidateValidator validator;
        QCOMPARE(validator.checkName(&input), QString());
        QCOMPARE(input, expected);
    }

    void checkName_controlAndFormatCharacters_areRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("NUL") << u"Asha\u0000Rao"_s;
        QTest::newRow("tab inside") << u"Asha\tRao"_s;
        QTest::newRow("newline inside") << u"Asha\nRao"_s;
        QTest::newRow("escape") << u"Asha\u001B[31mRao"_s;
        QTest::newRow("DEL") << u"Asha\u007FRao"_s;
        QTest::newRow("C1 control") << u"Asha\u0085Rao"_s;
        QTest::newRow("line separator") << u"Asha\u2028Rao"_s;
        QTest::newRow("LRE U+202A") << u"Asha \u202ARao"_s;
        QTest::newRow("RLE U+202B") << u"Asha \u202BRao"_s;
        QTest::newRow("PDF U+202C") << u"Asha \u202CRao"_s;
        QTest::newRow("LRO U+202D") << u"Asha \u202DRao"_s;
        QTest::newRow("RLO U+202E") << u"\u202EoaR ahsA"_s;
        QTest::newRow("LRI U+2066") << u"Asha \u2066Rao"_s;
        QTest::newRow("RLI U+2067") << u"Asha \u2067Rao"_s;
        QTest::newRow("FSI U+2068") << u"Asha \u2068Rao"_s;
        QTest::newRow("PDI U+2069") << u"Asha Rao\u2069"_s;
        QTest::newRow("zero width space") << u"Asha\u200BRao"_s;
        QTest::newRow("BOM inside") << u"Asha\uFEFFRao"_s;
        QTest::newRow("left-to-right mark") << u"Asha\u200ERao"_s;
        QTest::newRow("tag character") << u"Asha\U000E0041Rao"_s;
        QTest::newRow("lone surrogate") << QString(u"Asha"_s + QChar(0xD800) + u"Rao"_s);
    }
    void checkName_controlAndFormatCharacters_areRefused()
    {
        QFETCH(QString, name);
        const CandidateValidator validator;
        QVERIFY(!validator.checkName(&name).isEmpty());
    }

    void checkName_length_isOneTo200_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("only spaces") << u"   \t "_s << false;
        QTest::newRow("1") << u"A"_s << true;
        QTest::newRow("200") << QString(200, u'a') << true;
        QTest::newRow("200 + spaces around") << u"  "_s + QString(200, u'a') + u"  "_s << true;
        QTest::newRow("201") << QString(201, u'a') << false;
        QTest::newRow("200 after NFC") << QString(200, u'e').replace(0, 1, u"e\u0301"_s) << true;
    }
    void checkName_length_isOneTo200()
    {
        QFETCH(QString, name);
        QFETCH(bool, accepted);
        const CandidateValidator validator;
        QCOMPARE(validator.checkName(&name).isEmpty(), accepted);
    }

    void checkName_withoutLetters_isRefused()
    {
        const CandidateValidator validator;
        QString name = u"12345"_s;
        QVERIFY(!validator.checkName(&name).isEmpty());
        name = u"- . -"_s;
        QVERIFY(!validator.checkName(&name).isEmpty());
    }

    // ---- email ------------------------------------------------------------

    void checkEmail_validAddress_isAccepted_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("expected");
        QTest::newRow("simple") << u"asha.rao@example.com"_s << u"asha.rao@example.com"_s;
        QTest::newRow("plus tag") << u"asha+jobs@mail.example.co.in"_s
                                  << u"asha+jobs@mail.example.co.in"_s;
        QTest::newRow("all specials")
            << u"a!#$%&'*+/=?^_`{|}~-z@example.com"_s << u"a!#$%&'*+/=?^_`{|}~-z@example.com"_s;
        QTest::newRow("dots in local part") << u"a..b.@example.com"_s << u"a..b.@example.com"_s;
        QTest::newRow("single-label domain") << u"asha@localhost"_s << u"asha@localhost"_s;
        QTest::newRow("hyphenated domain")
            << u"x@my-company.example"_s << u"x@my-company.example"_s;
        QTest::newRow("63-char label")
            << u"x@"_s + QString(63, u'a') + u".com"_s << u"x@"_s + QString(63, u'a') + u".com"_s;
        QTest::newRow("trimmed") << u"  asha@example.com \n"_s << u"asha@example.com"_s;
        QTest::newRow("mailto") << u"mailto:asha@example.com"_s << u"asha@example.com"_s;
        QTest::newRow("upper domain lowered")
            << u"Asha.Rao@Example.COM"_s << u"Asha.Rao@example.com"_s;
        QTest::newRow("IDN to ACE") << u"user@bücher.de"_s << u"user@xn--bcher-kva.de"_s;
        QTest::newRow("upper IDN to ACE") << u"user@BÜCHER.DE"_s << u"user@xn--bcher-kva.de"_s;
        QTest::newRow("IDN hindi")
            << u"user@उदाहरण.भारत"_s << u"user@xn--p1b6ci4b4b3a.xn--h2brj9c"_s;
        QTest::newRow("254 chars") << QString(64, u'a') + u"@"_s + QString(63, u'b') + u"."_s
                + QString(63, u'c') + u"."_s + QString(61, u'd')
                                   << QString(64, u'a') + u"@"_s + QString(63, u'b') + u"."_s
                + QString(63, u'c') + u"."_s + QString(61, u'd');
    }
    void checkEmail_validAddress_isAccepted()
    {
        QFETCH(QString, email);
        QFETCH(QString, expected);
        const CandidateValidator validator;
        QCOMPARE(validator.checkEmail(&email), QString());
        QCOMPARE(email, expected);
    }

    void checkEmail_invalidAddress_isRefused_data()
    {
        QTest::addColumn<QString>("email");
        QTest::newRow("empty") << QString();
        QTest::newRow("no at") << u"asha.example.com"_s;
        QTest::newRow("two ats") << u"asha@rao@example.com"_s;
        QTest::newRow("no local part") << u"@example.com"_s;
        QTest::newRow("no domain") << u"asha@"_s;
        QTest::newRow("space in local part") << u"asha rao@example.com"_s;
        QTest::newRow("space in domain") << u"asha@exa mple.com"_s;
        QTest::newRow("quoted local part") << u"\"asha\"@example.com"_s;
        QTest::newRow("accent in local part") << u"josé@example.com"_s;
        QTest::newRow("domain starts with hyphen") << u"asha@-example.com"_s;
        QTest::newRow("label ends with hyphen") << u"asha@example-.com"_s;
        QTest::newRow("empty label") << u"asha@example..com"_s;
        QTest::newRow("leading dot in domain") << u"asha@.example.com"_s;
        QTest::newRow("trailing dot in domain") << u"asha@example.com."_s;
        QTest::newRow("underscore in domain") << u"asha@ex_ample.com"_s;
        QTest::newRow("64-char label") << u"x@"_s + QString(64, u'a') + u".com"_s;
        QTest::newRow("IP literal") << u"asha@[127.0.0.1]"_s;
        QTest::newRow("display name") << u"Asha Rao <asha@example.com>"_s;
        QTest::newRow("255 chars") << QString(65, u'a') + u"@"_s + QString(63, u'b') + u"."_s
                + QString(63, u'c') + u"."_s + QString(61, u'd');
    }
    void checkEmail_invalidAddress_isRefused()
    {
        QFETCH(QString, email);
        const CandidateValidator validator;
        QString value = email;
        QVERIFY(!validator.checkEmail(&value).isEmpty());
        QCOMPARE(value, email.trimmed()); // the recruiter's text is kept
    }

    // ---- phone ------------------------------------------------------------

    void checkPhone_validNumber_isStoredAsE164_data()
    {
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("phone");
        QTest::addColumn<QString>("expected");
        QTest::newRow("India, national") << u"IN"_s << u"98765 43210"_s << u"+919876543210"_s;
        QTest::newRow("India, with +91") << u"IN"_s << u"+91 98765 43210"_s << u"+919876543210"_s;
        QTest::newRow("India, trunk 0") << u"IN"_s << u"098765-43210"_s << u"+919876543210"_s;
        QTest::newRow("India, 00 prefix") << u"IN"_s << u"0091 98765 43210"_s << u"+919876543210"_s;
        QTest::newRow("India, Arabic-Indic digits")
            << u"IN"_s << u"٩٨٧٦٥ ٤٣٢١٠"_s << u"+919876543210"_s;
        QTest::newRow("US, national") << u"US"_s << u"(415) 555-2671"_s << u"+14155552671"_s;
        QTest::newRow("US, dots") << u"US"_s << u"415.555.2671"_s << u"+14155552671"_s;
        QTest::newRow("UK, national") << u"GB"_s << u"020 7946 0958"_s << u"+442079460958"_s;
        QTest::newRow("UK with +, region IN")
            << u"IN"_s << u"+44 20 7946 0958"_s << u"+442079460958"_s;
        QTest::newRow("US with +, region GB")
            << u"GB"_s << u"+1 415 555 2671"_s << u"+14155552671"_s;
        QTest::newRow("Germany with +") << u"IN"_s << u"+49 30 901820"_s << u"+4930901820"_s;
        QTest::newRow("Japan with +") << u"US"_s << u"+81 3-1234-5678"_s << u"+81312345678"_s;
        QTest::newRow("Niue, 7 digits") << u"IN"_s << u"+683 4002"_s << u"+6834002"_s;
        QTest::newRow("lower-case region") << u"gb"_s << u"020 7946 0958"_s << u"+442079460958"_s;
        QTest::newRow("en dash") << u"US"_s << u"415\u2013555\u20132671"_s << u"+14155552671"_s;
    }
    void checkPhone_validNumber_isStoredAsE164()
    {
        QFETCH(QString, region);
        QFETCH(QString, phone);
        QFETCH(QString, expected);
        const CandidateValidator validator(withRegion(region));
        QCOMPARE(validator.checkPhone(&phone), QString());
        QCOMPARE(phone, expected);
    }

    void checkPhone_invalidNumber_isRefused_data()
    {
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("phone");
        QTest::newRow("empty") << u"IN"_s << QString();
        QTest::newRow("12345 parses but is not valid") << u"IN"_s << u"12345"_s;
        QTest::newRow("too short for US") << u"US"_s << u"555-2671"_s;
        QTest::newRow("one digit too many") << u"IN"_s << u"98765 432101"_s;
        QTest::newRow("country code only") << u"IN"_s << u"+91"_s;
        QTest::newRow("letters") << u"IN"_s << u"abcdefghij"_s;
        QTest::newRow("vanity letters") << u"US"_s << u"1-800-FLOWERS"_s;
        QTest::newRow("letter O for zero") << u"IN"_s << u"98765 4321O"_s;
        QTest::newRow("extension") << u"US"_s << u"(415) 555-2671 ext. 12"_s;
        QTest::newRow("unknown country code") << u"IN"_s << u"+999 1234 5678"_s;
        QTest::newRow("no region and no +") << u"ZZ"_s << u"98765 43210"_s;
    }
    void checkPhone_invalidNumber_isRefused()
    {
        QFETCH(QString, region);
        QFETCH(QString, phone);
        const CandidateValidator validator(withRegion(region));
        QString value = phone;
        const QString message = validator.checkPhone(&value);
        QVERIFY(!message.isEmpty());
        QVERIFY2(message.contains(u'+'), qPrintable(message)); // shows an example number
        QCOMPARE(value, phone.trimmed());
    }

    void checkPhone_message_showsExampleOfTheRegion()
    {
        const CandidateValidator validator(withRegion(u"IN"_s));
        QString phone = u"12345"_s;
        QVERIFY(validator.checkPhone(&phone).contains(u"+91 "_s));
    }

    // ---- resume -----------------------------------------------------------

    void checkResumeFile_missingFile_isRefused()
    {
        const CandidateValidator validator;
        QString path = m_dir.filePath(u"not-there.pdf"_s);
        const QString message = validator.checkResumeFile(&path);
        QVERIFY(message.contains(u"not-there.pdf"_s));
    }

    void checkResumeFile_folder_isRefused()
    {
        const CandidateValidator validator;
        QString path = m_dir.path();
        QVERIFY(!validator.checkResumeFile(&path).isEmpty());
    }

    void checkResumeFile_emptyFile_isRefused()
    {
        const CandidateValidator validator;
        QString path = writeFile(u"empty.pdf"_s, 0);
        QVERIFY(!path.isEmpty());
        QVERIFY(validator.checkResumeFile(&path).contains(u"empty"_s));
    }

    void checkResumeFile_unreadableFile_isRefused()
    {
        QString path = writeFile(u"locked.pdf"_s, 100);
        QVERIFY(QFile::setPermissions(path, QFileDevice::WriteOwner));
        QFile probe(path);
        if (probe.open(QIODevice::ReadOnly))
            QSKIP("running as a user who reads every file (root)");
        const CandidateValidator validator;
        QVERIFY(!validator.checkResumeFile(&path).isEmpty());
    }

    void checkResumeFile_overTheLimit_isRefusedWithSizesAndRemedy()
    {
        const CandidateValidator validator; // the contract's 5 MiB
        QString path = writeFile(u"big résumé.pdf"_s, 5 * 1024 * 1024 + 1);
        QVERIFY(!path.isEmpty());
        const QString message = validator.checkResumeFile(&path);
        QVERIFY2(message.contains(u"5.1 MB"_s), qPrintable(message));
        QVERIFY2(message.contains(u"5 MB"_s), qPrintable(message));
        QVERIFY2(message.contains(u"plain text"_s), qPrintable(message));
        QVERIFY2(message.contains(u"compress"_s), qPrintable(message));
        QVERIFY2(message.contains(u"big résumé.pdf"_s), qPrintable(message));
    }

    void checkResumeFile_limitFromOptions_isUsed_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("1 byte") << qint64(1) << true;
        QTest::newRow("at the limit") << qint64(2 * 1024 * 1024) << true;
        QTest::newRow("one byte over") << qint64(2 * 1024 * 1024 + 1) << false;
    }
    void checkResumeFile_limitFromOptions_isUsed()
    {
        QFETCH(qint64, size);
        QFETCH(bool, accepted);
        ValidationOptions options;
        options.maxResumeBytes = 2 * 1024 * 1024;
        const CandidateValidator validator(options);
        QString path = writeFile(u"cv-%1.txt"_s.arg(size), size);
        const QString message = validator.checkResumeFile(&path);
        QVERIFY2(message.isEmpty() == accepted, qPrintable(message));
        if (!accepted)
            QVERIFY2(message.contains(u"2 MB"_s), qPrintable(message));
    }

    void checkResumeFile_relativePath_becomesAbsolute()
    {
        const QString absolute = writeFile(u"relative.txt"_s, 10);
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(m_dir.path()));
        QString path = u"relative.txt"_s;
        const QString message = CandidateValidator().checkResumeFile(&path);
        QDir::setCurrent(previous);
        QCOMPARE(message, QString());
        QCOMPARE(path, QFileInfo(absolute).absoluteFilePath());
    }

    void checkResumeUrl_httpOrHttpsLink_isAccepted_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("https") << u"https://drive.example.com/asha-rao-cv.pdf"_s
                               << u"https://drive.example.com/asha-rao-cv.pdf"_s;
        QTest::newRow("http with query")
            << u"http://example.com/cv?id=7&dl=1"_s << u"http://example.com/cv?id=7&dl=1"_s;
        QTest::newRow("trimmed") << u"  https://example.com/cv.pdf\n"_s
                                 << u"https://example.com/cv.pdf"_s;
        QTest::newRow("upper-case scheme")
            << u"HTTPS://example.com/cv.pdf"_s << u"https://example.com/cv.pdf"_s;
        QTest::newRow("space encoded")
            << u"https://example.com/my cv.pdf"_s << u"https://example.com/my%20cv.pdf"_s;
        QTest::newRow("IDN host to ACE")
            << u"https://bücher.de/cv.pdf"_s << u"https://xn--bcher-kva.de/cv.pdf"_s;
        QTest::newRow("IP address") << u"http://192.0.2.7/cv.pdf"_s << u"http://192.0.2.7/cv.pdf"_s;
        QTest::newRow("localhost with port")
            << u"http://localhost:8000/cv.pdf"_s << u"http://localhost:8000/cv.pdf"_s;
    }
    void checkResumeUrl_httpOrHttpsLink_isAccepted()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        const CandidateValidator validator;
        QCOMPARE(validator.checkResumeUrl(&url), QString());
        QCOMPARE(url, expected);
    }

    void checkResumeUrl_otherLinks_areRefused_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("no scheme") << u"drive.example.com/cv.pdf"_s;
        QTest::newRow("ftp") << u"ftp://example.com/cv.pdf"_s;
        QTest::newRow("file") << u"file:///home/asha/cv.pdf"_s;
        QTest::newRow("javascript") << u"javascript:alert(1)"_s;
        QTest::newRow("mailto") << u"mailto:asha@example.com"_s;
        QTest::newRow("scheme only") << u"https://"_s;
        QTest::newRow("host without dot") << u"http://intranet/cv.pdf"_s;
        QTest::newRow("relative") << u"/files/cv.pdf"_s;
        QTest::newRow("too long") << u"https://example.com/"_s + QString(2000, u'a');
    }
    void checkResumeUrl_otherLinks_areRefused()
    {
        QFETCH(QString, url);
        const CandidateValidator validator;
        QVERIFY(!validator.checkResumeUrl(&url).isEmpty());
    }

    void checkResumeUrl_qurl_isNormalised()
    {
        const CandidateValidator validator;
        QUrl url(u"https://Bücher.de/my cv.pdf"_s);
        QCOMPARE(validator.checkResumeUrl(&url), QString());
        QCOMPARE(url.toString(QUrl::FullyEncoded), u"https://xn--bcher-kva.de/my%20cv.pdf"_s);
        QUrl broken(u"http://exa mple.com/"_s, QUrl::StrictMode);
        QVERIFY(!broken.isValid());
        QVERIFY(!validator.checkResumeUrl(&broken).isEmpty());
    }

    void validate_resume_fileOrLinkOrBoth_data()
    {
        QTest::addColumn<bool>("file");
        QTest::addColumn<bool>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("file only") << true << false << true;
        QTest::newRow("link only") << false << true << true;
        QTest::newRow("both") << true << true << true;
        QTest::newRow("neither") << false << false << false;
    }
    void validate_resume_fileOrLinkOrBoth()
    {
        QFETCH(bool, file);
        QFETCH(bool, url);
        QFETCH(bool, accepted);
        Candidate c = validCandidate();
        c.resumeUrl = url ? QUrl(u"https://example.com/cv.pdf"_s) : QUrl();
        c.resumeFile = file ? writeFile(u"cv.txt"_s, 120) : QString();
        const FieldErrors errors = CandidateValidator().validate(&c);
        QVERIFY2(errors.isEmpty() == accepted, qPrintable(errors.summary()));
        if (!accepted)
            QCOMPARE(errors.fields(), QStringList { u"resume"_s });
    }

    void validateForUpdate_noResume_isAccepted()
    {
        Candidate c = validCandidate();
        c.resumeUrl = QUrl();
        QVERIFY(CandidateValidator().validateForUpdate(&c).isEmpty());
        QVERIFY(CandidateValidator().validate(&c).contains(u"resume"_s));
    }

    // ---- source, industry, department --------------------------------------

    void checkOptionalText_rules_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty is not set") << QString() << true << QString();
        QTest::newRow("spaces are not set") << u"   "_s << true << QString();
        QTest::newRow("trimmed") << u"  LinkedIn "_s << true << u"LinkedIn"_s;
        QTest::newRow("NFC") << u"Cafe\u0301"_s << true << u"Caf\u00E9"_s;
        QTest::newRow("100") << QString(100, u'x') << true << QString(100, u'x');
        QTest::newRow("101") << QString(101, u'x') << false << QString(101, u'x');
        QTest::newRow("newline") << u"Linked\nIn"_s << false << u"Linked\nIn"_s;
        QTest::newRow("bidi override") << u"\u202Enideknil"_s << false << u"\u202Enideknil"_s;
    }
    void checkOptionalText_rules()
    {
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        QFETCH(QString, expected);
        const CandidateValidator validator;
        QString source = text, industry = text, department = text;
        QCOMPARE(validator.checkSource(&source).isEmpty(), accepted);
        QCOMPARE(validator.checkIndustry(&industry).isEmpty(), accepted);
        QCOMPARE(validator.checkDepartment(&department).isEmpty(), accepted);
        QCOMPARE(source, expected);
        QCOMPARE(source.isNull(), expected.isNull());
        QCOMPARE(industry, expected);
        QCOMPARE(department, expected);
    }

    // ---- custom fields ----------------------------------------------------

    void customFieldErrors_rules_data()
    {
        using Map = QMap<QString, QString>;
        QTest::addColumn<Map>("fields");
        QTest::addColumn<QStringList>("errorFields");
        QTest::newRow("none") << Map() << QStringList();
        QTest::newRow("good") << Map { { u"linkedin_url"_s, u"https://linkedin.com/in/asha"_s },
                                       { u"notes"_s, u"Line one\nLine two"_s } }
                              << QStringList();
        QTest::newRow("key of 64") << Map { { QString(64, u'k'), u"v"_s } } << QStringList();
        QTest::newRow("key of 65")
            << Map { { QString(65, u'k'), u"v"_s } } << QStringList { u"custom_fields"_s };
        QTest::newRow("empty key")
            << Map { { QString(), u"v"_s } } << QStringList { u"custom_fields"_s };
        QTest::newRow("upper-case key")
            << Map { { u"LinkedIn"_s, u"v"_s } } << QStringList { u"custom_fields"_s };
        QTest::newRow("key with space")
            << Map { { u"linkedin url"_s, u"v"_s } } << QStringList { u"custom_fields"_s };
        QTest::newRow("key with hyphen")
            << Map { { u"linked-in"_s, u"v"_s } } << QStringList { u"custom_fields"_s };
        QTest::newRow("value of 2000")
            << Map { { u"notes"_s, QString(2000, u'n') } } << QStringList();
        QTest::newRow("value of 2001") << Map { { u"notes"_s, QString(2001, u'n') } }
                                       << QStringList { u"custom_fields.notes"_s };
        Map fifty, fiftyOne;
        for (int i = 0; i < 51; ++i) {
            if (i < 50)
                fifty.insert(u"field_%1"_s.arg(i), u"v"_s);
            fiftyOne.insert(u"field_%1"_s.arg(i), u"v"_s);
        }
        QTest::newRow("50 keys") << fifty << QStringList();
        QTest::newRow("51 keys") << fiftyOne << QStringList { u"custom_fields"_s };
    }
    void customFieldErrors_rules()
    {
        using Map = QMap<QString, QString>;
        QFETCH(Map, fields);
        QFETCH(QStringList, errorFields);
        const CandidateValidator validator;
        Map copy = fields;
        const FieldErrors errors = validator.customFieldErrors(&copy);
        QCOMPARE(errors.fields(), errorFields);
        copy = fields;
        QCOMPARE(validator.checkCustomFields(&copy).isEmpty(), errorFields.isEmpty());
    }

    void customFieldErrors_values_areTrimmedAndEmptyOnesDropped()
    {
        QMap<QString, QString> fields { { u"notes"_s, u"  Met at the fair \n"_s },
                                        { u"twitter"_s, u"   "_s },
                                        { u"github"_s, QString() } };
        QCOMPARE(CandidateValidator().checkCustomFields(&fields), QString());
        QCOMPARE(fields, (QMap<QString, QString> { { u"notes"_s, u"Met at the fair"_s } }));
    }

    // ---- the whole candidate ----------------------------------------------

    void validate_validCandidate_isNormalisedWithoutErrors()
    {
        Candidate c;
        c.name = u"  Jose\u0301 Ñúñez "_s;
        c.email = u"Jose@Bücher.DE"_s;
        c.phone = u"98765 43210"_s;
        c.resumeFile = writeFile(u"jose.txt"_s, 300);
        c.jobId = 42;
        c.source = u"  Referral "_s;
        c.industry = u" "_s;
        c.customFields = { { u"notes"_s, u" Strong Qt "_s } };
        const FieldErrors errors = CandidateValidator().validate(&c);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.summary()));
        QCOMPARE(c.name, u"Jos\u00E9 Ñúñez"_s);
        QCOMPARE(c.email, u"Jose@xn--bcher-kva.de"_s);
        QCOMPARE(c.phone, u"+919876543210"_s);
        QCOMPARE(c.source, u"Referral"_s);
        QVERIFY(c.industry.isNull());
        QCOMPARE(c.customFields.value(u"notes"_s), u"Strong Qt"_s);
    }

    void validate_badCandidate_reportsEveryFieldAndKeepsInput()
    {
        Candidate c;
        c.name = u"Asha\u202ERao"_s;
        c.email = u"asha at example.com"_s;
        c.phone = u"12345"_s;
        c.resumeUrl = QUrl(u"ftp://example.com/cv.pdf"_s);
        c.jobId = 0;
        c.department = QString(101, u'd');
        c.customFields = { { u"Bad Key"_s, u"v"_s }, { u"notes"_s, QString(2001, u'n') } };
        const FieldErrors errors = CandidateValidator().validate(&c);
        const QStringList expected { u"custom_fields"_s, u"custom_fields.notes"_s,
                                     u"department"_s,    u"email"_s,
                                     u"job_id"_s,        u"name"_s,
                                     u"phone"_s,         u"resume_url"_s };
        QCOMPARE(errors.fields(), expected);
        for (const QString &field : expected)
            QVERIFY(!errors.first(field).isEmpty());
        QCOMPARE(c.email, u"asha at example.com"_s);
        QCOMPARE(c.phone, u"12345"_s);
    }

    void validate_messagesComeThroughTranslation()
    {
        // Every message is a tr() string of the "CandidateValidator" context:
        // a translator installed for it replaces them.
        class Pirate : public QTranslator
        {
        public:
            bool isEmpty() const override { return false; }
            QString translate(const char *context, const char *, const char *, int) const override
            {
                return QLatin1StringView(context) == "CandidateValidator"_L1 ? u"Arr!"_s
                                                                             : QString();
            }
        } pirate;
        QCoreApplication::installTranslator(&pirate);
        QString name;
        const QString message = CandidateValidator().checkName(&name);
        QCoreApplication::removeTranslator(&pirate);
        QCOMPARE(message, u"Arr!"_s);
    }
};

QTEST_GUILESS_MAIN(TestCandidateValidator)
#include "tst_candidatevalidator.moc"
