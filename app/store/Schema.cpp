#include "Schema.h"

using namespace Qt::StringLiterals;

namespace cdesk {

// Each entry is one schema version, applied in one transaction. Append only.
// Never edit a version that has shipped.
QList<QStringList> schemaMigrations()
{
    return {
        // Version 1.
        {
            u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"_s,
            // The outbox and the history are one table. A row changes state, and
            // it never moves, so no step can drop or duplicate it. name, email,
            // job_id, state and created_at are copied out of candidate_json, so
            // filters never parse JSON. name_key and email_key are case-folded
            // copies for search, because SQLite's LIKE and lower() fold ASCII only.
            u"CREATE TABLE submissions ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kind TEXT NOT NULL CHECK (kind IN ('create', 'update')),"
            " target_id INTEGER,"
            " changed_fields TEXT NOT NULL DEFAULT '',"
            " candidate_json TEXT NOT NULL,"
            " idempotency_key TEXT NOT NULL UNIQUE,"
            " original_resume_name TEXT NOT NULL DEFAULT '',"
            " resume_sha256 TEXT NOT NULL DEFAULT '',"
            " resume_copy TEXT,"
            " state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed',"
            "  'needs_decision', 'cancelled')),"
            " attempts INTEGER NOT NULL DEFAULT 0,"
            " created_at TEXT NOT NULL,"
            " updated_at TEXT NOT NULL,"
            " next_attempt_at TEXT NOT NULL,"
            " server_id INTEGER,"
            " duplicate_of INTEGER,"
            " last_error TEXT NOT NULL DEFAULT '',"
            " error_kind TEXT NOT NULL DEFAULT '',"
            " field_errors_json TEXT NOT NULL DEFAULT '',"
            " source TEXT NOT NULL DEFAULT '',"
            " name TEXT NOT NULL,"
            " email TEXT NOT NULL,"
            " name_key TEXT NOT NULL,"
            " email_key TEXT NOT NULL,"
            " job_id INTEGER)"_s,
            // The outbox: what is due, and when the next row is.
            u"CREATE INDEX submissions_due ON submissions (state, next_attempt_at)"_s,
            // The history view. Each index holds the columns its filters read, so
            // a count or a page is answered from the index alone and reads a row
            // only to return it. id follows created_at, so "newest first"
            // (created_at DESC, id DESC) is index order, with no sort.
            // Text search (a substring, so no index can seek it) walks
            // submissions_history, the one index with name_key and email_key.
            u"CREATE INDEX submissions_history ON submissions"
            " (created_at, id, name_key, email_key, state, job_id, server_id)"_s,
            u"CREATE INDEX submissions_state_created ON submissions"
            " (state, created_at, id, job_id)"_s,
            u"CREATE INDEX submissions_job_created ON submissions"
            " (job_id, created_at, id, state)"_s,
            u"CREATE TABLE attempts ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
            " started_at TEXT NOT NULL,"
            " finished_at TEXT NOT NULL,"
            " http_status INTEGER NOT NULL DEFAULT 0,"
            " outcome TEXT NOT NULL,"
            " message TEXT NOT NULL DEFAULT '')"_s,
            u"CREATE INDEX attempts_submission ON attempts (submission_id, id)"_s,
            u"CREATE TABLE drafts ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " candidate_json TEXT NOT NULL,"
            " extra_json TEXT NOT NULL DEFAULT '{}',"
            " created_at TEXT NOT NULL,"
            " updated_at TEXT NOT NULL)"_s,
            u"CREATE INDEX drafts_updated ON drafts (updated_at)"_s,
            u"CREATE TABLE job_cache ("
            " position INTEGER PRIMARY KEY,"
            " id INTEGER NOT NULL UNIQUE,"
            " title TEXT NOT NULL,"
            " department TEXT NOT NULL DEFAULT '',"
            " location TEXT NOT NULL DEFAULT '',"
            " open INTEGER NOT NULL DEFAULT 1,"
            " created_at TEXT NOT NULL DEFAULT '')"_s,
        },
        // Version 2: the account (API host) a submission is for, so a change
        // of address never sends what waits to another ATS. NULL: made before
        // accounts were recorded, sent to whichever account is current.
        {
            u"ALTER TABLE submissions ADD COLUMN account TEXT"_s,
            u"CREATE INDEX submissions_account ON submissions (account, state)"_s,
        },
    };
}

} // namespace cdesk
