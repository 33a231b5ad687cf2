#pragma once

#include "settings/TokenStore.h"

#include <QByteArray>
#include <QDialog>
#include <QString>
#include <QUrl>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace cdesk {

class ConnectionCheck;
class Settings;

// The recruiter's settings: where the API is, the token (through the
// TokenStore, saying where it is kept), what a new candidate starts with, and
// how many submissions go at once. "Test connection" lists jobs with what is
// typed right now, on a client of its own, so nothing is saved to find out.
//
// OK writes the settings and, when a token was typed, stores it; the dialog
// closes only once the TokenStore says it is stored, so whoever reacts to
// accepted() finds the new token in place. Cancel changes nothing. Open it
// with open() (never exec()): every step is asynchronous.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(Settings *settings, TokenStore *tokens, QNetworkAccessManager *network,
                   QWidget *parent = nullptr);
    ~SettingsDialog() override;

    // The presets of the default source, as sent to the API.
    static QStringList sourcePresets();

public Q_SLOTS:
    void testConnection();
    void accept() override;
    void reject() override;

Q_SIGNALS:
    // A "Test connection" ended; ok tells whether the API answered with jobs.
    void connectionTested(bool ok);

private:
    void buildUi();
    void loadSettings();
    void fillRegions();
    void onTokenLoaded(const QByteArray &token, TokenStore::Location where);
    void onTokenStored(TokenStore::Location where, const QString &warning);
    void showTokenLocation(const QString &warning = {});
    void updateTokenPlaceholder();
    void validateUrl();
    void typedValuesChanged();
    void startTest();
    void cancelTest();
    void finishTest(bool ok, const QString &words);
    void setResult(const QString &text, const QString &outcome);
    void saveSettings();
    void tellAfterClosing(const QString &tokenWarning);
    void setBusy(bool busy);
    void fitToText();

    QUrl typedUrl() const;
    QByteArray typedToken() const;
    // The loaded token may be used for the typed URL: the same account (host
    // and port), so a token is never sent to a server it was not stored for.
    bool storedTokenFits() const;

    Settings *m_settings;
    TokenStore *m_tokens;
    QNetworkAccessManager *m_network;
    ConnectionCheck *m_check = nullptr; // made at the first test

    QByteArray m_storedToken;
    QString m_loadedAccount;
    TokenStore::Location m_loadedFrom = TokenStore::Location::Keychain;
    bool m_tokenLoaded = false;
    bool m_testWhenLoaded = false;
    bool m_saving = false;
    bool m_fitPending = false;
    QString m_saveProblem; // a settings file that could not be written, told after closing

    QLineEdit *m_apiUrl = nullptr;
    QLabel *m_apiUrlProblem = nullptr;
    QLineEdit *m_token = nullptr;
    QToolButton *m_showToken = nullptr;
    QLabel *m_tokenLocation = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_result = nullptr;
    QComboBox *m_defaultSource = nullptr;
    QLineEdit *m_recruiterName = nullptr;
    QComboBox *m_phoneRegion = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace cdesk
