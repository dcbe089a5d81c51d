// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "limits/addresskey.h"
#include "limits/connectionslots.h"

#include <QMutex>

namespace herald::syncd {

// Whom a WebSocket session counts against: its client's address, and whether the per-address
// cap applies (not to a trusted proxy that named no client; see HttpRequest::clientCappable).
struct SessionOrigin
{
    AddressKey address;
    bool capped = true;
};

// How many WebSocket sessions this node holds, in all and per client address, against their
// caps (0: none): every event loop reserves a place before it takes a session and gives it
// back when the session ends. Reserved on one worker, given back on it too, but counted across
// all of them: so it locks (once per session opened and closed).
class SessionQuota
{
public:
    SessionQuota(int cap, int perAddressCap) : m_slots(cap, perAddressCap) {}

    ConnectionSlots::Verdict reserve(const SessionOrigin &origin)
    {
        QMutexLocker lock(&m_mutex);
        return m_slots.admit(origin.address, origin.capped);
    }
    void release(const SessionOrigin &origin)
    {
        QMutexLocker lock(&m_mutex);
        m_slots.release(origin.address);
    }
    qint64 used() const
    {
        QMutexLocker lock(&m_mutex);
        return m_slots.open();
    }
    int perAddressCap() const { return m_slots.maxPerAddress(); }

private:
    mutable QMutex m_mutex;
    ConnectionSlots m_slots;
};

} // namespace herald::syncd
