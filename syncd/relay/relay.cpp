// SPDX-License-Identifier: Apache-2.0
#include "relay/relay.h"

#include "core/fanout.h"
#include "metrics/metrics.h"
#include "net/websockettakeover.h"
#include "relay/peeradmission.h"
#include "relay/peerdialer.h"
#include "relay/peerlink.h"
#include "relay/peerpipe.h"
#include "relay/relayeddigestframe.h"
#include "relay/relaylog.h"
#include "store/storethread.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QWebSocket>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcRelay, "herald.syncd.relay", QtInfoMsg)

namespace {

constexpr int TickMs = 1000;
constexpr qint64 HelloTimeoutMs = 10'000;

QString stateName(PeerLink::State state)
{
    switch (state) {
    case PeerLink::State::Hello:
        return u"hello"_s;
    case PeerLink::State::Syncing:
        return u"syncing"_s;
    case PeerLink::State::Live:
        return u"live"_s;
    case PeerLink::State::Closed:
        return u"closed"_s;
    }
    return {};
}

} // namespace

Relay::Relay(const Config &config, StoreThread &store, FanOut &fanOut, Metrics &metrics)
    : m_config(config), m_store(store), m_fanOut(fanOut), m_metrics(metrics),
      m_resumes(config.nodeId, m_links)
{
}

Relay::~Relay() = default;

void Relay::start()
{
    if (!enabled()) {
        Q_EMIT ready();
        return;
    }
    // The sink and the starting point are set in one store operation, so no record
    // committed in between is missed or counted twice.
    m_store.submit<HaveVector>(
        [this](SqlStore &store) {
            store.setRelaySink(
                [this](QList<AcceptedRecord> records) { committed(std::move(records)); });
            return store.relayHave();
        },
        this,
        [this](Result<HaveVector> have) {
            if (!have) {
                qCCritical(lcRelay).noquote()
                    << "cannot read the relay log:" << have.error().message;
                return;
            }
            m_held = *have;
            m_accepted = *have;
            startLinks();
            Q_EMIT ready();
        });
}

void Relay::startLinks()
{
    m_acceptor = new WebSocketTakeover(PeerDialer::HandshakeTimeoutMs, this);
    connect(m_acceptor, &WebSocketTakeover::upgraded, this,
            [this](QWebSocket *socket, QTcpSocket *tcp) { onInboundSocket(socket, tcp); });
    m_ticker = new QTimer(this);
    m_ticker->setInterval(TickMs);
    connect(m_ticker, &QTimer::timeout, this, &Relay::tick);
    m_ticker->start();
    for (const QString &peer : m_config.peers) {
        auto *dialer = new PeerDialer(QUrl(peer), this);
        connect(dialer, &PeerDialer::connected, this, [this, dialer](QWebSocket *socket) {
            auto *pipe = new PeerPipe(socket, nullptr, this);
            PeerLink *link = addLink(int(PeerLink::Direction::Outbound), dialer->url().toString());
            link->setProperty("dialer", QVariant::fromValue<QObject *>(dialer));
            connectPipe(link, pipe);
            link->sendHello();
        });
        m_dialers.push_back(dialer);
        dialer->dial();
    }
    publishStatus();
    qCInfo(lcRelay).noquote() << "peer relay of cluster" << m_config.clusterName << "with"
                              << m_config.peers.size() << "configured peer(s)";
    for (qintptr descriptor : std::exchange(m_earlyInbound, {}))
        onInboundConnection(descriptor);
}

void Relay::stop()
{
    m_stopped = true;
    for (qintptr descriptor : std::exchange(m_earlyInbound, {}))
        ::close(int(descriptor));
    for (PeerLink *link : std::as_const(m_links))
        link->close(1001, u"node shutting down"_s);
    qDeleteAll(m_dialers);
    m_dialers.clear();
    delete m_ticker;
    m_ticker = nullptr;
    delete m_acceptor;
    m_acceptor = nullptr;
}

PeerLink *Relay::addLink(int direction, const QString &name)
{
    const int id = m_nextLinkId++;
    auto *link = new PeerLink(id, PeerLink::Direction(direction), name, *this, m_store);
    link->setParent(this);
    m_links.insert(id, link);
    connect(link, &PeerLink::closed, this, &Relay::onLinkClosed, Qt::QueuedConnection);
    return link;
}

void Relay::connectPipe(PeerLink *link, PeerPipe *pipe)
{
    connect(link, &PeerLink::sendRequested, pipe, &PeerPipe::send);
    connect(link, &PeerLink::closeRequested, pipe, &PeerPipe::close);
    connect(link, &PeerLink::admitted, pipe, &PeerPipe::admit);
    connect(link, &PeerLink::admitted, this, &Relay::publishStatus); // knownNodes() at once
    connect(link, &PeerLink::pauseRequested, pipe, &PeerPipe::pauseReading);
    connect(link, &PeerLink::resumeRequested, pipe, &PeerPipe::resumeReading);
    connect(pipe, &PeerPipe::overrun, link, &PeerLink::onPipeOverrun);
    connect(pipe, &PeerPipe::frameReceived, link, &PeerLink::onFrame);
    connect(pipe, &PeerPipe::closed, link, &PeerLink::onPipeClosed);
}

void Relay::adoptInbound(qintptr descriptor)
{
    QMetaObject::invokeMethod(
        this, [this, descriptor] { onInboundConnection(descriptor); }, Qt::QueuedConnection);
}

void Relay::onInboundConnection(qintptr descriptor)
{
    if (!m_acceptor) // not started yet (its store read runs): taken in then; stopped: closed
        return m_stopped ? void(::close(int(descriptor))) : m_earlyInbound.append(descriptor);
    // Anyone can open these; only the secret makes a peer. Room for a newcomer is made by
    // the oldest link still without a peerHello, so that flooding the slots does not keep a
    // real peer (whose hello follows its handshake at once) out.
    PeerLink *oldest = nullptr;
    int waiting = m_acceptor->pendingHandshakes();
    for (PeerLink *link : std::as_const(m_links)) {
        if (link->direction() != PeerLink::Direction::Inbound ||
            link->state() != PeerLink::State::Hello)
            continue;
        ++waiting;
        if (!oldest || link->ageMs() > oldest->ageMs())
            oldest = link;
    }
    if (waiting >= MaxUnauthenticatedInbound) {
        if (!oldest) {
            qCDebug(lcRelay) << "peer connection refused:" << waiting << "handshakes pending";
            ::close(int(descriptor));
            return;
        }
        oldest->close(1008, u"too many peer links without peerHello"_s);
    }
    m_acceptor->adopt(descriptor);
}

void Relay::onInboundSocket(QWebSocket *socket, QTcpSocket *tcp)
{
    auto *pipe = new PeerPipe(socket, tcp, this);
    PeerLink *link = addLink(int(PeerLink::Direction::Inbound), pipe->peerName());
    connectPipe(link, pipe);
}

void Relay::committed(QList<AcceptedRecord> records)
{
    QMetaObject::invokeMethod(
        this, [this, records = std::move(records)] { onCommitted(records); }, Qt::QueuedConnection);
}

void Relay::onCommitted(const QList<AcceptedRecord> &records)
{
    QList<Notification> shown;
    QHash<QString, QList<NotificationId>> receipts;
    for (const AcceptedRecord &accepted : records) {
        const RelayRecord &record = accepted.record;
        qint64 &committed = m_accepted[record.origin];
        committed = std::max(committed, record.seq);
        qint64 &held = m_held[record.origin];
        held = std::max(held, record.seq);
        if (accepted.source == LocalSource)
            continue;
        ++m_metrics.relayRecordsApplied;
        switch (record.kind) {
        case RelayRecord::Kind::Notification:
            if (accepted.effect)
                shown.append(*accepted.effect);
            break;
        case RelayRecord::Kind::Receipt:
            receipts[record.user].append(record.notificationId);
            break;
        case RelayRecord::Kind::Deleted:
            if (accepted.effect)
                m_fanOut.deleted(*accepted.effect);
            break;
        case RelayRecord::Kind::Seen:
            m_fanOut.seen(record.user, record.notificationId);
            break;
        case RelayRecord::Kind::Hidden:
            m_fanOut.hidden(record.user, {record.notificationId});
            break;
        case RelayRecord::Kind::Cleared:
            m_fanOut.cleared(record.user, record.notificationId);
            break;
        case RelayRecord::Kind::Preferences:
            if (accepted.preferencesApplied) // the book and the sessions follow
                m_fanOut.preferences(record.user,
                                     QJsonDocument::fromJson(record.payload.toUtf8()).object());
            break;
        case RelayRecord::Kind::Digest:
            if (auto frame = relayedDigestFrame(record, QDateTime::currentMSecsSinceEpoch()))
                m_fanOut.digest(record.user, *frame);
            break;
        case RelayRecord::Kind::Job: // the outbox: nothing for the sessions
        case RelayRecord::Kind::JobsTaken:
        case RelayRecord::Kind::JobsDone:
            break;
        }
    }
    if (!shown.isEmpty())
        m_fanOut.publish(shown);
    for (auto it = receipts.cbegin(); it != receipts.cend(); ++it)
        m_fanOut.acknowledged(it.key(), it.value());
    for (PeerLink *link : std::as_const(m_links))
        link->forward(records);
}

void Relay::receiveRecords(PeerLink &link, QList<RelayRecord> records)
{
    m_metrics.relayRecordsReceived += quint64(records.size());
    QList<RelayRecord> fresh;
    bool gap = false;
    for (RelayRecord &record : records) {
        qint64 &held = m_held[record.origin];
        if (record.seq <= held)
            continue; // came over another link already
        if (record.seq > held + 1) {
            gap = true; // the rest of this origin would be past the gap too
            continue;
        }
        held = record.seq;
        fresh.append(std::move(record));
    }
    if (gap) {
        ++m_metrics.relayGaps;
        link.sendSync(m_held);
    }
    if (fresh.isEmpty()) {
        link.sendHave(m_held);
        return;
    }
    const qsizetype expected = fresh.size();
    QPointer<PeerLink> from(&link);
    link.batchToStore();
    m_store.submit<QList<AcceptedRecord>>(
        [fresh = std::move(fresh), source = link.id(),
         arrived = m_arrived](SqlStore &store) -> Result<QList<AcceptedRecord>> {
            auto accepted = store.applyRelayRecords(fresh, source);
            if (!accepted || !arrived)
                return accepted;
            if (auto done = arrived(store, *accepted); !done) // the same operation: all or none
                return tl::unexpected(done.error());
            return accepted;
        },
        this,
        [this, from, expected](Result<QList<AcceptedRecord>> accepted) {
            if (!accepted)
                onApplyFailed(accepted.error());
            else if (accepted->size() != expected)
                onApplyFailed(Error::internal(u"relay: the store holds fewer records than "
                                              "this node counted"_s));
            else if (from)
                from->sendHave(m_held);
            if (from)
                from->batchStored(); // may read on at once: after the answer above
        });
}

void Relay::onApplyFailed(const Error &error)
{
    // What is held falls back to what is committed; every link resyncs from there.
    qCWarning(lcRelay).noquote() << "records from a peer not stored:" << error.message;
    m_held = m_accepted;
    for (PeerLink *link : std::as_const(m_links))
        link->close(1011, u"store failed; resync"_s);
}

void Relay::receiveTransient(PeerLink &link, QList<Notification> notifications)
{
    notifications.removeIf([this](const Notification &n) { return !m_transientSeen.insert(n.id); });
    if (notifications.isEmpty())
        return;
    m_metrics.relayTransientsReceived += quint64(notifications.size());
    m_fanOut.publish(notifications);
    for (PeerLink *other : std::as_const(m_links)) {
        if (other != &link)
            other->forwardTransient(notifications);
    }
}

void Relay::relayTransient(const QList<Notification> &notifications)
{
    if (!enabled() || notifications.isEmpty())
        return;
    QMetaObject::invokeMethod(
        this,
        [this, notifications] {
            for (const Notification &n : notifications)
                m_transientSeen.insert(n.id);
            for (PeerLink *link : std::as_const(m_links))
                link->forwardTransient(notifications);
        },
        Qt::QueuedConnection);
}

void Relay::relayDrop(const QString &user)
{
    if (!enabled())
        return;
    const PeerDrop drop{qint64(QRandomGenerator::global()->bounded((quint64(1) << 53) - 1)) + 1,
                        user};
    QMetaObject::invokeMethod(
        this,
        [this, drop] {
            m_dropsSeen.insert(drop.id);
            for (PeerLink *link : std::as_const(m_links))
                link->forwardFlooded(drop);
        },
        Qt::QueuedConnection);
}

bool Relay::askResume(const ResumeAsk &ask)
{
    if (!enabled() || !m_resumes.anyLinkLive())
        return false;
    QMetaObject::invokeMethod(
        this, [this, ask] { m_resumes.ask(ask); }, Qt::QueuedConnection);
    return true;
}

void Relay::receiveDrop(PeerLink &link, const PeerDrop &drop)
{
    if (!m_dropsSeen.insert(drop.id))
        return;
    qCInfo(lcRelay).noquote() << "closing the sessions of" << drop.user << "as a peer asked";
    m_fanOut.dropUser(drop.user, this, [](int) {});
    for (PeerLink *other : std::as_const(m_links)) {
        if (other != &link)
            other->forwardFlooded(drop);
    }
}

void Relay::countSent(qsizetype records)
{
    m_metrics.relayRecordsSent += quint64(records);
}

PeerHello Relay::hello() const
{
    return PeerHello{m_config.nodeId, m_config.clusterName, m_config.clusterSecret};
}

QString Relay::admit(const PeerHello &hello) const
{
    return peerRefusal(hello, m_config);
}

void Relay::onLinkClosed(int linkId)
{
    PeerLink *link = m_links.take(linkId);
    if (!link)
        return;
    ++m_metrics.relayLinksLost;
    if (QMutexLocker lock(&m_statusMutex); m_liveNodes.contains(link->peerNode())) // live till now
        m_lastLinkedMs.insert(link->peerNode(), QDateTime::currentMSecsSinceEpoch());
    // Compared, not dereferenced: stop() deletes the dialers before the links' closes come.
    const auto *dialed = link->property("dialer").value<QObject *>();
    for (PeerDialer *dialer : m_dialers) {
        if (dialer == dialed)
            dialer->linkEnded();
    }
    link->deleteLater();
    publishStatus();
}

void Relay::tick()
{
    const auto links = m_links; // closing one changes the map
    for (PeerLink *link : links) {
        if (link->state() == PeerLink::State::Hello && link->ageMs() > HelloTimeoutMs)
            link->close(1008, u"no peerHello in time"_s);
        else if (link->silentForMs() > m_config.peerTimeoutMs) // peers speak every tick
            link->close(1001, u"peer silent"_s);
        else
            link->sendHave(m_held);
    }
    publishStatus();
}

void Relay::publishStatus()
{
    QList<PeerStatus> status;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSet<QString> linked;
    QList<int> liveNodes;
    for (PeerLink *link : std::as_const(m_links)) {
        if (link->state() == PeerLink::State::Syncing || link->state() == PeerLink::State::Live)
            liveNodes.append(link->peerNode());
        PeerStatus s;
        s.name = link->name();
        s.direction =
            link->direction() == PeerLink::Direction::Outbound ? u"outbound"_s : u"inbound"_s;
        s.node = link->peerNode();
        s.state = stateName(link->state());
        s.lagRecords = link->unconfirmed();
        s.lagSeconds = link->behindSinceMs() ? double(now - link->behindSinceMs()) / 1000.0 : 0;
        s.queued = link->queued();
        status.append(s);
        linked.insert(s.name);
    }
    for (PeerDialer *dialer : m_dialers) {
        if (!linked.contains(dialer->url().toString())) {
            PeerStatus s;
            s.name = dialer->url().toString();
            s.direction = u"outbound"_s;
            s.state = u"connecting"_s;
            status.append(s);
        }
    }
    m_resumes.setLiveLinks(int(liveNodes.size()));
    QList<int> known; // every node heard of: origins of records held, and linked peers
    for (auto it = m_held.cbegin(); it != m_held.cend(); ++it) {
        if (it.key() != m_config.nodeId)
            known.append(it.key());
    }
    for (const PeerStatus &s : std::as_const(status)) {
        if (s.node >= 0 && s.node != m_config.nodeId && !known.contains(s.node))
            known.append(s.node);
    }
    QMutexLocker lock(&m_statusMutex);
    m_status = std::move(status);
    m_knownNodes = std::move(known);
    for (int node : liveNodes)
        m_lastLinkedMs.insert(node, now);
    m_liveNodes = std::move(liveNodes);
}

QList<int> Relay::knownNodes() const
{
    QMutexLocker lock(&m_statusMutex);
    return m_knownNodes;
}

QHash<int, qint64> Relay::lastLinkedMs() const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QMutexLocker lock(&m_statusMutex);
    QHash<int, qint64> seen = m_lastLinkedMs;
    for (int node : m_liveNodes)
        seen.insert(node, now);
    return seen;
}

QList<PeerStatus> Relay::status() const
{
    QMutexLocker lock(&m_statusMutex);
    return m_status;
}

} // namespace herald::syncd
