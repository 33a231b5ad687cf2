// The candidate's name, email and phone checks (CandidateValidator): an input
// is what a recruiter typed or pasted, in UTF-8, checked as each of the three.
// A value that passes is normalised (trimmed, NFC, E.164, ACE domain), and
// the normalised value must pass again unchanged: it is what is stored, sent,
// and checked again when the draft is opened.

#include "FuzzSupport.h"

#include "model/CandidateValidator.h"

#include <cstdint>

using namespace cdesk;

namespace {

using Check = QString (CandidateValidator::*)(QString *) const;

void check(const CandidateValidator &validator, Check method, const QString &typed,
           qsizetype maxLength, bool refusedKeepsTyped)
{
    QString value = typed;
    const QString problem = (validator.*method)(&value);
    if (!problem.isEmpty()) {
        // Refused values keep what was typed, trimmed at most (a name is also
        // put in NFC, which shows the same).
        if (refusedKeepsTyped)
            FUZZ_CHECK(typed.contains(value));
        return;
    }
    FUZZ_CHECK(!value.isEmpty());
    FUZZ_CHECK(value.size() <= maxLength);
    FUZZ_CHECK(value == value.trimmed());
    QString again = value;
    FUZZ_CHECK((validator.*method)(&again).isEmpty());
    FUZZ_CHECK(again == value);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const CandidateValidator india; // the default region, IN
    static const CandidateValidator us(ValidationOptions { QStringLiteral("us"), 0 });

    const QString typed = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    check(india, &CandidateValidator::checkName, typed, CandidateValidator::MaxNameLength, false);
    check(india, &CandidateValidator::checkEmail, typed, CandidateValidator::MaxEmailLength, true);
    check(india, &CandidateValidator::checkPhone, typed, 32, true);
    check(us, &CandidateValidator::checkPhone, typed, 32, true);
    return 0;
}
