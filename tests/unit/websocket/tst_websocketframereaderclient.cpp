// SPDX-License-Identifier: Apache-2.0
// WebSocketFrameReader in the client role: frames as a server sends them (unmasked) are read
// with every split, a masked one fails the connection (RFC 6455 §5.1), and the other rules
// hold as for the server (tst_websocketframereader).
#include "websocketframetestdata.h"

using namespace herald;
using namespace herald::test;

class TestWebSocketFrameReaderClient : public QObject
{
    Q_OBJECT

private slots:
    void readsUnmaskedFramesAsAClient_data() { addSplits(); }
    void readsUnmaskedFramesAsAClient()
    {
        QFETCH(int, chunk);
        const QByteArray bytes =
            serverFrame(Fin | Text, "hello") + serverFrame(Fin | Ping, "are you there") +
            serverFrame(Text, "frag") + serverFrame(Continuation, "men") +
            serverFrame(Fin | Continuation, "ted") + serverFrame(Fin | Binary, "bin") +
            serverFrame(Fin | Text, QByteArray(300, 'l')) +
            serverFrame(Fin | Close, rawClosePayload(1013, "later"));
        QCOMPARE(
            readAllAsClient(bytes, chunk),
            list({"text:hello", "ping:are you there", "text:fragmented", "binary:3",
                  qPrintable(QStringLiteral("text:") + QString(300, u'l')), "close:1013:later"}));
    }

    void refusesAMaskedFrameAsAClient_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("text") << frame(Fin | Text, "hello");
        QTest::newRow("close") << frame(Fin | Close, rawClosePayload(1000));
        QTest::newRow("ping") << frame(Fin | Ping, "x");
        QTest::newRow("after an unmasked one")
            << serverFrame(Text, "a") + frame(Fin | Continuation, "b");
    }
    void refusesAMaskedFrameAsAClient()
    {
        // RFC 6455 §5.1: a client fails the connection on a masked frame, at its second byte.
        QFETCH(QByteArray, bytes);
        Reader reader(Client, Limit);
        const QStringList seen = readAll(reader, bytes, 1);
        QCOMPARE(seen.last(), QStringLiteral("error:1002"));
        QCOMPARE(reader.errorReason(), "masked frame");
    }

    void appliesTheOtherRulesAsAClient_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("RSV1") << serverFrame(Fin | 0x40 | Text, "x")
                              << QStringLiteral("error:1002");
        QTest::newRow("fragmented ping") << serverFrame(Ping, "x") << QStringLiteral("error:1002");
        QTest::newRow("continuation first")
            << serverFrame(Fin | Continuation, "x") << QStringLiteral("error:1002");
        QTest::newRow("close code 1005")
            << serverFrame(Fin | Close, rawClosePayload(1005)) << QStringLiteral("error:1002");
        QTest::newRow("text not UTF-8")
            << serverFrame(Fin | Text, "\xC0\xAF") << QStringLiteral("error:1007");
        QTest::newRow("over the limit")
            << serverFrame(Fin | Text, QByteArray(Limit + 1, 'x')) << QStringLiteral("error:1009");
    }
    void appliesTheOtherRulesAsAClient()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QCOMPARE(readAllAsClient(bytes).last(), expected);
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFrameReaderClient)
#include "tst_websocketframereaderclient.moc"
