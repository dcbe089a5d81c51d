#pragma once

#include <QtGlobal>

#include <atomic>

namespace herald::syncd {

// How many WebSocket sessions this node holds, against its cap: every event loop reserves a
// place before it takes a session and gives it back when the session ends. Thread-safe.
class SessionQuota
{
public:
    explicit SessionQuota(qint64 cap) : m_cap(cap) {}

    bool reserve() // false past the cap
    {
        if (m_used.fetch_add(1) >= m_cap) {
            m_used.fetch_sub(1);
            return false;
        }
        return true;
    }
    void release() { m_used.fetch_sub(1); }
    qint64 used() const { return m_used.load(); }

private:
    const qint64 m_cap;
    std::atomic<qint64> m_used{0};
};

} // namespace herald::syncd
