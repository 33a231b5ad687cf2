#include "CustomFieldsEditor.h"

#include "FieldMarks.h"

#include "model/CandidateValidator.h"

#include <QGridLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

const QString kField = u"custom_fields"_s;

} // namespace

class CustomFieldsEditor::Private
{
public:
    struct RowWidgets
    {
        QWidget *box = nullptr;
        QLineEdit *key = nullptr;
        QLineEdit *value = nullptr;
        QToolButton *remove = nullptr;
        QLabel *error = nullptr;
        // Checked once the recruiter has left it: an unfinished row being
        // typed is not scolded, a visited one is checked again as others change.
        bool visited = false;
    };

    CustomFieldsEditor *q = nullptr;
    QList<RowWidgets> m_rows;
    QVBoxLayout *m_rowsLayout = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_add = nullptr;
    QHash<QString, QString> m_reserved;
    // The custom field rules do not depend on the options (phone region, size).
    CandidateValidator m_validator;

    int indexOf(const QWidget *box) const
    {
        for (int i = 0; i < m_rows.size(); ++i) {
            if (m_rows.at(i).box == box)
                return i;
        }
        return -1;
    }

    enum class Problem { None, Key, Value };

    // The problem of one row, and the key and value as they should read when
    // there is none.
    Problem check(int index, QString *message, QString *key, QString *value) const
    {
        const RowWidgets &row = m_rows.at(index);
        *key = row.key->text().trimmed();
        *value = row.value->text();
        if (key->isEmpty()) {
            if (value->trimmed().isEmpty())
                return Problem::None; // an empty row is not sent and not a problem
            *message = CustomFieldsEditor::tr(
                "Give this field a name, like linkedin_url, or remove the row.");
            return Problem::Key;
        }
        if (m_reserved.contains(*key)) {
            *message = m_reserved.value(*key);
            return Problem::Key;
        }
        QMap<QString, QString> one { { *key, *value } };
        const FieldErrors errors = m_validator.customFieldErrors(&one);
        if (const QString whole = errors.first(kField); !whole.isEmpty()) {
            *message = whole;
            return Problem::Key;
        }
        if (const QString own = errors.first(kField + u'.' + *key); !own.isEmpty()) {
            *message = own;
            return Problem::Value;
        }
        for (int i = 0; i < index; ++i) {
            if (m_rows.at(i).key->text().trimmed() == *key) {
                *message = CustomFieldsEditor::tr(
                               "Another row already has the name “%1”. Use a different name, "
                               "or put both values in one row.")
                               .arg(*key);
                return Problem::Key;
            }
        }
        *value = one.value(*key); // trimmed and in NFC, as it will be sent
        return Problem::None;
    }

    void showRowError(RowWidgets &row, const QString &message, Problem problem)
    {
        row.error->setText(message);
        row.error->setVisible(!message.isEmpty());
        markInvalid(row.key, problem == Problem::Key);
        markInvalid(row.value, problem == Problem::Value);
        row.key->setAccessibleDescription(problem == Problem::Key ? message : QString());
        row.value->setAccessibleDescription(problem == Problem::Value ? message : QString());
    }

    // Returns the widget with the problem, or nullptr.
    QWidget *checkAndShow(int index)
    {
        QString message, key, value;
        const Problem problem = check(index, &message, &key, &value);
        RowWidgets &row = m_rows[index];
        if (problem == Problem::None) {
            // Normalised only when valid, so a refused value stays as typed.
            if (row.key->text() != key)
                row.key->setText(key);
            if (!key.isEmpty() && row.value->text() != value)
                row.value->setText(value);
        }
        showRowError(row, message, problem);
        switch (problem) {
        case Problem::Key:
            return row.key;
        case Problem::Value:
            return row.value;
        case Problem::None:
            break;
        }
        return nullptr;
    }

    void checkVisited()
    {
        for (int i = 0; i < m_rows.size(); ++i) {
            if (m_rows.at(i).visited)
                checkAndShow(i);
        }
    }

    void renumber()
    {
        for (int i = 0; i < m_rows.size(); ++i) {
            const RowWidgets &row = m_rows.at(i);
            row.key->setAccessibleName(CustomFieldsEditor::tr("Custom field %1, name").arg(i + 1));
            row.value->setAccessibleName(
                CustomFieldsEditor::tr("Custom field %1, value").arg(i + 1));
            row.remove->setAccessibleName(
                CustomFieldsEditor::tr("Remove custom field %1").arg(i + 1));
        }
    }

    void removeByRecruiter(QWidget *box)
    {
        const int index = indexOf(box);
        if (index < 0)
            return;
        // Focus goes where the eye goes next, not to the top of the window.
        QWidget *next = index + 1 < m_rows.size() ? m_rows.at(index + 1).key
            : index > 0                           ? m_rows.at(index - 1).remove
                                                  : static_cast<QWidget *>(m_add);
        if (m_rows.at(index).box->isAncestorOf(q->focusWidget()) || q->focusWidget() == nullptr)
            next->setFocus(Qt::OtherFocusReason);
        q->removeRow(index);
        checkVisited(); // removing a row can settle another row's duplicate name
        Q_EMIT q->edited();
    }
};

CustomFieldsEditor::CustomFieldsEditor(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *rowsBox = new QWidget(this);
    d->m_rowsLayout = new QVBoxLayout(rowsBox);
    d->m_rowsLayout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(rowsBox);

    d->m_error = new QLabel(this);
    d->m_error->setObjectName(u"customFieldsError"_s);
    d->m_error->setProperty("fieldError", true);
    d->m_error->setWordWrap(true);
    d->m_error->setVisible(false);
    layout->addWidget(d->m_error);

    d->m_add = new QPushButton(tr("Add custom field"), this);
    d->m_add->setObjectName(u"customAdd"_s);
    d->m_add->setToolTip(tr("Add one of your account's own fields, like linkedin_url or notes."));
    auto *addRowLayout = new QHBoxLayout;
    addRowLayout->addWidget(d->m_add);
    addRowLayout->addStretch(1);
    layout->addLayout(addRowLayout);

    connect(d->m_add, &QPushButton::clicked, this, [this] {
        const int row = addRow();
        d->m_rows.at(row).key->setFocus(Qt::OtherFocusReason);
        Q_EMIT edited();
    });
}

CustomFieldsEditor::~CustomFieldsEditor() = default;

QMap<QString, QString> CustomFieldsEditor::fields() const
{
    QMap<QString, QString> map;
    for (const auto &row : d->m_rows) {
        const QString key = row.key->text().trimmed();
        if (!key.isEmpty() && !map.contains(key))
            map.insert(key, row.value->text());
    }
    return map;
}

void CustomFieldsEditor::setFields(const QMap<QString, QString> &fields)
{
    QList<Row> list;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        list.append({ it.key(), it.value() });
    setRows(list);
}

QList<CustomFieldsEditor::Row> CustomFieldsEditor::rows() const
{
    QList<Row> list;
    for (const auto &row : d->m_rows)
        list.append({ row.key->text(), row.value->text() });
    return list;
}

void CustomFieldsEditor::setRows(const QList<Row> &rows)
{
    while (!d->m_rows.isEmpty())
        removeRow(d->m_rows.size() - 1);
    for (const auto &[key, value] : rows)
        addRow(key, value);
    clearErrors();
}

void CustomFieldsEditor::setReservedKey(const QString &key, const QString &message)
{
    d->m_reserved.insert(key, message);
}

int CustomFieldsEditor::rowCount() const
{
    return int(d->m_rows.size());
}

int CustomFieldsEditor::addRow(const QString &key, const QString &value)
{
    // A row made now joins the end of the window's focus chain; Tab should
    // reach it where it shows: after the rows above it (or the field before
    // the editor), before "Add". setTabOrder() ignores widgets that take no
    // focus, so the anchor is the nearest one that does.
    QWidget *before = d->m_rows.isEmpty() ? nullptr : d->m_rows.constLast().remove;
    for (QWidget *w = d->m_add->previousInFocusChain(); !before && w && w != d->m_add;
         w = w->previousInFocusChain()) {
        if (w->focusPolicy() != Qt::NoFocus)
            before = w;
    }
    Private::RowWidgets row;
    row.box = new QWidget(d->m_rowsLayout->parentWidget());
    row.box->setObjectName(u"customFieldRow"_s);
    row.key = new QLineEdit(key, row.box);
    row.key->setObjectName(u"customKey"_s);
    row.key->setPlaceholderText(tr("field_name"));
    row.key->setToolTip(tr("The field's name in your ATS: a–z, 0–9 and _, like linkedin_url."));
    row.value = new QLineEdit(value, row.box);
    row.value->setObjectName(u"customValue"_s);
    row.value->setPlaceholderText(tr("Value"));
    row.remove = new QToolButton(row.box);
    row.remove->setObjectName(u"customRemove"_s);
    row.remove->setText(tr("Remove"));
    row.remove->setToolTip(tr("Remove this custom field"));
    row.error = new QLabel(row.box);
    row.error->setObjectName(u"customFieldError"_s);
    row.error->setProperty("fieldError", true);
    row.error->setWordWrap(true);
    row.error->setVisible(false);

    auto *grid = new QGridLayout(row.box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(row.key, 0, 0);
    grid->addWidget(row.value, 0, 1);
    grid->addWidget(row.remove, 0, 2);
    grid->addWidget(row.error, 1, 0, 1, 3);
    grid->setColumnStretch(0, 2);
    grid->setColumnStretch(1, 3);

    d->m_rowsLayout->addWidget(row.box);
    if (before)
        QWidget::setTabOrder(before, row.key);
    QWidget::setTabOrder(row.key, row.value);
    QWidget::setTabOrder(row.value, row.remove);

    QWidget *box = row.box;
    const auto leave = [this, box] {
        const int index = d->indexOf(box);
        if (index < 0)
            return;
        d->m_rows[index].visited = true;
        d->checkVisited();
    };
    connect(row.key, &QLineEdit::editingFinished, box, leave);
    connect(row.value, &QLineEdit::editingFinished, box, leave);
    connect(row.key, &QLineEdit::textEdited, this, &CustomFieldsEditor::edited);
    connect(row.value, &QLineEdit::textEdited, this, &CustomFieldsEditor::edited);
    connect(row.remove, &QToolButton::clicked, box, [this, box] { d->removeByRecruiter(box); });

    d->m_rows.append(row);
    d->renumber();
    return int(d->m_rows.size()) - 1;
}

void CustomFieldsEditor::removeRow(int row)
{
    if (row < 0 || row >= d->m_rows.size())
        return;
    const Private::RowWidgets widgets = d->m_rows.takeAt(row);
    widgets.box->hide();
    d->m_rowsLayout->removeWidget(widgets.box);
    // Later: this may run inside the row's own Remove button's signal.
    widgets.box->deleteLater();
    d->renumber();
}

QLineEdit *CustomFieldsEditor::keyEdit(int row) const
{
    return row >= 0 && row < d->m_rows.size() ? d->m_rows.at(row).key : nullptr;
}

QLineEdit *CustomFieldsEditor::valueEdit(int row) const
{
    return row >= 0 && row < d->m_rows.size() ? d->m_rows.at(row).value : nullptr;
}

QLabel *CustomFieldsEditor::errorLabel(int row) const
{
    return row >= 0 && row < d->m_rows.size() ? d->m_rows.at(row).error : nullptr;
}

int CustomFieldsEditor::rowOfKey(const QString &key) const
{
    for (int i = 0; i < d->m_rows.size(); ++i) {
        if (d->m_rows.at(i).key->text().trimmed() == key)
            return i;
    }
    return -1;
}

QWidget *CustomFieldsEditor::validate()
{
    QWidget *first = nullptr;
    for (int i = 0; i < d->m_rows.size(); ++i) {
        d->m_rows[i].visited = true;
        QWidget *problem = d->checkAndShow(i);
        if (!first)
            first = problem;
    }
    // What no single row shows: too many fields for the server.
    QMap<QString, QString> all = fields();
    const FieldErrors errors = d->m_validator.customFieldErrors(&all);
    const QStringList messages = errors.messages(kField);
    QString whole;
    // Bad names are shown on their rows; the count, added last, is about all of them.
    if (all.size() > CandidateValidator::MaxCustomFields && !messages.isEmpty())
        whole = messages.constLast();
    setError(whole);
    if (!first && !whole.isEmpty())
        first = d->m_add;
    return first;
}

bool CustomFieldsEditor::setRowError(const QString &key, const QString &message)
{
    const int index = rowOfKey(key);
    if (index < 0)
        return false;
    // The server names a custom field for what its value says.
    d->showRowError(d->m_rows[index], message,
                    message.isEmpty() ? Private::Problem::None : Private::Problem::Value);
    return true;
}

void CustomFieldsEditor::setError(const QString &message)
{
    d->m_error->setText(message);
    d->m_error->setVisible(!message.isEmpty());
}

void CustomFieldsEditor::clearErrors()
{
    setError({});
    for (auto &row : d->m_rows)
        d->showRowError(row, {}, Private::Problem::None);
}

bool CustomFieldsEditor::hasErrors() const
{
    if (!d->m_error->text().isEmpty())
        return true;
    return std::any_of(d->m_rows.cbegin(), d->m_rows.cend(),
                       [](const Private::RowWidgets &row) { return !row.error->text().isEmpty(); });
}

} // namespace cdesk
