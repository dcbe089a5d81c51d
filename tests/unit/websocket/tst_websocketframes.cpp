// SPDX-License-Identifier: Apache-2.0
// The frames a client writes (RFC 6455 §5.2, §5.3): read back by the server's reader, and
// masked so that the payload is not on the wire as it is.
#include "websocket/websocketframereader.h"
#include "websocket/websocketframes.h"

#include <QTest>

using namespace herald;
using Reader = WebSocketFrameReader;

class TestWebSocketFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aServerReadsWhatTheClientWrites_data()
    {
        QTest::addColumn<int>("size");
        for (int size : {0, 1, 125, 126, 65535, 65536})
            QTest::addRow("%d bytes", size) << size;
    }
    void aServerReadsWhatTheClientWrites()
    {
        QFETCH(int, size);
        QByteArray payload(size, 'x');
        for (int i = 0; i < size; ++i)
            payload[i] = char('a' + i % 26);
        const QByteArray frame = maskedFrame(WebSocketOpcode::Text, payload, 0x12345678);
        if (size > 0)
            QVERIFY(!frame.contains(payload.first(std::min(size, 8))));
        Reader reader(Reader::Role::Server, 1 << 20);
        QCOMPARE(reader.feed(frame.constData(), frame.size()), frame.size());
        QVERIFY(reader.hasEvent());
        const Reader::Event event = reader.takeEvent();
        QCOMPARE(event.type, Reader::EventType::Text);
        QCOMPARE(event.payload, payload);
    }

    void writesCloseFrames()
    {
        const QByteArray frame =
            maskedFrame(WebSocketOpcode::Close, closePayload(4001, "bye"), 0xCAFEBABE);
        Reader reader(Reader::Role::Server, 1024);
        reader.feed(frame.constData(), frame.size());
        const Reader::Event event = reader.takeEvent();
        QCOMPARE(event.type, Reader::EventType::Close);
        QCOMPARE(event.closeCode, 4001);
        QCOMPARE(event.payload, QByteArray("bye"));
    }

    void cutsACloseReasonOnACharacterBoundary()
    {
        const QByteArray reason = QByteArray(122, 'r') + "\xC3\xA9"; // 124 bytes, é last
        QCOMPARE(fitCloseReason(reason), QByteArray(122, 'r'));
        QCOMPARE(fitCloseReason("short"), QByteArray("short"));
        QCOMPARE(closePayload(1000, reason).size(), 124);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFrames)
#include "tst_websocketframes.moc"
