// SPDX-License-Identifier: Apache-2.0
// Load: a WebSocket client that stops reading must not slow anyone else down, and a quick
// (informational) measurement of publish and delivery rates.
#include "apihelpers.h"
#include "httpclient.h"
#include "sanitizerbuild.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"shop"_s;

// A client frame as RFC 6455 wants it: FIN, text opcode, masked payload.
QByteArray maskedTextFrame(const QByteArray &payload)
{
    QByteArray frame(1, char(0x81));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xff));
    }
    const char mask[4] = {0x1f, 0x2e, 0x3d, 0x4c};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(char(payload.at(i) ^ mask[i % 4]));
    return frame;
}

// A WebSocket client done by hand that registers and then never reads again: a tiny kernel
// receive buffer (set before connect, so the TCP window is small from the start) and a tiny
// Qt read buffer make the daemon's writes to it back up almost at once.
class StalledReader
{
public:
    bool connectAndRegister(quint16 port, const QJsonObject &registerFrame)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int bufferSize = 2048;
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
        m_socket.setReadBufferSize(2048);
        m_socket.write("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                       "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n");
        if (!readUntil("\r\n\r\n") || !m_received.startsWith("HTTP/1.1 101"))
            return false;
        m_socket.write(
            maskedTextFrame(QJsonDocument(registerFrame).toJson(QJsonDocument::Compact)));
        // Server frames are unmasked, so the type shows up as plain text in the stream.
        return readUntil("backlogDone");
    }
    QByteArray received() const { return m_received; }

private:
    bool readUntil(const QByteArray &marker)
    {
        return waitUntil(
            [&] {
                m_received += m_socket.readAll();
                return m_received.contains(marker);
            },
            10000, 5);
    }

    QTcpSocket m_socket;
    QByteArray m_received;
};
} // namespace

class TestSlowReader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void stalledReaderDoesNotDelayOthers();
    void measuresPublishAndDeliveryRates();

private:
    SyncdProcess m_syncd;
    HttpClient m_http;
};

void TestSlowReader::initTestCase()
{
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
    m_http.setBaseUrl(m_syncd.httpUrl());
    QVERIFY(createApplication(m_http, App, {u"firehose"_s, u"bench"_s}));
    QVERIFY(createUser(m_http, u"alice"_s));
    QVERIFY(createUser(m_http, u"slow"_s));
}

void TestSlowReader::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

void TestSlowReader::stalledReaderDoesNotDelayOthers()
{
    constexpr int Total = 2000;
    StalledReader stalled;
    QVERIFY2(stalled.connectAndRegister(m_syncd.port(),
                                        WsClient::registerFrame(u"slow"_s, App, {u"firehose"_s})),
             stalled.received().constData());
    WsClient normal;
    QVERIFY2(normal.connectAs(m_syncd.wsUrl(), u"alice"_s, App, {u"firehose"_s}),
             normal.describe());
    normal.clearFrames();
    const qint64 rssBefore = m_syncd.rssKiB();

    const QString kilobyte(1000, u'x');
    QElapsedTimer clock;
    clock.start();
    const PublishRun run = publishConcurrently(m_http, Total, 4, [&](int i) {
        return notificationBody(
            App, u"firehose"_s, u"%1 %2"_s.arg(i).arg(kilobyte),
            QJsonObject{{"persistent"_L1, false}, {"title"_L1, u"bulk %1"_s.arg(i)}});
    });
    QVERIFY2(run.complete && run.failures.isEmpty(), run.failures.value(0));
    const qint64 published = clock.elapsed();
    const bool all = normal.waitForNotifications(Total, 10000);
    const qint64 delivered = clock.elapsed();
    qInfo("%d notifications of ~1 KiB: all 201s after %lld ms, the reading client had %lld "
          "after %lld ms; RSS %lld -> %lld KiB",
          Total, published, qint64(normal.notificationIds().size()), delivered, rssBefore,
          m_syncd.rssKiB());
    // Within 10 s of the last 201, with a client that reads nothing on the same channel.
    QVERIFY2(all, normal.describe().left(300));
    QVERIFY2(published < 60000, "publishing stalled behind the reader that does not read");
    const QList<qint64> ids = normal.notificationIds();
    QVERIFY(std::is_sorted(ids.begin(), ids.end()));
    QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), Total);
    // 2,000 x 1 KiB queued for the stalled client is about 2 MB; allow for far more.
    HERALD_VERIFY_RSS_BOUND(m_syncd.rssKiB() - rssBefore < 256 * 1024,
                            qPrintable(u"RSS grew by %1 KiB"_s.arg(m_syncd.rssKiB() - rssBefore)));
    QCOMPARE(m_http.get(u"/healthz"_s).status, 200);
}

void TestSlowReader::measuresPublishAndDeliveryRates()
{
    constexpr int Total = 2000;
    constexpr int Subscribers = 50;
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < Subscribers; ++i) {
        auto ws = std::make_unique<WsClient>();
        QVERIFY2(ws->connectAs(m_syncd.wsUrl(), u"alice"_s, App, {u"bench"_s}),
                 qPrintable(u"subscriber %1: "_s.arg(i) + QString::fromUtf8(ws->describe())));
        ws->clearFrames();
        ws->setCountOnly(true); // 100,000 frames: count them, do not keep them
        clients.push_back(std::move(ws));
    }
    std::vector<qint64> framesBefore;
    for (const auto &ws : clients)
        framesBefore.push_back(ws->totalFrames());

    QElapsedTimer clock;
    clock.start();
    const PublishRun run = publishConcurrently(m_http, Total, 4, [](int i) {
        return notificationBody(App, u"bench"_s, u"tick %1"_s.arg(i),
                                QJsonObject{{"persistent"_L1, false}});
    });
    QVERIFY2(run.complete && run.failures.isEmpty(), run.failures.value(0));
    auto framesOf = [&](size_t i) { return clients[i]->totalFrames() - framesBefore[i]; };
    auto deliveredFrames = [&] {
        qint64 sum = 0;
        for (size_t i = 0; i < clients.size(); ++i)
            sum += framesOf(i);
        return sum;
    };
    const bool all = waitUntil(
        [&] {
            for (size_t i = 0; i < clients.size(); ++i) {
                if (framesOf(i) < Total)
                    return false;
            }
            return true;
        },
        120000, 20);
    const qint64 elapsed = clock.elapsed();
    qInfo("publish: %d transient notifications over 4 keep-alive connections in %lld ms = "
          "%.0f/s",
          Total, run.elapsedMs, Total * 1000.0 / qMax<qint64>(1, run.elapsedMs));
    qInfo("delivery: %lld frames to %d subscribers in %lld ms = %.0f/s", deliveredFrames(),
          Subscribers, elapsed, deliveredFrames() * 1000.0 / qMax<qint64>(1, elapsed));
    // Informational only, except that each subscriber gets one frame per notification
    // published: none fewer, and none more by the time every subscriber has them all. The
    // frames are counted, not kept (100,000 of them), so this compares counts per subscriber,
    // not ids.
    QVERIFY2(all,
             qPrintable(
                 u"%1 of %2 deliveries"_s.arg(deliveredFrames()).arg(qint64(Total) * Subscribers)));
    for (size_t i = 0; i < clients.size(); ++i)
        QVERIFY2(framesOf(i) == Total,
                 qPrintable(u"subscriber %1 got %2 frames for %3 published"_s.arg(i)
                                .arg(framesOf(i))
                                .arg(Total)));
}

QTEST_GUILESS_MAIN(TestSlowReader)
#include "tst_slowreader.moc"
