#include "ApiError.h"

#include "model/NameTable.h"

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

// The names are stored in the outbox: never change one.
constexpr NameTable<ApiError, 17> kNames { { {
    { ApiError::None, u"none" },
    { ApiError::FieldErrors, u"field_errors" },
    { ApiError::BadToken, u"bad_token" },
    { ApiError::NotAllowed, u"not_allowed" },
    { ApiError::NotFound, u"not_found" },
    { ApiError::Duplicate, u"duplicate" },
    { ApiError::TooLarge, u"too_large" },
    { ApiError::Throttled, u"throttled" },
    { ApiError::IdempotencyConflict, u"idempotency_conflict" },
    { ApiError::ServerError, u"server_error" },
    { ApiError::Redirect, u"redirect" },
    { ApiError::Timeout, u"timeout" },
    { ApiError::Network, u"network" },
    { ApiError::Tls, u"tls" },
    { ApiError::BadResponse, u"bad_response" },
    { ApiError::Cancelled, u"cancelled" },
    { ApiError::LocalProblem, u"local_problem" },
} } };

} // namespace

QString errorName(ApiError error)
{
    const QString name = kNames.name(error);
    return name.isEmpty() ? u"unknown"_s : name;
}

std::optional<ApiError> errorFromName(const QString &name)
{
    if (name.isEmpty())
        return ApiError::None;
    return kNames.value(name);
}

bool isTokenProblem(ApiError error)
{
    return error == ApiError::BadToken || error == ApiError::NotAllowed;
}

QList<ApiError> requeuedErrors()
{
    return { ApiError::ServerError, ApiError::BadToken, ApiError::NotAllowed,
             ApiError::Redirect,    ApiError::Tls,      ApiError::BadResponse,
             ApiError::Timeout,     ApiError::Network,  ApiError::Throttled };
}

} // namespace cdesk
