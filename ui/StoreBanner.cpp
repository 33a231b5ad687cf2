#include "StoreBanner.h"

#include "store/StoreStatus.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace cdesk {

StoreBanner::StoreBanner(StoreStatus *status, QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel)
    , m_retry(new QPushButton(tr("Try again")))
{
    setObjectName(u"storeBanner"_s);
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(u"QFrame#storeBanner { background: #fef2f2; border: 1px solid #b91c1c; }"
                  " QFrame#storeBanner QLabel { color: #7f1d1d; }"_s);
    setAccessibleName(tr("Saving problem"));
    m_text->setObjectName(u"storeBannerText"_s);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retry->setObjectName(u"storeBannerRetry"_s);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry, 0, Qt::AlignTop);
    connect(m_retry, &QPushButton::clicked, this, &StoreBanner::retryRequested);
    connect(status, &StoreStatus::changed, this, &StoreBanner::showProblem);
    showProblem(status->isFailing(), status->problem());
}

QString StoreBanner::text() const
{
    return m_text->text();
}

void StoreBanner::showProblem(bool failing, const QString &problem)
{
    m_text->setText(failing ? tr("Candidate Desk cannot save right now. %1\nWhat you type stays "
                                 "in the form, and nothing already saved is lost.")
                                  .arg(problem)
                            : QString());
    setVisible(failing);
}

} // namespace cdesk
