// SPDX-License-Identifier: Apache-2.0
#include "codec/hermescodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace herald;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(herald::ServerMessage)
Q_DECLARE_METATYPE(herald::RegisterMessage)

namespace {

// The NewNotification example of reference/hermes-websocket-service.txt, compacted.
const QByteArray ReferenceNewNotification =
    R"({"Type":"NewNotification","Data":{"Id":1,"Persistent":true,"ChannelId":1,)"
    R"("ChannelName":"channel1","ApplicationId":1,"ApplicationName":"myapp",)"
    R"("Time":"2017-04-23T20:44:28.533","Code":"new_notification",)"
    R"("Message":"Test new message in channel 1",)"
    R"("Tags":{"test_key_1":"test_value_1","test_key_2":"test_value_2"}}})";

Notification referenceNotification()
{
    Notification n;
    n.id = 1;
    n.persistent = true;
    n.channelId = 1;
    n.channel = u"channel1"_s;
    n.applicationId = 1;
    n.application = u"myapp"_s;
    n.time = QDateTime(QDate(2017, 4, 23), QTime(20, 44, 28, 533), Qt::UTC);
    n.code = u"new_notification"_s;
    n.message = u"Test new message in channel 1"_s;
    n.tags = {{u"test_key_1"_s, u"test_value_1"_s}, {u"test_key_2"_s, u"test_value_2"_s}};
    return n;
}

RegisterMessage referenceRegister()
{
    RegisterMessage m;
    m.clientId = u"b239d7df-bfeb-4310-a840-43846a87efac"_s;
    m.subscriptions = {{u"myapp"_s, {u"channel1"_s, u"channel2"_s}}};
    m.fetchLast = 10;
    m.lastNotificationId = 42;
    return m;
}

QString errorOf(const Result<ClientMessage> &result)
{
    return result ? QString() : result.error().message;
}

} // namespace

class TestHermesCodec : public QObject
{
    Q_OBJECT

private slots:
    void encodesReferenceNewNotification();
    void writesTimeAsUtcWithoutZone();
    void usesTitleWhenMessageIsEmpty();
    void escapesStrings();
    void roundTripsNewNotification();
    void encodesOtherServerMessages_data();
    void encodesOtherServerMessages();
    void detectsRegisterFrame_data();
    void detectsRegisterFrame();
    void decodesRegister_data();
    void decodesRegister();
    void decodesAckAndPing_data();
    void decodesAckAndPing();
    void roundTripsClientFrames();
    void rejectsBadFrames_data();
    void rejectsBadFrames();
    void parsesProducerBody();
    void appliesProducerDefaults();
    void rejectsBadProducerBodies_data();
    void rejectsBadProducerBodies();
};

void TestHermesCodec::encodesReferenceNewNotification()
{
    QCOMPARE(HermesCodec::encode(NotificationMessage{referenceNotification()}),
             ReferenceNewNotification);
}

void TestHermesCodec::writesTimeAsUtcWithoutZone()
{
    Notification n = referenceNotification();
    // 22:44:28.533 at +02:00 is 20:44:28.533 UTC.
    n.time = QDateTime(QDate(2017, 4, 23), QTime(22, 44, 28, 533), Qt::OffsetFromUTC, 7200);
    const QByteArray frame = HermesCodec::encode(NotificationMessage{n});
    QVERIFY2(frame.contains(R"("Time":"2017-04-23T20:44:28.533",)"), frame.constData());
    n.time = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 6), Qt::UTC);
    QVERIFY(HermesCodec::encode(NotificationMessage{n})
                .contains(R"("Time":"2026-01-02T03:04:05.006")"));
}

void TestHermesCodec::usesTitleWhenMessageIsEmpty()
{
    Notification n = referenceNotification();
    n.title = u"Disk full"_s;
    n.message.clear();
    QVERIFY(HermesCodec::encode(NotificationMessage{n}).contains(R"("Message":"Disk full")"));
    n.message = u"on /var"_s;
    QVERIFY(HermesCodec::encode(NotificationMessage{n}).contains(R"("Message":"on /var")"));
}

void TestHermesCodec::escapesStrings()
{
    Notification n = referenceNotification();
    n.message =
        QStringLiteral("quote \" backslash \\ newline \n tab \t bell \u0007 \u00e9 \U0001F600");
    n.tags = {{QStringLiteral("k\"ey"), u"v\\al"_s}};
    const QByteArray frame = HermesCodec::encode(NotificationMessage{n});
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(frame, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject data = document.object().value(u"Data"_s).toObject();
    QCOMPARE(data.value(u"Message"_s).toString(), n.message);
    QCOMPARE(data.value(u"Tags"_s).toObject().value(QStringLiteral("k\"ey")).toString(),
             u"v\\al"_s);
    QVERIFY(frame.contains("bell \\u0007"));
}

void TestHermesCodec::roundTripsNewNotification()
{
    auto n = HermesCodec().decodeNewNotification(ReferenceNewNotification);
    QVERIFY2(n, qPrintable(n ? QString() : n.error().message));
    QCOMPARE(*n, referenceNotification());
    QCOMPARE(n->time.toMSecsSinceEpoch(), referenceNotification().time.toMSecsSinceEpoch());
}

void TestHermesCodec::encodesOtherServerMessages_data()
{
    QTest::addColumn<ServerMessage>("message");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("acknowledged")
        << ServerMessage(AcknowledgedMessage{{1, 9007199254740991}})
        << QByteArray(R"({"Type":"Acknowledged","Data":{"Ids":[1,9007199254740991]}})");
    QTest::newRow("deleted") << ServerMessage(DeletedMessage{{7}})
                             << QByteArray(R"({"Type":"Deleted","Data":{"Ids":[7]}})");
    QTest::newRow("error") << ServerMessage(
                                  ErrorMessage{u"forbidden"_s, QStringLiteral("no \"access\"")})
                           << QByteArray("{\"Type\":\"Error\",\"Data\":{\"Code\":\"forbidden\","
                                         "\"Message\":\"no \\\"access\\\"\"}}");
    QTest::newRow("registered has no Hermes form")
        << ServerMessage(RegisteredMessage{u"s"_s, 1, QDateTime::currentDateTimeUtc()})
        << QByteArray();
    QTest::newRow("backlogDone has no Hermes form")
        << ServerMessage(BacklogDoneMessage{}) << QByteArray();
    QTest::newRow("pong has no Hermes form") << ServerMessage(PongMessage{}) << QByteArray();
}

void TestHermesCodec::encodesOtherServerMessages()
{
    QFETCH(ServerMessage, message);
    QFETCH(QByteArray, expected);
    QCOMPARE(HermesCodec::encode(message), expected);
}

void TestHermesCodec::detectsRegisterFrame_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("isRegister");
    QTest::newRow("one space") << QByteArray(R"(register {"ClientId":"x"})") << true;
    QTest::newRow("newline and tab") << QByteArray("register\n\t{\"ClientId\":\"x\"}") << true;
    QTest::newRow("reference layout")
        << QByteArray("register \n{\n\t\"ApplicationName\": \"myapp\"\n}") << true;
    QTest::newRow("native register") << QByteArray(R"({"type":"register"})") << false;
    QTest::newRow("ack") << QByteArray(R"(ack {"Ids":[1]})") << false;
    QTest::newRow("longer word") << QByteArray(R"(registered {"x":1})") << false;
    QTest::newRow("word without JSON") << QByteArray("register") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void TestHermesCodec::detectsRegisterFrame()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, isRegister);
    QCOMPARE(HermesCodec::isHermesRegister(frame), isRegister);
}

void TestHermesCodec::decodesRegister_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<RegisterMessage>("expected");

    QTest::newRow("reference") << QByteArray(R"(register
{
	"ApplicationName": "myapp",
	"ClientId": "b239d7df-bfeb-4310-a840-43846a87efac",
	"Channels": ["channel1", "channel2"],
	"FetchLast": 10,
	"LastNotificationId": 42
})") << referenceRegister();

    RegisterMessage noLast = referenceRegister();
    noLast.lastNotificationId.reset();
    const QByteArray head =
        R"(register {"ApplicationName":"myapp","ClientId":"b239d7df-bfeb-4310-a840-43846a87efac","Channels":["channel1","channel2"],"FetchLast":10)";
    QTest::newRow("last id null") << head + R"(,"LastNotificationId":null})" << noLast;
    QTest::newRow("last id zero") << head + R"(,"LastNotificationId":0})" << noLast;
    QTest::newRow("last id absent") << head + "}" << noLast;

    RegisterMessage capped = noLast;
    capped.fetchLast = 100;
    QTest::newRow("fetchLast capped")
        << QByteArray(
               R"(register {"ApplicationName":"myapp","ClientId":"b239d7df-bfeb-4310-a840-43846a87efac","Channels":["channel1","channel2"],"FetchLast":5000})")
        << capped;

    RegisterMessage noFetch = noLast;
    noFetch.fetchLast = 0;
    QTest::newRow("case-insensitive keys, no FetchLast")
        << QByteArray(
               R"(register {"applicationName":"myapp","clientid":"b239d7df-bfeb-4310-a840-43846a87efac","channels":["channel1","channel2"]})")
        << noFetch;

    RegisterMessage withToken = noFetch;
    withToken.token = u"secret"_s;
    withToken.user = u"alice"_s;
    QTest::newRow("Herald extras")
        << QByteArray(
               R"(register {"ApplicationName":"myapp","ClientId":"b239d7df-bfeb-4310-a840-43846a87efac","Channels":["channel1","channel2"],"Token":"secret","User":"alice","Unknown":1})")
        << withToken;
}

void TestHermesCodec::decodesRegister()
{
    QFETCH(QByteArray, frame);
    QFETCH(RegisterMessage, expected);
    auto message = HermesCodec().decodeClientFrame(frame);
    QVERIFY2(message, qPrintable(errorOf(message)));
    QVERIFY(std::holds_alternative<RegisterMessage>(*message));
    QCOMPARE(std::get<RegisterMessage>(*message), expected);
}

void TestHermesCodec::decodesAckAndPing_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QList<NotificationId>>("ackIds"); // empty: a ping
    QTest::newRow("ack") << QByteArray(R"(ack {"Ids":[1,2]})") << QList<NotificationId>{1, 2};
    QTest::newRow("ack newline") << QByteArray("ack\n{\"Ids\":[9007199254740991]}")
                                 << QList<NotificationId>{9007199254740991};
    QTest::newRow("ack lower-case key")
        << QByteArray(R"(ack {"ids":[3]})") << QList<NotificationId>{3};
    QTest::newRow("ping") << QByteArray("ping") << QList<NotificationId>{};
    QTest::newRow("ping with whitespace") << QByteArray(" ping\r\n") << QList<NotificationId>{};
}

void TestHermesCodec::decodesAckAndPing()
{
    QFETCH(QByteArray, frame);
    QFETCH(QList<NotificationId>, ackIds);
    auto message = HermesCodec().decodeClientFrame(frame);
    QVERIFY2(message, qPrintable(errorOf(message)));
    if (ackIds.isEmpty()) {
        QVERIFY(std::holds_alternative<PingMessage>(*message));
    } else {
        QVERIFY(std::holds_alternative<AckMessage>(*message));
        QCOMPARE(std::get<AckMessage>(*message).ids, ackIds);
    }
}

void TestHermesCodec::roundTripsClientFrames()
{
    const HermesCodec codec;
    const QByteArray registerFrame = HermesCodec::encodeRegister(referenceRegister());
    QCOMPARE(
        registerFrame,
        QByteArray(
            R"(register {"ApplicationName":"myapp","ClientId":"b239d7df-bfeb-4310-a840-43846a87efac","Channels":["channel1","channel2"],"FetchLast":10,"LastNotificationId":42})"));
    QVERIFY(HermesCodec::isHermesRegister(registerFrame));
    auto reg = codec.decodeClientFrame(registerFrame);
    QVERIFY2(reg, qPrintable(errorOf(reg)));
    QCOMPARE(std::get<RegisterMessage>(*reg), referenceRegister());

    const QByteArray ackFrame = HermesCodec::encodeAck({5, 6});
    QCOMPARE(ackFrame, QByteArray(R"(ack {"Ids":[5,6]})"));
    auto ack = codec.decodeClientFrame(ackFrame);
    QVERIFY2(ack, qPrintable(errorOf(ack)));
    QCOMPARE(std::get<AckMessage>(*ack).ids, (QList<NotificationId>{5, 6}));
}

void TestHermesCodec::rejectsBadFrames_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("expectedPrefix");
    const QByteArray id = R"("ClientId":"c")";
    QTest::newRow("native frame") << QByteArray(R"({"type":"ping"})") << u"frame: "_s;
    QTest::newRow("unknown command")
        << QByteArray(R"(subscribe {"x":1})") << u"frame: unknown command 'subscribe'"_s;
    QTest::newRow("glued word") << QByteArray("register42") << u"frame: "_s;
    QTest::newRow("register not JSON") << QByteArray("register {") << u"register: invalid JSON"_s;
    QTest::newRow("register array") << QByteArray("register []") << u"register: "_s;
    QTest::newRow("missing ApplicationName")
        << QByteArray("register {" + id + R"(,"Channels":["c"]})")
        << u"ApplicationName: is required"_s;
    QTest::newRow("bad ApplicationName")
        << QByteArray(R"(register {"ApplicationName":"my app",)" + id + R"(,"Channels":["c"]})")
        << u"ApplicationName: may only contain"_s;
    QTest::newRow("missing ClientId")
        << QByteArray(R"(register {"ApplicationName":"a","Channels":["c"]})")
        << u"ClientId: is required"_s;
    QTest::newRow("missing Channels")
        << QByteArray(R"(register {"ApplicationName":"a",)" + id + "}")
        << u"Channels: is required"_s;
    QTest::newRow("empty Channels")
        << QByteArray(R"(register {"ApplicationName":"a",)" + id + R"(,"Channels":[]})")
        << u"Channels: must not be empty"_s;
    QTest::newRow("bad channel") << QByteArray(R"(register {"ApplicationName":"a",)" + id +
                                               R"(,"Channels":["c","#x"]})")
                                 << u"Channels[1]: "_s;
    QTest::newRow("channel not string")
        << QByteArray(R"(register {"ApplicationName":"a",)" + id + R"(,"Channels":[1]})")
        << u"Channels[0]: must be a string"_s;
    QTest::newRow("negative FetchLast") << QByteArray(R"(register {"ApplicationName":"a",)" + id +
                                                      R"(,"Channels":["c"],"FetchLast":-1})")
                                        << u"FetchLast: must be between 0 and 100"_s;
    QTest::newRow("FetchLast string") << QByteArray(R"(register {"ApplicationName":"a",)" + id +
                                                    R"(,"Channels":["c"],"FetchLast":"10"})")
                                      << u"FetchLast: must be an integer"_s;
    QTest::newRow("negative LastNotificationId")
        << QByteArray(R"(register {"ApplicationName":"a",)" + id +
                      R"(,"Channels":["c"],"LastNotificationId":-5})")
        << u"LastNotificationId: "_s;
    QTest::newRow("fractional LastNotificationId")
        << QByteArray(R"(register {"ApplicationName":"a",)" + id +
                      R"(,"Channels":["c"],"LastNotificationId":1.5})")
        << u"LastNotificationId: "_s;
    QTest::newRow("ack not JSON") << QByteArray("ack [1") << u"ack: "_s;
    QTest::newRow("ack without Ids") << QByteArray(R"(ack {"x":[1]})") << u"Ids: is required"_s;
    QTest::newRow("ack empty Ids")
        << QByteArray(R"(ack {"Ids":[]})") << u"Ids: must not be empty"_s;
    QTest::newRow("ack zero id") << QByteArray(R"(ack {"Ids":[1,0]})") << u"Ids[1]: "_s;
    QTest::newRow("ack string id") << QByteArray(R"(ack {"Ids":["1"]})") << u"Ids[0]: "_s;
}

void TestHermesCodec::rejectsBadFrames()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, expectedPrefix);
    auto message = HermesCodec().decodeClientFrame(frame);
    QVERIFY2(!message, "frame was accepted");
    QCOMPARE(message.error().code, ErrorCode::BadRequest);
    QVERIFY2(message.error().message.startsWith(expectedPrefix),
             qPrintable(message.error().message + u" does not start with "_s + expectedPrefix));
}

void TestHermesCodec::parsesProducerBody()
{
    // The producer example of the Hermes README.
    auto n = HermesCodec().parseProducerBody(R"({
  "applicationName": "myapp",
  "channelName": "channel1",
  "code": "job_create",
  "message": "New job created",
  "persistent": false,
  "tags": {
    "test_key_1": "test_value_1",
    "test_key_2": "test_value_2"
  }
})");
    QVERIFY2(n, qPrintable(n ? QString() : n.error().message));
    QCOMPARE(n->application, u"myapp"_s);
    QCOMPARE(n->channel, u"channel1"_s);
    QCOMPARE(n->code, u"job_create"_s);
    QCOMPARE(n->message, u"New job created"_s);
    QCOMPARE(n->persistent, false);
    QCOMPARE(n->tags.value(u"test_key_2"_s), u"test_value_2"_s);
    QCOMPARE(n->tags.size(), 2);
    QCOMPARE(n->priority, Priority::Normal);
    QVERIFY(n->title.isEmpty());
}

void TestHermesCodec::appliesProducerDefaults()
{
    auto n = HermesCodec().parseProducerBody(
        R"({"ApplicationName":"a","ChannelName":"c","Message":"m"})");
    QVERIFY2(n, qPrintable(n ? QString() : n.error().message));
    QCOMPARE(n->persistent, true);
    QVERIFY(n->code.isEmpty());
    QVERIFY(n->tags.isEmpty());
    QCOMPARE(n->application, u"a"_s);
}

void TestHermesCodec::rejectsBadProducerBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expectedPrefix");
    QByteArray manyTags = R"({"applicationName":"a","channelName":"c","message":"m","tags":{)";
    for (int i = 0; i < 33; ++i)
        manyTags += "\"k" + QByteArray::number(i) + "\":\"v\"" + (i < 32 ? "," : "}}");
    QTest::newRow("not JSON") << QByteArray("{") << u"body: invalid JSON"_s;
    QTest::newRow("array") << QByteArray("[]") << u"body: must be a JSON object"_s;
    QTest::newRow("missing channelName")
        << QByteArray(R"({"applicationName":"a","message":"m"})") << u"channelName: is required"_s;
    QTest::newRow("bad channelName")
        << QByteArray(R"({"applicationName":"a","channelName":"c c","message":"m"})")
        << u"channelName: may only contain"_s;
    QTest::newRow("bad applicationName")
        << QByteArray(R"({"applicationName":"","channelName":"c","message":"m"})")
        << u"applicationName: must not be empty"_s;
    QTest::newRow("missing message")
        << QByteArray(R"({"applicationName":"a","channelName":"c"})") << u"message: is required"_s;
    QTest::newRow("empty message")
        << QByteArray(R"({"applicationName":"a","channelName":"c","message":""})")
        << u"message: must not be empty"_s;
    QTest::newRow("message too long")
        << QByteArray(R"({"applicationName":"a","channelName":"c","message":")" +
                      QByteArray(4097, 'x') + "\"}")
        << u"message: longer than 4096 bytes"_s;
    QTest::newRow("tag not a string")
        << QByteArray(R"({"applicationName":"a","channelName":"c","message":"m","tags":{"n":1}})")
        << u"tags.n: must be a string"_s;
    QTest::newRow("too many tags") << manyTags << u"tags: more than 32 tags"_s;
    QTest::newRow("persistent not bool")
        << QByteArray(R"({"applicationName":"a","channelName":"c","message":"m","persistent":1})")
        << u"persistent: "_s;
}

void TestHermesCodec::rejectsBadProducerBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expectedPrefix);
    auto n = HermesCodec().parseProducerBody(body);
    QVERIFY2(!n, "body was accepted");
    QCOMPARE(n.error().code, ErrorCode::BadRequest);
    QVERIFY2(n.error().message.startsWith(expectedPrefix),
             qPrintable(n.error().message + u" does not start with "_s + expectedPrefix));
}

QTEST_APPLESS_MAIN(TestHermesCodec)
#include "tst_hermescodec.moc"
