#include "SettingsDialog.h"

#include "SourcePicker.h"

#include "Dialogs.h"
#include "FieldMarks.h"
#include "api/ApiEndpoint.h"
#include "api/ApiResult.h"
#include "api/ConnectionCheck.h"
#include "core/Clock.h"
#include "settings/Settings.h"

#include <QCollator>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// Why the typed address cannot be used, or empty. The token is not part of
// this question, so a stand-in makes ApiEndpoint judge the address alone; it
// is never sent anywhere.
QString urlProblem(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return SettingsDialog::tr("Enter the API address: copy it from your ATS's API settings.");
    const QUrl url(trimmed, QUrl::TolerantMode);
    if (!trimmed.contains(u"://"_s))
        return SettingsDialog::tr("Start the address with https://, for example "
                                  "https://ats.example.com/api/v1.");
    // Settings refuses such a URL too: a password in it would end up in a
    // plain settings file, and the token has its own field.
    if (url.isValid() && !url.userInfo().isEmpty())
        return SettingsDialog::tr("Leave the user name and password out of the address: the "
                                  "token goes in the token field.");
    return ApiEndpoint(url, QByteArrayLiteral("address-check-only")).problem();
}

} // namespace

SettingsDialog::SettingsDialog(Settings *settings, TokenStore *tokens,
                               QNetworkAccessManager *network, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_tokens(tokens)
    , m_network(network)
{
    Q_ASSERT(m_settings && m_tokens && m_network);
    setWindowTitle(tr("Settings"));
    buildUi();
    loadSettings();

    // The first answer is ours (or one for the same account): later ones,
    // after the window stored or reloaded a token, must not replace what the
    // dialog already shows.
    connect(m_tokens, &TokenStore::loaded, this,
            [this](const QByteArray &token, TokenStore::Location where) {
                if (!m_tokenLoaded)
                    onTokenLoaded(token, where);
            });
    connect(m_tokens, &TokenStore::stored, this, &SettingsDialog::onTokenStored);
    m_loadedAccount = TokenStore::accountFor(m_tokens->apiUrl());
    m_tokens->load();
}

SettingsDialog::~SettingsDialog()
{
    cancelTest();
}

QStringList SettingsDialog::sourcePresets()
{
    return SourcePicker::presets(); // one list, kept where the form offers it
}

void SettingsDialog::buildUi()
{
    auto *connection = new QGroupBox(tr("Connection to your ATS"));
    auto *connectionColumn = new QVBoxLayout(connection);
    // The wrapped messages sit below the form rather than in label-less form
    // rows, where QFormLayout reserves lines for them at the wrong width.
    auto *connectionForm = new QFormLayout;
    connectionColumn->addLayout(connectionForm);

    m_apiUrl = new QLineEdit;
    m_apiUrl->setObjectName(u"apiUrlEdit"_s);
    m_apiUrl->setPlaceholderText(tr("https://… (from your ATS's API settings)"));
    m_apiUrl->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    m_apiUrlProblem = new QLabel;
    m_apiUrlProblem->setObjectName(u"apiUrlProblem"_s);
    m_apiUrlProblem->setWordWrap(true);
    setTone(m_apiUrlProblem, Tone::Problem);
    m_apiUrlProblem->hide();
    auto *urlColumn = new QVBoxLayout;
    urlColumn->setContentsMargins({});
    urlColumn->addWidget(m_apiUrl);
    urlColumn->addWidget(m_apiUrlProblem);
    // A row that holds a layout gets no buddy from QFormLayout: the label
    // needs its own for the mnemonic to show and to work.
    auto *urlLabel = new QLabel(tr("API &address:"));
    urlLabel->setBuddy(m_apiUrl);
    connectionForm->addRow(urlLabel, urlColumn);

    m_token = new QLineEdit;
    m_token->setObjectName(u"tokenEdit"_s);
    // The stored token never comes back into the field: the placeholder says
    // one is there, and typing replaces it.
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setToolTip(tr("Paste the API token from your ATS's API settings. Leave it empty to "
                           "keep the token that is stored."));
    m_showToken = new QToolButton;
    m_showToken->setObjectName(u"showToken"_s);
    m_showToken->setText(tr("Show"));
    m_showToken->setCheckable(true);
    m_showToken->setToolTip(tr("Show what you typed, to check it. A stored token is never shown."));
    connect(m_showToken, &QToolButton::toggled, this, [this](bool shown) {
        m_token->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_showToken->setText(shown ? tr("Hide") : tr("Show"));
    });
    auto *tokenRow = new QHBoxLayout;
    tokenRow->setContentsMargins({});
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_showToken);
    auto *tokenLabel = new QLabel(tr("API &token:"));
    tokenLabel->setBuddy(m_token);
    connectionForm->addRow(tokenLabel, tokenRow);

    m_tokenLocation = new QLabel;
    m_tokenLocation->setObjectName(u"tokenLocation"_s);
    m_tokenLocation->setWordWrap(true);
    connectionColumn->addWidget(m_tokenLocation);

    m_test = new QPushButton(tr("Test &connection"));
    m_test->setObjectName(u"testConnection"_s);
    // Enter in a field means OK, not a network call.
    m_test->setAutoDefault(false);
    m_test->setToolTip(tr("Lists the open jobs with the address and token typed above, without "
                          "saving anything."));
    connect(m_test, &QPushButton::clicked, this, &SettingsDialog::testConnection);
    m_result = new QLabel;
    m_result->setObjectName(u"connectionResult"_s);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *testRow = new QVBoxLayout;
    testRow->setContentsMargins({});
    testRow->addWidget(m_test, 0, Qt::AlignLeft);
    testRow->addWidget(m_result);
    connectionColumn->addLayout(testRow);

    auto *candidates = new QGroupBox(tr("New candidates"));
    auto *candidateForm = new QFormLayout(candidates);

    m_defaultSource = new QComboBox;
    m_defaultSource->setObjectName(u"defaultSourceEdit"_s);
    m_defaultSource->setEditable(true);
    // Free text is welcome, but it should not grow the preset list.
    m_defaultSource->setInsertPolicy(QComboBox::NoInsert);
    m_defaultSource->addItems(sourcePresets());
    m_defaultSource->lineEdit()->setMaxLength(100); // the contract's limit for `source`
    m_defaultSource->setToolTip(tr("Where a new candidate came from, unless you choose another. "
                                   "Pick one or type your own."));
    candidateForm->addRow(tr("Default &source:"), m_defaultSource);

    m_recruiterName = new QLineEdit;
    m_recruiterName->setObjectName(u"recruiterNameEdit"_s);
    m_recruiterName->setToolTip(
        tr("Can be added to the source, so the ATS shows who entered the candidate."));
    candidateForm->addRow(tr("Your &name:"), m_recruiterName);

    m_phoneRegion = new QComboBox;
    m_phoneRegion->setObjectName(u"phoneRegionCombo"_s);
    m_phoneRegion->setToolTip(
        tr("The country assumed for phone numbers typed without a +country code."));
    fillRegions();
    candidateForm->addRow(tr("&Phone numbers from:"), m_phoneRegion);

    m_concurrency = new QSpinBox;
    m_concurrency->setObjectName(u"concurrencySpin"_s);
    m_concurrency->setRange(Settings::MinConcurrency, Settings::MaxConcurrency);
    m_concurrency->setToolTip(tr("How many candidates are sent at the same time. Lower it if the "
                                 "server often asks to slow down."));
    candidateForm->addRow(tr("Send at &once:"), m_concurrency);

    m_status = new QLabel;
    m_status->setObjectName(u"saveStatus"_s);
    m_status->setWordWrap(true);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(connection);
    layout->addWidget(candidates);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_apiUrl, &QLineEdit::textChanged, this, &SettingsDialog::typedValuesChanged);
    connect(m_token, &QLineEdit::textChanged, this, &SettingsDialog::typedValuesChanged);

    resize(560, sizeHint().height());
}

void SettingsDialog::fillRegions()
{
    struct Region
    {
        QString name;
        QString code;
    };
    QList<Region> regions;
    for (int t = int(QLocale::AnyTerritory) + 1; t <= int(QLocale::LastTerritory); ++t) {
        const auto territory = QLocale::Territory(t);
        const QString code = QLocale::territoryToCode(territory);
        // Continents ("150", "419"), the World ("001"), the European Union
        // and Outlying Oceania are not places a phone number belongs to;
        // an alias would list a region twice.
        if (code.size() != 2 || code == "EU"_L1 || code == "QO"_L1
            || QLocale::codeToTerritory(code) != territory)
            continue;
        // Qt 6.4 has territory names in English only (no CLDR display names
        // for the user's language), so the code is shown too.
        regions.append({ QLocale::territoryToString(territory), code });
    }
    QCollator collator;
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    std::sort(regions.begin(), regions.end(), [&collator](const Region &a, const Region &b) {
        return collator.compare(a.name, b.name) < 0;
    });
    for (const Region &region : std::as_const(regions))
        m_phoneRegion->addItem(tr("%1 (%2)").arg(region.name, region.code), region.code);
}

void SettingsDialog::loadSettings()
{
    m_apiUrl->setText(m_settings->apiUrl().toDisplayString());
    m_defaultSource->setCurrentText(m_settings->defaultSource());
    m_recruiterName->setText(m_settings->recruiterName());
    const QString region = m_settings->phoneRegion();
    int index = m_phoneRegion->findData(region);
    if (index < 0) {
        // A code Settings accepts but the list leaves out (set by hand): keep it.
        m_phoneRegion->addItem(region, region);
        index = m_phoneRegion->count() - 1;
    }
    m_phoneRegion->setCurrentIndex(index);
    m_concurrency->setValue(m_settings->concurrency());
    validateUrl();
    showTokenLocation();
    updateTokenPlaceholder();
}

void SettingsDialog::onTokenLoaded(const QByteArray &token, TokenStore::Location where)
{
    m_tokenLoaded = true;
    m_storedToken = token;
    m_loadedFrom = where;
    showTokenLocation(m_tokens->warning());
    updateTokenPlaceholder();
    if (std::exchange(m_testWhenLoaded, false))
        testConnection();
}

void SettingsDialog::showTokenLocation(const QString &warning)
{
    const TokenStore::Location where = m_tokens->location();
    const QString description = m_tokens->locationDescription();
    QString text;
    bool warn = false;
    switch (where) {
    case TokenStore::Location::Keychain:
        text = tr("The token is kept %1.").arg(description);
        break;
    case TokenStore::Location::Memory:
        // TokenStore's warning names the keychain's own reason; without one,
        // its description still says what it means for tomorrow.
        text = tr("Warning: %1")
                   .arg(warning.isEmpty() ? tr("The token is kept %1.").arg(description) : warning);
        warn = true;
        break;
    case TokenStore::Location::Environment:
        text = tr("The token is read %1. A token typed here is stored, but not used while the "
                  "variable is set.")
                   .arg(description);
        break;
    }
    m_tokenLocation->setText(text);
    setTone(m_tokenLocation, warn ? Tone::Warning : Tone::Plain);
    m_tokenLocation->setProperty("warning", warn);
    fitToText();
}

void SettingsDialog::updateTokenPlaceholder()
{
    QString placeholder;
    if (!m_tokenLoaded)
        placeholder = tr("checking for a stored token…");
    else if (m_loadedFrom == TokenStore::Location::Environment)
        placeholder = tr("a token is set in CANDIDATE_DESK_TOKEN");
    else if (storedTokenFits())
        placeholder = tr("a token is stored");
    else if (!m_storedToken.isEmpty())
        placeholder = tr("type the token for this server");
    else
        placeholder = tr("paste the token from your ATS's API settings");
    m_token->setPlaceholderText(placeholder);
}

bool SettingsDialog::storedTokenFits() const
{
    if (!m_tokenLoaded || m_storedToken.isEmpty())
        return false;
    // The environment's token is used for any server, by the recruiter's own choice.
    return m_loadedFrom == TokenStore::Location::Environment
        || TokenStore::accountFor(typedUrl()) == m_loadedAccount;
}

QUrl SettingsDialog::typedUrl() const
{
    const QString text = m_apiUrl->text().trimmed();
    return text.isEmpty() ? QUrl() : QUrl(text, QUrl::TolerantMode);
}

QByteArray SettingsDialog::typedToken() const
{
    // Pasted tokens often bring a space or a line break along.
    return m_token->text().trimmed().toUtf8();
}

void SettingsDialog::validateUrl()
{
    // An empty address is allowed (the sandbox needs none), and the
    // placeholder already says what goes there.
    const bool empty = m_apiUrl->text().trimmed().isEmpty();
    const QString problem = empty ? QString() : urlProblem(m_apiUrl->text());
    m_apiUrlProblem->setText(problem);
    m_apiUrlProblem->setVisible(!problem.isEmpty());
    fitToText();
    if (QPushButton *ok = m_buttons ? m_buttons->button(QDialogButtonBox::Ok) : nullptr)
        ok->setEnabled(problem.isEmpty() && !m_saving);
}

void SettingsDialog::typedValuesChanged()
{
    // A result describes the address and token it was tested with; once
    // either changes it would mislead.
    cancelTest();
    m_testWhenLoaded = false;
    setResult(QString(), QString());
    validateUrl();
    updateTokenPlaceholder();
}

void SettingsDialog::testConnection()
{
    cancelTest();
    const QUrl url = typedUrl();
    if (const QString problem = urlProblem(m_apiUrl->text()); !problem.isEmpty()) {
        setResult(problem, u"error"_s);
        Q_EMIT connectionTested(false);
        return;
    }
    QByteArray token = typedToken();
    if (token.isEmpty()) {
        if (!m_tokenLoaded) {
            // The keychain has not answered yet; test as soon as it does.
            m_testWhenLoaded = true;
            setResult(tr("Reading the stored token…"), u"busy"_s);
            return;
        }
        if (storedTokenFits())
            token = m_storedToken;
    }
    if (token.isEmpty()) {
        setResult(tr("Paste the API token first: copy it from your ATS's API settings."),
                  u"error"_s);
        Q_EMIT connectionTested(false);
        return;
    }

    if (!m_check) {
        m_check = new ConnectionCheck(m_network, Clock::system(), this);
        connect(m_check, &ConnectionCheck::finished, this, &SettingsDialog::finishTest);
    }
    setResult(tr("Connecting to %1…").arg(serverName(url)), u"busy"_s);
    m_test->setEnabled(false);
    m_check->start(url, token, m_settings->timeoutMs());
}

void SettingsDialog::cancelTest()
{
    if (m_check)
        m_check->cancel(); // a cancelled test has nothing to say
    if (m_test)
        m_test->setEnabled(!m_saving);
}

void SettingsDialog::finishTest(bool ok, const QString &words)
{
    m_test->setEnabled(!m_saving);
    setResult(words, ok ? u"ok"_s : u"error"_s);
    Q_EMIT connectionTested(ok);
}

void SettingsDialog::setResult(const QString &text, const QString &outcome)
{
    m_result->setText(text);
    m_result->setProperty("outcome", outcome);
    setTone(m_result,
            outcome == "ok"_L1          ? Tone::Success
                : outcome == "error"_L1 ? Tone::Problem
                                        : Tone::Plain);
    fitToText();
}

void SettingsDialog::fitToText()
{
    if (m_fitPending)
        return;
    m_fitPending = true;
    // A window does not grow by itself when a word-wrapped label needs
    // another line, so a long message would be cut off; once the layout has
    // taken in the new text, grow to fit it (never shrink under the
    // recruiter's hands).
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_fitPending = false;
            if (!layout() || !layout()->hasHeightForWidth())
                return;
            const int needed = layout()->totalHeightForWidth(width());
            if (needed > height())
                resize(width(), needed);
        },
        Qt::QueuedConnection);
}

void SettingsDialog::accept()
{
    if (m_saving)
        return;
    validateUrl();
    if (!m_apiUrl->text().trimmed().isEmpty() && !urlProblem(m_apiUrl->text()).isEmpty()) {
        m_apiUrl->setFocus();
        return;
    }
    cancelTest();
    // The token belongs to the server being saved: store it (and let the
    // app load it) under that server's account.
    m_tokens->setApiUrl(typedUrl());
    const QByteArray token = typedToken();
    if (token.isEmpty()) {
        saveSettings();
        QDialog::accept();
        tellAfterClosing({});
        return;
    }
    // Settings are written once the token is stored, so whoever reacts to a
    // changed address finds the new token already there.
    m_saving = true;
    setBusy(true);
    m_status->setText(tr("Saving the token…"));
    m_tokens->store(token);
}

void SettingsDialog::onTokenStored(TokenStore::Location where, const QString &warning)
{
    Q_UNUSED(where)
    if (!m_saving)
        return; // someone else's store
    m_saving = false;
    setBusy(false);
    m_status->clear();
    m_token->clear();
    showTokenLocation(warning);
    saveSettings();
    QDialog::accept();
    tellAfterClosing(warning);
}

void SettingsDialog::tellAfterClosing(const QString &tokenWarning)
{
    QStringList problems;
    if (!tokenWarning.isEmpty())
        problems << tokenWarning;
    if (!m_saveProblem.isEmpty())
        problems << m_saveProblem;
    if (problems.isEmpty())
        return;
    // The dialog has closed by now, so the window (its parent) says it.
    Dialogs::tell(parentWidget(), QMessageBox::Warning, tr("Settings saved"),
                  problems.join(u"\n\n"_s));
}

void SettingsDialog::reject()
{
    // The store is under way and cannot be called back: leaving now would
    // say "nothing changed" while the token changes anyway.
    if (m_saving)
        return;
    cancelTest();
    QDialog::reject();
}

void SettingsDialog::saveSettings()
{
    // Only what changed is written, so a setting left alone keeps following
    // its default (the phone region follows the system's locale).
    auto write = [this](Settings::Key key, const QVariant &value) {
        if (m_settings->value(key) != value)
            m_settings->setValue(key, value);
    };
    write(Settings::Key::ApiUrl, typedUrl());
    const QString source = m_defaultSource->currentText().simplified();
    if (source.isEmpty())
        m_settings->reset(Settings::Key::DefaultSource);
    else
        write(Settings::Key::DefaultSource, source);
    write(Settings::Key::RecruiterName, m_recruiterName->text().simplified());
    write(Settings::Key::PhoneRegion, m_phoneRegion->currentData().toString());
    write(Settings::Key::Concurrency, m_concurrency->value());

    m_saveProblem.clear();
    if (!m_settings->sync())
        m_saveProblem = tr("The settings could not be written to %1. They apply until you quit; "
                           "check that you may write to that folder.")
                            .arg(QDir::toNativeSeparators(m_settings->fileName()));
}

void SettingsDialog::setBusy(bool busy)
{
    // The group boxes and the buttons; the status line stays readable.
    const auto parts = findChildren<QWidget *>(Qt::FindDirectChildrenOnly);
    for (QWidget *part : parts) {
        if (part != m_status)
            part->setEnabled(!busy);
    }
    if (!busy)
        validateUrl();
}

} // namespace cdesk
