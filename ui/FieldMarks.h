#pragma once

class QString;
class QLabel;
class QWidget;

namespace cdesk {

// Marks the form's stylesheets draw from widget properties ("invalid" for a
// red frame, "autofilled" for a field filled from the resume), so the
// palette and the platform style stay as they are everywhere else. A
// property change needs a re-polish to show; these do it, and only when the
// mark really changes.
void setMark(QWidget *widget, const char *property, bool on);
inline void markInvalid(QWidget *widget, bool invalid)
{
    setMark(widget, "invalid", invalid);
}

// The colour of a line that tells news: the words carry the meaning, the
// colour only helps the eye find it. Readable on light and dark palettes;
// Plain keeps the palette's own colour.
enum class Tone { Plain, Problem, Warning, Success };
void setTone(QLabel *label, Tone tone);

// A message under a field: plain text (server text is never markup),
// wrapped, selectable, hidden until it says something.
QLabel *errorLabel(const QString &objectName, QWidget *parent);

} // namespace cdesk
