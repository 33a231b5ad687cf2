#include "Dialogs.h"

#include <QApplication>
#include <QFileDialog>
#include <QTimer>

#include <optional>

namespace cdesk {

namespace {

struct Seam
{
    std::optional<QMessageBox::StandardButton> nextAnswer;
    std::optional<QString> nextFile;
    QString lastMessage;
};

Seam &seam()
{
    static Seam s;
    return s;
}

} // namespace

void Dialogs::ask(QWidget *parent, const QString &title, const QString &text,
                  QMessageBox::StandardButtons buttons, QMessageBox::StandardButton defaultButton,
                  Answer answer)
{
    seam().lastMessage = title + u'\n' + text;
    if (auto next = std::exchange(seam().nextAnswer, std::nullopt)) {
        // As a real dialog would: the answer comes on a later turn of the event loop.
        QTimer::singleShot(0, parent ? static_cast<QObject *>(parent) : qApp,
                           [answer, button = *next] { answer(button); });
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, title, text, buttons, parent);
    box->setDefaultButton(defaultButton);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, answer](int) { answer(box->standardButton(box->clickedButton())); });
    box->open();
}

void Dialogs::tell(QWidget *parent, QMessageBox::Icon icon, const QString &title,
                   const QString &text)
{
    seam().lastMessage = title + u'\n' + text;
    if (std::exchange(seam().nextAnswer, std::nullopt))
        return;
    auto *box = new QMessageBox(icon, title, text, QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void Dialogs::openFile(QWidget *parent, const QString &caption, const QString &filter,
                       FileAnswer answer)
{
    if (auto next = std::exchange(seam().nextFile, std::nullopt)) {
        QTimer::singleShot(0, parent ? static_cast<QObject *>(parent) : qApp,
                           [answer, path = *next] { answer(path); });
        return;
    }
    auto *dialog = new QFileDialog(parent, caption, QString(), filter);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog, answer);
    QObject::connect(dialog, &QFileDialog::rejected, dialog, [answer] { answer({}); });
    dialog->open();
}

void Dialogs::saveFile(QWidget *parent, const QString &caption, const QString &suggestedName,
                       const QString &filter, FileAnswer answer)
{
    if (auto next = std::exchange(seam().nextFile, std::nullopt)) {
        QTimer::singleShot(0, parent ? static_cast<QObject *>(parent) : qApp,
                           [answer, path = *next] { answer(path); });
        return;
    }
    auto *dialog = new QFileDialog(parent, caption, suggestedName, filter);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog, answer);
    QObject::connect(dialog, &QFileDialog::rejected, dialog, [answer] { answer({}); });
    dialog->open();
}

void Dialogs::setNextAnswer(QMessageBox::StandardButton button)
{
    seam().nextAnswer = button;
}

void Dialogs::setNextFile(const QString &path)
{
    seam().nextFile = path;
}

QString Dialogs::lastMessage()
{
    return seam().lastMessage;
}

void Dialogs::reset()
{
    seam() = Seam {};
}

} // namespace cdesk
