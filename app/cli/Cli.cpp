#include "Cli.h"

#include "api/ApiClient.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "model/CandidateValidator.h"
#include "resume/ResumeReader.h"
#include "settings/KeychainBackend.h"
#include "settings/Settings.h"
#include "settings/TokenStore.h"
#include "store/HistoryStore.h"
#include "store/InstanceLock.h"
#include "store/Outbox.h"
#include "store/StoreStatus.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

const QStringList kCommands
    = { u"jobs"_s, u"submit"_s, u"update"_s, u"history"_s, u"outbox"_s, u"inspect-resume"_s };

// How often a command line looks at the outbox the running window sends.
constexpr int kWatchPollMs = 250;

int exitCodeFor(const QString &errorKind)
{
    if (errorKind == errorName(ApiError::FieldErrors) || errorKind == errorName(ApiError::TooLarge)
        || errorKind == errorName(ApiError::NotFound))
        return Cli::InvalidInput;
    if (errorKind == errorName(ApiError::BadToken) || errorKind == errorName(ApiError::NotAllowed))
        return Cli::BadToken;
    if (errorKind == errorName(ApiError::Duplicate))
        return Cli::Duplicate;
    if (errorKind == errorName(ApiError::LocalProblem))
        return Cli::Failure;
    // A redirect, a TLS failure, a server error that kept coming back, an
    // answer that could not be read, a reused key: held for a person.
    return Cli::Held;
}

// A call that ended without a submission behind it (jobs): nothing waits
// anywhere, so trouble reaching the server is simply "not done".
int exitCodeForCall(const ApiResult &result)
{
    if (result.isRetryable())
        return Cli::Held;
    return exitCodeFor(errorName(result.error));
}

int exitCodeFor(const Submission &s)
{
    switch (s.state) {
    case SubmissionState::Sent:
        return Cli::Success;
    case SubmissionState::NeedsDecision:
        return Cli::Duplicate;
    case SubmissionState::Failed:
        return exitCodeFor(s.errorKind);
    case SubmissionState::Cancelled:
        return Cli::Held;
    case SubmissionState::Pending:
    case SubmissionState::Sending:
        return Cli::Queued;
    }
    return Cli::Failure;
}

QJsonObject submissionJson(const Submission &s)
{
    QJsonObject o {
        { u"submission"_s, s.id },
        { u"kind"_s, kindName(s.kind) },
        { u"state"_s, stateName(s.state) },
        { u"name"_s, s.candidate.name },
        { u"email"_s, s.candidate.email },
        { u"id"_s, s.serverId ? QJsonValue(*s.serverId) : QJsonValue() },
        { u"attempts"_s, s.attempts },
        { u"created_at"_s, s.createdAt.toString(Qt::ISODateWithMs) },
        { u"updated_at"_s, s.updatedAt.toString(Qt::ISODateWithMs) },
    };
    if (s.duplicateOf)
        o.insert(u"duplicate_of"_s, *s.duplicateOf);
    if (!s.errorKind.isEmpty()) {
        o.insert(u"error"_s, s.errorKind);
        o.insert(u"message"_s, s.lastError);
    }
    if (!s.fieldErrors.isEmpty())
        o.insert(u"field_errors"_s, s.fieldErrors.toJson());
    return o;
}

} // namespace

bool Cli::isCommand(const QString &argument)
{
    return kCommands.contains(argument);
}

Cli::Cli(QStringList arguments, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_clock(clock)
{
    addOptions();
}

Cli::~Cli() = default;

void Cli::addOptions()
{
    m_parser.setApplicationDescription(tr(
        "Candidate Desk on the command line.\n\n"
        "Commands:\n"
        "  jobs                 list the open jobs (--all for closed ones too)\n"
        "  submit               send a new candidate (--name, --email, --phone and a resume)\n"
        "  update ID            change candidate ID on the server; only the options given change\n"
        "  history              the submissions made from this computer\n"
        "  outbox [--retry]     what waits to be sent; --retry sends it now\n"
        "  inspect-resume FILE  the resume's type, size, text and what would be autofilled\n\n"
        "Exit codes:\n"
        "  0  done: the candidate is on the server (outbox --retry: nothing is left unsent)\n"
        "  1  local failure (data folder, database, the kept resume copy); nothing was sent\n"
        "  2  invalid input: the command line, a field the server refused, a resume too large\n"
        "  3  the API token is missing, refused, or may not add candidates\n"
        "  4  the email is already on the server: update that candidate instead\n"
        "  5  not sent yet: it waits in the outbox and is tried again by itself (by the\n"
        "     window while it runs, or the next `outbox --retry`)\n"
        "  6  not sent, and not tried again by itself: a redirect, a certificate problem or\n"
        "     a server error that kept coming back; it is kept in the outbox until you act\n\n"
        "The token comes from the system keychain (set it in the window's Settings) or\n"
        "from the CANDIDATE_DESK_TOKEN environment variable."));
    m_parser.addHelpOption();
    m_parser.addPositionalArgument(u"command"_s, tr("jobs, submit, update, history or outbox"));
    m_parser.addOptions({
        { u"api-url"_s, tr("The Candidate API's base URL (default: the one in Settings)."),
          u"URL"_s },
        { u"sandbox"_s, tr("Use the local sandbox API instead of a real account.") },
        { u"data-dir"_s, tr("Where the outbox and history live (default: the app's)."), u"DIR"_s },
        { u"json"_s, tr("Print JSON for scripts instead of sentences.") },
        { u"name"_s, tr("The candidate's full name."), u"NAME"_s },
        { u"email"_s, tr("The candidate's email address."), u"EMAIL"_s },
        { u"phone"_s,
          tr("The candidate's phone number (the region in Settings applies to local "
             "numbers)."),
          u"PHONE"_s },
        { u"resume"_s, tr("The resume file to upload."), u"FILE"_s },
        { u"resume-url"_s, tr("A link to the resume, instead of a file."), u"URL"_s },
        { u"job"_s, tr("The job's id (see `jobs`); leave out for the Talent Pool."), u"ID"_s },
        { u"talent-pool"_s, tr("update: move the candidate to the Talent Pool (no job).") },
        { u"source"_s, tr("Where the candidate came from (default from Settings)."), u"SOURCE"_s },
        { u"industry"_s, tr("The candidate's industry."), u"INDUSTRY"_s },
        { u"department"_s, tr("The candidate's department."), u"DEPARTMENT"_s },
        { u"field"_s, tr("A custom field, key=value (repeat for more)."), u"KEY=VALUE"_s },
        { u"all"_s, tr("jobs: closed jobs too.") },
        { u"retry"_s, tr("outbox: send what waits now.") },
        { u"wait"_s,
          tr("submit, update, outbox --retry: how long to wait when the server asks to wait "
             "(Retry-After) or cannot be reached, before leaving what is not sent in the outbox "
             "(default 60; 0: one attempt)."),
          u"SECONDS"_s, u"60"_s },
        { u"limit"_s, tr("history: how many rows (default 20)."), u"N"_s, u"20"_s },
        { u"search"_s, tr("history: name, email or server id."), u"TEXT"_s },
        { u"state"_s, tr("history: pending, sending, sent, failed, needs_decision or cancelled."),
          u"STATE"_s },
    });
}

void Cli::print(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

void Cli::printJson(const QJsonValue &value)
{
    const QByteArray text = value.isArray()
        ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)
        : QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented);
    std::fputs(text.constData(), stdout);
    std::fflush(stdout);
}

void Cli::fail(int code, const QString &message)
{
    if (m_json)
        printJson(QJsonObject { { u"error"_s, message }, { u"exit_code"_s, code } });
    else
        std::fputs(qUtf8Printable(u"candidate-desk: "_s + message + u'\n'), stderr);
    done(code);
}

void Cli::done(int code)
{
    if (m_done)
        return;
    m_done = true;
    if (m_engine)
        m_engine->stop(); // rows in flight go back to pending, with their keys
    // On the next turn, so nothing of ours is still on the stack.
    QTimer::singleShot(0, this, [this, code] { Q_EMIT finished(code); });
}

void Cli::start()
{
    if (!m_parser.parse(m_arguments))
        return fail(InvalidInput, m_parser.errorText());
    if (m_parser.isSet(u"help"_s)) {
        print(m_parser.helpText());
        return done(Success);
    }
    m_json = m_parser.isSet(u"json"_s);
    {
        bool ok = false;
        m_waitSeconds = m_parser.value(u"wait"_s).toLongLong(&ok);
        if (!ok || m_waitSeconds < 0 || m_waitSeconds > 24 * 3600)
            return fail(InvalidInput, tr("--wait takes a number of seconds from 0 to 86400."));
    }
    const QStringList positional = m_parser.positionalArguments();
    const QString command = positional.value(0);
    if (!isCommand(command))
        return fail(InvalidInput, tr("Unknown command \"%1\". Try --help.").arg(command));
    if (command == u"inspect-resume"_s) {
        if (positional.size() != 2)
            return fail(InvalidInput,
                        tr("inspect-resume takes one file: candidate-desk "
                           "inspect-resume cv.pdf"));
        m_settings = Settings::openDefault();
        return runInspectResume(positional.at(1));
    }
    if (positional.size() != (command == u"update"_s ? 2 : 1))
        return fail(
            InvalidInput,
            command == u"update"_s
                ? tr("update takes the candidate's id: candidate-desk update 42 --phone ...")
                : tr("Unexpected argument \"%1\".").arg(positional.last()));

    m_settings = Settings::openDefault();
    const QString dataDir = m_parser.isSet(u"data-dir"_s)
        ? m_parser.value(u"data-dir"_s)
        : Workspace::defaultDataDir(m_parser.isSet(u"sandbox"_s));
    m_workspace = std::make_unique<Workspace>(dataDir, m_clock);
    QString error;
    // The instance lock first, when it is free: only its holder may repair a
    // damaged database (another copy would go on writing into the old file)
    // or run the engine.
    if (QDir().mkpath(dataDir))
        m_lock = InstanceLock::acquire(dataDir, &error);
    m_workspace->setMayRepair(m_lock != nullptr);
    if (!m_workspace->open(&error))
        return fail(Failure, error);
    // Only the commands that send keep it; the window may start meanwhile.
    const bool sends = command == u"submit"_s || command == u"update"_s
        || (command == u"outbox"_s && m_parser.isSet(u"retry"_s));
    if (!sends)
        m_lock.reset();
    if (const QString notice = m_workspace->salvageNotice(); !notice.isEmpty())
        std::fputs(qUtf8Printable(u"candidate-desk: "_s + notice + u'\n'), stderr);

    if (command == u"history"_s)
        return runHistory();
    if (command == u"outbox"_s && !m_parser.isSet(u"retry"_s))
        return runOutbox();
    withEndpoint([this, command] {
        if (command == u"jobs"_s)
            runJobs();
        else if (command == u"outbox"_s)
            runOutbox();
        else
            runSubmit(command == u"update"_s);
    });
}

// Finds the API and its token (asynchronously: the keychain answers later),
// then continues with `next`.
void Cli::withEndpoint(std::function<void()> next)
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_api = new ApiClient(m_network.get(), m_clock, this);
    m_api->setTimeout(m_settings->timeoutMs());
    if (m_parser.isSet(u"sandbox"_s)) {
        QString error;
        const auto endpoint = m_sandboxStarter ? m_sandboxStarter(&error) : std::nullopt;
        if (!endpoint)
            return fail(Failure, tr("The sandbox could not start: %1").arg(error));
        m_api->setEndpoint(*endpoint);
        m_workspace->outbox()->setAccount(u"sandbox"_s);
        return next();
    }
    const QUrl url = m_parser.isSet(u"api-url"_s)
        ? QUrl(m_parser.value(u"api-url"_s), QUrl::StrictMode)
        : m_settings->apiUrl();
    if (url.isEmpty() || !url.isValid())
        return fail(InvalidInput,
                    tr("No API address. Pass --api-url, use --sandbox, or set it in "
                       "the window's Settings."));
    m_tokens = std::make_unique<TokenStore>(url, std::make_unique<KeychainBackend>());
    connect(m_tokens.get(), &TokenStore::loaded, this,
            [this, url, next](const QByteArray &token, TokenStore::Location) {
                if (token.isEmpty()) {
                    return fail(BadToken,
                                tr("No API token. Store one in the window's Settings, or "
                                   "set CANDIDATE_DESK_TOKEN."));
                }
                const ApiEndpoint endpoint(url, token);
                if (const QString problem = endpoint.problem(); !problem.isEmpty())
                    return fail(InvalidInput, problem);
                m_api->setEndpoint(endpoint);
                // What waits in the outbox goes only to the account it was queued for.
                m_workspace->outbox()->setAccount(Outbox::accountFor(url));
                next();
            });
    m_tokens->load();
}

void Cli::runJobs()
{
    ApiCall *call = m_api->listJobs(m_parser.isSet(u"all"_s) ? u"all"_s : u"open"_s);
    connect(call, &ApiCall::finished, this, [this](const ApiResult &result) {
        if (!result.ok())
            return fail(exitCodeForCall(result), result.message);
        if (m_json) {
            QJsonArray jobs;
            for (const Job &job : result.jobs) {
                jobs.append(QJsonObject { { u"id"_s, job.id },
                                          { u"title"_s, job.title },
                                          { u"department"_s, job.department },
                                          { u"location"_s, job.location },
                                          { u"status"_s, job.open ? u"open"_s : u"closed"_s } });
            }
            printJson(jobs);
        } else {
            for (const Job &job : result.jobs) {
                print(u"%1  %2 — %3, %4%5"_s.arg(job.id, 6).arg(
                    job.title, job.department, job.location,
                    job.open ? QString() : tr(" (closed)")));
            }
            print(tr("%n job(s). Submit with --job ID, or leave --job out for the Talent Pool.",
                     nullptr, int(result.jobs.size())));
        }
        done(Success);
    });
}

void Cli::runHistory()
{
    HistoryFilter filter;
    filter.text = m_parser.value(u"search"_s);
    if (m_parser.isSet(u"state"_s)) {
        filter.state = stateFromName(m_parser.value(u"state"_s));
        if (!filter.state)
            return fail(InvalidInput, tr("Unknown state \"%1\".").arg(m_parser.value(u"state"_s)));
    }
    bool ok = false;
    const int limit = m_parser.value(u"limit"_s).toInt(&ok);
    if (!ok || limit < 1)
        return fail(InvalidInput, tr("--limit takes a positive number."));
    const QList<Submission> rows = m_workspace->history()->page(filter, 0, limit);
    if (m_json) {
        QJsonArray array;
        for (const Submission &s : rows)
            array.append(submissionJson(s));
        printJson(array);
        return done(Success);
    }
    if (rows.isEmpty())
        print(tr("No submissions yet."));
    for (const Submission &s : rows) {
        const QString server = s.serverId ? u"#%1"_s.arg(*s.serverId) : u"-"_s;
        print(u"%1  %2  %3  %4 <%5>  %6"_s.arg(
            s.createdAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s),
            stateName(s.state).leftJustified(14), server.leftJustified(7), s.candidate.name,
            s.candidate.email, s.lastError));
    }
    done(Success);
}

bool Cli::takeLock()
{
    if (!m_lock) {
        QString error;
        m_lock = InstanceLock::acquire(m_workspace->dataDir(), &error);
    }
    if (m_lock && !m_tidied) {
        m_workspace->tidy();
        m_tidied = true;
    }
    return m_lock != nullptr;
}

void Cli::startEngine()
{
    m_engine = new SubmissionEngine(m_workspace->outbox(), m_api, m_clock, this);
    m_engine->setConcurrency(m_settings->concurrency());
    // A store that keeps refusing (a full disk, a database another program
    // holds) is waited out as long as --wait says, like a server that asks
    // to wait; then the command says so instead of waiting forever.
    connect(m_engine, &SubmissionEngine::submissionChanged, this,
            [this] { m_storeTrouble.invalidate(); });
    connect(m_engine, &SubmissionEngine::storeProblem, this, [this](const QString &error) {
        if (!m_storeTrouble.isValid())
            m_storeTrouble.start();
        if (m_storeTrouble.elapsed() < m_waitSeconds * 1000)
            return;
        const QString why = !error.isEmpty() ? error : m_workspace->status()->problem();
        fail(Failure,
             tr("The local database cannot be used now: %1 What is queued stays in the outbox.")
                 .arg(why.isEmpty() ? tr("it stayed busy.") : why));
    });
    connect(m_engine, &SubmissionEngine::serverLimitLearned, this,
            [this](qint64 bytes) { m_settings->setMaxResumeBytes(bytes); });
    m_engine->start();
}

void Cli::runOutbox()
{
    Outbox *outbox = m_workspace->outbox();
    if (!m_parser.isSet(u"retry"_s)) {
        HistoryFilter filter;
        QList<Submission> rows;
        for (SubmissionState state : { SubmissionState::Pending, SubmissionState::Sending,
                                       SubmissionState::NeedsDecision, SubmissionState::Failed }) {
            filter.state = state;
            rows += m_workspace->history()->page(filter, 0, 100000);
        }
        if (m_json) {
            QJsonArray array;
            for (const Submission &s : rows)
                array.append(submissionJson(s));
            printJson(array);
        } else if (rows.isEmpty()) {
            print(tr("The outbox is empty: everything was sent."));
        } else {
            for (const Submission &s : rows)
                print(u"%1  %2  %3 <%4>  %5"_s.arg(s.id, 6).arg(
                    stateName(s.state).leftJustified(14), s.candidate.name, s.candidate.email,
                    s.lastError));
        }
        return done(Success);
    }
    QString error;
    if (outbox->sendNow(&error) < 0)
        return fail(Failure, error);
    // Counted in the store, so what the window sends while this waits counts too.
    m_sentAtStart = sentCount();
    if (takeLock()) {
        return drainOutbox();
    }
    // The window holds the outbox and sends it; wait for it the same way,
    // and take over should it go away.
    if (!m_json)
        print(tr("Another Candidate Desk (a window or a command line) is sending the outbox; "
                 "waiting for it."));
    m_poll = new QTimer(this);
    m_watchClock.start();
    connect(m_poll, &QTimer::timeout, this, [this] {
        if (takeLock()) {
            m_poll->stop();
            return drainOutbox();
        }
        const auto next = m_workspace->outbox()->nextDueTime();
        const bool inFlight = m_workspace->outbox()->unsent().sending > 0;
        const qint64 limitMs = (m_waitSeconds + 60) * 1000;
        if ((!inFlight && (!next || waitsTooLong(*next))) || m_watchClock.elapsed() > limitMs)
            finishOutboxRun();
    });
    m_poll->start(kWatchPollMs);
}

void Cli::drainOutbox()
{
    startEngine();
    connect(m_engine, &SubmissionEngine::idle, this, &Cli::onOutboxIdle);
}

int Cli::sentCount() const
{
    HistoryFilter sent;
    sent.state = SubmissionState::Sent;
    return m_workspace->history()->count(sent);
}

bool Cli::waitsTooLong(const QDateTime &nextAttempt) const
{
    return m_clock->now().msecsTo(nextAttempt) > m_waitSeconds * 1000;
}

void Cli::onOutboxIdle()
{
    // Idle: nothing in flight and nothing due now. What is left waits for a
    // backoff or a Retry-After: wait for it when that is within --wait, so a
    // throttled server gets everything in the end, at the pace it asks for.
    const auto next = m_workspace->outbox()->nextDueTime();
    if (next && !waitsTooLong(*next))
        return; // the engine's timer sends it when it is due
    finishOutboxRun();
}

void Cli::finishOutboxRun()
{
    if (m_done)
        return;
    const Outbox::Unsent unsent = m_workspace->outbox()->unsent();
    if (!unsent.ok)
        return fail(Failure, tr("Could not read the outbox."));
    const auto next = m_workspace->outbox()->nextDueTime();
    // The code speaks of this account (the API address it sends to): what
    // waits for another one is said in words, and sent only there.
    int code = Success;
    if (unsent.waiting > 0)
        code = Queued;
    else if (unsent.heldForToken > 0)
        code = BadToken;
    else if (unsent.held > 0)
        code = Held;
    if (m_json) {
        QJsonObject o { { u"sent"_s, sentCount() - m_sentAtStart },
                        { u"waiting"_s, unsent.waiting },
                        { u"waiting_for_another_account"_s, unsent.waitingElsewhere },
                        { u"held"_s, unsent.held },
                        { u"exit_code"_s, code } };
        if (next)
            o.insert(u"next_attempt_at"_s, next->toUTC().toString(Qt::ISODateWithMs));
        printJson(o);
        return done(code);
    }
    print(tr("Sent %n submission(s).", nullptr, sentCount() - m_sentAtStart));
    if (unsent.waiting > 0) {
        const qint64 inSeconds = next ? qMax<qint64>(0, m_clock->now().secsTo(*next)) : 0;
        print(tr("%n submission(s) still wait to be sent, the next in %1 s. They are tried again "
                 "by themselves: by the window while it runs, or run this command again.",
                 nullptr, unsent.waiting)
                  .arg(inSeconds));
    }
    if (unsent.waitingElsewhere > 0)
        print(tr("%n submission(s) wait for another API address (account): they are sent only "
                 "there, when the app uses that address again.",
                 nullptr, unsent.waitingElsewhere));
    if (unsent.held > 0)
        print(tr("%n submission(s) are held until you act (see `candidate-desk outbox`): fix what "
                 "their message says, then retry them, or cancel them in the window.",
                 nullptr, unsent.held));
    if (code == Success)
        print(tr("Nothing is left unsent."));
    done(code);
}

void Cli::runSubmit(bool update)
{
    CandidateValidator validator(
        ValidationOptions { m_settings->phoneRegion(), m_settings->maxResumeBytes() });
    Candidate c;
    CandidateFields changed;
    auto take = [&](const QString &option, CandidateField field, QString *target) {
        if (m_parser.isSet(option)) {
            *target = m_parser.value(option);
            changed.insert(field);
        }
    };
    take(u"name"_s, CandidateField::Name, &c.name);
    take(u"email"_s, CandidateField::Email, &c.email);
    take(u"phone"_s, CandidateField::Phone, &c.phone);
    take(u"resume"_s, CandidateField::Resume, &c.resumeFile);
    take(u"source"_s, CandidateField::Source, &c.source);
    take(u"industry"_s, CandidateField::Industry, &c.industry);
    take(u"department"_s, CandidateField::Department, &c.department);
    if (m_parser.isSet(u"resume-url"_s)) {
        c.resumeUrl = QUrl(m_parser.value(u"resume-url"_s));
        changed.insert(CandidateField::ResumeUrl);
    }
    if (m_parser.isSet(u"job"_s)) {
        bool ok = false;
        const qint64 job = m_parser.value(u"job"_s).toLongLong(&ok);
        if (!ok || job <= 0)
            return fail(InvalidInput, tr("--job takes a job's id; see `candidate-desk jobs`."));
        c.jobId = job;
        changed.insert(CandidateField::JobId);
    } else if (m_parser.isSet(u"talent-pool"_s)) {
        changed.insert(CandidateField::JobId); // jobId empty: the Talent Pool
    }
    for (const QString &field : m_parser.values(u"field"_s)) {
        const qsizetype eq = field.indexOf(u'=');
        if (eq <= 0)
            return fail(InvalidInput,
                        tr("--field takes key=value, e.g. --field linkedin_url=https://..."));
        c.customFields.insert(field.left(eq).trimmed(), field.mid(eq + 1));
        changed.insert(CandidateField::CustomFields);
    }
    if (!update && c.source.isNull()) // the ATS should say who entered the candidate
        c.source = m_settings->defaultSource();

    Submission s;
    s.source = u"cli"_s;
    FieldErrors errors;
    if (update) {
        bool ok = false;
        s.kind = SubmissionKind::Update;
        s.targetId = m_parser.positionalArguments().value(1).toLongLong(&ok);
        if (!ok || s.targetId <= 0)
            return fail(InvalidInput, tr("update takes the candidate's id, a number."));
        if (changed.isEmpty())
            return fail(InvalidInput, tr("Nothing to update: give the options to change."));
        s.changedFields = changed;
        errors = validator.validateForUpdate(&c);
        // Only what is being changed is judged: the server keeps the rest.
        for (const QString &field : errors.fields()) {
            const auto known = fieldFromName(field.section(u'.', 0, 0));
            if (known && !changed.contains(*known))
                errors.remove(field);
        }
    } else {
        errors = validator.validate(&c);
    }
    if (!errors.isEmpty()) {
        if (m_json) {
            printJson(QJsonObject { { u"state"_s, u"invalid"_s },
                                    { u"field_errors"_s, errors.toJson() } });
        } else {
            std::fputs(qUtf8Printable(tr("Not sent: please correct these and run it again.\n")
                                      + errors.summary() + u'\n'),
                       stderr);
        }
        return done(InvalidInput);
    }
    s.candidate = c;
    QString error;
    const auto queued = m_workspace->outbox()->enqueue(s, &error);
    if (!queued)
        return fail(Failure, error);
    if (takeLock())
        startEngine();
    // Without the lock the window runs the engine: its periodic look at the
    // outbox picks the row up, and we watch the row until it settles.
    watch(queued->id);
}

void Cli::watch(qint64 submissionId)
{
    m_watched = submissionId;
    auto followEngine = [this] {
        connect(m_engine, &SubmissionEngine::submissionChanged, this,
                [this](qint64 id, SubmissionState) {
                    if (id == m_watched)
                        checkWatched();
                });
    };
    if (m_engine)
        return followEngine();
    // Another copy (the window, or a command line that got here first) runs
    // the engine: look at the row until it settles. Should that copy go
    // away first, this one takes the outbox over, so the row is not left
    // waiting for nobody.
    m_poll = new QTimer(this);
    m_watchClock.start();
    connect(m_poll, &QTimer::timeout, this, [this, followEngine] {
        if (!m_engine && takeLock()) {
            m_poll->stop();
            startEngine();
            followEngine();
            // The copy that went may have settled the row already: this
            // engine would then never speak of it again.
            checkWatched();
            return;
        }
        if (m_watchClock.elapsed() > (m_waitSeconds + 60) * 1000) {
            if (const auto row = m_workspace->outbox()->get(m_watched))
                return report(*row);
        }
        checkWatched();
    });
    m_poll->start(kWatchPollMs);
}

void Cli::checkWatched()
{
    const auto row = m_workspace->outbox()->get(m_watched);
    if (!row)
        return fail(Failure, tr("The submission disappeared from the outbox."));
    switch (row->state) {
    case SubmissionState::Sending:
        return; // in flight
    case SubmissionState::Pending:
        // Not tried yet, or tried and due again within --wait: keep waiting.
        if (row->attempts == 0 || !waitsTooLong(row->nextAttemptAt))
            return;
        return report(*row);
    default:
        return report(*row);
    }
}

void Cli::report(const Submission &s)
{
    if (m_done)
        return;
    if (m_json) {
        printJson(submissionJson(s));
        return done(exitCodeFor(s));
    }
    const QString who = u"%1 <%2>"_s.arg(s.candidate.name, s.candidate.email);
    switch (s.state) {
    case SubmissionState::Sent:
        print(s.kind == SubmissionKind::Create
                  ? tr("Sent: candidate #%1 created (%2).").arg(*s.serverId).arg(who)
                  : tr("Sent: candidate #%1 updated.").arg(s.targetId));
        break;
    case SubmissionState::NeedsDecision:
        print(tr("Not sent: %1\nTo update that candidate instead: candidate-desk update %2 "
                 "[the options to change]")
                  .arg(s.lastError)
                  .arg(s.duplicateOf.value_or(0)));
        break;
    case SubmissionState::Failed:
        print(tr("Not sent: %1").arg(s.lastError));
        if (!s.fieldErrors.isEmpty())
            print(s.fieldErrors.summary());
        if (exitCodeFor(s) == Held || exitCodeFor(s) == BadToken)
            print(tr("It is kept in the outbox, but not tried again by itself: once the cause is "
                     "fixed, run `candidate-desk outbox --retry`."));
        break;
    case SubmissionState::Cancelled:
        print(tr("Not sent: it was cancelled in the window."));
        break;
    case SubmissionState::Pending:
    case SubmissionState::Sending:
        print(tr("Not sent yet: %1\nIt waits in the outbox and is tried again by itself: by the "
                 "Candidate Desk window while it runs, or run `candidate-desk outbox --retry`.")
                  .arg(s.lastError.isEmpty() ? tr("the server did not answer yet.") : s.lastError));
        break;
    }
    done(exitCodeFor(s));
}

void Cli::runInspectResume(const QString &path)
{
    // A command line may wait for the reading: there is no window to keep alive.
    const qint64 limit = m_settings->maxResumeBytes();
    const ResumeReading r = ResumeReader::read(path, m_settings->phoneRegion(), limit);
    QJsonObject fields;
    if (!r.fill.name.isEmpty())
        fields.insert(u"name"_s, r.fill.name);
    if (!r.fill.email.isEmpty())
        fields.insert(u"email"_s, r.fill.email);
    if (!r.fill.phone.isEmpty())
        fields.insert(u"phone"_s, r.fill.phone);
    for (auto it = r.fill.links.cbegin(); it != r.fill.links.cend(); ++it)
        fields.insert(it.key(), it.value());
    const int code = r.info.accepted ? (r.text.ok ? Success : Failure) : InvalidInput;
    if (m_json) {
        printJson(QJsonObject {
            { u"file"_s, r.info.path.isEmpty() ? path : r.info.path },
            { u"accepted"_s, r.info.accepted },
            { u"type"_s, r.info.typeLabel },
            { u"mime_type"_s, r.info.mimeType },
            { u"size"_s, r.info.size },
            { u"limit"_s, limit },
            { u"over_limit"_s, r.info.overLimit },
            { u"problem"_s, r.info.accepted ? r.text.problem : r.info.problem },
            { u"text_length"_s, r.text.text.size() },
            { u"pages"_s, r.text.pages },
            { u"image_only"_s, r.text.imageOnly },
            { u"timed_out"_s, r.text.timedOut },
            { u"fields"_s, fields },
            { u"notes"_s, QJsonArray::fromStringList(r.fill.notes) },
        });
        return done(code);
    }
    if (!r.info.accepted) {
        print(tr("%1: refused. %2").arg(path, r.info.problem));
        return done(code);
    }
    print(tr("%1: %2, %3 (%4 the server's limit of %5)")
              .arg(r.info.fileName, r.info.typeLabel, QLocale().formattedDataSize(r.info.size),
                   r.info.overLimit ? tr("over") : tr("within"),
                   QLocale().formattedDataSize(limit)));
    if (!r.text.ok) {
        print(tr("Text: %1").arg(r.text.problem));
        return done(code);
    }
    print(tr("Text: %1 characters").arg(r.text.text.size()));
    for (auto it = fields.begin(); it != fields.end(); ++it)
        print(u"  %1: %2"_s.arg(it.key(), it.value().toString()));
    for (const QString &note : r.fill.notes)
        print(u"  ("_s + note + u')');
    done(code);
}

} // namespace cdesk
