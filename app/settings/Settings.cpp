#include "settings/Settings.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QLocale>
#include <QSettings>
#include <QStringList>
#include <QTemporaryDir>

#include <algorithm>
#include <array>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

using Key = Settings::Key;

enum class Kind {
    Url, // http or https, with a host, without user info
    Text, // one line of free text, may be empty
    RequiredText, // one line of free text, never empty
    Region, // ISO 3166 alpha-2 that Qt knows
    Number, // integer; not positive is garbage, out of range is clamped
    Flag, // bool
};

struct Entry
{
    Key key;
    QString name;
    Kind kind;
    QVariant defaultValue; // its type is the type value() returns
    qint64 min = 0;
    qint64 max = 0;
};

// Indexed by Key: the order must follow the enum (entry() checks).
const std::array<Entry, 9> &table()
{
    static const std::array<Entry, 9> entries { {
        { Key::ApiUrl, u"api/url"_s, Kind::Url, QUrl() },
        // A tag sent to the API as is, so it is data, not translated text.
        { Key::DefaultSource, u"submission/defaultSource"_s, Kind::RequiredText,
          u"Manual entry"_s },
        { Key::RecruiterName, u"recruiter/name"_s, Kind::Text, QString() },
        { Key::PhoneRegion, u"recruiter/phoneRegion"_s, Kind::Region,
          Settings::regionForLocale(QLocale::system()) },
        { Key::Concurrency, u"api/concurrency"_s, Kind::Number, 4, Settings::MinConcurrency,
          Settings::MaxConcurrency },
        { Key::TimeoutMs, u"api/timeoutMs"_s, Kind::Number, 30000, Settings::MinTimeoutMs,
          Settings::MaxTimeoutMs },
        { Key::MaxResumeBytes, u"resume/maxBytes"_s, Kind::Number, qint64(5) * 1024 * 1024,
          Settings::MinResumeBytes, Settings::MaxResumeBytes },
        { Key::LastSource, u"submission/lastSource"_s, Kind::Text, QString() },
        { Key::SandboxMode, u"sandbox/enabled"_s, Kind::Flag, false },
    } };
    return entries;
}

const Entry &entry(Key key)
{
    const Entry &e = table().at(std::size_t(key));
    Q_ASSERT(e.key == key);
    return e;
}

std::optional<QString> toText(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString:
        return value.toString().simplified();
    case QMetaType::QStringList:
        // An unquoted comma in a hand-edited ini makes QSettings read a list;
        // the person meant one value ("Rao, Asha").
        return value.toStringList().join(u", "_s).simplified();
    default:
        return std::nullopt;
    }
}

std::optional<qint64> toInteger(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
        return value.toLongLong();
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return qint64(
            std::min<quint64>(value.toULongLong(), quint64(std::numeric_limits<qint64>::max())));
    case QMetaType::QString: {
        // Only whole decimal numbers: "12.5" or "4 threads" is garbage, not 12 or 4.
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        return ok ? std::optional(n) : std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

std::optional<bool> toFlag(const QVariant &value)
{
    if (value.typeId() == QMetaType::Bool)
        return value.toBool();
    // QVariant::toBool() calls any other text true ("banana"), so read it ourselves.
    const std::optional<QString> text = toText(value);
    if (!text)
        return std::nullopt;
    const QString word = text->toLower();
    if (word == "true"_L1 || word == "1"_L1 || word == "yes"_L1 || word == "on"_L1)
        return true;
    if (word == "false"_L1 || word == "0"_L1 || word == "no"_L1 || word == "off"_L1)
        return false;
    return std::nullopt;
}

std::optional<QUrl> toApiUrl(const QVariant &value)
{
    QUrl url;
    if (value.typeId() == QMetaType::QUrl) {
        url = value.toUrl();
    } else if (const std::optional<QString> text = toText(value)) {
        url = QUrl(*text, QUrl::TolerantMode);
    } else {
        return std::nullopt;
    }
    if (url.isEmpty())
        return QUrl(); // "not configured" is a valid answer
    // User info would put a credential into a plain settings file, and the
    // token belongs in the keychain, so such a URL is refused outright.
    if (!url.isValid() || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)
        || url.host().isEmpty() || !url.userInfo().isEmpty())
        return std::nullopt;
    return url;
}

std::optional<QString> toRegion(const QVariant &value)
{
    const std::optional<QString> text = toText(value);
    if (!text)
        return std::nullopt;
    const QString code = text->toUpper();
    const bool twoLetters = code.size() == 2
        && std::all_of(code.cbegin(), code.cend(), [](QChar c) { return c >= u'A' && c <= u'Z'; });
    if (!twoLetters || QLocale::codeToTerritory(code) == QLocale::AnyTerritory)
        return std::nullopt;
    return code;
}

// The value as the app uses it, or nothing when it cannot be used at all.
std::optional<QVariant> normalized(const Entry &e, const QVariant &value)
{
    switch (e.kind) {
    case Kind::Url:
        if (const auto url = toApiUrl(value))
            return QVariant(*url);
        return std::nullopt;
    case Kind::Text:
    case Kind::RequiredText:
        if (const auto text = toText(value);
            text && !(e.kind == Kind::RequiredText && text->isEmpty()))
            return QVariant(*text);
        return std::nullopt;
    case Kind::Region:
        if (const auto region = toRegion(value))
            return QVariant(*region);
        return std::nullopt;
    case Kind::Number: {
        // None of our numbers has a meaning at zero or below (a hand-written
        // "0" or "-1" is not "unlimited"), so that is garbage; a real number
        // that is merely too big or too small is clamped.
        const std::optional<qint64> n = toInteger(value);
        if (!n || *n <= 0)
            return std::nullopt;
        const qint64 clamped = std::clamp(*n, e.min, e.max);
        if (e.defaultValue.typeId() == QMetaType::Int)
            return QVariant(int(clamped));
        return QVariant(clamped);
    }
    case Kind::Flag:
        if (const auto flag = toFlag(value))
            return QVariant(*flag);
        return std::nullopt;
    }
    return std::nullopt;
}

// What goes into the ini file: text a person can read and edit.
QVariant storedForm(const Entry &e, const QVariant &value)
{
    if (e.kind == Kind::Url)
        return value.toUrl().toString(QUrl::FullyEncoded);
    return value;
}

QString orDefaultName(QString name)
{
    return name.isEmpty() ? u"candidate-desk"_s : name;
}

} // namespace

Settings::Settings(std::unique_ptr<QSettings> settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    Q_ASSERT(m_settings);
}

Settings::~Settings() = default;

std::unique_ptr<Settings> Settings::openDefault()
{
    // IniFormat everywhere: on Windows and macOS the native formats are the
    // registry and plists, which a recruiter cannot easily read or fix.
    return std::make_unique<Settings>(
        std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope,
                                    orDefaultName(QCoreApplication::organizationName()),
                                    orDefaultName(QCoreApplication::applicationName())));
}

std::unique_ptr<Settings> Settings::temporary()
{
    auto dir = std::make_unique<QTemporaryDir>();
    auto settings = std::make_unique<Settings>(
        std::make_unique<QSettings>(dir->filePath(u"candidate-desk.ini"_s), QSettings::IniFormat));
    settings->m_temporaryDir = std::move(dir);
    return settings;
}

QVariant Settings::value(Key key) const
{
    const Entry &e = entry(key);
    const QVariant raw = m_settings->value(e.name);
    if (!raw.isValid())
        return e.defaultValue;
    return normalized(e, raw).value_or(e.defaultValue);
}

QVariant Settings::defaultValue(Key key) const
{
    return entry(key).defaultValue;
}

namespace {

// One key per header set: the names, case-folded, in their order.
QString importMappingKey(const QStringList &header)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const QString &name : header) {
        hash.addData(name.trimmed().toCaseFolded().toUtf8());
        hash.addData(QByteArrayView("\n"));
    }
    return u"import/mappings/"_s + QString::fromLatin1(hash.result().toHex());
}

} // namespace

QStringList Settings::importMapping(const QStringList &header) const
{
    const QStringList kept = m_settings->value(importMappingKey(header)).toStringList();
    return kept.size() == header.size() ? kept : QStringList();
}

void Settings::setImportMapping(const QStringList &header, const QStringList &mapping)
{
    m_settings->setValue(importMappingKey(header), mapping);
}

bool Settings::setValue(Key key, const QVariant &value)
{
    const Entry &e = entry(key);
    const std::optional<QVariant> usable = normalized(e, value);
    if (!usable)
        return false;
    const QVariant before = this->value(key);
    m_settings->setValue(e.name, storedForm(e, *usable));
    if (before != *usable)
        Q_EMIT changed(key);
    return true;
}

void Settings::reset(Key key)
{
    const QVariant before = value(key);
    m_settings->remove(entry(key).name);
    if (value(key) != before)
        Q_EMIT changed(key);
}

bool Settings::isStored(Key key) const
{
    return m_settings->contains(entry(key).name);
}

QString Settings::name(Key key)
{
    return entry(key).name;
}

QString Settings::regionForLocale(const QLocale &locale)
{
    if (const auto region = toRegion(QLocale::territoryToCode(locale.territory())))
        return *region;
    return u"IN"_s;
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

bool Settings::sync()
{
    m_settings->sync();
    return m_settings->status() == QSettings::NoError;
}

} // namespace cdesk
