// SPDX-License-Identifier: Apache-2.0
#include "relay/peerlink.h"

#include "relay/relay.h"
#include "relay/relaylog.h"
#include "store/storethread.h"

#include <QDateTime>
#include <QPointer>

namespace herald::syncd {

PeerLink::PeerLink(int id, Direction direction, QString name, Relay &relay, StoreThread &store)
    : m_id(id), m_direction(direction), m_name(std::move(name)), m_relay(relay), m_store(store)
{
    m_lastHeard.start();
    m_age.start();
}

qint64 PeerLink::unconfirmed() const
{
    qint64 total = 0;
    for (auto it = m_sent.cbegin(); it != m_sent.cend(); ++it)
        total += std::max<qint64>(0, it.value() - m_peerHas.value(it.key(), 0));
    return total;
}

void PeerLink::send(const PeerMessage &message)
{
    Q_EMIT sendRequested(QString::fromUtf8(PeerCodec::encode(message)));
}

void PeerLink::sendHello()
{
    send(m_relay.hello());
}

void PeerLink::sendHave(const HaveVector &have)
{
    if (m_state != State::Hello && m_state != State::Closed)
        send(PeerHave{have});
}

void PeerLink::sendSync(const HaveVector &have)
{
    if (m_state != State::Hello && m_state != State::Closed)
        send(PeerSync{have});
}

void PeerLink::close(int code, const QString &reason)
{
    if (m_state == State::Closed)
        return;
    qCInfo(lcRelay).noquote() << "link" << m_name << "to node" << m_peerNode
                              << u"closed (%1):"_qs.arg(code) << reason;
    m_state = State::Closed;
    Q_EMIT closeRequested(code, reason);
    Q_EMIT closed(m_id);
}

void PeerLink::batchToStore()
{
    if (++m_batchesAtStore == MaxBatchesAtStore)
        Q_EMIT pauseRequested();
}

void PeerLink::batchStored()
{
    if (m_batchesAtStore-- == MaxBatchesAtStore) {
        m_lastHeard.restart(); // the peer was not heard because it was not listened to
        Q_EMIT resumeRequested();
    }
}

void PeerLink::onPipeOverrun(qint64 unsentBytes)
{
    close(1013, u"peer does not read: %1 bytes unsent; resync later"_qs.arg(unsentBytes));
}

void PeerLink::onPipeClosed()
{
    if (m_state == State::Closed)
        return;
    qCInfo(lcRelay).noquote() << "link" << m_name << "to node" << m_peerNode << "lost";
    m_state = State::Closed;
    Q_EMIT closed(m_id);
}

void PeerLink::onFrame(const QString &frame)
{
    if (m_state == State::Closed)
        return;
    m_lastHeard.restart();
    auto message = PeerCodec::decode(frame.toUtf8());
    if (!message) {
        close(1003, u"peer frame: "_qs + message.error().message);
        return;
    }
    if (auto *hello = std::get_if<PeerHello>(&*message)) {
        if (m_state != State::Hello)
            close(1008, u"peerHello: sent twice"_qs);
        else
            onHello(*hello);
        return;
    }
    if (m_state == State::Hello) {
        close(1008, u"peerHello must come first"_qs);
        return;
    }
    if (auto *sync = std::get_if<PeerSync>(&*message))
        onSync(sync->have);
    else if (auto *have = std::get_if<PeerHave>(&*message))
        onHave(have->have);
    else if (auto *records = std::get_if<PeerRecords>(&*message))
        m_relay.receiveRecords(*this, std::move(records->records));
    else if (auto *transient = std::get_if<PeerTransient>(&*message))
        m_relay.receiveTransient(*this, std::move(transient->notifications));
    else if (auto *drop = std::get_if<PeerDrop>(&*message))
        m_relay.receiveDrop(*this, *drop);
    else if (auto *ask = std::get_if<PeerResumeAsk>(&*message))
        m_relay.resumes().receiveAsk(*this, *ask);
    else if (auto *answer = std::get_if<PeerResumeAnswer>(&*message))
        m_relay.resumes().receiveAnswer(*this, *answer);
}

void PeerLink::onHello(const PeerHello &hello)
{
    if (const QString refused = m_relay.admit(hello); !refused.isEmpty()) {
        qCWarning(lcRelay).noquote() << "peer" << m_name << "refused:" << refused;
        close(1008, refused);
        return;
    }
    m_peerNode = hello.node;
    // Until the peer says what it holds, records that come are kept for it. Syncing before
    // admitted(): the relay's status taken then must count the peer as linked, or a link
    // shorter than a tick is never seen (and its node's silence is dated from too long ago).
    m_state = State::Syncing;
    Q_EMIT admitted();
    if (m_direction == Direction::Inbound)
        sendHello();
    qCInfo(lcRelay).noquote() << "link" << m_name << "to node" << m_peerNode << "up";
    send(PeerSync{m_relay.held()});
}

void PeerLink::onSync(const HaveVector &have)
{
    ++m_syncGeneration;
    m_peerHas = have;
    m_sent = have;
    m_awaitingConfirmation = false;
    if (m_state == State::Live)
        m_queue.clear(); // everything from `have` on comes from the store again
    m_state = State::Syncing;
    updateBehind();
    readNextBatch();
}

void PeerLink::onHave(const HaveVector &have)
{
    qCDebug(lcRelay) << "link" << m_name << "peer has" << have << "sent" << m_sent << "awaiting"
                     << m_awaitingConfirmation;
    for (auto it = have.cbegin(); it != have.cend(); ++it) {
        if (it.value() > m_peerHas.value(it.key(), 0))
            m_peerHas.insert(it.key(), it.value());
    }
    updateBehind();
    if (m_awaitingConfirmation && unconfirmed() == 0) {
        m_awaitingConfirmation = false;
        readNextBatch();
    }
}

void PeerLink::readNextBatch()
{
    const quint64 generation = m_syncGeneration;
    QPointer<PeerLink> self(this);
    m_store.submit<QList<RelayRecord>>(
        [from = m_sent](SqlStore &store) {
            return store.relayRecordsAfter(from, SyncBatchRecords);
        },
        &m_relay,
        [self, generation](Result<QList<RelayRecord>> records) {
            if (!self || self->m_state == State::Closed || generation != self->m_syncGeneration)
                return;
            if (!records)
                self->close(1011, u"store: "_qs + records.error().message);
            else
                self->onBatch(std::move(*records));
        });
}

void PeerLink::onBatch(QList<RelayRecord> records)
{
    const bool last = records.size() < SyncBatchRecords;
    qCDebug(lcRelay) << "link" << m_name << "sync batch of" << records.size() << "records"
                     << (last ? "(last)" : "");
    HaveVector readUpTo;
    for (const RelayRecord &record : std::as_const(records))
        readUpTo[record.origin] = std::max(readUpTo.value(record.origin), record.seq);
    records.removeIf([this](const RelayRecord &record) { return !peerLacks(record); });
    if (!records.isEmpty())
        sendRecords(std::move(records));
    if (m_state == State::Closed)
        return;
    // The next read starts after this batch, also where the peer had it all already.
    for (auto it = readUpTo.cbegin(); it != readUpTo.cend(); ++it) {
        qint64 &sent = m_sent[it.key()];
        sent = std::max(sent, it.value());
    }
    if (last)
        goLive();
    else if (unconfirmed() == 0)
        readNextBatch();
    else
        m_awaitingConfirmation = true;
}

void PeerLink::goLive()
{
    m_state = State::Live;
    QList<RelayRecord> queued = std::exchange(m_queue, {});
    queued.removeIf([this](const RelayRecord &record) { return !peerLacks(record); });
    if (!queued.isEmpty())
        sendRecords(std::move(queued));
}

bool PeerLink::peerLacks(const RelayRecord &record) const
{
    return record.seq > m_sent.value(record.origin, 0) &&
           record.seq > m_peerHas.value(record.origin, 0);
}

void PeerLink::forward(const QList<AcceptedRecord> &accepted)
{
    if (m_state != State::Syncing && m_state != State::Live)
        return; // a link in hello gets all of it from the store once it syncs
    QList<RelayRecord> records;
    for (const AcceptedRecord &a : accepted) {
        if (a.source != m_id)
            records.append(a.record);
    }
    if (m_state == State::Syncing) {
        m_queue.append(records);
        if (m_queue.size() > MaxUnconfirmedRecords)
            close(1013, u"peer too far behind; resync later"_qs);
        return;
    }
    records.removeIf([this](const RelayRecord &record) { return !peerLacks(record); });
    if (!records.isEmpty())
        sendRecords(std::move(records));
}

void PeerLink::forwardTransient(const QList<Notification> &notifications)
{
    if (m_state == State::Syncing || m_state == State::Live)
        send(PeerTransient{notifications});
}

void PeerLink::forwardFlooded(const PeerMessage &message)
{
    if (m_state == State::Syncing || m_state == State::Live)
        send(message);
}

void PeerLink::sendRecords(QList<RelayRecord> records)
{
    for (const RelayRecord &record : std::as_const(records)) {
        qint64 &sent = m_sent[record.origin];
        sent = std::max(sent, record.seq);
    }
    m_relay.countSent(records.size());
    send(PeerRecords{std::move(records)});
    updateBehind();
    if (unconfirmed() > MaxUnconfirmedRecords)
        close(1013, u"peer too far behind; resync later"_qs);
}

void PeerLink::updateBehind()
{
    if (unconfirmed() == 0)
        m_behindSinceMs = 0;
    else if (m_behindSinceMs == 0)
        m_behindSinceMs = QDateTime::currentMSecsSinceEpoch();
}

} // namespace herald::syncd
