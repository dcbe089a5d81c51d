// SPDX-License-Identifier: Apache-2.0
#include "rollupburst.h"

#include "model/modellog.h"

#include <QTimer>

#include <algorithm>

namespace herald::client {

RollupBurst::RollupBurst(QObject *parent) : QObject(parent) {}

RollupBurst::~RollupBurst() = default;

void RollupBurst::setWindows(int quietMs, int longestMs)
{
    m_quietMs = quietMs;
    m_longestMs = longestMs;
}

bool RollupBurst::offer(const Notification &notification)
{
    const auto rule = std::find_if(m_rules.cbegin(), m_rules.cend(),
                                   [&](const RollupRule &r) { return r.matches(notification); });
    if (rule == m_rules.cend())
        return false;
    const QString value = rule->groupValue(notification);
    auto it = std::find_if(m_bursts.begin(), m_bursts.end(), [&](const auto &b) {
        return b->rule == rule->name && b->value == value;
    });
    Burst *burst = nullptr;
    if (it == m_bursts.end()) {
        auto fresh = std::make_unique<Burst>();
        fresh->rule = rule->name;
        fresh->value = value;
        fresh->maxSize = rule->maxSize;
        fresh->longest = QDeadlineTimer(m_longestMs);
        fresh->timer = new QTimer(this);
        fresh->timer->setSingleShot(true);
        burst = fresh.get();
        connect(fresh->timer, &QTimer::timeout, this, [this, burst] { flush(burst); });
        m_bursts.push_back(std::move(fresh));
    } else {
        burst = it->get();
    }
    burst->notifications.append(notification);
    if (burst->notifications.size() >= burst->maxSize) {
        flush(burst);
        return true;
    }
    const qint64 left = std::max<qint64>(0, burst->longest.remainingTime());
    burst->timer->start(int(std::min<qint64>(m_quietMs, left)));
    return true;
}

void RollupBurst::remove(const QList<NotificationId> &ids)
{
    for (const auto &burst : m_bursts) {
        burst->notifications.removeIf([&](const Notification &n) { return ids.contains(n.id); });
    }
}

void RollupBurst::flush(Burst *burst)
{
    const auto it = std::find_if(m_bursts.begin(), m_bursts.end(),
                                 [&](const auto &b) { return b.get() == burst; });
    if (it == m_bursts.end())
        return;
    std::unique_ptr<Burst> done = std::move(*it);
    m_bursts.erase(it);
    done->timer->deleteLater(); // we may be in its timeout
    if (done->notifications.isEmpty())
        return;
    PopupGroup group;
    group.application = done->notifications.first().application;
    group.channel = done->notifications.last().channel;
    group.notifications = done->notifications;
    std::sort(group.notifications.begin(), group.notifications.end(),
              [](const Notification &a, const Notification &b) { return a.id < b.id; });
    group.summary = group.notifications.size() > 1;
    qCInfo(lcModel) << "burst of" << group.notifications.size() << "for rollup rule" << done->rule;
    Q_EMIT ready(group, done->rule);
}

} // namespace herald::client
