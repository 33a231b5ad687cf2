#pragma once

#include "SandboxOptions.h"

#include <QString>
#include <QStringList>

namespace cdesk::sandbox {

// Reads the sandbox's options (--port, --data-dir, --token, --read-only-token,
// --admin-token, --max-resume-mb, --seed-jobs and the fault knobs) from a
// command line. Returns false with a plain-words *error, or with *helpText set
// when --help or --version was asked for.
bool parseCommandLine(const QStringList &arguments, Options *options, QString *error,
                      QString *helpText);

// Where the sandbox keeps its data when --data-dir is not given.
QString defaultDataDir();

} // namespace cdesk::sandbox
