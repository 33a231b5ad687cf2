#include "FieldErrors.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

const QString kCustomPrefix = u"custom_fields."_s;

// The form's order, so a summary reads the way the recruiter filled the form in.
const QStringList &formOrder()
{
    static const QStringList order
        = { u"non_field_errors"_s, u"name"_s,       u"email"_s,        u"phone"_s,
            u"resume"_s,           u"resume_url"_s, u"job_id"_s,       u"source"_s,
            u"industry"_s,         u"department"_s, u"custom_fields"_s };
    return order;
}

qsizetype rank(const QString &field)
{
    const qsizetype index = formOrder().indexOf(field);
    if (index >= 0)
        return index * 2;
    if (field.startsWith(kCustomPrefix))
        return formOrder().indexOf(u"custom_fields"_s) * 2 + 1;
    return formOrder().size() * 2;
}

// DRF nests errors the way the data nests: a list of messages for a field, an
// object for a nested serializer or a dict field, a list of objects for a list
// of them. Everything below a top-level field is flattened to "field.key";
// scalars that are not text (the 409's "id") are not errors and are skipped.
void flatten(FieldErrors &errors, const QString &field, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        errors.add(field, value.toString());
        break;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            flatten(errors, field, item);
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            const bool nonField
                = key.isEmpty() || key == FieldErrors::NonField || key == u"detail"_s;
            flatten(errors, nonField ? field : field + u'.' + key, it.value());
        }
        break;
    }
    default:
        break;
    }
}

} // namespace

void FieldErrors::add(const QString &field, const QString &message)
{
    if (message.isEmpty())
        return;
    QStringList &list = m_errors[field.isEmpty() ? NonField : field];
    if (!list.contains(message))
        list.append(message);
}

void FieldErrors::merge(const FieldErrors &other)
{
    for (auto it = other.m_errors.cbegin(); it != other.m_errors.cend(); ++it) {
        for (const QString &message : it.value())
            add(it.key(), message);
    }
}

FieldErrors FieldErrors::fromDrfJson(const QJsonObject &body)
{
    FieldErrors errors;
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString key = it.key();
        // {"detail": "..."} is how DRF says what went wrong with the request as a whole.
        const bool nonField = key.isEmpty() || key == NonField || key == u"detail"_s;
        flatten(errors, nonField ? NonField : key, it.value());
    }
    return errors;
}

QJsonObject FieldErrors::toJson() const
{
    QJsonObject json;
    for (auto it = m_errors.cbegin(); it != m_errors.cend(); ++it)
        json.insert(it.key(), QJsonArray::fromStringList(it.value()));
    return json;
}

QString FieldErrors::summary() const
{
    QStringList fields = m_errors.keys();
    std::stable_sort(fields.begin(), fields.end(),
                     [](const QString &a, const QString &b) { return rank(a) < rank(b); });
    QStringList lines;
    for (const QString &field : std::as_const(fields)) {
        const QString text = m_errors.value(field).join(u' ');
        lines.append(field == NonField ? text : label(field) + u": "_s + text);
    }
    return lines.join(u'\n');
}

QString FieldErrors::label(const QString &field)
{
    struct Label
    {
        QString field;
        const char *text;
    };
    static const Label labels[] = {
        { u"name"_s, QT_TRANSLATE_NOOP("FieldErrors", "Name") },
        { u"email"_s, QT_TRANSLATE_NOOP("FieldErrors", "Email") },
        { u"phone"_s, QT_TRANSLATE_NOOP("FieldErrors", "Phone") },
        { u"resume"_s, QT_TRANSLATE_NOOP("FieldErrors", "Resume") },
        { u"resume_url"_s, QT_TRANSLATE_NOOP("FieldErrors", "Resume link") },
        { u"job_id"_s, QT_TRANSLATE_NOOP("FieldErrors", "Job") },
        { u"source"_s, QT_TRANSLATE_NOOP("FieldErrors", "Source") },
        { u"industry"_s, QT_TRANSLATE_NOOP("FieldErrors", "Industry") },
        { u"department"_s, QT_TRANSLATE_NOOP("FieldErrors", "Department") },
        { u"custom_fields"_s, QT_TRANSLATE_NOOP("FieldErrors", "Custom fields") },
        { u"non_field_errors"_s, QT_TRANSLATE_NOOP("FieldErrors", "Candidate") },
    };
    for (const Label &l : labels) {
        if (l.field == field)
            return QCoreApplication::translate("FieldErrors", l.text);
    }
    if (field.startsWith(kCustomPrefix)) {
        //: %1 is the key of one of the account's own fields, such as linkedin_url
        return QCoreApplication::translate("FieldErrors", "Custom field %1")
            .arg(field.mid(kCustomPrefix.size()));
    }
    return field; // a field this version does not know: the server's own name says most
}

} // namespace cdesk
