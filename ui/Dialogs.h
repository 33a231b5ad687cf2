#pragma once

#include <QMessageBox>
#include <QString>

#include <functional>

class QWidget;

namespace cdesk {

// Every question the window asks goes through here, asynchronously (the
// dialog is opened, never exec()'d, so no nested event loop runs), and tests
// answer it in advance so none ever blocks on a modal.
class Dialogs
{
public:
    using Answer = std::function<void(QMessageBox::StandardButton)>;
    using FileAnswer = std::function<void(const QString &path)>; // empty: cancelled

    static void ask(QWidget *parent, const QString &title, const QString &text,
                    QMessageBox::StandardButtons buttons, QMessageBox::StandardButton defaultButton,
                    Answer answer);
    static void tell(QWidget *parent, QMessageBox::Icon icon, const QString &title,
                     const QString &text);
    static void openFile(QWidget *parent, const QString &caption, const QString &filter,
                         FileAnswer answer);
    static void saveFile(QWidget *parent, const QString &caption, const QString &suggestedName,
                         const QString &filter, FileAnswer answer);

    // Tests: the next question is answered with this, without showing anything.
    static void setNextAnswer(QMessageBox::StandardButton button);
    static void setNextFile(const QString &path);
    // Tests: what was asked or told last (title and text), to check the words.
    static QString lastMessage();
    static void reset();
};

} // namespace cdesk
