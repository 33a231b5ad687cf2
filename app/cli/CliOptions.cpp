#include "cli/CliOptions.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace cdesk {

const QStringList &CliOptions::commands()
{
    static const QStringList commands
        = { u"jobs"_s,    u"submit"_s, u"update"_s,        u"import"_s,
            u"history"_s, u"outbox"_s, u"inspect-resume"_s };
    return commands;
}

void CliOptions::addTo(QCommandLineParser *parser)
{
    parser->setApplicationDescription(tr(
        "Candidate Desk on the command line.\n\n"
        "Commands:\n"
        "  jobs                 list the open jobs (--all for closed ones too)\n"
        "  submit               send a new candidate (--name, --email, --phone and a resume)\n"
        "  update ID            change candidate ID on the server; only the options given change\n"
        "  import FILE          send every row of a CSV file or an .xlsx sheet (--map, --job,\n"
        "                       --source, --sheet, --dry-run, --report); rows imported\n"
        "                       before are not sent again\n"
        "  import --resumes DIR one candidate per resume in the folder, filled from its text\n"
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
        "     a server error that kept coming back; it is kept in the outbox until you act\n"
        "  7  import: some rows need you (invalid in the sheet, already on the server,\n"
        "     refused, or cancelled before); the summary says what became of the others,\n"
        "     and --report FILE lists each row and what to do\n\n"
        "The token comes from the system keychain (set it in the window's Settings) or\n"
        "from the CANDIDATE_DESK_TOKEN environment variable."));
    parser->addHelpOption();
    parser->addPositionalArgument(u"command"_s,
                                  tr("jobs, submit, update, import, history or outbox"));
    parser->addOptions({
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
        { u"job"_s,
          tr("The job's id (see `jobs`); leave out for the Talent Pool (import: for every row)."),
          u"ID"_s },
        { u"talent-pool"_s,
          tr("update: move the candidate to the Talent Pool (no job); import: every row.") },
        { u"source"_s, tr("Where the candidate came from (default from Settings)."), u"SOURCE"_s },
        { u"industry"_s, tr("The candidate's industry."), u"INDUSTRY"_s },
        { u"department"_s, tr("The candidate's department."), u"DEPARTMENT"_s },
        { u"field"_s, tr("A custom field, key=value (repeat for more)."), u"KEY=VALUE"_s },
        { u"map"_s,
          tr("import: read a column as a field, COLUMN=FIELD (name, first_name, last_name, "
             "email, phone, resume, job, job_id, source, industry, department, custom, "
             "custom:KEY, ignore); repeat for more."),
          u"COLUMN=FIELD"_s },
        { u"resumes"_s,
          tr("import: a folder of resumes, one candidate each (name, email and phone read "
             "from the resume)."),
          u"FOLDER"_s },
        { u"sheet"_s, tr("import: the workbook's sheet to read (default: the first)."), u"NAME"_s },
        { u"dry-run"_s, tr("import: check every row and say what would be sent; send nothing.") },
        { u"report"_s, tr("import: write what became of each row to this CSV file."), u"FILE"_s },
        { u"all"_s, tr("jobs: closed jobs too.") },
        { u"retry"_s, tr("outbox: send what waits now.") },
        { u"wait"_s,
          tr("submit, update, import, outbox --retry: how long to keep trying while nothing "
             "gets through (the server asks to wait, fails or cannot be reached) before leaving "
             "what is not sent in the outbox (default 60; 0: one attempt)."),
          u"SECONDS"_s, u"60"_s },
        { u"limit"_s, tr("history: how many rows (default 20)."), u"N"_s, u"20"_s },
        { u"search"_s, tr("history: name, email or server id."), u"TEXT"_s },
        { u"state"_s, tr("history: pending, sending, sent, failed, needs_decision or cancelled."),
          u"STATE"_s },
    });
}

} // namespace cdesk
