// The workspace's store status: a write that fails sets it (with why), and
// it clears by itself once writes work again, even when nothing else writes.
#include "StoreTestSupport.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/DraftStore.h"
#include "store/StoreStatus.h"
#include "store/Workspace.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

class TestWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void busyDatabase_setsTheStatus_andItClearsOnceWritesWorkAgain()
    {
        QTemporaryDir dir;
        FakeClock clock;
        Workspace w(dir.path(), &clock);
        QString error;
        QVERIFY2(w.open(&error), qPrintable(error));
        w.database()->setBusyTimeout(20);
        w.status()->setProbeInterval(20);
        QSignalSpy changed(w.status(), &StoreStatus::changed);

        // Another program holds the write lock.
        Database other(dir.filePath(u"candidate-desk.sqlite"_s), &clock);
        QVERIFY2(other.open(&error), qPrintable(error));
        QVERIFY(other.beginWrite(&error));
        Draft draft;
        draft.candidate = sampleCandidate();
        QCOMPARE(w.drafts()->save(draft, &error), 0);
        QVERIFY(w.status()->isFailing());
        QVERIFY2(w.status()->problem().contains(u"another program"_s),
                 qPrintable(w.status()->problem()));

        // It lets go; nothing else writes, and still the status clears.
        other.rollback();
        QTRY_VERIFY(!w.status()->isFailing());
        QCOMPARE(changed.count(), 2);
    }

    // A transaction that only read (an outbox look that claimed nothing)
    // commits even when nothing could be written: it proves nothing.
    void commitThatOnlyRead_doesNotClearTheStatus()
    {
        QTemporaryDir dir;
        FakeClock clock;
        Workspace w(dir.path(), &clock);
        QString error;
        QVERIFY2(w.open(&error), qPrintable(error));
        w.status()->setProbeInterval(0);
        w.status()->reportFailure(u"The disk is full."_s);
        QVERIFY(w.database()->beginWrite(&error));
        QVERIFY(w.database()->exec(u"SELECT count(*) FROM submissions"_s, u"read"_s, &error));
        QVERIFY(w.database()->commit(&error));
        QVERIFY(w.status()->isFailing());
        QVERIFY(w.database()->probeWrite());
        QVERIFY(!w.status()->isFailing());
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
