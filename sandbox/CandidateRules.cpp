#include "CandidateRules.h"

#include "MultipartParser.h"
#include "ResumeSniffer.h"

#include <QCryptographicHash>

#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QUrl>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

const QString kRequired = u"This field is required."_s;
const QString kBlank = u"This field may not be blank."_s;
const QString kNull = u"This field may not be null."_s;
const QString kNotString = u"Not a valid string."_s;

// A double that is a whole number a qint64 can hold exactly (casting any other
// double to an integer is undefined behaviour).
bool wholeNumber(double d)
{
    return std::isfinite(d) && std::abs(d) < 9007199254740992.0 && d == std::trunc(d);
}

QString tooLong(int max)
{
    return u"Ensure this field has no more than %1 characters."_s.arg(max);
}

void addError(QJsonObject &errors, const QString &field, const QString &message)
{
    QJsonArray list = errors.value(field).toArray();
    list.append(message);
    errors.insert(field, list);
}

// DRF's CharField: strings, and numbers turned into their text; anything else refused.
std::optional<QString> asString(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        return wholeNumber(d) ? QString::number(qint64(d)) : QString::number(d);
    }
    return std::nullopt;
}

// Characters as DRF counts them: code points, not UTF-16 units (an emoji is one).
qsizetype characterCount(const QString &text)
{
    return text.size()
        - std::count_if(text.begin(), text.end(), [](QChar c) { return c.isLowSurrogate(); });
}

// DRF's CharField refuses these outright; SQLite would otherwise mangle them.
std::optional<QString> forbiddenCharacters(const QString &text)
{
    if (text.contains(QChar(0)))
        return u"Null characters are not allowed."_s;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const bool paired
            = (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            || (c.isLowSurrogate() && i > 0 && text.at(i - 1).isHighSurrogate());
        if (c.isSurrogate() && !paired)
            return u"Surrogate characters are not allowed: U+%1."_s.arg(
                QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0'));
    }
    return std::nullopt;
}

// A text value, trimmed; std::nullopt (and an error) when it is not text or too long.
std::optional<QString> trimmedText(const QJsonValue &v, const QString &name, int max,
                                   QJsonObject &errors)
{
    const auto text = asString(v);
    if (!text) {
        addError(errors, name, kNotString);
        return std::nullopt;
    }
    if (const auto bad = forbiddenCharacters(*text)) {
        addError(errors, name, *bad);
        return std::nullopt;
    }
    const QString trimmed = text->trimmed();
    if (characterCount(trimmed) > max) {
        addError(errors, name, tooLong(max));
        return std::nullopt;
    }
    return trimmed;
}

// A required text field: present, not null, not blank.
QString requiredText(const QJsonObject &fields, const QString &name, int max, QJsonObject &errors)
{
    if (!fields.contains(name)) {
        addError(errors, name, kRequired);
        return {};
    }
    const QJsonValue v = fields.value(name);
    if (v.isNull()) {
        addError(errors, name, kNull);
        return {};
    }
    const auto text = trimmedText(v, name, max, errors);
    if (text && text->isEmpty())
        addError(errors, name, kBlank);
    return text.value_or(QString());
}

// An optional text field: absent, null or blank is null.
QString optionalText(const QJsonObject &fields, const QString &name, int max, QJsonObject &errors)
{
    const QJsonValue v = fields.value(name);
    if (v.isUndefined() || v.isNull())
        return {};
    const auto text = trimmedText(v, name, max, errors);
    return text && !text->isEmpty() ? *text : QString();
}

bool nameFitsResume(const QString &fileName)
{
    static const QStringList accepted
        = { u"application/pdf"_s,
            u"application/msword"_s,
            u"application/vnd.openxmlformats-officedocument.wordprocessingml.document"_s,
            u"application/vnd.oasis.opendocument.text"_s,
            u"application/rtf"_s,
            u"text/rtf"_s,
            u"text/plain"_s };
    const QList<QMimeType> types = QMimeDatabase().mimeTypesForFileName(fileName);
    if (types.isEmpty())
        return true;
    // The exact types: text/html or application/x-shellscript "inherit" from
    // text/plain, and are still not resumes.
    return std::any_of(types.begin(), types.end(),
                       [](const QMimeType &type) { return accepted.contains(type.name()); });
}

bool isValidPhone(const QString &phone)
{
    int digits = 0;
    for (QChar c : phone) {
        if (c >= u'0' && c <= u'9')
            ++digits;
        else if (!QStringView(u" +-().").contains(c))
            return false;
    }
    return digits >= 7;
}

bool isValidHttpUrl(const QString &text)
{
    if (text.size() > 2000)
        return false;
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"http"_s || url.scheme() == u"https"_s)
        && !url.host().isEmpty();
}

std::optional<QJsonObject> customFields(const QJsonValue &value, QJsonObject &errors)
{
    const QString field = u"custom_fields"_s;
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isObject()) {
        addError(
            errors, field,
            u"Expected a dictionary of items but got type \"%1\"."_s.arg(pythonTypeName(value)));
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    if (object.size() > 50) {
        addError(errors, field, u"Ensure this field has no more than 50 keys."_s);
        return std::nullopt;
    }
    static const QRegularExpression keyRule(u"^[a-z0-9_]{1,64}$"_s);
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!keyRule.match(it.key()).hasMatch()) {
            addError(errors, field,
                     u"Invalid key \"%1\": use 1 to 64 characters of a-z, 0-9 and _."_s.arg(
                         it.key().left(80)));
        } else if (!it.value().isString()) {
            addError(errors, field, u"The value of \"%1\" must be a string."_s.arg(it.key()));
        } else if (const auto bad = forbiddenCharacters(it.value().toString())) {
            addError(errors, field, u"The value of \"%1\": %2"_s.arg(it.key(), *bad));
        } else if (characterCount(it.value().toString()) > 2000) {
            addError(errors, field,
                     u"The value of \"%1\" has more than 2000 characters."_s.arg(it.key()));
        }
    }
    return object;
}

std::optional<qint64> jobId(const QJsonValue &value, const CandidateRules &rules,
                            const CandidateRecord *existing, QJsonObject &errors)
{
    const QString field = u"job_id"_s;
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    qint64 id = 0;
    bool ok = false;
    if (value.isDouble()) {
        const double d = value.toDouble();
        ok = wholeNumber(d);
        id = ok ? qint64(d) : 0;
    } else if (value.isString()) {
        const QString text = value.toString().trimmed();
        if (text.isEmpty())
            return std::nullopt; // an empty form field: the Talent Pool
        id = text.toLongLong(&ok);
    }
    if (!ok) {
        addError(errors, field,
                 u"Incorrect type. Expected pk value, received %1."_s.arg(pythonTypeName(value)));
        return std::nullopt;
    }
    const auto job = rules.findJob(id);
    if (!job) {
        addError(errors, field, u"Invalid pk \"%1\" - object does not exist."_s.arg(id));
        return std::nullopt;
    }
    // A candidate may stay on a job that closed since; only a move to it is refused.
    const bool unchanged = existing && existing->jobId == id;
    if (job->status != u"open"_s && !unchanged) {
        addError(errors, field, u"This job is closed."_s);
        return std::nullopt;
    }
    return id;
}

} // namespace

QString pythonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Array:
        return u"list"_s;
    case QJsonValue::Object:
        return u"dict"_s;
    case QJsonValue::String:
        return u"str"_s;
    case QJsonValue::Bool:
        return u"bool"_s;
    case QJsonValue::Double:
        return value.toDouble() == double(value.toInteger()) ? u"int"_s : u"float"_s;
    default:
        return u"NoneType"_s;
    }
}

QString normalizedEmail(const QString &email)
{
    const qsizetype at = email.lastIndexOf(u'@');
    if (at <= 0 || at == email.size() - 1)
        return {};
    const QString local = email.left(at);
    QString domain = email.mid(at + 1);
    bool ascii = true;
    for (QChar c : domain)
        ascii = ascii && c.unicode() < 0x80;
    if (!ascii) {
        const QByteArray ace = QUrl::toAce(domain);
        if (ace.isEmpty())
            return {};
        domain = QString::fromLatin1(ace);
    }
    // WHATWG HTML: the "valid e-mail address" production.
    static const QRegularExpression rule(
        u"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
        "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"_s);
    if (!rule.match(local + u'@' + domain).hasMatch())
        return {};
    return local + u'@' + email.mid(at + 1).toLower();
}

CandidateInput CandidateInput::fromJson(const QJsonObject &object)
{
    CandidateInput input;
    input.fields = object;
    return input;
}

CandidateInput CandidateInput::fromFormParts(const QList<MultipartPart> &parts)
{
    CandidateInput input;
    input.fromMultipart = true;
    for (const auto &part : parts) {
        if (part.name == u"resume"_s && part.hasFileName) {
            input.resume = UploadedFile { part.fileName, part.data };
            continue;
        }
        if (part.hasFileName) {
            addError(input.partErrors, part.name,
                     u"Expected text, but got a file. Only \"resume\" takes a file."_s);
            continue;
        }
        auto decoder = QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = decoder(part.data);
        if (decoder.hasError()) {
            addError(input.partErrors, part.name, u"The text is not valid UTF-8."_s);
            continue;
        }
        if (part.name == u"resume"_s) {
            addError(input.partErrors, part.name,
                     u"The submitted data was not a file. Check the encoding type on the form."_s);
            continue;
        }
        if (part.name == u"custom_fields"_s) {
            if (text.trimmed().isEmpty()) {
                input.fields.insert(part.name, QJsonValue::Null);
                continue;
            }
            QJsonParseError error;
            const auto doc = QJsonDocument::fromJson(part.data, &error);
            if (error.error != QJsonParseError::NoError) {
                addError(input.partErrors, part.name, u"Value must be valid JSON."_s);
                continue;
            }
            input.fields.insert(
                part.name, doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()));
            continue;
        }
        input.fields.insert(part.name, text);
    }
    return input;
}

QByteArray CandidateInput::fingerprint() const
{
    QJsonObject canonical = fields; // QJsonObject keeps its keys sorted: a canonical order
    if (resume) {
        canonical.insert(u"\x01resume_name"_s, resume->fileName);
        canonical.insert(
            u"\x01resume_sha256"_s,
            QString::fromLatin1(
                QCryptographicHash::hash(resume->data, QCryptographicHash::Sha256).toHex()));
    }
    return QCryptographicHash::hash(QJsonDocument(canonical).toJson(QJsonDocument::Compact),
                                    QCryptographicHash::Sha256);
}

QByteArray fingerprintOf(const ValidatedCandidate &valid, const CandidateInput &input)
{
    const CandidateRecord &c = valid.record;
    auto orNull = [](const QString &s) {
        return s.isNull() ? QJsonValue() : QJsonValue(s);
    };
    QJsonObject canonical {
        { u"name"_s, c.name },
        { u"email"_s, c.email },
        { u"phone"_s, c.phone },
        { u"resume_url"_s, orNull(c.resumeUrl) },
        { u"job_id"_s, c.jobId ? QJsonValue(*c.jobId) : QJsonValue() },
        { u"source"_s, orNull(c.source) },
        { u"industry"_s, orNull(c.industry) },
        { u"department"_s, orNull(c.department) },
        { u"custom_fields"_s, c.customFields ? QJsonValue(*c.customFields) : QJsonValue() },
    };
    if (input.resume) {
        canonical.insert(u"resume_name"_s, input.resume->fileName);
        canonical.insert(
            u"resume_sha256"_s,
            QString::fromLatin1(
                QCryptographicHash::hash(input.resume->data, QCryptographicHash::Sha256).toHex()));
    }
    return QCryptographicHash::hash(QJsonDocument(canonical).toJson(QJsonDocument::Compact),
                                    QCryptographicHash::Sha256);
}

ValidatedCandidate CandidateRules::validate(const CandidateInput &input,
                                            const CandidateRecord *existing) const
{
    ValidatedCandidate out;
    QJsonObject &errors = out.errors;
    errors = input.partErrors;
    const QJsonObject &f = input.fields;
    CandidateRecord &c = out.record;

    c.name = requiredText(f, u"name"_s, 200, errors);

    if (!errors.contains(u"email"_s)) {
        const QString email = requiredText(f, u"email"_s, 254, errors);
        if (!errors.contains(u"email"_s)) {
            c.email = normalizedEmail(email);
            if (c.email.isEmpty())
                addError(errors, u"email"_s, u"Enter a valid email address."_s);
        }
    }

    if (!errors.contains(u"phone"_s)) {
        c.phone = requiredText(f, u"phone"_s, 32, errors);
        if (!errors.contains(u"phone"_s)) {
            if (c.phone.size() < 4)
                addError(errors, u"phone"_s, u"Ensure this field has at least 4 characters."_s);
            else if (!isValidPhone(c.phone))
                addError(errors, u"phone"_s, u"Enter a valid phone number."_s);
        }
    }

    if (!errors.contains(u"resume_url"_s)) {
        c.resumeUrl = optionalText(f, u"resume_url"_s, 2000, errors);
        if (!c.resumeUrl.isNull() && !isValidHttpUrl(c.resumeUrl))
            addError(errors, u"resume_url"_s, u"Enter a valid URL."_s);
    }

    if (input.resume) {
        if (input.resume->data.isEmpty()) {
            addError(errors, u"resume"_s, u"The submitted file is empty."_s);
        } else {
            out.resumeContentType = sniffResumeType(input.resume->data);
            // Judged by content and by name: a name may carry no extension, an
            // unknown one ("J.Doe") or another accepted type's, but not a known
            // type of another kind ("cv.exe").
            if (!nameFitsResume(input.resume->fileName))
                out.resumeContentType.clear();
            if (out.resumeContentType.isEmpty()) {
                addError(
                    errors, u"resume"_s,
                    u"Unsupported file type. Upload a PDF, DOC, DOCX, ODT, RTF or TXT file."_s);
            }
        }
    } else if (c.resumeUrl.isNull() && !errors.contains(u"resume"_s)
               && !errors.contains(u"resume_url"_s) && !(existing && existing->resume)
               && !(existing && !existing->resumeUrl.isNull())) {
        addError(errors, u"resume"_s, u"Provide a resume file or a resume_url."_s);
    }

    if (!errors.contains(u"job_id"_s))
        c.jobId = jobId(f.value(u"job_id"_s), *this, existing, errors);

    if (!errors.contains(u"source"_s)) {
        c.source = optionalText(f, u"source"_s, 100, errors);
        // DRF applies a field's default whenever the field is absent.
        if (!f.contains(u"source"_s))
            c.source = u"API"_s;
    }
    if (!errors.contains(u"industry"_s))
        c.industry = optionalText(f, u"industry"_s, 100, errors);
    if (!errors.contains(u"department"_s))
        c.department = optionalText(f, u"department"_s, 100, errors);
    if (!errors.contains(u"custom_fields"_s))
        c.customFields = customFields(f.value(u"custom_fields"_s), errors);
    return out;
}

} // namespace cdesk::sandbox
