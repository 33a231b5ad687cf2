#include "CandidateForm.h"

#include "CustomFieldsEditor.h"
#include "FieldMarks.h"
#include "JobPicker.h"
#include "ResumeDropZone.h"
#include "SourcePicker.h"
#include "core/Clock.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

const QString kCustomPrefix = u"custom_fields."_s;


// Red text under a field, a red frame around it: drawn from properties, so
// the palette and the platform style stay as they are everywhere else.
const QString kStyleSheet = uR"(
QLabel[fieldError="true"] { color: #b3261e; }
QLineEdit[invalid="true"], QComboBox[invalid="true"], QListView[invalid="true"] {
    border: 1px solid #b3261e; border-radius: 3px; padding: 2px;
}
cdesk--ResumeDropZone[invalid="true"] { border: 2px solid #b3261e; }
QLineEdit[autofilled="true"] { background: #fff8db; }
QLabel#formBanner {
    background: #fdecea; color: #5f2120; border: 1px solid #f1aeb5; border-radius: 4px;
    padding: 6px;
}
)"_s;

QString nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QString() : text;
}

} // namespace

class CandidateForm::Private
{
public:
    // One line of text with its message under it.
    struct TextField
    {
        CandidateField field;
        QLineEdit *edit = nullptr;
        QLabel *error = nullptr;
    };

    CandidateForm *q = nullptr;
    CandidateValidator m_validator;
    Clock *m_clock = Clock::system();

    QLabel *m_mode = nullptr;
    QLabel *m_banner = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_email = nullptr;
    QLineEdit *m_phone = nullptr;
    ResumeDropZone *m_resume = nullptr;
    JobPicker *m_job = nullptr;
    SourcePicker *m_source = nullptr;
    QLabel *m_sourceError = nullptr;
    QLineEdit *m_industry = nullptr;
    QLineEdit *m_department = nullptr;
    CustomFieldsEditor *m_custom = nullptr;
    QCheckBox *m_consent = nullptr;
    QLabel *m_consentTime = nullptr;
    QLabel *m_consentError = nullptr;
    QPushButton *m_submit = nullptr;
    QList<TextField> m_textFields; // name, email, phone, industry, department
    // The draft's state as last set: the parts the form does not show (the
    // queued submission, the original of a resume sent smaller) travel on.
    DraftState m_state;

    QString m_consentGivenAt; // ISO 8601 UTC; empty: not given
    QString m_defaultSource;
    // Create or update, the baseline an update is measured against, and the
    // fields the recruiter touched.
    CandidateEdit m_edit;
    // Typed in since they were last checked: leaving them checks them.
    CandidateFields m_dirty;
    // Set while the form fills itself: nothing of that is the recruiter's edit.
    bool m_loading = false;

    TextField *textField(CandidateField field)
    {
        for (auto &entry : m_textFields) {
            if (entry.field == field)
                return &entry;
        }
        return nullptr;
    }

    QString check(CandidateField field, QString *value) const
    {
        switch (field) {
        case CandidateField::Name:
            return m_validator.checkName(value);
        case CandidateField::Email:
            return m_validator.checkEmail(value);
        case CandidateField::Phone:
            return m_validator.checkPhone(value);
        case CandidateField::Industry:
            return m_validator.checkIndustry(value);
        case CandidateField::Department:
            return m_validator.checkDepartment(value);
        case CandidateField::Source:
            return m_validator.checkSource(value);
        default:
            break;
        }
        return {};
    }

    static void showMessage(QLabel *label, QWidget *field, const QString &message)
    {
        label->setText(message);
        label->setVisible(!message.isEmpty());
        markInvalid(field, !message.isEmpty());
        // Screen readers read the problem with the field, not only the red.
        field->setAccessibleDescription(message);
    }

    // Checks one line of text; the value is normalised (E.164, trimmed, NFC)
    // only when it passes, so a refused value stays exactly as typed.
    // Returns the message.
    QString checkText(TextField &entry)
    {
        QString value = entry.edit->text();
        const QString message = check(entry.field, &value);
        if (message.isEmpty() && value != entry.edit->text())
            entry.edit->setText(value);
        showMessage(entry.error, entry.edit, message);
        m_dirty.remove(entry.field);
        return message;
    }

    QString checkSource()
    {
        QString value = m_source->source();
        const QString message = m_validator.checkSource(&value);
        if (message.isEmpty() && value != m_source->source())
            m_source->setSource(value);
        showMessage(m_sourceError, m_source->comboBox(), message);
        m_dirty.remove(CandidateField::Source);
        return message;
    }

    void touch(CandidateField field)
    {
        if (m_loading)
            return;
        m_edit.touch(field);
        Q_EMIT q->edited();
    }

    void setConsent(const QString &givenAt)
    {
        m_consentGivenAt = givenAt;
        m_consent->setChecked(!givenAt.isEmpty());
        const QDateTime when = QDateTime::fromString(givenAt, Qt::ISODateWithMs);
        m_consentTime->setText(
            when.isValid() ? CandidateForm::tr("Recorded %1")
                                 .arg(QLocale().toString(when.toLocalTime(), QLocale::ShortFormat))
                           : QString());
        m_consentTime->setVisible(when.isValid());
    }

    void updateMode()
    {
        if (const auto target = m_edit.updateTarget()) {
            m_mode->setText(CandidateForm::tr("Update #%1 — Submit changes only what you edit")
                                .arg(*target));
            m_submit->setText(CandidateForm::tr("Update #%1").arg(*target));
        } else {
            m_mode->setText(CandidateForm::tr("New candidate — Submit creates it"));
            m_submit->setText(CandidateForm::tr("Submit"));
        }
    }

    void build();
};

void CandidateForm::Private::build()
{
    // Widgets are made in the order they show: the focus chain follows the
    // order of creation, so Tab walks the form top to bottom.
    m_mode = new QLabel(q);
    m_mode->setObjectName(u"modeLabel"_s);
    QFont bold = m_mode->font();
    bold.setBold(true);
    m_mode->setFont(bold);

    m_banner = errorLabel(u"formBanner"_s, q);
    m_banner->setProperty("fieldError", false);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);

    const auto textField = [&](CandidateField field, const QString &labelText,
                               const QString &objectName, const QString &placeholder) {
        // The label first, so it precedes its field in the focus chain too.
        auto *label = new QLabel(labelText, q);
        auto *edit = new QLineEdit(q);
        edit->setObjectName(objectName);
        edit->setPlaceholderText(placeholder);
        auto *error = errorLabel(fieldName(field) + u"Error"_s, q);
        label->setBuddy(edit);
        auto *box = new QVBoxLayout;
        box->setSpacing(2);
        box->addWidget(edit);
        box->addWidget(error);
        form->addRow(label, box);
        m_textFields.append({ field, edit, error });
        return edit;
    };

    m_name = textField(CandidateField::Name, CandidateForm::tr("&Name"), u"nameEdit"_s,
                       CandidateForm::tr("Asha Rao"));
    m_email = textField(CandidateField::Email, CandidateForm::tr("E&mail"), u"emailEdit"_s,
                        CandidateForm::tr("asha.rao@example.com"));
    m_email->setInputMethodHints(Qt::ImhEmailCharactersOnly);
    m_phone = textField(CandidateField::Phone, CandidateForm::tr("&Phone"), u"phoneEdit"_s,
                        CandidateForm::tr("+91 98765 43210"));
    m_phone->setInputMethodHints(Qt::ImhDialableCharactersOnly);

    auto *resumeLabel = new QLabel(CandidateForm::tr("&Resume"), q);
    m_resume = new ResumeDropZone(q);
    m_resume->setObjectName(u"resumeZone"_s);
    resumeLabel->setBuddy(m_resume);
    form->addRow(resumeLabel, m_resume);

    auto *jobLabel = new QLabel(CandidateForm::tr("&Job"), q);
    m_job = new JobPicker(q);
    m_job->setObjectName(u"jobPicker"_s);
    jobLabel->setBuddy(m_job);
    form->addRow(jobLabel, m_job);

    auto *sourceLabel = new QLabel(CandidateForm::tr("&Source"), q);
    m_source = new SourcePicker(q);
    m_source->setObjectName(u"sourcePicker"_s);
    m_sourceError = errorLabel(u"sourceError"_s, q);
    sourceLabel->setBuddy(m_source);
    {
        auto *box = new QVBoxLayout;
        box->setSpacing(2);
        box->addWidget(m_source);
        box->addWidget(m_sourceError);
        form->addRow(sourceLabel, box);
    }

    m_industry = textField(CandidateField::Industry, CandidateForm::tr("&Industry"),
                           u"industryEdit"_s, CandidateForm::tr("Optional, like Fintech"));
    m_department = textField(CandidateField::Department, CandidateForm::tr("&Department"),
                             u"departmentEdit"_s, CandidateForm::tr("Optional, like Engineering"));

    auto *customLabel = new QLabel(CandidateForm::tr("Custom fields"), q);
    m_custom = new CustomFieldsEditor(q);
    m_custom->setObjectName(u"customFields"_s);
    m_custom->setReservedKey(consentFieldKey(),
                             CandidateForm::tr("consent_given_at is recorded by the consent "
                                               "checkbox below. Tick the box instead."));
    customLabel->setBuddy(m_custom);
    form->addRow(customLabel, m_custom);

    m_consent = new QCheckBox(CandidateForm::tr("The candidate &agreed to be added"), q);
    m_consent->setObjectName(u"consentCheck"_s);
    m_consent->setToolTip(CandidateForm::tr("The time you tick this is sent as the custom field "
                                            "consent_given_at."));
    m_consentTime = new QLabel(q);
    m_consentTime->setObjectName(u"consentTime"_s);
    m_consentTime->setVisible(false);
    m_consentError = errorLabel(u"consentError"_s, q);
    {
        auto *box = new QVBoxLayout;
        box->setSpacing(2);
        auto *line = new QHBoxLayout;
        line->addWidget(m_consent);
        line->addWidget(m_consentTime);
        line->addStretch(1);
        box->addLayout(line);
        box->addWidget(m_consentError);
        form->addRow(box);
    }

    m_submit = new QPushButton(q);
    m_submit->setObjectName(u"submitButton"_s);
    m_submit->setToolTip(CandidateForm::tr("Send the candidate (Ctrl+Enter)"));

    auto *layout = new QVBoxLayout(q);
    layout->addWidget(m_mode);
    layout->addWidget(m_banner);
    layout->addLayout(form);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_submit);
    layout->addLayout(buttons);
    layout->addStretch(1);
}

CandidateForm::CandidateForm(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->build();
    setStyleSheet(kStyleSheet);

    for (auto &entry : d->m_textFields) {
        const CandidateField field = entry.field;
        QLineEdit *edit = entry.edit;
        // textEdited: only the recruiter's typing, not the form's own normalising.
        connect(edit, &QLineEdit::textEdited, this, [this, field, edit] {
            // The recruiter has looked at it: no longer "from the resume, check it".
            if (edit->property("autofilled").toBool()) {
                setMark(edit, "autofilled", false);
                edit->setToolTip({});
            }
            d->m_dirty.insert(field);
            d->m_edit.touch(field); // edited() comes with textChanged, once
        });
        connect(edit, &QLineEdit::textChanged, this, [this] {
            if (!d->m_loading)
                Q_EMIT edited();
        });
        // Leaving a field checks it, if it was typed in: tabbing through an
        // empty form does not fill it with complaints.
        connect(edit, &QLineEdit::editingFinished, this, [this, field] {
            if (d->m_dirty.contains(field))
                d->checkText(*d->textField(field));
        });
    }

    connect(d->m_source, &SourcePicker::edited, this, [this] {
        d->m_dirty.insert(CandidateField::Source);
        d->touch(CandidateField::Source);
    });
    connect(d->m_source, &SourcePicker::editingFinished, this, [this] {
        if (d->m_dirty.contains(CandidateField::Source))
            d->checkSource();
    });

    connect(d->m_job, &JobPicker::changed, this, [this] { d->touch(CandidateField::JobId); });

    connect(d->m_resume, &ResumeDropZone::changed, this, [this] {
        markInvalid(d->m_resume, false);
        if (!d->m_loading)
            Q_EMIT edited();
    });

    connect(d->m_custom, &CustomFieldsEditor::edited, this,
            [this] { d->touch(CandidateField::CustomFields); });

    connect(d->m_consent, &QCheckBox::toggled, this, [this](bool checked) {
        if (d->m_loading)
            return;
        // The moment of the tick is the record of consent; unticking withdraws it.
        d->setConsent(checked ? d->m_clock->now().toUTC().toString(Qt::ISODate) : QString());
        Private::showMessage(d->m_consentError, d->m_consent, {});
        d->touch(CandidateField::CustomFields);
    });

    connect(d->m_submit, &QPushButton::clicked, this, &CandidateForm::submitRequested);

    clear();
}

CandidateForm::~CandidateForm()
{
    // The fields outlive this body: QWidget deletes them later, and a field
    // that loses focus then says editingFinished. Its handlers read d, which
    // is gone by then, so they are cut first.
    for (QObject *child : findChildren<QObject *>())
        child->disconnect(this);
}

Candidate CandidateForm::candidate() const
{
    Candidate c;
    c.name = d->m_name->text();
    c.email = d->m_email->text();
    c.phone = d->m_phone->text();
    c.resumeFile = d->m_resume->filePath();
    c.resumeUrl = d->m_resume->resumeUrl();
    c.jobId = d->m_job->jobId();
    c.source = nullIfEmpty(d->m_source->source());
    c.industry = nullIfEmpty(d->m_industry->text());
    c.department = nullIfEmpty(d->m_department->text());
    c.customFields = d->m_custom->fields();
    if (!d->m_consentGivenAt.isEmpty())
        c.customFields.insert(consentFieldKey(), d->m_consentGivenAt);
    return c;
}

void CandidateForm::setCandidate(const Candidate &candidate)
{
    const QScopedValueRollback loading(d->m_loading, true);
    d->m_name->setText(candidate.name);
    d->m_email->setText(candidate.email);
    d->m_phone->setText(candidate.phone);
    d->m_resume->clear();
    if (!candidate.resumeFile.isEmpty())
        d->m_resume->setFilePath(candidate.resumeFile);
    if (!candidate.resumeUrl.isEmpty())
        d->m_resume->setResumeUrl(candidate.resumeUrl);
    d->m_job->setJobId(candidate.jobId);
    d->m_source->setSource(candidate.source);
    d->m_industry->setText(candidate.industry);
    d->m_department->setText(candidate.department);
    QMap<QString, QString> custom = candidate.customFields;
    d->setConsent(custom.take(consentFieldKey()));
    d->m_custom->setFields(custom);

    d->m_edit.reset(candidate);
    d->m_dirty.clear();
    clearFieldErrors();
}

QStringList CandidateForm::fillFromResume(const AutofillResult &fill)
{
    QStringList filled;
    auto put = [&](CandidateField field, const QString &value, const QString &label) {
        Private::TextField *entry = d->textField(field);
        if (!entry || value.isEmpty() || !entry->edit->text().trimmed().isEmpty())
            return; // what the recruiter typed always wins
        entry->edit->setText(value);
        setMark(entry->edit, "autofilled", true);
        entry->edit->setToolTip(tr("Filled from the resume: please check it."));
        d->m_dirty.insert(field);
        d->touch(field);
        filled.append(label);
    };
    put(CandidateField::Name, fill.name, tr("name"));
    put(CandidateField::Email, fill.email, tr("email"));
    put(CandidateField::Phone, fill.phone, tr("phone"));
    QMap<QString, QString> custom = d->m_custom->fields();
    bool linksAdded = false;
    for (auto it = fill.links.cbegin(); it != fill.links.cend(); ++it) {
        if (custom.contains(it.key()))
            continue;
        d->m_custom->addRow(it.key(), it.value());
        linksAdded = true;
        filled.append(it.key());
    }
    if (linksAdded)
        d->touch(CandidateField::CustomFields);
    if (!filled.isEmpty())
        Q_EMIT edited();
    return filled;
}

void CandidateForm::clear()
{
    {
        const QScopedValueRollback loading(d->m_loading, true);
        setCandidate({});
        d->m_state = {};
        d->m_source->setSource(d->m_defaultSource);
        d->m_edit.reset(candidate()); // the default source is not an edit
    }
    setUpdateTarget(std::nullopt);
}

void CandidateForm::setUpdateTarget(const std::optional<qint64> &id)
{
    d->m_edit.setUpdateTarget(id);
    d->updateMode();
}

std::optional<qint64> CandidateForm::updateTarget() const
{
    return d->m_edit.updateTarget();
}

void CandidateForm::startUpdate(qint64 id, const Candidate &serverRecord)
{
    const QList<CustomFieldsEditor::Row> typedRows = d->m_custom->rows();
    const Candidate merged = d->m_edit.startUpdate(id, candidate(), serverRecord);
    const CandidateEdit edit = d->m_edit;
    {
        const QScopedValueRollback loading(d->m_loading, true);
        setCandidate(merged);
        // Rows without a name yet are unfinished work, kept as they were.
        for (const auto &[key, value] : typedRows) {
            if (key.trimmed().isEmpty() && !value.trimmed().isEmpty())
                d->m_custom->addRow(key, value);
        }
    }
    d->m_edit = edit; // setCandidate() took the merge as the baseline: the record is
    d->updateMode();
}

CandidateFields CandidateForm::changedFields() const
{
    return d->m_edit.changedFields(candidate());
}

void CandidateForm::setClock(Clock *clock)
{
    d->m_clock = clock;
}

void CandidateForm::setValidationOptions(const ValidationOptions &options)
{
    d->m_validator = CandidateValidator(options);
    d->m_resume->setMaxBytes(options.maxResumeBytes);
}

void CandidateForm::setRecruiterName(const QString &name)
{
    const QScopedValueRollback loading(d->m_loading, true);
    d->m_source->setRecruiterName(name);
}

void CandidateForm::setDefaultSource(const QString &source)
{
    d->m_defaultSource = source;
    // A new, untouched form takes it now; a candidate being edited keeps theirs.
    if (!d->m_edit.updateTarget() && !d->m_edit.isTouched(CandidateField::Source)
        && d->m_source->source() == d->m_edit.baseline().source) {
        const QScopedValueRollback loading(d->m_loading, true);
        d->m_source->setSource(source);
        Candidate baseline = d->m_edit.baseline();
        baseline.source = nullIfEmpty(d->m_source->source());
        d->m_edit.setBaseline(baseline);
    }
}

bool CandidateForm::validateAll()
{
    clearFieldErrors();
    QWidget *first = nullptr;
    const auto note = [&first](QWidget *widget, const QString &message) {
        if (!first && !message.isEmpty())
            first = widget;
    };
    for (const CandidateField field :
         { CandidateField::Name, CandidateField::Email, CandidateField::Phone }) {
        Private::TextField *entry = d->textField(field);
        note(entry->edit, d->checkText(*entry));
    }

    // The file itself (there, readable, not empty, not too large) is checked
    // by the drop zone off the GUI thread; here only what needs no disk.
    QUrl url = d->m_resume->resumeUrl();
    QString resumeMessage = d->m_validator.checkResumeUrl(&url);
    if (resumeMessage.isEmpty() && !d->m_edit.updateTarget())
        resumeMessage = d->m_validator.checkResumeGiven(d->m_resume->filePath(), url);
    if (!resumeMessage.isEmpty()) {
        d->m_resume->setError(resumeMessage);
        markInvalid(d->m_resume, true);
        note(d->m_resume, resumeMessage);
    }

    note(d->m_source, d->checkSource());
    for (const CandidateField field : { CandidateField::Industry, CandidateField::Department }) {
        Private::TextField *entry = d->textField(field);
        note(entry->edit, d->checkText(*entry));
    }
    if (QWidget *problem = d->m_custom->validate(); problem && !first)
        first = problem;

    if (first)
        first->setFocus(Qt::OtherFocusReason);
    return first == nullptr;
}

void CandidateForm::setFieldErrors(const FieldErrors &errors)
{
    clearFieldErrors();
    QStringList banner = errors.messages(FieldErrors::NonField);
    QStringList resume;
    bool onFields = false;
    const QStringList fields = errors.fields();
    for (const QString &field : fields) {
        if (field == FieldErrors::NonField)
            continue;
        const QString message = errors.messages(field).join(u' ');
        onFields = true;
        const auto known = fieldFromName(field);
        if (known) {
            if (Private::TextField *entry = d->textField(*known)) {
                Private::showMessage(entry->error, entry->edit, message);
                continue;
            }
        }
        if (known == CandidateField::Source) {
            Private::showMessage(d->m_sourceError, d->m_source->comboBox(), message);
        } else if (known == CandidateField::JobId) {
            d->m_job->setError(message);
        } else if (known == CandidateField::Resume || known == CandidateField::ResumeUrl) {
            resume.append(message);
        } else if (known == CandidateField::CustomFields) {
            d->m_custom->setError(message);
        } else if (field.startsWith(kCustomPrefix)) {
            const QString key = field.mid(kCustomPrefix.size());
            if (key == consentFieldKey()) {
                Private::showMessage(d->m_consentError, d->m_consent, message);
            } else if (!d->m_custom->setRowError(key, message)) {
                banner.append(tr("%1: %2").arg(FieldErrors::label(field), message));
            }
        } else {
            // A field this form does not have: still the recruiter's to read.
            banner.append(tr("%1: %2").arg(FieldErrors::label(field), message));
        }
    }
    if (!resume.isEmpty()) {
        d->m_resume->setError(resume.join(u' '));
        markInvalid(d->m_resume, true);
    }
    if (onFields)
        banner.append(tr("Fix the fields marked in red, then submit again."));
    d->m_banner->setText(banner.join(u'\n'));
    d->m_banner->setVisible(!banner.isEmpty());
}

void CandidateForm::clearFieldErrors()
{
    for (auto &entry : d->m_textFields)
        Private::showMessage(entry.error, entry.edit, {});
    Private::showMessage(d->m_sourceError, d->m_source->comboBox(), {});
    Private::showMessage(d->m_consentError, d->m_consent, {});
    d->m_job->setError({});
    d->m_resume->setError({});
    markInvalid(d->m_resume, false);
    d->m_custom->clearErrors();
    d->m_banner->clear();
    d->m_banner->setVisible(false);
}

DraftState CandidateForm::draftState() const
{
    DraftState state = d->m_state;
    state.edit = d->m_edit;
    state.consentGivenAt = d->m_consentGivenAt;
    state.customRows.clear();
    for (const auto &[key, value] : d->m_custom->rows())
        state.customRows.append({ key, value });
    state.lastSource = d->m_source->source();
    return state;
}

void CandidateForm::setDraftState(const DraftState &state)
{
    d->m_state = state;
    {
        const QScopedValueRollback loading(d->m_loading, true);
        // What a draft does not name stays as setCandidate() left it.
        if (!state.consentGivenAt.isEmpty())
            d->setConsent(state.consentGivenAt);
        const Candidate baseline = d->m_edit.baseline();
        d->m_edit = state.edit;
        if (!state.hasBaseline())
            d->m_edit.setBaseline(baseline);
        if (!state.customRows.isEmpty()) {
            QList<CustomFieldsEditor::Row> rows;
            for (const CustomFieldRow &row : state.customRows)
                rows.append({ row.key, row.value });
            d->m_custom->setRows(rows);
        }
    }
    d->updateMode();
}

void CandidateForm::setOriginalResume(const QString &path)
{
    d->m_state.originalResume = path;
}

JobPicker *CandidateForm::jobPicker() const
{
    return d->m_job;
}

ResumeDropZone *CandidateForm::resumeZone() const
{
    return d->m_resume;
}

} // namespace cdesk
