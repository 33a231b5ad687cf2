// The edit model without widgets: what an update sends (the fields touched
// that differ from the baseline), the merge of what was typed over the
// server's record in the duplicate flow, and the draft state as stored.
#include "model/CandidateEdit.h"
#include "model/DraftState.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

Candidate record()
{
    Candidate c;
    c.name = u"Asha Rao"_s;
    c.email = u"asha@example.com"_s;
    c.phone = u"+919876543210"_s;
    c.jobId = 3;
    c.source = u"LinkedIn"_s;
    c.industry = u"Software"_s;
    c.customFields = { { u"notice_period"_s, u"30 days"_s } };
    return c;
}

} // namespace

class TestCandidateEdit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void changedFields_onlyTouchedFieldsThatDiffer()
    {
        CandidateEdit edit;
        edit.reset(record());
        edit.setUpdateTarget(9);
        Candidate now = record();
        now.phone = u"+919800000000"_s;
        now.industry = u"Fintech"_s; // differs, but not touched: the form changed it itself
        edit.touch(CandidateField::Phone);
        edit.touch(CandidateField::Name); // touched, but typed back to the same
        QCOMPARE(edit.changedFields(now), CandidateFields { CandidateField::Phone });
    }

    void changedFields_resumeCountsByValueAlone()
    {
        CandidateEdit edit;
        edit.reset(record());
        Candidate now = record();
        now.resumeFile = u"/tmp/smaller copy.pdf"_s;
        QCOMPARE(edit.changedFields(now), CandidateFields { CandidateField::Resume });
    }

    void startUpdate_typedWins_recordFillsTheRest()
    {
        CandidateEdit edit;
        Candidate typed;
        typed.name = u"Asha R."_s;
        typed.email = u"asha@example.com"_s;
        typed.source = u"Referral"_s; // the form's default: not touched
        typed.customFields = { { u"github_url"_s, u"https://github.com/asha"_s },
                               { u"notice_period"_s, u"  "_s } };
        const Candidate merged = edit.startUpdate(9, typed, record());

        QCOMPARE(merged.name, u"Asha R."_s);
        QCOMPARE(merged.phone, u"+919876543210"_s); // empty in the form: the record's
        QCOMPARE(merged.source, u"LinkedIn"_s); // a default is no reason to overwrite
        QCOMPARE(merged.jobId, std::optional<qint64>(3)); // the Talent Pool default neither
        QCOMPARE(merged.customFields.value(u"github_url"_s), u"https://github.com/asha"_s);
        QCOMPARE(merged.customFields.value(u"notice_period"_s), u"30 days"_s);
        QCOMPARE(edit.updateTarget(), std::optional<qint64>(9));
        QCOMPARE(edit.baseline(), record());
        // Everything counts as touched: what differs from the server is sent.
        QCOMPARE(edit.changedFields(merged),
                 (CandidateFields { CandidateField::Name, CandidateField::CustomFields }));
    }

    void startUpdate_aChosenSourceAndJobWin()
    {
        CandidateEdit edit;
        edit.touch(CandidateField::Source);
        edit.touch(CandidateField::JobId);
        Candidate typed;
        typed.email = u"asha@example.com"_s;
        typed.source = u"Job fair"_s;
        typed.jobId = std::nullopt; // the Talent Pool, chosen
        const Candidate merged = edit.startUpdate(9, typed, record());
        QCOMPARE(merged.source, u"Job fair"_s);
        QCOMPARE(merged.jobId, std::optional<qint64>());
    }

    void draftState_roundTripsThroughJson()
    {
        DraftState state;
        state.edit.setUpdateTarget(12);
        state.edit.setBaseline(record());
        state.edit.touch(CandidateField::Email);
        state.consentGivenAt = u"2026-12-01T09:30:00Z"_s;
        state.customRows = { { u"a"_s, u"1"_s }, { QString(), u"half typed"_s } };
        state.lastSource = u"Referral"_s;
        state.queuedSubmission = 44;
        state.originalResume = u"/home/r/CV.pdf"_s;

        const DraftState back = DraftState::fromJson(state.toJson());
        QCOMPARE(back.edit.updateTarget(), std::optional<qint64>(12));
        QCOMPARE(back.edit.baseline(), record());
        QCOMPARE(back.edit.touched(), CandidateFields { CandidateField::Email });
        QCOMPARE(back.consentGivenAt, state.consentGivenAt);
        QCOMPARE(back.customRows, state.customRows);
        QCOMPARE(back.lastSource, state.lastSource);
        QCOMPARE(back.queuedSubmission, std::optional<qint64>(44));
        QCOMPARE(back.originalResume, state.originalResume);
        QVERIFY(back.hasBaseline());
    }

    // Drafts on disk were written by earlier versions as loose JSON keys:
    // they read the same, and keys this version does not know travel along.
    void draftState_readsEarlierDraftsAndKeepsUnknownKeys()
    {
        const QJsonObject earlier {
            { u"update_target"_s, 5 },
            { u"consent_given_at"_s, u"2026-11-29T10:00:00Z"_s },
            { u"touched"_s, QJsonArray { u"phone"_s } },
            { u"custom_rows"_s, QJsonArray { QJsonValue(QJsonArray { u"k"_s, u"v"_s }) } },
            { u"last_source"_s, u"LinkedIn"_s },
            { u"queued_submission"_s, 3 },
            { u"from_a_newer_version"_s, u"kept"_s },
        };
        const DraftState state = DraftState::fromJson(earlier);
        QCOMPARE(state.edit.updateTarget(), std::optional<qint64>(5));
        QCOMPARE(state.edit.touched(), CandidateFields { CandidateField::Phone });
        QCOMPARE(state.customRows, (QList<CustomFieldRow> { { u"k"_s, u"v"_s } }));
        QCOMPARE(state.queuedSubmission, std::optional<qint64>(3));
        QVERIFY(!state.hasBaseline());
        QCOMPARE(state.toJson().value(u"from_a_newer_version"_s).toString(), u"kept"_s);
    }

    void draftState_emptyHasNoTargetAndNoQueue()
    {
        const DraftState state = DraftState::fromJson({});
        QVERIFY(!state.edit.updateTarget());
        QVERIFY(!state.queuedSubmission);
        QVERIFY(state.customRows.isEmpty());
        QVERIFY(!state.toJson().contains(u"queued_submission"_s));
    }
};

QTEST_GUILESS_MAIN(TestCandidateEdit)
#include "tst_candidateedit.moc"
