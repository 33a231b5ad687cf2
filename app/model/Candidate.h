#pragma once

#include "model/FieldErrors.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace cdesk {

// The contract's writable candidate fields (shared/api/candidate-api.md).
enum class CandidateField {
    Name,
    Email,
    Phone,
    Resume, // the file
    ResumeUrl,
    JobId,
    Source,
    Industry,
    Department,
    CustomFields,
};
using CandidateFields = QSet<CandidateField>;

// The contract's name of a field ("resume_url"), and back.
QString fieldName(CandidateField field);
std::optional<CandidateField> fieldFromName(const QString &name);
// A set of fields as contract names in the enum's order (for storage), and back;
// unknown names are skipped.
QStringList fieldNames(const CandidateFields &fields);
CandidateFields fieldsFromNames(const QStringList &names);

// The custom field that records when the candidate agreed to be added
// (ISO 8601 UTC): the form's consent checkbox owns it, and a draft keeps it.
QString consentFieldKey();

// What the recruiter sends: every writable field of the contract. A null
// QString is "not set" (sent as null or left out); jobId empty is the Talent Pool.
struct Candidate
{
    QString name;
    QString email;
    QString phone;
    QString resumeFile; // a local path to upload; empty when none
    QUrl resumeUrl; // the alternative to a file
    std::optional<qint64> jobId; // std::nullopt: the Talent Pool
    QString source;
    QString industry;
    QString department;
    QMap<QString, QString> customFields;

    // The contract's JSON for a create or a full update, without the file
    // (which travels as a multipart part): optional fields that are not set
    // are sent as null, so a PUT says exactly what the record should be.
    QJsonObject toRequestJson() const;

    // For the outbox and drafts: every field, the local resume path included.
    QJsonObject toStorageJson() const;
    static Candidate fromStorageJson(const QJsonObject &json);

    // Copies the listed fields from `edits` into this record (read-modify-write).
    void apply(const Candidate &edits, const CandidateFields &fields);

    bool operator==(const Candidate &other) const = default;
};

// What the server holds about a candidate (GET /candidates/{id}/).
struct RemoteCandidate
{
    qint64 id = 0;
    Candidate candidate; // resumeFile stays empty: the server's file is not ours
    bool talentPool = true;
    QString jobTitle;
    QString resumeFileName; // resume_file.filename, empty when none
    qint64 resumeFileSize = 0;
    QString resumeContentType;
    QDateTime createdAt;
    QDateTime updatedAt;

    // Empty when the object lacks an id.
    static std::optional<RemoteCandidate> fromJson(const QJsonObject &object);
};

} // namespace cdesk
