#include "Dialogs.h"
#include "SandboxFixture.h"
#include "SettingsDialog.h"
#include "api/ApiResult.h"
#include "settings/MemoryBackend.h"
#include "settings/Settings.h"
#include "settings/TokenStore.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Qt::StringLiterals;
using cdesk::ApiError;
using cdesk::ApiResult;
using cdesk::Settings;
using cdesk::SettingsDialog;
using cdesk::TokenStore;

namespace {

// Counts what would go on the wire, so a test can prove that a refusal
// happened before anything was sent.
class CountingNetwork : public QNetworkAccessManager
{
public:
    int requests = 0;

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override
    {
        ++requests;
        return QNetworkAccessManager::createRequest(op, request, outgoingData);
    }
};

// A machine without a Secret Service, as QtKeychain 0.13.2 reports it.
class UnavailableKeychain final : public cdesk::TokenBackend
{
public:
    void read(const QString &, Done done) override { done(unavailable()); }
    void write(const QString &, const QByteArray &, Done done) override { done(unavailable()); }
    void remove(const QString &, Done done) override { done(unavailable()); }

private:
    static Result unavailable() { return { Status::Unavailable, {}, u"no Secret Service"_s }; }
};

// Everything a dialog needs, private to one test: temporary settings, a token
// store over memory (never the machine's keychain or CANDIDATE_DESK_TOKEN)
// and a manager that counts requests.
struct Harness
{
    explicit Harness(const QUrl &apiUrl = {},
                     std::unique_ptr<cdesk::TokenBackend> keychain
                     = std::make_unique<cdesk::MemoryBackend>(),
                     QByteArray environmentToken = {})
        : settings(Settings::temporary())
        , tokens(apiUrl, std::move(keychain),
                 [environmentToken](const char *) { return environmentToken; })
    {
        if (!apiUrl.isEmpty())
            settings->setApiUrl(apiUrl);
    }

    // Puts a token in the store before the dialog exists, as an earlier session would.
    bool storeToken(const QByteArray &token)
    {
        QSignalSpy stored(&tokens, &TokenStore::stored);
        tokens.store(token);
        return stored.wait(5000);
    }

    QByteArray loadToken()
    {
        QSignalSpy loaded(&tokens, &TokenStore::loaded);
        tokens.load();
        if (!loaded.wait(5000))
            return "<no answer>";
        return loaded.first().first().toByteArray();
    }

    SettingsDialog *open()
    {
        dialog = std::make_unique<SettingsDialog>(settings.get(), &tokens, &network);
        dialog->open();
        return dialog.get();
    }

    std::unique_ptr<Settings> settings;
    TokenStore tokens;
    CountingNetwork network;
    std::unique_ptr<SettingsDialog> dialog;
};

template<typename T> T *child(QWidget *dialog, const QString &name)
{
    T *widget = dialog->findChild<T *>(name);
    if (!widget)
        qFatal("no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return widget;
}

QLineEdit *urlEdit(QWidget *d)
{
    return child<QLineEdit>(d, u"apiUrlEdit"_s);
}
QLineEdit *tokenEdit(QWidget *d)
{
    return child<QLineEdit>(d, u"tokenEdit"_s);
}
QLabel *resultLabel(QWidget *d)
{
    return child<QLabel>(d, u"connectionResult"_s);
}

void retype(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

QPushButton *button(QWidget *d, QDialogButtonBox::StandardButton which)
{
    return child<QDialogButtonBox>(d, QString())->button(which);
}

} // namespace

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private:
    // Types what the recruiter would, clicks "Test connection" and waits for
    // the sentence. Checks on the way that the token shows up nowhere.
    QString testWith(Harness &h, const QUrl &url, const QByteArray &token)
    {
        SettingsDialog *d = h.dialog ? h.dialog.get() : h.open();
        retype(urlEdit(d), url.toString());
        if (!token.isEmpty())
            retype(tokenEdit(d), QString::fromLatin1(token));
        return clickTest(d);
    }

    static QString clickTest(SettingsDialog *d)
    {
        QSignalSpy tested(d, &SettingsDialog::connectionTested);
        QTest::mouseClick(child<QPushButton>(d, u"testConnection"_s), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return tested.count() > 0; }, 20000))
            return u"<no outcome>"_s;
        return resultLabel(d)->text();
    }

    // No label, tooltip, placeholder or title of the dialog may hold the token.
    static bool tokenShown(QWidget *d, const QByteArray &token)
    {
        const QString text = QString::fromLatin1(token);
        auto has = [&text](const QString &s) {
            return s.contains(text);
        };
        if (has(d->windowTitle()))
            return true;
        const auto widgets = d->findChildren<QWidget *>();
        for (const QWidget *w : widgets) {
            if (has(w->toolTip()))
                return true;
            if (auto *label = qobject_cast<const QLabel *>(w); label && has(label->text()))
                return true;
            if (auto *edit = qobject_cast<const QLineEdit *>(w);
                edit && has(edit->placeholderText()))
                return true;
        }
        return false;
    }

    cdesk::test::SandboxFixture m_sandbox;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    }

    void init()
    {
        m_sandbox.setFaults({});
        cdesk::Dialogs::reset();
    }

    // ---- Test connection against the sandbox ------------------------------

    void rightToken_connects_andCountsOpenJobs()
    {
        Harness h;
        const QString outcome = testWith(h, m_sandbox.baseUrl(), m_sandbox.token());
        // The default seed has nine open jobs among its twelve.
        QCOMPARE(outcome, u"Connected: 9 open jobs"_s);
        QCOMPARE(resultLabel(h.dialog.get())->property("outcome").toString(), u"ok"_s);
        QVERIFY(!tokenShown(h.dialog.get(), m_sandbox.token()));
        // Testing saves nothing.
        QVERIFY(!h.settings->isStored(Settings::Key::ApiUrl));
        QCOMPARE(h.loadToken(), QByteArray());
    }

    void wrongToken_saysTheTokenWasRefused()
    {
        Harness h;
        const QByteArray wrong = "0123456789abcdef0123456789abcdef01234567";
        QCOMPARE(testWith(h, m_sandbox.baseUrl(), wrong),
                 u"The token was refused. Copy it again from your ATS's API settings."_s);
        QCOMPARE(resultLabel(h.dialog.get())->property("outcome").toString(), u"error"_s);
        QVERIFY(!tokenShown(h.dialog.get(), wrong));
    }

    void refusedTokenAs403_isTheSameSentence()
    {
        // Some DRF setups answer a bad token with 403 "Invalid token.".
        cdesk::sandbox::Faults faults;
        faults.authFailureStatus = 403;
        m_sandbox.setFaults(faults);
        Harness h;
        QCOMPARE(testWith(h, m_sandbox.baseUrl(), "not-the-token-at-all-0000"),
                 u"The token was refused. Copy it again from your ATS's API settings."_s);
    }

    void readOnlyToken_mayListJobs()
    {
        Harness h;
        QCOMPARE(testWith(h, m_sandbox.baseUrl(), m_sandbox.readOnlyToken()),
                 u"Connected: 9 open jobs"_s);
        QVERIFY(!tokenShown(h.dialog.get(), m_sandbox.readOnlyToken()));
    }

    void storedToken_isUsedWhenTheFieldIsLeftEmpty()
    {
        Harness h(m_sandbox.baseUrl());
        QVERIFY(h.storeToken(m_sandbox.token()));
        SettingsDialog *d = h.open();
        QTRY_COMPARE(tokenEdit(d)->placeholderText(), u"a token is stored"_s);
        QVERIFY(tokenEdit(d)->text().isEmpty());
        QCOMPARE(tokenEdit(d)->echoMode(), QLineEdit::Password);
        QCOMPARE(urlEdit(d)->text(), m_sandbox.baseUrl().toString());
        QCOMPARE(clickTest(d), u"Connected: 9 open jobs"_s);
        QVERIFY(!tokenShown(d, m_sandbox.token()));
    }

    void storedToken_isNeverSentToAnotherServer()
    {
        Harness h(m_sandbox.baseUrl());
        QVERIFY(h.storeToken(m_sandbox.token()));
        SettingsDialog *d = h.open();
        QTRY_COMPARE(tokenEdit(d)->placeholderText(), u"a token is stored"_s);
        QUrl other = m_sandbox.baseUrl();
        other.setPort(m_sandbox.port() == 65535 ? 65534 : m_sandbox.port() + 1);
        retype(urlEdit(d), other.toString());
        QCOMPARE(tokenEdit(d)->placeholderText(), u"type the token for this server"_s);
        QCOMPARE(clickTest(d),
                 u"Paste the API token first: copy it from your ATS's API settings."_s);
        QCOMPARE(h.network.requests, 0);
    }

    void closedPort_saysTheServerCannotBeReached()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now
        Harness h;
        const QUrl url(u"http://127.0.0.1:%1/api/v1"_s.arg(port));
        QCOMPARE(testWith(h, url, m_sandbox.token()),
                 u"Cannot reach 127.0.0.1:%1. Check the address and your connection."_s.arg(port));
        QVERIFY(!tokenShown(h.dialog.get(), m_sandbox.token()));
    }

    void slowServer_saysNoAnswerWithinTheTimeout()
    {
        cdesk::sandbox::Faults faults;
        faults.latencyMs = 5000;
        m_sandbox.setFaults(faults);
        Harness h;
        QVERIFY(h.settings->setTimeoutMs(1000));
        QCOMPARE(testWith(h, m_sandbox.baseUrl(), m_sandbox.token()),
                 u"No answer within 1 second. Check the address and your connection."_s);
    }

    void httpsToAPlainServer_saysTheSecureConnectionFailed()
    {
        Harness h;
        QUrl url = m_sandbox.baseUrl();
        url.setScheme(u"https"_s);
        const QString outcome = testWith(h, url, m_sandbox.token());
        QVERIFY2(outcome.startsWith(
                     u"The secure connection to 127.0.0.1:%1 failed"_s.arg(m_sandbox.port())),
                 qPrintable(outcome));
    }

    void wrongPath_saysThereIsNoApiThere()
    {
        Harness h;
        const QString outcome
            = testWith(h, m_sandbox.originUrl(u"not-the-api"_s), m_sandbox.token());
        QVERIFY2(outcome.contains(u"there is no Candidate API at this address (HTTP 404)"_s),
                 qPrintable(outcome));
        QVERIFY(!tokenShown(h.dialog.get(), m_sandbox.token()));
    }

    void redirect_isNotFollowed()
    {
        cdesk::sandbox::Faults faults;
        faults.redirectTo = QUrl(u"http://elsewhere.invalid"_s);
        m_sandbox.setFaults(faults);
        Harness h;
        const QString outcome = testWith(h, m_sandbox.baseUrl(), m_sandbox.token());
        QVERIFY2(outcome.contains(u"on to elsewhere.invalid"_s), qPrintable(outcome));
        QVERIFY2(outcome.contains(u"not followed, so your token stays safe"_s),
                 qPrintable(outcome));
        QCOMPARE(h.network.requests, 1);
    }

    void plainHttpToRemoteHost_isRefusedBeforeSending()
    {
        Harness h;
        SettingsDialog *d = h.open();
        retype(urlEdit(d), u"http://ats.example.com/api/v1"_s);
        auto *problem = child<QLabel>(d, u"apiUrlProblem"_s);
        QVERIFY(problem->isVisible());
        QVERIFY2(problem->text().contains(u"plain http"_s), qPrintable(problem->text()));
        QVERIFY(!button(d, QDialogButtonBox::Ok)->isEnabled());
        retype(tokenEdit(d), QString::fromLatin1(m_sandbox.token()));
        QCOMPARE(clickTest(d), problem->text());
        QCOMPARE(h.network.requests, 0);
        // OK cannot save it either, even when forced.
        d->accept();
        QVERIFY(d->isVisible());
        QVERIFY(!h.settings->isStored(Settings::Key::ApiUrl));
    }

    void loopbackHttp_isAllowed()
    {
        Harness h;
        SettingsDialog *d = h.open();
        retype(urlEdit(d), u"http://localhost:8000/api/v1"_s);
        QVERIFY(!child<QLabel>(d, u"apiUrlProblem"_s)->isVisible());
        QVERIFY(button(d, QDialogButtonBox::Ok)->isEnabled());
    }

    void addressProblems_areExplainedInline_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("expected"); // a part of the sentence; empty: no problem
        QTest::newRow("https") << u"https://ats.example.com/api/v1"_s << QString();
        QTest::newRow("no scheme") << u"ats.example.com/api/v1"_s << u"https://"_s;
        QTest::newRow("user info")
            << u"https://me:secret@ats.example.com/api/v1"_s << u"user name and password"_s;
        QTest::newRow("ftp") << u"ftp://ats.example.com/"_s << u"must start with https://"_s;
        QTest::newRow("no host") << u"https:///api/v1"_s << u"not a valid URL"_s;
    }

    void addressProblems_areExplainedInline()
    {
        QFETCH(QString, typed);
        QFETCH(QString, expected);
        Harness h;
        SettingsDialog *d = h.open();
        retype(urlEdit(d), typed);
        auto *problem = child<QLabel>(d, u"apiUrlProblem"_s);
        if (expected.isEmpty()) {
            QVERIFY2(problem->isHidden(), qPrintable(problem->text()));
            QVERIFY(button(d, QDialogButtonBox::Ok)->isEnabled());
        } else {
            QVERIFY(problem->isVisible());
            QVERIFY2(problem->text().contains(expected), qPrintable(problem->text()));
            QVERIFY(!button(d, QDialogButtonBox::Ok)->isEnabled());
        }
    }

    void editingAfterATest_clearsTheOutcome()
    {
        Harness h;
        testWith(h, m_sandbox.baseUrl(), m_sandbox.token());
        QVERIFY(!resultLabel(h.dialog.get())->text().isEmpty());
        QTest::keyClick(urlEdit(h.dialog.get()), Qt::Key_Backspace);
        QVERIFY(resultLabel(h.dialog.get())->text().isEmpty());
    }

    void outcomes_areExplainedInPlainWords_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("expected");
        QTest::newRow("403") << int(ApiError::NotAllowed) << 403 << u"may not list jobs"_s;
        QTest::newRow("timeout 30 s")
            << int(ApiError::Timeout) << 0
            << u"No answer within 30 seconds. Check the address and your connection."_s;
        QTest::newRow("tls") << int(ApiError::Tls) << 0
                             << u"The secure connection to ats.example.com failed"_s;
        QTest::newRow("503") << int(ApiError::ServerError) << 503 << u"unavailable right now"_s;
        QTest::newRow("500") << int(ApiError::ServerError) << 500 << u"had a problem (HTTP 500)"_s;
        QTest::newRow("405") << int(ApiError::ServerError) << 405
                             << u"refused the request (HTTP 405)"_s;
        QTest::newRow("429") << int(ApiError::Throttled) << 429 << u"asked to slow down"_s;
        QTest::newRow("not json") << int(ApiError::BadResponse) << 200
                                  << u"not as the Candidate API does"_s;
        QTest::newRow("network") << int(ApiError::Network) << 0
                                 << u"Cannot reach ats.example.com."_s;
    }

    void outcomes_areExplainedInPlainWords()
    {
        QFETCH(int, error);
        QFETCH(int, status);
        QFETCH(QString, expected);
        ApiResult result;
        result.error = ApiError(error);
        result.httpStatus = status;
        result.message = u"a message written for submissions"_s;
        const QString text
            = describeConnectionTest(result, QUrl(u"https://ats.example.com/api/v1"_s), 30000);
        QVERIFY2(text.contains(expected), qPrintable(text));
        QVERIFY(!text.contains(u"a message written for submissions"_s));
    }

    void oneOpenJob_isSingular()
    {
        ApiResult result;
        result.jobs.append(cdesk::Job());
        QCOMPARE(describeConnectionTest(result, QUrl(u"https://a.example"_s), 30000),
                 u"Connected: 1 open job"_s);
    }

    // ---- the token field and where the token is kept ----------------------

    void showToggle_revealsOnlyWhatWasTyped()
    {
        Harness h(m_sandbox.baseUrl());
        QVERIFY(h.storeToken(m_sandbox.token()));
        SettingsDialog *d = h.open();
        QTRY_COMPARE(tokenEdit(d)->placeholderText(), u"a token is stored"_s);
        auto *show = child<QToolButton>(d, u"showToken"_s);
        QTest::mouseClick(show, Qt::LeftButton);
        QCOMPARE(tokenEdit(d)->echoMode(), QLineEdit::Normal);
        QVERIFY(tokenEdit(d)->text().isEmpty()); // the stored token never comes back
        QVERIFY(!tokenShown(d, m_sandbox.token()));
        QTest::keyClicks(tokenEdit(d), u"typed-by-me"_s);
        QCOMPARE(tokenEdit(d)->displayText(), u"typed-by-me"_s);
        QTest::mouseClick(show, Qt::LeftButton);
        QCOMPARE(tokenEdit(d)->echoMode(), QLineEdit::Password);
        QVERIFY(!tokenEdit(d)->displayText().contains(u"typed"_s));
    }

    void tokenLocation_saysKeychain()
    {
        Harness h;
        SettingsDialog *d = h.open();
        auto *location = child<QLabel>(d, u"tokenLocation"_s);
        QTRY_COMPARE(tokenEdit(d)->placeholderText(),
                     u"paste the token from your ATS's API settings"_s);
        QVERIFY2(location->text().contains(u"system keychain"_s), qPrintable(location->text()));
        QVERIFY(!location->property("warning").toBool());
    }

    void tokenLocation_warnsWhenMemoryOnly()
    {
        Harness h({}, std::make_unique<UnavailableKeychain>());
        SettingsDialog *d = h.open();
        auto *location = child<QLabel>(d, u"tokenLocation"_s);
        // Known once the keychain has failed its first job.
        QTRY_VERIFY(location->property("warning").toBool());
        QVERIFY2(location->text().startsWith(u"Warning:"_s), qPrintable(location->text()));
        QVERIFY2(location->text().contains(u"memory"_s), qPrintable(location->text()));
        QVERIFY2(location->text().contains(u"no Secret Service"_s), qPrintable(location->text()));
    }

    void tokenLocation_namesTheEnvironmentVariable()
    {
        Harness h({}, std::make_unique<cdesk::MemoryBackend>(), "from-the-environment-0123456789");
        SettingsDialog *d = h.open();
        auto *location = child<QLabel>(d, u"tokenLocation"_s);
        QVERIFY2(location->text().contains(u"CANDIDATE_DESK_TOKEN"_s),
                 qPrintable(location->text()));
        QTRY_COMPARE(tokenEdit(d)->placeholderText(), u"a token is set in CANDIDATE_DESK_TOKEN"_s);
        QVERIFY(!tokenShown(d, "from-the-environment-0123456789"));
    }

    // ---- the other fields ---------------------------------------------------

    void fields_showTheSettings()
    {
        Harness h;
        h.settings->setDefaultSource(u"Open day"_s);
        h.settings->setRecruiterName(u"Asha Rao"_s);
        h.settings->setPhoneRegion(u"DE"_s);
        h.settings->setConcurrency(7);
        SettingsDialog *d = h.open();

        auto *source = child<QComboBox>(d, u"defaultSourceEdit"_s);
        QVERIFY(source->isEditable());
        QStringList presets;
        for (int i = 0; i < source->count(); ++i)
            presets << source->itemText(i);
        QCOMPARE(presets,
                 QStringList({ u"Career page"_s, u"Referral"_s, u"LinkedIn"_s, u"Job board"_s,
                               u"Agency"_s, u"Event"_s, u"Manual entry"_s }));
        QCOMPARE(source->currentText(), u"Open day"_s);
        QCOMPARE(child<QLineEdit>(d, u"recruiterNameEdit"_s)->text(), u"Asha Rao"_s);

        auto *region = child<QComboBox>(d, u"phoneRegionCombo"_s);
        QCOMPARE(region->currentData().toString(), u"DE"_s);
        QCOMPARE(region->currentText(), u"Germany (DE)"_s);
        QVERIFY(region->count() > 200);
        QCOMPARE(region->itemText(region->findData(u"IN"_s)), u"India (IN)"_s);
        QCOMPARE(region->findData(u"EU"_s), -1); // not a place a phone number belongs to

        auto *spin = child<QSpinBox>(d, u"concurrencySpin"_s);
        QCOMPARE(spin->value(), 7);
        QCOMPARE(spin->minimum(), 1);
        QCOMPARE(spin->maximum(), 16);
    }

    // ---- OK and Cancel ------------------------------------------------------

    void ok_storesTheSettingsAndTheToken()
    {
        Harness h;
        SettingsDialog *d = h.open();
        QTRY_COMPARE(tokenEdit(d)->placeholderText(),
                     u"paste the token from your ATS's API settings"_s);
        retype(urlEdit(d), m_sandbox.baseUrl().toString());
        retype(tokenEdit(d), u"  "_s + QString::fromLatin1(m_sandbox.token()) + u" "_s);
        retype(child<QComboBox>(d, u"defaultSourceEdit"_s)->lineEdit(), u"Campus fair"_s);
        retype(child<QLineEdit>(d, u"recruiterNameEdit"_s), u"Asha Rao"_s);
        auto *region = child<QComboBox>(d, u"phoneRegionCombo"_s);
        region->setCurrentIndex(region->findData(u"FR"_s));
        child<QSpinBox>(d, u"concurrencySpin"_s)->setValue(8);

        QSignalSpy accepted(d, &QDialog::accepted);
        QSignalSpy stored(&h.tokens, &TokenStore::stored);
        QTest::mouseClick(button(d, QDialogButtonBox::Ok), Qt::LeftButton);
        // Closes only once the token is stored, so the window finds it in place.
        QCOMPARE(accepted.count(), 0);
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(stored.count(), 1);
        QVERIFY(!d->isVisible());
        QCOMPARE(d->result(), int(QDialog::Accepted));

        QCOMPARE(h.settings->apiUrl(), m_sandbox.baseUrl());
        QCOMPARE(h.settings->defaultSource(), u"Campus fair"_s);
        QCOMPARE(h.settings->recruiterName(), u"Asha Rao"_s);
        QCOMPARE(h.settings->phoneRegion(), u"FR"_s);
        QCOMPARE(h.settings->concurrency(), 8);
        // Under the saved server's account, trimmed.
        QCOMPARE(h.tokens.apiUrl(), m_sandbox.baseUrl());
        QCOMPARE(h.loadToken(), m_sandbox.token());
        QCOMPARE(h.tokens.location(), TokenStore::Location::Keychain);
        QVERIFY(cdesk::Dialogs::lastMessage().isEmpty()); // nothing to warn about
    }

    void ok_withoutATypedToken_keepsTheStoredOne()
    {
        Harness h(m_sandbox.baseUrl());
        QVERIFY(h.storeToken("the-token-stored-before-0123456789"));
        SettingsDialog *d = h.open();
        QTRY_COMPARE(tokenEdit(d)->placeholderText(), u"a token is stored"_s);
        retype(child<QLineEdit>(d, u"recruiterNameEdit"_s), u"Asha Rao"_s);
        QSignalSpy stored(&h.tokens, &TokenStore::stored);
        QSignalSpy accepted(d, &QDialog::accepted);
        QTest::mouseClick(button(d, QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(h.settings->recruiterName(), u"Asha Rao"_s);
        QCOMPARE(h.loadToken(), QByteArray("the-token-stored-before-0123456789"));
        QCOMPARE(stored.count(), 0);
        // Untouched settings keep following their defaults.
        QVERIFY(!h.settings->isStored(Settings::Key::PhoneRegion));
        QVERIFY(!h.settings->isStored(Settings::Key::Concurrency));
    }

    void ok_withoutKeychain_keepsTheTokenInMemory_andSaysSo()
    {
        Harness h({}, std::make_unique<UnavailableKeychain>());
        SettingsDialog *d = h.open();
        QTRY_VERIFY(child<QLabel>(d, u"tokenLocation"_s)->property("warning").toBool());
        retype(urlEdit(d), m_sandbox.baseUrl().toString());
        retype(tokenEdit(d), QString::fromLatin1(m_sandbox.token()));
        cdesk::Dialogs::setNextAnswer(QMessageBox::Ok); // the warning is told, not shown
        QSignalSpy accepted(d, &QDialog::accepted);
        QTest::mouseClick(button(d, QDialogButtonBox::Ok), Qt::LeftButton);
        QTRY_COMPARE(accepted.count(), 1);
        const QString told = cdesk::Dialogs::lastMessage();
        QVERIFY2(told.contains(u"in memory for this session only"_s), qPrintable(told));
        QVERIFY(!told.contains(QString::fromLatin1(m_sandbox.token())));
        QCOMPARE(h.tokens.location(), TokenStore::Location::Memory);
        QCOMPARE(h.loadToken(), m_sandbox.token());
    }

    void cancel_changesNothing()
    {
        Harness h;
        SettingsDialog *d = h.open();
        QTRY_COMPARE(tokenEdit(d)->placeholderText(),
                     u"paste the token from your ATS's API settings"_s);
        retype(urlEdit(d), m_sandbox.baseUrl().toString());
        retype(tokenEdit(d), QString::fromLatin1(m_sandbox.token()));
        retype(child<QLineEdit>(d, u"recruiterNameEdit"_s), u"Asha Rao"_s);
        child<QSpinBox>(d, u"concurrencySpin"_s)->setValue(2);
        QSignalSpy stored(&h.tokens, &TokenStore::stored);
        QSignalSpy rejected(d, &QDialog::rejected);
        QTest::mouseClick(button(d, QDialogButtonBox::Cancel), Qt::LeftButton);
        QCOMPARE(rejected.count(), 1);
        QVERIFY(!d->isVisible());

        const auto keys
            = { Settings::Key::ApiUrl, Settings::Key::DefaultSource, Settings::Key::RecruiterName,
                Settings::Key::PhoneRegion, Settings::Key::Concurrency };
        for (Settings::Key key : keys)
            QVERIFY2(!h.settings->isStored(key), qPrintable(Settings::name(key)));
        QCOMPARE(h.loadToken(), QByteArray());
        QCOMPARE(stored.count(), 0);
        QVERIFY(h.tokens.apiUrl().isEmpty());
    }

    void cancel_duringATest_sendsNoOutcome()
    {
        cdesk::sandbox::Faults faults;
        faults.latencyMs = 3000;
        m_sandbox.setFaults(faults);
        Harness h;
        SettingsDialog *d = h.open();
        retype(urlEdit(d), m_sandbox.baseUrl().toString());
        retype(tokenEdit(d), QString::fromLatin1(m_sandbox.token()));
        QSignalSpy tested(d, &SettingsDialog::connectionTested);
        QTest::mouseClick(child<QPushButton>(d, u"testConnection"_s), Qt::LeftButton);
        QTRY_COMPARE(h.network.requests, 1);
        QTest::mouseClick(button(d, QDialogButtonBox::Cancel), Qt::LeftButton);
        QVERIFY(!d->isVisible());
        h.dialog.reset(); // and a dialog gone mid-test leaves nothing behind
        QCOMPARE(tested.count(), 0);
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
