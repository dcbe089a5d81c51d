// SPDX-License-Identifier: Apache-2.0
#include "core/resumebook.h"

#include <QStringList>

#include <algorithm>

namespace herald::syncd {

QString ResumeBook::deviceKey(const QString &user, const QString &clientId)
{
    // A user name has no NUL, so the pair cannot collide with another.
    return user + QChar(u'\0') + clientId;
}

size_t ResumeBook::channelsKey(const QSet<QString> &channelKeys)
{
    QStringList sorted(channelKeys.cbegin(), channelKeys.cend());
    std::sort(sorted.begin(), sorted.end());
    return qHash(sorted.join(QChar(u'\n')), size_t(0x6865726c));
}

void ResumeBook::sessionLive(const QString &user, const QString &clientId, qint64 from,
                             size_t channels, HandedOn handedOn)
{
    put(user, clientId, {from, from, channels}, std::move(handedOn));
}

void ResumeBook::sessionEnded(const QString &user, const QString &clientId, const LiveRange &range)
{
    put(user, clientId, range, nullptr);
}

void ResumeBook::put(const QString &user, const QString &clientId, const LiveRange &range,
                     HandedOn openOn)
{
    QMutexLocker lock(&m_mutex);
    const QString key = deviceKey(user, clientId);
    const auto existing = m_ranges.constFind(key);
    if (existing != m_ranges.cend() && existing->range.from > range.from)
        return;
    const quint64 generation = ++m_generation;
    m_ranges.insert(key, Entry{range, std::move(openOn), generation});
    m_age.emplace_back(key, generation);
    while (m_ranges.size() > m_capacity && !m_age.empty()) {
        const auto [oldest, itsGeneration] = m_age.front();
        m_age.pop_front();
        const auto entry = m_ranges.constFind(oldest);
        if (entry != m_ranges.cend() && entry->generation == itsGeneration)
            m_ranges.erase(entry);
    }
    // Pairs of devices that ended again or were taken pile up only until this bound.
    if (qsizetype(m_age.size()) > 2 * std::max<qsizetype>(m_capacity, m_ranges.size())) {
        std::erase_if(m_age, [this](const std::pair<QString, quint64> &pair) {
            const auto entry = m_ranges.constFind(pair.first);
            return entry == m_ranges.cend() || entry->generation != pair.second;
        });
    }
}

std::optional<ResumeBook::LiveRange> ResumeBook::take(const QString &user, const QString &clientId)
{
    QMutexLocker lock(&m_mutex);
    const auto entry = m_ranges.constFind(deviceKey(user, clientId));
    if (entry == m_ranges.cend())
        return std::nullopt;
    LiveRange range = entry->range;
    if (entry->openOn)
        range.upTo = entry->openOn->load(std::memory_order_acquire);
    m_ranges.erase(entry);
    return range;
}

} // namespace herald::syncd
