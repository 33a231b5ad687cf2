#pragma once

#include "Reply.h"

#include <QUrl>
#include <QUrlQuery>

#include <optional>

class QHttpServerRequest;
class QJsonArray;

namespace cdesk::sandbox {

class FaultInjector;

// Query parameters decoded as a form would be: "+" is a space, as Django reads them.
QUrlQuery formQuery(const QHttpServerRequest &request);

// The three list shapes of real deployments (the list_shape knob): DRF's page
// pagination (count, next, previous), cursor pagination (no count), and a
// plain array. Links are absolute, on the sandbox's own origin (or the
// next_origin knob's), whatever Host the client sent.
class Pagination
{
public:
    struct Page
    {
        qint64 number = 1;
        int size = 50;
        qint64 last = 1;
        qint64 offset() const { return (number - 1) * size; }
    };

    Pagination(const FaultInjector &faults, QUrl origin);

    // Reads page_size and page (or cursor) for a list of `total` items; an
    // answer when the page asked for does not exist.
    std::optional<Reply> readPage(const QHttpServerRequest &request, qint64 total,
                                  Page *page) const;
    // The list's answer: one page of results in the shape the knob says.
    Reply answer(const QHttpServerRequest &request, qint64 total, const Page &page,
                 const QJsonArray &results) const;

private:
    const FaultInjector &m_faults;
    QUrl m_origin;
};

} // namespace cdesk::sandbox
