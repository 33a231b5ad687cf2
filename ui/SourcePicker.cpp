#include "SourcePicker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLineEdit>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// The presets are data for the ATS as much as words on screen: the value sent
// stays in English whatever language the app shows, so the ATS's reports do
// not split "Referral" by the recruiter's language.
constexpr const char *kPresets[] = {
    QT_TRANSLATE_NOOP("cdesk::SourcePicker", "Career page"),
    QT_TRANSLATE_NOOP("cdesk::SourcePicker", "Referral"),
    QT_TRANSLATE_NOOP("cdesk::SourcePicker", "LinkedIn"),
    QT_TRANSLATE_NOOP("cdesk::SourcePicker", "Job board"),
    QT_TRANSLATE_NOOP("cdesk::SourcePicker", "Agency"),
    QT_TRANSLATE_NOOP("cdesk::SourcePicker", "Event"),
    QT_TRANSLATE_NOOP("cdesk::SourcePicker", "Manual entry"),
};

// Also data, not a sentence: every recruiter's entries read the same in the ATS.
QString viaSuffix(const QString &name)
{
    return u" (via "_s + name + u')';
}

} // namespace

class SourcePicker::Private
{
public:
    QComboBox *m_combo = nullptr;
    QCheckBox *m_addName = nullptr;
    QString m_recruiterName;

    // The free text, or the preset's untranslated value when the text is one
    // of the presets as shown.
    QString baseSource() const
    {
        const QString text = m_combo->currentText();
        const QString trimmed = text.trimmed();
        for (int i = 0; i < m_combo->count(); ++i) {
            if (m_combo->itemText(i) == trimmed)
                return m_combo->itemData(i).toString();
        }
        return text;
    }

    void setBaseSource(const QString &base)
    {
        const int preset = m_combo->findData(base.trimmed());
        if (preset >= 0) {
            m_combo->setCurrentIndex(preset);
        } else {
            // -1 first: an editable combo keeps the old item's text otherwise.
            m_combo->setCurrentIndex(-1);
            m_combo->setEditText(base);
        }
    }

    void updateCheckText()
    {
        const bool named = !m_recruiterName.trimmed().isEmpty();
        m_addName->setEnabled(named);
        if (!named)
            m_addName->setChecked(false);
        m_addName->setText(named ? SourcePicker::tr("Add my name (via %1)").arg(m_recruiterName)
                                 : SourcePicker::tr("Add my name"));
        m_addName->setToolTip(
            named ? SourcePicker::tr("Adds “(via %1)” to the source, so the ATS shows who "
                                     "entered the candidate.")
                        .arg(m_recruiterName)
                  : SourcePicker::tr("Enter your name in Settings to add it to the source."));
    }
};

SourcePicker::SourcePicker(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->m_combo = new QComboBox(this);
    d->m_combo->setObjectName(u"sourceCombo"_s);
    d->m_combo->setEditable(true);
    // Free text is one candidate's source, not a new preset for everyone.
    d->m_combo->setInsertPolicy(QComboBox::NoInsert);
    for (const char *preset : kPresets)
        d->m_combo->addItem(tr(preset), QString::fromLatin1(preset));
    d->m_combo->setCurrentIndex(-1);
    d->m_combo->lineEdit()->setPlaceholderText(tr("Choose or type where the candidate came from"));
    d->m_combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    d->m_addName = new QCheckBox(this);
    d->m_addName->setObjectName(u"addMyNameCheck"_s);
    d->updateCheckText();

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->m_combo, 1);
    layout->addWidget(d->m_addName);
    setFocusProxy(d->m_combo);

    connect(d->m_combo->lineEdit(), &QLineEdit::textEdited, this, &SourcePicker::edited);
    connect(d->m_combo->lineEdit(), &QLineEdit::editingFinished, this,
            &SourcePicker::editingFinished);
    connect(d->m_combo, &QComboBox::activated, this, [this] {
        Q_EMIT edited();
        Q_EMIT editingFinished();
    });
    connect(d->m_addName, &QCheckBox::clicked, this, [this] {
        Q_EMIT edited();
        Q_EMIT editingFinished();
    });
}

SourcePicker::~SourcePicker() = default;

QString SourcePicker::source() const
{
    const QString base = d->baseSource();
    if (!addsRecruiterName())
        return base;
    const QString trimmed = base.trimmed();
    const QString suffix = viaSuffix(d->m_recruiterName.trimmed());
    return trimmed.isEmpty() ? suffix.trimmed() : trimmed + suffix;
}

void SourcePicker::setSource(const QString &source)
{
    QString base = source;
    bool adds = false;
    const QString name = d->m_recruiterName.trimmed();
    if (!name.isEmpty()) {
        const QString suffix = viaSuffix(name);
        if (base.endsWith(suffix)) {
            base.chop(suffix.size());
            adds = true;
        } else if (base.trimmed() == suffix.trimmed()) {
            base.clear();
            adds = true;
        }
    }
    d->m_addName->setChecked(adds);
    d->setBaseSource(base);
}

void SourcePicker::setRecruiterName(const QString &name)
{
    if (name == d->m_recruiterName)
        return;
    const bool adding = addsRecruiterName();
    const QString base = d->baseSource();
    d->m_recruiterName = name;
    d->updateCheckText();
    if (adding) {
        // The recruiter asked for their name: it follows a change of name.
        d->m_addName->setChecked(!name.trimmed().isEmpty());
    } else {
        // A source typed as "... (via Asha)" before the name was known is Asha's own.
        setSource(base);
    }
}

QString SourcePicker::recruiterName() const
{
    return d->m_recruiterName;
}

bool SourcePicker::addsRecruiterName() const
{
    return d->m_addName->isChecked() && !d->m_recruiterName.trimmed().isEmpty();
}

QComboBox *SourcePicker::comboBox() const
{
    return d->m_combo;
}

QCheckBox *SourcePicker::addNameCheck() const
{
    return d->m_addName;
}

QStringList SourcePicker::presets()
{
    QStringList list;
    for (const char *preset : kPresets)
        list.append(QString::fromLatin1(preset));
    return list;
}

} // namespace cdesk
