// SPDX-License-Identifier: Apache-2.0
// The server's text frames (net/wsframe.h): the header RFC 6455 gives each payload length
// (7-bit, 16-bit and 64-bit lengths, at and around their bounds), whether the payload is copied
// in or written in place, and a notification's frame as Outgoing makes it, byte for byte the
// frame of JsonCodec's text.
#include "codec/jsoncodec.h"
#include "net/wsframe.h"
#include "ws/outgoing.h"

#include <QTest>

#include <thread>
#include <vector>

using namespace herald;
using namespace herald::syncd;

namespace {
// RFC 6455, 5.2, written out: FIN + text opcode, no mask, then the length.
QByteArray expectedHeader(quint64 length)
{
    QByteArray header(1, char(0x81));
    if (length <= 125) {
        header += char(length);
    } else if (length <= 65535) {
        header += char(126);
        header += char(length / 256);
        header += char(length % 256);
    } else {
        header += char(127);
        for (int byte = 7; byte >= 0; --byte)
            header += char((length >> (8 * byte)) & 0xFF);
    }
    return header;
}
} // namespace

class TestTextFrames : public QObject
{
    Q_OBJECT

private slots:
    void headerOfEveryLength_data()
    {
        QTest::addColumn<int>("length");
        for (int length : {0, 1, 125, 126, 127, 65535, 65536, 70000})
            QTest::addRow("%d bytes", length) << length;
    }

    void headerOfEveryLength()
    {
        QFETCH(int, length);
        QByteArray payload(length, 'x');
        for (int i = 0; i < length; ++i)
            payload[i] = char('a' + i % 26);
        const QByteArray expected = expectedHeader(quint64(length)) + payload;
        QCOMPARE(webSocketTextFrame(payload), expected);
        QCOMPARE(webSocketTextFrameOf([&](QByteArray &out) { out += payload; }), expected);
    }

    void notificationFrameIsTheCodecsText()
    {
        Notification n;
        n.id = 1234567890123;
        n.application = QStringLiteral("ops");
        n.channel = QStringLiteral("deploys");
        n.title = QStringLiteral("Deploy \"7\" done");
        n.message = QString(300, QChar(u'\u00e9')); // a 16-bit length
        n.time = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
        const ServerMessage message = NotificationMessage{n};
        const Outgoing outgoing(message, channelKey(n.application, n.channel), {});
        QCOMPARE(outgoing.nativeFrame(), webSocketTextFrame(JsonCodec::encode(message)));
        // Made once, whichever of several threads asks first: every caller gets those bytes.
        const Outgoing shared(message, channelKey(n.application, n.channel), {});
        std::vector<const char *> seen(4);
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < seen.size(); ++i)
            threads.emplace_back([&, i] { seen[i] = shared.nativeFrame().constData(); });
        for (std::thread &t : threads)
            t.join();
        for (const char *bytes : seen)
            QCOMPARE(bytes, shared.nativeFrame().constData());
        const ServerMessage pong = PongMessage{};
        QCOMPARE(Outgoing(pong, {}, {}).nativeFrame(), webSocketTextFrame(JsonCodec::encode(pong)));
    }
};

QTEST_APPLESS_MAIN(TestTextFrames)
#include "tst_textframes.moc"
