// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "session/connectionloss.h"
#include "util/backoff.h"

#include <QList>
#include <QUrl>

#include <chrono>

namespace herald {

// Which server a SyncSession tries next, and after how long. The servers are tried in the
// order given, wrapping around; the delay between attempts grows with Backoff (full jitter).
// After a loss the next attempt goes to the next server when the attempt failed (never
// registered), the server went away (close 1001) or asked us to come back later; a
// registered session that merely dropped tries its server again first. "Come back later"
// makes the delay at least half the maximum. Only a session that worked
// (connectionWorked()) starts the backoff over.
//
// A plain value type, not thread-safe; the random source is called on the caller's thread.
class ServerFailover
{
public:
    ServerFailover(QList<QUrl> servers, std::chrono::milliseconds backoffMin,
                   std::chrono::milliseconds backoffMax);

    // New servers and backoff bounds (a new configuration). The backoff starts over with the
    // random source kept; the position in the list is kept while the new list is long enough,
    // otherwise it goes back to the first server.
    void reconfigure(QList<QUrl> servers, std::chrono::milliseconds backoffMin,
                     std::chrono::milliseconds backoffMax);
    // See Backoff::RandomSource; kept across reconfigure().
    void setRandomSource(Backoff::RandomSource random);

    bool isEmpty() const { return m_servers.isEmpty(); }
    // The server of the current or next attempt; an empty URL when there is none.
    QUrl current() const { return m_servers.value(m_index); }

    // Back to the first server and the shortest delay.
    void restart();
    // The session reached Live: the next loss waits from the backoff's minimum again.
    void connectionWorked() { m_backoff.reset(); }
    // A connection or attempt to current() ended with closeCode: moves on as described above
    // and returns the delay before the next attempt.
    std::chrono::milliseconds connectionLost(bool wasRegistered, int closeCode,
                                             ConnectionLoss loss);

private:
    QList<QUrl> m_servers;
    qsizetype m_index = 0;
    Backoff::RandomSource m_random;
    Backoff m_backoff;
};

} // namespace herald
