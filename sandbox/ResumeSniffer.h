#pragma once

#include <QByteArray>
#include <QString>

namespace cdesk::sandbox {

// Judges a resume by its bytes, never by its name: PDF, DOC, DOCX, ODT, RTF or
// TXT. Returns the MIME type, or an empty string for anything else.
QString sniffResumeType(const QByteArray &data);

} // namespace cdesk::sandbox
