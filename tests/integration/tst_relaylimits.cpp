// SPDX-License-Identifier: Apache-2.0
// The peer relay's back-pressure, against a real herald-syncd with a cluster secret: what an
// unauthenticated connection to /api/v1/peer can make the node buffer, how many such
// connections it holds, what it keeps for a peer that stops reading, and how many of a peer's
// record batches wait at its store. Peers are played by the test: by hand over raw TCP (for
// what no real node does: a huge unfinished frame, a peer that never reads) or over a
// QWebSocket that speaks the peer protocol (to check what the node holds and sends).
#include "apihelpers.h"
#include "httpclient.h"
#include "peerhello.h"
#include "sanitizerbuild.h"
#include "syncdprocess.h"
#include "wait.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {

const QString App = u"ops"_s;
const QString Channel = u"alerts"_s;
const QString Cluster = u"limits"_s;
const QString Secret = u"relay-limits-secret"_s;
constexpr int NodeId = 1;
constexpr int PeerId = 9; // the node the test plays
constexpr qint64 MiB = 1024 * 1024;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject hello()
{
    return peerHelloFrame(PeerId, Cluster, Secret);
}

QJsonObject haveFrame(const QString &type, const QMap<int, qint64> &have)
{
    QJsonObject vector;
    for (auto it = have.cbegin(); it != have.cend(); ++it)
        vector.insert(QString::number(it.key()), double(it.value()));
    return {{"type"_L1, type}, {"have"_L1, vector}};
}

// A client frame header as RFC 6455 wants it (FIN, text, masked) for `size` payload bytes.
QByteArray maskedHeader(quint64 size)
{
    QByteArray header(1, char(0x81));
    if (size < 126) {
        header.append(char(0x80 | size));
    } else if (size < 65536) {
        header.append(char(0x80 | 126)).append(char(size >> 8)).append(char(size & 0xff));
    } else {
        header.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            header.append(char((size >> shift) & 0xff));
    }
    return header.append(QByteArray(4, '\0')); // mask 0: the payload goes as it is
}

// A connection to /api/v1/peer done by hand. `stalled`: a tiny receive buffer (set before
// connect, so the TCP window is small from the start) and a tiny Qt read buffer after the
// handshake, so that whatever the node writes to it backs up almost at once.
class RawPeer
{
public:
    // `early` goes right behind the upgrade request, before the node has answered it.
    bool open(quint16 port, bool stalled = false, const QByteArray &early = {})
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int bufferSize = 2048;
        if (stalled)
            ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferSize, sizeof bufferSize);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ::close(fd);
            return false;
        }
        m_socket.setSocketDescriptor(fd);
        m_socket.write("GET /api/v1/peer HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n" +
                       early);
        QByteArray head;
        const bool upgraded = waitUntil(
            [&] {
                head += m_socket.readAll();
                return head.contains("\r\n\r\n");
            },
            10000, 5);
        if (stalled)
            m_socket.setReadBufferSize(1);
        return upgraded && head.startsWith("HTTP/1.1 101");
    }
    void send(const QJsonObject &frame)
    {
        const QByteArray payload = compact(frame);
        m_socket.write(maskedHeader(quint64(payload.size())) + payload);
    }
    // The node closed or reset the connection. Reading what it sent is how a socket learns.
    bool isClosed()
    {
        if (m_socket.readBufferSize() != 1)
            m_socket.readAll();
        return m_socket.state() == QAbstractSocket::UnconnectedState;
    }
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
};

// A peer node played over a QWebSocket: hello, sync from what it holds (nothing of the node's
// origin), confirms every records frame with `have`. Keeps what it took in and the last
// `have` the node sent.
class ProtocolPeer : public QObject
{
public:
    bool open(const QUrl &peerUrl)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, &ProtocolPeer::onText);
        m_socket.setMaxAllowedIncomingFrameSize(64 * MiB);
        m_socket.setMaxAllowedIncomingMessageSize(64 * MiB);
        m_socket.open(peerUrl);
        if (!waitUntil([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 10000))
            return false;
        m_socket.sendTextMessage(QString::fromUtf8(compact(hello())));
        if (!waitUntil([&] { return m_helloReceived; }, 10000))
            return false;
        m_socket.sendTextMessage(QString::fromUtf8(compact(haveFrame(u"sync"_s, m_holds))));
        return true;
    }
    void sendText(const QString &frame) { m_socket.sendTextMessage(frame); }
    qint64 holds(int origin) const { return m_holds.value(origin); }
    qint64 nodeHas(int origin) const { return m_nodeHas.value(origin); }
    const QSet<qint64> &ids() const { return m_ids; }
    qint64 bytesToWrite() const { return m_socket.bytesToWrite(); }

private:
    void onText(const QString &text)
    {
        const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = frame.value("type"_L1).toString();
        if (type == "peerHello"_L1) {
            m_helloReceived = true;
        } else if (type == "have"_L1 || type == "sync"_L1) {
            const QJsonObject have = frame.value("have"_L1).toObject();
            for (auto it = have.begin(); it != have.end(); ++it)
                m_nodeHas[it.key().toInt()] = it.value().toInteger();
        } else if (type == "records"_L1) {
            for (const QJsonValue &value : frame.value("records"_L1).toArray()) {
                const QJsonObject record = value.toObject();
                const int origin = record.value("origin"_L1).toInt();
                if (record.value("seq"_L1).toInteger() != m_holds.value(origin) + 1)
                    continue; // a peer takes in only the next record of an origin
                m_holds[origin] += 1;
                m_ids.insert(record.value("id"_L1).toInteger());
            }
            m_socket.sendTextMessage(QString::fromUtf8(compact(haveFrame(u"have"_s, m_holds))));
        }
    }

    QWebSocket m_socket;
    bool m_helloReceived = false;
    QMap<int, qint64> m_holds;
    QMap<int, qint64> m_nodeHas;
    QSet<qint64> m_ids;
};

} // namespace

class TestRelayLimits : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void unauthenticatedPeerCannotMakeTheNodeBuffer_data();
    void unauthenticatedPeerCannotMakeTheNodeBuffer();
    void unauthenticatedLinksAreCapped();
    void peerThatDoesNotReadIsCutOffAndResyncs();
    void recordBatchesAtTheStoreAreBounded();

private:
    QUrl peerUrl() const { return peerPathOf(*m_node); }
    void sampleRss() { m_maxRssKiB = std::max(m_maxRssKiB, m_node->rssKiB()); }
    // Inbound links of node PeerId in /healthz, and their states.
    QStringList peerStates();

    std::unique_ptr<SyncdProcess> m_node;
    HttpClient m_http;
    qint64 m_maxRssKiB = 0;
};

void TestRelayLimits::init()
{
    m_node = std::make_unique<SyncdProcess>();
    QVERIFY2(m_node->start({u"--no-auth"_s, u"--node-id"_s, QString::number(NodeId), u"--cluster"_s,
                            Cluster, u"--cluster-secret"_s, Secret}),
             qPrintable(m_node->errorString()));
    m_http.setBaseUrl(m_node->httpUrl());
    QVERIFY(createApplication(m_http, App, {Channel}));
    m_maxRssKiB = 0;
}

void TestRelayLimits::cleanup()
{
    m_node->dumpLogIfFailed();
    m_node.reset();
}

QStringList TestRelayLimits::peerStates()
{
    QStringList states;
    const HttpResponse health = m_http.get(u"/healthz"_s);
    for (const QJsonValue &peer : health.object().value("peers"_L1).toArray()) {
        if (peer.toObject().value("node"_L1).toInt() == PeerId)
            states.append(peer.toObject().value("state"_L1).toString());
    }
    return states;
}

// Four connections each announce a 57 MiB frame before any peerHello and send all of it but
// the last KiB. Until the fix a link took 64 MiB frames from the start: the node read all four
// into memory (RSS 24 MB -> 258 MB) and held them until the hello timeout. Now a frame before
// the hello may have 16 KiB, and the node closes (1009) at the frame's header (mutation:
// MaxHelloFrameBytes = MaxPeerFrameBytes in PeerPipe). The frame may also come right behind
// the upgrade request, before the node has answered it.
void TestRelayLimits::unauthenticatedPeerCannotMakeTheNodeBuffer_data()
{
    QTest::addColumn<bool>("pipelined");
    QTest::newRow("after the upgrade") << false;
    QTest::newRow("with the upgrade") << true;
}

void TestRelayLimits::unauthenticatedPeerCannotMakeTheNodeBuffer()
{
    QFETCH(bool, pipelined);
    constexpr qint64 Announced = 57 * MiB;
    constexpr qint64 Sent = Announced - 1024;
    const qint64 baseline = m_node->rssKiB();
    std::vector<std::unique_ptr<RawPeer>> peers;
    std::vector<qint64> sent;
    for (int i = 0; i < 4; ++i) {
        peers.push_back(std::make_unique<RawPeer>());
        const QByteArray header = maskedHeader(Announced);
        QVERIFY(peers.back()->open(m_node->port(), false, pipelined ? header : QByteArray()));
        if (!pipelined)
            peers.back()->socket().write(header);
        sent.push_back(0);
    }
    const QByteArray chunk(MiB, ' ');
    QElapsedTimer clock;
    clock.start();
    // Feeds each connection as fast as the node takes it, until all is sent or it is closed.
    const bool allClosed = waitUntil(
        [&] {
            sampleRss();
            bool closed = true;
            for (size_t i = 0; i < peers.size(); ++i) {
                RawPeer &peer = *peers[i];
                if (peer.isClosed())
                    continue;
                closed = false;
                while (sent[i] < Sent && peer.socket().bytesToWrite() < 2 * MiB) {
                    const qint64 n = std::min<qint64>(chunk.size(), Sent - sent[i]);
                    peer.socket().write(chunk.constData(), n);
                    sent[i] += n;
                }
            }
            return closed;
        },
        8000, 5);
    sampleRss();
    qInfo("RSS %lld KiB before, at most %lld KiB while four 57 MiB frames came; %s after %lld ms",
          baseline, m_maxRssKiB, allClosed ? "all closed" : "not all closed",
          qint64(clock.elapsed()));
    // The hello timeout (10 s) would close them too; the frame limit does so at once.
    QVERIFY2(allClosed, "the node kept connections with a huge frame before any peerHello");
    HERALD_VERIFY_RSS_BOUND(m_maxRssKiB - baseline < 32 * 1024,
                            "the node buffered unauthenticated frames");
}

// 40 connections upgrade and send nothing. Until the fix the node held all of them until the
// hello timeout (10 s); now it holds 16 and makes room by closing the oldest (mutation:
// MaxUnauthenticatedInbound = 1000 in Relay). A real peer still gets in meanwhile.
void TestRelayLimits::unauthenticatedLinksAreCapped()
{
    std::vector<std::unique_ptr<RawPeer>> idle;
    for (int i = 0; i < 40; ++i) {
        idle.push_back(std::make_unique<RawPeer>());
        QVERIFY(idle.back()->open(m_node->port()));
    }
    QElapsedTimer clock;
    clock.start();
    const auto open = [&] {
        int n = 0;
        for (auto &peer : idle)
            n += peer->isClosed() ? 0 : 1;
        return n;
    };
    QVERIFY2(waitUntil([&] { return open() <= 16; }, 5000),
             qPrintable(u"%1 connections without peerHello still open"_s.arg(open())));
    QVERIFY(clock.elapsed() < 9000); // not the hello timeout's doing

    // The newest 16 hold every slot; a peer that says hello at once still links up.
    ProtocolPeer peer;
    QVERIFY(peer.open(peerUrl()));
    QVERIFY(waitUntil([&] { return peerStates().contains(u"live"_s); }, 10000));
    QVERIFY(open() <= 15);
}

// A peer that sends its heartbeats but never reads, while the node publishes 96 MiB of
// transients and some persistent notifications. Until the fix the node wrote all of it into
// the link's buffer (RSS 24 MB -> 136 MB, the link stayed up); now it closes the
// link with 1013 once 16 MiB wait unsent (mutation: MaxUnsentBytes in PeerPipe past the
// 96 MiB). The peer comes back, reads, and receives every persistent notification from the
// store.
void TestRelayLimits::peerThatDoesNotReadIsCutOffAndResyncs()
{
    RawPeer stalled;
    QVERIFY(stalled.open(m_node->port(), true));
    stalled.send(hello());
    stalled.send(haveFrame(u"sync"_s, {}));
    QVERIFY(waitUntil([&] { return peerStates().contains(u"live"_s); }, 10000));
    QTimer heartbeat;
    connect(&heartbeat, &QTimer::timeout, this, [&] { stalled.send(haveFrame(u"have"_s, {})); });
    heartbeat.start(500);
    const qint64 baseline = m_node->rssKiB();

    QSet<qint64> persistent;
    const auto publishPersistent = [&] {
        QJsonArray batch;
        for (int i = 0; i < 100; ++i)
            batch.append(notificationBody(App, Channel, u"kept %1"_s.arg(i)));
        const HttpResponse answer = m_http.post(u"/api/v1/notifications"_s, batch);
        for (const QJsonValue &n : answer.array())
            persistent.insert(idOf(n.toObject()));
        return answer.status == 201;
    };
    QVERIFY(publishPersistent());

    QJsonArray transients; // 14 of 4,000 bytes: one 56 KiB transient frame per publish
    for (int i = 0; i < 14; ++i) {
        transients.append(notificationBody(App, Channel, QString(4000, u'x'),
                                           {{"persistent"_L1, false}, {"title"_L1, "t"_L1}}));
    }
    const QByteArray body = QJsonDocument(transients).toJson(QJsonDocument::Compact);
    QTimer sampler;
    connect(&sampler, &QTimer::timeout, this, [&] { sampleRss(); });
    sampler.start(20);
    // Four publishes in flight at a time, as fast as the node answers.
    const int total = int(96 * MiB / body.size());
    int started = 0, answered = 0, failed = 0;
    std::function<void()> startOne = [&] {
        QNetworkReply *reply = m_http.send("POST", u"/api/v1/notifications"_s, body);
        ++started;
        connect(reply, &QNetworkReply::finished, this, [&, reply] {
            ++answered;
            const HttpResponse answer = HttpClient::toResponse(reply);
            if (answer.status != 201 && failed++ == 0)
                qWarning("publish: %s", answer.describe().constData());
            reply->deleteLater();
            if (started < total)
                startOne();
        });
    };
    for (int i = 0; i < 4; ++i)
        startOne();
    QVERIFY(waitUntil([&] { return answered == total; }, 120000));
    QCOMPARE(failed, 0);
    sampleRss();
    const bool cutOff =
        waitUntil([&] { return m_node->log().contains("peer does not read"); }, 5000);
    qInfo("RSS %lld KiB before, at most %lld KiB while %lld MiB of transients went out", baseline,
          m_maxRssKiB, qint64(total) * body.size() / MiB);
    QVERIFY2(cutOff, "the node kept writing to a peer that does not read");
    QVERIFY(m_node->log().contains("(1013)"));
    HERALD_VERIFY_RSS_BOUND(m_maxRssKiB - baseline < 48 * 1024,
                            "the node buffered for a peer that does not read");
    QVERIFY(waitUntil([&] { return !peerStates().contains(u"live"_s); }, 5000));
    heartbeat.stop();
    QVERIFY(publishPersistent());

    // The peer reads again: everything persistent comes from the store, transients do not.
    ProtocolPeer back;
    QVERIFY(back.open(peerUrl()));
    QVERIFY2(waitUntil([&] { return back.holds(NodeId) == 200; }, 30000),
             qPrintable(u"the peer holds %1 of 200 records"_s.arg(back.holds(NodeId))));
    QCOMPARE(back.ids(), persistent);
}

// A peer sends 120 frames of 500 records (about 150 MB) as fast as the node reads them. Until
// the fix the node read them all and queued every batch at its store (RSS 24 MB -> 317 MB);
// now it stops reading while 4 batches are at the store (mutation: MaxBatchesAtStore = 1000 in
// PeerLink). Every record is taken in all the same.
void TestRelayLimits::recordBatchesAtTheStoreAreBounded()
{
    // A notification as the node makes it: the template for the peer's records.
    const HttpResponse made =
        m_http.post(u"/api/v1/notifications"_s, notificationBody(App, Channel, u"template"_s));
    QCOMPARE(made.status, 201);
    const qint64 first = idOf(made.object());
    ProtocolPeer peer;
    QVERIFY(peer.open(peerUrl()));
    QVERIFY(waitUntil([&] { return peer.holds(NodeId) == 1; }, 10000));

    constexpr int Frames = 120;
    constexpr int PerFrame = 500;
    const qint64 baseMs = first >> 12; // ids: ms since the epoch of ids, node, sequence
    QJsonObject notification = made.object();
    const double now = double(QDateTime::currentMSecsSinceEpoch());
    notification.insert("message"_L1, QString(2000, u'r'));
    const auto frame = [&](int f) {
        QJsonArray records;
        for (int i = 0; i < PerFrame; ++i) {
            const qint64 n = qint64(f) * PerFrame + i;
            const qint64 id = ((baseMs + n / 64) << 12) | (PeerId << 6) | (n % 64);
            notification.insert("id"_L1, double(id));
            records.append(QJsonObject{{"origin"_L1, PeerId},
                                       {"seq"_L1, double(n + 1)},
                                       {"kind"_L1, "notification"_L1},
                                       {"id"_L1, double(id)},
                                       {"time"_L1, now},
                                       {"notification"_L1, notification}});
        }
        return QString::fromUtf8(compact({{"type"_L1, "records"_L1}, {"records"_L1, records}}));
    };
    const qint64 baseline = m_node->rssKiB();
    QTimer sampler;
    connect(&sampler, &QTimer::timeout, this, [&] { sampleRss(); });
    sampler.start(20);
    // As fast as the node reads: a frame whenever less than 4 MiB wait to be written.
    int sent = 0;
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] {
        while (sent < Frames && peer.bytesToWrite() < 4 * MiB)
            peer.sendText(frame(sent++));
    });
    pump.start(5);
    const bool all = waitUntil([&] { return peer.nodeHas(PeerId) == Frames * PerFrame; }, 180000);
    sampleRss();
    qInfo("RSS %lld KiB before, at most %lld KiB while %d records came in %d frames", baseline,
          m_maxRssKiB, Frames * PerFrame, Frames);
    QVERIFY2(all, qPrintable(u"the node holds %1 records of the peer"_s.arg(peer.nodeHas(PeerId))));
    HERALD_VERIFY_RSS_BOUND(m_maxRssKiB - baseline < 64 * 1024,
                            "the node read far ahead of its store");
}

QTEST_GUILESS_MAIN(TestRelayLimits)
#include "tst_relaylimits.moc"
