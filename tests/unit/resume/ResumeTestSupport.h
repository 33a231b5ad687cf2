#pragma once

// Small helpers the resume tests share (header-only: each test is one
// executable). The GUI test of the drop zone includes it too.

#include "TestData.h"

#include <QFile>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QtGlobal>

#include <cerrno>
#include <csignal>

namespace cdesk::test {

// Text in UTF-16 with its byte order mark, as a file would hold it.
inline QByteArray utf16WithBom(const QString &text, QStringEncoder::Encoding encoding)
{
    QStringEncoder encoder(encoding, QStringEncoder::Flag::WriteBom);
    return encoder(text);
}

// dir/name holding data; a test cannot go on without its fixture.
inline QString fixture(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString path = writeFile(dir.path(), name, data);
    if (path.isEmpty())
        qFatal("cannot write a fixture");
    return path;
}

// A shell script in dir: a stand-in for candidate-desk-extract that crashes,
// hangs or lies as the test needs.
inline QString helperScript(const QTemporaryDir &dir, const QString &name, const QByteArray &body)
{
    const QString path = fixture(dir, name, "#!/bin/sh\n" + body);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

// Whether the process is gone (killed and reaped, or never there).
inline bool processGone(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == -1 && errno == ESRCH;
}

} // namespace cdesk::test
