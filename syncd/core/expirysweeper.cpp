// SPDX-License-Identifier: Apache-2.0
#include "core/expirysweeper.h"

#include "core/corelog.h"
#include "core/notificationservice.h"

#include <QDateTime>

#include <algorithm>
#include <climits>

namespace herald::syncd {

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

ExpirySweeper::ExpirySweeper(NotificationService &service, QObject *parent)
    : QObject(parent), m_service(service)
{
    m_timer.setSingleShot(true);
    // Expiry is to the millisecond; a coarse timer could fire a second late.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ExpirySweeper::sweep);
    connect(&service, &NotificationService::expiryStored, this, &ExpirySweeper::expiresAt);
}

void ExpirySweeper::start()
{
    sleepUntil(nowMs());
}

void ExpirySweeper::expiresAt(qint64 ms)
{
    // A round under way plans its next wakeup when it ends; its view of the store may predate
    // this notification, so it is kept for then.
    if (m_sweeping)
        m_heardDuringRoundMs = std::min(m_heardDuringRoundMs, ms);
    else if (ms < m_wakeAtMs)
        sleepUntil(ms);
}

void ExpirySweeper::sweep()
{
    m_sweeping = true;
    m_heardDuringRoundMs = LLONG_MAX;
    m_service.purgeExpired(RoundSize, this, [this](Result<ExpiredPurge> purged) {
        m_sweeping = false;
        if (!purged) {
            qCWarning(lcCore).noquote()
                << "removing expired notifications failed:" << purged.error().message;
            return sleepUntil(std::min(m_heardDuringRoundMs, nowMs() + RetryMs));
        }
        if (!purged->removed.isEmpty())
            qCInfo(lcCore) << "removed" << purged->removed.size() << "expired notifications";
        if (purged->more)
            return sleepUntil(nowMs());
        sleepUntil(std::min({purged->nextExpiryMs.value_or(LLONG_MAX), m_heardDuringRoundMs,
                             nowMs() + MaxSleepMs}));
    });
}

void ExpirySweeper::sleepUntil(qint64 ms)
{
    m_wakeAtMs = ms;
    m_timer.start(int(std::clamp<qint64>(ms - nowMs(), 0, MaxSleepMs)));
}

} // namespace herald::syncd
