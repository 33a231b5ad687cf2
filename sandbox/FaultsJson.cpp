#include "FaultsJson.h"

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

QJsonObject faultsToJson(const Faults &f)
{
    return QJsonObject {
        { u"latency_ms"_s, f.latencyMs },
        { u"error_rate"_s, f.errorRate },
        { u"error_next"_s, f.errorNext },
        { u"throttle_per_second"_s, f.throttlePerSecond },
        { u"drop_after_commit_rate"_s, f.dropAfterCommitRate },
        { u"drop_after_commit_next"_s, f.dropAfterCommitNext },
        { u"redirect_to"_s, f.redirectTo.toString() },
        { u"next_origin"_s, f.nextOrigin.toString() },
        { u"throttle_next"_s, f.throttleNext },
        { u"error_status"_s, f.errorStatus },
        { u"list_shape"_s, f.listShape },
        { u"auth_failure_status"_s, f.authFailureStatus },
        { u"too_large_style"_s, f.tooLargeStyle },
    };
}

bool applyFaultsJson(const QJsonObject &patch, Faults *faults, QString *error)
{
    Faults f = *faults;
    static const QStringList known = { u"latency_ms"_s,
                                       u"error_rate"_s,
                                       u"error_next"_s,
                                       u"throttle_per_second"_s,
                                       u"drop_after_commit_rate"_s,
                                       u"drop_after_commit_next"_s,
                                       u"redirect_to"_s,
                                       u"next_origin"_s,
                                       u"list_shape"_s,
                                       u"throttle_next"_s,
                                       u"error_status"_s,
                                       u"auth_failure_status"_s,
                                       u"too_large_style"_s };
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (!known.contains(it.key())) {
            *error = u"Unknown fault knob \"%1\"."_s.arg(it.key());
            return false;
        }
    }
    auto count = [&](const QString &key, int *target, int max) {
        if (!patch.contains(key))
            return true;
        const QJsonValue v = patch.value(key);
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 0 || d > max || d != double(int(d))) {
            *error = u"%1 must be a whole number from 0 to %2."_s.arg(key).arg(max);
            return false;
        }
        *target = int(d);
        return true;
    };
    auto rate = [&](const QString &key, double *target) {
        if (!patch.contains(key))
            return true;
        const QJsonValue v = patch.value(key);
        if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 1) {
            *error = u"%1 must be a number from 0 to 1."_s.arg(key);
            return false;
        }
        *target = v.toDouble();
        return true;
    };
    if (!count(u"latency_ms"_s, &f.latencyMs, 600000) || !rate(u"error_rate"_s, &f.errorRate)
        || !count(u"error_next"_s, &f.errorNext, 1000000)
        || !count(u"throttle_per_second"_s, &f.throttlePerSecond, 1000000)
        || !rate(u"drop_after_commit_rate"_s, &f.dropAfterCommitRate)
        || !count(u"drop_after_commit_next"_s, &f.dropAfterCommitNext, 1000000))
        return false;
    auto origin = [&](const QString &key, QUrl *target) {
        if (!patch.contains(key))
            return true;
        const QJsonValue v = patch.value(key);
        const QString text = v.isNull() ? QString() : v.toString();
        const QUrl url(text, QUrl::StrictMode);
        if (!v.isNull() && !v.isString()) {
            *error = u"%1 must be a URL or an empty string."_s.arg(key);
            return false;
        }
        if (!text.isEmpty()
            && (!url.isValid() || url.host().isEmpty()
                || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))) {
            *error = u"%1 must be an absolute http or https URL."_s.arg(key);
            return false;
        }
        *target = text.isEmpty() ? QUrl() : url;
        return true;
    };
    if (!origin(u"redirect_to"_s, &f.redirectTo) || !origin(u"next_origin"_s, &f.nextOrigin))
        return false;
    auto choice = [&](const QString &key, QString *target, const QStringList &allowed) {
        if (!patch.contains(key))
            return true;
        const QString value = patch.value(key).toString();
        if (!allowed.contains(value)) {
            *error = u"%1 must be one of: %2."_s.arg(key, allowed.join(u", "_s));
            return false;
        }
        *target = value;
        return true;
    };
    if (!choice(u"list_shape"_s, &f.listShape, { u"page"_s, u"cursor"_s, u"array"_s })
        || !choice(u"too_large_style"_s, &f.tooLargeStyle, { u"json"_s, u"nginx"_s, u"django"_s }))
        return false;
    if (!count(u"throttle_next"_s, &f.throttleNext, 1000000))
        return false;
    if (patch.contains(u"error_status"_s)) {
        const int status = patch.value(u"error_status"_s).toInt();
        if (status != 500 && status != 502 && status != 503 && status != 504) {
            *error = u"error_status must be 500, 502, 503 or 504."_s;
            return false;
        }
        f.errorStatus = status;
    }
    if (patch.contains(u"auth_failure_status"_s)) {
        const int status = patch.value(u"auth_failure_status"_s).toInt();
        if (status != 401 && status != 403) {
            *error = u"auth_failure_status must be 401 or 403."_s;
            return false;
        }
        f.authFailureStatus = status;
    }
    *faults = f;
    return true;
}

} // namespace cdesk::sandbox
