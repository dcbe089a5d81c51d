// SPDX-License-Identifier: Apache-2.0
#include "http/answerflusher.h"

#include "http/httpconnection.h"

namespace herald::syncd {

void AnswerFlusher::schedule(HttpConnection *connection)
{
    m_waiting.emplace_back(connection);
    m_endOfTurn.request();
}

void AnswerFlusher::flushAll()
{
    std::vector<QPointer<HttpConnection>> waiting;
    waiting.swap(m_waiting);
    for (const QPointer<HttpConnection> &connection : waiting) {
        if (connection)
            connection->flushAnswers();
    }
}

} // namespace herald::syncd
