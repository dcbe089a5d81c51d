// SPDX-License-Identifier: Apache-2.0
// WebSocketFrameReader against RFC 6455 §5 (framing), §7.4 (close codes) and §8.1 (UTF-8):
// every rule, with the input split in every way a socket might split it, in the server role
// (frames masked). The client role: tst_websocketframereaderclient.
#include "websocketframetestdata.h"

using namespace herald;
using namespace herald::test;

class TestWebSocketFrameReader : public QObject
{
    Q_OBJECT

private slots:
    void readsMessagesAndControlFrames_data() { addSplits(); }
    void readsMessagesAndControlFrames()
    {
        QFETCH(int, chunk);
        const QByteArray bytes = frame(Fin | Text, "hello") + frame(Fin | Ping, "are you there") +
                                 frame(Fin | Binary, QByteArray(3, '\0')) + frame(Fin | Pong, "") +
                                 frame(Fin | Text, "") +
                                 frame(Fin | Close, rawClosePayload(1000, "bye"));
        QCOMPARE(readAll(bytes, chunk), list({"text:hello", "ping:are you there", "binary:3",
                                              "pong:", "text:", "close:1000:bye"}));
    }

    void stopsAtTheEndOfEachEvent()
    {
        Reader reader(Server, Limit);
        const QByteArray first = frame(Fin | Text, "one");
        const QByteArray both = first + frame(Fin | Text, "two");
        QCOMPARE(reader.feed(both.constData(), both.size()), first.size());
        QVERIFY(reader.hasEvent());
        QCOMPARE(reader.feed(both.constData() + first.size(), 1), 0); // until it is taken
        QCOMPARE(describe(reader.takeEvent()), QStringLiteral("text:one"));
        QCOMPARE(reader.feed(both.constData() + first.size(), both.size() - first.size()),
                 both.size() - first.size());
        QCOMPARE(describe(reader.takeEvent()), QStringLiteral("text:two"));
        QVERIFY(!reader.hasEvent());
    }

    void readsEveryLengthForm_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("form");
        QTest::addColumn<int>("chunk");
        for (int size : {0, 125, 126, 65535, 65536}) {
            for (auto form : {LengthForm::Shortest, LengthForm::Sixteen, LengthForm::SixtyFour}) {
                if (form == LengthForm::Sixteen && size > 0xFFFF)
                    continue;
                for (int chunk : {0, 1, 4096}) {
                    QTest::addRow("%d bytes, form %d, chunk %d", size, int(form), chunk)
                        << size << int(form) << chunk;
                }
            }
        }
    }
    void readsEveryLengthForm()
    {
        // Lengths need not be minimally encoded: a 16- or 64-bit field for a short payload is
        // read as what it says.
        QFETCH(int, size);
        QFETCH(int, form);
        QFETCH(int, chunk);
        QByteArray payload(size, 'x');
        for (int i = 0; i < size; ++i)
            payload[i] = char('a' + i % 26);
        Reader reader(Server, 128 * 1024);
        const QStringList seen =
            readAll(reader, frame(Fin | Text, payload, true, LengthForm(form)), chunk);
        QCOMPARE(seen, QStringList{QStringLiteral("text:") + QString::fromLatin1(payload)});
    }

    void refusesA64BitLengthWithTheTopBitSet()
    {
        QByteArray bytes = frame(Fin | Binary, "abc", true, LengthForm::SixtyFour);
        bytes[2] = char(0x80);
        QCOMPARE(readAll(bytes), list({"error:1002"}));
    }

    void joinsFragmentsWithControlFramesBetween_data() { addSplits(); }
    void joinsFragmentsWithControlFramesBetween()
    {
        QFETCH(int, chunk);
        const QByteArray bytes = frame(Text, "frag") + frame(Fin | Ping, "p") +
                                 frame(Continuation, "men") + frame(Fin | Pong, "q") +
                                 frame(Fin | Continuation, "ted") + frame(Binary, "ab") +
                                 frame(Fin | Continuation, "c");
        QCOMPARE(readAll(bytes, chunk), list({"ping:p", "pong:q", "text:fragmented", "binary:3"}));
    }

    void refusesFramingErrors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("chunk");
        struct Case
        {
            const char *name;
            QByteArray bytes;
        };
        const QList<Case> cases = {
            {"unmasked text", frame(Fin | Text, "hello", false)},
            {"unmasked close", frame(Fin | Close, rawClosePayload(1000), false)},
            {"RSV1", frame(Fin | 0x40 | Text, "x")},
            {"RSV2", frame(Fin | 0x20 | Text, "x")},
            {"RSV3", frame(Fin | 0x10 | Text, "x")},
            {"opcode 3", frame(Fin | 0x3, "x")},
            {"opcode 7", frame(Fin | 0x7, "x")},
            {"opcode B", frame(Fin | 0xB, "x")},
            {"opcode F", frame(Fin | 0xF, "x")},
            {"fragmented ping", frame(Ping, "x")},
            {"fragmented close", frame(Close, rawClosePayload(1000))},
            {"ping of 126 bytes", frame(Fin | Ping, QByteArray(126, 'p'))},
            {"close of 126 bytes", frame(Fin | Close, rawClosePayload(1000, QByteArray(124, 'r')))},
            {"continuation first", frame(Fin | Continuation, "x")},
            {"text inside a fragmented text", frame(Text, "a") + frame(Fin | Text, "b")},
            {"binary inside a fragmented text", frame(Text, "a") + frame(Fin | Binary, "b")},
        };
        for (const Case &c : cases) {
            for (int chunk : {0, 1})
                QTest::addRow("%s, chunk %d", c.name, chunk) << c.bytes << chunk;
        }
    }
    void refusesFramingErrors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, chunk);
        Reader reader(Server, Limit);
        QCOMPARE(readAll(reader, bytes, chunk), list({"error:1002"}));
        QVERIFY(reader.isFinished());
        QVERIFY(*reader.errorReason() != '\0');
    }

    void refusesAnUnmaskedFrameAtItsSecondByte()
    {
        // Nothing more of the frame is waited for.
        Reader reader(Server, Limit);
        const QByteArray bytes = frame(Fin | Text, "hello", false);
        QCOMPARE(reader.feed(bytes.constData(), 2), 2);
        QCOMPARE(reader.errorCode(), Reader::ProtocolError);
        QCOMPARE(reader.errorReason(), "unmasked frame");
    }

    void takesMessagesUpToTheLimit_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray atLimit(Limit, 'a');
        QTest::newRow("one frame at the limit")
            << frame(Fin | Text, atLimit) << QStringLiteral("text:") + QString::fromLatin1(atLimit);
        QTest::newRow("fragments adding up to the limit")
            << frame(Binary, QByteArray(Limit - 10, 'b')) + frame(Fin | Continuation, "0123456789")
            << QStringLiteral("binary:%1").arg(Limit);
        QTest::newRow("one frame a byte over")
            << frame(Fin | Text, QByteArray(Limit + 1, 'a')) << QStringLiteral("error:1009");
        QTest::newRow("fragments adding up to a byte over")
            << frame(Text, QByteArray(Limit, 'a')) + frame(Fin | Continuation, "b")
            << QStringLiteral("error:1009");
        QTest::newRow("64-bit length of 2^62")
            << QByteArray::fromHex("82ff4000000000000000") + QByteArray(4, '\0')
            << QStringLiteral("error:1009");
    }
    void takesMessagesUpToTheLimit()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QCOMPARE(readAll(bytes, 1000), QStringList{expected});
    }

    void refusesAnOversizeMessageAtItsHeader()
    {
        // The payload is never waited for, let alone held.
        Reader reader(Server, Limit);
        const QByteArray bytes = frame(Fin | Binary, QByteArray(Limit + 1, 'x'));
        const qsizetype headerSize = 2 + 8 + 4;
        QCOMPARE(reader.feed(bytes.constData(), headerSize), headerSize);
        QCOMPARE(reader.errorCode(), Reader::MessageTooBig);
    }

    void checksTextIsUtf8_data()
    {
        QTest::addColumn<QList<QByteArray>>("fragments"); // frames of one text message
        QTest::addColumn<bool>("valid");
        auto row = [](const char *name, QList<QByteArray> fragments, bool valid) {
            QTest::newRow(name) << fragments << valid;
        };
        row("ASCII", {"plain"}, true);
        row("two, three and four bytes", {"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"}, true);
        row("limits U+07FF U+FFFF U+10FFFF", {"\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf"}, true);
        row("euro sign split over fragments", {"\xe2", "\x82", "\xac"}, true);
        row("emoji split over fragments", {"a\xf0\x9f", "\x98\x80z"}, true);
        row("lone continuation byte", {"a\x80z"}, false);
        row("overlong two bytes", {"\xc0\xaf"}, false);
        row("overlong C1", {"\xc1\xbf"}, false);
        row("overlong three bytes", {"\xe0\x80\xaf"}, false);
        row("overlong four bytes", {"\xf0\x80\x80\xaf"}, false);
        row("surrogate", {"\xed\xa0\x80"}, false);
        row("above U+10FFFF", {"\xf4\x90\x80\x80"}, false);
        row("F5", {"\xf5\x80\x80\x80"}, false);
        row("FF", {"\xff"}, false);
        row("truncated at the end", {"ok\xe2\x82"}, false);
        row("truncated before a new character", {"\xe2\x82z"}, false);
        row("truncated in the last fragment", {"\xe2", "\x82"}, false);
        // Past eight bytes ASCII is checked a word at a time: odd bytes in and at word edges.
        row("bad byte in the third word", {"0123456789abcdefg\xffhij"}, false);
        row("bad byte starting the second word",
            {"01234567\x80"
             "abcdefgh"},
            false);
        row("bad byte ending a long text", {"0123456789abcdef\xc0"}, false);
        row("euro sign across a word edge",
            {"0123456\xe2\x82\xac"
             "89abcdefgh"},
            true);
        row("long ASCII, then a truncated character", {"0123456789abcdef\xe2\x82"}, false);
        row("long ASCII over fragments",
            {"0123456789", "abcdefghijklmnopq\xc3", "\xa9rstuvwxyz0123"}, true);
    }
    void checksTextIsUtf8()
    {
        QFETCH(QList<QByteArray>, fragments);
        QFETCH(bool, valid);
        QByteArray bytes;
        QByteArray whole;
        for (qsizetype i = 0; i < fragments.size(); ++i) {
            const bool last = i == fragments.size() - 1;
            const quint8 first = (i == 0 ? Text : Continuation) | (last ? Fin : 0);
            bytes += frame(first, fragments[i]);
            whole += fragments[i];
        }
        for (int chunk : {0, 1}) {
            const QStringList seen = readAll(bytes, chunk);
            if (valid)
                QCOMPARE(seen, QStringList{QStringLiteral("text:") + QString::fromUtf8(whole)});
            else
                QCOMPARE(seen, list({"error:1007"}));
        }
    }

    void refusesBadUtf8BeforeTheMessageEnds()
    {
        // Fail fast (RFC 6455 §8.1): the bad byte is enough, the rest of the message is not
        // waited for.
        Reader reader(Server, Limit);
        const QByteArray bytes = frame(Text, "fine \xff and more");
        QCOMPARE(readAll(reader, bytes), list({"error:1007"}));
        QCOMPARE(reader.errorReason(), "text is not UTF-8");
    }

    void leavesBinaryUnchecked()
    {
        QCOMPARE(readAll(frame(Fin | Binary, "\xff\xfe\xc0")), list({"binary:3"}));
    }

    void readsClosePayloads_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("close:1005:");
        QTest::newRow("one byte") << QByteArray(1, '\x03') << QStringLiteral("error:1002");
        for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
                         3000, 3999, 4000, 4999}) {
            QTest::addRow("code %d", code)
                << rawClosePayload(code) << QStringLiteral("close:%1:").arg(code);
        }
        for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            QTest::addRow("code %d", code) << rawClosePayload(code) << QStringLiteral("error:1002");
        }
        QTest::newRow("UTF-8 reason")
            << rawClosePayload(1000, "d\xc3\xa9j\xc3\xa0") << QStringLiteral("close:1000:déjà");
        QTest::newRow("reason not UTF-8")
            << rawClosePayload(1000, "bad \xff") << QStringLiteral("error:1007");
        QTest::newRow("reason cut inside a character")
            << rawClosePayload(1000, "\xc3") << QStringLiteral("error:1007");
    }
    void readsClosePayloads()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, expected);
        QCOMPARE(readAll(frame(Fin | Close, payload)), QStringList{expected});
        QCOMPARE(readAll(frame(Fin | Close, payload), 1), QStringList{expected});
    }

    void readsNothingAfterTheClose()
    {
        Reader reader(Server, Limit);
        const QByteArray bytes =
            frame(Fin | Close, rawClosePayload(1001)) + frame(Fin | Text, "late");
        QCOMPARE(readAll(reader, bytes), list({"close:1001:"}));
        QVERIFY(reader.isFinished());
        const QByteArray more = frame(Fin | Text, "later");
        QCOMPARE(reader.feed(more.constData(), more.size()), more.size());
        QVERIFY(!reader.hasEvent());
        QVERIFY(!reader.hasFailed());
    }

    void readsNothingAfterAnError()
    {
        Reader reader(Server, Limit);
        QCOMPARE(readAll(reader, frame(Fin | Text, "x", false) + frame(Fin | Text, "y")),
                 list({"error:1002"}));
        const QByteArray more = frame(Fin | Text, "z");
        QCOMPARE(reader.feed(more.constData(), more.size()), more.size());
        QVERIFY(!reader.hasEvent());
        QCOMPARE(reader.errorCode(), Reader::ProtocolError);
    }

    void unmasksWithTheFramesOwnKey()
    {
        // Two frames with different keys, the second starting mid-chunk.
        const char otherKey[4] = {'\x01', '\x02', '\x03', '\x04'};
        QByteArray payload = "second";
        for (int i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ otherKey[i % 4]);
        QByteArray second;
        second.append(char(Fin | Text)).append(char(0x80 | payload.size()));
        second.append(otherKey, 4).append(payload);
        QCOMPARE(readAll(frame(Fin | Text, "first") + second, 5),
                 list({"text:first", "text:second"}));
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFrameReader)
#include "tst_websocketframereader.moc"
