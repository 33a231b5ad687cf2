// The command line in this process: Cli over an Account built with the test's
// seams (settings file and data folder in a temporary directory, the token in
// a MemoryBackend, no keychain, no environment token), against the sandbox on
// an ephemeral loopback port, with real SQLite. No child process and no
// widgets: this test links cdesk_core only, as the headless command line does.
#include "CliRun.h"
#include "SandboxFixture.h"
#include "TestData.h"
#include "account/Account.h"
#include "cli/Cli.h"
#include "settings/MemoryBackend.h"
#include "settings/Settings.h"
#include "settings/TokenStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

using Run = CliRun;

QByteArray readAll(std::FILE *file)
{
    QByteArray text;
    std::rewind(file);
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;)
        text.append(buffer, qsizetype(n));
    std::fclose(file);
    return text;
}

} // namespace

class TestCliInProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_pdf = writeFile(m_home.path(), u"Ravi Kumar resume.pdf"_s, minimalPdf("Ravi Kumar"));
        QVERIFY(!m_pdf.isEmpty());
    }

    void jobs_listsTheSandboxJobs()
    {
        const Run run = cli({ u"jobs"_s, u"--json"_s });
        QVERIFY2(run.exitCode == Cli::Success, QByteArray(run.out + run.err).constData());
        QVERIFY(!run.jsonArray().isEmpty());
        QVERIFY(run.jsonArray().at(0).toObject().contains(u"title"_s));
    }

    void submit_sendsTheCandidate_thenTheSameEmailNeedsADecision()
    {
        const QString email = uniqueEmail(u"inprocess"_s);
        const QStringList candidate = { u"--name"_s,  u"Ravi Kumar"_s,      u"--email"_s,  email,
                                        u"--phone"_s, u"+91 98765 43210"_s, u"--resume"_s, m_pdf };
        const Run sent = cli(QStringList { u"submit"_s, u"--json"_s } + candidate);
        QVERIFY2(sent.exitCode == Cli::Success, QByteArray(sent.out + sent.err).constData());
        QCOMPARE(sent.json().value(u"state"_s).toString(), u"sent"_s);
        const qint64 id = sent.json().value(u"id"_s).toInteger();
        const HttpResponse onServer
            = HttpClient(m_sandbox.token()).get(m_sandbox.url(u"candidates/%1/"_s.arg(id)));
        QCOMPARE(onServer.status, 200);
        QCOMPARE(onServer.json().value(u"email"_s).toString(), email);
        QCOMPARE(onServer.json()[u"resume_file"_s][u"filename"_s].toString(),
                 u"Ravi Kumar resume.pdf"_s);

        const Run duplicate = cli(QStringList { u"submit"_s, u"--json"_s } + candidate);
        QCOMPARE(duplicate.exitCode, int(Cli::Duplicate));
        QCOMPARE(duplicate.json().value(u"state"_s).toString(), u"needs_decision"_s);
        QCOMPARE(duplicate.json().value(u"duplicate_of"_s).toInteger(), id);

        // Both are in the history the window reads.
        const Run history = cli({ u"history"_s, u"--json"_s });
        QCOMPARE(history.exitCode, int(Cli::Success));
        const QJsonArray rows = history.jsonArray();
        QCOMPARE(rows.size(), 2);
        for (const QJsonValue &row : rows)
            QCOMPARE(row[u"email"_s].toString(), email);
    }

    void outboxRetry_withNothingPending_exitsZero()
    {
        const Run run = cli({ u"outbox"_s, u"--retry"_s, u"--json"_s }, {}, u"empty"_s);
        QVERIFY2(run.exitCode == Cli::Success, QByteArray(run.out + run.err).constData());
        QCOMPARE(run.json().value(u"sent"_s).toInt(), 0);
        QCOMPARE(run.json().value(u"waiting"_s).toInt(), 0);
        QCOMPARE(run.json().value(u"exit_code"_s).toInt(), 0);
    }

    void refusedToken_exitsThree()
    {
        const Run run = cli({ u"submit"_s, u"--name"_s, u"Meera Iyer"_s, u"--email"_s,
                              uniqueEmail(u"refused"_s), u"--phone"_s, u"+91 91234 56780"_s,
                              u"--resume-url"_s, u"https://files.example.com/meera.pdf"_s },
                            "0000000000000000000000000000000000000000", u"refused"_s);
        QVERIFY2(run.exitCode == Cli::BadToken, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.contains("not tried again by itself"), run.out.constData());
    }

    void noToken_exitsThree_beforeQueueingAnything()
    {
        const Run run = cli({ u"jobs"_s }, QByteArray(), u"notoken"_s, /*storeToken=*/false);
        QCOMPARE(run.exitCode, int(Cli::BadToken));
        QVERIFY2(run.err.contains("No API token"), run.err.constData());
    }

private:
    // One run, as one process would: a fresh Account over the test's
    // settings file and a data folder (named by dataName) that outlives it.
    Run cli(QStringList arguments, const QByteArray &token = {},
            const QString &dataName = u"data"_s, bool storeToken = true)
    {
        auto backend = std::make_unique<MemoryBackend>();
        if (storeToken)
            backend->write(TokenStore::accountFor(m_sandbox.baseUrl()),
                           token.isEmpty() ? m_sandbox.token() : token,
                           [](const TokenBackend::Result &) {});
        Account::Seams seams;
        seams.settings = std::make_unique<Settings>(std::make_unique<QSettings>(
            m_home.filePath(u"candidate-desk.ini"_s), QSettings::IniFormat));
        seams.tokenBackend = std::move(backend);
        seams.environment = [](const char *) {
            return QByteArray();
        };
        seams.dataDir = m_home.filePath(dataName);
        Account account(std::move(seams));

        arguments += { u"--api-url"_s, m_sandbox.baseUrl().toString() };
        arguments.prepend(u"candidate-desk"_s); // the program, as in argv
        Cli cli(arguments, &account);
        std::FILE *out = std::tmpfile();
        std::FILE *err = std::tmpfile();
        cli.output().setStreams(out, err);
        QSignalSpy finished(&cli, &Cli::finished);
        cli.start();
        Run run;
        if (finished.isEmpty() && !finished.wait(60000))
            qWarning("the command did not finish");
        else
            run.exitCode = finished.first().first().toInt();
        run.out = readAll(out);
        run.err = readAll(err);
        return run;
    }

    QTemporaryDir m_home;
    SandboxFixture m_sandbox;
    QString m_pdf;
};

QTEST_GUILESS_MAIN(TestCliInProcess)
#include "tst_cli_inprocess.moc"
