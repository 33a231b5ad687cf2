#pragma once

#include <QObject>
#include <QString>
#include <QUrl>
#include <QVariant>

#include <memory>

class QLocale;
class QSettings;
class QTemporaryDir;

namespace cdesk {

// The recruiter's preferences, typed, over QSettings (an ini file).
//
// One enum names every setting and one table (Settings.cpp) gives each its
// name in the file, its kind and its default, so a new setting is one enum
// value and one table row. Every read is validated: the file is the user's and
// may be hand-edited, so a value that does not parse gives the default and a
// number out of range is clamped. Writes are validated the same way.
//
// The API token is deliberately not here: it lives in TokenStore (the
// keychain), and nothing in this class ever writes it.
class Settings : public QObject
{
    Q_OBJECT
public:
    enum class Key {
        ApiUrl, // QUrl, http(s) with a host and no user info; default empty
        DefaultSource, // QString, the source tag a new candidate starts with
        RecruiterName, // QString
        PhoneRegion, // QString, ISO 3166 alpha-2, for numbers typed without +CC
        Concurrency, // int, submissions in flight at once
        TimeoutMs, // int, per request
        MaxResumeBytes, // qint64, largest resume we try to upload
        LastSource, // QString, the source tag used last
        SandboxMode, // bool
    };
    Q_ENUM(Key)

    static constexpr int MinConcurrency = 1;
    static constexpr int MaxConcurrency = 16;
    static constexpr int MinTimeoutMs = 1000;
    static constexpr int MaxTimeoutMs = 600000;
    static constexpr qint64 MinResumeBytes = 1024;
    static constexpr qint64 MaxResumeBytes = qint64(1) << 30;

    explicit Settings(std::unique_ptr<QSettings> settings, QObject *parent = nullptr);
    ~Settings() override;

    // The user's settings file, named after the application and organisation
    // (QCoreApplication's, or "candidate-desk" when they are not set).
    static std::unique_ptr<Settings> openDefault();
    // A fresh ini file in a temporary folder that lives and dies with the
    // returned object: for tests, never touches the user's settings.
    static std::unique_ptr<Settings> temporary();

    // The value as the app should use it: validated, clamped, or the default.
    QVariant value(Key key) const;
    QVariant defaultValue(Key key) const;
    // Stores the value in its validated form (numbers clamped). Returns false,
    // and writes nothing, when the value cannot be used at all.
    bool setValue(Key key, const QVariant &value);
    // Forgets the stored value, so the default applies again.
    void reset(Key key);
    bool isStored(Key key) const;

    // The key's name in the ini file ("api/url"), for messages and tests.
    static QString name(Key key);

    QUrl apiUrl() const { return value(Key::ApiUrl).toUrl(); }
    bool setApiUrl(const QUrl &url) { return setValue(Key::ApiUrl, url); }
    QString defaultSource() const { return value(Key::DefaultSource).toString(); }
    bool setDefaultSource(const QString &source) { return setValue(Key::DefaultSource, source); }
    QString recruiterName() const { return value(Key::RecruiterName).toString(); }
    bool setRecruiterName(const QString &name) { return setValue(Key::RecruiterName, name); }
    QString phoneRegion() const { return value(Key::PhoneRegion).toString(); }
    bool setPhoneRegion(const QString &region) { return setValue(Key::PhoneRegion, region); }
    int concurrency() const { return value(Key::Concurrency).toInt(); }
    bool setConcurrency(int n) { return setValue(Key::Concurrency, n); }
    int timeoutMs() const { return value(Key::TimeoutMs).toInt(); }
    bool setTimeoutMs(int ms) { return setValue(Key::TimeoutMs, ms); }
    qint64 maxResumeBytes() const { return value(Key::MaxResumeBytes).toLongLong(); }
    bool setMaxResumeBytes(qint64 bytes) { return setValue(Key::MaxResumeBytes, bytes); }
    QString lastSource() const { return value(Key::LastSource).toString(); }
    bool setLastSource(const QString &source) { return setValue(Key::LastSource, source); }
    bool sandboxMode() const { return value(Key::SandboxMode).toBool(); }
    bool setSandboxMode(bool on) { return setValue(Key::SandboxMode, on); }

    // The phone region a locale suggests: its territory's alpha-2 code, or
    // "IN" when the locale names no territory (the C locale of a server).
    static QString regionForLocale(const QLocale &locale);

    // The column mapping last used for a sheet with this header (import):
    // SheetImport::mappingName() of each column; empty when none is kept.
    QStringList importMapping(const QStringList &header) const;
    void setImportMapping(const QStringList &header, const QStringList &mapping);

    QString fileName() const;
    // Writes pending changes now; false when the file could not be written.
    bool sync();

Q_SIGNALS:
    // The value the app should use for key changed (through this object).
    void changed(cdesk::Settings::Key key);

private:
    // Declared before m_settings so it is destroyed after it: QSettings writes
    // its file when destroyed, and the folder must still be there.
    std::unique_ptr<QTemporaryDir> m_temporaryDir;
    std::unique_ptr<QSettings> m_settings;
};

} // namespace cdesk
