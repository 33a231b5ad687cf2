#include "AdminHandlers.h"

#include "FaultInjector.h"
#include "FaultsJson.h"
#include "SandboxClock.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

namespace {

bool isGet(const QHttpServerRequest &request)
{
    return request.method() == QHttpServerRequest::Method::Get;
}

// A PUT's body: the knobs to change, as one JSON object.
std::optional<QJsonObject> patchOf(const QHttpServerRequest &request)
{
    const auto doc = QJsonDocument::fromJson(request.body());
    return doc.isObject() ? std::optional(doc.object()) : std::nullopt;
}

Reply notAPatch()
{
    return Reply::detail(400, u"Send a JSON object."_s);
}

} // namespace

AdminHandlers::AdminHandlers(FaultInjector &faults, SandboxClock &clock)
    : m_faults(faults)
    , m_clock(clock)
{ }

Reply AdminHandlers::faults(const QHttpServerRequest &request)
{
    if (isGet(request))
        return Reply::json(200, faultsToJson(m_faults.faults()));
    const auto patch = patchOf(request);
    if (!patch)
        return notAPatch();
    Faults changed = m_faults.faults();
    QString error;
    if (!applyFaultsJson(*patch, &changed, &error))
        return Reply::detail(400, error);
    m_faults.setFaults(changed);
    return Reply::json(200, faultsToJson(changed));
}

Reply AdminHandlers::clock(const QHttpServerRequest &request)
{
    auto clockJson = [this] {
        return QJsonObject { { u"now"_s, isoTime(m_clock.now()) },
                             { u"frozen"_s, m_clock.frozen.isValid() } };
    };
    if (isGet(request))
        return Reply::json(200, clockJson());
    const auto patch = patchOf(request);
    if (!patch)
        return notAPatch();
    if (patch->contains(u"now"_s)) {
        const QJsonValue v = patch->value(u"now"_s);
        if (v.isNull()) {
            m_clock.frozen = QDateTime();
        } else {
            const auto t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
            if (!t.isValid())
                return Reply::detail(400, u"now must be an RFC 3339 time or null."_s);
            m_clock.frozen = t.toUTC();
        }
    }
    if (patch->contains(u"advance_seconds"_s)) {
        if (!m_clock.frozen.isValid())
            return Reply::detail(400, u"Freeze the clock with \"now\" before advancing it."_s);
        m_clock.frozen = m_clock.frozen.addSecs(patch->value(u"advance_seconds"_s).toInteger());
    }
    return Reply::json(200, clockJson());
}

} // namespace cdesk::sandbox
