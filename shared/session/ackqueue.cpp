// SPDX-License-Identifier: Apache-2.0
#include "ackqueue.h"

#include "protocol/validator.h"

#include <algorithm>

namespace herald {

bool AckQueue::add(NotificationId id)
{
    if (!Validator::isValidId(id))
        return false;
    m_pending.insert(id);
    return true;
}

QList<QList<NotificationId>> AckQueue::takeFrames(int idsPerFrame)
{
    const qsizetype perFrame = std::max(idsPerFrame, 1);
    QList<QList<NotificationId>> frames;
    while (!m_pending.empty()) {
        QList<NotificationId> frame;
        auto it = m_pending.begin();
        while (it != m_pending.end() && frame.size() < perFrame) {
            frame.append(*it);
            m_unconfirmed.insert(*it);
            it = m_pending.erase(it);
        }
        frames.append(frame);
    }
    while (m_unconfirmed.size() > MaxUnconfirmed)
        m_unconfirmed.erase(m_unconfirmed.begin());
    return frames;
}

void AckQueue::confirmed(const QList<NotificationId> &ids)
{
    for (NotificationId id : ids) {
        m_unconfirmed.erase(id);
        m_pending.erase(id); // another device was quicker
    }
}

void AckQueue::requeueUnconfirmed()
{
    m_pending.merge(m_unconfirmed);
    m_unconfirmed.clear();
}

} // namespace herald
