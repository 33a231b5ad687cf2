#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QWidget>

#include <utility>

class QLabel;
class QLineEdit;

namespace cdesk {

// The account's own fields as key-value rows that the recruiter adds and
// removes. Each row is checked as the recruiter leaves it, and shows its
// problem under it. A private part of CandidateForm.
class CustomFieldsEditor : public QWidget
{
    Q_OBJECT
public:
    using Row = std::pair<QString, QString>; // key, value as typed

    explicit CustomFieldsEditor(QWidget *parent = nullptr);
    ~CustomFieldsEditor() override;

    // The rows that name a field (key trimmed); a key that appears twice
    // keeps its first row (validate() reports the second).
    QMap<QString, QString> fields() const;
    void setFields(const QMap<QString, QString> &fields);
    // Every row as typed, the unfinished ones too (for drafts).
    QList<Row> rows() const;
    void setRows(const QList<Row> &rows);

    // Keys another control of the form owns (consent_given_at), with the
    // message a row that uses one gets.
    void setReservedKey(const QString &key, const QString &message);

    int rowCount() const;
    int addRow(const QString &key = {}, const QString &value = {});
    void removeRow(int row);
    QLineEdit *keyEdit(int row) const;
    QLineEdit *valueEdit(int row) const;
    QLabel *errorLabel(int row) const;
    int rowOfKey(const QString &key) const; // -1: none

    // Checks every row and shows each problem under its row (and the ones
    // about all of them under the editor). Returns the first widget with a
    // problem, or nullptr when all is well.
    QWidget *validate();
    // A message for the row with that key; false when no row has that key.
    bool setRowError(const QString &key, const QString &message);
    void setError(const QString &message); // about the custom fields as a whole
    void clearErrors();
    bool hasErrors() const;

Q_SIGNALS:
    void edited(); // a row was typed in, added or removed by the recruiter

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace cdesk
