#include "settings/Settings.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QMetaEnum>
#include <QPoint>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using cdesk::Settings;
using Key = Settings::Key;

namespace {

constexpr qint64 FiveMiB = qint64(5) * 1024 * 1024;

QByteArray fileContents(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void freshFile_givesDefaults()
    {
        const auto settings = Settings::temporary();
        QCOMPARE(settings->apiUrl(), QUrl());
        QCOMPARE(settings->defaultSource(), u"Manual entry"_s);
        QCOMPARE(settings->recruiterName(), QString());
        QCOMPARE(settings->phoneRegion(), Settings::regionForLocale(QLocale::system()));
        QCOMPARE(settings->concurrency(), 4);
        QCOMPARE(settings->timeoutMs(), 30000);
        QCOMPARE(settings->maxResumeBytes(), FiveMiB);
        QCOMPARE(settings->lastSource(), QString());
        QCOMPARE(settings->sandboxMode(), false);
        // Reading never writes: the file stays empty until something is set.
        QVERIFY(settings->sync());
        QVERIFY(fileContents(settings->fileName()).trimmed().isEmpty());
    }

    void defaults_haveTheTypesTheGettersPromise()
    {
        const auto settings = Settings::temporary();
        QCOMPARE(settings->value(Key::ApiUrl).typeId(), QMetaType::QUrl);
        QCOMPARE(settings->value(Key::Concurrency).typeId(), QMetaType::Int);
        QCOMPARE(settings->value(Key::TimeoutMs).typeId(), QMetaType::Int);
        QCOMPARE(settings->value(Key::MaxResumeBytes).typeId(), QMetaType::LongLong);
        QCOMPARE(settings->value(Key::SandboxMode).typeId(), QMetaType::Bool);
        QCOMPARE(settings->value(Key::PhoneRegion).typeId(), QMetaType::QString);
    }

    void regionForLocale_takesTheTerritory_orFallsBackToIndia_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addColumn<QString>("region");
        QTest::newRow("en_GB") << QLocale(QLocale::English, QLocale::UnitedKingdom) << u"GB"_s;
        QTest::newRow("de_DE") << QLocale(QLocale::German, QLocale::Germany) << u"DE"_s;
        QTest::newRow("hi_IN") << QLocale(QLocale::Hindi, QLocale::India) << u"IN"_s;
        QTest::newRow("C") << QLocale::c() << u"IN"_s;
    }
    void regionForLocale_takesTheTerritory_orFallsBackToIndia()
    {
        QFETCH(QLocale, locale);
        QFETCH(QString, region);
        QCOMPARE(Settings::regionForLocale(locale), region);
    }

    void values_surviveReopeningTheFile()
    {
        const auto settings = Settings::temporary();
        QVERIFY(settings->setApiUrl(QUrl(u"https://ats.example.com/api/v1/"_s)));
        QVERIFY(settings->setDefaultSource(u"LinkedIn"_s));
        QVERIFY(settings->setRecruiterName(u"Rao, Asha"_s));
        QVERIFY(settings->setPhoneRegion(u"gb"_s));
        QVERIFY(settings->setConcurrency(8));
        QVERIFY(settings->setTimeoutMs(45000));
        QVERIFY(settings->setMaxResumeBytes(2 * 1024 * 1024));
        QVERIFY(settings->setLastSource(u"Referral"_s));
        QVERIFY(settings->setSandboxMode(true));
        QVERIFY(settings->sync());

        const Settings reopened(
            std::make_unique<QSettings>(settings->fileName(), QSettings::IniFormat));
        QCOMPARE(reopened.apiUrl(), QUrl(u"https://ats.example.com/api/v1/"_s));
        QCOMPARE(reopened.defaultSource(), u"LinkedIn"_s);
        QCOMPARE(reopened.recruiterName(), u"Rao, Asha"_s);
        QCOMPARE(reopened.phoneRegion(), u"GB"_s);
        QCOMPARE(reopened.concurrency(), 8);
        QCOMPARE(reopened.timeoutMs(), 45000);
        QCOMPARE(reopened.maxResumeBytes(), qint64(2 * 1024 * 1024));
        QCOMPARE(reopened.lastSource(), u"Referral"_s);
        QCOMPARE(reopened.sandboxMode(), true);
    }

    // The file is the recruiter's to read and fix: plain text, names we keep.
    void file_isPlainReadableIni()
    {
        const auto settings = Settings::temporary();
        settings->setApiUrl(QUrl(u"https://ats.example.com/api/v1/"_s));
        settings->setConcurrency(8);
        settings->setSandboxMode(true);
        QVERIFY(settings->sync());
        const QByteArray ini = fileContents(settings->fileName());
        QVERIFY2(ini.contains("[api]\n"), ini.constData());
        QVERIFY2(ini.contains("url=https://ats.example.com/api/v1/\n"), ini.constData());
        QVERIFY2(ini.contains("concurrency=8\n"), ini.constData());
        QVERIFY2(ini.contains("[sandbox]\nenabled=true\n"), ini.constData());
        QVERIFY2(!ini.contains("@Variant"), ini.constData());
    }

    // What a person might type into the file by hand, and what the app uses.
    void handEditedFile_garbageGivesDefault_outOfRangeIsClamped_data()
    {
        QTest::addColumn<QByteArray>("ini");
        QTest::addColumn<Key>("key");
        QTest::addColumn<QVariant>("expected");
        const QVariant noUrl = QUrl();
        QTest::newRow("url: not a url") << "[api]\nurl=not a url\n"_ba << Key::ApiUrl << noUrl;
        QTest::newRow("url: ftp") << "[api]\nurl=ftp://ats.example.com/\n"_ba << Key::ApiUrl
                                  << noUrl;
        QTest::newRow("url: no host") << "[api]\nurl=https://\n"_ba << Key::ApiUrl << noUrl;
        QTest::newRow("url: credentials")
            << "[api]\nurl=https://me:secret@ats.example.com/\n"_ba << Key::ApiUrl << noUrl;
        QTest::newRow("url: good")
            << "[api]\nurl=https://ats.example.com/api/v1/\n"_ba << Key::ApiUrl
            << QVariant(QUrl(u"https://ats.example.com/api/v1/"_s));
        QTest::newRow("concurrency: word")
            << "[api]\nconcurrency=banana\n"_ba << Key::Concurrency << QVariant(4);
        QTest::newRow("concurrency: fraction")
            << "[api]\nconcurrency=2.5\n"_ba << Key::Concurrency << QVariant(4);
        QTest::newRow("concurrency: zero")
            << "[api]\nconcurrency=0\n"_ba << Key::Concurrency << QVariant(4);
        QTest::newRow("concurrency: negative")
            << "[api]\nconcurrency=-3\n"_ba << Key::Concurrency << QVariant(4);
        QTest::newRow("concurrency: too many")
            << "[api]\nconcurrency=100\n"_ba << Key::Concurrency << QVariant(16);
        QTest::newRow("concurrency: spaces")
            << "[api]\nconcurrency= 6 \n"_ba << Key::Concurrency << QVariant(6);
        QTest::newRow("timeout: too short")
            << "[api]\ntimeoutMs=5\n"_ba << Key::TimeoutMs << QVariant(1000);
        QTest::newRow("timeout: too long")
            << "[api]\ntimeoutMs=99999999999\n"_ba << Key::TimeoutMs << QVariant(600000);
        QTest::newRow("timeout: beyond 64 bits") << "[api]\ntimeoutMs=999999999999999999999999\n"_ba
                                                 << Key::TimeoutMs << QVariant(30000);
        QTest::newRow("timeout: empty")
            << "[api]\ntimeoutMs=\n"_ba << Key::TimeoutMs << QVariant(30000);
        QTest::newRow("bytes: word")
            << "[resume]\nmaxBytes=lots\n"_ba << Key::MaxResumeBytes << QVariant(FiveMiB);
        QTest::newRow("bytes: learnt from a 413")
            << "[resume]\nmaxBytes=2097152\n"_ba << Key::MaxResumeBytes
            << QVariant(qint64(2097152));
        QTest::newRow("bytes: tiny") << "[resume]\nmaxBytes=10\n"_ba << Key::MaxResumeBytes
                                     << QVariant(Settings::MinResumeBytes);
        QTest::newRow("region: unknown") << "[recruiter]\nphoneRegion=XX\n"_ba << Key::PhoneRegion
                                         << QVariant(Settings::regionForLocale(QLocale::system()));
        QTest::newRow("region: alpha-3") << "[recruiter]\nphoneRegion=GBR\n"_ba << Key::PhoneRegion
                                         << QVariant(Settings::regionForLocale(QLocale::system()));
        QTest::newRow("region: lower case")
            << "[recruiter]\nphoneRegion=de\n"_ba << Key::PhoneRegion << QVariant(u"DE"_s);
        QTest::newRow("sandbox: word")
            << "[sandbox]\nenabled=banana\n"_ba << Key::SandboxMode << QVariant(false);
        QTest::newRow("sandbox: yes")
            << "[sandbox]\nenabled=yes\n"_ba << Key::SandboxMode << QVariant(true);
        QTest::newRow("sandbox: 0")
            << "[sandbox]\nenabled=0\n"_ba << Key::SandboxMode << QVariant(false);
        QTest::newRow("source: empty") << "[submission]\ndefaultSource=\n"_ba << Key::DefaultSource
                                       << QVariant(u"Manual entry"_s);
        QTest::newRow("source: blank") << "[submission]\ndefaultSource=\"   \"\n"_ba
                                       << Key::DefaultSource << QVariant(u"Manual entry"_s);
        QTest::newRow("name: unquoted comma")
            << "[recruiter]\nname=Rao, Asha\n"_ba << Key::RecruiterName << QVariant(u"Rao, Asha"_s);
        QTest::newRow("file: not an ini at all")
            << "\x01\x02\xff garbage = = =\n[[[\n"_ba << Key::Concurrency << QVariant(4);
    }
    void handEditedFile_garbageGivesDefault_outOfRangeIsClamped()
    {
        QFETCH(QByteArray, ini);
        QFETCH(Key, key);
        QFETCH(QVariant, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"hand-edited.ini"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ini);
        file.close();

        const Settings settings(std::make_unique<QSettings>(path, QSettings::IniFormat));
        QCOMPARE(settings.value(key), expected);
    }

    // Another program (or an older us) may have stored a value of another type.
    void valueOfAnotherType_givesDefault()
    {
        const auto settings = Settings::temporary();
        {
            QSettings raw(settings->fileName(), QSettings::IniFormat);
            raw.setValue(Settings::name(Key::RecruiterName), QPoint(1, 2));
            raw.setValue(Settings::name(Key::Concurrency), QPoint(3, 4));
            raw.setValue(Settings::name(Key::ApiUrl), QStringList { u"a"_s, u"b"_s });
        }
        const Settings reread(
            std::make_unique<QSettings>(settings->fileName(), QSettings::IniFormat));
        QCOMPARE(reread.recruiterName(), QString());
        QCOMPARE(reread.concurrency(), 4);
        QCOMPARE(reread.apiUrl(), QUrl());
    }

    void setters_clampNumbers_andRefuseWhatCannotBeUsed()
    {
        const auto settings = Settings::temporary();
        QVERIFY(settings->setConcurrency(99));
        QCOMPARE(settings->concurrency(), Settings::MaxConcurrency);
        QVERIFY(settings->setTimeoutMs(10));
        QCOMPARE(settings->timeoutMs(), Settings::MinTimeoutMs);

        QVERIFY(settings->setApiUrl(QUrl(u"https://ats.example.com/api/v1/"_s)));
        QVERIFY(!settings->setApiUrl(QUrl(u"ftp://ats.example.com/"_s)));
        QVERIFY(!settings->setApiUrl(QUrl(u"https://me:t0k3n@ats.example.com/"_s)));
        QVERIFY(!settings->setConcurrency(0));
        QVERIFY(!settings->setPhoneRegion(u"ZZ"_s));
        QVERIFY(!settings->setDefaultSource(u"  "_s));
        QVERIFY(!settings->setValue(Key::SandboxMode, u"perhaps"_s));
        // Refused values leave the last good one in place.
        QCOMPARE(settings->apiUrl(), QUrl(u"https://ats.example.com/api/v1/"_s));
        QCOMPARE(settings->concurrency(), Settings::MaxConcurrency);
        QVERIFY(settings->sync());
        QVERIFY(!fileContents(settings->fileName()).contains("t0k3n"));
    }

    void reset_bringsTheDefaultBack()
    {
        const auto settings = Settings::temporary();
        settings->setConcurrency(9);
        QVERIFY(settings->isStored(Key::Concurrency));
        settings->reset(Key::Concurrency);
        QVERIFY(!settings->isStored(Key::Concurrency));
        QCOMPARE(settings->concurrency(), 4);
    }

    void temporaryInstances_areIsolated_andCleanedUp()
    {
        auto first = Settings::temporary();
        const auto second = Settings::temporary();
        QVERIFY(first->fileName() != second->fileName());
        first->setRecruiterName(u"Asha"_s);
        QVERIFY(first->sync());
        QCOMPARE(second->recruiterName(), QString());

        const QString folder = QFileInfo(first->fileName()).absolutePath();
        QVERIFY(QFileInfo::exists(first->fileName()));
        first.reset();
        QVERIFY(!QFileInfo::exists(folder));
    }

    void temporary_neverTouchesTheUsersSettings()
    {
        const auto settings = Settings::temporary();
        const auto user = Settings::openDefault();
        QVERIFY(settings->fileName() != user->fileName());
        QVERIFY(!settings->fileName().startsWith(
            QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)));
    }

    void openDefault_isAnIniFileInTheConfigFolder()
    {
        const auto settings = Settings::openDefault();
        QVERIFY2(settings->fileName().endsWith(u".ini"_s), qPrintable(settings->fileName()));
        QVERIFY2(settings->fileName().startsWith(
                     QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)),
                 qPrintable(settings->fileName()));
    }

    void changed_isEmittedOnlyWhenTheUsedValueChanges()
    {
        const auto settings = Settings::temporary();
        QSignalSpy spy(settings.get(), &Settings::changed);

        QVERIFY(settings->setTimeoutMs(5000));
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).value<Key>(), Key::TimeoutMs);

        QVERIFY(settings->setTimeoutMs(5000)); // same value
        QCOMPARE(spy.size(), 1);

        QVERIFY(settings->setConcurrency(16));
        QVERIFY(settings->setConcurrency(40)); // clamps to what it already is
        QCOMPARE(spy.size(), 2);
        QCOMPARE(spy.at(1).at(0).value<Key>(), Key::Concurrency);

        QVERIFY(!settings->setPhoneRegion(u"ZZ"_s)); // refused: nothing changed
        QCOMPARE(spy.size(), 2);

        settings->reset(Key::TimeoutMs);
        QCOMPARE(spy.size(), 3);
        QCOMPARE(spy.at(2).at(0).value<Key>(), Key::TimeoutMs);
        settings->reset(Key::TimeoutMs); // already the default
        QCOMPARE(spy.size(), 3);
    }

    // The token belongs to TokenStore and the keychain: no key could hold it.
    void noKey_holdsTheToken()
    {
        const QMetaEnum keys = QMetaEnum::fromType<Key>();
        for (int i = 0; i < keys.keyCount(); ++i) {
            const auto key = Key(keys.value(i));
            QVERIFY(!QByteArray(keys.key(i)).toLower().contains("token"));
            QVERIFY(!Settings::name(key).contains(u"token"_s, Qt::CaseInsensitive));
            QVERIFY(!Settings::name(key).contains(u"password"_s, Qt::CaseInsensitive));
        }
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
