#include "CandidateHandlers.h"

#include "FaultInjector.h"
#include "MultipartParser.h"
#include "Pagination.h"
#include "SandboxClock.h"
#include "SandboxStore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

constexpr int kIdempotencyHours = 24;

Reply conflict(qint64 existingId)
{
    return Reply::json(
        409,
        QJsonObject { { u"detail"_s, u"A candidate with this email already exists."_s },
                      { u"id"_s, existingId } });
}

} // namespace

CandidateHandlers::CandidateHandlers(SandboxStore &store, FaultInjector &faults,
                                     const SandboxClock &clock, const Pagination &pagination,
                                     QString collectionUrl, qint64 maxResumeBytes)
    : m_store(store)
    , m_faults(faults)
    , m_clock(clock)
    , m_pagination(pagination)
    , m_collectionUrl(std::move(collectionUrl))
    , m_maxResumeBytes(maxResumeBytes)
{
    m_rules.findJob = [&store](qint64 id) {
        return store.job(id);
    };
}

QJsonObject CandidateHandlers::candidateJson(const CandidateRecord &c) const
{
    auto orNull = [](const QString &s) {
        return s.isNull() ? QJsonValue() : QJsonValue(s);
    };
    QJsonValue job;
    if (c.jobId) {
        const auto record = m_store.job(*c.jobId);
        job = QJsonObject { { u"id"_s, *c.jobId },
                            { u"title"_s, record ? record->title : QString() } };
    }
    QJsonValue resume;
    if (c.resume) {
        resume = QJsonObject { { u"filename"_s, c.resume->fileName },
                               { u"size"_s, c.resume->size },
                               { u"content_type"_s, c.resume->contentType } };
    }
    return QJsonObject {
        { u"id"_s, c.id },
        { u"name"_s, c.name },
        { u"email"_s, c.email },
        { u"phone"_s, c.phone },
        { u"resume_url"_s, orNull(c.resumeUrl) },
        { u"job_id"_s, c.jobId ? QJsonValue(*c.jobId) : QJsonValue() },
        { u"job"_s, job },
        { u"talent_pool"_s, !c.jobId.has_value() },
        { u"source"_s, orNull(c.source) },
        { u"industry"_s, orNull(c.industry) },
        { u"department"_s, orNull(c.department) },
        { u"custom_fields"_s, c.customFields ? QJsonValue(*c.customFields) : QJsonValue() },
        { u"resume_file"_s, resume },
        { u"created_at"_s, isoTime(c.createdAt) },
        { u"updated_at"_s, isoTime(c.updatedAt) },
    };
}

Reply CandidateHandlers::list(const QHttpServerRequest &request) const
{
    // django-filter ignores an empty filter: "?email=" lists everyone.
    const QString email
        = formQuery(request).queryItemValue(u"email"_s, QUrl::FullyDecoded).trimmed();
    const QString filter = email.isEmpty() ? QString() : email;
    const qint64 total = m_store.candidateCount(filter);
    Pagination::Page page;
    if (auto invalid = m_pagination.readPage(request, total, &page))
        return *invalid;
    QJsonArray results;
    for (const auto &c : m_store.candidates(filter, page.offset(), page.size))
        results.append(candidateJson(c));
    return m_pagination.answer(request, total, page, results);
}

Reply CandidateHandlers::get(qint64 id) const
{
    const auto c = m_store.candidate(id);
    return c ? Reply::json(200, candidateJson(*c)) : notFound();
}

std::optional<Reply> CandidateHandlers::readInput(const QHttpServerRequest &request,
                                                  CandidateInput *input) const
{
    if (auto refused = parseBody(request, input))
        return refused;
    if (input->resume && input->resume->data.size() > m_maxResumeBytes)
        return m_faults.tooLarge();
    return std::nullopt;
}

std::optional<Reply> CandidateHandlers::parseBody(const QHttpServerRequest &request,
                                                  CandidateInput *input) const
{
    const QByteArray body = request.body();
    // Whatever its form, a body larger than the largest resume plus room for the
    // other fields is refused before it is parsed.
    if (body.size() > m_maxResumeBytes + (1 << 20))
        return m_faults.tooLarge();

    const QByteArray contentType = request.value("content-type");
    const QByteArray mediaType = contentType.split(';').value(0).trimmed().toLower();
    // DRF reads a zero-length body as empty data (white space is a JSON parse error).
    if (body.isEmpty() && (mediaType == "application/json" || mediaType == "multipart/form-data")) {
        *input = CandidateInput::fromJson({});
        return std::nullopt;
    }
    if (mediaType == "application/json") {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError) {
            // Qt 6.4 refuses a lone value ("text", 42, null) that JSON allows:
            // wrapped in an array it parses, and DRF would name its type.
            const QJsonDocument wrapped = QJsonDocument::fromJson('[' + body + ']');
            if (wrapped.isArray() && wrapped.array().size() == 1)
                return notAnObject(wrapped.array().first());
            return Reply::detail(
                400,
                u"JSON parse error - %1 at offset %2"_s.arg(error.errorString()).arg(error.offset));
        }
        if (!doc.isObject())
            return notAnObject(doc.array());
        *input = CandidateInput::fromJson(doc.object());
        return std::nullopt;
    }
    if (mediaType == "multipart/form-data") {
        QString error;
        const QByteArray boundary = MultipartParser::boundaryFrom(contentType, &error);
        if (boundary.isEmpty())
            return Reply::detail(400, u"Multipart form parse error - "_s + error);
        const MultipartResult parsed = MultipartParser::parse(body, boundary);
        if (!parsed.ok)
            return Reply::detail(400, u"Multipart form parse error - "_s + parsed.error);
        *input = CandidateInput::fromFormParts(parsed.parts);
        return std::nullopt;
    }
    if (mediaType == "application/x-www-form-urlencoded") {
        QList<MultipartPart> parts;
        for (const QByteArray &pair : body.split('&')) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf('=');
            auto decode = [](QByteArray bytes) {
                return QByteArray::fromPercentEncoding(bytes.replace('+', ' '));
            };
            MultipartPart part;
            part.name = QString::fromUtf8(decode(pair.left(eq < 0 ? pair.size() : eq)));
            part.data = eq < 0 ? QByteArray() : decode(pair.mid(eq + 1));
            parts.append(part);
        }
        *input = CandidateInput::fromFormParts(parts);
        return std::nullopt;
    }
    if (mediaType.isEmpty() && body.isEmpty()) {
        *input = CandidateInput::fromJson({});
        return std::nullopt;
    }
    return Reply::detail(
        415, u"Unsupported media type \"%1\" in request."_s.arg(QString::fromLatin1(contentType)));
}

std::optional<Reply> CandidateHandlers::storeResume(const CandidateInput &input,
                                                    const ValidatedCandidate &valid,
                                                    CandidateRecord *record) const
{
    if (!input.resume)
        return std::nullopt;
    const UploadedFile &file = *input.resume;
    // The client's filename is kept as data only; the file on disk gets a name of ours.
    ResumeFile stored;
    stored.fileName = file.fileName;
    stored.size = file.data.size();
    stored.contentType = valid.resumeContentType;
    stored.storedName = QUuid::createUuid().toString(QUuid::WithoutBraces) + u".bin"_s;
    const QString path = m_store.resumeDir() + u'/' + stored.storedName;
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(file.data) != file.data.size()
        || !out.commit()) {
        return Reply::detail(500, u"Cannot store the resume: %1"_s.arg(out.errorString()));
    }
    // Candidate data is personal: readable by the user alone.
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    record->resume = stored;
    return std::nullopt;
}

void CandidateHandlers::removeResume(const ResumeFile &file) const
{
    QFile::remove(m_store.resumeDir() + u'/' + file.storedName);
}

Reply CandidateHandlers::create(const QHttpServerRequest &request, const QByteArray &token)
{
    CandidateInput input;
    if (auto refused = readInput(request, &input))
        return *refused;

    ValidatedCandidate valid = m_rules.validate(input);

    // Idempotency-Key (IETF httpapi draft): scoped to the token, kept 24 hours.
    // The key's bytes are kept as sent (Latin-1 maps each byte to one character).
    const QString key = QString::fromLatin1(request.value("idempotency-key").trimmed());
    const QByteArray scope = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    // What the request means, so a retry with a new multipart boundary, or the
    // same record sent as JSON, is the same request.
    const QByteArray fingerprint = valid.ok() ? fingerprintOf(valid, input) : input.fingerprint();
    const QDateTime t = m_clock.now();
    if (!key.isEmpty()) {
        if (key.size() > 255)
            return Reply::detail(400, u"Idempotency-Key must be at most 255 characters."_s);
        if (const auto seen
            = m_store.idempotency(scope, key, t.addSecs(-3600 * kIdempotencyHours))) {
            if (seen->fingerprint != fingerprint)
                return Reply::detail(422, u"Idempotency-Key reused with a different request."_s);
            Reply replay;
            replay.status = seen->status;
            replay.body = seen->body;
            if (!seen->location.isEmpty())
                replay.header("Location", seen->location);
            replay.header("Idempotent-Replayed", "true");
            return replay;
        }
    }

    if (!valid.ok())
        return Reply::json(400, valid.errors);
    if (const auto existing = m_store.candidateIdByEmail(valid.record.email))
        return conflict(*existing);

    CandidateRecord record = valid.record;
    record.createdAt = record.updatedAt = t;
    if (auto failed = storeResume(input, valid, &record))
        return *failed;
    auto discardResume = [&] {
        if (record.resume)
            removeResume(*record.resume);
    };
    QString error;
    if (!m_store.begin()) {
        discardResume();
        return Reply::detail(500, u"Cannot start a transaction."_s);
    }
    if (!m_store.insertCandidate(&record, &error)) {
        m_store.rollback();
        discardResume();
        return Reply::detail(500, u"Cannot store the candidate: %1"_s.arg(error));
    }
    Reply created = Reply::json(201, candidateJson(record));
    const QByteArray location = (m_collectionUrl + u"%1/"_s.arg(record.id)).toUtf8();
    created.header("Location", location);
    if (!key.isEmpty()) {
        m_store.purgeIdempotency(t.addSecs(-3600 * kIdempotencyHours));
        if (!m_store.saveIdempotency(scope, key, { fingerprint, 201, created.body, location, t },
                                     &error)) {
            m_store.rollback();
            discardResume();
            return Reply::detail(500, u"Cannot store the idempotency key: %1"_s.arg(error));
        }
    }
    if (!m_store.commit()) {
        m_store.rollback();
        discardResume();
        return Reply::detail(500, u"Cannot commit the candidate."_s);
    }
    created.dropConnection = m_faults.takeDropAfterCommit();
    return created;
}

Reply CandidateHandlers::update(const QHttpServerRequest &request, qint64 id)
{
    const auto existing = m_store.candidate(id);
    if (!existing)
        return notFound();
    CandidateInput input;
    if (auto refused = readInput(request, &input))
        return *refused;
    ValidatedCandidate valid = m_rules.validate(input, &*existing);
    if (!valid.ok())
        return Reply::json(400, valid.errors);
    if (const auto other = m_store.candidateIdByEmail(valid.record.email); other && *other != id)
        return conflict(*other);

    CandidateRecord record = valid.record;
    record.id = id;
    record.createdAt = existing->createdAt;
    record.updatedAt = m_clock.now();
    // No resume and no resume_url: the stored resume is kept (the contract).
    const bool resumeGiven = input.resume.has_value() || !record.resumeUrl.isNull();
    if (!resumeGiven) {
        record.resume = existing->resume;
        record.resumeUrl = existing->resumeUrl;
    } else if (!input.resume) {
        record.resume = existing->resume;
    }
    if (auto failed = storeResume(input, valid, &record))
        return *failed;
    QString error;
    if (!m_store.begin() || !m_store.updateCandidate(record, &error) || !m_store.commit()) {
        m_store.rollback();
        if (input.resume)
            removeResume(*record.resume);
        return Reply::detail(500, u"Cannot update the candidate: %1"_s.arg(error));
    }
    if (input.resume && existing->resume)
        removeResume(*existing->resume);
    Reply updated = Reply::json(200, candidateJson(record));
    updated.dropConnection = m_faults.takeDropAfterCommit();
    return updated;
}

} // namespace cdesk::sandbox
