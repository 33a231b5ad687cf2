#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace cdesk {

// Plain-words messages per field, keyed by the contract's field names
// ("name", "email", "phone", "resume", "resume_url", "job_id", "source",
// "industry", "department", "custom_fields", or "custom_fields.<key>" for one
// custom field), with problems not tied to a field under "non_field_errors".
// The same shape whether the app found the problem or the server did.
class FieldErrors
{
public:
    static inline const QString NonField = QStringLiteral("non_field_errors");

    bool isEmpty() const { return m_errors.isEmpty(); }
    // An empty message is ignored, so a check's result can be added as it is;
    // a message the field already has is not added twice.
    void add(const QString &field, const QString &message);
    void merge(const FieldErrors &other);
    void remove(const QString &field) { m_errors.remove(field); }
    QStringList messages(const QString &field) const { return m_errors.value(field); }
    QString first(const QString &field) const { return m_errors.value(field).value(0); }
    QStringList fields() const { return m_errors.keys(); }
    bool contains(const QString &field) const { return m_errors.contains(field); }

    // A DRF 400 body: {"field": ["message", ...], "non_field_errors": [...]}.
    // Nested objects (custom_fields: {"key": [..]}) become "custom_fields.key".
    static FieldErrors fromDrfJson(const QJsonObject &body);
    QJsonObject toJson() const; // the same shape, flat keys kept
    static FieldErrors fromJson(const QJsonObject &json) { return fromDrfJson(json); }

    // One line per field, "Email: Enter a valid email address.", for logs and the CLI.
    // Problems not tied to a field come first, then the fields in the form's order.
    QString summary() const;

    // The recruiter's word for a field: "Email", "Resume link", "Custom field linkedin_url".
    static QString label(const QString &field);

    bool operator==(const FieldErrors &other) const = default;

private:
    QMap<QString, QStringList> m_errors;
};

} // namespace cdesk
