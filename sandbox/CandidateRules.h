#pragma once

#include "SandboxStore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace cdesk::sandbox {

struct MultipartPart;

struct UploadedFile
{
    QString fileName;
    QByteArray data;
};

// A create or update request's body after parsing, before validation. Values
// keep the types the client sent: JSON types from a JSON body, strings from a
// multipart body.
struct CandidateInput
{
    QJsonObject fields;
    bool fromMultipart = false;
    std::optional<UploadedFile> resume;
    QJsonObject partErrors; // problems found while reading the parts, by field

    static CandidateInput fromJson(const QJsonObject &object);
    static CandidateInput fromFormParts(const QList<MultipartPart> &parts);

    // A digest of what the request means (not of its bytes), so a retry with a
    // fresh multipart boundary still counts as the same request.
    QByteArray fingerprint() const;
};

struct ValidatedCandidate
{
    CandidateRecord record; // fields set; id, dates and stored resume left to the caller
    QJsonObject errors; // DRF shape: {"field": ["message", ...]}
    QString resumeContentType; // judged by content when a file came
    bool ok() const { return errors.isEmpty(); }
};

struct CandidateRules
{
    std::function<std::optional<JobRecord>(qint64)> findJob;

    // Validates every field of the contract's candidate table. existing: the
    // stored candidate on an update (a missing resume keeps its resume).
    ValidatedCandidate validate(const CandidateInput &input,
                                const CandidateRecord *existing = nullptr) const;
};

// The digest of a valid request: its validated record and the resume's name
// and SHA-256. JSON and multipart bodies that say the same thing agree.
QByteArray fingerprintOf(const ValidatedCandidate &valid, const CandidateInput &input);

// The HTML "valid e-mail address" rule (WHATWG), with an internationalised
// domain converted to ACE first. Returns the address with its domain lower-cased,
// or an empty string when it is not valid.
QString normalizedEmail(const QString &email);

// The Python type DRF's messages would name for a JSON value: str, int, float,
// bool, list, dict or NoneType.
QString pythonTypeName(const QJsonValue &value);

} // namespace cdesk::sandbox
