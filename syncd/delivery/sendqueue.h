// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "delivery/sendrequest.h"

#include <QHash>
#include <QString>

#include <deque>
#include <optional>

namespace herald::syncd {

// Which waiting request goes on the wire next: first come, first served, with at most
// maxConcurrent requests running in all and maxPerEndpoint to one endpoint. A full endpoint
// does not hold up the others: its requests wait while later ones to other endpoints start,
// so one slow receiver cannot stall every webhook. Not thread-safe (HttpSender's thread).
class SendQueue
{
public:
    SendQueue(int maxConcurrent, int maxPerEndpoint); // each at least 1

    void push(SendRequest request);
    // The oldest request that may start now, counted as running from here on; nullopt when
    // none may.
    std::optional<SendRequest> takeNext();
    // A running request to `endpoint` ended: its slot is free again.
    void release(const QString &endpoint);

    int waiting() const { return m_waiting; }
    int running() const { return m_running; }

private:
    struct Entry
    {
        quint64 sequence;
        SendRequest request;
    };
    struct Endpoint
    {
        std::deque<Entry> waiting;
        int running = 0;
    };

    QHash<QString, Endpoint> m_endpoints; // only endpoints with something waiting or running
    quint64 m_nextSequence = 0;
    int m_waiting = 0;
    int m_running = 0;
    int m_maxConcurrent;
    int m_maxPerEndpoint;
};

} // namespace herald::syncd
