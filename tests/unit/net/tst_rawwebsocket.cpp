// SPDX-License-Identifier: Apache-2.0
// RawWebSocket over one end of a socket pair, the test playing the client on the other end:
// what reaches the listener, what is written and kept, the close handshake from either side,
// its time bound, and that nothing is written after a close frame.
#include "net/rawwebsocket.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <cerrno>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace herald::syncd;

namespace {
constexpr qint64 Limit = 1024;
constexpr int CloseTimeoutMs = 300;

QByteArray clientFrame(quint8 firstByte, const QByteArray &payload, bool masked = true)
{
    Q_ASSERT(payload.size() < 126);
    QByteArray out;
    out.append(char(firstByte)).append(char((masked ? 0x80 : 0) | payload.size()));
    if (!masked)
        return out + payload;
    const char key[4] = {'\x11', '\x22', '\x33', '\x44'};
    out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ key[i % 4]));
    return out;
}

QByteArray closePayload(int code, const QByteArray &reason = {})
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xFF) + reason;
}

// A server frame: unmasked, short.
QByteArray serverFrame(quint8 opcode, const QByteArray &payload)
{
    return QByteArray(1, char(0x80 | opcode)) + char(payload.size()) + payload;
}

struct Recorder final : RawWebSocket::Listener
{
    QStringList events;
    bool insideOwnerCall = false; // set while the test calls into the connection
    bool closedInsideOwnerCall = false;
    std::unique_ptr<RawWebSocket> *deleteOnClose = nullptr;

    void textReceived(quint64 id, const QByteArray &utf8) override
    {
        events.append(QStringLiteral("%1 text %2").arg(id).arg(QString::fromUtf8(utf8)));
    }
    void binaryReceived(quint64 id) override { events.append(QStringLiteral("%1 binary").arg(id)); }
    void heard(quint64 id) override { events.append(QStringLiteral("%1 heard").arg(id)); }
    void closed(quint64 id) override
    {
        closedInsideOwnerCall |= insideOwnerCall;
        events.append(QStringLiteral("%1 closed").arg(id));
        if (deleteOnClose)
            deleteOnClose->reset();
    }
};

// The client's end: reads what the connection wrote.
class Peer
{
public:
    explicit Peer(int fd) : m_fd(fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }
    ~Peer() { closeNow(); }

    void send(const QByteArray &bytes)
    {
        QCOMPARE(::write(m_fd, bytes.data(), bytes.size()), bytes.size());
    }
    // Reads what is there now (runs the event loop first so the connection can act).
    QByteArray read(int waitMs = 50)
    {
        QTest::qWait(waitMs);
        QByteArray all;
        char buffer[65536];
        ssize_t n;
        while ((n = ::read(m_fd, buffer, sizeof buffer)) > 0)
            all.append(buffer, n);
        // Closed with our bytes unread, a socket pair resets rather than ends.
        m_ended |= n == 0 || (n < 0 && errno == ECONNRESET);
        return all;
    }
    // The connection shut its sending side (or closed): reading gives 0.
    bool ended()
    {
        read(0);
        return m_ended;
    }
    void closeNow()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    int fd() const { return m_fd; }

private:
    int m_fd;
    bool m_ended = false;
};

struct Pair
{
    Recorder listener;
    std::unique_ptr<RawWebSocket> connection;
    std::unique_ptr<Peer> peer;
    int serverFd = -1;

    Pair()
    {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
            qFatal("socketpair failed");
        serverFd = fds[0];
        connection = std::make_unique<RawWebSocket>(fds[0], 7, listener, Limit, CloseTimeoutMs);
        peer = std::make_unique<Peer>(fds[1]);
    }
};

QStringList list(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out.append(QString::fromUtf8(item));
    return out;
}
} // namespace

class TestRawWebSocket : public QObject
{
    Q_OBJECT

private slots:
    void deliversMessagesAndAnswersPings()
    {
        Pair p;
        p.peer->send(clientFrame(0x81, "hello") + clientFrame(0x89, "ping data") +
                     clientFrame(0x82, "\x01\x02") + clientFrame(0x8A, ""));
        QCOMPARE(p.peer->read(), serverFrame(0xA, "ping data"));
        QCOMPARE(p.listener.events, list({"7 text hello", "7 heard", "7 binary", "7 heard"}));
        QVERIFY(p.connection->isOpen());
    }

    void writesStraightThrough()
    {
        Pair p;
        p.connection->write(QByteArrayView("one"));
        p.connection->write(QList<QByteArray>{"two", "three"});
        QCOMPARE(p.connection->pendingBytes(), 0);
        QCOMPARE(p.peer->read(0), QByteArray("onetwothree"));
        p.connection->ping();
        QCOMPARE(p.peer->read(0), serverFrame(0x9, ""));
    }

    void keepsWhatTheKernelDoesNotTakeAndSendsItLater()
    {
        Pair p;
        QByteArray big(4 * 1024 * 1024, 'x');
        for (int i = 0; i < big.size(); i += 4096)
            big[i] = char('a' + (i / 4096) % 26);
        p.connection->write(big);
        const qint64 pending = p.connection->pendingBytes();
        QVERIFY2(pending > 0 && pending < big.size(), QByteArray::number(pending));
        p.connection->write(QByteArrayView("tail")); // queued behind, never before
        QByteArray received;
        QElapsedTimer clock;
        clock.start();
        while (received.size() < big.size() + 4 && clock.elapsed() < 10000)
            received += p.peer->read(5);
        QCOMPARE(received.size(), big.size() + 4);
        QVERIFY(received == big + "tail");
        QCOMPARE(p.connection->pendingBytes(), 0);
    }

    void closeWaitsForThePeersCloseFrame()
    {
        Pair p;
        p.listener.insideOwnerCall = true;
        p.connection->close(1008, "go away");
        p.listener.insideOwnerCall = false;
        QVERIFY(!p.connection->isOpen());
        QCOMPARE(p.peer->read(), serverFrame(0x8, closePayload(1008, "go away")));
        // Nothing after the close frame: no data, no ping, no pong, no second close.
        p.connection->write(QByteArrayView("late"));
        p.connection->ping();
        p.connection->close(1000, "again");
        p.peer->send(clientFrame(0x81, "still talking") + clientFrame(0x89, "ping"));
        QCOMPARE(p.peer->read(), QByteArray());
        QVERIFY(p.listener.events.isEmpty()); // data after our close is not delivered
        QVERIFY(!p.peer->ended());
        // The peer's close frame completes the handshake: our side is shut, then closed once
        // the peer ends too.
        p.peer->send(clientFrame(0x88, closePayload(1008)));
        QTRY_VERIFY(p.peer->ended());
        QVERIFY(p.listener.events.isEmpty());
        p.peer->closeNow();
        QTRY_COMPARE(p.listener.events, list({"7 closed"}));
        QVERIFY(!p.listener.closedInsideOwnerCall);
    }

    void closeIsBoundedInTime()
    {
        Pair p;
        QElapsedTimer clock;
        clock.start();
        p.connection->close(1000, "idle");
        QTRY_COMPARE_WITH_TIMEOUT(p.listener.events, list({"7 closed"}), 5000);
        QVERIFY2(clock.elapsed() >= CloseTimeoutMs - 50, QByteArray::number(clock.elapsed()));
        QVERIFY(p.peer->ended());
    }

    void answersThePeersCloseWithItsCode()
    {
        Pair p;
        p.peer->send(clientFrame(0x88, closePayload(4001, "bye")));
        QCOMPARE(p.peer->read(), serverFrame(0x8, closePayload(4001)));
        QVERIFY(p.peer->ended()); // our side shut at once: nothing more to say
        QVERIFY(p.listener.events.isEmpty());
        p.peer->closeNow();
        QTRY_COMPARE(p.listener.events, list({"7 closed"}));
    }

    void answersACloseWithoutCodeWithout()
    {
        Pair p;
        p.peer->send(clientFrame(0x88, ""));
        QCOMPARE(p.peer->read(), serverFrame(0x8, ""));
    }

    void failsTheConnectionOnAFramingError_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::newRow("unmasked") << clientFrame(0x81, "x", false) << 1002;
        QTest::newRow("bad UTF-8") << clientFrame(0x81, "\xff") << 1007;
        QTest::newRow("too big") << QByteArray::fromHex("82fe0401") + QByteArray(4, '\0') << 1009;
        QTest::newRow("bad close code") << clientFrame(0x88, closePayload(1005)) << 1002;
    }
    void failsTheConnectionOnAFramingError()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        Pair p;
        p.peer->send(bytes);
        const QByteArray closeFrame = p.peer->read();
        QVERIFY2(closeFrame.size() > 4, closeFrame.toHex().constData()); // with a reason
        QCOMPARE(quint8(closeFrame.at(0)), quint8(0x88));
        QCOMPARE(closeFrame.mid(2, 2), closePayload(code));
        QVERIFY(p.peer->ended()); // the peer's close frame is not waited for
        QVERIFY(p.listener.events.isEmpty());
        p.peer->closeNow();
        QTRY_COMPARE(p.listener.events, list({"7 closed"}));
    }

    void abortClosesAtOnceAndTellsLater()
    {
        Pair p;
        p.peer->send(clientFrame(0x81, "unread"));
        p.listener.insideOwnerCall = true;
        p.connection->abort();
        p.connection->abort();
        p.connection->write(QByteArrayView("nothing"));
        p.connection->close(1000, "nothing");
        p.connection->flush();
        p.listener.insideOwnerCall = false;
        QVERIFY(p.listener.events.isEmpty());
        QVERIFY(p.peer->ended());
        QTRY_COMPARE(p.listener.events, list({"7 closed"}));
        QVERIFY(!p.listener.closedInsideOwnerCall);
        QTest::qWait(50);
        QCOMPARE(p.listener.events, list({"7 closed"})); // once
    }

    void peerThatGoesAwayEndsTheConnection()
    {
        Pair p;
        p.peer->closeNow();
        QTRY_COMPARE(p.listener.events, list({"7 closed"}));
        p.connection->write(QByteArrayView("after the end")); // harmless
    }

    void listenerMayDeleteTheConnectionWhenClosed()
    {
        Pair p;
        p.listener.deleteOnClose = &p.connection;
        p.connection->abort();
        QTRY_VERIFY(!p.connection);
        QTest::qWait(20); // the notifiers go later; nothing may reach the deleted connection
    }

    void destroyingItClosesTheDescriptorSilently()
    {
        Pair p;
        p.connection.reset();
        QVERIFY(p.peer->ended());
        QTest::qWait(20);
        QVERIFY(p.listener.events.isEmpty());
    }

    // A WebSocket worker's connections are destroyed with the worker, after its thread's event
    // loop has ended, where nothing runs a deferred delete any more: the connection's notifiers
    // and close timer must go with it (under ASan, LeakSanitizer finds what is left).
    void destroyedAfterItsThreadsLoopEndedLeavesNothing()
    {
        struct Owner : QObject
        {
            std::unique_ptr<RawWebSocket> connection;
        };
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        Peer peer(fds[1]);
        Recorder listener;
        QThread thread;
        auto *owner = new Owner;
        owner->moveToThread(&thread);
        connect(&thread, &QThread::finished, owner, &QObject::deleteLater);
        QMetaObject::invokeMethod(owner, [&, owner, fd = fds[0]] {
            owner->connection =
                std::make_unique<RawWebSocket>(fd, 7, listener, Limit, CloseTimeoutMs);
            owner->connection->close(1001, "going away"); // starts the close timer too
            QThread::currentThread()->quit();
        });
        thread.start();
        QVERIFY(thread.wait(5000));
        QVERIFY(peer.read(0).startsWith(serverFrame(0x8, closePayload(1001, "going away"))));
        QVERIFY(peer.ended());
        QVERIFY(listener.events.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRawWebSocket)
#include "tst_rawwebsocket.moc"
