// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/endofturn.h"

#include <QPointer>

#include <vector>

namespace herald::syncd {

class HttpConnection;

// Sends the answers HTTP connections made during one turn of the front's event loop at the
// end of that turn, each connection's in one write straight to the kernel. Written at once,
// each answer woke its client while the front still had requests of the same turn to read
// (measured slower); left to QTcpSocket, each cost a write notifier switched on and off, and
// with it two wakeups of the event loop.
class AnswerFlusher
{
public:
    // `connection`'s flushAnswers() runs at the end of this turn (the connection asks once).
    void schedule(HttpConnection *connection);

private:
    void flushAll();

    std::vector<QPointer<HttpConnection>> m_waiting;
    EndOfTurn m_endOfTurn{[this] { flushAll(); }};
};

} // namespace herald::syncd
