// SPDX-License-Identifier: Apache-2.0
#include "relay/resumeexchange.h"

#include "relay/peerlink.h"
#include "relay/relaylog.h"

namespace herald::syncd {

void ResumeExchange::ask(const ResumeAsk &ask)
{
    m_asksSeen.insert(ask.id);
    flood(ask, nullptr);
}

void ResumeExchange::receiveAsk(PeerLink &from, const ResumeAsk &ask)
{
    if (ask.asker == m_node || !m_asksSeen.insert(ask.id))
        return;
    flood(ask, &from);
    const auto where = m_witness ? m_witness->witness(ask) : std::nullopt;
    if (!where)
        return;
    qCDebug(lcRelay).noquote() << "telling node" << ask.asker << "where" << ask.user << ask.clientId
                               << "stopped";
    const ResumeAnswer answer{ask.id, ask.asker, m_node, *where};
    m_answersSeen.insert(answerKey(answer));
    flood(answer, nullptr);
}

void ResumeExchange::receiveAnswer(PeerLink &from, const ResumeAnswer &answer)
{
    if (!m_answersSeen.insert(answerKey(answer)))
        return;
    if (answer.asker == m_node) {
        if (m_witness)
            m_witness->answered(answer);
        return;
    }
    flood(answer, &from);
}

void ResumeExchange::flood(const PeerMessage &message, const PeerLink *except)
{
    for (PeerLink *link : m_links) {
        if (link != except)
            link->forwardFlooded(message);
    }
}

} // namespace herald::syncd
