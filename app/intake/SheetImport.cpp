#include "intake/SheetImport.h"

#include "intake/IntakeSession.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

struct RoleInfo
{
    ColumnRole role;
    const char16_t *name; // for --map
    const char16_t *field; // the contract field it fills
};

constexpr RoleInfo kRoles[] = {
    { ColumnRole::Ignore, u"ignore", u"" },
    { ColumnRole::Name, u"name", u"name" },
    { ColumnRole::FirstName, u"first_name", u"name" },
    { ColumnRole::LastName, u"last_name", u"name" },
    { ColumnRole::Email, u"email", u"email" },
    { ColumnRole::Phone, u"phone", u"phone" },
    { ColumnRole::Resume, u"resume", u"resume" },
    { ColumnRole::Job, u"job", u"job_id" },
    { ColumnRole::JobId, u"job_id", u"job_id" },
    { ColumnRole::Source, u"source", u"source" },
    { ColumnRole::Industry, u"industry", u"industry" },
    { ColumnRole::Department, u"department", u"department" },
    { ColumnRole::Custom, u"custom", u"custom_fields" },
};

const RoleInfo &info(ColumnRole role)
{
    for (const RoleInfo &r : kRoles) {
        if (r.role == role)
            return r;
    }
    return kRoles[0];
}

// A header name as it is compared: lower case, letters and digits only
// ("E-mail address" -> "emailaddress").
QString squeezed(const QString &name)
{
    QString out;
    for (const QChar c : name.toCaseFolded()) {
        if (c.isLetterOrNumber())
            out.append(c);
    }
    return out;
}

// The names people give these columns, squeezed. Checked in this order.
const QList<QPair<ColumnRole, QStringList>> &knownHeaders()
{
    static const QList<QPair<ColumnRole, QStringList>> known = {
        { ColumnRole::JobId,
          { u"jobid"_s, u"jobcode"_s, u"jobnumber"_s, u"positionid"_s, u"openingid"_s,
            u"requisitionid"_s, u"reqid"_s } },
        { ColumnRole::Job,
          { u"job"_s, u"jobtitle"_s, u"position"_s, u"role"_s, u"opening"_s, u"appliedfor"_s,
            u"vacancy"_s, u"jobname"_s } },
        { ColumnRole::FirstName, { u"firstname"_s, u"givenname"_s, u"forename"_s } },
        { ColumnRole::LastName, { u"lastname"_s, u"surname"_s, u"familyname"_s } },
        { ColumnRole::Name,
          { u"name"_s, u"fullname"_s, u"candidate"_s, u"candidatename"_s, u"applicant"_s,
            u"applicantname"_s } },
        { ColumnRole::Email,
          { u"email"_s, u"emailaddress"_s, u"mail"_s, u"emailid"_s, u"candidateemail"_s } },
        { ColumnRole::Phone,
          { u"phone"_s, u"mobile"_s, u"mobilenumber"_s, u"mobileno"_s, u"phonenumber"_s,
            u"phoneno"_s, u"cell"_s, u"cellphone"_s, u"telephone"_s, u"tel"_s, u"contactnumber"_s,
            u"contact"_s } },
        { ColumnRole::Resume,
          { u"resume"_s, u"cv"_s, u"resumefile"_s, u"resumepath"_s, u"resumeurl"_s, u"resumelink"_s,
            u"cvfile"_s, u"cvlink"_s, u"cvurl"_s, u"curriculumvitae"_s } },
        { ColumnRole::Source, { u"source"_s, u"candidatesource"_s, u"sourcedfrom"_s } },
        { ColumnRole::Industry, { u"industry"_s } },
        { ColumnRole::Department, { u"department"_s, u"dept"_s, u"team"_s } },
    };
    return known;
}

bool isLink(const QString &value)
{
    return value.startsWith(u"http://"_s, Qt::CaseInsensitive)
        || value.startsWith(u"https://"_s, Qt::CaseInsensitive);
}

// The job of one row: its id, the Talent Pool (nullopt), or a problem.

} // namespace

ColumnMapping SheetImport::suggestFor(const QString &headerName)
{
    const QString key = squeezed(headerName);
    for (const auto &[role, names] : knownHeaders()) {
        if (names.contains(key))
            return { role, {} };
    }
    return {};
}

QList<ColumnMapping> SheetImport::suggest(const QStringList &header)
{
    QList<ColumnMapping> columns;
    bool taken[std::size(kRoles)] = {};
    for (const QString &name : header) {
        ColumnMapping mapping = suggestFor(name);
        // Two columns both called like an email: the first is taken, the
        // other left for the recruiter to map.
        const auto slot = std::size_t(mapping.role);
        if (mapping.role != ColumnRole::Ignore && taken[slot])
            mapping = {};
        taken[std::size_t(mapping.role)] = true;
        columns << mapping;
    }
    return columns;
}

std::optional<ColumnMapping> SheetImport::mappingFromName(const QString &name,
                                                          const QString &headerName)
{
    const QString word = name.trimmed().toLower().replace(u'-', u'_');
    if (word.startsWith(u"custom:"_s)) {
        const QString key = word.mid(7).trimmed();
        if (key.isEmpty())
            return std::nullopt;
        return ColumnMapping { ColumnRole::Custom, name.trimmed().mid(7).trimmed() };
    }
    for (const RoleInfo &r : kRoles) {
        if (word == QStringView(r.name)) {
            if (r.role == ColumnRole::Custom)
                return ColumnMapping { ColumnRole::Custom, customKeyFor(headerName) };
            return ColumnMapping { r.role, {} };
        }
    }
    return std::nullopt;
}

QString SheetImport::mappingName(const ColumnMapping &mapping)
{
    if (mapping.role == ColumnRole::Custom)
        return u"custom:"_s + mapping.customKey;
    return QString::fromUtf16(info(mapping.role).name);
}

QStringList SheetImport::mappingNames()
{
    QStringList names;
    for (const RoleInfo &r : kRoles)
        names << QString::fromUtf16(r.name);
    names << u"custom:KEY"_s;
    return names;
}

QString SheetImport::mappingLabel(const ColumnMapping &mapping)
{
    switch (mapping.role) {
    case ColumnRole::Ignore:
        return tr("Not imported");
    case ColumnRole::FirstName:
        return tr("First name");
    case ColumnRole::LastName:
        return tr("Last name");
    case ColumnRole::Job:
        return tr("Job (id or title)");
    case ColumnRole::JobId:
        return tr("Job id");
    case ColumnRole::Custom:
        return FieldErrors::label(u"custom_fields."_s + mapping.customKey);
    default:
        return FieldErrors::label(fieldOf(mapping));
    }
}

QString SheetImport::customKeyFor(const QString &headerName)
{
    static const QRegularExpression nonWord(u"[^a-z0-9]+"_s);
    QString key = headerName.toLower();
    key.replace(nonWord, u"_"_s);
    while (key.startsWith(u'_'))
        key.remove(0, 1);
    while (key.endsWith(u'_'))
        key.chop(1);
    return key.isEmpty() ? u"column"_s : key;
}

QString SheetImport::fieldOf(const ColumnMapping &mapping)
{
    if (mapping.role == ColumnRole::Custom)
        return u"custom_fields."_s + mapping.customKey;
    return QString::fromUtf16(info(mapping.role).field);
}

int SheetImport::columnOf(const QList<ColumnMapping> &columns, const QString &field)
{
    for (qsizetype i = 0; i < columns.size(); ++i) {
        if (columns[i].role != ColumnRole::Ignore && fieldOf(columns[i]) == field
            && columns[i].role != ColumnRole::LastName)
            return int(i);
    }
    if (field.startsWith(u"custom_fields"_s)) {
        for (qsizetype i = 0; i < columns.size(); ++i) {
            if (columns[i].role == ColumnRole::Custom)
                return int(i);
        }
    }
    return -1;
}

QString SheetImport::rowKey(const QString &account, const Candidate &candidate)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(account.toUtf8());
    hash.addData(QByteArrayView("\n"));
    // QJsonObject keeps its keys sorted: the same candidate, the same bytes.
    hash.addData(QJsonDocument(candidate.toStorageJson()).toJson(QJsonDocument::Compact));
    return u"import-"_s + QString::fromLatin1(hash.result().toHex().left(40));
}

std::optional<qint64> SheetImport::resolveJob(const QString &cell, ColumnRole role,
                                              const Options &options, QString *problem)
{
    bool isNumber = false;
    const qint64 id = cell.toLongLong(&isNumber);
    if (isNumber) {
        if (id <= 0) {
            *problem
                = SheetImport::tr("“%1” is not a job's id: ids are positive numbers.").arg(cell);
            return std::nullopt;
        }
        if (options.jobsLoaded
            && std::none_of(options.jobs.cbegin(), options.jobs.cend(),
                            [id](const Job &job) { return job.id == id; })) {
            *problem = SheetImport::tr("No job has the id %1. `candidate-desk jobs` lists them.")
                           .arg(id);
            return std::nullopt;
        }
        return id;
    }
    if (role == ColumnRole::JobId) {
        *problem = SheetImport::tr("“%1” is not a job's id: ids are numbers.").arg(cell);
        return std::nullopt;
    }
    if (!options.jobsLoaded) {
        *problem = SheetImport::tr("The job list could not be loaded, so the job “%1” cannot be "
                                   "found by its title. Use the job's id instead.")
                       .arg(cell);
        return std::nullopt;
    }
    const QString wanted = cell.simplified();
    QList<qint64> matches;
    for (const Job &job : options.jobs) {
        if (job.title.simplified().compare(wanted, Qt::CaseInsensitive) == 0)
            matches << job.id;
    }
    if (matches.size() == 1)
        return matches.first();
    if (matches.isEmpty())
        *problem = SheetImport::tr("No job is called “%1”. Use a job's exact title or its id; "
                                   "`candidate-desk jobs` lists them.")
                       .arg(wanted);
    else
        *problem = SheetImport::tr("%1 jobs are called “%2”: use the job's id to say which.")
                       .arg(matches.size())
                       .arg(wanted);
    return std::nullopt;
}

QList<SheetImport::Row> SheetImport::build(const SheetTable &table, const Options &options)
{
    QList<Row> rows;
    rows.reserve(table.rows.size());
    const QDir folder(options.folder);
    for (qsizetype r = 0; r < table.rows.size(); ++r) {
        const QStringList &cells = table.rows[r];
        Row row;
        row.line = table.rowLines.value(r);
        Submission &s = row.submission;
        Candidate &c = s.candidate;
        s.source = u"import:"_s + options.fileName;
        QString firstName;
        QString lastName;
        QString jobCell;
        ColumnRole jobRole = ColumnRole::Ignore;
        for (qsizetype col = 0; col < cells.size(); ++col) {
            const QString value = cells[col].trimmed();
            if (col >= options.columns.size()) {
                if (!value.isEmpty())
                    row.problems.add(FieldErrors::NonField,
                                     tr("This row has more cells than the sheet has columns. "
                                        "A delimiter or a quote may be out of place."));
                continue;
            }
            if (value.isEmpty())
                continue;
            const ColumnMapping &mapping = options.columns[col];
            switch (mapping.role) {
            case ColumnRole::Ignore:
                break;
            case ColumnRole::Name:
                c.name = value;
                break;
            case ColumnRole::FirstName:
                firstName = value;
                break;
            case ColumnRole::LastName:
                lastName = value;
                break;
            case ColumnRole::Email:
                c.email = value;
                break;
            case ColumnRole::Phone:
                c.phone = value;
                break;
            case ColumnRole::Resume:
                if (isLink(value)) {
                    c.resumeUrl = QUrl(value);
                } else {
                    // Sheets made on Windows write "resumes\asha.pdf".
                    QString path = value;
                    path.replace(u'\\', u'/');
                    c.resumeFile = QDir::cleanPath(folder.absoluteFilePath(path));
                }
                break;
            case ColumnRole::Job:
            case ColumnRole::JobId:
                jobCell = value;
                jobRole = mapping.role;
                break;
            case ColumnRole::Source:
                c.source = value;
                break;
            case ColumnRole::Industry:
                c.industry = value;
                break;
            case ColumnRole::Department:
                c.department = value;
                break;
            case ColumnRole::Custom:
                c.customFields.insert(mapping.customKey, value);
                break;
            }
        }
        if (c.name.isEmpty() && !(firstName.isEmpty() && lastName.isEmpty()))
            c.name = QStringList({ firstName, lastName }).join(u' ').trimmed();
        if (c.source.isEmpty() && !options.sourceForAll.isEmpty())
            c.source = options.sourceForAll;

        QString jobProblem;
        if (options.jobForAll)
            c.jobId = options.jobForAll;
        else if (!options.talentPoolForAll && !jobCell.isEmpty())
            c.jobId = resolveJob(jobCell, jobRole, options, &jobProblem);

        row.problems.merge(IntakeSession::check(&s, options.validation));
        if (!c.resumeFile.isEmpty() && !QFileInfo::exists(c.resumeFile)) {
            // Said where it was looked for: a path in a sheet is relative to the sheet.
            row.problems.remove(u"resume"_s);
            row.problems.add(
                u"resume"_s,
                tr("There is no file %1. A path in the sheet is read from the sheet's folder, %2.")
                    .arg(QDir::toNativeSeparators(c.resumeFile),
                         QDir::toNativeSeparators(options.folder)));
        }
        row.problems.add(u"job_id"_s, jobProblem);

        s.idempotencyKey = rowKey(options.account, c);
        rows << row;
    }
    markRepeatedEmails(&rows);
    return rows;
}

void SheetImport::markRepeatedEmails(QList<Row> *rows)
{
    QHash<QString, qsizetype> first; // the first row with each email
    for (qsizetype i = 0; i < rows->size(); ++i) {
        Row &row = (*rows)[i];
        const QString &email = row.submission.candidate.email;
        if (email.isEmpty() || row.problems.contains(u"email"_s))
            continue;
        const QString key = email.toCaseFolded();
        const auto earlier = first.constFind(key);
        if (earlier == first.cend()) {
            first.insert(key, i);
            continue;
        }
        const Row &that = rows->at(*earlier);
        row.problems.add(u"email"_s,
                         (that.origin.isEmpty() ? tr("Line %L1 has the same email").arg(that.line)
                                                : tr("“%1” has the same email").arg(that.origin))
                             + tr(": the candidate would be added twice."));
    }
}

} // namespace cdesk
