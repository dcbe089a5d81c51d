// SPDX-License-Identifier: Apache-2.0
// JsonCodec on the WebSocket side: client frames (register, ack, ping, publish) and server frames
// (registered, notification, acknowledged, deleted, published, error...) written exactly and read
// back, ids kept integral, and the frames it refuses. REST bodies are tested in tst_jsoncodec.cpp.
#include "codec/jsoncodec.h"
#include "jsoncodectestdata.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace herald;
using namespace herald::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(herald::ServerMessage)
Q_DECLARE_METATYPE(herald::ClientMessage)

namespace {

// Ids must be written as plain integers, never as 1.7e+15 or 123.0: outside of string
// literals, no digit may be followed by a decimal point or an exponent.
bool hasOnlyIntegerNumbers(const QByteArray &text)
{
    static const QRegularExpression stringLiteral(QStringLiteral("\"(?:[^\"\\\\]|\\\\.)*\""));
    static const QRegularExpression nonInteger(u"[0-9][.eE]"_s);
    QString rest = QString::fromUtf8(text);
    rest.remove(stringLiteral);
    return !nonInteger.match(rest).hasMatch();
}

} // namespace

class TestJsonFrames : public QObject
{
    Q_OBJECT

private slots:
    void ignoresUnknownKeys();
    void keepsIdsIntegral_data();
    void keepsIdsIntegral();
    void encodesServerMessagesExactly_data();
    void encodesServerMessagesExactly();
    void encodesNotificationFrame();
    void quotesEveryKindOfText_data();
    void quotesEveryKindOfText();
    void roundTripsServerMessage_data();
    void roundTripsServerMessage();
    void encodesIntoTheSameText_data() { roundTripsServerMessage_data(); }
    void encodesIntoTheSameText();
    void roundTripsClientMessage_data();
    void roundTripsClientMessage();
    void readsRefOfRefusedPublish();
    void decodesProtocolRegisterExample();
    void acceptsAckIds_data();
    void acceptsAckIds();
    void rejectsMalformedFrames_data();
    void rejectsMalformedFrames();
};

void TestJsonFrames::ignoresUnknownKeys()
{
    const JsonCodec codec;
    auto client = codec.decodeClientMessage(
        R"({"type":"register","clientId":"d1","subscriptions":[{"application":"a","channels":["c"],"mute":true}],"future":1})");
    QVERIFY2(client, qPrintable(client ? QString() : client.error().message));
    QVERIFY(std::holds_alternative<RegisterMessage>(*client));

    auto server = codec.decodeServerMessage(R"({"type":"pong","serverLoad":0.5})");
    QVERIFY(server);
    QVERIFY(std::holds_alternative<PongMessage>(*server));
}

void TestJsonFrames::keepsIdsIntegral_data()
{
    QTest::addColumn<qint64>("id");
    QTest::newRow("1") << qint64(1);
    QTest::newRow("typical") << qint64(1700000000000000);
    QTest::newRow("2^52") << (qint64(1) << 52);
    QTest::newRow("2^53-1") << MaxId;
}

void TestJsonFrames::keepsIdsIntegral()
{
    QFETCH(qint64, id);
    // The checker itself must catch the forms Qt writes for doubles.
    QVERIFY(!hasOnlyIntegerNumbers(R"({"id":1.7e+15,"t":"1.5"})"));
    QVERIFY(!hasOnlyIntegerNumbers(R"({"ids":[1,2.5]})"));
    QVERIFY(hasOnlyIntegerNumbers(R"({"id":17,"t":"1.5e3"})"));
    const JsonCodec codec;
    const QByteArray digits = QByteArray::number(id);

    const QByteArray acked = JsonCodec::encode(ServerMessage(AcknowledgedMessage{{id, 2}}));
    QCOMPARE(acked, "{\"type\":\"acknowledged\",\"ids\":[" + digits + ",2]}");
    auto ackedBack = codec.decodeServerMessage(acked);
    QVERIFY(ackedBack);
    QCOMPARE(std::get<AcknowledgedMessage>(*ackedBack).ids, (QList<NotificationId>{id, 2}));

    Notification n = fullNotification();
    n.id = id;
    const QByteArray frame = JsonCodec::encode(ServerMessage(NotificationMessage{n}));
    QVERIFY2(frame.contains(QByteArray("\"id\":" + digits + ",")), frame.constData());
    QVERIFY2(hasOnlyIntegerNumbers(frame), frame.constData());
    auto frameBack = codec.decodeServerMessage(frame);
    QVERIFY2(frameBack, qPrintable(frameBack ? QString() : frameBack.error().message));
    QCOMPARE(std::get<NotificationMessage>(*frameBack).notification.id, id);

    const QByteArray ack = JsonCodec::encode(ClientMessage(AckMessage{{id}}));
    QCOMPARE(ack, "{\"type\":\"ack\",\"ids\":[" + digits + "]}");
    auto ackBack = codec.decodeClientMessage(ack);
    QVERIFY(ackBack);
    QCOMPARE(std::get<AckMessage>(*ackBack).ids, QList<NotificationId>{id});

    RegisterMessage reg{u"d"_s, {}, {}, {{u"a"_s, {u"c"_s}}}, 3, id};
    const QByteArray regText = JsonCodec::encode(ClientMessage(reg));
    QVERIFY2(regText.contains(QByteArray("\"lastNotificationId\":" + digits + "}")),
             regText.constData());
}

void TestJsonFrames::encodesServerMessagesExactly_data()
{
    QTest::addColumn<ServerMessage>("message");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("registered")
        << ServerMessage(RegisteredMessage{u"s-1"_s, 3, utc(2026, 11, 22, 12, 0, 0, 123)})
        << QByteArray(
               R"({"type":"registered","sessionId":"s-1","node":3,"serverTime":"2026-11-22T12:00:00.123Z"})");
    QTest::newRow("backlogDone") << ServerMessage(BacklogDoneMessage{})
                                 << QByteArray(R"({"type":"backlogDone"})");
    QTest::newRow("acknowledged") << ServerMessage(AcknowledgedMessage{{1, 2}})
                                  << QByteArray(R"({"type":"acknowledged","ids":[1,2]})");
    QTest::newRow("deleted") << ServerMessage(DeletedMessage{{42}})
                             << QByteArray(R"({"type":"deleted","ids":[42]})");
    QTest::newRow("pong") << ServerMessage(PongMessage{}) << QByteArray(R"({"type":"pong"})");
    QTest::newRow("error")
        << ServerMessage(ErrorMessage{u"bad_request"_s, QStringLiteral("ids[4]: \"x\"")})
        << QByteArray(
               "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"ids[4]: \\\"x\\\"\"}");
    QTest::newRow("error answering a publish")
        << ServerMessage(ErrorMessage{u"forbidden"_s, u"no"_s, u"r-1"_s})
        << QByteArray(R"({"type":"error","code":"forbidden","message":"no","ref":"r-1"})");
    QTest::newRow("published") << ServerMessage(PublishedMessage{u"r-1"_s, MaxId})
                               << QByteArray(
                                      R"({"type":"published","ref":"r-1","id":9007199254740991})");
}

void TestJsonFrames::encodesServerMessagesExactly()
{
    QFETCH(ServerMessage, message);
    QFETCH(QByteArray, expected);
    QCOMPARE(JsonCodec::encode(message), expected);
}

void TestJsonFrames::encodesNotificationFrame()
{
    const QByteArray frame =
        JsonCodec::encode(ServerMessage(NotificationMessage{fullNotification()}));
    QVERIFY2(frame.startsWith(R"({"type":"notification","data":{)"), frame.constData());
    QVERIFY(!frame.contains('\n'));
    const QJsonObject object = parsed(frame);
    QCOMPARE(object.keys(), (QStringList{u"data"_s, u"type"_s}));
    QCOMPARE(object.value(u"data"_s).toObject(), JsonCodec::toJson(fullNotification()));
}

void TestJsonFrames::quotesEveryKindOfText_data()
{
    // The title as written in the frame: plain ASCII is copied as it is, anything else goes
    // through the escaping path. Long texts put the odd character past the first 16 units.
    QTest::addColumn<QString>("title");
    QTest::addColumn<QByteArray>("written");
    const QString pad = u"0123456789abcdefghij"_s;
    QTest::newRow("empty") << QString() << QByteArray(R"("")");
    QTest::newRow("plain") << u"disk full on db-1: 92%"_s
                           << QByteArray(R"("disk full on db-1: 92%")");
    QTest::newRow("space and tilde") << u" ~"_s << QByteArray(R"(" ~")");
    QTest::newRow("DEL") << u"a\x7f"_s << QByteArray("\"a\x7f\"");
    QTest::newRow("quote") << pad + u'"' << QByteArray("\"" + pad.toLatin1() + "\\\"\"");
    QTest::newRow("backslash") << pad + u'\\' << QByteArray("\"" + pad.toLatin1() + "\\\\\"");
    QTest::newRow("unit separator")
        << pad + QChar(0x1f) << QByteArray("\"" + pad.toLatin1() + "\\u001f\"");
    QTest::newRow("newline") << u"a\nb"_s << QByteArray(R"("a\nb")");
    QTest::newRow("first non-ASCII")
        << pad + QChar(0x80) << QByteArray("\"" + pad.toLatin1() + "\xc2\x80\"");
    QTest::newRow("e acute") << u"caf\u00e9"_s << QByteArray("\"caf\xc3\xa9\"");
    QTest::newRow("emoji") << u"\U0001F600"_s << QByteArray("\"\xf0\x9f\x98\x80\"");
}

void TestJsonFrames::quotesEveryKindOfText()
{
    QFETCH(QString, title);
    QFETCH(QByteArray, written);
    Notification n = minimalNotification();
    n.title = title;
    const QByteArray frame = JsonCodec::encode(ServerMessage(NotificationMessage{n}));
    QVERIFY2(frame.contains(QByteArray(QByteArray("\"title\":") + written)), frame.constData());
    QCOMPARE(parsed(frame).value(u"data"_s).toObject().value(u"title"_s).toString(), title);
}

void TestJsonFrames::roundTripsServerMessage_data()
{
    QTest::addColumn<ServerMessage>("message");
    QTest::newRow("registered") << ServerMessage(
        RegisteredMessage{u"abc"_s, 63, utc(2030, 5, 6, 7, 8, 9, 10)});
    QTest::newRow("notification") << ServerMessage(NotificationMessage{fullNotification()});
    QTest::newRow("minimal notification")
        << ServerMessage(NotificationMessage{minimalNotification()});
    QTest::newRow("backlogDone") << ServerMessage(BacklogDoneMessage{});
    QTest::newRow("acknowledged") << ServerMessage(AcknowledgedMessage{{1, MaxId}});
    QTest::newRow("deleted") << ServerMessage(DeletedMessage{{5, 6, 7}});
    QTest::newRow("pong") << ServerMessage(PongMessage{});
    QTest::newRow("error") << ServerMessage(
        ErrorMessage{u"rate_limited"_s, u"slow down \u00e9 \U0001F600 \\ \n"_s});
    QTest::newRow("error with ref")
        << ServerMessage(ErrorMessage{u"bad_request"_s, u"title: too long"_s, u"\u00e9 7"_s});
    QTest::newRow("published") << ServerMessage(PublishedMessage{u"42"_s, 1700000000000000});
}

void TestJsonFrames::roundTripsServerMessage()
{
    QFETCH(ServerMessage, message);
    auto back = JsonCodec().decodeServerMessage(JsonCodec::encode(message));
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->index(), message.index());
    QVERIFY(*back == message);
}

void TestJsonFrames::encodesIntoTheSameText()
{
    // encodeInto appends (the notification and published frames by their own writers) exactly
    // what encode returns.
    QFETCH(ServerMessage, message);
    QByteArray out = "prefix ";
    JsonCodec::encodeInto(out, message);
    QCOMPARE(out, "prefix " + JsonCodec::encode(message));
}

void TestJsonFrames::roundTripsClientMessage_data()
{
    QTest::addColumn<ClientMessage>("message");
    QTest::newRow("register, all fields")
        << ClientMessage(RegisterMessage{u"b239d7df-bfeb-4310-a840-43846a87efac"_s,
                                         u"alice"_s,
                                         QStringLiteral("tok\"en"),
                                         {{u"app"_s, {u"c1"_s, u"c2"_s}}, {u"other"_s, {u"x"_s}}},
                                         10,
                                         42});
    QTest::newRow("register, minimal")
        << ClientMessage(RegisterMessage{u"d"_s, {}, {}, {{u"app"_s, {u"c"_s}}}, 0, {}});
    QTest::newRow("ack") << ClientMessage(AckMessage{{1, 2, MaxId}});
    QTest::newRow("ping") << ClientMessage(PingMessage{});
    // What a publish carries: the server sets id, time and node.
    Notification published = fullNotification();
    published.id = 0;
    published.time = {};
    published.node = 0;
    QTest::newRow("publish") << ClientMessage(PublishMessage{u"ref \u00e9"_s, published});
    QTest::newRow("publish, minimal") << ClientMessage(PublishMessage{QString(64, u'r'), [] {
                                                                          Notification n;
                                                                          n.application = u"a"_s;
                                                                          n.channel = u"c"_s;
                                                                          n.title = u"t"_s;
                                                                          return n;
                                                                      }()});
}

void TestJsonFrames::roundTripsClientMessage()
{
    QFETCH(ClientMessage, message);
    const QByteArray text = JsonCodec::encode(message);
    QVERIFY2(text.startsWith(R"({"type":")"), text.constData());
    auto back = JsonCodec().decodeClientMessage(text);
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QVERIFY(*back == message);
}

void TestJsonFrames::readsRefOfRefusedPublish()
{
    const JsonCodec codec;
    QString ref;
    auto refused = codec.decodeClientMessage(
        R"({"type":"publish","ref":"p-9","notification":{"application":"a b","channel":"c"}})",
        &ref);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.startsWith(u"application: "_s),
             qPrintable(refused.error().message));
    QCOMPARE(ref, u"p-9"_s);

    QString none;
    QVERIFY(!codec.decodeClientMessage(R"({"type":"publish","ref":""})", &none));
    QVERIFY(none.isEmpty()); // an unreadable ref is not answered with
    QVERIFY(!codec.decodeClientMessage(R"({"type":"ack","ids":["x"],"ref":"r"})", &none));
    QVERIFY(none.isEmpty()); // only publish frames have one
}

void TestJsonFrames::decodesProtocolRegisterExample()
{
    const QByteArray frame =
        R"({"type":"register","clientId":"<uuid of this device>","user":"alice","token":"...",
            "subscriptions":[{"application":"app","channels":["c1","c2"]}],"fetchLast":10,
            "lastNotificationId":42})";
    auto message = JsonCodec().decodeClientMessage(frame);
    QVERIFY2(message, qPrintable(message ? QString() : message.error().message));
    const RegisterMessage expected{u"<uuid of this device>"_s,       u"alice"_s, u"..."_s,
                                   {{u"app"_s, {u"c1"_s, u"c2"_s}}}, 10,         42};
    QCOMPARE(std::get<RegisterMessage>(*message), expected);

    auto minimal = JsonCodec().decodeClientMessage(
        R"({"type":"register","clientId":"d","subscriptions":[{"application":"a","channels":["c"]}]})");
    QVERIFY(minimal);
    QCOMPARE(std::get<RegisterMessage>(*minimal).fetchLast, 0);
    QVERIFY(!std::get<RegisterMessage>(*minimal).lastNotificationId);
}

void TestJsonFrames::acceptsAckIds_data()
{
    QTest::addColumn<QByteArray>("ids");
    QTest::addColumn<QList<NotificationId>>("expected");
    QTest::newRow("one") << QByteArray("[1]") << QList<NotificationId>{1};
    QTest::newRow("2^53-1") << QByteArray("[9007199254740991]") << QList<NotificationId>{MaxId};
    QTest::newRow("exponent") << QByteArray("[1e3]") << QList<NotificationId>{1000};
    QTest::newRow("integral with .0") << QByteArray("[7.0]") << QList<NotificationId>{7};
    QTest::newRow("duplicates") << QByteArray("[3,3]") << QList<NotificationId>{3, 3};
    QList<NotificationId> thousand;
    QByteArray text = "[";
    for (int i = 1; i <= 1000; ++i) {
        thousand.append(i);
        text += QByteArray::number(i) + (i < 1000 ? "," : "]");
    }
    QTest::newRow("1000 ids") << text << thousand;
}

void TestJsonFrames::acceptsAckIds()
{
    QFETCH(QByteArray, ids);
    QFETCH(QList<NotificationId>, expected);
    auto message = JsonCodec().decodeClientMessage(R"({"type":"ack","ids":)" + ids + "}");
    QVERIFY2(message, qPrintable(message ? QString() : message.error().message));
    QCOMPARE(std::get<AckMessage>(*message).ids, expected);
}

void TestJsonFrames::rejectsMalformedFrames_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expectedPrefix");

    const auto client = [](const char *name, const QByteArray &frame, const QString &prefix) {
        QTest::newRow(name) << u"client"_s << frame << prefix;
    };

    // A frame's strings are checked as a body's are: a lone surrogate would not come back as sent.
    client("frame with a lone surrogate",
           R"({"type":"register","clientId":"\ud800","subscriptions":[]})",
           u"clientId: contains an unpaired UTF-16 surrogate"_s);

    client("frame not JSON", "{\"type\":", u"frame: invalid JSON"_s);
    client("frame an array", R"([{"type":"ping"}])", u"frame: must be a JSON object"_s);
    client("frame without type", R"({"ids":[1]})", u"type: is required"_s);
    client("type not a string", R"({"type":1})", u"type: must be a string"_s);
    client("unknown type", R"({"type":"subscribe"})", u"type: unknown message type 'subscribe'"_s);
    client("ack without ids", R"({"type":"ack"})", u"ids: is required"_s);
    client("ack ids not array", R"({"type":"ack","ids":5})", u"ids: "_s);
    client("ack empty", R"({"type":"ack","ids":[]})", u"ids: must not be empty"_s);
    client("ack fraction", R"({"type":"ack","ids":[1,2,3,4,1.5]})", u"ids[4]: "_s);
    client("ack string id", R"({"type":"ack","ids":["1"]})", u"ids[0]: "_s);
    client("ack negative", R"({"type":"ack","ids":[1,-2]})", u"ids[1]: "_s);
    client("ack zero", R"({"type":"ack","ids":[0]})", u"ids[0]: "_s);
    client("ack 2^53", R"({"type":"ack","ids":[9007199254740992]})", u"ids[0]: "_s);
    client("ack huge", R"({"type":"ack","ids":[1e300]})", u"ids[0]: "_s);
    QByteArray tooMany = R"({"type":"ack","ids":[)";
    for (int i = 1; i <= 1001; ++i)
        tooMany += QByteArray::number(i) + (i < 1001 ? "," : "]}");
    client("ack 1001 ids", tooMany, u"ids: more than 1000 ids"_s);
    const QByteArray subs = R"("subscriptions":[{"application":"a","channels":["c"]}])";
    client("register without clientId", R"({"type":"register",)" + subs + "}",
           u"clientId: is required"_s);
    client("register clientId empty", R"({"type":"register","clientId":"",)" + subs + "}",
           u"clientId: must not be empty"_s);
    client("register without subscriptions", R"({"type":"register","clientId":"d"})",
           u"subscriptions: is required"_s);
    client("publish without ref", R"({"type":"publish","notification":{}})", u"ref: is required"_s);
    client("publish with empty ref", R"({"type":"publish","ref":"","notification":{}})",
           u"ref: must be 1 to 64 characters"_s);
    client("publish with ref over 64",
           R"({"type":"publish","ref":")" + QByteArray(65, 'r') + R"(","notification":{}})",
           u"ref: must be 1 to 64 characters"_s);
    client("publish with numeric ref", R"({"type":"publish","ref":7,"notification":{}})",
           u"ref: "_s);
    client("publish without notification", R"({"type":"publish","ref":"r"})",
           u"notification: must be an object"_s);
    client(
        "publish with bad notification",
        R"({"type":"publish","ref":"r","notification":{"application":"a","channel":"c","priority":"loud"}})",
        u"priority: must be one of"_s);
    client("register subscription not object",
           R"({"type":"register","clientId":"d","subscriptions":["a"]})",
           u"subscriptions[0]: must be an object"_s);
    client("register channels missing",
           R"({"type":"register","clientId":"d","subscriptions":[{"application":"a"}]})",
           u"subscriptions[0].channels: is required"_s);
    client(
        "register bad channel",
        R"({"type":"register","clientId":"d","subscriptions":[{"application":"a","channels":["c","c d"]}]})",
        u"subscriptions[0].channels[1]: "_s);
    client("register fetchLast fraction",
           R"({"type":"register","clientId":"d",)" + subs + R"(,"fetchLast":2.5})",
           u"fetchLast: must be an integer"_s);
    client("register fetchLast too big",
           R"({"type":"register","clientId":"d",)" + subs + R"(,"fetchLast":101})",
           u"fetchLast: must be between 0 and 100"_s);
    client("register fetchLast huge",
           R"({"type":"register","clientId":"d",)" + subs + R"(,"fetchLast":1e12})",
           u"fetchLast: "_s);
    client("register bad last id",
           R"({"type":"register","clientId":"d",)" + subs + R"(,"lastNotificationId":"42"})",
           u"lastNotificationId: "_s);
    client("register bad user", R"({"type":"register","clientId":"d","user":"a b",)" + subs + "}",
           u"user: "_s);
    client("register token not string",
           R"({"type":"register","clientId":"d","token":5,)" + subs + "}",
           u"token: must be a string"_s);

    QTest::newRow("server frame unknown type")
        << u"server"_s << QByteArray(R"({"type":"hello"})") << u"type: unknown message type"_s;
    QTest::newRow("server notification without data")
        << u"server"_s << QByteArray(R"({"type":"notification"})") << u"data: is required"_s;
    QTest::newRow("server notification without id")
        << u"server"_s
        << QByteArray(
               R"({"type":"notification","data":{"application":"a","channel":"c","time":"2026-01-01T00:00:00Z"}})")
        << u"data.id: is required"_s;
    QTest::newRow("server notification bad time")
        << u"server"_s
        << QByteArray(
               R"({"type":"notification","data":{"id":1,"application":"a","channel":"c","time":"x"}})")
        << u"data.time: "_s;
    QTest::newRow("server deleted bad id")
        << u"server"_s << QByteArray(R"({"type":"deleted","ids":[1,"x"]})") << u"ids[1]: "_s;
}

void TestJsonFrames::rejectsMalformedFrames()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, input);
    QFETCH(QString, expectedPrefix);

    const JsonCodec codec;
    std::optional<Error> error;
    if (kind == "client"_L1) {
        if (auto r = codec.decodeClientMessage(input); !r)
            error = r.error();
    } else if (kind == "server"_L1) {
        if (auto r = codec.decodeServerMessage(input); !r)
            error = r.error();
    } else {
        QFAIL("unknown kind");
    }
    verifyRejected(error, expectedPrefix);
}

QTEST_APPLESS_MAIN(TestJsonFrames)
#include "tst_jsonframes.moc"
