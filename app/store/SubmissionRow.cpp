#include "SubmissionRow.h"

#include "store/Database.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

enum Column {
    Id,
    Kind,
    TargetId,
    ChangedFields,
    CandidateJson,
    IdempotencyKey,
    OriginalResumeName,
    ResumeSha256,
    ResumeCopy,
    State,
    Attempts,
    CreatedAt,
    UpdatedAt,
    NextAttemptAt,
    ServerId,
    DuplicateOf,
    LastError,
    ErrorKind,
    FieldErrorsJson,
    Source,
};

std::optional<qint64> optionalId(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

QJsonObject parseObject(const QString &json)
{
    if (json.isEmpty())
        return {};
    return QJsonDocument::fromJson(json.toUtf8()).object();
}

} // namespace

QString SubmissionRow::columns()
{
    // The order of the Column enum.
    return u"id, kind, target_id, changed_fields, candidate_json, idempotency_key,"
           " original_resume_name, resume_sha256, resume_copy, state, attempts, created_at,"
           " updated_at, next_attempt_at, server_id, duplicate_of, last_error, error_kind,"
           " field_errors_json, source"_s;
}

Submission SubmissionRow::fromQuery(const QSqlQuery &q)
{
    Submission s;
    s.id = q.value(Id).toLongLong();
    s.kind = kindFromName(q.value(Kind).toString()).value_or(SubmissionKind::Create);
    s.targetId = q.value(TargetId).toLongLong();
    s.changedFields = changedFieldsFromKey(q.value(ChangedFields).toString());
    s.candidate = Candidate::fromStorageJson(parseObject(q.value(CandidateJson).toString()));
    // The copy's path as the store knows it wins over the JSON: once a sent
    // row's copy is pruned, the row has no local file.
    s.candidate.resumeFile
        = q.value(ResumeCopy).isNull() ? QString() : q.value(ResumeCopy).toString();
    s.idempotencyKey = q.value(IdempotencyKey).toString();
    s.originalResumeName = q.value(OriginalResumeName).toString();
    s.resumeSha256 = q.value(ResumeSha256).toString().toLatin1();
    s.state = stateFromName(q.value(State).toString()).value_or(SubmissionState::Failed);
    s.attempts = q.value(Attempts).toInt();
    s.createdAt = Database::fromStorageTime(q.value(CreatedAt));
    s.updatedAt = Database::fromStorageTime(q.value(UpdatedAt));
    s.nextAttemptAt = Database::fromStorageTime(q.value(NextAttemptAt));
    s.serverId = optionalId(q.value(ServerId));
    s.duplicateOf = optionalId(q.value(DuplicateOf));
    s.lastError = q.value(LastError).toString();
    // A kind only a newer version knows reads as a failure that cannot be
    // read; it is still held for a person and shown with its message.
    s.errorKind = errorFromName(q.value(ErrorKind).toString()).value_or(ApiError::BadResponse);
    s.fieldErrors = FieldErrors::fromJson(parseObject(q.value(FieldErrorsJson).toString()));
    s.source = q.value(Source).toString();
    return s;
}

QString SubmissionRow::withStates(QString sql)
{
    static const std::pair<QString, SubmissionState> tokens[] = {
        { u"{Pending}"_s, SubmissionState::Pending },
        { u"{Sending}"_s, SubmissionState::Sending },
        { u"{Sent}"_s, SubmissionState::Sent },
        { u"{Failed}"_s, SubmissionState::Failed },
        { u"{NeedsDecision}"_s, SubmissionState::NeedsDecision },
        { u"{Cancelled}"_s, SubmissionState::Cancelled },
    };
    for (const auto &[token, state] : tokens)
        sql.replace(token, u'\'' + stateName(state) + u'\'');
    Q_ASSERT(!sql.contains(u'{'));
    return sql;
}

QString SubmissionRow::changedFieldsKey(const CandidateFields &fields)
{
    // Sorted, so the same set is always written the same way.
    QStringList names;
    for (CandidateField field : fields)
        names << fieldName(field);
    std::sort(names.begin(), names.end());
    // Never a null QString: QSQLITE binds that as NULL, and the column is NOT NULL.
    return names.isEmpty() ? QString(u""_s) : names.join(u',');
}

CandidateFields SubmissionRow::changedFieldsFromKey(const QString &key)
{
    CandidateFields fields;
    for (const QString &name : key.split(u',', Qt::SkipEmptyParts)) {
        if (auto field = fieldFromName(name))
            fields.insert(*field);
    }
    return fields;
}

QString SubmissionRow::candidateJson(const Candidate &candidate)
{
    return QString::fromUtf8(
        QJsonDocument(candidate.toStorageJson()).toJson(QJsonDocument::Compact));
}

QString SubmissionRow::fieldErrorsJson(const FieldErrors &errors)
{
    if (errors.isEmpty())
        return QString(u""_s);
    return QString::fromUtf8(QJsonDocument(errors.toJson()).toJson(QJsonDocument::Compact));
}

QString SubmissionRow::searchKey(const QString &text)
{
    return text.trimmed().toCaseFolded();
}

} // namespace cdesk
