#include "KillTrial.h"

#include "SandboxFixture.h"
#include "TestData.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QVariant>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;

namespace cdesk::trial {

namespace {

const char *const FirstNames[]
    = { "Asha",  "Ravi",  "Meera", "Kabir", "Anita", "Nia",  "Arjun", "Priya", "Vikram",
        "Leela", "Rohan", "Sara",  "Imran", "Divya", "Tara", "Dev",   "Farah", "Omar" };
const char *const LastNames[]
    = { "Rao",   "Kumar", "Iyer", "Shah",   "Desai", "Das",   "Menon", "Nair",
        "Gupta", "Singh", "Bose", "Pillai", "Khan",  "Joshi", "Reddy", "Kapoor" };

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::system()->bounded(256));
    return raw.toHex();
}

QByteArray sha256File(const QString &path, bool *ok)
{
    *ok = false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    *ok = true;
    return hash.result().toHex();
}

// The rows of the client's submissions table that the checks read.
struct Row
{
    qint64 id = 0;
    QString email;
    QString state;
    QString errorKind;
    QString lastError;
    QString resumeCopy; // empty when NULL
    bool hasResumeCopy = false;
    QString resumeSha256;
    QString originalResumeName;
    qint64 serverId = 0;
    int attempts = 0;
};

QString describe(const Row &r)
{
    return u"row #%1 <%2> state=%3 attempts=%4%5"_s.arg(r.id)
        .arg(r.email, r.state)
        .arg(r.attempts)
        .arg(r.lastError.isEmpty()
                 ? QString()
                 : u" error_kind=%1 last_error=\"%2\""_s.arg(r.errorKind, r.lastError));
}

} // namespace

QString KillTrial::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Submit:
        return u"submit"_s;
    case Kind::Retry:
        return u"retry"_s;
    case Kind::Window:
        return u"window"_s;
    }
    return u"?"_s;
}

KillTrial::KillTrial(TrialOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_random(m_options.seed)
{ }

KillTrial::~KillTrial()
{
    for (auto it = m_runs.begin(); it != m_runs.end(); ++it) {
        it.key()->kill();
        it.key()->waitForFinished(5000);
    }
    if (m_sandbox && m_sandbox->state() != QProcess::NotRunning) {
        m_sandbox->kill();
        m_sandbox->waitForFinished(5000);
    }
}

QString KillTrial::dataDir() const
{
    // QStandardPaths::AppDataLocation of organization and application "candidate-desk".
    return m_home + u"/data/candidate-desk/candidate-desk"_s;
}

QString KillTrial::databasePath() const
{
    return dataDir() + u"/candidate-desk.sqlite"_s;
}

void KillTrial::log(const QString &line)
{
    if (!m_log)
        return;
    const qint64 t = m_chaosClock.isValid() ? m_chaosClock.elapsed() : 0;
    m_log->write(u"%1 %2\n"_s.arg(t, 8).arg(line).toUtf8());
    m_log->flush();
}

void KillTrial::violation(const QString &name, const QString &detail)
{
    for (Violation &v : m_violations) {
        if (v.name == name) {
            v.details.append(detail);
            return;
        }
    }
    m_violations.append({ name, { detail } });
}

// ---------------------------------------------------------------------------
// Set up

bool KillTrial::makeFolders()
{
    const QString parent = m_options.parentDir.isEmpty() ? QDir::tempPath()
                                                         : QDir(m_options.parentDir).absolutePath();
    QDir().mkpath(parent);
    m_temp = std::make_unique<QTemporaryDir>(parent + u"/cdesk-trial-XXXXXX"_s);
    if (!m_temp->isValid()) {
        std::fprintf(stderr, "trial: cannot make a folder in %s: %s\n", qPrintable(parent),
                     qPrintable(m_temp->errorString()));
        return false;
    }
    m_temp->setAutoRemove(false); // run() decides
    // Canonical: /proc shows the processes' open files by their real path.
    m_root = QFileInfo(m_temp->path()).canonicalFilePath();
    m_home = m_root + u"/home"_s;
    m_resumeDir = m_root + u"/resumes"_s;
    m_sandboxDataDir = m_root + u"/sandbox"_s;
    for (const QString &dir :
         QStringList { m_home + u"/data"_s, m_home + u"/config"_s, m_home + u"/cache"_s,
                       m_home + u"/runtime"_s, m_resumeDir, m_sandboxDataDir }) {
        if (!QDir().mkpath(dir)) {
            std::fprintf(stderr, "trial: cannot create %s\n", qPrintable(dir));
            return false;
        }
    }
    QFile::setPermissions(m_home + u"/runtime"_s,
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    m_log = std::make_unique<QFile>(m_root + u"/trial.log"_s);
    if (!m_log->open(QIODevice::WriteOnly | QIODevice::Append)) {
        std::fprintf(stderr, "trial: cannot write %s\n", qPrintable(m_log->fileName()));
        return false;
    }
    return true;
}

bool KillTrial::startSandbox()
{
    m_token = randomHex(20);
    m_adminToken = randomHex(20);
    m_sandbox = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_LOGGING_RULES"_s, u"qt.httpserver.debug=false"_s);
    m_sandbox->setProcessEnvironment(env);
    m_sandbox->setStandardErrorFile(m_root + u"/sandbox.log"_s);
    m_sandbox->start(m_options.sandboxExe,
                     { u"--port"_s, u"0"_s, u"--data-dir"_s, m_sandboxDataDir, u"--token"_s,
                       QString::fromLatin1(m_token), u"--read-only-token"_s,
                       QString::fromLatin1(randomHex(20)), u"--admin-token"_s,
                       QString::fromLatin1(m_adminToken) });
    if (!m_sandbox->waitForStarted(10000)) {
        std::fprintf(stderr, "trial: the sandbox %s did not start: %s\n",
                     qPrintable(m_options.sandboxExe), qPrintable(m_sandbox->errorString()));
        return false;
    }
    QByteArray line;
    QElapsedTimer waited;
    waited.start();
    while (!line.contains('\n') && waited.elapsed() < 20000
           && m_sandbox->state() == QProcess::Running) {
        m_sandbox->waitForReadyRead(500);
        line += m_sandbox->readAllStandardOutput();
    }
    const QJsonObject announcement = QJsonDocument::fromJson(line.trimmed()).object();
    m_baseUrl = QUrl(announcement.value(u"base_url"_s).toString());
    m_adminUrl = QUrl(announcement.value(u"admin_url"_s).toString());
    if (!m_baseUrl.isValid() || m_baseUrl.isEmpty() || !m_adminUrl.isValid()) {
        std::fprintf(stderr,
                     "trial: the sandbox did not announce its address (it printed \"%s\")\n",
                     line.constData());
        return false;
    }
    log(u"sandbox pid %1 at %2"_s.arg(m_sandbox->processId()).arg(m_baseUrl.toString()));
    return true;
}

bool KillTrial::putFaults(const QJsonObject &patch, bool wait)
{
    const QByteArray body = QJsonDocument(patch).toJson(QJsonDocument::Compact);
    ++m_faultPuts;
    if (wait) {
        test::HttpClient admin(m_adminToken);
        const test::HttpResponse r = admin.send("PUT", m_adminUrl, body, "application/json");
        if (r.status != 200) {
            ++m_faultPutFailures;
            log(u"PUT faults %1 answered %2 %3"_s.arg(QString::fromUtf8(body))
                    .arg(r.status)
                    .arg(QString::fromUtf8(r.body)));
            return false;
        }
        return true;
    }
    QNetworkRequest request(m_adminUrl);
    request.setRawHeader("Authorization", "Token " + m_adminToken);
    request.setRawHeader("Content-Type", "application/json");
    request.setTransferTimeout(10000);
    QNetworkReply *reply = m_network.put(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, body] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200) {
            ++m_faultPutFailures;
            log(u"PUT faults %1 answered %2"_s.arg(QString::fromUtf8(body)).arg(status));
        }
        reply->deleteLater();
    });
    return true;
}

KillTrial::Candidate KillTrial::makeCandidate(int index)
{
    Candidate c;
    c.index = index;
    const auto first
        = QString::fromLatin1(FirstNames[m_random.bounded(int(std::size(FirstNames)))]);
    const auto last = QString::fromLatin1(LastNames[m_random.bounded(int(std::size(LastNames)))]);
    c.name = first + u' ' + last;
    c.email = u"%1.%2.trial%3.%4@example.com"_s.arg(first.toLower(), last.toLower())
                  .arg(m_options.seed, 0, 36)
                  .arg(index);
    c.phone = u"+91 98765 %1"_s.arg(index % 100000, 5, 10, QLatin1Char('0'));
    const int job = m_random.bounded(3);
    if (job > 0)
        c.jobId = 100 + job; // 101 and 102 are open jobs of the sandbox's seed
    return c;
}

bool KillTrial::writeResume(Candidate *c)
{
    const qint64 kib = m_options.minResumeKiB
        + m_random.bounded(qMax(1, m_options.maxResumeKiB - m_options.minResumeKiB + 1));
    const qint64 size = kib * 1024 + m_random.bounded(1024);
    QByteArray data;
    if (c->index % 2 == 0) {
        c->resumeName = c->name + u" resume.pdf"_s;
        const QByteArray text = (c->name + u", "_s + c->email + u", Analyst"_s).toUtf8();
        data = test::minimalPdf(text, size);
    } else {
        c->resumeName = u"cv-%1.txt"_s.arg(c->index);
        QByteArray block
            = (u"CURRICULUM VITAE\n%1\n%2 | %3\n\nExperience\n"_s.arg(c->name, c->email, c->phone))
                  .toUtf8();
        QByteArray text = block;
        for (int line = 0; text.size() < size; ++line) {
            text += "  - Led project " + QByteArray::number(line) + " for candidate "
                + QByteArray::number(c->index)
                + ": planned the work, wrote the reports, met every deadline.\n";
        }
        text.truncate(size - 1);
        text += '\n';
        data = text;
    }
    // A folder per candidate: the file names repeat (two "Asha Rao resume.pdf").
    const QString dir = m_resumeDir + u'/' + QString::number(c->index);
    c->resumePath = test::writeFile(dir, c->resumeName, data);
    c->resumeSize = data.size();
    c->resumeSha256 = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
    return !c->resumePath.isEmpty();
}

QProcessEnvironment KillTrial::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // No --data-dir anywhere: the window and the command line find the same
    // workspace through the XDG folders, as on a recruiter's machine.
    env.insert(u"XDG_DATA_HOME"_s, m_home + u"/data"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, m_home + u"/config"_s);
    env.insert(u"XDG_CACHE_HOME"_s, m_home + u"/cache"_s);
    env.insert(u"XDG_RUNTIME_DIR"_s, m_home + u"/runtime"_s);
    env.insert(u"CANDIDATE_DESK_TOKEN"_s, QString::fromLatin1(m_token));
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // the environment token serves; no keychain
    env.remove(u"QT_LOGGING_RULES"_s);
    return env;
}

// ---------------------------------------------------------------------------
// Chaos

qint64 KillTrial::expectedLifeMs(Kind kind) const
{
    const qint64 fallback = kind == Kind::Submit ? 2000 : 1500;
    const qint64 estimate = m_lifeEstimate[int(kind)] > 0 ? m_lifeEstimate[int(kind)] : fallback;
    return qBound(qint64(300), estimate, qint64(15000));
}

void KillTrial::shakeFaults()
{
    static const int latencies[] = { 0, 30, 100, 250, 500 };
    QJsonObject patch { { u"latency_ms"_s,
                          latencies[m_random.bounded(int(std::size(latencies)))] } };
    if (m_options.faults == u"all"_s) {
        patch.insert(u"error_rate"_s, 0.03);
        patch.insert(u"drop_after_commit_rate"_s, 0.03);
    }
    log(u"faults %1"_s.arg(QString::fromUtf8(QJsonDocument(patch).toJson(QJsonDocument::Compact))));
    putFaults(patch, false);
}

void KillTrial::chaos()
{
    m_chaosClock.start();
    if (m_options.faults != u"none"_s) {
        m_faultTimer = new QTimer(this);
        m_faultTimer->setInterval(1500);
        connect(m_faultTimer, &QTimer::timeout, this, &KillTrial::shakeFaults);
        shakeFaults();
        m_faultTimer->start();
    }
    QEventLoop loop;
    m_loop = &loop;
    m_activeSlots = m_options.parallel;
    for (int slot = 0; slot < m_options.parallel; ++slot)
        QTimer::singleShot(0, this, [this, slot] { startNext(slot, std::nullopt); });
    loop.exec();
    m_loop = nullptr;
    if (m_faultTimer)
        m_faultTimer->stop();
    m_chaosMs = m_chaosClock.elapsed();
}

void KillTrial::startNext(int slot, std::optional<Kind> killedKind)
{
    if (m_options.deadlineSeconds > 0 && m_chaosClock.elapsed() > m_options.deadlineSeconds * 1000)
        m_stopStarting = true;
    if (m_stopStarting || m_nextCandidate >= m_options.submissions) {
        if (--m_activeSlots == 0 && m_loop)
            m_loop->quit();
        return;
    }
    Kind kind = Kind::Submit;
    if (killedKind && m_random.bounded(100) < 50) {
        // Started again after the kill: the window as a window, a command line
        // as a recruiter would, by sending what waits.
        kind = *killedKind == Kind::Window && !m_windowRunning ? Kind::Window : Kind::Retry;
    } else {
        const int r = m_random.bounded(100);
        if (r < m_options.windowPercent && !m_windowRunning)
            kind = Kind::Window;
        else if (r >= m_options.windowPercent
                 && r < m_options.windowPercent + m_options.retryPercent)
            kind = Kind::Retry;
    }
    launch(slot, kind);
}

void KillTrial::launch(int slot, Kind kind)
{
    auto *run = new Run;
    run->seq = ++m_seq;
    run->slot = slot;
    run->kind = kind;
    const QString api = m_baseUrl.toString();
    QStringList arguments;
    switch (kind) {
    case Kind::Submit: {
        run->candidate = m_nextCandidate++;
        Candidate c = makeCandidate(run->candidate);
        if (!writeResume(&c)) {
            violation(u"trial-setup"_s,
                      u"could not write the resume of candidate %1"_s.arg(c.index));
            m_stopStarting = true;
        }
        c.started = true;
        arguments
            = { u"submit"_s,   u"--json"_s,    u"--api-url"_s, api,     u"--name"_s,   c.name,
                u"--email"_s,  c.email,        u"--phone"_s,   c.phone, u"--resume"_s, c.resumePath,
                u"--source"_s, u"Kill trial"_s };
        if (c.jobId)
            arguments += { u"--job"_s, QString::number(*c.jobId) };
        m_candidates.append(c);
        break;
    }
    case Kind::Retry:
        arguments = { u"outbox"_s, u"--retry"_s, u"--json"_s, u"--api-url"_s, api };
        break;
    case Kind::Window:
        arguments = { u"--api-url"_s, api };
        m_windowRunning = true;
        break;
    }

    // The kill: a window never ends by itself, so it is always killed, after a
    // while. A submit or a retry is killed, at the rate asked, either in a
    // phase (a resume copy, a SQLite write, an upload: watched for every 2 ms)
    // or at a random moment of the life such runs have had so far; and in any
    // case at the cap if it runs that long.
    if (kind == Kind::Window) {
        run->killAtMs = 1500 + m_random.bounded(6500);
    } else if (m_random.generateDouble() < m_options.killRate) {
        if (m_random.generateDouble() < m_options.aimShare) {
            static const Phase targets[] = { Phase::SqliteWrite, Phase::ResumeCopy, Phase::Upload };
            run->aim = targets[m_random.bounded(int(std::size(targets)))];
            run->aimSkip = m_random.bounded(3);
            ++m_aimed[int(*run->aim)];
        } else {
            run->killAtMs = m_random.bounded(expectedLifeMs(kind) + 1);
        }
    }

    run->process = new QProcess(this);
    run->process->setProcessEnvironment(environment());
    m_runs.insert(run->process, run);
    ++m_started[int(kind)];
    connect(run->process, &QProcess::finished, this,
            [this, run](int exitCode, QProcess::ExitStatus status) {
                finished(run, exitCode, status);
            });
    connect(run->process, &QProcess::errorOccurred, this, [this, run](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        violation(u"trial-setup"_s,
                  u"%1 did not start: %2"_s.arg(m_options.appExe, run->process->errorString()));
        m_stopStarting = true;
        finished(run, -1, QProcess::CrashExit);
    });
    run->clock.start();
    run->process->start(m_options.appExe, arguments);
    run->pid = run->process->processId();
    // Timers are children of the process object, so finished() can stop them all.
    auto after = [this, run](qint64 ms, std::function<void()> what) {
        auto *timer = new QTimer(run->process);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, std::move(what));
        timer->start(int(ms));
    };
    if (run->killAtMs >= 0)
        after(run->killAtMs, [this, run] { killRun(run, "moment"); });
    if (kind != Kind::Window) {
        after(qint64(m_options.capSeconds) * 1000, [this, run] {
            run->overtimeKill = true;
            killRun(run, "cap");
        });
    }
    if (run->aim)
        watchPhase(run);
    log(u"start #%1 slot %2 %3%4 pid %5, kill planned %6"_s.arg(run->seq)
            .arg(slot)
            .arg(kindName(kind))
            .arg(run->candidate >= 0 ? u" candidate %1"_s.arg(run->candidate) : QString())
            .arg(run->pid)
            .arg(run->aim ? u"in phase %1 (after %2 sightings)"_s.arg(phaseName(*run->aim))
                                .arg(run->aimSkip)
                     : run->killAtMs >= 0 ? u"at %1 ms"_s.arg(run->killAtMs)
                                          : u"at the cap only"_s));
}

void KillTrial::watchPhase(Run *run)
{
    auto *poll = new QTimer(run->process);
    poll->setTimerType(Qt::PreciseTimer);
    poll->setInterval(2);
    connect(poll, &QTimer::timeout, this, [this, run, poll] {
        if (run->killed || run->process->state() == QProcess::NotRunning) {
            poll->stop();
            return;
        }
        if (m_probe->probe(run->pid) != *run->aim)
            return;
        if (run->aimSkip-- > 0)
            return;
        poll->stop();
        killRun(run, "phase");
    });
    poll->start();
}

void KillTrial::killRun(Run *run, const char *why)
{
    if (run->killed || !run->process || run->process->state() == QProcess::NotRunning)
        return;
    run->phase = m_probe->probe(run->pid);
    run->heldLock = m_probe->lockHolder() == run->pid;
    run->process->kill(); // SIGKILL
    run->killed = true;
    if (run->overtimeKill && run->kind == Kind::Submit)
        checkOutlived(run);
    if (run->aim && run->phase == *run->aim)
        ++m_aimedHit[int(run->phase)];
    log(u"kill #%1 %2 (%3) pid %4 at %5 ms in phase %6%7"_s.arg(run->seq)
            .arg(kindName(run->kind), QString::fromLatin1(why))
            .arg(run->pid)
            .arg(run->clock.elapsed())
            .arg(phaseName(run->phase))
            .arg(run->heldLock ? u" (held the instance lock)"_s : QString()));
}

// A submit may run long while its row waits for a backoff within --wait; once
// its row has settled (sent, failed, needing a decision) it has nothing left to
// do and must have exited. Still running seconds later, it keeps the instance
// lock from everyone else.
void KillTrial::checkOutlived(const Run *run)
{
    const Candidate &c = m_candidates.at(run->candidate);
    const QString name = u"trial-outlived"_s;
    {
        if (openDatabase(name)) {
            QSqlQuery q(QSqlDatabase::database(name, false));
            q.prepare(u"SELECT id, state, updated_at FROM submissions WHERE email = ?"_s);
            q.addBindValue(c.email);
            if (q.exec() && q.next()) {
                const QString state = q.value(1).toString();
                const QDateTime settled
                    = QDateTime::fromString(q.value(2).toString(), Qt::ISODateWithMs);
                const qint64 since
                    = settled.isValid() ? settled.msecsTo(QDateTime::currentDateTimeUtc()) : -1;
                if (state != u"pending"_s && state != u"sending"_s && since > 2000) {
                    violation(u"submit-outlived-its-row"_s,
                              u"#%1 submit of %2 (pid %3) was still running %4 s after its row "
                              "#%5 became %6%7; killed at the cap (%8 s)"_s.arg(run->seq)
                                  .arg(c.email)
                                  .arg(run->pid)
                                  .arg(double(since) / 1000.0, 0, 'f', 1)
                                  .arg(q.value(0).toLongLong())
                                  .arg(state)
                                  .arg(run->heldLock ? u", holding the instance lock"_s : QString())
                                  .arg(m_options.capSeconds));
                }
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
}

void KillTrial::finished(Run *run, int exitCode, QProcess::ExitStatus status)
{
    if (!m_runs.contains(run->process))
        return; // errorOccurred and finished both came
    const qint64 life = run->clock.elapsed();
    // No kill may come for a run that has ended (its timers die with the process object).
    for (QTimer *timer : run->process->findChildren<QTimer *>())
        timer->stop();
    run->process->disconnect(this);
    const QByteArray out = run->process->readAllStandardOutput();
    const QByteArray err = run->process->readAllStandardError();
    m_lockedWarnings += int(err.count("database is locked"));
    // In a sanitizer build (the asan preset) the processes report there.
    if (err.contains("ERROR: AddressSanitizer") || err.contains("ERROR: LeakSanitizer")
        || err.contains("runtime error:"))
        violation(u"sanitizer-report"_s,
                  u"#%1 %2 pid %3: %4"_s.arg(run->seq)
                      .arg(kindName(run->kind))
                      .arg(run->pid)
                      .arg(QString::fromUtf8(err.left(3000))));
    // A kill that came after the process had ended by itself (a zombie) missed.
    const bool killed = run->killed && status == QProcess::CrashExit && run->phase != Phase::Gone;
    const int k = int(run->kind);

    if (killed) {
        ++m_killedCount[k];
        ++m_phaseKills[int(run->phase)];
        if (run->overtimeKill)
            ++m_overtimeKills;
        if (run->kind == Kind::Window && run->heldLock)
            ++m_windowKillsHoldingLock;
    } else {
        if (run->killed || run->aim || run->killAtMs >= 0)
            ++m_missedKills[k]; // planned, but it ended first
        if (status == QProcess::CrashExit && !run->killed) {
            violation(u"process-crashed"_s,
                      u"#%1 %2 pid %3 crashed after %4 ms; stderr: %5"_s.arg(run->seq)
                          .arg(kindName(run->kind))
                          .arg(run->pid)
                          .arg(life)
                          .arg(QString::fromUtf8(err.right(2000))));
        } else if (status == QProcess::NormalExit) {
            ++m_exitCodes[u"%1:%2"_s.arg(kindName(run->kind)).arg(exitCode)];
            // A running average of how long a run of this kind lives, to aim the kills.
            ++m_naturalCount[k];
            m_lifeEstimate[k] = m_lifeEstimate[k] == 0 ? life : (m_lifeEstimate[k] * 4 + life) / 5;
        }
    }

    if (run->candidate >= 0) {
        Candidate &c = m_candidates[run->candidate];
        c.killed = killed;
        c.exitCode = status == QProcess::NormalExit ? exitCode : -1;
        const QJsonObject json = QJsonDocument::fromJson(out).object();
        c.reportedState = json.value(u"state"_s).toString();
        c.reportedId = json.value(u"id"_s).toInteger();
        if (c.exitCode == 0 && c.reportedState != u"sent"_s) {
            violation(
                u"exit0-but-not-sent"_s,
                u"submit of %1 exited 0 but printed: %2"_s.arg(c.email, QString::fromUtf8(out)));
        }
        if (!m_options.keep)
            QDir(QFileInfo(c.resumePath).absolutePath()).removeRecursively();
    }

    QString result = killed              ? u"killed in %1"_s.arg(phaseName(run->phase))
        : status == QProcess::NormalExit ? u"exit %1"_s.arg(exitCode)
                                         : u"crashed"_s;
    log(u"end #%1 %2 pid %3 after %4 ms: %5"_s.arg(run->seq)
            .arg(kindName(run->kind))
            .arg(run->pid)
            .arg(life)
            .arg(result));
    const QByteArray printed = QByteArray(out + err).trimmed();
    if (!printed.isEmpty())
        log(u"  output of #%1: %2"_s.arg(run->seq).arg(
            QString::fromUtf8(printed.left(4000)).replace(u'\n', u"\n           "_s)));

    if (run->kind == Kind::Window)
        m_windowRunning = false;
    m_runs.remove(run->process);
    run->process->deleteLater();
    const int slot = run->slot;
    const Kind kind = run->kind;
    delete run;
    startNext(slot, killed ? std::optional<Kind>(kind) : std::nullopt);
}

// ---------------------------------------------------------------------------
// Drain and checks

bool KillTrial::openDatabase(const QString &connection)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
    db.setDatabaseName(databasePath());
    // Read-only: it never checkpoints nor deletes the WAL the processes left.
    db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000"_s);
    return QFileInfo::exists(databasePath()) && db.open();
}

namespace {

QList<Row> readRows(const QSqlDatabase &db, QString *error)
{
    QList<Row> rows;
    QSqlQuery q(db);
    if (!q.exec(u"SELECT id, email, state, error_kind, last_error, resume_copy, resume_sha256,"
                " original_resume_name, server_id, attempts FROM submissions ORDER BY id"_s)) {
        *error = q.lastError().text();
        return rows;
    }
    while (q.next()) {
        Row r;
        r.id = q.value(0).toLongLong();
        r.email = q.value(1).toString();
        r.state = q.value(2).toString();
        r.errorKind = q.value(3).toString();
        r.lastError = q.value(4).toString();
        r.hasResumeCopy = !q.value(5).isNull();
        r.resumeCopy = q.value(5).toString();
        r.resumeSha256 = q.value(6).toString();
        r.originalResumeName = q.value(7).toString();
        r.serverId = q.value(8).toLongLong();
        r.attempts = q.value(9).toInt();
        rows.append(r);
    }
    return rows;
}

} // namespace

bool KillTrial::drain()
{
    QElapsedTimer clock;
    clock.start();
    putFaults(
        { { u"latency_ms"_s, 0 }, { u"error_rate"_s, 0 }, { u"drop_after_commit_rate"_s, 0 } },
        true);
    int pending = -1;
    for (int attempt = 1; attempt <= 25; ++attempt) {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(
            m_options.appExe,
            { u"outbox"_s, u"--retry"_s, u"--json"_s, u"--api-url"_s, m_baseUrl.toString() });
        ++m_drainRuns;
        const bool ended = process.waitForFinished(300000);
        if (!ended) {
            process.kill();
            process.waitForFinished(5000);
        }
        const int code
            = process.exitStatus() == QProcess::NormalExit && ended ? process.exitCode() : -1;
        log(u"drain run %1: exit %2: %3"_s.arg(attempt).arg(code).arg(QString::fromUtf8(
            QByteArray(process.readAllStandardOutput() + process.readAllStandardError())
                .trimmed()
                .left(2000))));
        {
            const QString name = u"trial-drain"_s;
            if (openDatabase(name)) {
                QSqlQuery q(QSqlDatabase::database(name, false));
                if (q.exec(
                        u"SELECT count(*) FROM submissions WHERE state IN ('pending', 'sending')"_s)
                    && q.next())
                    pending = q.value(0).toInt();
            }
            QSqlDatabase::removeDatabase(name);
        }
        if (code == 0 && pending == 0)
            break;
    }
    m_drainMs = clock.elapsed();
    if (pending != 0) {
        violation(
            u"drain-incomplete"_s,
            u"%1 row(s) still pending or sending after %2 runs of `outbox --retry`"_s.arg(pending)
                .arg(m_drainRuns));
        return false;
    }
    return true;
}

void KillTrial::checkCopies(const QString &when, Snapshot *snapshot)
{
    const QString name = u"trial-copies"_s;
    {
        if (!openDatabase(name)) {
            violation(u"database-unreadable"_s, u"%1: cannot open %2"_s.arg(when, databasePath()));
            QSqlDatabase::removeDatabase(name);
            return;
        }
        QString error;
        const QList<Row> rows = readRows(QSqlDatabase::database(name, false), &error);
        if (!error.isEmpty())
            violation(u"database-unreadable"_s, when + u": "_s + error);
        *snapshot = {};
        for (const Row &r : rows) {
            ++snapshot->rows;
            ++snapshot->byState[r.state];
            // A sent row's copy may be pruned (the server has the file); any other
            // row must still have the copy it recorded, unchanged.
            if (r.state == u"sent"_s || r.originalResumeName.isEmpty())
                continue;
            if (m_copyFlagged.contains(r.id))
                continue; // reported once, at the first look
            if (!r.hasResumeCopy) {
                m_copyFlagged.insert(r.id);
                violation(u"resume-copy-missing"_s,
                          u"%1: %2: resume_copy is NULL"_s.arg(when, describe(r)));
                continue;
            }
            bool ok = false;
            const QByteArray sha = sha256File(r.resumeCopy, &ok);
            if (!ok || sha != r.resumeSha256.toLatin1().toLower())
                m_copyFlagged.insert(r.id);
            if (!ok)
                violation(u"resume-copy-missing"_s,
                          u"%1: %2: %3 is not there"_s.arg(when, describe(r), r.resumeCopy));
            else if (sha != r.resumeSha256.toLatin1().toLower())
                violation(
                    u"resume-copy-changed"_s,
                    u"%1: %2: %3 has SHA-256 %4, the row recorded %5"_s.arg(
                        when, describe(r), r.resumeCopy, QString::fromLatin1(sha), r.resumeSha256));
        }
    }
    QSqlDatabase::removeDatabase(name);
}

void KillTrial::checkDatabaseFiles()
{
    // A database judged damaged is moved aside; the rows in it would be lost to the outbox.
    const QStringList aside = QDir(dataDir()).entryList({ u"*.corrupt-*"_s }, QDir::Files);
    for (const QString &file : aside)
        violation(u"database-moved-aside"_s, dataDir() + u'/' + file);

    const QString name = u"trial-integrity"_s;
    {
        if (openDatabase(name)) {
            QSqlQuery q(QSqlDatabase::database(name, false));
            QStringList answer;
            if (q.exec(u"PRAGMA integrity_check"_s)) {
                while (q.next())
                    answer << q.value(0).toString();
            } else {
                answer << q.lastError().text();
            }
            if (answer != QStringList { u"ok"_s })
                violation(u"integrity-check"_s, answer.mid(0, 20).join(u"; "_s));
        } else {
            violation(u"integrity-check"_s, u"cannot open "_s + databasePath());
        }
    }
    QSqlDatabase::removeDatabase(name);
}

void KillTrial::checkServer()
{
    test::HttpClient client(m_token);
    const QString base = m_baseUrl.toString();

    // Every candidate on the server, page by page.
    QHash<QString, QList<QJsonObject>> onServer; // email (lower case) -> candidates
    for (int page = 1;; ++page) {
        const test::HttpResponse r
            = client.get(QUrl(base + u"/candidates/?page_size=200&page=%1"_s.arg(page)));
        if (r.status != 200) {
            violation(u"server-unreadable"_s,
                      u"GET candidates page %1 answered %2"_s.arg(page).arg(r.status));
            return;
        }
        const QJsonObject body = r.json();
        for (const QJsonValue &v : body.value(u"results"_s).toArray()) {
            const QJsonObject o = v.toObject();
            onServer[o.value(u"email"_s).toString().toLower()].append(o);
            ++m_serverCandidates;
        }
        if (body.value(u"next"_s).isNull() || body.value(u"next"_s).toString().isEmpty())
            break;
    }

    const QString name = u"trial-server"_s;
    QList<Row> rows;
    {
        if (openDatabase(name)) {
            QString error;
            rows = readRows(QSqlDatabase::database(name, false), &error);
        }
    }
    QSqlDatabase::removeDatabase(name);

    QHash<QString, const Candidate *> byEmail;
    for (const Candidate &c : std::as_const(m_candidates))
        byEmail.insert(c.email.toLower(), &c);
    QHash<QString, int> rowsPerEmail;
    for (const Row &r : std::as_const(rows))
        ++rowsPerEmail[r.email.toLower()];

    // Every row is on the server exactly once, asked the way the app asks.
    for (const Row &r : std::as_const(rows)) {
        const QString email = r.email.toLower();
        if (!byEmail.contains(email))
            violation(u"row-for-unknown-candidate"_s, describe(r));
        if (rowsPerEmail.value(email) > 1)
            violation(u"two-rows-one-email"_s, describe(r));
        const test::HttpResponse found
            = client.get(QUrl(base + u"/candidates/?email="_s + test::queryValue(r.email)));
        const int count = found.json().value(u"count"_s).toInt(-1);
        if (found.status != 200 || count != 1)
            violation(u"row-not-on-server-exactly-once"_s,
                      u"%1: the server has it %2 time(s) (HTTP %3)"_s.arg(describe(r))
                          .arg(count)
                          .arg(found.status));
        else if (r.state == u"sent"_s
                 && found.json()[u"results"_s][0][u"id"_s].toInteger() != r.serverId)
            violation(u"row-server-id-mismatch"_s,
                      u"%1: server_id %2, the server's id %3"_s.arg(describe(r))
                          .arg(r.serverId)
                          .arg(found.json()[u"results"_s][0][u"id"_s].toInteger()));
    }

    // Nothing on the server that no row names, and no email twice.
    for (auto it = onServer.cbegin(); it != onServer.cend(); ++it) {
        if (it.value().size() > 1)
            violation(u"duplicate-email-on-server"_s,
                      u"%1 is on the server %2 times"_s.arg(it.key()).arg(it.value().size()));
        if (!rowsPerEmail.contains(it.key())) {
            const Candidate *c = byEmail.value(it.key());
            violation(u"on-server-without-row"_s,
                      c ? u"%1 (its submit was %2)"_s.arg(
                          it.key(), c->killed ? u"killed"_s : u"exit %1"_s.arg(c->exitCode))
                        : it.key() + u" (not a candidate of this trial)"_s);
        }
        // The file that arrived is the one the recruiter attached.
        if (const Candidate *c = byEmail.value(it.key())) {
            const QJsonObject resume = it.value().constFirst().value(u"resume_file"_s).toObject();
            if (resume.value(u"size"_s).toInteger() != c->resumeSize
                || resume.value(u"filename"_s).toString() != c->resumeName)
                violation(u"server-resume-mismatch"_s,
                          u"%1: the server has %2 (%3 bytes), the trial attached %4 (%5 bytes)"_s
                              .arg(it.key(), resume.value(u"filename"_s).toString())
                              .arg(resume.value(u"size"_s).toInteger())
                              .arg(c->resumeName)
                              .arg(c->resumeSize));
        }
    }

    // Every submit that said "done" is there, once, under the id it printed.
    for (const Candidate &c : std::as_const(m_candidates)) {
        if (c.exitCode != 0)
            continue;
        const QList<QJsonObject> found = onServer.value(c.email.toLower());
        if (found.size() != 1)
            violation(u"exit0-not-on-server-exactly-once"_s,
                      u"%1: on the server %2 time(s)"_s.arg(c.email).arg(found.size()));
        else if (found.constFirst().value(u"id"_s).toInteger() != c.reportedId)
            violation(u"exit0-id-mismatch"_s,
                      u"%1: printed id %2, the server's id %3"_s.arg(c.email)
                          .arg(c.reportedId)
                          .arg(found.constFirst().value(u"id"_s).toInteger()));
        if (!rowsPerEmail.contains(c.email.toLower()))
            violation(u"exit0-without-row"_s, c.email);
    }

    // Every file the server stored is one the trial wrote, byte for byte.
    QSet<QByteArray> attached;
    for (const Candidate &c : std::as_const(m_candidates))
        attached.insert(c.resumeSha256);
    QDirIterator stored(m_sandboxDataDir + u"/resumes"_s, QDir::Files);
    while (stored.hasNext()) {
        const QString path = stored.next();
        bool ok = false;
        const QByteArray sha = sha256File(path, &ok);
        if (!ok || !attached.contains(sha))
            violation(u"server-resume-corrupt"_s,
                      u"%1 (%2 bytes) matches no resume the trial attached"_s.arg(path).arg(
                          QFileInfo(path).size()));
    }
}

void KillTrial::checkAll(const QString &when)
{
    const QString name = u"trial-rows"_s;
    {
        if (openDatabase(name)) {
            QString error;
            const QList<Row> rows = readRows(QSqlDatabase::database(name, false), &error);
            if (!error.isEmpty())
                violation(u"database-unreadable"_s, error);
            for (const Row &r : rows) {
                if (r.state == u"sent"_s)
                    continue;
                if (r.state == u"needs_decision"_s) {
                    violation(u"needs-decision-row"_s, describe(r));
                } else if (r.state == u"failed"_s) {
                    // The app's own failures (a lost resume copy, the disk) are
                    // local_problem; the server's are named after the HTTP error.
                    const bool own = r.errorKind == u"local_problem"_s
                        || r.lastError.contains(u"resume kept"_s);
                    violation(own ? u"failed-row-caused-by-the-app"_s : u"failed-row"_s,
                              describe(r));
                } else {
                    violation(u"not-sent-after-drain"_s, describe(r));
                }
            }
        } else {
            violation(u"database-unreadable"_s, u"cannot open "_s + databasePath());
        }
    }
    QSqlDatabase::removeDatabase(name);
    checkCopies(when, &m_afterDrain);
    // Not an invariant: what the outbox keeps on disk once everything is sent.
    const QString files = dataDir() + u"/outbox-files"_s;
    for (const QString &entry :
         QDir(files).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        ++m_leftoverFolders;
        m_leftoverPartial += entry.endsWith(u".partial"_s) ? 1 : 0;
        QDirIterator it(files + u'/' + entry, QDir::Files | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            m_leftoverBytes += QFileInfo(it.next()).size();
    }
    checkServer();
    checkDatabaseFiles();
}

// ---------------------------------------------------------------------------

void KillTrial::printReport(qint64 elapsedMs)
{
    int exitZero = 0;
    for (const Candidate &c : std::as_const(m_candidates))
        exitZero += c.exitCode == 0 ? 1 : 0;
    const int queued = m_afterDrain.rows;

    for (const Violation &v : std::as_const(m_violations)) {
        // All of it in the log; the first 25 of each on stderr.
        log(u"VIOLATION %1 (%2):"_s.arg(v.name).arg(v.details.size()));
        for (const QString &detail : v.details)
            log(u"  "_s + detail);
        std::fprintf(stderr, "VIOLATION %s (%lld):\n", qPrintable(v.name),
                     qint64(v.details.size()));
        for (qsizetype i = 0; i < v.details.size() && i < 25; ++i)
            std::fprintf(stderr, "  %s\n", qPrintable(v.details.at(i)));
        if (v.details.size() > 25)
            std::fprintf(stderr, "  ... and %lld more (see %s/trial.log)\n",
                         qint64(v.details.size() - 25), qPrintable(m_root));
    }

    QStringList phases;
    for (int p = 0; p < PhaseCount; ++p)
        phases << u"%1=%2"_s.arg(phaseName(Phase(p))).arg(m_phaseKills[p]);
    QStringList aimed;
    for (Phase p : { Phase::SqliteWrite, Phase::ResumeCopy, Phase::Upload })
        aimed << u"%1 %2/%3"_s.arg(phaseName(p)).arg(m_aimedHit[int(p)]).arg(m_aimed[int(p)]);
    QStringList codes;
    QStringList keys = m_exitCodes.keys();
    std::sort(keys.begin(), keys.end());
    for (const QString &key : keys)
        codes << u"%1=%2"_s.arg(key).arg(m_exitCodes.value(key));
    auto states = [](const Snapshot &s) {
        QStringList parts;
        QStringList names = s.byState.keys();
        std::sort(names.begin(), names.end());
        for (const QString &state : std::as_const(names))
            parts << u"%1=%2"_s.arg(state).arg(s.byState.value(state));
        return parts.join(u' ');
    };
    std::fprintf(stderr,
                 "details: runs submit=%d retry=%d window=%d; kills submit=%d retry=%d window=%d "
                 "(window holding the lock %d), at the cap (%ds) %d, planned but the run ended "
                 "first submit=%d retry=%d; kill phases: %s; aimed kills that landed: %s; natural "
                 "exits: %s; rows after the kills: %s; rows "
                 "after the drain: %s; outbox-files after the drain: %d folders (%d .partial), "
                 "%.1f MiB; \"database is locked\" on stderr: %d; fault changes %d "
                 "(%d failed); folder %s\n",
                 m_started[0], m_started[1], m_started[2], m_killedCount[0], m_killedCount[1],
                 m_killedCount[2], m_windowKillsHoldingLock, m_options.capSeconds, m_overtimeKills,
                 m_missedKills[0], m_missedKills[1], qPrintable(phases.join(u' ')),
                 qPrintable(aimed.join(u", "_s)), qPrintable(codes.join(u' ')),
                 qPrintable(states(m_afterChaos)), qPrintable(states(m_afterDrain)),
                 m_leftoverFolders, m_leftoverPartial, double(m_leftoverBytes) / 1048576.0,
                 m_lockedWarnings, m_faultPuts, m_faultPutFailures, qPrintable(m_root));

    QStringList failedNames;
    for (const Violation &v : std::as_const(m_violations))
        failedNames << u"%1(%2)"_s.arg(v.name).arg(v.details.size());
    std::printf("trial seed=%llu submissions=%d started=%d parallel=%d runs=%d kills=%d "
                "[sqlite-write=%d resume-copy=%d upload=%d engine=%d waiting=%d startup=%d] "
                "queued=%d on-server=%d exit0=%d drain-runs=%d time=%.1fs (chaos %.1fs, drain "
                "%.1fs, checks %.1fs): %s\n",
                static_cast<unsigned long long>(m_options.seed), m_options.submissions,
                int(m_candidates.size()), m_options.parallel, m_seq,
                m_killedCount[0] + m_killedCount[1] + m_killedCount[2],
                m_phaseKills[int(Phase::SqliteWrite)], m_phaseKills[int(Phase::ResumeCopy)],
                m_phaseKills[int(Phase::Upload)], m_phaseKills[int(Phase::Engine)],
                m_phaseKills[int(Phase::Waiting)], m_phaseKills[int(Phase::Startup)], queued,
                m_serverCandidates, exitZero, m_drainRuns, double(elapsedMs) / 1000.0,
                double(m_chaosMs) / 1000.0, double(m_drainMs) / 1000.0, double(m_checkMs) / 1000.0,
                m_violations.isEmpty() ? "OK"
                                       : qPrintable(u"FAILED: "_s + failedNames.join(u", "_s)));
    std::fflush(stdout);
    std::fflush(stderr);
}

int KillTrial::run()
{
    QElapsedTimer total;
    total.start();
    if (!makeFolders() || !startSandbox())
        return 2;
    m_probe = std::make_unique<PhaseProbe>(dataDir());
    std::fprintf(stderr,
                 "trial: seed %llu, %d submissions, %d in parallel, kill rate %.2f, faults %s, "
                 "folder %s\n",
                 static_cast<unsigned long long>(m_options.seed), m_options.submissions,
                 m_options.parallel, m_options.killRate, qPrintable(m_options.faults),
                 qPrintable(m_root));

    chaos();
    // Before anything sends again: every row that is not sent still has its copy.
    checkCopies(u"after the kills"_s, &m_afterChaos);

    if (!m_violations.isEmpty() && m_violations.constFirst().name == u"trial-setup"_s) {
        printReport(total.elapsed());
        return 2;
    }
    drain();
    QElapsedTimer checks;
    checks.start();
    checkAll(u"after the drain"_s);
    m_checkMs = checks.elapsed();

    if (m_sandbox) {
        m_sandbox->terminate();
        if (!m_sandbox->waitForFinished(5000)) {
            m_sandbox->kill();
            m_sandbox->waitForFinished(5000);
        }
    }
    printReport(total.elapsed());
    if (m_log)
        m_log->close();

    if (m_options.keep) {
        std::fprintf(stderr, "trial: kept %s\n", qPrintable(m_root));
    } else if (!m_violations.isEmpty()) {
        // The evidence stays (database, outbox copies, logs); the big files go.
        QDir(m_resumeDir).removeRecursively();
        QDir(m_sandboxDataDir + u"/resumes"_s).removeRecursively();
        std::fprintf(stderr, "trial: kept %s for a look (without the resumes)\n",
                     qPrintable(m_root));
    } else {
        QDir(m_root).removeRecursively();
    }
    return m_violations.isEmpty() ? 0 : 1;
}

} // namespace cdesk::trial
