// candidate-desk-sandbox: the local stand-in of the Candidate API.
#include "CommandLine.h"
#include "SandboxServer.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"candidate-desk-sandbox"_s);
    QCoreApplication::setOrganizationName(u"candidate-desk"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CDESK_VERSION));

    cdesk::sandbox::Options options;
    QString error, help;
    if (!cdesk::sandbox::parseCommandLine(QCoreApplication::arguments(), &options, &error, &help)) {
        if (!help.isEmpty()) {
            std::fputs(qPrintable(help), stdout);
            return 0;
        }
        std::fprintf(stderr, "candidate-desk-sandbox: %s\n", qPrintable(error));
        return 2;
    }

    cdesk::sandbox::SandboxServer server(options);
    if (!server.start()) {
        std::fprintf(stderr, "candidate-desk-sandbox: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // One line of JSON, flushed at once, so scripts and tests can read the URL and tokens.
    std::fputs(server.announcement().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);

    // Ctrl+C or a TERM ends the process as it is: every write was committed
    // with synchronous=FULL before it was answered, so nothing is lost.
    return app.exec();
}
