#pragma once

#include "SandboxOptions.h"

#include <QJsonObject>
#include <QString>

namespace cdesk::sandbox {

QJsonObject faultsToJson(const Faults &faults);

// Applies the knobs present in `patch` to *faults. Returns false with *error
// (and leaves *faults alone) when a knob has a wrong type or range.
bool applyFaultsJson(const QJsonObject &patch, Faults *faults, QString *error);

} // namespace cdesk::sandbox
