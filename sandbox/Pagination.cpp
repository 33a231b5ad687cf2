#include "Pagination.h"

#include "FaultInjector.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace cdesk::sandbox {

QUrlQuery formQuery(const QHttpServerRequest &request)
{
    QString raw = request.url().query(QUrl::FullyEncoded);
    raw.replace(u'+', u"%20"_s);
    return QUrlQuery(raw);
}

Pagination::Pagination(const FaultInjector &faults, QUrl origin)
    : m_faults(faults)
    , m_origin(std::move(origin))
{ }

std::optional<Reply> Pagination::readPage(const QHttpServerRequest &request, qint64 total,
                                          Page *page) const
{
    const Faults &faults = m_faults.faults();
    if (faults.listShape == u"array"_s) {
        // No pagination at all: everything in one plain array, page parameters ignored.
        page->number = 1;
        page->size = int(qMin<qint64>(qMax<qint64>(total, 1), 100000));
        page->last = 1;
        return std::nullopt;
    }
    const QUrlQuery query = formQuery(request);
    page->size = 50;
    if (query.hasQueryItem(u"page_size"_s)) {
        bool ok = false;
        const int requested = query.queryItemValue(u"page_size"_s).toInt(&ok);
        if (ok && requested > 0)
            page->size = qMin(requested, 200); // DRF: max_page_size clamps, a bad size is ignored
    }
    page->last = qMax<qint64>(1, (total + page->size - 1) / page->size);
    // Cursor pagination names its position "cursor"; page pagination "page".
    const QString key = faults.listShape == u"cursor"_s ? u"cursor"_s : u"page"_s;
    const QString value = query.queryItemValue(key, QUrl::FullyDecoded).trimmed();
    page->number = 1;
    if (value == u"last"_s) {
        page->number = page->last;
    } else if (!value.isEmpty()) {
        bool ok = false;
        page->number = value.toLongLong(&ok);
        if (!ok || page->number < 1 || page->number > page->last)
            return Reply::detail(404, u"Invalid page."_s);
    }
    return std::nullopt;
}

Reply Pagination::answer(const QHttpServerRequest &request, qint64 total, const Page &page,
                         const QJsonArray &results) const
{
    const Faults &faults = m_faults.faults();
    if (faults.listShape == u"array"_s)
        return Reply::json(200, results);
    const bool cursor = faults.listShape == u"cursor"_s;
    const QString key = cursor ? u"cursor"_s : u"page"_s;
    auto pageUrl = [&](qint64 number) -> QJsonValue {
        QUrl url = m_origin;
        if (!faults.nextOrigin.isEmpty()) {
            url.setScheme(faults.nextOrigin.scheme());
            url.setHost(faults.nextOrigin.host());
            url.setPort(faults.nextOrigin.port());
        }
        url.setPath(request.url().path());
        QUrlQuery query = formQuery(request);
        query.removeAllQueryItems(key);
        if (number > 1 || cursor)
            query.addQueryItem(key, QString::number(number));
        url.setQuery(query);
        return url.toString(QUrl::FullyEncoded);
    };
    QJsonObject body {
        { u"next"_s, page.number < page.last ? pageUrl(page.number + 1) : QJsonValue() },
        { u"previous"_s, page.number > 1 ? pageUrl(page.number - 1) : QJsonValue() },
        { u"results"_s, results },
    };
    if (!cursor)
        body.insert(u"count"_s, total); // cursor pagination never counts
    return Reply::json(200, body);
}

} // namespace cdesk::sandbox
