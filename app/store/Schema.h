#pragma once

#include <QList>
#include <QStringList>

namespace cdesk {

// The local database's schema: each entry is one version, a list of
// statements that Database::open() applies in one transaction. Append
// only; never edit a version that has shipped.
QList<QStringList> schemaMigrations();

} // namespace cdesk
