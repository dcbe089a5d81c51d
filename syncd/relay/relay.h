// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "core/peeroutlet.h"
#include "relay/peermessages.h"
#include "relay/resumeexchange.h"
#include "store/relayrecord.h"
#include "util/recentids.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

class QTcpSocket;
class QWebSocket;

namespace herald::syncd {

class FanOut;
class PeerDialer;
class PeerLink;
class PeerPipe;
class SqlStore;
class StoreThread;
class WebSocketTakeover;
struct Metrics;

// One peer link as /metrics and /healthz show it.
struct PeerStatus
{
    QString name;      // the URL dialled, or the address of a peer that dialled in
    QString direction; // "outbound", "inbound"
    int node = -1;     // -1 before the hello
    QString state;     // "connecting", "hello", "syncing", "live"
    qint64 lagRecords = 0;
    double lagSeconds = 0;
    qint64 queued = 0;
};

// The peer relay: keeps this node's store and clients in step with the other nodes of the
// cluster, with no broker. It lives on a thread of its own (the composition root moves it
// there once); start() and stop() run on that thread, the other public methods may be called
// from any thread.
//
// What it holds: per origin node, the highest sequence taken in or being taken in (`held`).
// A record from a peer is applied only when it is the next one of its origin, so a record that
// comes over several links is taken in once and never travels on. Everything taken in, here
// or from a peer, reaches the store's sink after its commit; from there it goes to this node's
// clients (records from peers) and on to every other link.
class Relay : public QObject, public PeerOutlet
{
    Q_OBJECT
public:
    // Inbound connections held before their peerHello is accepted (handshakes included); a
    // new one past this closes the oldest link still waiting for its peerHello.
    static constexpr int MaxUnauthenticatedInbound = 16;

    Relay(const Config &config, StoreThread &store, FanOut &fanOut, Metrics &metrics);
    ~Relay() override;

    // Relay thread. Asks the store what it holds (and to report every commit from then on);
    // with the answer, dials the configured peers and emits ready(). Returns at once.
    void start();
    // Relay thread. Closes every link (1001) and stops dialling.
    void stop();

    bool enabled() const { return !m_config.clusterSecret.isEmpty(); }

    // A connection that another node opened on the peer path, its upgrade request still
    // unread: it becomes an inbound link. Any thread.
    void adoptInbound(qintptr descriptor);
    // Records committed by the store (its sink); called on the store's thread.
    void committed(QList<AcceptedRecord> records);

    // PeerOutlet
    bool isClustered() const override { return enabled(); }
    void relayTransient(const QList<Notification> &notifications) override;
    void relayDrop(const QString &user) override;
    bool askResume(const ResumeAsk &ask) override;
    QList<int> knownNodes() const override;
    QHash<int, qint64> lastLinkedMs() const override;
    // Before start(): the core's part of other nodes' resumes.
    void setResumeWitness(ResumeWitness *witness) { m_resumes.setWitness(witness); }
    // Before start(): what the core does with records from peers in the operation that stores
    // them, on the store's thread (digest items of notifications stored here); its failure
    // takes the records back out.
    using ArrivalWork =
        std::function<Result<void>(SqlStore &store, const QList<AcceptedRecord> &accepted)>;
    void setArrivalWork(ArrivalWork work) { m_arrived = std::move(work); }

    QList<PeerStatus> status() const;

    // --- for PeerLink, on the relay's thread
    PeerHello hello() const;
    QString admit(const PeerHello &hello) const; // why the peer is refused; empty: welcome
    HaveVector held() const { return m_held; }
    void receiveRecords(PeerLink &link, QList<RelayRecord> records);
    void receiveTransient(PeerLink &link, QList<Notification> notifications);
    void receiveDrop(PeerLink &link, const PeerDrop &drop);
    void countSent(qsizetype records);
    ResumeExchange &resumes() { return m_resumes; }

Q_SIGNALS:
    // start() is done: links are being dialled and accepted.
    void ready();

private:
    void startLinks();
    void onInboundConnection(qintptr descriptor);
    void onInboundSocket(QWebSocket *socket, QTcpSocket *tcp);
    PeerLink *addLink(int direction, const QString &name);
    void connectPipe(PeerLink *link, PeerPipe *pipe);
    void onCommitted(const QList<AcceptedRecord> &records);
    void onApplyFailed(const Error &error);
    void onLinkClosed(int linkId);
    void tick();
    void publishStatus();

    const Config &m_config;
    StoreThread &m_store;
    FanOut &m_fanOut;
    Metrics &m_metrics;
    QTimer *m_ticker = nullptr;
    WebSocketTakeover *m_acceptor = nullptr; // inbound links' handshakes
    QList<qintptr> m_earlyInbound;           // peers that came before start() had read the store
    bool m_stopped = false;
    HaveVector m_held;     // taken in or being taken in, per origin
    HaveVector m_accepted; // committed, per origin
    QHash<int, PeerLink *> m_links;
    ResumeExchange m_resumes;
    std::vector<PeerDialer *> m_dialers;
    RecentIds m_transientSeen{50'000};
    RecentIds m_dropsSeen{1'000};
    int m_nextLinkId = 1;
    ArrivalWork m_arrived;
    mutable QMutex m_statusMutex;
    QList<PeerStatus> m_status;
    QList<int> m_knownNodes;
    QList<int> m_liveNodes;            // with a live link now
    QHash<int, qint64> m_lastLinkedMs; // when each node was last seen on a live link
};

} // namespace herald::syncd
