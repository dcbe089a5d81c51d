// SPDX-License-Identifier: Apache-2.0
#include "http/answerflusher.h"

#include "http/httpconnection.h"

namespace herald::syncd {

void AnswerFlusher::schedule(HttpConnection *connection)
{
    m_waiting.emplace_back(connection);
    if (m_posted)
        return;
    m_posted = true;
    QMetaObject::invokeMethod(this, &AnswerFlusher::flushAll, Qt::QueuedConnection);
}

void AnswerFlusher::flushAll()
{
    m_posted = false;
    std::vector<QPointer<HttpConnection>> waiting;
    waiting.swap(m_waiting);
    for (const QPointer<HttpConnection> &connection : waiting) {
        if (connection)
            connection->flushAnswers();
    }
}

} // namespace herald::syncd
