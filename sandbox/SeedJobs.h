#pragma once

#include "SandboxStore.h"

#include <QList>
#include <QString>

namespace cdesk::sandbox {

// The jobs a new sandbox starts with: a dozen realistic ones, open and closed,
// across departments and locations.
QList<JobRecord> defaultSeedJobs();

// Reads a JSON array of {id, title, department, location, status, created_at}.
// Returns false with *error in plain words when the file is not such an array.
bool readSeedJobs(const QString &path, QList<JobRecord> *jobs, QString *error);

} // namespace cdesk::sandbox
