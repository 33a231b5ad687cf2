#pragma once

#include "Reply.h"

class QHttpServerRequest;

namespace cdesk::sandbox {

class Pagination;
class SandboxStore;

// GET jobs/ (status and search filters, paginated) and GET jobs/<id>/.
class JobHandlers
{
public:
    JobHandlers(SandboxStore &store, const Pagination &pagination);

    Reply list(const QHttpServerRequest &request) const;
    Reply get(qint64 id) const;

private:
    SandboxStore &m_store;
    const Pagination &m_pagination;
};

} // namespace cdesk::sandbox
