// The candidate-desk-sandbox executable as a script or a new user meets it:
// started with --port 0 it prints one line of JSON, and a real client (curl)
// creates a candidate against it; its data survives a restart.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct RunningSandbox
{
    QProcess process;
    QJsonObject announcement;

    ~RunningSandbox()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(10000);
        }
    }

    bool start(const QStringList &arguments)
    {
        process.start(QStringLiteral(CDESK_SANDBOX_EXE), arguments);
        if (!process.waitForStarted(10000))
            return false;
        while (!process.canReadLine()) {
            if (!process.waitForReadyRead(30000))
                return false;
        }
        announcement = QJsonDocument::fromJson(process.readLine()).object();
        return !announcement.isEmpty();
    }
    QString base() const { return announcement.value(u"base_url"_s).toString(); }
    QString token() const { return announcement.value(u"token"_s).toString(); }
};

// Runs curl and returns {HTTP status, body}; status 0 when curl failed.
QPair<int, QByteArray> curl(const QStringList &arguments)
{
    QProcess process;
    process.start(u"curl"_s, QStringList { u"-sS"_s, u"-w"_s, u"\n%{http_code}"_s } + arguments);
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
        return { 0, process.readAllStandardError() };
    QByteArray out = process.readAllStandardOutput();
    const qsizetype cut = out.lastIndexOf('\n');
    return { out.mid(cut + 1).toInt(), out.left(cut) };
}

} // namespace

class TestSandboxExecutable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"curl"_s).isEmpty())
            QSKIP("curl is not installed (packaging/debian-packages.txt lists it)");
    }

    void portZero_printsUrlAndToken_andCurlCreatesACandidate()
    {
        QTemporaryDir dir;
        RunningSandbox sandbox;
        QVERIFY(sandbox.start({ u"--port"_s, u"0"_s, u"--data-dir"_s, dir.filePath(u"data"_s) }));
        QVERIFY2(sandbox.base().startsWith(u"http://127.0.0.1:"_s), qPrintable(sandbox.base()));
        QVERIFY(sandbox.base().endsWith(u"/api/v1"_s));
        QCOMPARE(sandbox.token().size(), 40);
        QVERIFY(!sandbox.announcement.value(u"admin_token"_s).toString().isEmpty());

        const QString resume = dir.filePath(u"Résumé de Zoë.txt"_s);
        QFile file(resume);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Zoë Durand\nzoe@example.com\n+33 6 12 34 56 78\n");
        file.close();

        const auto [status, body] = curl({
            u"-H"_s,
            u"Authorization: Token "_s + sandbox.token(),
            u"-F"_s,
            u"name=Zoë Durand"_s,
            u"-F"_s,
            u"email=zoe@Example.COM"_s,
            u"-F"_s,
            u"phone=+33 6 12 34 56 78"_s,
            u"-F"_s,
            u"source=Referral"_s,
            u"-F"_s,
            u"custom_fields={\"linkedin_url\": \"https://linkedin.com/in/zoe\"}"_s,
            u"-F"_s,
            u"resume=@"_s + resume + u";type=text/plain"_s,
            sandbox.base() + u"/candidates/"_s,
        });
        QCOMPARE(status, 201);
        const QJsonObject candidate = QJsonDocument::fromJson(body).object();
        QCOMPARE(candidate.value(u"name"_s).toString(), u"Zoë Durand"_s);
        QCOMPARE(candidate.value(u"email"_s).toString(), u"zoe@example.com"_s);
        QCOMPARE(candidate.value(u"source"_s).toString(), u"Referral"_s);
        QCOMPARE(candidate.value(u"talent_pool"_s).toBool(), true);
        QCOMPARE(candidate.value(u"custom_fields"_s)[u"linkedin_url"_s].toString(),
                 u"https://linkedin.com/in/zoe"_s);
        const QJsonObject stored = candidate.value(u"resume_file"_s).toObject();
        QCOMPARE(stored.value(u"filename"_s).toString(), u"Résumé de Zoë.txt"_s);
        QCOMPARE(stored.value(u"content_type"_s).toString(), u"text/plain"_s);
        const qint64 id = candidate.value(u"id"_s).toInteger();

        // Stopped and started again on the same folder: the candidate is still there.
        sandbox.process.kill();
        QVERIFY(sandbox.process.waitForFinished(10000));
        RunningSandbox again;
        QVERIFY(again.start({ u"--port"_s, u"0"_s, u"--data-dir"_s, dir.filePath(u"data"_s),
                              u"--token"_s, u"0123456789abcdef0123456789abcdef01234567"_s }));
        const auto [getStatus, getBody] = curl({
            u"-H"_s,
            u"Authorization: Token 0123456789abcdef0123456789abcdef01234567"_s,
            again.base() + u"/candidates/%1/"_s.arg(id),
        });
        QCOMPARE(getStatus, 200);
        QCOMPARE(QJsonDocument::fromJson(getBody).object().value(u"email"_s).toString(),
                 u"zoe@example.com"_s);
    }

    void help_exitsZero_andBadOption_exitsTwo()
    {
        QProcess help;
        help.start(QStringLiteral(CDESK_SANDBOX_EXE), { u"--help"_s });
        QVERIFY(help.waitForFinished(10000));
        QCOMPARE(help.exitCode(), 0);
        QVERIFY(help.readAllStandardOutput().contains("--max-resume-mb"));

        QProcess bad;
        bad.start(QStringLiteral(CDESK_SANDBOX_EXE), { u"--max-resume-mb"_s, u"lots"_s });
        QVERIFY(bad.waitForFinished(10000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("--max-resume-mb"));
    }
};

QTEST_GUILESS_MAIN(TestSandboxExecutable)
#include "tst_sandbox_executable.moc"
