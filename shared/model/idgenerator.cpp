// SPDX-License-Identifier: Apache-2.0
#include "idgenerator.h"

#include <QDateTime>

namespace herald {

namespace {
constexpr qint64 SequenceMask = (1 << IdGenerator::SequenceBits) - 1;
constexpr int TimeShift = IdGenerator::NodeBits + IdGenerator::SequenceBits;
} // namespace

IdGenerator::IdGenerator(int node) : m_node(node & MaxNode) {}

NotificationId IdGenerator::next()
{
    return next(QDateTime::currentMSecsSinceEpoch());
}

NotificationId IdGenerator::next(qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    qint64 ms = std::max<qint64>(nowMs - Epoch, 1);
    if (ms <= m_lastMs) {
        // Same millisecond, or the clock went back: continue after the last id handed out.
        ms = m_lastMs;
        if (++m_sequence > SequenceMask) {
            ++ms;
            m_sequence = 0;
        }
    } else {
        m_sequence = 0;
    }
    m_lastMs = ms;
    return (ms << TimeShift) | (qint64(m_node) << SequenceBits) | m_sequence;
}

QDateTime IdGenerator::timeOf(NotificationId id)
{
    return QDateTime::fromMSecsSinceEpoch((id >> TimeShift) + Epoch, Qt::UTC);
}

NotificationId IdGenerator::firstIdAt(const QDateTime &time)
{
    return std::max<qint64>(time.toMSecsSinceEpoch() - Epoch, 0) << TimeShift;
}

} // namespace herald
