// The intake session without a widget: the whole path of a candidate from a
// draft to the server and back, driven as the window drives it, over real
// HTTP against the sandbox on an ephemeral port, with a real SQLite store in
// a temporary folder. Each case says what the recruiter would see: the note,
// the draft kept or settled, the form cleared or given back.
#include "IntakeStack.h"
#include "SandboxFixture.h"
#include "TestData.h"
#include "core/Clock.h"
#include "intake/DraftKeeper.h"
#include "intake/IntakeSession.h"
#include "intake/SubmissionEngine.h"
#include "store/DraftStore.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {
constexpr int kTimeoutMs = 20000;
}

class TestIntakeSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<cdesk::SubmissionState>();
        QVERIFY(m_files.isValid());
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_http.setToken(m_sandbox.token());
        m_pdf = writeFile(m_files.path(), u"Asha Rao CV.pdf"_s, minimalPdf("Asha Rao", 24 * 1024));
        QVERIFY(!m_pdf.isEmpty());
    }

    void init()
    {
        m_stack = std::make_unique<IntakeStack>(m_sandbox, &m_clock);
        QString error;
        QVERIFY2(m_stack->open(&error), qPrintable(error));
        m_workspace = m_stack->workspace();
        m_session = newSession();
    }

    void cleanup() { m_stack.reset(); }

    void submit_sendsTheCandidate_andSettlesTheDraft()
    {
        QSignalSpy queued(m_session, &IntakeSession::queued);
        QSignalSpy notes(m_session, &IntakeSession::noteChanged);
        const Candidate c = candidate(u"create"_s);
        // Looked at when the row is queued: the engine may send it and
        // settle the draft before the spy below is checked.
        qsizetype draftsWhenQueued = -1;
        bool freeWhenQueued = false;
        const auto look = connect(m_session, &IntakeSession::queued, this, [&] {
            draftsWhenQueued = m_workspace->drafts()->list().size();
            freeWhenQueued = m_session->isFree();
        });
        m_session->edited(c, {});
        m_session->submit(c, {});
        QVERIFY(m_session->isPreparing());
        QTRY_COMPARE_WITH_TIMEOUT(queued.count(), 1, kTimeoutMs);
        disconnect(look);
        QVERIFY(!m_session->isPreparing());
        // The form is free for the next candidate at once; the draft waits
        // on disk for the server's answer.
        QVERIFY(freeWhenQueued);
        QCOMPARE(draftsWhenQueued, 1);
        const qint64 id = queued.first().first().value<Submission>().id;
        QTRY_COMPARE_WITH_TIMEOUT(m_workspace->outbox()->get(id)->state, SubmissionState::Sent,
                                  kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(lastNote(notes).tone == IntakeSession::Note::Success, kTimeoutMs);
        QVERIFY2(lastNote(notes).text.startsWith(u"Created candidate #"_s),
                 qPrintable(lastNote(notes).text));
        QCOMPARE(serverCandidates(c.email).size(), 1);
        QVERIFY(m_workspace->drafts()->list().isEmpty());
    }

    void submit_invalid_showsFieldErrors_queuesNothing_keepsTheDraft()
    {
        QSignalSpy errors(m_session, &IntakeSession::fieldErrorsFound);
        QSignalSpy queued(m_session, &IntakeSession::queued);
        Candidate c = candidate(u"invalid"_s);
        c.email = u"asha at example"_s;
        m_session->edited(c, {});
        m_session->submit(c, {});
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, kTimeoutMs);
        const auto fieldErrors = errors.first().first().value<FieldErrors>();
        QVERIFY(fieldErrors.fields().contains(u"email"_s));
        QCOMPARE(queued.count(), 0);
        QCOMPARE(m_workspace->outbox()->pendingCount(), 0);
        QCOMPARE(m_workspace->drafts()->list().size(), 1);
        QCOMPARE(m_workspace->drafts()->list().constFirst().candidate.email, c.email);
    }

    void serverRefusal_bringsTheDraftBack_withTheServersErrors()
    {
        QSignalSpy opened(m_session, &IntakeSession::draftOpened);
        QSignalSpy errors(m_session, &IntakeSession::fieldErrorsFound);
        QSignalSpy notes(m_session, &IntakeSession::noteChanged);
        Candidate c = candidate(u"nojob"_s);
        c.jobId = 987654; // no such job: only the server knows
        m_session->edited(c, {});
        m_session->submit(c, {});
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
        QCOMPARE(opened.first().first().value<Draft>().candidate.email, c.email);
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.first().first().value<FieldErrors>().fields().contains(u"job_id"_s));
        QCOMPARE(lastNote(notes).tone, IntakeSession::Note::Problem);
        QVERIFY(lastNote(notes).text.startsWith(u"Not sent: "_s));
        QVERIFY(!m_session->isFree()); // the draft is in the form again
        QVERIFY(serverCandidates(c.email).isEmpty());
    }

    void duplicate_asks_thenUpdateLoadsTheServersRecord()
    {
        const Candidate first = candidate(u"dup"_s);
        const qint64 existing = createOnServer(first);

        QSignalSpy decision(m_session, &IntakeSession::decisionNeeded);
        QSignalSpy ready(m_session, &IntakeSession::updateReady);
        Candidate again = first;
        again.phone = u"+919800000001"_s;
        m_session->edited(again, {});
        m_session->submit(again, {});
        QTRY_COMPARE_WITH_TIMEOUT(decision.count(), 1, kTimeoutMs);
        const auto s = decision.first().at(0).value<Submission>();
        const auto remote = decision.first().at(1).value<std::optional<RemoteCandidate>>();
        QCOMPARE(s.state, SubmissionState::NeedsDecision);
        QCOMPARE(s.duplicateOf, std::optional<qint64>(existing));
        QVERIFY(remote);
        QCOMPARE(remote->candidate.email, first.email);

        m_session->decideDuplicate(s, IntakeSession::DuplicateDecision::Update, remote);
        QCOMPARE(ready.count(), 1);
        QCOMPARE(ready.first().at(0).toLongLong(), existing);
        QCOMPARE(ready.first().at(1).value<std::optional<Candidate>>()->email, first.email);
        // The duplicate row is settled: it is never sent again.
        QCOMPARE(m_workspace->outbox()->get(s.id)->state, SubmissionState::Cancelled);
        QCOMPARE(serverCandidates(first.email).size(), 1);
    }

    void duplicate_keep_sendsNothing_andSaysSo()
    {
        const Candidate first = candidate(u"keep"_s);
        createOnServer(first);
        QSignalSpy decision(m_session, &IntakeSession::decisionNeeded);
        QSignalSpy notes(m_session, &IntakeSession::noteChanged);
        m_session->edited(first, {});
        m_session->submit(first, {});
        QTRY_COMPARE_WITH_TIMEOUT(decision.count(), 1, kTimeoutMs);
        const auto s = decision.first().at(0).value<Submission>();
        m_session->decideDuplicate(s, IntakeSession::DuplicateDecision::Keep, std::nullopt);
        QVERIFY(lastNote(notes).text.startsWith(u"Not sent: "_s));
        QCOMPARE(m_workspace->outbox()->get(s.id)->state, SubmissionState::Cancelled);
        QCOMPARE(m_workspace->drafts()->list().size(), 1); // the entry is kept
    }

    void update_sendsOnlyWhatChanged()
    {
        const Candidate original = candidate(u"upd"_s);
        const qint64 id = createOnServer(original);
        QSignalSpy ready(m_session, &IntakeSession::updateReady);
        m_session->loadForUpdate(id);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
        const Candidate record = *ready.first().at(1).value<std::optional<Candidate>>();

        DraftState state;
        state.edit.setUpdateTarget(id);
        state.edit.reset(record);
        // Unchanged: nothing is queued, and the recruiter is told why.
        QSignalSpy notes(m_session, &IntakeSession::noteChanged);
        m_session->submit(record, state);
        QVERIFY(lastNote(notes).text.startsWith(u"Nothing changed"_s));
        QVERIFY(!m_session->isPreparing());

        Candidate edited = record;
        edited.department = u"Payments"_s;
        state.edit.touch(CandidateField::Department);
        QSignalSpy queued(m_session, &IntakeSession::queued);
        m_session->edited(edited, state);
        m_session->submit(edited, state);
        QTRY_COMPARE_WITH_TIMEOUT(queued.count(), 1, kTimeoutMs);
        const auto s = queued.first().first().value<Submission>();
        QCOMPARE(s.kind, SubmissionKind::Update);
        QCOMPARE(s.changedFields, CandidateFields { CandidateField::Department });
        QTRY_COMPARE_WITH_TIMEOUT(m_workspace->outbox()->get(s.id)->state, SubmissionState::Sent,
                                  kTimeoutMs);
        const QJsonArray onServer = serverCandidates(original.email);
        QCOMPARE(onServer.size(), 1);
        QCOMPARE(onServer.first().toObject().value(u"department"_s).toString(), u"Payments"_s);
    }

    // What was being typed when the window closed (or crashed) is there at
    // the next start; a draft whose submission still waits is not offered.
    void restoreLatestDraft_opensWhatWasBeingTyped()
    {
        const Candidate typing = candidate(u"restore"_s);
        QVERIFY(m_session->saveDraft(typing, {}));
        m_session = newSession();
        QSignalSpy opened(m_session, &IntakeSession::draftOpened);
        m_session->restoreLatestDraft();
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.first().first().value<Draft>().candidate, typing);
        QVERIFY(!m_session->isFree());
    }

    void newCandidate_keepsTheWorkAsADraft()
    {
        QSignalSpy cleared(m_session, &IntakeSession::cleared);
        m_session->edited(candidate(u"first"_s), {});
        QVERIFY(m_session->newCandidate());
        QCOMPARE(cleared.count(), 1);
        QVERIFY(m_session->isFree());
        QCOMPARE(m_workspace->drafts()->list().size(), 1);
    }

    // The command line and bulk intake queue through the same session.
    void queue_withoutADraft_sendsEveryRow()
    {
        QList<Submission> rows;
        for (int i = 0; i < 3; ++i) {
            Submission s;
            s.source = u"cli"_s;
            s.candidate = candidate(u"bulk%1"_s.arg(i));
            QVERIFY(IntakeSession::check(&s, m_session->validationOptions()).isEmpty());
            rows.append(s);
        }
        std::optional<QList<Submission>> queued;
        m_session->queue(rows, this,
                         [&queued](const std::optional<QList<Submission>> &result,
                                   const QString &) { queued = result; });
        QTRY_VERIFY_WITH_TIMEOUT(queued.has_value(), kTimeoutMs);
        QCOMPARE(queued->size(), 3);
        for (const Submission &s : *queued)
            QTRY_COMPARE_WITH_TIMEOUT(m_workspace->outbox()->get(s.id)->state,
                                      SubmissionState::Sent, kTimeoutMs);
        QVERIFY(m_workspace->drafts()->list().isEmpty());
    }

    void check_update_judgesOnlyTheChangedFields()
    {
        Submission s;
        s.kind = SubmissionKind::Update;
        s.targetId = 5;
        s.candidate.email = u"not an email"_s; // not being changed: the server keeps its own
        s.candidate.phone = u"12"_s;
        s.changedFields = { CandidateField::Phone };
        const FieldErrors errors = IntakeSession::check(&s, {});
        QCOMPARE(errors.fields(), QStringList { u"phone"_s });
    }

private:
    IntakeSession *newSession()
    {
        IntakeSession *session = m_stack->renewSession();
        session->drafts()->setDelay(0);
        return session;
    }

    static IntakeSession::Note lastNote(const QSignalSpy &spy)
    {
        return spy.isEmpty() ? IntakeSession::Note {}
                             : spy.last().first().value<IntakeSession::Note>();
    }

    Candidate candidate(const QString &tag) const
    {
        Candidate c;
        c.name = u"Asha Rao"_s;
        c.email = uniqueEmail(tag);
        c.phone = u"+91 98765 43210"_s;
        c.resumeFile = m_pdf;
        c.source = u"Referral"_s;
        return c;
    }

    qint64 createOnServer(const Candidate &c)
    {
        const HttpResponse r = m_http.postJson(
            m_sandbox.url(u"candidates/"_s),
            QJsonObject { { u"name"_s, c.name },
                          { u"email"_s, c.email },
                          { u"phone"_s, u"+919876543210"_s },
                          { u"resume_url"_s, u"https://files.example.com/cv.pdf"_s } });
        if (r.status != 201)
            qWarning("create answered %d: %s", r.status, r.body.constData());
        return r.json().value(u"id"_s).toInteger();
    }

    QJsonArray serverCandidates(const QString &email)
    {
        const HttpResponse r = m_http.get(m_sandbox.url(
            u"candidates/?email="_s + QString::fromUtf8(QUrl::toPercentEncoding(email))));
        return r.json().value(u"results"_s).toArray();
    }

    QTemporaryDir m_files;
    SandboxFixture m_sandbox;
    HttpClient m_http;
    QString m_pdf;
    FakeClock m_clock;
    std::unique_ptr<IntakeStack> m_stack;
    Workspace *m_workspace = nullptr; // the stack's
    IntakeSession *m_session = nullptr; // the stack's
};

QTEST_GUILESS_MAIN(TestIntakeSession)
#include "tst_intakesession.moc"
