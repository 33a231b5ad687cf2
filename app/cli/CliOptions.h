#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace cdesk {

// The command line's words: its commands, its options and its --help (which
// also lists the exit codes the README documents).
class CliOptions
{
    Q_DECLARE_TR_FUNCTIONS(CliOptions)
public:
    static const QStringList &commands();
    static void addTo(QCommandLineParser *parser);
};

} // namespace cdesk
