// libphonenumber first: its headers (abseil, protobuf) must not meet Qt's keyword macros.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "CandidateValidator.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace cdesk {

namespace {

enum class HiddenCharacter {
    None,
    Control, // Cc, line and paragraph separators, broken UTF-16
    Format, // Cf: bidi embeddings, overrides and isolates, zero-width spaces, tags ...
};

// Text that does not show what it is: a name with U+202E reads backwards on
// screen, one with a zero-width space looks like a duplicate that is not.
HiddenCharacter findHiddenCharacter(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            ++i;
        } else if (QChar::isSurrogate(c)) {
            return HiddenCharacter::Control;
        }
        switch (QChar::category(c)) {
        case QChar::Other_Control:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph:
            return HiddenCharacter::Control;
        case QChar::Other_Format:
            // Zero-width non-joiner and joiner are part of spelling in Persian,
            // Urdu and the Indic scripts; every other format character is refused.
            if (c != 0x200C && c != 0x200D)
                return HiddenCharacter::Format;
            break;
        default:
            break;
        }
    }
    return HiddenCharacter::None;
}

bool hasLetter(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            ++i;
        }
        if (QChar::isLetter(c))
            return true;
    }
    return false;
}

// Trimmed (Unicode white space) and in NFC, the form the server compares and stores.
QString normalisedText(const QString &text)
{
    return text.trimmed().normalized(QString::NormalizationForm_C);
}

bool isAscii(QStringView text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x80; });
}

// Sizes in MB as the contract says them ("5 MB" is 5 MiB). Rounded up, so a file
// one byte over the limit never reads as the limit itself.
QString megabytes(qint64 bytes)
{
    const double mb = std::ceil(double(bytes) * 10.0 / (1024.0 * 1024.0)) / 10.0;
    const bool whole = mb == std::floor(mb);
    return QLocale().toString(mb, 'f', whole ? 0 : 1);
}

bool isPhoneCharacter(QChar c)
{
    if (c.isDigit() || c.isSpace())
        return true;
    switch (c.unicode()) {
    case u'+':
    case u'-':
    case u'(':
    case u')':
    case u'.':
    case u'/':
    case 0x2010: // the Unicode hyphens and dashes that word processors put in
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
        return true;
    default:
        return false;
    }
}

QString invalidLinkMessage()
{
    return CandidateValidator::tr("Enter the full link to the resume, starting with https://, "
                                  "like https://drive.example.com/asha-rao-cv.pdf.");
}

} // namespace

CandidateValidator::CandidateValidator(ValidationOptions options)
    : m_options(std::move(options))
{
    m_options.phoneRegion = m_options.phoneRegion.trimmed().toUpper();
}

FieldErrors CandidateValidator::validate(Candidate *candidate) const
{
    return validateFields(candidate, true);
}

FieldErrors CandidateValidator::validateForUpdate(Candidate *candidate) const
{
    return validateFields(candidate, false);
}

FieldErrors CandidateValidator::validateFields(Candidate *c, bool resumeRequired) const
{
    FieldErrors errors;
    errors.add(u"name"_s, checkName(&c->name));
    errors.add(u"email"_s, checkEmail(&c->email));
    errors.add(u"phone"_s, checkPhone(&c->phone));
    errors.add(u"resume"_s, checkResumeFile(&c->resumeFile));
    errors.add(u"resume_url"_s, checkResumeUrl(&c->resumeUrl));
    if (resumeRequired)
        errors.add(u"resume"_s, checkResumeGiven(c->resumeFile, c->resumeUrl));
    if (c->jobId && *c->jobId <= 0)
        errors.add(u"job_id"_s, tr("Choose the job again from the list, or the Talent Pool."));
    errors.add(u"source"_s, checkSource(&c->source));
    errors.add(u"industry"_s, checkIndustry(&c->industry));
    errors.add(u"department"_s, checkDepartment(&c->department));
    errors.merge(customFieldErrors(&c->customFields));
    return errors;
}

QString CandidateValidator::checkName(QString *name) const
{
    *name = normalisedText(*name);
    if (name->isEmpty())
        return tr("Enter the candidate's name.");
    switch (findHiddenCharacter(*name)) {
    case HiddenCharacter::Control:
        return tr("The name has a line break, tab or other control character in it. "
                  "Type the name on one line.");
    case HiddenCharacter::Format:
        return tr("The name has hidden formatting characters in it (they can make it show "
                  "differently from what it is). Type the name instead of pasting it.");
    case HiddenCharacter::None:
        break;
    }
    if (!hasLetter(*name))
        return tr("A name needs letters. Enter the candidate's name.");
    // UTF-16 units: never more than the characters a server counts in code points,
    // so a name that passes here passes there.
    if (name->size() > MaxNameLength) {
        return tr("The name is %1 characters long; the most is %2. Shorten it, for example "
                  "by leaving out middle names.")
            .arg(name->size())
            .arg(MaxNameLength);
    }
    return {};
}

QString CandidateValidator::checkEmail(QString *email) const
{
    QString text = email->trimmed();
    if (text.startsWith(u"mailto:"_s, Qt::CaseInsensitive))
        text = text.mid(7).trimmed();
    *email = text;
    if (text.isEmpty())
        return tr("Enter the candidate's email address.");

    const QString example = u"asha.rao@example.com"_s;
    const qsizetype at = text.lastIndexOf(u'@');
    if (at < 0 || text.indexOf(u'@') != at)
        return tr("An email address has one @ in it, like %1.").arg(example);

    const QString local = text.left(at);
    QString domain = text.mid(at + 1);
    // The server gets the ACE form of an internationalised domain (bücher.de is
    // xn--bcher-kva.de): the HTML rule below is ASCII only.
    if (!isAscii(domain))
        domain = QString::fromLatin1(QUrl::toAce(domain));
    domain = domain.toLower();

    // WHATWG HTML, "valid e-mail address".
    static const QRegularExpression rule(
        u"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
        "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"_s);
    const QString address = local + u'@' + domain;
    if (local.isEmpty() || domain.isEmpty() || !rule.match(address).hasMatch()) {
        return tr("Check the email address: it should look like %1, with no spaces and "
                  "no accents before the @.")
            .arg(example);
    }
    if (address.size() > MaxEmailLength) {
        return tr("The email address is %1 characters long; the most is %2. "
                  "Check it, or ask the candidate for a shorter address.")
            .arg(address.size())
            .arg(MaxEmailLength);
    }
    *email = address;
    return {};
}

QString CandidateValidator::phoneExample() const
{
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber example;
    if (util->GetExampleNumberForType(m_options.phoneRegion.toStdString(), PhoneNumberUtil::MOBILE,
                                      &example)) {
        std::string text;
        util->Format(example, PhoneNumberUtil::INTERNATIONAL, &text);
        return QString::fromStdString(text);
    }
    return u"+91 98765 43210"_s;
}

QString CandidateValidator::checkPhone(QString *phone) const
{
    *phone = phone->trimmed();
    const QString text = *phone;
    if (text.isEmpty())
        return tr("Enter the candidate's phone number with its area code, like %1.")
            .arg(phoneExample());
    // libphonenumber reads letters as a keypad would (1-800-FLOWERS) and takes
    // "ext. 12"; neither can go to the server, which takes digits only.
    if (!std::all_of(text.begin(), text.end(), isPhoneCharacter)) {
        return tr("A phone number has only digits, spaces and + - ( ) . in it. "
                  "Enter it like %1.")
            .arg(phoneExample());
    }

    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    const auto parsed
        = util->Parse(text.toStdString(), m_options.phoneRegion.toStdString(), &number);
    if (parsed == PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR) {
        return tr("Enter the phone number with its country code, starting with +, like %1.")
            .arg(phoneExample());
    }
    // "12345" parses; only IsValidNumber knows it cannot be dialled.
    if (parsed != PhoneNumberUtil::NO_PARSING_ERROR || !util->IsValidNumber(number))
        return tr("Enter a phone number with its area code, like %1.").arg(phoneExample());

    std::string e164;
    util->Format(number, PhoneNumberUtil::E164, &e164);
    const QString formatted = QString::fromStdString(e164);
    // The contract: 4 to 32 characters, at least 7 digits. E.164 always fits;
    // this keeps a surprise in the library's metadata from reaching the server.
    const auto digits = std::count_if(formatted.begin(), formatted.end(),
                                      [](QChar c) { return c >= u'0' && c <= u'9'; });
    if (formatted.size() < 4 || formatted.size() > 32 || digits < 7)
        return tr("Enter a phone number with its area code, like %1.").arg(phoneExample());
    *phone = formatted;
    return {};
}

QString CandidateValidator::checkResumeFile(QString *path) const
{
    if (path->isEmpty())
        return {};
    const QFileInfo info(*path);
    const QString name = info.fileName();
    if (!info.exists()) {
        return tr("The resume file “%1” is not there any more. Choose the file again.").arg(name);
    }
    if (info.isDir())
        return tr("“%1” is a folder. Choose the resume file itself.").arg(name);
    *path = info.absoluteFilePath();
    if (!info.isFile()) {
        return tr("“%1” is not a document. Choose the resume as a PDF, Word, ODT, RTF or text "
                  "file.")
            .arg(name);
    }
    // Opening is the only honest test of readability (permissions, ACLs, locks).
    QFile file(info.absoluteFilePath());
    if (!file.open(QIODevice::ReadOnly)) {
        return tr("The app may not open the resume file “%1”. Copy it to your Documents "
                  "folder and choose the copy.")
            .arg(name);
    }
    const qint64 size = file.size();
    if (size == 0) {
        return tr("The resume file “%1” is empty. Choose the right file, or save the resume "
                  "again.")
            .arg(name);
    }
    if (m_options.maxResumeBytes > 0 && size > m_options.maxResumeBytes) {
        return tr("The resume file “%1” is %2 MB; the largest the system takes is %3 MB. "
                  "Save the resume as plain text, or compress it (for example as a smaller "
                  "PDF), and choose that file.")
            .arg(name, megabytes(size), megabytes(m_options.maxResumeBytes));
    }
    return {};
}

QString CandidateValidator::checkResumeUrl(QString *url) const
{
    *url = url->trimmed();
    if (url->isEmpty())
        return {};
    const QString invalid = invalidLinkMessage();
    const QUrl parsed(*url, QUrl::TolerantMode);
    if (parsed.isLocalFile() || parsed.scheme().compare(u"file"_s, Qt::CaseInsensitive) == 0)
        return tr("That link is to a file on this computer. Choose it as the resume file "
                  "instead.");
    const QString scheme = parsed.scheme(); // QUrl lower-cases it
    if (!parsed.isValid() || (scheme != u"http"_s && scheme != u"https"_s))
        return invalid;
    // A host the server can reach: a name with a dot, localhost or an address
    // (Django's URL validator, which a DRF server uses, refuses "http://intranet/").
    const QString host = parsed.host(QUrl::FullyEncoded);
    if (host.isEmpty()
        || (!host.contains(u'.') && host != u"localhost"_s && QHostAddress(host).isNull()))
        return invalid;
    const QString encoded = parsed.toString(QUrl::FullyEncoded);
    if (!QUrl(encoded, QUrl::StrictMode).isValid())
        return invalid;
    if (encoded.size() > MaxUrlLength) {
        return tr("The link is %1 characters long; the most is %2. Use a shorter link to the "
                  "resume, such as a share link.")
            .arg(encoded.size())
            .arg(MaxUrlLength);
    }
    *url = encoded;
    return {};
}

QString CandidateValidator::checkResumeUrl(QUrl *url) const
{
    if (url->isEmpty())
        return {};
    if (!url->isValid())
        return invalidLinkMessage();
    QString text = url->toString(QUrl::FullyEncoded);
    const QString problem = checkResumeUrl(&text);
    if (problem.isEmpty())
        *url = QUrl(text, QUrl::StrictMode);
    return problem;
}

QString CandidateValidator::checkResumeGiven(const QString &path, const QUrl &url) const
{
    if (path.isEmpty() && url.isEmpty())
        return tr("Add the resume: choose the file, or paste a link to it.");
    return {};
}

namespace {

// Source, industry and department: one line of free text, or nothing.
enum class OptionalTextProblem { None, Hidden, TooLong };

OptionalTextProblem checkOptionalText(QString *text, int max)
{
    *text = normalisedText(*text);
    if (text->isEmpty()) {
        *text = QString(); // not set: sent as null
        return OptionalTextProblem::None;
    }
    if (findHiddenCharacter(*text) != HiddenCharacter::None)
        return OptionalTextProblem::Hidden;
    if (text->size() > max)
        return OptionalTextProblem::TooLong;
    return OptionalTextProblem::None;
}

} // namespace

QString CandidateValidator::checkSource(QString *source) const
{
    switch (checkOptionalText(source, MaxOptionalTextLength)) {
    case OptionalTextProblem::Hidden:
        return tr("The source has a line break or hidden formatting characters in it. "
                  "Type it on one line.");
    case OptionalTextProblem::TooLong:
        return tr("The source is %1 characters long; the most is %2. Shorten it.")
            .arg(source->size())
            .arg(MaxOptionalTextLength);
    case OptionalTextProblem::None:
        break;
    }
    return {};
}

QString CandidateValidator::checkIndustry(QString *industry) const
{
    switch (checkOptionalText(industry, MaxOptionalTextLength)) {
    case OptionalTextProblem::Hidden:
        return tr("The industry has a line break or hidden formatting characters in it. "
                  "Type it on one line.");
    case OptionalTextProblem::TooLong:
        return tr("The industry is %1 characters long; the most is %2. Shorten it.")
            .arg(industry->size())
            .arg(MaxOptionalTextLength);
    case OptionalTextProblem::None:
        break;
    }
    return {};
}

QString CandidateValidator::checkDepartment(QString *department) const
{
    switch (checkOptionalText(department, MaxOptionalTextLength)) {
    case OptionalTextProblem::Hidden:
        return tr("The department has a line break or hidden formatting characters in it. "
                  "Type it on one line.");
    case OptionalTextProblem::TooLong:
        return tr("The department is %1 characters long; the most is %2. Shorten it.")
            .arg(department->size())
            .arg(MaxOptionalTextLength);
    case OptionalTextProblem::None:
        break;
    }
    return {};
}

QString CandidateValidator::checkCustomFields(QMap<QString, QString> *fields) const
{
    const FieldErrors errors = customFieldErrors(fields);
    const QString whole = errors.first(u"custom_fields"_s);
    if (!whole.isEmpty())
        return whole;
    const QStringList keys = errors.fields();
    return keys.isEmpty() ? QString() : errors.first(keys.constFirst());
}

FieldErrors CandidateValidator::customFieldErrors(QMap<QString, QString> *fields) const
{
    static const QRegularExpression keyRule(u"^[a-z0-9_]{1,64}$"_s);
    const QString field = u"custom_fields"_s;
    FieldErrors errors;
    QMap<QString, QString> normalised;
    for (auto it = fields->cbegin(); it != fields->cend(); ++it) {
        const QString &key = it.key();
        // Values may be several lines (notes), so only trimmed and put in NFC.
        const QString value = normalisedText(it.value());
        if (!keyRule.match(key).hasMatch()) {
            const QString shown = key.size() > 80 ? key.left(80) + u'…' : key;
            errors.add(field,
                       tr("The custom field name “%1” cannot be sent: a name has 1 to 64 "
                          "characters of a–z, 0–9 and _, like linkedin_url. Rename it.")
                           .arg(shown));
        } else if (value.size() > MaxCustomFieldValueLength) {
            errors.add(field + u'.' + key,
                       tr("This is %1 characters long; the most is %2. Shorten it, or put "
                          "the long text in the resume.")
                           .arg(value.size())
                           .arg(MaxCustomFieldValueLength));
        }
        // An empty value is a field not filled in: the server needs no key for it.
        if (!value.isEmpty())
            normalised.insert(key, value);
    }
    if (normalised.size() > MaxCustomFields) {
        errors.add(field,
                   tr("There are %1 custom fields; the most is %2. Leave out the ones this "
                      "candidate does not need.")
                       .arg(normalised.size())
                       .arg(MaxCustomFields));
    }
    *fields = normalised;
    return errors;
}

} // namespace cdesk
