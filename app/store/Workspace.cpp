#include "Workspace.h"

#include "Database.h"
#include "DraftStore.h"
#include "HistoryStore.h"
#include "JobCache.h"
#include "Outbox.h"
#include "StoreStatus.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace cdesk {

QString Workspace::defaultDataDir(bool sandbox)
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return sandbox ? base + u"/sandbox-workspace"_s : base;
}

Workspace::Workspace(QString dataDir, Clock *clock)
    : m_dataDir(QDir(dataDir).absolutePath())
    , m_clock(clock)
    , m_status(std::make_unique<StoreStatus>())
{
    // While the store cannot be written, a small test write now and then
    // tells when it can again, even if nothing else writes meanwhile.
    QObject::connect(m_status.get(), &StoreStatus::probeRequested, m_status.get(), [this] {
        if (m_db && m_db->isOpen() && !m_db->isReadOnly())
            m_db->probeWrite();
    });
}

Workspace::~Workspace() = default;

bool Workspace::open(QString *error)
{
    if (!QDir().mkpath(m_dataDir)) {
        *error = tr("Cannot create the data folder %1. Check that the disk is not full and that "
                    "you may write there.")
                     .arg(QDir::toNativeSeparators(m_dataDir));
        return false;
    }
    // Candidate data is personal: the folder is the user's alone.
    QFile::setPermissions(m_dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    m_db = std::make_unique<Database>(m_dataDir + u"/candidate-desk.sqlite"_s, m_clock);
    m_db->setStatus(m_status.get());
    if (!m_db->open(error))
        return false;
    // Every damaged file kept aside that was not read back yet: the one just
    // moved, or one an earlier run moved before it could finish the salvage.
    m_salvaged.clear();
    // A folder that cannot be written keeps its kept-aside files for a later
    // open that can bring them back.
    const QStringList keptAside = m_db->isReadOnly() ? QStringList() : Salvage::pending(m_db.get());
    for (const QString &kept : keptAside) {
        // A salvage that cannot be done now does not keep the app from
        // opening: the history still reads, and the next open tries again.
        const SalvageReport report = Salvage::recover(m_db.get(), kept, m_clock);
        if (report.deferred || report.submissions > 0 || report.drafts > 0 || report.unreadable != 0
            || report.keptAs == m_db->recoveredFrom())
            m_salvaged << report;
    }
    m_outbox = std::make_unique<Outbox>(m_db.get(), m_dataDir, m_clock);
    m_history = std::make_unique<HistoryStore>(m_db.get());
    m_drafts = std::make_unique<DraftStore>(m_db.get(), m_clock);
    m_jobs = std::make_unique<JobCache>(m_db.get(), m_clock);
    return true;
}

void Workspace::tidy()
{
    if (m_outbox)
        m_outbox->pruneFiles();
}

QString Workspace::salvageNotice() const
{
    return Salvage::describe(m_salvaged);
}

QString Workspace::recoveredFrom() const
{
    return m_db ? m_db->recoveredFrom() : QString();
}

} // namespace cdesk
