#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace cdesk {

// The custom fields the links go into (keys as the contract allows them:
// 1 to 64 characters of [a-z0-9_]).
inline const QString kLinkedInUrlField = QStringLiteral("linkedin_url");
inline const QString kGitHubUrlField = QStringLiteral("github_url");
inline const QString kPortfolioUrlField = QStringLiteral("portfolio_url");

// What a resume's text says about the candidate. Every field is either filled
// with a value the contract accepts, or empty; an empty field the recruiter
// would expect (name, email, phone) has a note saying why.
struct AutofillResult
{
    QString name; // NFC, one line, as CandidateValidator::checkName leaves it
    QString email; // as CandidateValidator::checkEmail leaves it (ACE domain, lower case)
    QString phone; // E.164, "+919876543210"
    QString phoneAsWritten; // the same number as the resume writes it, "+91 98765 43210"
    // Custom field key -> https URL: linkedin_url, github_url, portfolio_url.
    QMap<QString, QString> links;
    // Why something was not filled, or what to check, in plain words (translated).
    QStringList notes;
};

// Reads the candidate's details out of a resume's extracted text. Pure and
// reentrant (no I/O, no shared state), so it runs on the extraction worker.
// Fills only what it is sure about; the recruiter confirms every filled field.
//
// - email: the first address anywhere in the text (headers and footers end up
//   in it too) that CandidateValidator::checkEmail accepts and whose domain has
//   a dot. Automatic and placeholder addresses (noreply@..., name@email.com)
//   are passed over for a later one, and taken, with a note, only when nothing
//   else is there.
// - phone: libphonenumber's PhoneNumberMatcher (leniency VALID) with
//   phoneRegion (ISO 3166 alpha-2, as in the settings) first, then as
//   international numbers only (region "ZZ"); the first valid number, in E.164.
//   Text inside email addresses and links is never read as a number.
// - name: from the first 8 non-empty lines, the first one that reads as a name
//   (see Autofill.cpp); never an address, a link, a number or a heading.
// - links: linkedin.com/in/<slug> as linkedin_url, github.com/<user> as
//   github_url, and a personal site (https://, http:// or www., in the header
//   lines or on a line labelled "Portfolio", "Website"...) as portfolio_url.
AutofillResult autofill(const QString &text, const QString &phoneRegion);

} // namespace cdesk
