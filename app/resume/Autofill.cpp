// libphonenumber first: its headers (abseil, protobuf) must not meet Qt's keyword macros.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include "Autofill.h"

#include "model/CandidateValidator.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <optional>
#include <string>

using namespace Qt::StringLiterals;
using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

namespace cdesk {

namespace {

// The name is at the top of a resume; looking further down only finds job
// titles, places and headings that read like names.
constexpr int kNameLines = 8;
// Where a resume keeps its contact block. A link further down is a personal
// site only when its line says so ("Portfolio: ..."): down there links are
// employers, projects and certificates far more often.
constexpr int kHeaderLines = 15;
constexpr int kMaxNameWords = 5;
// Candidates the phone matcher may reject in one stretch of text before it
// gives up: dates, grades and postcodes each cost one try.
constexpr int kMaxPhoneTries = 1000;

const QString kInternational = u"ZZ"_s;

QRegularExpression unicodePattern(const QString &pattern,
                                  QRegularExpression::PatternOptions options = {})
{
    // \s and \b in the Unicode sense: PDF text is full of no-break and ideographic spaces.
    return QRegularExpression(pattern, options | QRegularExpression::UseUnicodePropertiesOption);
}

// Lower case, compatibility forms folded (full-width "ＣＶ"), accents and other
// marks dropped, anything else that is not a letter or digit a single space:
// "Résumé", "RESUME" and "Bio-Data" compare as "resume" and "bio data".
QString folded(QStringView text)
{
    const QString decomposed = text.toString().normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.isMark())
            continue;
        out += c.isLetterOrNumber() || c.isSurrogate() ? c.toLower() : u' ';
    }
    return out.simplified();
}

// A set of words (or, with another separator, phrases) written as one literal,
// which keeps long lists readable.
QStringList listOf(const QString &list, QChar separator = u' ')
{
    QStringList items = list.split(separator, Qt::SkipEmptyParts);
    for (QString &item : items)
        item = item.trimmed();
    return items;
}

QSet<QString> foldedSet(const QStringList &items)
{
    QSet<QString> set;
    for (const QString &item : items)
        set.insert(folded(item));
    return set;
}

QSet<QString> setOf(const QString &list)
{
    const QStringList items = listOf(list);
    return QSet<QString>(items.cbegin(), items.cend());
}

// A whole line that only announces the document or a section.
const QSet<QString> &headingPhrases()
{
    static const QSet<QString> phrases = foldedSet(
        listOf(u"Curriculum Vitae; CV; C.V.; Resume; Bio-data; Biodata; Profile; Contact;"
               " 简历; 个人简历; 簡歷; 個人簡歷; 履历; 履歷; 履歴書; 이력서;"
               " السيرة الذاتية; سيرة ذاتية; बायोडाटा; बायो डाटा; रिज्यूमे; सीवी"_s,
               u';'));
    return phrases;
}

// Words no name has, so a line with one of them is a heading or a job title
// ("WORK EXPERIENCE", "Key Skills", "Software Engineer"). Only words that are
// nobody's name or surname: "Key" (John Key) and "Lead" are left out.
const QSet<QString> &headingWords()
{
    static const QSet<QString> words = foldedSet(listOf(
        u"curriculum vitae resume cv biodata bio profile contact contacts details information"
        " info personal professional summary objective objectives career experience"
        " experiences employment history education educational academic academics"
        " qualification qualifications skills skill technical competencies expertise projects"
        " project certifications certification certificates achievements accomplishments"
        " awards honors honours publications languages interests hobbies references referees"
        " declaration training internships internship activities extracurricular volunteering"
        " strengths highlights overview about portfolio links address email phone mobile"
        " telephone linkedin github website engineer developer manager analyst designer"
        " consultant architect scientist intern specialist administrator accountant executive"
        " fresher student software data senior junior"_s));
    return words;
}

// Name particles written in lower case inside a name ("José de la Cruz",
// "Ludwig van Beethoven"), and kept so when an all-caps name is title-cased.
const QSet<QString> &particles()
{
    static const QSet<QString> words
        = setOf(u"de da das do dos du del della der den van von"
                " la le di bin binti ibn al el y e ter ten zu af av"_s);
    return words;
}

bool isHeading(const QString &text)
{
    const QString key = folded(text);
    if (key.isEmpty() || headingPhrases().contains(key))
        return true;
    const QStringList words = key.split(u' ');
    return std::all_of(words.cbegin(), words.cend(),
                       [](const QString &word) { return headingWords().contains(word); });
}

bool isNamePunctuation(char32_t c)
{
    switch (c) {
    case u'.':
    case u'\'':
    case u'-':
    case 0x2019: // ’ as word processors write O’Neil
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x00B7: // middle dot: Catalan "Col·lell"
    case 0x30FB: // katakana middle dot between given and family name
    case 0x200C: // zero-width non-joiner and joiner: spelling in Persian and Indic scripts
    case 0x200D:
        return true;
    default:
        return false;
    }
}

bool startsWithParticle(const QString &lowerWord)
{
    if (particles().contains(lowerWord))
        return true;
    // d'Souza, l'Aquila, al-Rashid, el-Amin
    static const QRegularExpression prefix(u"^(?:d|l)['’]|^(?:al|el|bin|ibn)-"_s);
    return prefix.match(lowerWord).hasMatch();
}

// "ANITA DESAI" as "Anita Desai", "JOSÉ DE LA CRUZ" as "José de la Cruz",
// "D'SOUZA" as "D'Souza". Any cased script: Latin, Greek, Cyrillic.
QString titleCased(const QString &name)
{
    QStringList words = name.toLower().split(u' ');
    for (qsizetype i = 0; i < words.size(); ++i) {
        QString &word = words[i];
        if (i > 0 && particles().contains(word))
            continue;
        bool atStart = true;
        for (QChar &c : word) {
            if (c.isLetter()) {
                if (atStart)
                    c = c.toUpper();
                atStart = false;
            } else if (c == u'-' || c == u'\'' || c == QChar(0x2019) || c == u'.') {
                atStart = true;
            }
        }
    }
    return words.join(u' ');
}

// The name a candidate line holds, or "" when it does not read as one. A name
// is 2 to 5 words of letters (with the marks Indic and Arabic scripts spell
// with) and . ' - only: no digits, no @, no / or :, so never an address, a link,
// a phone number or a "Label: value" line. Han and Hangul names may be one
// word of 2 to 4 characters (王小明). Cased scripts need each word to start
// with a capital (or be a particle such as "de"), which keeps out sentences;
// a name all in capitals is title-cased.
QString plausibleName(const QString &candidate, const CandidateValidator &validator)
{
    const QString text = candidate.simplified();
    if (text.isEmpty() || text.size() > CandidateValidator::MaxNameLength)
        return {};

    bool onlyHanOrHangul = true;
    int letters = 0;
    bool anyUpper = false;
    bool anyLower = false;
    for (const char32_t c : text.toUcs4()) {
        if (QChar::isLetter(c)) {
            ++letters;
            const QChar::Script script = QChar::script(c);
            if (script != QChar::Script_Han && script != QChar::Script_Hangul)
                onlyHanOrHangul = false;
            anyUpper = anyUpper || QChar::isUpper(c) || QChar::isTitleCase(c);
            anyLower = anyLower || QChar::isLower(c);
        } else if (QChar::isMark(c) || c == u' ') {
            continue;
        } else if (!isNamePunctuation(c)) {
            return {};
        }
    }

    const QStringList words = text.split(u' ');
    if (words.size() == 1) {
        if (!onlyHanOrHangul || letters < 2 || letters > 4)
            return {};
    } else if (words.size() > kMaxNameWords) {
        return {};
    }
    if (headingPhrases().contains(folded(text)))
        return {};
    for (const QString &word : words) {
        const bool hasLetter = std::any_of(word.cbegin(), word.cend(),
                                           [](QChar c) { return c.isLetter() || c.isSurrogate(); });
        if (!hasLetter)
            return {}; // a lone "-" or "." is a separator, not part of a name
        if (headingWords().contains(folded(word)))
            return {};
    }

    QString name = text;
    if (anyUpper && !anyLower) {
        name = titleCased(text);
    } else {
        for (const QString &word : words) {
            const auto first
                = std::find_if(word.cbegin(), word.cend(), [](QChar c) { return c.isLetter(); });
            if (first != word.cend() && first->isLower() && !startsWithParticle(word.toLower()))
                return {};
        }
    }
    if (!validator.checkName(&name).isEmpty())
        return {};
    return name;
}

// "Name: Ravi Kumar", "Resume of Ravi Kumar", "Mr. Ravi Kumar" -> "Ravi Kumar".
// Social titles go (the form has no field for them); "Dr." and "Prof." stay,
// as people use them as part of their name. "Sri" stays too: it is a given name.
QString withoutLabel(const QString &text)
{
    static const QRegularExpression label
        = unicodePattern(u"^(?:(?:(?:full|candidate(?:['’]s)?|your)\\s+)?name|नाम)\\s*[:：]\\s*"
                         "|^(?:curriculum\\s+vitae|c\\.?v\\.?|r[eé]sum[eé]|bio-?\\s?data)\\s*"
                         "(?:\\s(?:of|for)\\s|[:：])\\s*"
                         "|^(?:mr|mrs|ms|miss|mx|shri|smt)\\.?\\s+"_s,
                         QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.remove(label);
    return out.trimmed();
}

// "PhD", "MBA, PMP", "Jr.": what may follow a name after a comma. Anything
// else there ("New Delhi, India", "Rao, Asha") means the line is no name.
bool isPostNominals(const QString &text)
{
    static const QSet<QString> letters
        = setOf(u"phd jr sr ii iii iv mba md mbbs ms msc bsc ma ba mtech btech be me meng beng"
                " mphil mcom bcom mca bca ca cpa cfa pmp acca cs llb llm dds rn esq"_s);
    static const QRegularExpression separator = unicodePattern(u"[,;，、]"_s);
    const QStringList parts = text.split(separator);
    return std::all_of(parts.cbegin(), parts.cend(), [](const QString &part) {
        return letters.contains(folded(part).remove(u' '));
    });
}

QString nameFromLines(const QStringList &lines, const CandidateValidator &validator)
{
    // Columns of a two-column layout come out of a PDF side by side, far apart:
    // the left one holds the name. A tab counts as such a gap too.
    static const QRegularExpression columnGap = unicodePattern(u"\\t|\\s{3,}"_s);
    // "Asha Rao | asha@x.com | +91 ...", "Asha Rao • Pune", "CV – Asha Rao".
    static const QRegularExpression separator
        = unicodePattern(u"\\s*[|│┃•●▪■◆]\\s*|\\s+[·–—/-]\\s+"_s);
    static const QRegularExpression comma = unicodePattern(u"[,;，、]"_s);

    int seen = 0;
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (++seen > kNameLines)
            break;
        const QString column = trimmed.section(columnGap, 0, 0);
        const QStringList parts = column.split(separator, Qt::SkipEmptyParts);
        for (const QString &part : parts) {
            QString candidate = withoutLabel(part.trimmed());
            const qsizetype at = candidate.indexOf(comma);
            if (at >= 0) {
                if (!isPostNominals(candidate.mid(at + 1)))
                    break;
                candidate.truncate(at);
            }
            // A heading may share the name's line ("CURRICULUM VITAE – ASHA RAO");
            // past the heading, only the next part may be the name.
            if (candidate.isEmpty() || isHeading(candidate))
                continue;
            const QString name = plausibleName(candidate, validator);
            if (!name.isEmpty())
                return name;
            break;
        }
    }
    return {};
}

// Addresses no candidate gives as their own: automatic senders, and the
// placeholders resume templates ship with.
bool isAutomaticAddress(const QString &address)
{
    static const QSet<QString> automaticLocals
        = setOf(u"noreply no-reply no_reply donotreply do-not-reply do_not_reply mailer-daemon"
                " postmaster"_s);
    static const QSet<QString> placeholderLocals
        = setOf(u"name yourname your.name your_name youremail your.email your_email email"
                " firstname.lastname first.last username user"_s);
    static const QSet<QString> placeholderDomains
        = setOf(u"example.com example.org example.net email.com domain.com mail.com"
                " yourdomain.com company.com"_s);
    const qsizetype at = address.indexOf(u'@');
    const QString local = address.left(at).toLower();
    const QString domain = address.mid(at + 1);
    return automaticLocals.contains(local)
        || (placeholderLocals.contains(local) && placeholderDomains.contains(domain));
}

bool isSiteOrSubdomain(const QString &host, const QString &site)
{
    return host == site || host.endsWith(u'.' + site);
}

// Sites whose pages are nobody's portfolio: mail providers (a resume may link
// its address's provider), social networks, job boards, and the hosts of
// certificates and papers that a projects section links to.
bool isGenericSite(const QString &host)
{
    static const QStringList sites = listOf(
        u"gmail.com googlemail.com google.com yahoo.com yahoo.co.in outlook.com hotmail.com"
        " live.com msn.com icloud.com aol.com proton.me protonmail.com rediffmail.com"
        " rediff.com zoho.com yandex.com yandex.ru mail.ru gmx.com gmx.de mail.com qq.com"
        " 163.com"
        " facebook.com fb.com instagram.com twitter.com x.com t.co youtube.com youtu.be wa.me"
        " whatsapp.com t.me skype.com linkedin.com github.com"
        " naukri.com indeed.com monster.com glassdoor.com shine.com"
        " doi.org coursera.org udemy.com credly.com example.com example.org example.net"_s);
    return std::any_of(sites.cbegin(), sites.cend(),
                       [&](const QString &site) { return isSiteOrSubdomain(host, site); });
}

bool isGitHubUser(const QString &segment)
{
    // GitHub's own rule: 1-39 of letters, digits and single inner hyphens.
    static const QRegularExpression user(u"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$"_s);
    // github.com/<page> that are GitHub's pages, not a user's.
    static const QSet<QString> reserved
        = setOf(u"about features pricing topics orgs settings login join marketplace explore"
                " sponsors enterprise collections trending site security contact apps"
                " organizations readme team customer-stories search notifications"_s);
    return user.match(segment).hasMatch() && !reserved.contains(segment.toLower());
}

struct LinkScan
{
    QMap<QString, QString> links;
    bool sawGitHubProject = false;
};

// One link-like token of the text: https://..., www...., or a bare host with
// a path. Bare hosts (asharao.dev) count for LinkedIn and GitHub only: as a
// portfolio they are too easily "Node.js" or "ASP.NET".
void classifyLink(const QString &token, bool inHeader, bool labelled,
                  const CandidateValidator &validator, LinkScan *scan)
{
    const bool hasScheme = token.startsWith(u"http://"_s, Qt::CaseInsensitive)
        || token.startsWith(u"https://"_s, Qt::CaseInsensitive);
    QUrl url(hasScheme ? token : u"https://"_s + token, QUrl::TolerantMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty())
        return;
    url.setScheme(u"https"_s);
    const QString host = url.host(); // QUrl lower-cases it
    const bool hasWww = host.startsWith(u"www."_s);
    const QString site = hasWww ? host.mid(4) : host;
    const QStringList segments = url.path(QUrl::FullyEncoded).split(u'/', Qt::SkipEmptyParts);

    QString key;
    QString value;
    if (isSiteOrSubdomain(site, u"linkedin.com"_s)) {
        // A profile is /in/<slug> (/pub/... on old profiles); country hosts
        // (in.linkedin.com) and tracking queries lead to the same page.
        if (segments.size() >= 2 && segments.constFirst() == u"in"_s) {
            key = kLinkedInUrlField;
            value = u"https://www.linkedin.com/in/"_s + segments.at(1);
        } else if (segments.size() >= 2 && segments.constFirst() == u"pub"_s) {
            key = kLinkedInUrlField;
            value = u"https://www.linkedin.com/"_s + segments.join(u'/');
        }
    } else if (site == u"github.com"_s) {
        // Only a profile: github.com/<owner>/<repo> may be someone else's
        // project the candidate worked on.
        if (segments.size() == 1 && isGitHubUser(segments.constFirst())) {
            key = kGitHubUrlField;
            value = u"https://github.com/"_s + segments.constFirst();
        } else if (segments.size() >= 2 && isGitHubUser(segments.constFirst())) {
            scan->sawGitHubProject = true;
        }
    } else if ((hasScheme || hasWww) && (inHeader || labelled) && !isGenericSite(site)) {
        key = kPortfolioUrlField;
        // "https://asharao.dev/" and "https://asharao.dev" are one site, written
        // the way people write it (StripTrailingSlash keeps a lone "/").
        if (url.path() == u"/"_s)
            url.setPath(QString());
        value = url.adjusted(QUrl::StripTrailingSlash).toString(QUrl::FullyEncoded);
    }
    if (key.isEmpty() || scan->links.contains(key))
        return;
    // The resume link's rules are the ones a link in a custom field needs too:
    // http(s), a host with a dot, strictly valid, at most 2,000 characters.
    if (validator.checkResumeUrl(&value).isEmpty())
        scan->links.insert(key, value);
}

QString blanked(QString text, qsizetype start, qsizetype length)
{
    text.replace(start, length, QString(length, u' '));
    return text;
}

// Trailing punctuation belongs to the sentence, not the link: "(see github.com/asha)."
qsizetype linkLength(QStringView token)
{
    qsizetype length = token.size();
    while (length > 0) {
        const QChar last = token.at(length - 1);
        if (last == u')') {
            const QStringView inner = token.left(length);
            if (inner.count(u'(') >= inner.count(u')'))
                break;
        } else if (!QStringView(u".,;:!?'\"").contains(last)) {
            break;
        }
        --length;
    }
    return length;
}

struct PhoneFound
{
    QString e164;
    QString asWritten;
};

std::optional<PhoneFound> firstPhone(const QStringList &lines, const std::string &region,
                                     const CandidateValidator &validator)
{
    // The matcher reads "2019-2023 98765 43210" as one candidate and refuses
    // it, so columns and "|"-separated parts are searched one at a time.
    static const QRegularExpression gap = unicodePattern(u"\\t|\\s{3,}|\\s*[|│┃•●▪■◆]\\s*"_s);
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    for (const QString &line : lines) {
        for (const QString &segment : line.split(gap, Qt::SkipEmptyParts)) {
            if (std::none_of(segment.cbegin(), segment.cend(), [](QChar c) { return c.isDigit(); }))
                continue;
            const std::string utf8 = segment.toStdString();
            PhoneNumberMatcher matcher(*util, utf8, region, PhoneNumberMatcher::VALID,
                                       kMaxPhoneTries);
            while (matcher.HasNext()) {
                PhoneNumberMatch match;
                if (!matcher.Next(&match))
                    break;
                if (!util->IsValidNumber(match.number()))
                    continue;
                std::string e164;
                util->Format(match.number(), PhoneNumberUtil::E164, &e164);
                QString phone = QString::fromStdString(e164);
                // The contract's own check, so what is filled is what the form accepts.
                if (!validator.checkPhone(&phone).isEmpty())
                    continue;
                return PhoneFound { phone, QString::fromStdString(match.raw_string()).trimmed() };
            }
        }
    }
    return std::nullopt;
}

QString phoneNote(const QString &region)
{
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    const int countryCode = util->GetCountryCodeForRegion(region.toStdString());
    if (region == kInternational || countryCode == 0) {
        return QCoreApplication::translate(
            "Autofill",
            "No phone number with its country code (a number starting with +) was found "
            "in the resume. Type the candidate's number with its country code.");
    }
    const QLocale::Territory territory = QLocale::codeToTerritory(region);
    const QString place
        = territory == QLocale::AnyTerritory ? region : QLocale::territoryToString(territory);
    return QCoreApplication::translate(
               "Autofill",
               "No phone number was found in the resume, neither one from %1 nor one with its "
               "country code (like +%2). Type the candidate's number with its area code.")
        .arg(place)
        .arg(countryCode);
}

// Characters that only steer how text shows (bidi marks, soft hyphens,
// zero-width spaces) come out of PDFs around names and numbers; the joiners
// that spell Indic and Persian words stay.
QString withoutFormatCharacters(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Format && c.unicode() != 0x200C && c.unicode() != 0x200D)
            continue;
        out += c;
    }
    return out;
}

} // namespace

AutofillResult autofill(const QString &text, const QString &phoneRegion)
{
    AutofillResult result;
    const QString clean = withoutFormatCharacters(text.normalized(QString::NormalizationForm_C));
    if (std::none_of(clean.cbegin(), clean.cend(),
                     [](QChar c) { return c.isLetterOrNumber() || c.isSurrogate(); })) {
        result.notes << QCoreApplication::translate(
            "Autofill",
            "The resume has no text the app can read; it may be a scanned image. Fill in "
            "the form from the resume yourself.");
        return result;
    }

    QString region = phoneRegion.trimmed().toUpper();
    if (region.isEmpty())
        region = kInternational;
    ValidationOptions options;
    options.phoneRegion = region;
    const CandidateValidator validator(options);

    static const QRegularExpression lineBreak(u"\\r\\n|[\\n\\r\\f\\v\\x{85}\\x{2028}\\x{2029}]"_s);
    // Wide on purpose (any letters in the domain, as IDN addresses have them);
    // checkEmail then decides. The local part is the usual ASCII set, so
    // "Rao|asha@x.com" and quotes around an address stay outside it.
    static const QRegularExpression emailPattern(
        u"(?<![\\p{L}\\p{N}._%+-])[A-Za-z0-9._%+-]+@"
        "(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+\\p{L}{2,63}"
        "(?![\\p{L}\\p{N}-])"_s);
    static const QRegularExpression linkPattern(
        u"(?<![\\p{L}\\p{N}@._%+-])(?:https?://)?"
        "(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+\\p{L}{2,63}"
        "(?::[0-9]{1,5})?(?:[/?#][^\\s<>\"\\[\\]{}|\\\\^`]*)?"_s,
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression portfolioLabel = unicodePattern(
        u"\\b(?:portfolio|website|web\\s?site|homepage|home\\s?page|blog|personal\\s+site)\\b"_s,
        QRegularExpression::CaseInsensitiveOption);

    const QStringList lines = clean.split(lineBreak);
    QStringList maskedLines;
    maskedLines.reserve(lines.size());
    QString email;
    QString automaticEmail;
    LinkScan links;
    int nonEmptyLines = 0;
    for (const QString &line : lines) {
        QString masked = line;
        for (auto it = emailPattern.globalMatch(line); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            masked = blanked(masked, match.capturedStart(), match.capturedLength());
            QString address = match.captured();
            while (address.startsWith(u'.'))
                address.remove(0, 1);
            if (!email.isEmpty() || !validator.checkEmail(&address).isEmpty())
                continue;
            if (!isAutomaticAddress(address))
                email = address;
            else if (automaticEmail.isEmpty())
                automaticEmail = address;
        }
        const bool inHeader = nonEmptyLines < kHeaderLines;
        const bool labelled = portfolioLabel.match(line).hasMatch();
        for (auto it = linkPattern.globalMatch(masked); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            const QStringView token = match.capturedView();
            classifyLink(token.left(linkLength(token)).toString(), inHeader, labelled, validator,
                         &links);
            masked = blanked(masked, match.capturedStart(), match.capturedLength());
        }
        maskedLines << masked;
        if (!line.trimmed().isEmpty())
            ++nonEmptyLines;
    }

    result.name = nameFromLines(lines, validator);
    if (result.name.isEmpty()) {
        result.notes << QCoreApplication::translate(
            "Autofill", "No name was found at the top of the resume. Type the candidate's name.");
    }

    if (!email.isEmpty()) {
        result.email = email;
    } else if (!automaticEmail.isEmpty()) {
        result.email = automaticEmail;
        result.notes << QCoreApplication::translate(
                            "Autofill",
                            "The only email address in the resume, %1, looks like an automatic "
                            "or template address, not the candidate's own. Check it before "
                            "sending.")
                            .arg(automaticEmail);
    } else {
        result.notes << QCoreApplication::translate(
            "Autofill",
            "No email address was found in the resume. Type the candidate's email address, "
            "or ask them for it.");
    }

    // The settings' region reads national numbers ("098765 43210") and, like
    // any region (even one the library does not know), numbers with a +. The
    // international pass ("ZZ", + numbers only) is a safety net the issue asks
    // for: with libphonenumber 8.12 it has found nothing the first pass missed,
    // and it runs only when the first found nothing.
    std::optional<PhoneFound> phone = firstPhone(maskedLines, region.toStdString(), validator);
    if (!phone && region != kInternational)
        phone = firstPhone(maskedLines, kInternational.toStdString(), validator);
    if (phone) {
        result.phone = phone->e164;
        result.phoneAsWritten = phone->asWritten;
    } else {
        result.notes << phoneNote(region);
    }

    result.links = links.links;
    if (!result.links.contains(kGitHubUrlField) && links.sawGitHubProject) {
        result.notes << QCoreApplication::translate(
            "Autofill",
            "The resume links to GitHub projects but not to a GitHub profile, so the GitHub "
            "field was left empty.");
    }
    return result;
}

} // namespace cdesk
