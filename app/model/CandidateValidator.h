#pragma once

#include "model/Candidate.h"
#include "model/FieldErrors.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>
#include <QUrl>

namespace cdesk {

struct ValidationOptions
{
    // Where a phone number without a leading + is taken to be from (ISO 3166
    // alpha-2, as libphonenumber wants it).
    QString phoneRegion = QStringLiteral("IN");
    // The largest resume the server takes (the contract's default: 5 MiB).
    qint64 maxResumeBytes = 5 * 1024 * 1024;
};

// The contract's field rules, checked before anything is queued, so the server
// never refuses what the app accepted. Every check normalises the value it is
// given in place (trimmed, NFC, E.164, ACE domain ...) and returns "" when the
// value is fine, or one plain-words message that says what is wrong and what to
// do. Values that are refused are left as the recruiter typed them, only
// trimmed, so nothing they typed is lost.
//
// Stateless after construction, so one instance may be used from any thread
// (the phone library's own instance is thread-safe).
class CandidateValidator
{
    Q_DECLARE_TR_FUNCTIONS(CandidateValidator)

public:
    explicit CandidateValidator(ValidationOptions options = {});

    const ValidationOptions &options() const { return m_options; }

    // Every field: normalises the candidate in place and returns the problems
    // under the contract's field names ("custom_fields.<key>" for one custom field).
    // A create needs a resume file or a resume link.
    FieldErrors validate(Candidate *candidate) const;
    // The same for a full update (PUT), which may carry no resume at all: the
    // server then keeps the one it has.
    FieldErrors validateForUpdate(Candidate *candidate) const;

    // One field at a time, for the form's validate-on-leave.
    QString checkName(QString *name) const;
    QString checkEmail(QString *email) const;
    QString checkPhone(QString *phone) const;
    // An empty path or link is "not given" and passes; checkResumeGiven() says
    // whether at least one of them is there.
    QString checkResumeFile(QString *path) const;
    QString checkResumeUrl(QString *url) const;
    QString checkResumeUrl(QUrl *url) const;
    QString checkResumeGiven(const QString &path, const QUrl &url) const;
    QString checkSource(QString *source) const;
    QString checkIndustry(QString *industry) const;
    QString checkDepartment(QString *department) const;
    // The first problem; customFieldErrors() has them all, each under its key.
    QString checkCustomFields(QMap<QString, QString> *fields) const;
    FieldErrors customFieldErrors(QMap<QString, QString> *fields) const;

    static constexpr int MaxNameLength = 200;
    static constexpr int MaxEmailLength = 254;
    static constexpr int MaxUrlLength = 2000;
    static constexpr int MaxOptionalTextLength = 100;
    static constexpr int MaxCustomFields = 50;
    static constexpr int MaxCustomFieldKeyLength = 64;
    static constexpr int MaxCustomFieldValueLength = 2000;

private:
    FieldErrors validateFields(Candidate *candidate, bool resumeRequired) const;
    QString phoneExample() const;

    ValidationOptions m_options;
};

} // namespace cdesk
