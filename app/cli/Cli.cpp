#include "Cli.h"

#include "account/Account.h"
#include "api/ApiClient.h"
#include "cli/CliOptions.h"
#include "cli/ImportCommand.h"
#include "cli/OutboxCommand.h"
#include "cli/SubmitCommand.h"
#include "core/Clock.h"
#include "intake/SubmissionEngine.h"
#include "resume/ResumeReader.h"
#include "settings/Settings.h"
#include "store/HistoryStore.h"
#include "store/StoreStatus.h"
#include "store/Workspace.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// How often a command line looks at the outbox the running window sends.
constexpr int kWatchPollMs = 250;

} // namespace

bool Cli::isCommand(const QString &argument)
{
    return CliOptions::commands().contains(argument);
}

Cli::Cli(QStringList arguments, Account *account, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_account(account)
{
    Q_ASSERT(m_account);
    CliOptions::addTo(&m_parser);
}

Cli::~Cli() = default;

void Cli::fail(int code, const QString &message)
{
    m_output.error(code, message);
    done(code);
}

void Cli::done(int code)
{
    if (m_done)
        return;
    m_done = true;
    if (m_poll)
        m_poll->stop(); // a finished run takes nothing over any more
    if (m_engine)
        m_engine->stop(); // rows in flight go back to pending, with their keys
    // On the next turn, so nothing of ours is still on the stack.
    QTimer::singleShot(0, this, [this, code] { Q_EMIT finished(code); });
}

void Cli::report(const Submission &submission)
{
    if (m_done)
        return;
    m_output.submission(submission);
    done(cliExitCode(submission));
}

void Cli::start()
{
    if (!m_parser.parse(m_arguments))
        return fail(InvalidInput, m_parser.errorText());
    if (m_parser.isSet(u"help"_s)) {
        m_output.print(m_parser.helpText());
        return done(Success);
    }
    m_output.setJson(m_parser.isSet(u"json"_s));
    {
        bool ok = false;
        m_waitSeconds = m_parser.value(u"wait"_s).toLongLong(&ok);
        if (!ok || m_waitSeconds < 0 || m_waitSeconds > 24 * 3600)
            return fail(InvalidInput, tr("--wait takes a number of seconds from 0 to 86400."));
        m_lastProgress = m_account->clock()->now();
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
        return runInspectResume(positional.at(1));
    }
    const bool takesOne
        = command == u"update"_s || (command == u"import"_s && !m_parser.isSet(u"resumes"_s));
    if (positional.size() != (takesOne ? 2 : 1)) {
        if (command == u"update"_s)
            return fail(InvalidInput,
                        tr("update takes the candidate's id: candidate-desk update "
                           "42 --phone ..."));
        if (command == u"import"_s)
            return fail(InvalidInput,
                        tr("import takes one sheet (candidate-desk import candidates.csv) or "
                           "--resumes FOLDER."));
        return fail(InvalidInput, tr("Unexpected argument \"%1\".").arg(positional.last()));
    }

    const bool retry = command == u"outbox"_s && m_parser.isSet(u"retry"_s);
    // The instance lock first, when it is free: only its holder may repair a
    // damaged database (another copy would go on writing into the old file)
    // or run the engine.
    const bool sandbox = m_parser.isSet(u"sandbox"_s);
    const QString dataDir = m_parser.isSet(u"data-dir"_s) ? m_parser.value(u"data-dir"_s)
                                                          : m_account->defaultDataDir(sandbox);
    QString error;
    m_account->lockDataDir(dataDir, &error);
    if (!m_account->openWorkspace(&error))
        return fail(Failure, error);
    // Only the commands that send keep it; the window may start meanwhile.
    if (command != u"submit"_s && command != u"update"_s && command != u"import"_s && !retry)
        m_account->releaseLock();
    if (const QString notice = m_account->workspace()->salvageNotice(); !notice.isEmpty())
        m_output.notice(notice);

    if (command == u"history"_s)
        return runHistory();
    if (command == u"outbox"_s && !retry)
        return (new OutboxCommand(this))->list();
    withEndpoint([this, command] {
        if (command == u"jobs"_s)
            runJobs();
        else if (command == u"outbox"_s)
            (new OutboxCommand(this))->retry();
        else if (command == u"import"_s && m_parser.isSet(u"resumes"_s))
            (new ImportCommand(this))->runResumes(m_parser.value(u"resumes"_s));
        else if (command == u"import"_s)
            (new ImportCommand(this))->run(m_parser.positionalArguments().value(1));
        else
            (new SubmitCommand(this, command == u"update"_s))->run();
    });
}

// Finds the API and its token (asynchronously: the keychain answers later),
// then continues with `next`.
void Cli::withEndpoint(std::function<void()> next)
{
    if (m_parser.isSet(u"sandbox"_s)) {
        QString error;
        if (!m_account->useSandbox(&error))
            return fail(Failure, error);
        return next();
    }
    if (m_parser.isSet(u"api-url"_s))
        m_account->setApiUrlOverride(QUrl(m_parser.value(u"api-url"_s), QUrl::StrictMode));
    const QUrl url = m_account->apiUrl();
    if (url.isEmpty() || !url.isValid())
        return fail(InvalidInput,
                    tr("No API address. Pass --api-url, use --sandbox, or set it in "
                       "the window's Settings."));
    m_account->useApi();
    connect(m_account, &Account::tokenLoaded, this, [this, next](const QByteArray &token) {
        if (token.isEmpty()) {
            return fail(BadToken,
                        tr("No API token. Store one in the window's Settings, or "
                           "set CANDIDATE_DESK_TOKEN."));
        }
        if (const QString problem = m_account->api()->endpoint().problem(); !problem.isEmpty())
            return fail(InvalidInput, problem);
        next();
    });
    m_account->loadToken();
}

void Cli::runJobs()
{
    ApiCall *call = m_account->api()->listJobs(m_parser.isSet(u"all"_s) ? u"all"_s : u"open"_s);
    connect(call, &ApiCall::finished, this, [this](const ApiResult &result) {
        if (!result.ok())
            return fail(cliExitCode(result), result.message);
        m_output.jobs(result.jobs);
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
    m_output.history(m_account->workspace()->history()->page(filter, 0, limit));
    done(Success);
}

void Cli::runInspectResume(const QString &path)
{
    // A command line may wait for the reading: there is no window to keep alive.
    const Settings *settings = m_account->settings();
    const qint64 limit = settings->maxResumeBytes();
    const ResumeReading r = ResumeReader::read(path, settings->phoneRegion(), limit);
    m_output.resume(path, r, limit);
    done(r.info.accepted ? (r.text.ok ? Success : Failure) : InvalidInput);
}

bool Cli::takeLock()
{
    return m_account->takeLock();
}

void Cli::startEngine()
{
    m_engine = m_account->engine();
    // --wait counts from here: reading resumes or waiting for another copy
    // is not time the server kept anything waiting.
    m_lastProgress = m_account->clock()->now();
    // A store that keeps refusing (a full disk, a database another program
    // holds) is waited out as long as --wait says, like a server that asks
    // to wait; then the command says so instead of waiting forever.
    connect(m_engine, &SubmissionEngine::submissionChanged, this,
            [this](qint64, SubmissionState state) {
                m_storeTrouble.invalidate();
                if (state != SubmissionState::Pending && state != SubmissionState::Sending)
                    m_lastProgress = m_account->clock()->now();
            });
    connect(m_engine, &SubmissionEngine::storeProblem, this, [this](const QString &error) {
        if (!m_storeTrouble.isValid())
            m_storeTrouble.start();
        if (m_storeTrouble.elapsed() < m_waitSeconds * 1000)
            return;
        const QString why = !error.isEmpty() ? error : m_account->workspace()->status()->problem();
        fail(Failure,
             tr("The local database cannot be used now: %1 What is queued stays in the outbox.")
                 .arg(why.isEmpty() ? tr("it stayed busy.") : why));
    });
    m_engine->start();
}

void Cli::waitForOtherCopy(std::function<void()> tookOver, std::function<void(bool overdue)> look)
{
    m_poll = new QTimer(this);
    QElapsedTimer since;
    since.start();
    connect(m_poll, &QTimer::timeout, this,
            [this, since, tookOver = std::move(tookOver), look = std::move(look)] {
                if (takeLock()) {
                    m_poll->stop();
                    return tookOver();
                }
                look(since.elapsed() > (m_waitSeconds + 60) * 1000);
            });
    m_poll->start(kWatchPollMs);
}

bool Cli::readJobOption(std::optional<qint64> *job)
{
    if (!m_parser.isSet(u"job"_s))
        return true;
    bool ok = false;
    const qint64 id = m_parser.value(u"job"_s).toLongLong(&ok);
    if (!ok || id <= 0) {
        fail(InvalidInput, tr("--job takes a job's id; see `candidate-desk jobs`."));
        return false;
    }
    *job = id;
    return true;
}

bool Cli::waitsTooLong(const QDateTime &nextAttempt) const
{
    if (m_waitSeconds == 0)
        return true;
    // A 429 holds every row back, due or not, until its Retry-After.
    QDateTime due = nextAttempt;
    if (const auto held = m_engine ? m_engine->heldUntil() : std::nullopt)
        due = qMax(due, *held);
    return due > m_lastProgress.addSecs(m_waitSeconds);
}

} // namespace cdesk
