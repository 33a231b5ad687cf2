#pragma once

#include <QByteArrayView>

namespace cdesk {

// Whether bytes are text as the Candidate API judges it: no control
// characters but tab, CR, LF and FF. UTF-16 must carry its byte order mark and
// decode cleanly; any 8-bit text passes (Windows-1252 resumes are common).
//
// `truncated` says the bytes are only the head of a longer file: a head cut in
// the middle of a UTF-16 unit or pair is then not held against the file. The
// app judges a file by its head, the sandbox an upload whole; both ask here,
// so the two never disagree about what a text resume is.
//
// Its own library (cdesk_textsniff, QtCore only): the sandbox links it
// without linking the core.
bool isPlainText(QByteArrayView data, bool truncated = false);

} // namespace cdesk
