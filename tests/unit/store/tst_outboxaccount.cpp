// A submission goes only to the account (API host) it was queued for: a
// change of address, or the command line pointed elsewhere, never sends
// what waits to another ATS.
#include "core/Clock.h"
#include "store/Database.h"
#include "store/Outbox.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace cdesk;

class TestOutboxAccount : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsOfAnotherAccount_areNeitherClaimedNorCounted()
    {
        QTemporaryDir dir;
        FakeClock clock;
        Database db(dir.filePath(u"o.sqlite"_s), &clock);
        QString error;
        QVERIFY2(db.open(&error), qPrintable(error));
        Outbox outbox(&db, dir.path(), &clock);

        QCOMPARE(Outbox::accountFor(QUrl(u"https://ATS.example.com/api/v1"_s)),
                 u"ats.example.com"_s);
        QCOMPARE(Outbox::accountFor(QUrl(u"http://127.0.0.1:8000/api/v1"_s)), u"127.0.0.1:8000"_s);

        auto enqueue = [&](const QString &email) {
            Submission s;
            s.candidate.name = u"Asha Rao"_s;
            s.candidate.email = email;
            s.candidate.phone = u"+919876543210"_s;
            s.candidate.resumeUrl = QUrl(u"https://files.example.com/a.pdf"_s);
            const auto row = outbox.enqueue(s, &error);
            return row ? row->id : 0;
        };
        outbox.setAccount(u"ats-a.example.com"_s);
        const qint64 forA = enqueue(u"a@example.com"_s);
        outbox.setAccount(QString());
        const qint64 forAny = enqueue(u"any@example.com"_s); // made before accounts were kept
        QVERIFY(forA > 0 && forAny > 0);

        outbox.setAccount(u"ats-b.example.com"_s);
        QCOMPARE(outbox.pendingCount(), 1);
        QList<Submission> claimed = outbox.claimDue(10);
        QCOMPARE(claimed.size(), 1);
        QCOMPARE(claimed.first().id, forAny);

        outbox.setAccount(u"ats-a.example.com"_s);
        QCOMPARE(outbox.pendingCount(), 2); // its own, and the one in flight without an account
        claimed = outbox.claimDue(10);
        QCOMPARE(claimed.size(), 1);
        QCOMPARE(claimed.first().id, forA);
    }
};

QTEST_GUILESS_MAIN(TestOutboxAccount)
#include "tst_outboxaccount.moc"
