#include "StoreTestSupport.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/DraftStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

class TestDraftStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    FakeClock m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<DraftStore> m_drafts;

private Q_SLOTS:
    void init()
    {
        m_drafts.reset();
        m_db = std::make_unique<Database>(
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".sqlite"_s),
            &m_clock);
        QString error;
        QVERIFY2(m_db->open(&error), qPrintable(error));
        m_drafts = std::make_unique<DraftStore>(m_db.get(), &m_clock);
    }

    void saveThenLoad_keepsEveryField()
    {
        Draft d;
        d.candidate = sampleCandidate();
        d.candidate.resumeFile = u"/home/recruiter/Downloads/Asha CV.pdf"_s; // as typed
        d.candidate.department = u"Platform"_s;
        d.state.edit.setUpdateTarget(42);
        d.state.edit.touch(CandidateField::Phone);
        d.state.consentGivenAt = u"2026-11-29T10:00:00Z"_s;
        d.state.customRows = { { u"linkedin_url"_s, u"https://linkedin.com/in/asha"_s },
                               { QString(), u"unnamed yet"_s } };
        d.state.queuedSubmission = 7;
        const qint64 id = m_drafts->save(d);
        QVERIFY(id > 0);

        const auto loaded = m_drafts->load(id);
        QVERIFY(loaded);
        QCOMPARE(loaded->id, id);
        QCOMPARE(loaded->candidate, d.candidate);
        QCOMPARE(loaded->state.toJson(), d.state.toJson());
        QCOMPARE(loaded->state.edit.updateTarget(), std::optional<qint64>(42));
        QCOMPARE(loaded->state.customRows, d.state.customRows);
        QCOMPARE(loaded->updatedAt, m_clock.now());
        // A draft copies nothing: the path stays as typed, no outbox folder appears.
        QCOMPARE(loaded->candidate.resumeFile, d.candidate.resumeFile);
        QVERIFY(!QFileInfo::exists(m_dir.filePath(u"outbox-files"_s)));
    }

    void save_withItsId_updatesInPlace()
    {
        Draft d;
        d.candidate = sampleCandidate();
        d.id = m_drafts->save(d);
        m_clock.advance(1500);
        d.candidate.phone = u"+91 80 1234 5678"_s;
        QCOMPARE(m_drafts->save(d), d.id);
        QCOMPARE(m_drafts->list().size(), 1);
        QCOMPARE(m_drafts->load(d.id)->candidate.phone, u"+91 80 1234 5678"_s);
        QCOMPARE(m_drafts->load(d.id)->updatedAt, m_clock.now());
    }

    void list_isNewestFirst()
    {
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            Draft d;
            d.candidate = sampleCandidate(u"Draft %1"_s.arg(i));
            ids << m_drafts->save(d);
            m_clock.advance(1000);
        }
        auto listed = [this] {
            QList<qint64> result;
            for (const Draft &d : m_drafts->list())
                result << d.id;
            return result;
        };
        QCOMPARE(listed(), (QList<qint64> { ids[2], ids[1], ids[0] }));

        // Editing the oldest makes it the newest.
        Draft oldest = *m_drafts->load(ids[0]);
        oldest.candidate.name = u"Edited"_s;
        QCOMPARE(m_drafts->save(oldest), ids[0]);
        QCOMPARE(listed(), (QList<qint64> { ids[0], ids[2], ids[1] }));
    }

    void remove_deletesOnce_andASaveAfterwardIsNotLost()
    {
        Draft d;
        d.candidate = sampleCandidate();
        d.id = m_drafts->save(d);
        QVERIFY(m_drafts->remove(d.id));
        QVERIFY(!m_drafts->remove(d.id));
        QCOMPARE(m_drafts->load(d.id), std::nullopt);
        QVERIFY(m_drafts->list().isEmpty());

        // An autosave that races a remove: the typing comes back as a new draft.
        const qint64 again = m_drafts->save(d);
        QVERIFY(again > 0);
        QVERIFY(again != d.id);
        QCOMPARE(m_drafts->load(again)->candidate, d.candidate);
    }
};

QTEST_GUILESS_MAIN(TestDraftStore)
#include "tst_draftstore.moc"
