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
                                       u"redirect_to"_s };
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
    if (patch.contains(u"redirect_to"_s)) {
        const QJsonValue v = patch.value(u"redirect_to"_s);
        const QString text = v.isNull() ? QString() : v.toString();
        const QUrl url(text, QUrl::StrictMode);
        if (!v.isNull() && !v.isString()) {
            *error = u"redirect_to must be a URL or an empty string."_s;
            return false;
        }
        if (!text.isEmpty() && (!url.isValid() || url.host().isEmpty())) {
            *error = u"redirect_to must be an absolute http or https URL."_s;
            return false;
        }
        f.redirectTo = text.isEmpty() ? QUrl() : url;
    }
    *faults = f;
    return true;
}

} // namespace cdesk::sandbox
