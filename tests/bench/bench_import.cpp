// bench_import: `candidate-desk import` against curl, the way a scripter
// would send the same sheet: a sequential loop of curl, and `xargs -P8 curl`.
// N candidates (default 1,000), each with its own 100 KB PDF resume, into the
// sandbox on loopback (in this process, on its own thread). Every method
// sends its own candidates (other emails), and the bench checks the server
// holds exactly N of each afterwards. Prints seconds, candidates per second,
// and the import's ratio to each baseline, all measured in this run.
// Figures, not pass/fail: not a ctest test.
//
//   bench_import [--count N] [--resume-kb K] [--parallel P]

#include "SandboxFixture.h"
#include "TestData.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cstdio>
#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace cdesk;

namespace {

struct Prepared
{
    QString csv;
    QString configs; // one curl config file per candidate
};

// The resumes (shared by all methods: the server stores a copy of each
// upload), a sheet for the import, and curl config files for the baselines.
bool prepare(const QString &dir, const QString &tag, int count, int resumeKb, const QUrl &url,
             Prepared *out)
{
    const QString resumes = dir + u"/resumes"_s;
    QDir().mkpath(resumes);
    QByteArray sheet = "Name,Email,Phone,Resume\n";
    out->configs = dir + u"/curl-"_s + tag;
    QDir().mkpath(out->configs);
    for (int i = 0; i < count; ++i) {
        const QString name = u"cv-%1.pdf"_s.arg(i, 5, 10, QChar(u'0'));
        const QString resume = QDir(resumes).filePath(name);
        if (!QFile::exists(resume)
            && test::writeFile(resumes, name,
                               test::minimalPdf("Bench Candidate " + QByteArray::number(i),
                                                qsizetype(resumeKb) * 1024))
                   .isEmpty())
            return false;
        const QString email = u"%1.%2@example.com"_s.arg(tag).arg(i);
        const QString phone = u"+9198765%1"_s.arg(i % 100000, 5, 10, QChar(u'0'));
        sheet
            += u"Bench %1 %2,%3,%4,resumes/%5\n"_s.arg(tag).arg(i).arg(email, phone, name).toUtf8();
        QFile config(QDir(out->configs).filePath(u"%1.cfg"_s.arg(i, 5, 10, QChar(u'0'))));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        config.write(u"url = \"%1/candidates/\"\n"
                     "silent\noutput = \"/dev/null\"\nfail\n"
                     "header = \"Expect:\"\n"
                     "header = \"Idempotency-Key: %2-%3\"\n"
                     "form = \"name=Bench %2 %3\"\nform = \"email=%4\"\nform = \"phone=%5\"\n"
                     "form = \"resume=@%6;type=application/pdf\"\n"_s.arg(url.toString(), tag)
                         .arg(i)
                         .arg(email, phone, resume)
                         .toUtf8());
    }
    out->csv = dir + u"/"_s + tag + u".csv"_s;
    return test::writeFile(dir, tag + u".csv"_s, sheet) == out->csv;
}

double run(const QString &program, const QStringList &arguments, const QString &dir,
           const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setWorkingDirectory(dir);
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    process.start();
    if (!process.waitForFinished(30 * 60 * 1000) || process.exitStatus() != QProcess::NormalExit) {
        std::fprintf(stderr, "%s did not finish\n", qPrintable(program));
        return -1;
    }
    if (process.exitCode() != 0)
        std::fprintf(stderr, "%s exited %d\n", qPrintable(program), process.exitCode());
    return timer.elapsed() / 1000.0;
}

int countOnServer(test::SandboxFixture &sandbox, const QString &tag, int expected)
{
    // The sandbox's email filter is exact: ask for each one.
    test::HttpClient client(sandbox.token());
    int found = 0;
    for (int i = 0; i < expected; ++i) {
        const auto reply
            = client.get(sandbox.url(u"candidates/?email=%1.%2@example.com"_s.arg(tag).arg(i)));
        found += reply.json().value(u"count"_s).toInt();
    }
    return found;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        { { u"count"_s, u"Candidates per method (default 1000)."_s, u"N"_s, u"1000"_s },
          { u"resume-kb"_s, u"Resume size in KB (default 100)."_s, u"K"_s, u"100"_s },
          { u"parallel"_s, u"xargs -P (default 8)."_s, u"P"_s, u"8"_s },
          { u"concurrency"_s, u"The import's requests in flight (default: Settings, 4)."_s,
            u"C"_s },
          { u"only-import"_s, u"Run the import alone (no curl baselines)."_s } });
    parser.process(app);
    const int count = qMax(1, parser.value(u"count"_s).toInt());
    const int resumeKb = qMax(1, parser.value(u"resume-kb"_s).toInt());
    const QString parallel = QString::number(qMax(1, parser.value(u"parallel"_s).toInt()));

    const QString curl = QStandardPaths::findExecutable(u"curl"_s);
    if (curl.isEmpty()) {
        std::fprintf(stderr, "curl is not installed\n");
        return 1;
    }
    test::SandboxFixture sandbox;
    sandbox::Options options;
    options.maxResumeBytes = 50 * 1024 * 1024;
    if (!sandbox.start(options)) {
        std::fprintf(stderr, "sandbox: %s\n", qPrintable(sandbox.errorString()));
        return 1;
    }
    QTemporaryDir dir;
    Prepared loop, xargs, import;
    if (!prepare(dir.path(), u"loop"_s, count, resumeKb, sandbox.baseUrl(), &loop)
        || !prepare(dir.path(), u"xargs"_s, count, resumeKb, sandbox.baseUrl(), &xargs)
        || !prepare(dir.path(), u"import"_s, count, resumeKb, sandbox.baseUrl(), &import)) {
        std::fprintf(stderr, "could not write the fixtures\n");
        return 1;
    }
    // The token reaches curl through a header file, never a command line.
    const QString auth = test::writeFile(dir.path(), u"auth.header"_s,
                                         "Authorization: Token " + sandbox.token() + "\n");
    QFile::setPermissions(auth, QFile::ReadOwner | QFile::WriteOwner);

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"CDESK_BENCH_AUTH"_s, auth);
    std::printf("bench_import: %d candidates per method, %d KB resumes\n", count, resumeKb);

    const bool onlyImport = parser.isSet(u"only-import"_s);
    const double loopS = onlyImport
        ? 0
        : run(u"/bin/sh"_s,
              { u"-c"_s,
                u"for f in %1/*.cfg; do %2 -H @\"$CDESK_BENCH_AUTH\" -K \"$f\"; "
                "done"_s.arg(loop.configs, curl) },
              dir.path(), environment);
    const double xargsS = onlyImport
        ? 0
        : run(u"/bin/sh"_s,
              { u"-c"_s,
                u"ls %1/*.cfg | xargs -P%2 -n1 %3 -H @\"$CDESK_BENCH_AUTH\" -K"_s.arg(
                    xargs.configs, parallel, curl) },
              dir.path(), environment);

    QProcessEnvironment importEnvironment = environment;
    importEnvironment.insert(u"CANDIDATE_DESK_TOKEN"_s, QString::fromLatin1(sandbox.token()));
    importEnvironment.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
    if (parser.isSet(u"concurrency"_s))
        test::writeFile(dir.filePath(u"config/candidate-desk"_s), u"candidate-desk.ini"_s,
                        "[api]\nconcurrency=" + parser.value(u"concurrency"_s).toUtf8() + "\n");
    rusage before {};
    getrusage(RUSAGE_CHILDREN, &before);
    const double importS
        = run(QStringLiteral(CDESK_APP_EXE),
              { u"import"_s, import.csv, u"--api-url"_s, sandbox.baseUrl().toString(),
                u"--data-dir"_s, dir.filePath(u"data"_s), u"--source"_s, u"Bench"_s },
              dir.path(), importEnvironment);

    rusage after {};
    getrusage(RUSAGE_CHILDREN, &after);
    auto secondsOf = [](const timeval &t) {
        return double(t.tv_sec) + t.tv_usec / 1e6;
    };
    const double importCpu = secondsOf(after.ru_utime) - secondsOf(before.ru_utime)
        + secondsOf(after.ru_stime) - secondsOf(before.ru_stime);
    const int loopFound = onlyImport ? count : countOnServer(sandbox, u"loop"_s, count);
    const int xargsFound = onlyImport ? count : countOnServer(sandbox, u"xargs"_s, count);
    const int importFound = countOnServer(sandbox, u"import"_s, count);
    auto line = [count](const char *what, double seconds, int found) {
        std::printf("  %-34s %8.2f s  %7.1f candidates/s  (%d of %d on the server)\n", what,
                    seconds, seconds > 0 ? count / seconds : 0.0, found, count);
    };
    line("sequential curl loop", loopS, loopFound);
    line(qPrintable(u"xargs -P%1 curl"_s.arg(parallel)), xargsS, xargsFound);
    line("candidate-desk import", importS, importFound);
    std::printf("  the import's own CPU time: %.2f s (the rest is the sandbox's)\n", importCpu);
    if (importS > 0 && !onlyImport) {
        std::printf("  import vs sequential curl: %.2fx  (goal: at least 5x)\n", loopS / importS);
        std::printf("  import vs xargs -P%s curl: %.2fx  (goal: at least 1x)\n",
                    qPrintable(parallel), xargsS / importS);
    }
    return loopFound == count && xargsFound == count && importFound == count ? 0 : 1;
}
