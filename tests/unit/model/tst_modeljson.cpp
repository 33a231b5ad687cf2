#include "model/Candidate.h"
#include "model/FieldErrors.h"
#include "model/Submission.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("test JSON does not parse: %s", qPrintable(error.errorString()));
    return doc.object();
}

Candidate fullCandidate()
{
    Candidate c;
    c.name = u"Priya Sharma"_s;
    c.email = u"priya@example.com"_s;
    c.phone = u"+919876543210"_s;
    c.resumeFile = u"/home/recruiter/.local/share/Candidate Desk/outbox/7/प्रिया.pdf"_s;
    c.resumeUrl = QUrl(u"https://drive.example.com/priya cv.pdf"_s);
    c.jobId = 42;
    c.source = u"Referral"_s;
    c.industry = u"Software"_s;
    c.department = u"Engineering"_s;
    c.customFields = { { u"linkedin_url"_s, u"https://linkedin.com/in/priya"_s },
                       { u"notes"_s, u"Two lines\nof notes"_s } };
    return c;
}

// A candidate exactly as the sandbox serialises one (SandboxServer::candidateJson).
// Multi-line JSON texts here write "//" as "\/\/" (the same string in JSON): moc
// 6.4 reads "//" in a raw string that spans lines as a comment and loses the class.
const QByteArray kSandboxCandidate = R"({
  "id": 17,
  "name": "Priya Sharma",
  "email": "priya@xn--bcher-kva.de",
  "phone": "+919876543210",
  "resume_url": null,
  "job_id": 42,
  "job": {"id": 42, "title": "Backend Engineer"},
  "talent_pool": false,
  "source": "API",
  "industry": null,
  "department": "Engineering",
  "custom_fields": {"linkedin_url": "https:\/\/linkedin.com/in/priya", "notes": "Met at the fair"},
  "resume_file": {"filename": "प्रिया CV.pdf", "size": 48213, "content_type": "application/pdf"},
  "created_at": "2026-11-29T12:00:00.123Z",
  "updated_at": "2026-11-30T08:30:00Z"
})";

} // namespace

class TestModelJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ---- field names ------------------------------------------------------

    void fieldName_everyField_roundTrips()
    {
        const QStringList expected { u"name"_s,       u"email"_s,        u"phone"_s,  u"resume"_s,
                                     u"resume_url"_s, u"job_id"_s,       u"source"_s, u"industry"_s,
                                     u"department"_s, u"custom_fields"_s };
        CandidateFields all;
        for (int i = 0; i <= int(CandidateField::CustomFields); ++i) {
            const auto field = CandidateField(i);
            QCOMPARE(fieldName(field), expected.at(i));
            QCOMPARE(fieldFromName(expected.at(i)), field);
            all.insert(field);
        }
        QCOMPARE(fieldFromName(u"talent_pool"_s), std::nullopt);
        QCOMPARE(fieldNames(all), expected);
        QCOMPARE(fieldsFromNames(expected + QStringList { u"nonsense"_s }), all);
    }

    // ---- request JSON -----------------------------------------------------

    void toRequestJson_fullCandidate_hasTheContractsFields()
    {
        const QJsonObject json = fullCandidate().toRequestJson();
        const QJsonObject expected = parse(R"({
            "name": "Priya Sharma",
            "email": "priya@example.com",
            "phone": "+919876543210",
            "resume_url": "https:\/\/drive.example.com/priya%20cv.pdf",
            "job_id": 42,
            "source": "Referral",
            "industry": "Software",
            "department": "Engineering",
            "custom_fields": {"linkedin_url": "https:\/\/linkedin.com/in/priya",
                              "notes": "Two lines\nof notes"}
        })");
        QCOMPARE(json, expected);
        QVERIFY(json.value(u"job_id"_s).isDouble());
    }

    void toRequestJson_unsetOptionalFields_areNull()
    {
        Candidate c;
        c.name = u"Asha Rao"_s;
        c.email = u"asha@example.com"_s;
        c.phone = u"+919876543210"_s;
        c.resumeFile = u"/tmp/cv.pdf"_s; // travels as a multipart part, never in the JSON
        c.source = u""_s; // empty counts as not set
        const QJsonObject json = c.toRequestJson();
        QCOMPARE(json.size(), 9);
        for (const auto &key : { u"resume_url"_s, u"job_id"_s, u"source"_s, u"industry"_s,
                                 u"department"_s, u"custom_fields"_s }) {
            QVERIFY2(json.contains(key), qPrintable(key));
            QVERIFY2(json.value(key).isNull(), qPrintable(key));
        }
        QVERIFY(!json.contains(u"resume"_s));
        QVERIFY(!QJsonDocument(json).toJson().contains("/tmp/cv.pdf"));
    }

    // ---- storage JSON -----------------------------------------------------

    void storageJson_fullCandidate_roundTrips()
    {
        const Candidate c = fullCandidate();
        const QByteArray text = QJsonDocument(c.toStorageJson()).toJson();
        const Candidate back = Candidate::fromStorageJson(QJsonDocument::fromJson(text).object());
        QCOMPARE(back, c);
        QCOMPARE(back.resumeFile, c.resumeFile);
        QCOMPARE(back.resumeUrl, c.resumeUrl);
        QCOMPARE(back.customFields, c.customFields);
    }

    void storageJson_emptyCandidate_roundTrips()
    {
        const Candidate c;
        const Candidate back = Candidate::fromStorageJson(c.toStorageJson());
        QCOMPARE(back, c);
        QCOMPARE(back.jobId, std::nullopt);
        QVERIFY(back.resumeUrl.isEmpty());
    }

    void storageJson_largeJobId_survives()
    {
        Candidate c;
        c.jobId = (qint64(1) << 53) - 1;
        const QByteArray text = QJsonDocument(c.toStorageJson()).toJson();
        QCOMPARE(Candidate::fromStorageJson(QJsonDocument::fromJson(text).object()).jobId, c.jobId);
    }

    void fromStorageJson_garbage_givesEmptyFields()
    {
        const QJsonObject garbage = parse(R"({
            "name": 12, "email": ["a"], "phone": {"x": 1}, "resume_path": true,
            "resume_url": 3.5, "job_id": "42", "source": null, "industry": false,
            "custom_fields": ["notes"]
        })");
        const Candidate c = Candidate::fromStorageJson(garbage);
        QCOMPARE(c, Candidate());
        QCOMPARE(Candidate::fromStorageJson(QJsonObject()), Candidate());
        QCOMPARE(Candidate::fromStorageJson(parse(R"({"job_id": -3})")).jobId, std::nullopt);
        QCOMPARE(Candidate::fromStorageJson(parse(R"({"job_id": 4.5})")).jobId, std::nullopt);
        const auto mixed = Candidate::fromStorageJson(
            parse(R"({"custom_fields": {"a": "x", "b": 2, "c": null}})"));
        QCOMPARE(mixed.customFields, (QMap<QString, QString> { { u"a"_s, u"x"_s } }));
    }

    // ---- apply ------------------------------------------------------------

    void apply_copiesOnlyTheListedFields()
    {
        Candidate record = fullCandidate();
        Candidate edits;
        edits.phone = u"+14155552671"_s;
        edits.jobId = std::nullopt; // to the Talent Pool
        edits.industry = u"Fintech"_s;
        edits.name = u"Not Applied"_s;
        record.apply(edits,
                     { CandidateField::Phone, CandidateField::JobId, CandidateField::Industry });

        Candidate expected = fullCandidate();
        expected.phone = u"+14155552671"_s;
        expected.jobId = std::nullopt;
        expected.industry = u"Fintech"_s;
        QCOMPARE(record, expected);
    }

    void apply_everyField_makesTheRecordEqual()
    {
        Candidate record;
        CandidateFields all;
        for (int i = 0; i <= int(CandidateField::CustomFields); ++i)
            all.insert(CandidateField(i));
        record.apply(fullCandidate(), all);
        QCOMPARE(record, fullCandidate());
        record.apply(Candidate(), {});
        QCOMPARE(record, fullCandidate());
    }

    // ---- RemoteCandidate --------------------------------------------------

    void remoteFromJson_sandboxObject_readsEveryField()
    {
        const auto remote = RemoteCandidate::fromJson(parse(kSandboxCandidate));
        QVERIFY(remote);
        QCOMPARE(remote->id, 17);
        QCOMPARE(remote->candidate.name, u"Priya Sharma"_s);
        QCOMPARE(remote->candidate.email, u"priya@xn--bcher-kva.de"_s);
        QCOMPARE(remote->candidate.phone, u"+919876543210"_s);
        QVERIFY(remote->candidate.resumeUrl.isEmpty());
        QVERIFY(remote->candidate.resumeFile.isEmpty());
        QCOMPARE(remote->candidate.jobId, 42);
        QCOMPARE(remote->candidate.source, u"API"_s);
        QVERIFY(remote->candidate.industry.isNull());
        QCOMPARE(remote->candidate.department, u"Engineering"_s);
        QCOMPARE(remote->candidate.customFields.size(), 2);
        QCOMPARE(remote->candidate.customFields.value(u"notes"_s), u"Met at the fair"_s);
        QCOMPARE(remote->talentPool, false);
        QCOMPARE(remote->jobTitle, u"Backend Engineer"_s);
        QCOMPARE(remote->resumeFileName, u"प्रिया CV.pdf"_s);
        QCOMPARE(remote->resumeFileSize, 48213);
        QCOMPARE(remote->resumeContentType, u"application/pdf"_s);
        QCOMPARE(remote->createdAt, QDateTime(QDate(2026, 11, 29), QTime(12, 0, 0, 123), Qt::UTC));
        QCOMPARE(remote->updatedAt, QDateTime(QDate(2026, 11, 30), QTime(8, 30), Qt::UTC));
        QCOMPARE(remote->createdAt.timeSpec(), Qt::UTC);
    }

    void remoteFromJson_talentPoolWithResumeUrl_isRead()
    {
        QJsonObject o = parse(kSandboxCandidate);
        o.insert(u"job_id"_s, QJsonValue::Null);
        o.insert(u"job"_s, QJsonValue::Null);
        o.insert(u"talent_pool"_s, true);
        o.insert(u"resume_file"_s, QJsonValue::Null);
        o.insert(u"resume_url"_s, u"https://drive.example.com/priya%20cv.pdf"_s);
        o.insert(u"custom_fields"_s, QJsonValue::Null);
        const auto remote = RemoteCandidate::fromJson(o);
        QVERIFY(remote);
        QCOMPARE(remote->candidate.jobId, std::nullopt);
        QVERIFY(remote->talentPool);
        QVERIFY(remote->jobTitle.isEmpty());
        QVERIFY(remote->resumeFileName.isEmpty());
        QCOMPARE(remote->resumeFileSize, 0);
        QVERIFY(remote->candidate.customFields.isEmpty());
        // What was read goes back out unchanged in a PUT.
        QCOMPARE(remote->candidate.toRequestJson().value(u"resume_url"_s).toString(),
                 u"https://drive.example.com/priya%20cv.pdf"_s);
    }

    void remoteFromJson_withoutUsableId_isEmpty_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty object") << QByteArray("{}");
        QTest::newRow("no id") << QByteArray(R"({"name": "Asha"})");
        QTest::newRow("id null") << QByteArray(R"({"id": null})");
        QTest::newRow("id string") << QByteArray(R"({"id": "17"})");
        QTest::newRow("id zero") << QByteArray(R"({"id": 0})");
        QTest::newRow("id negative") << QByteArray(R"({"id": -4})");
        QTest::newRow("id fraction") << QByteArray(R"({"id": 1.5})");
        QTest::newRow("id huge") << QByteArray(R"({"id": 1e300})");
        QTest::newRow("id object") << QByteArray(R"({"id": {"value": 17}})");
        QTest::newRow("detail") << QByteArray(R"({"detail": "Not found."})");
    }
    void remoteFromJson_withoutUsableId_isEmpty()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(RemoteCandidate::fromJson(parse(json)).has_value(), false);
    }

    void remoteFromJson_wrongTypes_neverCrashAndGiveEmptyFields()
    {
        const QJsonObject garbage = parse(R"({
            "id": 9,
            "name": ["Asha"], "email": 5, "phone": null, "resume_url": {"href": "x"},
            "job_id": "42", "job": "Backend", "talent_pool": "yes",
            "source": 1, "industry": [], "department": {},
            "custom_fields": "notes", "resume_file": ["cv.pdf"],
            "created_at": "yesterday", "updated_at": 1700000000
        })");
        const auto remote = RemoteCandidate::fromJson(garbage);
        QVERIFY(remote);
        QCOMPARE(remote->id, 9);
        QCOMPARE(remote->candidate, Candidate());
        QVERIFY(remote->talentPool); // no job: the Talent Pool
        QVERIFY(remote->jobTitle.isEmpty());
        QVERIFY(remote->resumeFileName.isEmpty());
        QVERIFY(!remote->createdAt.isValid());
        QVERIFY(!remote->updatedAt.isValid());

        const auto nested = RemoteCandidate::fromJson(parse(R"({
            "id": 3, "job": {"id": 8, "title": 12}, "custom_fields": {"a": 1, "b": "ok"},
            "resume_file": {"filename": null, "size": -10, "content_type": 7}
        })"));
        QVERIFY(nested);
        QCOMPARE(nested->candidate.jobId, 8); // only the nested job: still read
        QVERIFY(!nested->talentPool);
        QVERIFY(nested->jobTitle.isEmpty());
        QCOMPARE(nested->candidate.customFields, (QMap<QString, QString> { { u"b"_s, u"ok"_s } }));
        QCOMPARE(nested->resumeFileSize, 0);
    }

    // ---- FieldErrors ------------------------------------------------------

    void fromDrfJson_shapes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QJsonObject>("expected"); // field -> list of messages
        QTest::newRow("list per field") << QByteArray(R"({"email": ["Enter a valid email address."],
                              "phone": ["Ensure this field has at least 4 characters.",
                                        "Enter a valid phone number."]})")
                                        << parse(R"({"email": ["Enter a valid email address."],
                         "phone": ["Ensure this field has at least 4 characters.",
                                   "Enter a valid phone number."]})");
        QTest::newRow("string per field") << QByteArray(R"({"name": "This field is required."})")
                                          << parse(R"({"name": ["This field is required."]})");
        QTest::newRow("nested custom_fields")
            << QByteArray(R"({"custom_fields": {"linkedin_url": ["Enter a valid URL."],
                                                "notes": "Too long."}})")
            << parse(R"({"custom_fields.linkedin_url": ["Enter a valid URL."],
                         "custom_fields.notes": ["Too long."]})");
        QTest::newRow("custom_fields as a list")
            << QByteArray(R"({"custom_fields": ["Ensure this field has no more than 50 keys."]})")
            << parse(R"({"custom_fields": ["Ensure this field has no more than 50 keys."]})");
        QTest::newRow("non_field_errors")
            << QByteArray(R"({"non_field_errors": ["Provide a resume file or a resume_url."]})")
            << parse(R"({"non_field_errors": ["Provide a resume file or a resume_url."]})");
        QTest::newRow("detail")
            << QByteArray(R"({"detail": "JSON parse error - Expecting value"})")
            << parse(R"({"non_field_errors": ["JSON parse error - Expecting value"]})");
        QTest::newRow("409 with id")
            << QByteArray(R"({"detail": "A candidate with this email already exists.",
                              "id": 17})")
            << parse(R"({"non_field_errors": ["A candidate with this email already exists."]})");
        QTest::newRow("detail and field together")
            << QByteArray(
                   R"({"detail": "Invalid input.", "resume": ["The submitted file is empty."]})")
            << parse(R"({"non_field_errors": ["Invalid input."],
                         "resume": ["The submitted file is empty."]})");
        QTest::newRow("list of objects")
            << QByteArray(R"({"custom_fields": [{"notes": ["Too long."]}, "Bad."]})")
            << parse(R"({"custom_fields.notes": ["Too long."], "custom_fields": ["Bad."]})");
        QTest::newRow("nested non_field_errors")
            << QByteArray(R"({"custom_fields": {"non_field_errors": ["Bad shape."]}})")
            << parse(R"({"custom_fields": ["Bad shape."]})");
        QTest::newRow("junk values skipped")
            << QByteArray(R"({"name": null, "email": 3, "phone": true, "source": [], "x": {}})")
            << QJsonObject();
        QTest::newRow("empty") << QByteArray("{}") << QJsonObject();
    }
    void fromDrfJson_shapes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QJsonObject, expected);
        const FieldErrors errors = FieldErrors::fromDrfJson(parse(body));
        QCOMPARE(errors.toJson(), expected);
        QCOMPARE(errors.isEmpty(), expected.isEmpty());
    }

    void fieldErrors_json_roundTripsWithFlatKeys()
    {
        FieldErrors errors;
        errors.add(u"email"_s, u"Enter a valid email address."_s);
        errors.add(u"custom_fields.notes"_s, u"Too long."_s);
        errors.add(FieldErrors::NonField, u"Try again."_s);
        const QByteArray text = QJsonDocument(errors.toJson()).toJson();
        QCOMPARE(FieldErrors::fromJson(QJsonDocument::fromJson(text).object()), errors);
    }

    void fieldErrors_add_ignoresEmptyAndRepeatedMessages()
    {
        FieldErrors errors;
        errors.add(u"name"_s, QString());
        QVERIFY(errors.isEmpty());
        errors.add(u"name"_s, u"Enter the name."_s);
        errors.add(u"name"_s, u"Enter the name."_s);
        QCOMPARE(errors.messages(u"name"_s), QStringList { u"Enter the name."_s });
        errors.add(QString(), u"General."_s);
        QCOMPARE(errors.first(FieldErrors::NonField), u"General."_s);
    }

    void fieldErrors_merge_keepsBoth()
    {
        FieldErrors a;
        a.add(u"name"_s, u"One."_s);
        FieldErrors b;
        b.add(u"name"_s, u"Two."_s);
        b.add(u"name"_s, u"One."_s);
        b.add(u"phone"_s, u"Three."_s);
        a.merge(b);
        QCOMPARE(a.messages(u"name"_s), (QStringList { u"One."_s, u"Two."_s }));
        QCOMPARE(a.fields(), (QStringList { u"name"_s, u"phone"_s }));
        QVERIFY(a.contains(u"phone"_s));
        QVERIFY(!a.contains(u"email"_s));
    }

    void fieldErrors_summary_isOneLinePerFieldInFormOrder()
    {
        FieldErrors errors;
        errors.add(u"custom_fields.notes"_s, u"Too long."_s);
        errors.add(u"phone"_s, u"Enter a phone number."_s);
        errors.add(u"email"_s, u"Enter a valid email address."_s);
        errors.add(u"email"_s, u"It is taken."_s);
        errors.add(u"future_field"_s, u"Odd."_s);
        errors.add(FieldErrors::NonField, u"Check the form."_s);
        QCOMPARE(errors.summary(),
                 u"Check the form.\n"
                 "Email: Enter a valid email address. It is taken.\n"
                 "Phone: Enter a phone number.\n"
                 "Custom field notes: Too long.\n"
                 "future_field: Odd."_s);
        QCOMPARE(FieldErrors().summary(), QString());
    }

    // ---- Submission -------------------------------------------------------

    void submissionState_names_roundTrip()
    {
        const QList<SubmissionState> states {
            SubmissionState::Pending, SubmissionState::Sending,       SubmissionState::Sent,
            SubmissionState::Failed,  SubmissionState::NeedsDecision, SubmissionState::Cancelled
        };
        QStringList names;
        for (const auto state : states) {
            const QString name = stateName(state);
            QVERIFY(!name.isEmpty());
            QVERIFY(!names.contains(name));
            names.append(name);
            QCOMPARE(stateFromName(name), state);
        }
        QCOMPARE(names.first(), u"pending"_s);
        QCOMPARE(stateFromName(u"Pending"_s), std::nullopt);
        QCOMPARE(stateFromName(QString()), std::nullopt);
        QCOMPARE(kindFromName(kindName(SubmissionKind::Create)), SubmissionKind::Create);
        QCOMPARE(kindFromName(kindName(SubmissionKind::Update)), SubmissionKind::Update);
        QCOMPARE(kindFromName(u"delete"_s), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestModelJson)
#include "tst_modeljson.moc"
