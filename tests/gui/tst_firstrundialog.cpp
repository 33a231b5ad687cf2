#include "FirstRunDialog.h"

#include <QCommandLinkButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using cdesk::FirstRunDialog;

class TestFirstRunDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void offersBothChoices_andSaysTheSandboxIsSafe()
    {
        FirstRunDialog dialog;
        dialog.open();
        auto *sandbox = dialog.findChild<QCommandLinkButton *>(u"trySandbox"_s);
        auto *connect = dialog.findChild<QCommandLinkButton *>(u"connectAccount"_s);
        QVERIFY(sandbox && connect);
        QCOMPARE(sandbox->text(), u"Try the sandbox"_s);
        QCOMPARE(connect->text(), u"Connect to your PyjamaHR account"_s);
        QVERIFY2(sandbox->description().contains(u"Nothing you enter reaches a real ATS"_s),
                 qPrintable(sandbox->description()));
        QVERIFY(sandbox->isVisible() && connect->isVisible());
    }

    void trySandbox_emitsSandboxChosen_andCloses()
    {
        FirstRunDialog dialog;
        QSignalSpy sandboxChosen(&dialog, &FirstRunDialog::sandboxChosen);
        QSignalSpy connectChosen(&dialog, &FirstRunDialog::connectChosen);
        QSignalSpy finished(&dialog, &QDialog::finished);
        dialog.open();
        QTest::mouseClick(dialog.findChild<QCommandLinkButton *>(u"trySandbox"_s), Qt::LeftButton);
        QCOMPARE(sandboxChosen.count(), 1);
        QCOMPARE(connectChosen.count(), 0);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().toInt(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
    }

    void connectAccount_emitsConnectChosen_andCloses()
    {
        FirstRunDialog dialog;
        QSignalSpy sandboxChosen(&dialog, &FirstRunDialog::sandboxChosen);
        QSignalSpy connectChosen(&dialog, &FirstRunDialog::connectChosen);
        dialog.show();
        QTest::mouseClick(dialog.findChild<QCommandLinkButton *>(u"connectAccount"_s),
                          Qt::LeftButton);
        QCOMPARE(connectChosen.count(), 1);
        QCOMPARE(sandboxChosen.count(), 0);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());
    }

    void escape_choosesNothing()
    {
        FirstRunDialog dialog;
        QSignalSpy sandboxChosen(&dialog, &FirstRunDialog::sandboxChosen);
        QSignalSpy connectChosen(&dialog, &FirstRunDialog::connectChosen);
        QSignalSpy rejected(&dialog, &QDialog::rejected);
        dialog.open();
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(sandboxChosen.count() + connectChosen.count(), 0);
    }

    void enter_choosesNothing()
    {
        // Neither choice is a default the recruiter could take by accident.
        FirstRunDialog dialog;
        QSignalSpy sandboxChosen(&dialog, &FirstRunDialog::sandboxChosen);
        QSignalSpy connectChosen(&dialog, &FirstRunDialog::connectChosen);
        dialog.open();
        QTest::keyClick(&dialog, Qt::Key_Return);
        QCOMPARE(sandboxChosen.count() + connectChosen.count(), 0);
        QVERIFY(dialog.isVisible());
    }
};

QTEST_MAIN(TestFirstRunDialog)
#include "tst_firstrundialog.moc"
