// Drafts are kept as the recruiter types: debounced saves, an immediate save
// on flush and on destruction, and a failed save that keeps the text pending.
#include "core/Clock.h"
#include "intake/DraftKeeper.h"
#include "store/Database.h"
#include "store/DraftStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

class TestDraftKeeper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_db = std::make_unique<Database>(m_dir->filePath(u"drafts.sqlite"_s), &m_clock);
        QString error;
        QVERIFY2(m_db->open(&error), qPrintable(error));
        m_store = std::make_unique<DraftStore>(m_db.get(), &m_clock);
    }

    void manyQuickEdits_areSavedOnce_withTheLastText()
    {
        DraftKeeper keeper(m_store.get());
        keeper.setDelay(20);
        QSignalSpy saved(&keeper, &DraftKeeper::saved);
        for (const QString &typed : { u"A"_s, u"As"_s, u"Ash"_s, u"Asha"_s })
            keeper.edited(candidate(typed), {});
        QTRY_COMPARE(saved.count(), 1);
        const auto drafts = m_store->list();
        QCOMPARE(drafts.size(), 1);
        QCOMPARE(drafts.first().candidate.name, u"Asha"_s);
        QCOMPARE(keeper.currentId(), drafts.first().id);
        QVERIFY(!keeper.hasUnsavedChanges());
    }

    // A save that fails (a full disk, a database another program holds) is
    // tried again by itself: the draft reaches the disk once that works,
    // even if the recruiter never types again.
    void failedSave_isRetriedByItself_untilItWorks()
    {
        bool broken = true;
        m_db->setFaultInjector([&broken](const QString &) { return broken; });
        DraftKeeper keeper(m_store.get());
        keeper.setRetryInterval(20);
        QSignalSpy failed(&keeper, &DraftKeeper::saveFailed);
        QSignalSpy saved(&keeper, &DraftKeeper::saved);
        keeper.edited(candidate(u"Meera Iyer"_s), {});
        QVERIFY(!keeper.flush());
        QCOMPARE(failed.count(), 1);
        QVERIFY(keeper.hasUnsavedChanges());
        QTRY_VERIFY(failed.count() >= 2); // it keeps trying, and keeps saying so

        broken = false;
        QTRY_COMPARE(saved.count(), 1);
        QVERIFY(!keeper.hasUnsavedChanges());
        QCOMPARE(m_store->list().constFirst().candidate.name, u"Meera Iyer"_s);
    }

    void laterEdits_updateTheSameDraft()
    {
        DraftKeeper keeper(m_store.get());
        DraftState state;
        state.consentGivenAt = u"2026-11-29T10:00:00Z"_s;
        keeper.edited(candidate(u"Ravi"_s), state);
        QVERIFY(keeper.flush());
        keeper.edited(candidate(u"Ravi Kumar"_s), state);
        QVERIFY(keeper.flush());
        const auto drafts = m_store->list();
        QCOMPARE(drafts.size(), 1);
        QCOMPARE(drafts.first().candidate.name, u"Ravi Kumar"_s);
        QCOMPARE(drafts.first().state.consentGivenAt, u"2026-11-29T10:00:00Z"_s);
    }

    void destroyedBeforeTheDelay_stillSaves()
    {
        {
            DraftKeeper keeper(m_store.get());
            keeper.setDelay(60000);
            keeper.edited(candidate(u"Meera"_s), {});
        }
        QCOMPARE(m_store->list().size(), 1);
        QCOMPARE(m_store->list().first().candidate.name, u"Meera"_s);
    }

    void switchingDrafts_savesTheOneBeingLeft()
    {
        DraftKeeper keeper(m_store.get());
        keeper.setDelay(60000);
        keeper.edited(candidate(u"First"_s), {});
        keeper.setCurrentId(0); // "New candidate"
        keeper.edited(candidate(u"Second"_s), {});
        QVERIFY(keeper.flush());
        QCOMPARE(m_store->list().size(), 2);
    }

    void discardCurrent_removesIt()
    {
        DraftKeeper keeper(m_store.get());
        keeper.edited(candidate(u"Sent already"_s), {});
        QVERIFY(keeper.flush());
        keeper.discardCurrent();
        QCOMPARE(m_store->list().size(), 0);
        QCOMPARE(keeper.currentId(), 0);
    }

    void failedSave_isReported_andStaysPending()
    {
        DraftKeeper keeper(m_store.get());
        QSignalSpy failed(&keeper, &DraftKeeper::saveFailed);
        keeper.edited(candidate(u"Kabir"_s), {});
        m_db->close(); // as if the disk went away
        QVERIFY(!keeper.flush());
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains(u"stays in the form"_s));
        QVERIFY(keeper.hasUnsavedChanges());
        QString error;
        QVERIFY(m_db->open(&error));
        QVERIFY(keeper.flush());
        QCOMPARE(m_store->list().first().candidate.name, u"Kabir"_s);
    }

private:
    static Candidate candidate(const QString &name)
    {
        Candidate c;
        c.name = name;
        c.email = u"draft@example.com"_s;
        return c;
    }

    FakeClock m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<DraftStore> m_store;
};

QTEST_GUILESS_MAIN(TestDraftKeeper)
#include "tst_draftkeeper.moc"
