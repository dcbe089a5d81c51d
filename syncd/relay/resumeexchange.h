// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/peerresume.h"
#include "relay/peermessages.h"
#include "util/recentids.h"

#include <QHash>

#include <atomic>

namespace herald::syncd {

class PeerLink;

// Carries resume asks and answers between nodes (core/RemoteResume): an ask is flooded to
// every node this one reaches, through others too (a cluster need not be a full mesh); each
// node whose core can tell answers, and the answer is flooded back until it reaches the
// asker. Each node passes an ask or an answer on once. Relay thread, except where noted.
class ResumeExchange
{
public:
    ResumeExchange(int node, const QHash<int, PeerLink *> &links) : m_node(node), m_links(links) {}

    // Before the relay starts: who answers this node's part.
    void setWitness(ResumeWitness *witness) { m_witness = witness; }

    // Whether a link is live now, so that an ask may be answered. Any thread.
    bool anyLinkLive() const { return m_liveLinks.load() > 0; }
    void setLiveLinks(int live) { m_liveLinks.store(live); }

    void ask(const ResumeAsk &ask);
    void receiveAsk(PeerLink &from, const ResumeAsk &ask);
    void receiveAnswer(PeerLink &from, const ResumeAnswer &answer);

private:
    void flood(const PeerMessage &message, const PeerLink *except);
    static NotificationId answerKey(const ResumeAnswer &answer)
    {
        return answer.id * 64 + answer.answerer;
    }

    const int m_node;
    const QHash<int, PeerLink *> &m_links;
    ResumeWitness *m_witness = nullptr;
    std::atomic<int> m_liveLinks{0};
    RecentIds m_asksSeen{1'000};
    RecentIds m_answersSeen{1'000};
};

} // namespace herald::syncd
