#include "Candidate.h"

#include "model/NameTable.h"

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// In the enum's order, which is also the form's.
constexpr NameTable<CandidateField, 10> kFields { { {
    { CandidateField::Name, u"name" },
    { CandidateField::Email, u"email" },
    { CandidateField::Phone, u"phone" },
    { CandidateField::Resume, u"resume" },
    { CandidateField::ResumeUrl, u"resume_url" },
    { CandidateField::JobId, u"job_id" },
    { CandidateField::Source, u"source" },
    { CandidateField::Industry, u"industry" },
    { CandidateField::Department, u"department" },
    { CandidateField::CustomFields, u"custom_fields" },
} } };

// Storage keys for what the contract has no field for.
const QString kResumePath = u"resume_path"_s;

// Not set (a null or empty QString) travels as JSON null.
QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// In storage a field that was never set is null, as in the request.
QJsonValue storedText(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString textFrom(const QJsonValue &value)
{
    return value.isString() ? value.toString() : QString();
}

std::optional<qint64> idFrom(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    // toInteger() refuses fractions and values out of range with the default.
    const qint64 id = value.toInteger(-1);
    if (id <= 0)
        return std::nullopt;
    return id;
}

QMap<QString, QString> stringMapFrom(const QJsonValue &value)
{
    QMap<QString, QString> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isString())
            map.insert(it.key(), it.value().toString());
    }
    return map;
}

QJsonObject stringMapToJson(const QMap<QString, QString> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QUrl urlFrom(const QJsonValue &value)
{
    const QString text = textFrom(value);
    return text.isEmpty() ? QUrl() : QUrl(text);
}

QJsonValue urlToJson(const QUrl &url)
{
    // Fully encoded: ASCII only, the host in its ACE form, so a strict parser
    // on the other side reads exactly the link the recruiter gave.
    return url.isEmpty() ? QJsonValue(QJsonValue::Null)
                         : QJsonValue(url.toString(QUrl::FullyEncoded));
}

} // namespace

QString fieldName(CandidateField field)
{
    return kFields.name(field);
}

std::optional<CandidateField> fieldFromName(const QString &name)
{
    return kFields.value(name);
}

QString consentFieldKey()
{
    return u"consent_given_at"_s;
}

QStringList fieldNames(const CandidateFields &fields)
{
    QStringList names;
    for (const auto &[field, name] : kFields.entries) {
        if (fields.contains(field))
            names.append(name.toString());
    }
    return names;
}

CandidateFields fieldsFromNames(const QStringList &names)
{
    CandidateFields fields;
    for (const QString &name : names) {
        if (const auto field = fieldFromName(name))
            fields.insert(*field);
    }
    return fields;
}

QJsonObject Candidate::toRequestJson() const
{
    return QJsonObject {
        { u"name"_s, name },
        { u"email"_s, email },
        { u"phone"_s, phone },
        { u"resume_url"_s, urlToJson(resumeUrl) },
        { u"job_id"_s, jobId ? QJsonValue(*jobId) : QJsonValue(QJsonValue::Null) },
        { u"source"_s, textOrNull(source) },
        { u"industry"_s, textOrNull(industry) },
        { u"department"_s, textOrNull(department) },
        { u"custom_fields"_s,
          customFields.isEmpty() ? QJsonValue(QJsonValue::Null)
                                 : QJsonValue(stringMapToJson(customFields)) },
    };
}

QJsonObject Candidate::toStorageJson() const
{
    return QJsonObject {
        { u"name"_s, storedText(name) },
        { u"email"_s, storedText(email) },
        { u"phone"_s, storedText(phone) },
        { kResumePath, storedText(resumeFile) },
        // The URL as the recruiter gave it, even an unfinished one in a draft.
        { u"resume_url"_s,
          resumeUrl.isEmpty() ? QJsonValue(QJsonValue::Null)
                              : QJsonValue(resumeUrl.toString(QUrl::FullyEncoded)) },
        { u"job_id"_s, jobId ? QJsonValue(*jobId) : QJsonValue(QJsonValue::Null) },
        { u"source"_s, storedText(source) },
        { u"industry"_s, storedText(industry) },
        { u"department"_s, storedText(department) },
        { u"custom_fields"_s, stringMapToJson(customFields) },
    };
}

Candidate Candidate::fromStorageJson(const QJsonObject &json)
{
    Candidate c;
    c.name = textFrom(json.value(u"name"_s));
    c.email = textFrom(json.value(u"email"_s));
    c.phone = textFrom(json.value(u"phone"_s));
    c.resumeFile = textFrom(json.value(kResumePath));
    c.resumeUrl = urlFrom(json.value(u"resume_url"_s));
    c.jobId = idFrom(json.value(u"job_id"_s));
    c.source = textFrom(json.value(u"source"_s));
    c.industry = textFrom(json.value(u"industry"_s));
    c.department = textFrom(json.value(u"department"_s));
    c.customFields = stringMapFrom(json.value(u"custom_fields"_s));
    return c;
}

void Candidate::apply(const Candidate &edits, const CandidateFields &fields)
{
    for (const CandidateField field : fields) {
        switch (field) {
        case CandidateField::Name:
            name = edits.name;
            break;
        case CandidateField::Email:
            email = edits.email;
            break;
        case CandidateField::Phone:
            phone = edits.phone;
            break;
        case CandidateField::Resume:
            resumeFile = edits.resumeFile;
            break;
        case CandidateField::ResumeUrl:
            resumeUrl = edits.resumeUrl;
            break;
        case CandidateField::JobId:
            jobId = edits.jobId;
            break;
        case CandidateField::Source:
            source = edits.source;
            break;
        case CandidateField::Industry:
            industry = edits.industry;
            break;
        case CandidateField::Department:
            department = edits.department;
            break;
        case CandidateField::CustomFields:
            customFields = edits.customFields;
            break;
        }
    }
}

std::optional<RemoteCandidate> RemoteCandidate::fromJson(const QJsonObject &object)
{
    const auto id = idFrom(object.value(u"id"_s));
    if (!id)
        return std::nullopt;

    RemoteCandidate r;
    r.id = *id;
    Candidate &c = r.candidate;
    c.name = textFrom(object.value(u"name"_s));
    c.email = textFrom(object.value(u"email"_s));
    c.phone = textFrom(object.value(u"phone"_s));
    c.resumeUrl = urlFrom(object.value(u"resume_url"_s));
    c.source = textFrom(object.value(u"source"_s));
    c.industry = textFrom(object.value(u"industry"_s));
    c.department = textFrom(object.value(u"department"_s));
    c.customFields = stringMapFrom(object.value(u"custom_fields"_s));

    const QJsonObject job = object.value(u"job"_s).toObject();
    c.jobId = idFrom(object.value(u"job_id"_s));
    if (!c.jobId)
        c.jobId = idFrom(job.value(u"id"_s)); // a server that only nests the job
    r.jobTitle = textFrom(job.value(u"title"_s));
    const QJsonValue talentPool = object.value(u"talent_pool"_s);
    r.talentPool = talentPool.isBool() ? talentPool.toBool() : !c.jobId.has_value();

    const QJsonObject resume = object.value(u"resume_file"_s).toObject();
    r.resumeFileName = textFrom(resume.value(u"filename"_s));
    r.resumeFileSize = qMax<qint64>(0, resume.value(u"size"_s).toInteger(0));
    r.resumeContentType = textFrom(resume.value(u"content_type"_s));

    const auto time = [&](const QString &key) {
        QDateTime t = QDateTime::fromString(textFrom(object.value(key)), Qt::ISODateWithMs);
        return t.isValid() ? t.toUTC() : QDateTime();
    };
    r.createdAt = time(u"created_at"_s);
    r.updatedAt = time(u"updated_at"_s);
    return r;
}

} // namespace cdesk
