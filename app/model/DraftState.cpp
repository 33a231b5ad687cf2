#include "DraftState.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// The stored names. They are a file format: drafts written by earlier
// versions use the same names.
const QString kUpdateTarget = u"update_target"_s;
const QString kOriginal = u"original"_s;
const QString kTouched = u"touched"_s;
const QString kCustomRows = u"custom_rows"_s;
const QString kLastSource = u"last_source"_s;
const QString kQueuedSubmission = u"queued_submission"_s;
const QString kOriginalResume = u"original_resume"_s;

QJsonValue nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject DraftState::toJson() const
{
    QJsonObject json = m_unknown;
    QJsonArray rows;
    for (const CustomFieldRow &row : customRows)
        rows.append(QJsonArray { row.key, row.value });
    json.insert(kUpdateTarget,
                edit.updateTarget() ? QJsonValue(*edit.updateTarget()) : QJsonValue::Null);
    json.insert(consentFieldKey(), nullIfEmpty(consentGivenAt));
    json.insert(kOriginal, edit.baseline().toStorageJson());
    json.insert(kTouched, QJsonArray::fromStringList(fieldNames(edit.touched())));
    json.insert(kCustomRows, rows);
    json.insert(kLastSource, lastSource);
    if (queuedSubmission)
        json.insert(kQueuedSubmission, *queuedSubmission);
    if (!originalResume.isEmpty())
        json.insert(kOriginalResume, originalResume);
    return json;
}

DraftState DraftState::fromJson(const QJsonObject &json)
{
    DraftState state;
    state.m_unknown = json;
    for (const QString &key : { kUpdateTarget, consentFieldKey(), kOriginal, kTouched, kCustomRows,
                                kLastSource, kQueuedSubmission, kOriginalResume })
        state.m_unknown.remove(key);

    const qint64 target = json.value(kUpdateTarget).toInteger(0);
    if (target > 0)
        state.edit.setUpdateTarget(target);
    state.m_hasBaseline = json.value(kOriginal).isObject();
    if (state.m_hasBaseline)
        state.edit.setBaseline(Candidate::fromStorageJson(json.value(kOriginal).toObject()));
    QStringList touched;
    const QJsonArray touchedArray = json.value(kTouched).toArray();
    for (const QJsonValue &name : touchedArray)
        touched.append(name.toString());
    state.edit.setTouched(fieldsFromNames(touched));
    state.consentGivenAt = json.value(consentFieldKey()).toString();
    const QJsonArray rows = json.value(kCustomRows).toArray();
    for (const QJsonValue &row : rows) {
        const QJsonArray pair = row.toArray();
        state.customRows.append({ pair.at(0).toString(), pair.at(1).toString() });
    }
    state.lastSource = json.value(kLastSource).toString();
    const qint64 queued = json.value(kQueuedSubmission).toInteger(0);
    if (queued > 0)
        state.queuedSubmission = queued;
    state.originalResume = json.value(kOriginalResume).toString();
    return state;
}

} // namespace cdesk
