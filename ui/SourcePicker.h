#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;

namespace cdesk {

// Where the candidate came from: an editable combo box with the presets
// (Career page, Referral, LinkedIn, ...) that also takes free text, and a
// checkbox that appends " (via <recruiter>)" so the ATS shows who entered the
// candidate. A private part of CandidateForm.
class SourcePicker : public QWidget
{
    Q_OBJECT
public:
    explicit SourcePicker(QWidget *parent = nullptr);
    ~SourcePicker() override;

    // What goes to the ATS: a preset's untranslated value or the free text as
    // typed, plus " (via <name>)" when the checkbox is ticked.
    QString source() const;
    // Takes a source as source() gives it: a preset shows in the recruiter's
    // language, and a " (via <recruiter>)" ending ticks the checkbox.
    void setSource(const QString &source);

    void setRecruiterName(const QString &name);
    QString recruiterName() const;
    bool addsRecruiterName() const;

    QComboBox *comboBox() const;
    QCheckBox *addNameCheck() const;

    // The untranslated preset values, in the order the list shows them.
    static QStringList presets();

Q_SIGNALS:
    void edited(); // the recruiter changed the source (typing, a preset, the checkbox)
    void editingFinished(); // the recruiter left the text or picked a preset

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
