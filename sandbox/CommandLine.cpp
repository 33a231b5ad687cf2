#include "CommandLine.h"

#include "FaultsJson.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

QString defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + u"/candidate-desk/sandbox"_s;
}

bool parseCommandLine(const QStringList &arguments, Options *options, QString *error,
                      QString *helpText)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A local stand-in of the Candidate API, for trying Candidate Desk and for its tests.\n"
        "With --port 0 it picks a free port and prints one line of JSON with its base URL and "
        "tokens."_s);
    const auto helpOption = parser.addHelpOption();
    const auto versionOption = parser.addVersionOption();
    const QCommandLineOption port(u"port"_s, u"Port on 127.0.0.1 (0: any free port)."_s, u"PORT"_s,
                                  u"0"_s);
    const QCommandLineOption dataDir(u"data-dir"_s, u"Folder for the database and resumes."_s,
                                     u"DIR"_s, defaultDataDir());
    const QCommandLineOption token(u"token"_s, u"The read-write API token (default: random)."_s,
                                   u"TOKEN"_s);
    const QCommandLineOption readOnlyToken(
        u"read-only-token"_s, u"A token that may only read (default: random)."_s, u"TOKEN"_s);
    const QCommandLineOption adminToken(
        u"admin-token"_s, u"The token of the fault endpoint (default: random)."_s, u"TOKEN"_s);
    const QCommandLineOption maxResume(u"max-resume-mb"_s, u"Largest resume in MB (default 5)."_s,
                                       u"MB"_s, u"5"_s);
    const QCommandLineOption seedJobs(
        u"seed-jobs"_s, u"JSON array of jobs to start a new database with."_s, u"FILE"_s);
    const QCommandLineOption latency(u"latency-ms"_s, u"Delay every answer (fault)."_s, u"MS"_s);
    const QCommandLineOption errorRate(u"error-rate"_s, u"Share of requests answered 500 (0-1)."_s,
                                       u"RATE"_s);
    const QCommandLineOption throttle(u"throttle"_s, u"Allow N requests per second, 429 above."_s,
                                      u"N"_s);
    const QCommandLineOption dropRate(
        u"drop-after-commit-rate"_s, u"Share of writes committed and then left unanswered (0-1)."_s,
        u"RATE"_s);
    const QCommandLineOption redirect(u"redirect-to"_s,
                                      u"Answer every API request 307 to this origin."_s, u"URL"_s);
    parser.addOptions({ port, dataDir, token, readOnlyToken, adminToken, maxResume, seedJobs,
                        latency, errorRate, throttle, dropRate, redirect });

    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return false;
    }
    if (parser.isSet(helpOption)) {
        *helpText = parser.helpText();
        return false;
    }
    if (parser.isSet(versionOption)) {
        *helpText = QCoreApplication::applicationName() + u' '
            + QCoreApplication::applicationVersion() + u'\n';
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *error = u"Unexpected argument: %1"_s.arg(parser.positionalArguments().constFirst());
        return false;
    }

    bool ok = false;
    const uint portNumber = parser.value(port).toUInt(&ok);
    if (!ok || portNumber > 65535) {
        *error = u"--port takes a number from 0 to 65535."_s;
        return false;
    }
    options->port = quint16(portNumber);
    options->dataDir = parser.value(dataDir);
    options->token = parser.value(token).toUtf8();
    options->readOnlyToken = parser.value(readOnlyToken).toUtf8();
    options->adminToken = parser.value(adminToken).toUtf8();
    const double mb = parser.value(maxResume).toDouble(&ok);
    if (!ok || mb <= 0 || mb > 1024) {
        *error = u"--max-resume-mb takes a number of megabytes from 0 to 1024."_s;
        return false;
    }
    options->maxResumeBytes = qint64(mb * 1024 * 1024);
    options->seedJobsFile = parser.value(seedJobs);

    // Fault knobs from the command line go through the same checks as the admin endpoint.
    QJsonObject patch;
    auto number = [&](const QCommandLineOption &option, const QString &key) {
        if (!parser.isSet(option))
            return true;
        bool isNumber = false;
        const double value = parser.value(option).toDouble(&isNumber);
        if (!isNumber) {
            *error = u"--%1 takes a number."_s.arg(option.names().constFirst());
            return false;
        }
        patch.insert(key, value);
        return true;
    };
    if (!number(latency, u"latency_ms"_s) || !number(errorRate, u"error_rate"_s)
        || !number(throttle, u"throttle_per_second"_s)
        || !number(dropRate, u"drop_after_commit_rate"_s))
        return false;
    if (parser.isSet(redirect))
        patch.insert(u"redirect_to"_s, parser.value(redirect));
    return applyFaultsJson(patch, &options->faults, error);
}

} // namespace cdesk::sandbox
