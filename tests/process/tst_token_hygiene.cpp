// Token hygiene (issue 9, deliverable 7): after a full run of the real
// executables (the window, offscreen, draining the outbox; the command line's
// every command with every sandbox fault; a wrong token), search every file
// the app wrote and every line it printed for the token: zero hits.
//
// The token is random and chosen to contain characters that percent-encoding
// and JSON change, so each spelling is a different string: raw, "Token <t>",
// percent-encoded, JSON-escaped, base64 and base64url at every alignment,
// hex, UTF-16. Every log category is on (QT_LOGGING_RULES=*.debug=true), so
// every log line the app can make is made. A planted control proves the
// search finds each spelling (it cannot pass by searching nothing), and a
// server on another origin, where the sandbox redirects and points its
// "next" links, must never see the token either.
#include "SandboxFixture.h"
#include "TestData.h"

#include <QDataStream>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using namespace cdesk::test;

namespace {

// One spelling of a secret to look for.
struct Needle
{
    QString what;
    QByteArray bytes;
};

// The middle of the base64 of token as it would appear inside a longer
// stream, with `offset` bytes before it: the characters that depend on the
// token's bytes alone.
QByteArray base64Core(const QByteArray &token, int offset, QByteArray::Base64Options options)
{
    const QByteArray encoded = QByteArray(QByteArray(offset, '\0') + token)
                                   .toBase64(options | QByteArray::OmitTrailingEquals);
    const qsizetype total = offset + token.size();
    const qsizetype head = offset > 0 ? 4 : 0;
    const qsizetype tail = total % 3 == 1 ? 2 : total % 3 == 2 ? 3 : 0;
    return encoded.mid(head, encoded.size() - head - tail);
}

// QUrl's percent-encoding, of bytes; `include`: bytes to encode even when unreserved.
QByteArray percentEncoded(const QByteArray &bytes, const QByteArray &include = {})
{
    return QUrl::toPercentEncoding(QString::fromLatin1(bytes), {}, include);
}

QList<Needle> spellingsOf(const QByteArray &token, const QString &whose)
{
    QList<Needle> all;
    auto add = [&](const QString &what, const QByteArray &bytes) {
        for (const Needle &n : std::as_const(all)) {
            if (n.bytes == bytes)
                return;
        }
        all.append({ whose + u" token, "_s + what, bytes });
    };
    add(u"raw"_s, token);
    add(u"as \"Token <token>\""_s, "Token " + token);
    add(u"percent-encoded"_s, percentEncoded(token));
    add(u"percent-encoded, lowercase hex"_s,
        percentEncoded(token).replace("%2B", "%2b").replace("%2F", "%2f").replace("%3D", "%3d"));
    add(u"percent-encoded, every byte"_s, percentEncoded(token, token));
    {
        QByteArray json = token;
        add(u"JSON-escaped"_s, json.replace("/", "\\/"));
    }
    for (int offset = 0; offset < 3; ++offset) {
        add(u"base64 at offset %1"_s.arg(offset),
            base64Core(token, offset, QByteArray::Base64Encoding));
        add(u"base64url at offset %1"_s.arg(offset),
            base64Core(token, offset, QByteArray::Base64UrlEncoding));
    }
    add(u"hex"_s, token.toHex());
    add(u"HEX"_s, token.toHex().toUpper());
    const QString text = QString::fromLatin1(token);
    add(u"UTF-16LE"_s, QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2));
    {
        QByteArray be;
        for (const QChar c : text) {
            be += char(c.unicode() >> 8);
            be += char(c.unicode() & 0xff);
        }
        add(u"UTF-16BE"_s, be);
    }
    return all;
}

// Which of the needles are in bytes.
QStringList spellingsIn(const QByteArray &bytes, const QList<Needle> &needles)
{
    QStringList found;
    for (const Needle &n : needles) {
        if (bytes.contains(n.bytes))
            found << n.what;
    }
    return found;
}

struct Hit
{
    QString file;
    QStringList spellings;
};

// Every regular file under root, hidden ones too, without following links.
struct SearchResult
{
    QList<Hit> hits;
    QStringList searched;
    QStringList unreadable;
};

SearchResult searchTree(const QString &root, const QList<Needle> &needles)
{
    SearchResult result;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        if (info.isSymLink() || !info.isFile())
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            result.unreadable << path;
            continue;
        }
        result.searched << path;
        const QStringList found = spellingsIn(file.readAll(), needles);
        if (!found.isEmpty())
            result.hits.append({ path, found });
    }
    return result;
}

QString describe(const QList<Hit> &hits)
{
    QStringList lines;
    for (const Hit &h : hits)
        lines << h.file + u": "_s + h.spellings.join(u"; "_s);
    return lines.join(u'\n');
}

// A random token of 40 characters from the base64 alphabet with at least one
// '+' and one '/', so percent-encoding, JSON escaping and base64 each spell it
// differently from the raw bytes.
QByteArray randomToken()
{
    for (;;) {
        QByteArray bytes(30, Qt::Uninitialized);
        for (char &b : bytes)
            b = char(QRandomGenerator::system()->bounded(256));
        const QByteArray token = bytes.toBase64();
        if (token.size() == 40 && token.contains('+') && token.contains('/'))
            return token;
    }
}

// A server on another origin that records every byte anyone sends it.
class OtherOrigin : public QThread
{
public:
    ~OtherOrigin() override
    {
        quit();
        wait();
    }

    bool begin()
    {
        start();
        m_ready.acquire();
        return m_port != 0;
    }
    quint16 port() const { return m_port; }
    QUrl origin() const { return QUrl(u"http://127.0.0.1:%1/"_s.arg(m_port)); }
    QByteArray received() const
    {
        QMutexLocker locker(&m_mutex);
        return m_received;
    }
    int connections() const
    {
        QMutexLocker locker(&m_mutex);
        return m_connections;
    }

protected:
    void run() override
    {
        QTcpServer server;
        if (server.listen(QHostAddress::LocalHost))
            m_port = server.serverPort();
        QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                {
                    QMutexLocker locker(&m_mutex);
                    ++m_connections;
                }
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    const QByteArray bytes = socket->readAll();
                    QByteArray seen = socket->property("seen").toByteArray() + bytes;
                    socket->setProperty("seen", seen);
                    {
                        QMutexLocker locker(&m_mutex);
                        m_received += bytes;
                    }
                    if (seen.contains("\r\n\r\n") && !socket->property("answered").toBool()) {
                        socket->setProperty("answered", true);
                        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                      "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
                        socket->disconnectFromHost();
                    }
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_ready.release();
        exec();
    }

private:
    QSemaphore m_ready;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    QByteArray m_received;
    int m_connections = 0;
};

struct Run
{
    QString name;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

} // namespace

class TestTokenHygiene : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // CDESK_KEEP_TEST_FILES=1 keeps the home folder and the captured output to look at.
        if (qEnvironmentVariableIntValue("CDESK_KEEP_TEST_FILES") == 1) {
            m_root.setAutoRemove(false);
            qInfo("keeping %s", qPrintable(m_root.path()));
        }
        m_home = m_root.filePath(u"home"_s);
        m_captures = m_root.filePath(u"captures"_s);
        m_files = m_root.filePath(u"files"_s);
        const QStringList dirs = { m_home,
                                   m_captures,
                                   m_files,
                                   m_home + u"/config"_s,
                                   m_home + u"/data"_s,
                                   m_home + u"/cache"_s,
                                   m_home + u"/runtime"_s,
                                   m_home + u"/tmp"_s };
        for (const QString &dir : dirs)
            QVERIFY(QDir().mkpath(dir));
        QVERIFY(QFile::setPermissions(m_home + u"/runtime"_s,
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

        m_token = randomToken();
        do
            m_wrongToken = randomToken();
        while (m_wrongToken == m_token);
        m_needles = spellingsOf(m_token, u"the"_s) + spellingsOf(m_wrongToken, u"the wrong"_s);

        QVERIFY(m_otherOrigin.begin());
        // More jobs than one page (the client asks for 200 a page), so the
        // list has "next" links, which a fault can point at another origin.
        QJsonArray jobs;
        for (int i = 0; i < 205; ++i)
            jobs.append(
                seedJob(1000 + i, u"Job %1"_s.arg(i), u"Engineering"_s, u"Pune"_s, u"open"_s));
        sandbox::Options options;
        options.token = m_token;
        options.maxResumeBytes = 64 * 1024; // so a 100 KB resume gets its 413
        options.seedJobsFile = writeSeedJobs(m_files, jobs);
        QVERIFY2(m_sandbox.start(options), qPrintable(m_sandbox.errorString()));
        QCOMPARE(m_sandbox.token(), m_token);

        m_pdf = writeFile(m_files, u"Ravi Kumar resume.pdf"_s, minimalPdf("Ravi Kumar"));
        m_bigPdf = writeFile(m_files, u"Big resume.pdf"_s, minimalPdf("Big Resume", 100 * 1024));
        QVERIFY(!m_pdf.isEmpty() && !m_bigPdf.isEmpty());
    }

    // The search finds every spelling, in every kind of file it will meet:
    // so zero hits later means the token is not there, not that nothing was read.
    void theSearch_findsEveryPlantedSpelling()
    {
        QTemporaryDir control;
        QVERIFY(control.isValid());
        QStringList planted;
        auto plant = [&](const QString &name, const QByteArray &bytes) {
            const QFileInfo where(control.filePath(name));
            const QString path = writeFile(where.absolutePath(), where.fileName(), bytes);
            QVERIFY(!path.isEmpty());
            planted << path;
        };
        const QByteArray t = m_token;
        plant(u".config/settings.ini"_s, "[api]\ntoken=" + t + "\n");
        plant(u"logs/app.log"_s, "debug: Authorization: Token " + t + "\n");
        plant(u"url.txt"_s, "GET /?token=" + percentEncoded(t) + "&x=1");
        plant(u"every-byte.txt"_s, "t=" + percentEncoded(t, t));
        plant(u"body.json"_s, "{\"token\":\"" + QByteArray(t).replace("/", "\\/") + "\"}");
        for (const QByteArray &prefix :
             { QByteArray("Bas"), QByteArray("user:"), QByteArray("u:") })
            plant(u"basic-%1.txt"_s.arg(prefix.size()),
                  "Authorization: Basic " + QByteArray(prefix + t + "!").toBase64() + "\n");
        plant(
            u"base64url.txt"_s,
            QByteArray(QByteArray("ab") + t + "\xff\xfe").toBase64(QByteArray::Base64UrlEncoding));
        plant(u"dump.hex"_s, "bytes " + t.toHex() + "\n");
        {
            QByteArray stream;
            QDataStream out(&stream, QIODevice::WriteOnly);
            out << QString::fromLatin1(t); // UTF-16BE, as QSettings' @Variant and QDataStream do
            plant(u"stream.bin"_s, stream);
        }
        plant(u"wrong.txt"_s, "refused: " + m_wrongToken);
        {
            const QString path = control.filePath(u"store.sqlite"_s);
            {
                auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"control"_s);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(u"CREATE TABLE t (v TEXT)"_s));
                QVERIFY(q.prepare(u"INSERT INTO t VALUES (?)"_s));
                q.addBindValue(QString::fromLatin1("Token " + t));
                QVERIFY(q.exec());
                db.close();
            }
            QSqlDatabase::removeDatabase(u"control"_s);
            planted << path;
        }
        const QString clean = writeFile(control.path(), u"clean.txt"_s, "nothing secret here\n");

        const SearchResult result = searchTree(control.path(), m_needles);
        QVERIFY(result.searched.contains(clean));
        QStringList found;
        for (const Hit &h : result.hits)
            found << h.file;
        for (const QString &path : std::as_const(planted))
            QVERIFY2(found.contains(path),
                     qPrintable(u"the search missed "_s + path + u"\nit found:\n"_s
                                + describe(result.hits)));
        QVERIFY2(!found.contains(clean), qPrintable(describe(result.hits)));
        QCOMPARE(found.size(), planted.size());
    }

    void fullRun_everyCommandAndFault()
    {
        const QString api = m_sandbox.baseUrl().toString();
        auto submit = [&](const QString &tag, const QStringList &more = {}) {
            return QStringList { u"submit"_s, u"--api-url"_s,        api,
                                 u"--name"_s, u"Test %1"_s.arg(tag), u"--email"_s,
                                 email(tag),  u"--phone"_s,          u"+91 98765 43210"_s }
            + (more.contains(u"--resume"_s) ? more
                                            : more
                       + QStringList { u"--resume-url"_s, u"https://files.example.com/cv.pdf"_s });
        };
        auto faults = [&](auto change) {
            sandbox::Faults f;
            change(f);
            m_sandbox.setFaults(f);
        };

        // Every command, nothing wrong.
        run(u"jobs"_s, { u"jobs"_s, u"--api-url"_s, api }, { 0 });
        run(u"jobs-json"_s, { u"jobs"_s, u"--all"_s, u"--json"_s, u"--api-url"_s, api }, { 0 });
        run(u"inspect-resume"_s, { u"inspect-resume"_s, m_pdf }, { 0 });
        run(u"inspect-resume-json"_s, { u"inspect-resume"_s, m_pdf, u"--json"_s }, { 0 });
        const Run created
            = run(u"submit"_s, submit(u"clean"_s, { u"--resume"_s, m_pdf, u"--json"_s }), { 0 });
        const QString id = QString::number(created.json().value(u"id"_s).toInteger());
        run(u"update"_s,
            { u"update"_s, id, u"--phone"_s, u"+91 90000 22222"_s, u"--api-url"_s, api }, { 0 });

        // 500 and 503.
        faults([](sandbox::Faults &f) {
            f.errorNext = 100000;
            f.errorStatus = 500;
        });
        run(u"submit-500"_s, submit(u"e500"_s, { u"--wait"_s, u"0"_s, u"--resume"_s, m_pdf }),
            { 5 });
        run(u"outbox-retry-500"_s,
            { u"outbox"_s, u"--retry"_s, u"--wait"_s, u"0"_s, u"--api-url"_s, api }, { 5 });
        faults([](sandbox::Faults &f) {
            f.errorNext = 100000;
            f.errorStatus = 503;
        });
        run(u"submit-503"_s, submit(u"e503"_s, { u"--wait"_s, u"0"_s }), { 5 });
        run(u"update-503"_s,
            { u"update"_s, id, u"--industry"_s, u"Retail"_s, u"--wait"_s, u"0"_s, u"--api-url"_s,
              api },
            { 5 });
        // 429.
        faults([](sandbox::Faults &f) { f.throttleNext = 100000; });
        run(u"submit-429"_s, submit(u"e429"_s, { u"--wait"_s, u"0"_s }), { 5 });
        run(u"jobs-429"_s, { u"jobs"_s, u"--api-url"_s, api }, { 5, 6 });
        // The connection dropped after the server committed.
        faults([](sandbox::Faults &f) { f.dropAfterCommitNext = 1; });
        run(u"submit-drop-after-commit"_s, submit(u"drop"_s, { u"--json"_s }), { 0, 5 });
        // Answers slower than a short timeout.
        setSetting(u"api/timeoutMs"_s, 1000);
        faults([](sandbox::Faults &f) { f.latencyMs = 2500; });
        run(u"submit-timeout"_s, submit(u"timeout"_s, { u"--wait"_s, u"0"_s }), { 5 });
        run(u"jobs-timeout"_s, { u"jobs"_s, u"--api-url"_s, api }, { 5, 6 });
        setSetting(u"api/timeoutMs"_s, {});
        // Redirects to another origin, and "next" links that point there.
        const QUrl other = m_otherOrigin.origin();
        faults([other](sandbox::Faults &f) { f.redirectTo = other; });
        run(u"submit-redirect"_s, submit(u"redirect"_s, { u"--wait"_s, u"0"_s }), { 6 });
        run(u"jobs-redirect"_s, { u"jobs"_s, u"--api-url"_s, api }, { 6 });
        run(u"update-redirect"_s,
            { u"update"_s, id, u"--department"_s, u"Sales"_s, u"--wait"_s, u"0"_s, u"--api-url"_s,
              api },
            { 6 });
        faults([other](sandbox::Faults &f) { f.nextOrigin = other; });
        run(u"jobs-next-origin"_s, { u"jobs"_s, u"--all"_s, u"--api-url"_s, api }, { 0, 5, 6 });
        // 413, as the sandbox says it and as nginx does.
        faults([](sandbox::Faults &) {});
        run(u"submit-413"_s, submit(u"big"_s, { u"--wait"_s, u"0"_s, u"--resume"_s, m_bigPdf }),
            { 2 });
        // The 413 above taught the settings the server's limit: forget it, so
        // this one reaches the server too instead of being refused here.
        setSetting(u"resume/maxBytes"_s, {});
        faults([](sandbox::Faults &f) { f.tooLargeStyle = u"nginx"_s; });
        run(u"submit-413-nginx"_s,
            submit(u"bignginx"_s, { u"--wait"_s, u"0"_s, u"--resume"_s, m_bigPdf }), { 2, 6 });
        // A wrong token.
        faults([](sandbox::Faults &) {});
        run(u"submit-wrong-token"_s, submit(u"wrong"_s, { u"--wait"_s, u"0"_s }), { 3 },
            m_wrongToken);
        run(u"jobs-wrong-token"_s, { u"jobs"_s, u"--api-url"_s, api }, { 3 }, m_wrongToken);
        run(u"outbox-retry-wrong-token"_s,
            { u"outbox"_s, u"--retry"_s, u"--wait"_s, u"0"_s, u"--api-url"_s, api }, { 3, 5, 6 },
            m_wrongToken);
        // Reading.
        run(u"history"_s, { u"history"_s }, { 0 });
        run(u"history-json"_s, { u"history"_s, u"--json"_s, u"--limit"_s, u"100"_s }, { 0 });
        run(u"outbox"_s, { u"outbox"_s }, { 0 });
        run(u"outbox-json"_s, { u"outbox"_s, u"--json"_s }, { 0 });

        // Every command line that gets the outbox's lock sends whatever is
        // due, so the rows above have been sent or held by now. What waits
        // for the window: the held rows queued again and two new ones, all
        // answered 503 once, so they are pending when the window starts.
        faults([](sandbox::Faults &f) {
            f.errorNext = 100000;
            f.errorStatus = 503;
        });
        run(u"outbox-retry-503"_s,
            { u"outbox"_s, u"--retry"_s, u"--wait"_s, u"0"_s, u"--api-url"_s, api }, { 5 });
        run(u"submit-for-window-1"_s, submit(u"forwindow1"_s, { u"--wait"_s, u"0"_s }), { 5 });
        run(u"submit-for-window-2"_s,
            submit(u"forwindow2"_s, { u"--wait"_s, u"0"_s, u"--resume"_s, m_pdf }), { 5 });
        faults([](sandbox::Faults &) {});
        // The window drains what waits; command lines run beside it. Which
        // of the earlier rows still wait depends on timing (a Retry-After may
        // have run out while another command line held the outbox): the two
        // new ones always do.
        QStringList waiting;
        for (const QString &tag : { u"e429"_s, u"timeout"_s, u"redirect"_s, u"wrong"_s,
                                    u"forwindow1"_s, u"forwindow2"_s }) {
            if (countWithEmail(email(tag)) == 0)
                waiting << email(tag);
        }
        for (const QString &tag : { u"forwindow1"_s, u"forwindow2"_s }) {
            if (!waiting.contains(email(tag)))
                m_unexpected << email(tag) + u" was on the server before the window started"_s;
        }
        {
            auto window = startWindow(u"window"_s, m_token);
            QVERIFY(window);
            QElapsedTimer drained;
            drained.start();
            bool all = false;
            while (!all && drained.elapsed() < 30000 && window->state() == QProcess::Running) {
                QTest::qWait(250);
                all = true;
                for (const QString &e : waiting)
                    all = all && countWithEmail(e) == 1;
            }
            if (!all)
                m_unexpected << u"the window did not send %1 within 30 s (running: %2)"_s
                                    .arg(waiting.join(u", "_s))
                                    .arg(window->state() == QProcess::Running);
            else
                qInfo("the window drained the outbox in %lld ms", drained.elapsed());
            run(u"submit-beside-window"_s, submit(u"beside"_s), { 0 });
            // While the window runs, its database has a -wal and a -shm, and
            // the lock file is there: search them now, as they are gone later.
            m_whileRunning = searchTree(m_home, m_needles);
            run(u"outbox-retry-beside-window"_s,
                { u"outbox"_s, u"--retry"_s, u"--wait"_s, u"2"_s, u"--api-url"_s, api },
                { 0, 3, 5, 6 });
            stopWindow(window.get(), u"window"_s);
        }
        // The window with a wrong token, while a submission waits.
        faults([](sandbox::Faults &f) {
            f.errorNext = 1;
            f.errorStatus = 503;
        });
        run(u"submit-before-wrong-window"_s, submit(u"beforewrong"_s, { u"--wait"_s, u"0"_s }),
            { 5 });
        faults([](sandbox::Faults &) {});
        {
            auto window = startWindow(u"window-wrong-token"_s, m_wrongToken);
            QVERIFY(window);
            QTest::qWait(4000);
            stopWindow(window.get(), u"window-wrong-token"_s);
        }
        // The right token sends what was held for it (and for the redirect).
        run(u"outbox-retry-final"_s, { u"outbox"_s, u"--retry"_s, u"--api-url"_s, api }, { 0, 6 });
        run(u"history-final"_s, { u"history"_s, u"--json"_s, u"--limit"_s, u"100"_s }, { 0 });
        for (const QString &tag : { u"beforewrong"_s, u"wrong"_s, u"redirect"_s, u"beside"_s }) {
            if (countWithEmail(email(tag)) != 1)
                m_unexpected << u"%1 is not on the server once"_s.arg(email(tag));
        }
        qInfo("%d runs, %d window runs", int(m_runs.size()), m_windowRuns);
        QVERIFY2(m_unexpected.isEmpty(), qPrintable(m_unexpected.join(u'\n')));
    }

    void theToken_isInNoFileTheAppWrote()
    {
        QVERIFY2(m_runs.size() > 20, "the full run did not happen");
        const SearchResult result = searchTree(m_home, m_needles);
        qInfo("searched %d files under the home folder:\n%s", int(result.searched.size()),
              qPrintable(result.searched.join(u'\n')));
        QVERIFY2(result.unreadable.isEmpty(), qPrintable(result.unreadable.join(u'\n')));
        // What the search must have read, or it proves nothing.
        const QString data = m_home + u"/data/candidate-desk/candidate-desk"_s;
        const QStringList expectedFiles
            = { data + u"/candidate-desk.sqlite"_s,
                m_home + u"/config/candidate-desk/candidate-desk.ini"_s };
        for (const QString &expected : expectedFiles)
            QVERIFY2(result.searched.contains(expected), qPrintable(expected));
        const bool sawCopies
            = std::any_of(result.searched.cbegin(), result.searched.cend(),
                          [](const QString &p) { return p.contains(u"/outbox-files/"_s); });
        QVERIFY2(sawCopies, "no resume copy under outbox-files was searched");
        QVERIFY2(result.hits.isEmpty(),
                 qPrintable(u"the token is in files the app wrote:\n"_s + describe(result.hits)));

        qInfo("searched %d files while the window ran:\n%s", int(m_whileRunning.searched.size()),
              qPrintable(m_whileRunning.searched.join(u'\n')));
        const QStringList leftWhileRunning
            = { data + u"/candidate-desk.sqlite-wal"_s, data + u"/candidate-desk.sqlite-shm"_s };
        for (const QString &expected : leftWhileRunning)
            QVERIFY2(m_whileRunning.searched.contains(expected), qPrintable(expected));
        QVERIFY2(m_whileRunning.hits.isEmpty(),
                 qPrintable(u"the token is in files the app wrote (while the window ran):\n"_s
                            + describe(m_whileRunning.hits)));
    }

    void theToken_isInNoLineTheAppPrinted()
    {
        const SearchResult result = searchTree(m_captures, m_needles);
        qint64 bytes = 0;
        for (const QString &path : result.searched)
            bytes += QFileInfo(path).size();
        qInfo("searched %d captured outputs, %lld bytes", int(result.searched.size()), bytes);
        QVERIFY(result.searched.size() >= 2 * (m_runs.size() + m_windowRuns));
        // Debug output of Qt's and the app's own categories proves the rules were on.
        QByteArray all;
        for (const QString &path : result.searched) {
            QFile f(path);
            if (f.open(QIODevice::ReadOnly))
                all += f.readAll();
        }
        QVERIFY2(all.contains("qt.core.plugin.factoryloader:"), "no Qt debug output captured");
        QVERIFY2(all.contains("\ncdesk."), "no debug output of the app's own categories captured");
        QVERIFY2(result.hits.isEmpty(),
                 qPrintable(u"the token is in what the app printed:\n"_s + describe(result.hits)));
    }

    void theOtherOrigin_neverSawTheToken()
    {
        const QByteArray received = m_otherOrigin.received();
        qInfo("the other origin got %d connection(s), %d bytes", m_otherOrigin.connections(),
              int(received.size()));
        if (!received.isEmpty())
            qInfo("it received:\n%s", received.left(2000).constData());
        const QStringList found = spellingsIn(received, m_needles);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u"; "_s)));
    }

private:
    QString email(const QString &tag) const
    {
        return u"hygiene.%1.%2@example.com"_s.arg(tag).arg(QCoreApplication::applicationPid());
    }

    static QString codes(const QList<int> &list)
    {
        QStringList texts;
        for (const int code : list)
            texts << QString::number(code);
        return texts.join(u", "_s);
    }

    QProcessEnvironment environment(const QByteArray &token) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, m_home);
        env.insert(u"XDG_CONFIG_HOME"_s, m_home + u"/config"_s);
        env.insert(u"XDG_DATA_HOME"_s, m_home + u"/data"_s);
        env.insert(u"XDG_CACHE_HOME"_s, m_home + u"/cache"_s);
        env.insert(u"XDG_RUNTIME_DIR"_s, m_home + u"/runtime"_s);
        env.insert(u"TMPDIR"_s, m_home + u"/tmp"_s);
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"QT_LOGGING_RULES"_s, u"*.debug=true"_s);
        env.insert(u"CANDIDATE_DESK_TOKEN"_s, QString::fromLatin1(token));
        env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // the environment's token serves
        return env;
    }

    // The settings file the executables read (QSettings, IniFormat, UserScope).
    // An invalid value removes the key: the default applies again.
    void setSetting(const QString &key, const QVariant &value)
    {
        QSettings ini(m_home + u"/config/candidate-desk/candidate-desk.ini"_s,
                      QSettings::IniFormat);
        if (value.isValid())
            ini.setValue(key, value);
        else
            ini.remove(key);
        ini.sync();
    }

    QString capture(const QString &name, const char *stream) const
    {
        return m_captures
            + u"/%1-%2.%3"_s.arg(m_runs.size() + m_windowRuns, 2, 10, QLatin1Char('0'))
                  .arg(name, QLatin1StringView(stream));
    }

    Run run(const QString &name, const QStringList &arguments, const QList<int> &expected,
            const QByteArray &token = {})
    {
        Run r;
        r.name = name;
        const QString out = capture(name, "out");
        const QString err = capture(name, "err");
        QProcess process;
        process.setProcessEnvironment(environment(token.isEmpty() ? m_token : token));
        process.setStandardOutputFile(out);
        process.setStandardErrorFile(err);
        QElapsedTimer took;
        took.start();
        process.start(QStringLiteral(CDESK_APP_EXE), arguments);
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished(5000);
        }
        r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        QFile o(out), e(err);
        if (o.open(QIODevice::ReadOnly))
            r.out = o.readAll();
        if (e.open(QIODevice::ReadOnly))
            r.err = e.readAll();
        m_runs.append(r);
        if (!expected.contains(r.exitCode)) {
            const QString lastLines = QString::fromUtf8(r.out.right(600) + "\n" + r.err.right(600));
            m_unexpected << u"%1 (%2) exited %3, expected one of %4; it printed:\n%5"_s
                                .arg(name, arguments.join(u' '))
                                .arg(r.exitCode)
                                .arg(codes(expected))
                                .arg(lastLines);
        }
        qInfo("%-28s exit %d in %lld ms", qPrintable(name), r.exitCode, took.elapsed());
        return r;
    }

    std::unique_ptr<QProcess> startWindow(const QString &name, const QByteArray &token)
    {
        auto window = std::make_unique<QProcess>();
        window->setProcessEnvironment(environment(token));
        window->setStandardOutputFile(capture(name, "out"));
        window->setStandardErrorFile(capture(name, "err"));
        ++m_windowRuns;
        window->start(QStringLiteral(CDESK_APP_EXE),
                      { u"--api-url"_s, m_sandbox.baseUrl().toString() });
        if (!window->waitForStarted(10000))
            return nullptr;
        return window;
    }

    void stopWindow(QProcess *window, const QString &name)
    {
        if (window->state() != QProcess::Running)
            m_unexpected << u"%1 had stopped by itself (exit %2)"_s.arg(name).arg(
                window->exitCode());
        window->terminate();
        if (!window->waitForFinished(10000)) {
            window->kill();
            window->waitForFinished(5000);
        }
    }

    int countWithEmail(const QString &address)
    {
        return HttpClient(m_token)
            .get(m_sandbox.url(u"candidates/?email="_s + queryValue(address)))
            .json()
            .value(u"count"_s)
            .toInt();
    }

    QTemporaryDir m_root;
    QString m_home; // HOME and every XDG folder of the executables
    QString m_captures; // their stdout and stderr, one file each
    QString m_files; // inputs: resumes, the seed jobs
    QByteArray m_token;
    QByteArray m_wrongToken;
    QList<Needle> m_needles;
    OtherOrigin m_otherOrigin;
    SandboxFixture m_sandbox;
    QString m_pdf;
    QString m_bigPdf;
    QList<Run> m_runs;
    SearchResult m_whileRunning;
    int m_windowRuns = 0;
    QStringList m_unexpected;
};

QTEST_GUILESS_MAIN(TestTokenHygiene)
#include "tst_token_hygiene.moc"
