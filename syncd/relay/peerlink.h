// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "relay/peermessages.h"

#include <QElapsedTimer>
#include <QObject>

namespace herald::syncd {

class Relay;
class StoreThread;

// One connection to another node, on the relay's thread: the hello, then serving what the
// peer lacks from the store in batches (the next batch only once the peer says it took in
// the last), then live records as this node takes them in. What the peer has not confirmed
// is bounded, and so is what it has not read (PeerPipe::MaxUnsentBytes); past either bound
// the link is dropped with 1013, and the next connection resyncs it from the store
// (transient notifications the peer missed meanwhile are not resent). What the peer sends is
// bounded too: while MaxBatchesAtStore of its record batches wait at the store, the link
// reads nothing more from it. The socket itself is a PeerPipe, reached through this
// object's signals.
class PeerLink : public QObject
{
    Q_OBJECT
public:
    enum class Direction
    {
        Inbound, // the peer dialled this node
        Outbound
    };
    enum class State
    {
        Hello,   // waiting for the peer's peerHello
        Syncing, // sending the peer what it lacks from the store
        Live,    // sending records as they come
        Closed
    };

    static constexpr int SyncBatchRecords = 500;
    static constexpr qint64 MaxUnconfirmedRecords = 50'000;
    static constexpr int MaxBatchesAtStore = 4;

    PeerLink(int id, Direction direction, QString name, Relay &relay, StoreThread &store);

    int id() const { return m_id; }
    int peerNode() const { return m_peerNode; }
    State state() const { return m_state; }
    Direction direction() const { return m_direction; }
    QString name() const { return m_name; }
    // Records sent but not confirmed, and since when the peer has been behind (ms since the
    // epoch, 0 when caught up).
    qint64 unconfirmed() const;
    qint64 behindSinceMs() const { return m_behindSinceMs; }
    qint64 queued() const { return m_queue.size(); }
    // Not counted while the link does not read (its batches are at the store).
    qint64 silentForMs() const { return readingPaused() ? 0 : m_lastHeard.elapsed(); }
    bool readingPaused() const { return m_batchesAtStore >= MaxBatchesAtStore; }
    qint64 ageMs() const { return m_age.elapsed(); }

    void sendHello(); // outbound links speak first
    // Records this node has just taken in; sent unless the peer has them.
    void forward(const QList<AcceptedRecord> &records);
    void forwardTransient(const QList<Notification> &notifications);
    // A flooded frame (drop, resumeAsk, resumeAnswer): live only, never resent.
    void forwardFlooded(const PeerMessage &message);
    // Tells the peer what this node holds; as an answer to records, and as a heartbeat.
    void sendHave(const HaveVector &have);
    // Asks the peer to send again from `have` (after a gap).
    void sendSync(const HaveVector &have);
    void close(int code, const QString &reason);
    // A batch of records from the peer went to the store / came back from it (Relay).
    void batchToStore();
    void batchStored();

    void onFrame(const QString &frame);
    void onPipeClosed();
    void onPipeOverrun(qint64 unsentBytes);

Q_SIGNALS:
    void sendRequested(const QString &frame);
    void closeRequested(int code, const QString &reason);
    void admitted(); // the peer's peerHello was accepted
    void pauseRequested();
    void resumeRequested();
    void closed(int linkId);

private:
    void send(const PeerMessage &message);
    void onHello(const PeerHello &hello);
    void onSync(const HaveVector &have);
    void onHave(const HaveVector &have);
    void readNextBatch();
    void onBatch(QList<RelayRecord> records);
    void goLive();
    bool peerLacks(const RelayRecord &record) const;
    void sendRecords(QList<RelayRecord> records);
    void updateBehind();

    const int m_id;
    const Direction m_direction;
    QString m_name;
    Relay &m_relay;
    StoreThread &m_store;
    State m_state = State::Hello;
    int m_peerNode = -1;
    HaveVector m_peerHas;       // what the peer said it holds
    HaveVector m_sent;          // per origin, the highest sequence sent over this link
    QList<RelayRecord> m_queue; // live records that came while syncing
    bool m_batchInFlight = false;
    bool m_awaitingConfirmation = false;
    quint64 m_syncGeneration = 0; // a new sync request makes older batches void
    qint64 m_behindSinceMs = 0;
    int m_batchesAtStore = 0;
    QElapsedTimer m_lastHeard;
    QElapsedTimer m_age;
};

} // namespace herald::syncd
