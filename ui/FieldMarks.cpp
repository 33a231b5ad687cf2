#include "FieldMarks.h"

#include <QLabel>
#include <QStyle>
#include <QVariant>

namespace cdesk {

void setMark(QWidget *widget, const char *property, bool on)
{
    if (widget->property(property).toBool() == on)
        return;
    widget->setProperty(property, on);
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
    widget->update();
}

void setTone(QLabel *label, Tone tone)
{
    switch (tone) {
    case Tone::Plain:
        return label->setStyleSheet(QString());
    case Tone::Problem:
        return label->setStyleSheet(QStringLiteral("color: #b91c1c;"));
    case Tone::Warning:
        return label->setStyleSheet(QStringLiteral("color: #b45309;"));
    case Tone::Success:
        return label->setStyleSheet(QStringLiteral("color: #15803d;"));
    }
}

QLabel *errorLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setProperty("fieldError", true);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setVisible(false);
    return label;
}

} // namespace cdesk
