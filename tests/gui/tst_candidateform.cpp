#include "CandidateForm.h"
#include "CustomFieldsEditor.h"
#include "JobPicker.h"
#include "ResumeDropZone.h"
#include "SourcePicker.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using cdesk::Candidate;
using cdesk::CandidateField;
using cdesk::CandidateFields;
using cdesk::CandidateForm;
using cdesk::CustomFieldsEditor;
using cdesk::FieldErrors;

namespace {

template<typename T> T *child(const QWidget &parent, const QString &name)
{
    auto *widget = parent.findChild<T *>(name);
    if (!widget)
        qWarning("no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return widget;
}

QLabel *errorOf(const QWidget &form, const QString &field)
{
    return child<QLabel>(form, field + u"Error"_s);
}

Candidate sampleCandidate()
{
    Candidate c;
    c.name = u"Asha Rao"_s;
    c.email = u"asha.rao@example.com"_s;
    c.phone = u"+919876543210"_s;
    c.resumeUrl = QUrl(u"https://drive.example.com/asha-rao-cv.pdf"_s);
    c.jobId = 42;
    c.source = u"Referral"_s;
    c.industry = u"Fintech"_s;
    c.department = u"Engineering"_s;
    c.customFields = { { u"linkedin_url"_s, u"https://www.linkedin.com/in/asharao"_s },
                       { u"notes"_s, u"Prefers mornings"_s },
                       { u"consent_given_at"_s, u"2026-11-29T10:15:00Z"_s } };
    return c;
}

// The form in a shown, active window, so focus moves as it does for a recruiter.
struct ShownForm
{
    CandidateForm form;
    bool show()
    {
        form.resize(700, 1100);
        form.show();
        QApplication::setActiveWindow(&form);
        return QTest::qWaitForWindowActive(&form);
    }
    // Types into a field and leaves it with Tab.
    void typeAndLeave(QLineEdit *edit, const QString &text)
    {
        edit->setFocus(Qt::MouseFocusReason);
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Tab);
    }
};

} // namespace

class TestCandidateForm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyWidget_hasItsObjectName()
    {
        CandidateForm form;
        for (const QString &name :
             { u"nameEdit"_s, u"emailEdit"_s, u"phoneEdit"_s, u"jobPicker"_s, u"sourcePicker"_s,
               u"industryEdit"_s, u"departmentEdit"_s, u"customFields"_s, u"consentCheck"_s,
               u"resumeZone"_s, u"submitButton"_s, u"modeLabel"_s, u"formBanner"_s, u"nameError"_s,
               u"emailError"_s, u"phoneError"_s, u"sourceError"_s, u"industryError"_s,
               u"departmentError"_s }) {
            QVERIFY2(form.findChild<QWidget *>(name), qPrintable(name));
        }
        QCOMPARE(form.resumeZone(), form.findChild<cdesk::ResumeDropZone *>(u"resumeZone"_s));
        QCOMPARE(form.jobPicker(), form.findChild<cdesk::JobPicker *>(u"jobPicker"_s));
    }

    void badEmail_onLeave_showsMessageUnderIt_andKeepsTheText()
    {
        ShownForm shown;
        QVERIFY(shown.show());
        auto *email = child<QLineEdit>(shown.form, u"emailEdit"_s);
        QLabel *error = errorOf(shown.form, u"email"_s);
        QVERIFY(error->isHidden());

        shown.typeAndLeave(email, u"asha.rao@"_s);
        QTRY_VERIFY(error->isVisible());
        QVERIFY(!error->text().isEmpty());
        QCOMPARE(email->text(), u"asha.rao@"_s);
        QVERIFY(email->property("invalid").toBool());
        QCOMPARE(email->accessibleDescription(), error->text());

        // Fixed and left again: the message goes.
        shown.typeAndLeave(email, u"example.com"_s);
        QTRY_VERIFY(error->isHidden());
        QCOMPARE(email->text(), u"asha.rao@example.com"_s);
        QVERIFY(!email->property("invalid").toBool());
    }

    void validPhone_isNormalisedToE164_onLeave()
    {
        ShownForm shown;
        QVERIFY(shown.show());
        cdesk::ValidationOptions options;
        options.phoneRegion = u"IN"_s;
        shown.form.setValidationOptions(options);
        auto *phone = child<QLineEdit>(shown.form, u"phoneEdit"_s);

        shown.typeAndLeave(phone, u"098765 43210"_s);
        QTRY_COMPARE(phone->text(), u"+919876543210"_s);
        QVERIFY(errorOf(shown.form, u"phone"_s)->isHidden());

        // A number that cannot be dialled keeps what was typed.
        phone->clear();
        shown.typeAndLeave(phone, u"12345"_s);
        QTRY_VERIFY(!errorOf(shown.form, u"phone"_s)->isHidden());
        QCOMPARE(phone->text(), u"12345"_s);
    }

    void tabbingThroughAnEmptyForm_complainsAboutNothing()
    {
        ShownForm shown;
        QVERIFY(shown.show());
        auto *name = child<QLineEdit>(shown.form, u"nameEdit"_s);
        name->setFocus();
        QTRY_VERIFY(name->hasFocus());
        QTest::keyClick(name, Qt::Key_Tab);
        QTRY_VERIFY(!name->hasFocus());
        QVERIFY(errorOf(shown.form, u"name"_s)->isHidden());
    }

    void tabOrder_followsTheForm_topToBottom()
    {
        CandidateForm form;
        auto *custom = child<CustomFieldsEditor>(form, u"customFields"_s);
        custom->addRow(u"notes"_s, u"x"_s);
        // Tab stops in chain order, from the name field on.
        QStringList stops;
        QWidget *w = child<QLineEdit>(form, u"nameEdit"_s);
        for (int i = 0; i < 200 && w; ++i, w = w->nextInFocusChain()) {
            if (w == &form)
                break;
            if ((w->focusPolicy() & Qt::TabFocus) && !w->objectName().isEmpty() && !w->isHidden())
                stops.append(w->objectName());
        }
        const QStringList expected
            = { u"nameEdit"_s,     u"emailEdit"_s,   u"phoneEdit"_s,    u"resumeUrlEdit"_s,
                u"jobSearch"_s,    u"sourceCombo"_s, u"industryEdit"_s, u"departmentEdit"_s,
                u"customKey"_s,    u"customValue"_s, u"customRemove"_s, u"customAdd"_s,
                u"consentCheck"_s, u"submitButton"_s };
        // Only the order of the stops we name matters (the zone and the
        // picker have more of their own).
        QStringList seen;
        for (const QString &stop : std::as_const(stops)) {
            if (expected.contains(stop) && !seen.contains(stop))
                seen.append(stop);
        }
        QCOMPARE(seen, expected);
    }

    void setFieldErrors_putsEachMessageOnItsField_andKeepsTheContents()
    {
        CandidateForm form;
        form.setCandidate(sampleCandidate());
        FieldErrors errors;
        errors.add(u"email"_s, u"A candidate with this email already exists."_s);
        errors.add(u"phone"_s, u"Enter a valid phone number."_s);
        errors.add(u"department"_s, u"Too long."_s);
        errors.add(u"custom_fields.linkedin_url"_s, u"Enter a valid URL."_s);
        errors.add(u"custom_fields.consent_given_at"_s, u"Not a date."_s);
        errors.add(u"custom_fields.unknown_key"_s, u"Not allowed."_s);
        errors.add(u"talent_pool"_s, u"Read-only."_s);
        errors.add(FieldErrors::NonField, u"The account is over its candidate limit."_s);
        errors.add(u"job_id"_s, u"Choose an open job."_s);
        form.setFieldErrors(errors);

        QCOMPARE(errorOf(form, u"email"_s)->text(),
                 u"A candidate with this email already exists."_s);
        QVERIFY(!errorOf(form, u"email"_s)->isHidden());
        QCOMPARE(errorOf(form, u"phone"_s)->text(), u"Enter a valid phone number."_s);
        QCOMPARE(errorOf(form, u"department"_s)->text(), u"Too long."_s);
        QVERIFY(errorOf(form, u"name"_s)->isHidden());
        QCOMPARE(child<QLabel>(form, u"consentError"_s)->text(), u"Not a date."_s);
        QCOMPARE(child<QLabel>(*form.jobPicker(), u"jobError"_s)->text(), u"Choose an open job."_s);

        auto *custom = child<CustomFieldsEditor>(form, u"customFields"_s);
        const int row = custom->rowOfKey(u"linkedin_url"_s);
        QVERIFY(row >= 0);
        QCOMPARE(custom->errorLabel(row)->text(), u"Enter a valid URL."_s);
        QVERIFY(!custom->errorLabel(row)->isHidden());
        QVERIFY(custom->errorLabel(custom->rowOfKey(u"notes"_s))->isHidden());

        auto *banner = child<QLabel>(form, u"formBanner"_s);
        QVERIFY(!banner->isHidden());
        QVERIFY(banner->text().startsWith(u"The account is over its candidate limit."_s));
        QVERIFY(banner->text().contains(u"Custom field unknown_key: Not allowed."_s));
        QVERIFY(banner->text().contains(u"talent_pool: Read-only."_s));

        // The recruiter's work is all still there.
        QCOMPARE(form.candidate(), sampleCandidate());

        form.clearFieldErrors();
        QVERIFY(banner->isHidden());
        QVERIFY(errorOf(form, u"email"_s)->isHidden());
        QVERIFY(custom->errorLabel(row)->isHidden());
    }

    void candidate_roundTripsSetCandidate()
    {
        CandidateForm form;
        QSignalSpy edited(&form, &CandidateForm::edited);
        const Candidate c = sampleCandidate();
        form.setCandidate(c);
        QCOMPARE(edited.count(), 0); // loading is not editing
        QCOMPARE(form.candidate(), c);
        QCOMPARE(form.jobPicker()->jobId(), std::optional<qint64>(42));
        QCOMPARE(form.jobPicker()->jobTitle(), u"Job #42"_s);
        QCOMPARE(form.resumeZone()->resumeUrl(), c.resumeUrl);
        QVERIFY(child<QCheckBox>(form, u"consentCheck"_s)->isChecked());
        // consent_given_at belongs to the checkbox, not to a row.
        auto *custom = child<CustomFieldsEditor>(form, u"customFields"_s);
        QCOMPARE(custom->rowCount(), 2);
        QCOMPARE(custom->rowOfKey(u"consent_given_at"_s), -1);

        // Optional fields left empty are "not set".
        Candidate bare;
        bare.name = u"Ravi"_s;
        form.setCandidate(bare);
        QCOMPARE(form.candidate(), bare);
        QVERIFY(form.candidate().industry.isNull());
        QVERIFY(form.candidate().source.isNull());
        QCOMPARE(form.jobPicker()->jobId(), std::nullopt);
        QCOMPARE(custom->rowCount(), 0);
    }

    void changedFields_afterEditingTwoFields_inUpdateMode()
    {
        ShownForm shown;
        QVERIFY(shown.show());
        CandidateForm &form = shown.form;
        form.setCandidate(sampleCandidate());
        form.setUpdateTarget(123);
        QVERIFY(form.changedFields().isEmpty());
        QSignalSpy edited(&form, &CandidateForm::edited);

        auto *phone = child<QLineEdit>(form, u"phoneEdit"_s);
        phone->selectAll();
        shown.typeAndLeave(phone, u"+91 98765 00000"_s);
        auto *department = child<QLineEdit>(form, u"departmentEdit"_s);
        department->selectAll();
        shown.typeAndLeave(department, u"Platform"_s);
        QVERIFY(edited.count() > 0);

        QCOMPARE(form.changedFields(),
                 (CandidateFields { CandidateField::Phone, CandidateField::Department }));
        QCOMPARE(form.candidate().phone, u"+919876500000"_s);

        // Typed back to what it was: no longer a change.
        department->selectAll();
        shown.typeAndLeave(department, u"Engineering"_s);
        QCOMPARE(form.changedFields(), CandidateFields { CandidateField::Phone });

        // A draft of this keeps the baseline and the marks.
        CandidateForm restored;
        restored.setCandidate(form.candidate());
        restored.setDraftState(form.draftState());
        QCOMPARE(restored.updateTarget(), std::optional<qint64>(123));
        QCOMPARE(restored.changedFields(), CandidateFields { CandidateField::Phone });
        QCOMPARE(restored.candidate(), form.candidate());
    }

    void startUpdate_keepsWhatWasTyped_andMeasuresAgainstTheRecord()
    {
        CandidateForm form;
        Candidate typed;
        typed.name = u"Asha Rao"_s;
        typed.email = u"asha.rao@example.com"_s;
        typed.phone = u"+919812345678"_s;
        form.setCandidate(typed);

        Candidate record = sampleCandidate();
        form.startUpdate(77, record);
        QCOMPARE(form.updateTarget(), std::optional<qint64>(77));
        const Candidate now = form.candidate();
        QCOMPARE(now.phone, typed.phone);
        QCOMPARE(now.industry, record.industry); // filled from the record
        QCOMPARE(now.jobId, record.jobId);
        QCOMPARE(now.customFields, record.customFields);
        QCOMPARE(form.changedFields(), CandidateFields { CandidateField::Phone });
    }

    void edited_firesOnEveryChange_butNotOnLoad()
    {
        CandidateForm form;
        QSignalSpy edited(&form, &CandidateForm::edited);
        form.setCandidate(sampleCandidate());
        form.clear();
        QCOMPARE(edited.count(), 0);

        QTest::keyClicks(child<QLineEdit>(form, u"nameEdit"_s), u"Ab"_s);
        QCOMPARE(edited.count(), 2); // once per keystroke, for the debounced autosave
        QTest::keyClick(child<QLineEdit>(*form.jobPicker(), u"jobSearch"_s), Qt::Key_Down);
        QTest::keyClicks(child<QLineEdit>(*form.resumeZone(), u"resumeUrlEdit"_s), u"h"_s);
        QTest::keyClick(child<QComboBox>(form, u"sourceCombo"_s), Qt::Key_Down);
        QTest::mouseClick(child<QPushButton>(form, u"customAdd"_s), Qt::LeftButton);
        QCOMPARE(edited.count(), 5);
    }

    void modeLabel_andSubmitText_sayCreateOrUpdate()
    {
        CandidateForm form;
        auto *mode = child<QLabel>(form, u"modeLabel"_s);
        auto *submit = child<QPushButton>(form, u"submitButton"_s);
        QCOMPARE(mode->text(), u"New candidate — Submit creates it"_s);
        QCOMPARE(submit->text(), u"Submit"_s);

        form.setUpdateTarget(123);
        QCOMPARE(mode->text(), u"Update #123 — Submit changes only what you edit"_s);
        QCOMPARE(submit->text(), u"Update #123"_s);

        QSignalSpy submitted(&form, &CandidateForm::submitRequested);
        QTest::mouseClick(submit, Qt::LeftButton);
        QCOMPARE(submitted.count(), 1);

        form.clear();
        QCOMPARE(form.updateTarget(), std::nullopt);
        QCOMPARE(mode->text(), u"New candidate — Submit creates it"_s);
        QCOMPARE(submit->text(), u"Submit"_s);
    }

    void consent_addsConsentGivenAt_inUtc()
    {
        CandidateForm form;
        auto *consent = child<QCheckBox>(form, u"consentCheck"_s);
        QVERIFY(!form.candidate().customFields.contains(u"consent_given_at"_s));
        QSignalSpy edited(&form, &CandidateForm::edited);

        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        QTest::mouseClick(consent, Qt::LeftButton);
        const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(1);
        QVERIFY(consent->isChecked());
        QCOMPARE(edited.count(), 1);
        const QString text = form.candidate().customFields.value(u"consent_given_at"_s);
        QVERIFY2(text.endsWith(u'Z'), qPrintable(text));
        const QDateTime when = QDateTime::fromString(text, Qt::ISODate);
        QVERIFY(when.isValid());
        QCOMPARE(when.timeSpec(), Qt::UTC);
        QVERIFY(when >= before && when <= after);
        QVERIFY(form.changedFields().contains(CandidateField::CustomFields));

        QTest::mouseClick(consent, Qt::LeftButton);
        QVERIFY(!form.candidate().customFields.contains(u"consent_given_at"_s));
    }

    void source_presets_freeText_andAddMyName()
    {
        CandidateForm form;
        auto *picker = child<cdesk::SourcePicker>(form, u"sourcePicker"_s);
        QComboBox *combo = picker->comboBox();
        QStringList items;
        for (int i = 0; i < combo->count(); ++i)
            items.append(combo->itemText(i));
        QCOMPARE(items,
                 (QStringList { u"Career page"_s, u"Referral"_s, u"LinkedIn"_s, u"Job board"_s,
                                u"Agency"_s, u"Event"_s, u"Manual entry"_s }));

        // A preset, chosen with the arrow keys.
        QSignalSpy edited(&form, &CandidateForm::edited);
        QTest::keyClick(combo, Qt::Key_Down); // no current item yet: the first preset
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(form.candidate().source, u"Referral"_s);
        QVERIFY(edited.count() >= 2);

        // Free text.
        combo->lineEdit()->clear();
        QTest::keyClicks(combo->lineEdit(), u"Campus drive at IIT"_s);
        QCOMPARE(form.candidate().source, u"Campus drive at IIT"_s);

        // "Add my name" needs a name, then appends it.
        auto *addName = child<QCheckBox>(form, u"addMyNameCheck"_s);
        QVERIFY(!addName->isEnabled());
        form.setRecruiterName(u"Meera Iyer"_s);
        QVERIFY(addName->isEnabled());
        QTest::mouseClick(addName, Qt::LeftButton);
        QCOMPARE(form.candidate().source, u"Campus drive at IIT (via Meera Iyer)"_s);
        // The last choice is there for the window to remember.
        QCOMPARE(form.draftState().lastSource,
                 u"Campus drive at IIT (via Meera Iyer)"_s);

        // A record with the suffix comes back with the box ticked.
        CandidateForm other;
        other.setRecruiterName(u"Meera Iyer"_s);
        Candidate c;
        c.source = u"LinkedIn (via Meera Iyer)"_s;
        other.setCandidate(c);
        QVERIFY(child<QCheckBox>(other, u"addMyNameCheck"_s)->isChecked());
        QCOMPARE(child<cdesk::SourcePicker>(other, u"sourcePicker"_s)->comboBox()->currentText(),
                 u"LinkedIn"_s);
        QCOMPARE(other.candidate().source, c.source);
        // Someone else's "(via ...)" is just text.
        c.source = u"Agency (via Ravi)"_s;
        other.setCandidate(c);
        QVERIFY(!child<QCheckBox>(other, u"addMyNameCheck"_s)->isChecked());
        QCOMPARE(other.candidate().source, c.source);
    }

    void defaultSource_startsANewCandidate()
    {
        CandidateForm form;
        form.setDefaultSource(u"Career page"_s);
        QCOMPARE(form.candidate().source, u"Career page"_s);
        form.setCandidate(sampleCandidate());
        form.clear();
        QCOMPARE(form.candidate().source, u"Career page"_s);
        QVERIFY(form.candidate().name.isEmpty());
    }

    void customFields_addValidateRemove()
    {
        ShownForm shown;
        QVERIFY(shown.show());
        CandidateForm &form = shown.form;
        auto *custom = child<CustomFieldsEditor>(form, u"customFields"_s);
        QSignalSpy edited(&form, &CandidateForm::edited);

        QTest::mouseClick(child<QPushButton>(form, u"customAdd"_s), Qt::LeftButton);
        QCOMPARE(custom->rowCount(), 1);
        QTRY_VERIFY(custom->keyEdit(0)->hasFocus());
        QTest::keyClicks(custom->keyEdit(0), u"LinkedIn URL"_s);
        QTest::keyClick(custom->keyEdit(0), Qt::Key_Tab);
        QTRY_VERIFY(!custom->errorLabel(0)->isHidden());
        QVERIFY(custom->errorLabel(0)->text().contains(u"a–z, 0–9 and _"_s));
        QCOMPARE(custom->keyEdit(0)->text(), u"LinkedIn URL"_s); // kept as typed

        custom->keyEdit(0)->selectAll();
        shown.typeAndLeave(custom->keyEdit(0), u"linkedin_url"_s);
        QTRY_VERIFY(custom->errorLabel(0)->isHidden());
        shown.typeAndLeave(custom->valueEdit(0), u"  https://www.linkedin.com/in/x  "_s);
        QTRY_COMPARE(custom->valueEdit(0)->text(), u"https://www.linkedin.com/in/x"_s);
        QCOMPARE(
            form.candidate().customFields,
            (QMap<QString, QString> { { u"linkedin_url"_s, u"https://www.linkedin.com/in/x"_s } }));

        // A second row with the same name is refused on its row.
        QTest::mouseClick(child<QPushButton>(form, u"customAdd"_s), Qt::LeftButton);
        QTRY_VERIFY(custom->keyEdit(1)->hasFocus());
        shown.typeAndLeave(custom->keyEdit(1), u"linkedin_url"_s);
        QTRY_VERIFY(!custom->errorLabel(1)->isHidden());
        QVERIFY(!form.validateAll());

        // The consent key belongs to the checkbox.
        custom->keyEdit(1)->selectAll();
        shown.typeAndLeave(custom->keyEdit(1), u"consent_given_at"_s);
        QTRY_VERIFY(custom->errorLabel(1)->text().contains(u"checkbox"_s));

        // Remove it with its button: the first row stays, and so does its value.
        const int before = edited.count();
        auto *remove = custom->findChildren<QToolButton *>(u"customRemove"_s).value(1);
        QVERIFY(remove);
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(custom->rowCount(), 1);
        QVERIFY(edited.count() > before);
        QCOMPARE(form.candidate().customFields.value(u"linkedin_url"_s),
                 u"https://www.linkedin.com/in/x"_s);

        // Unfinished rows survive a draft.
        custom->addRow({}, u"a value without a name"_s);
        CandidateForm restored;
        restored.setCandidate(form.candidate());
        restored.setDraftState(form.draftState());
        auto *restoredCustom = child<CustomFieldsEditor>(restored, u"customFields"_s);
        QCOMPARE(restoredCustom->rows(), custom->rows());
    }

    void validateAll_showsEveryProblem_andFocusesTheFirst()
    {
        ShownForm shown;
        QVERIFY(shown.show());
        CandidateForm &form = shown.form;
        child<QLineEdit>(form, u"departmentEdit"_s)->setFocus();
        QVERIFY(!form.validateAll());
        QVERIFY(!errorOf(form, u"name"_s)->isHidden());
        QVERIFY(!errorOf(form, u"email"_s)->isHidden());
        QVERIFY(!errorOf(form, u"phone"_s)->isHidden());
        QVERIFY(!child<QLabel>(*form.resumeZone(), u"resumeError"_s)->text().isEmpty());
        QVERIFY(errorOf(form, u"department"_s)->isHidden());
        QTRY_VERIFY(child<QLineEdit>(form, u"nameEdit"_s)->hasFocus());

        Candidate c = sampleCandidate();
        c.phone = u"98765 43210"_s;
        c.name = u"  Asha Rao "_s;
        form.setCandidate(c);
        QVERIFY(form.validateAll());
        QCOMPARE(form.candidate().phone, u"+919876543210"_s);
        QCOMPARE(form.candidate().name, u"Asha Rao"_s);

        // In update mode the resume may stay the server's.
        form.resumeZone()->clear();
        QVERIFY(!form.validateAll());
        form.setUpdateTarget(5);
        QVERIFY(form.validateAll());
    }
};

QTEST_MAIN(TestCandidateForm)
#include "tst_candidateform.moc"
