// The command line in this process: Cli over an Account built with the test's
// seams (settings file and data folder in a temporary directory, the token in
// a MemoryBackend, no keychain, no environment token), against the sandbox on
// an ephemeral loopback port, with real SQLite. No child process and no
// widgets: this test links cdesk_core only, as the headless command line does.
#include "CliRun.h"
#include "CsvReader.h"
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

namespace {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
} // namespace
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

    void import_sendsEveryGoodRow_reportsTheRest_andASecondRunSendsNothingTwice()
    {
        // A job fair's sheet as Excel saves it: a BOM, CRLF, jobs by title
        // and by id, resumes next to the sheet (one written the Windows way),
        // one bad email and one email twice.
        const QJsonArray jobs = HttpClient(m_sandbox.token())
                                    .get(m_sandbox.url(u"jobs/?status=open"_s))
                                    .json()
                                    .value(u"results"_s)
                                    .toArray();
        QVERIFY(jobs.size() >= 2);
        const QString title = jobs.at(0)[u"title"_s].toString();
        const qint64 titleJob = jobs.at(0)[u"id"_s].toInteger();
        const qint64 otherJob = jobs.at(1)[u"id"_s].toInteger();
        const QString folder = m_home.filePath(u"fair"_s);
        QVERIFY(!writeFile(folder + u"/cvs"_s, u"cv.pdf"_s, minimalPdf("From the fair")).isEmpty());
        QByteArray sheet = "\xEF\xBB\xBF"
                           "Full name,E-mail,Mobile,CV,Job,LinkedIn\r\n";
        QStringList emails;
        for (int i = 0; i < 20; ++i) {
            emails << uniqueEmail(u"fair"_s);
            const QString job = i % 2 ? title : QString::number(otherJob);
            sheet
                += u"Candidate %1,%2,+91 98450 %3,cvs\\cv.pdf,%4,https://linkedin.com/in/c%1\r\n"_s
                       .arg(i)
                       .arg(emails.last())
                       .arg(10000 + i)
                       .arg(job)
                       .toUtf8();
        }
        sheet += "Bad Email,not-an-email,+91 98450 20000,cvs/cv.pdf,,\r\n";
        sheet += u"Twice,%1,+91 98450 20001,cvs/cv.pdf,,\r\n"_s.arg(emails.first()).toUtf8();
        const QString csv = writeFile(folder, u"fair.csv"_s, sheet);
        const QString report = m_home.filePath(u"report.csv"_s);

        const QStringList args
            = { u"import"_s,   csv,           u"--map"_s,    u"LinkedIn=custom"_s,
                u"--source"_s, u"Job fair"_s, u"--report"_s, report };
        const Run first = cli(args, {}, u"import"_s);
        QVERIFY2(first.exitCode == Cli::NeedsAttention,
                 QByteArray(first.out + first.err).constData());
        QVERIFY2(first.out.contains("Not imported: line 22, column “E-mail”"),
                 first.out.constData());
        QVERIFY2(first.out.contains("Line 2 has the same email"), first.out.constData());
        QVERIFY2(first.out.contains("20 row(s) on the server."), first.out.constData());
        QVERIFY2(first.err.contains("Sent 20 of 22"), first.err.constData());

        // Each good row is on the server once, with its job, source and custom field.
        HttpClient api(m_sandbox.token());
        for (int i = 0; i < emails.size(); ++i) {
            const QJsonArray found
                = api.get(m_sandbox.url(u"candidates/?email=%1"_s.arg(emails[i])))
                      .json()
                      .value(u"results"_s)
                      .toArray();
            QCOMPARE(found.size(), 1);
            const QJsonObject c = found.at(0).toObject();
            QCOMPARE(c[u"job_id"_s].toInteger(), i % 2 ? titleJob : otherJob);
            QCOMPARE(c[u"source"_s].toString(), u"Job fair"_s);
            QCOMPARE(c[u"custom_fields"_s][u"linkedin"_s].toString(),
                     u"https://linkedin.com/in/c%1"_s.arg(i));
        }

        // The report has every row with its outcome, in the sheet's order.
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString problem;
        const QList<QStringList> lines
            = parseCsv(QString::fromUtf8(file.readAll()).mid(1), &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(lines.size(), 23);
        QCOMPARE(lines[0].value(4), u"Outcome"_s);
        QCOMPARE(lines[1].value(4), u"sent"_s);
        QCOMPARE(lines[21].value(0), u"22"_s);
        QCOMPARE(lines[21].value(4), u"invalid"_s);
        QCOMPARE(lines[22].value(4), u"invalid"_s);

        // The same sheet again: nothing is sent twice, and it says so.
        const Run again = cli(args + QStringList { u"--json"_s }, {}, u"import"_s);
        QCOMPARE(again.exitCode, int(Cli::NeedsAttention));
        QCOMPARE(again.json().value(u"earlier_import"_s).toInt(), 20);
        QCOMPARE(again.json().value(u"sent"_s).toInt(), 20);
        for (const QString &email : std::as_const(emails))
            QCOMPARE(m_sandbox.countWithEmail(email), 1);
    }

    void import_dryRun_checksEveryRow_andSendsNothing()
    {
        const QString email = uniqueEmail(u"dry"_s);
        const QString csv = writeFile(m_home.filePath(u"dry"_s), u"dry.csv"_s,
                                      u"Name;Email;Phone;Resume\nDry Run;%1;+91 98450 30000;"
                                      "https://files.example.com/dry.pdf\n"_s.arg(email)
                                          .toUtf8());
        const Run run = cli({ u"import"_s, csv, u"--dry-run"_s }, {}, u"dry"_s);
        QVERIFY2(run.exitCode == Cli::Success, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.contains("1 row(s) ready to send, nothing was sent"), run.out.constData());
        QCOMPARE(m_sandbox.countWithEmail(email), 0);
    }

    void import_brokenSheet_namesTheLineAndColumn_andSendsNothing()
    {
        const QString csv = writeFile(m_home.filePath(u"broken"_s), u"broken.csv"_s,
                                      "Name,Email\nA,a@example.com\nB,\"b@example.com\nC,c\n");
        const Run run = cli({ u"import"_s, csv }, {}, u"broken"_s);
        QCOMPARE(run.exitCode, int(Cli::InvalidInput));
        QVERIFY2(run.err.contains("Line 3, column 3"), run.err.constData());

        const Run unmapped
            = cli({ u"import"_s, csv, u"--map"_s, u"Nope=email"_s }, {}, u"broken"_s);
        QCOMPARE(unmapped.exitCode, int(Cli::InvalidInput));
    }

    void import_aWorkbook_sendsItsChosenSheet()
    {
        // A phone typed as a number, as Excel keeps it, and a second sheet.
        const QString email = uniqueEmail(u"workbook"_s);
        const QByteArray sheet
            = u"<worksheet><sheetData>"
              "<row r=\"1\"><c t=\"inlineStr\"><is><t>Name</t></is></c><c t=\"inlineStr\"><is>"
              "<t>Email</t></is></c><c t=\"inlineStr\"><is><t>Mobile</t></is></c><c "
              "t=\"inlineStr\"><is><t>CV link</t></is></c></row>"
              "<row r=\"2\"><c t=\"inlineStr\"><is><t>Work Book</t></is></c><c "
              "t=\"inlineStr\"><is><t>%1</t></is></c><c><v>919845050505</v></c><c "
              "t=\"inlineStr\"><is><t>https://files.example.com/wb.pdf</t></is></c></row>"
              "</sheetData></worksheet>"_s.arg(email)
                  .toUtf8();
        const QByteArray book
            = "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
              "relationships\"><sheets><sheet name=\"Cover\" r:id=\"rId1\"/><sheet "
              "name=\"Fair\" r:id=\"rId2\"/></sheets></workbook>";
        const QString path = writeFile(
            m_home.filePath(u"workbook"_s), u"fair.xlsx"_s,
            zipArchive({ { u"xl/workbook.xml"_s, book },
                         { u"xl/worksheets/sheet1.xml"_s,
                           "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>Read me</t>"
                           "</is></c></row></sheetData></worksheet>" },
                         { u"xl/worksheets/sheet2.xml"_s, sheet } }));
        const Run run
            = cli({ u"import"_s, path, u"--sheet"_s, u"Fair"_s, u"--map"_s, u"CV link=resume"_s },
                  {}, u"workbook"_s);
        QVERIFY2(run.exitCode == Cli::Success, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.contains("Excel workbook, sheet “Fair”"), run.out.constData());
        const QJsonArray found = HttpClient(m_sandbox.token())
                                     .get(m_sandbox.url(u"candidates/?email=%1"_s.arg(email)))
                                     .json()
                                     .value(u"results"_s)
                                     .toArray();
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.at(0)[u"phone"_s].toString(), u"+919845050505"_s);
    }

    void importResumes_aFolderOfFifty_becomesFiftyCandidates_once()
    {
        // An agency's folder: Word, OpenDocument and text resumes in two
        // folders, one resume without an email, and a file that is no resume.
        const QString folder = m_home.filePath(u"agency-cvs"_s);
        QStringList emails;
        for (int i = 0; i < 50; ++i) {
            emails << uniqueEmail(u"agency"_s);
            const QString text
                = u"Agency Person %1\n%2\n+91 98450 %3\nSenior analyst"_s.arg(QChar(u'A' + i % 26))
                      .arg(emails.last())
                      .arg(60000 + i);
            const QString name = u"cv-%1"_s.arg(i, 2, 10, QChar(u'0'));
            const QString sub = folder + (i % 2 ? u"/batch-b"_s : QString());
            if (i % 3 == 0)
                QVERIFY(!writeFile(sub, name + u".docx"_s, minimalDocx(text)).isEmpty());
            else if (i % 3 == 1)
                QVERIFY(!writeFile(sub, name + u".odt"_s, minimalOdt(text)).isEmpty());
            else
                QVERIFY(!writeFile(sub, name + u".txt"_s, text.toUtf8()).isEmpty());
        }
        QVERIFY(
            !writeFile(folder, u"no-email.docx"_s, minimalDocx(u"Nomail Person\n+91 98450 69999"_s))
                 .isEmpty());
        QVERIFY(!writeFile(folder, u"logo.png"_s, pngImage()).isEmpty());
        const QString report = m_home.filePath(u"agency.csv"_s);

        const QStringList args = { u"import"_s, u"--resumes"_s, folder, u"--report"_s, report };
        const Run run = cli(args, {}, u"agency"_s);
        QVERIFY2(run.exitCode == Cli::NeedsAttention, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.contains("Reading 51 resume(s)"), run.out.constData());
        QVERIFY2(run.out.contains("1 other file(s) left out"), run.out.constData());
        QVERIFY2(
            run.out.contains("“no-email.docx”: The resume does not give the candidate's email"),
            run.out.constData());
        QVERIFY2(run.out.contains("50 row(s) on the server."), run.out.constData());
        for (const QString &email : std::as_const(emails))
            QCOMPARE(m_sandbox.countWithEmail(email), 1);
        const QJsonArray first = HttpClient(m_sandbox.token())
                                     .get(m_sandbox.url(u"candidates/?email=%1"_s.arg(emails[0])))
                                     .json()
                                     .value(u"results"_s)
                                     .toArray();
        QCOMPARE(first.at(0)[u"name"_s].toString(), u"Agency Person A"_s);
        QCOMPARE(first.at(0)[u"phone"_s].toString(), u"+919845060000"_s);
        QCOMPARE(first.at(0)[u"resume_file"_s][u"filename"_s].toString(), u"cv-00.docx"_s);

        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("no-email.docx"));

        const Run again = cli(args + QStringList { u"--json"_s }, {}, u"agency"_s);
        QCOMPARE(again.exitCode, int(Cli::NeedsAttention));
        QCOMPARE(again.json().value(u"earlier_import"_s).toInt(), 50);
        for (const QString &email : std::as_const(emails))
            QCOMPARE(m_sandbox.countWithEmail(email), 1);
    }

    void import_throughFaultsAndThrottling_endsWithEveryRowOnce()
    {
        // Server errors, 429s and answers lost after the commit, all in one
        // run: every row ends on the server exactly once.
        QString sheet = u"Name,Email,Phone,Resume\n"_s;
        QStringList emails;
        for (int i = 0; i < 60; ++i) {
            emails << uniqueEmail(u"faulty"_s);
            sheet += u"Faulty %1,%2,+91 98450 %3,https://files.example.com/%1.pdf\n"_s.arg(i)
                         .arg(emails.last())
                         .arg(40000 + i);
        }
        const QString csv
            = writeFile(m_home.filePath(u"faulty"_s), u"faulty.csv"_s, sheet.toUtf8());
        sandbox::Faults faults;
        faults.errorNext = 8;
        faults.throttleNext = 8;
        faults.dropAfterCommitNext = 4;
        m_sandbox.setFaults(faults);
        const Run run = cli({ u"import"_s, csv, u"--json"_s }, {}, u"faulty"_s);
        m_sandbox.setFaults({});
        QVERIFY2(run.exitCode == Cli::Success, QByteArray(run.out + run.err).constData());
        QCOMPARE(run.json().value(u"sent"_s).toInt(), 60);
        for (const QString &email : std::as_const(emails))
            QCOMPARE(m_sandbox.countWithEmail(email), 1);
    }

    // The trial: a sheet of 5,000 rows against a server that fails
    // now and then (503s, answers lost after the commit, a run of 429s):
    // exactly 5,000 candidates come of it.
    void import_fiveThousandRowsThroughFaults_endsWithExactlyThatMany()
    {
        if (kSanitized)
            QSKIP("Under ASan even 100 rows of this trial take about 90 s (not yet understood: "
                  "the ci build does 5,000 in 29 s); it runs in the ci build.");
        const int rows = 5000;
        const QString tag = u"bulk%1"_s.arg(QCoreApplication::applicationPid());
        QByteArray sheet = "Name,Email,Phone,Resume\r\n";
        for (int i = 0; i < rows; ++i)
            sheet
                += u"Bulk Person %1,%2.%1@example.com,+91 9%3,https://files.example.com/%1.pdf\r\n"_s
                       .arg(i)
                       .arg(tag)
                       .arg(800000000 + i)
                       .toUtf8();
        const QString csv = writeFile(m_home.filePath(u"bulk"_s), u"bulk.csv"_s, sheet);
        const int before = m_sandbox.candidateCount();
        sandbox::Faults faults;
        faults.errorRate = 0.01;
        faults.errorStatus = 503;
        faults.dropAfterCommitRate = 0.005;
        faults.throttleNext = 3;
        m_sandbox.setFaults(faults);
        const Run run = cli({ u"import"_s, csv, u"--json"_s }, {}, u"bulk"_s, true, 240000);
        m_sandbox.setFaults({});
        QVERIFY2(run.exitCode == Cli::Success, run.text().right(2000).constData());
        QCOMPARE(run.json().value(u"sent"_s).toInt(), rows);
        QCOMPARE(m_sandbox.candidateCount() - before, rows);
        // None twice (the server refuses a second one with the same email,
        // so a duplicate would show as a row not sent), and a sample by email.
        for (int i = 0; i < rows; i += rows / 50)
            QCOMPARE(m_sandbox.countWithEmail(u"%1.%2@example.com"_s.arg(tag).arg(i)), 1);
    }

private:
    // One run, as one process would: a fresh Account over the test's
    // settings file and a data folder (named by dataName) that outlives it.
    Run cli(QStringList arguments, const QByteArray &token = {},
            const QString &dataName = u"data"_s, bool storeToken = true, int timeoutMs = 60000)
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
        if (finished.isEmpty() && !finished.wait(timeoutMs))
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
