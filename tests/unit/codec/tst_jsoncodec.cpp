// SPDX-License-Identifier: Apache-2.0
#include "codec/jsoncodec.h"
#include "codec/jsonnotification.h"
#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace herald;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(herald::Notification)
Q_DECLARE_METATYPE(herald::ServerMessage)
Q_DECLARE_METATYPE(herald::ClientMessage)
Q_DECLARE_METATYPE(herald::ErrorCode)

namespace {

constexpr qint64 MaxId = (qint64(1) << 53) - 1;

QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

Notification fullNotification()
{
    Notification n;
    n.id = 7241748533886976;
    n.application = u"ci"_s;
    n.channel = u"builds.main"_s;
    n.code = u"build_failed"_s;
    n.title = u"Build #42 failed"_s;
    n.message = QStringLiteral("Step \"test\" failed:\n\tsee log \\ \u00e9\U0001F600");
    n.persistent = false;
    n.priority = Priority::Urgent;
    n.level = u"error"_s;
    n.tags = {{u"env"_s, u"prod"_s}, {QStringLiteral("weird key \"1\""), u"\u0001"_s}};
    n.url = u"https://ci.example.com/builds/42"_s;
    n.actions = {{u"retry"_s, u"Retry"_s, u"https://ci.example.com/retry/42"_s},
                 {u"ack"_s, u"Got it"_s, {}}};
    n.recipients = {u"alice"_s, u"bob"_s};
    n.time = utc(2026, 11, 22, 12, 0, 0, 123);
    n.expiresAt = utc(2026, 11, 23, 0, 0, 0, 1);
    n.node = 63;
    return n;
}

Notification minimalNotification()
{
    Notification n;
    n.id = 1;
    n.application = u"a"_s;
    n.channel = u"c"_s;
    n.message = u"hi"_s;
    n.time = utc(2025, 1, 1, 0, 0, 0, 0);
    return n;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject parsed(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

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

class TestJsonCodec : public QObject
{
    Q_OBJECT

private slots:
    void roundTripsNotification_data();
    void roundTripsNotification();
    void writesNotificationTextAsQJsonDocument_data();
    void writesNotificationTextAsQJsonDocument();
    void writesDocumentedNotificationKeys();
    void omitsEmptyOptionalFields();
    void appliesPublishDefaults();
    void ignoresServerFieldsOnPublish();
    void ignoresUnknownKeys();
    void parsesBatch();
    void enforcesBatchSize();
    void keepsIdsIntegral_data();
    void keepsIdsIntegral();
    void encodesServerMessagesExactly_data();
    void encodesServerMessagesExactly();
    void encodesNotificationFrame();
    void roundTripsServerMessage_data();
    void roundTripsServerMessage();
    void roundTripsClientMessage_data();
    void roundTripsClientMessage();
    void readsRefOfRefusedPublish();
    void decodesProtocolRegisterExample();
    void acceptsAckIds_data();
    void acceptsAckIds();
    void roundTripsApplication();
    void roundTripsChannel();
    void acceptsEmptyCatalogBodies();
    void acceptsSurrogatePairs();
    void rejectsMalformedInput_data();
    void rejectsMalformedInput();
    void writesErrorBody_data();
    void writesErrorBody();
};

void TestJsonCodec::roundTripsNotification_data()
{
    QTest::addColumn<Notification>("notification");
    QTest::newRow("minimal") << minimalNotification();
    QTest::newRow("full") << fullNotification();
    Notification largest = minimalNotification();
    largest.id = MaxId;
    largest.title = u"t"_s;
    largest.message.clear();
    QTest::newRow("largest id, title only") << largest;
    Notification emptyActionUrl = minimalNotification();
    emptyActionUrl.actions = {{u"x"_s, u"X"_s, {}}};
    emptyActionUrl.priority = Priority::Low;
    QTest::newRow("action without url") << emptyActionUrl;
}

void TestJsonCodec::writesNotificationTextAsQJsonDocument_data()
{
    roundTripsNotification_data();
    Notification controls = minimalNotification();
    for (char16_t c = 1; c < 0x20; ++c)
        controls.title += QChar(c);
    controls.title += u"\u007f\u2028\"\\/"_s;
    controls.tags = {{u"b"_s, u"2"_s}, {u"a"_s, u"1"_s}, {u"\u00e9"_s, u"3"_s}};
    QTest::newRow("every control character, sorted tags") << controls;
}

void TestJsonCodec::writesNotificationTextAsQJsonDocument()
{
    QFETCH(Notification, notification);
    const QByteArray viaQt =
        QJsonDocument(JsonCodec::toJson(notification)).toJson(QJsonDocument::Compact);
    QCOMPARE(json::notificationText(notification), viaQt);
}

void TestJsonCodec::roundTripsNotification()
{
    QFETCH(Notification, notification);
    const JsonCodec codec;
    const QByteArray text = compact(JsonCodec::toJson(notification));
    auto back = codec.parseNotification(parsed(text));
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(*back, notification);

    // The same object published again (as a producer would) keeps its content.
    auto published = codec.parsePublishBody(text);
    QVERIFY2(published, qPrintable(published ? QString() : published.error().message));
    QCOMPARE(published->size(), 1);
    Notification expected = notification;
    expected.id = 0;
    expected.time = QDateTime();
    expected.node = 0;
    QCOMPARE(published->first(), expected);
}

void TestJsonCodec::writesDocumentedNotificationKeys()
{
    QStringList keys = JsonCodec::toJson(fullNotification()).keys();
    keys.sort();
    QStringList expected = {u"id"_s,         u"application"_s, u"channel"_s,    u"code"_s,
                            u"title"_s,      u"message"_s,     u"persistent"_s, u"priority"_s,
                            u"level"_s,      u"tags"_s,        u"url"_s,        u"actions"_s,
                            u"recipients"_s, u"time"_s,        u"expiresAt"_s,  u"node"_s};
    expected.sort();
    QCOMPARE(keys, expected);

    const QJsonObject o = JsonCodec::toJson(fullNotification());
    QCOMPARE(o.value(u"priority"_s).toString(), u"urgent"_s);
    QCOMPARE(o.value(u"time"_s).toString(), u"2026-11-22T12:00:00.123Z"_s);
    QCOMPARE(o.value(u"expiresAt"_s).toString(), u"2026-11-23T00:00:00.001Z"_s);
    QCOMPARE(o.value(u"tags"_s).toObject().value(u"env"_s).toString(), u"prod"_s);
    QCOMPARE(o.value(u"actions"_s).toArray().at(1).toObject().keys(),
             (QStringList{u"id"_s, u"label"_s}));
    QCOMPARE(o.value(u"recipients"_s).toArray().size(), 2);
    QCOMPARE(o.value(u"node"_s).toInt(), 63);
}

void TestJsonCodec::omitsEmptyOptionalFields()
{
    const QJsonObject o = JsonCodec::toJson(minimalNotification());
    for (const QString &key : {u"code"_s, u"level"_s, u"url"_s, u"recipients"_s, u"expiresAt"_s})
        QVERIFY2(!o.contains(key), qPrintable(key));
    // Always present, even when empty, so clients need no existence checks.
    for (const QString &key : {u"title"_s, u"message"_s, u"tags"_s, u"actions"_s})
        QVERIFY2(o.contains(key), qPrintable(key));
    QCOMPARE(o.value(u"title"_s).toString(), QString());
    QVERIFY(o.value(u"tags"_s).isObject());
    QVERIFY(o.value(u"actions"_s).isArray());
}

void TestJsonCodec::appliesPublishDefaults()
{
    auto list = JsonCodec().parsePublishBody(R"({"application":"a","channel":"c","title":"t"})");
    QVERIFY(list);
    const Notification &n = list->first();
    QCOMPARE(n.persistent, true);
    QCOMPARE(n.priority, Priority::Normal);
    QCOMPARE(n.title, u"t"_s);
    QVERIFY(n.message.isEmpty());
    QVERIFY(!n.expiresAt);

    // null reads as absent for optional fields.
    list = JsonCodec().parsePublishBody(
        R"({"application":"a","channel":"c","message":"m","persistent":null,"priority":null,"url":null})");
    QVERIFY(list);
    QCOMPARE(list->first().persistent, true);
    QCOMPARE(list->first().priority, Priority::Normal);
}

void TestJsonCodec::ignoresServerFieldsOnPublish()
{
    auto list = JsonCodec().parsePublishBody(
        R"({"id":99,"time":"2020-01-01T00:00:00Z","node":5,"application":"a","channel":"c","message":"m"})");
    QVERIFY(list);
    QCOMPARE(list->first().id, 0);
    QVERIFY(!list->first().time.isValid());
    QCOMPARE(list->first().node, 0);
}

void TestJsonCodec::ignoresUnknownKeys()
{
    const JsonCodec codec;
    auto list = codec.parsePublishBody(
        R"({"application":"a","channel":"c","message":"m","color":"red","extra":{"x":[1,2]}})");
    QVERIFY(list);
    QCOMPARE(list->first().message, u"m"_s);

    auto client = codec.decodeClientMessage(
        R"({"type":"register","clientId":"d1","subscriptions":[{"application":"a","channels":["c"],"mute":true}],"future":1})");
    QVERIFY2(client, qPrintable(client ? QString() : client.error().message));
    QVERIFY(std::holds_alternative<RegisterMessage>(*client));

    auto server = codec.decodeServerMessage(R"({"type":"pong","serverLoad":0.5})");
    QVERIFY(server);
    QVERIFY(std::holds_alternative<PongMessage>(*server));

    QJsonObject object = JsonCodec::toJson(minimalNotification());
    object.insert(u"newField"_s, u"x"_s);
    auto n = codec.parseNotification(object);
    QVERIFY(n);
    QCOMPARE(*n, minimalNotification());
}

void TestJsonCodec::parsesBatch()
{
    auto list = JsonCodec().parsePublishBody(
        R"([{"application":"a","channel":"c1","message":"1"},
            {"application":"a","channel":"c2","message":"2","priority":"high"},
            {"application":"b","channel":"c3","title":"3"}])");
    QVERIFY2(list, qPrintable(list ? QString() : list.error().message));
    QCOMPARE(list->size(), 3);
    QCOMPARE(list->at(0).channel, u"c1"_s);
    QCOMPARE(list->at(1).priority, Priority::High);
    QCOMPARE(list->at(2).application, u"b"_s);
}

void TestJsonCodec::enforcesBatchSize()
{
    const auto batch = [](int count) {
        QJsonArray array;
        for (int i = 0; i < count; ++i) {
            array.append(QJsonObject{
                {u"application"_s, u"a"_s}, {u"channel"_s, u"c"_s}, {u"message"_s, u"m"_s}});
        }
        return QJsonDocument(array).toJson(QJsonDocument::Compact);
    };
    const JsonCodec codec;
    auto atLimit = codec.parsePublishBody(batch(1000));
    QVERIFY(atLimit);
    QCOMPARE(atLimit->size(), 1000);
    auto overLimit = codec.parsePublishBody(batch(1001));
    QVERIFY(!overLimit);
    QCOMPARE(overLimit.error().message, u"body: more than 1000 notifications"_s);

    Limits limits;
    limits.maxBatch = 2;
    QVERIFY(JsonCodec(limits).parsePublishBody(batch(2)));
    QVERIFY(!JsonCodec(limits).parsePublishBody(batch(3)));
}

void TestJsonCodec::keepsIdsIntegral_data()
{
    QTest::addColumn<qint64>("id");
    QTest::newRow("1") << qint64(1);
    QTest::newRow("typical") << qint64(1700000000000000);
    QTest::newRow("2^52") << (qint64(1) << 52);
    QTest::newRow("2^53-1") << MaxId;
}

void TestJsonCodec::keepsIdsIntegral()
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

void TestJsonCodec::encodesServerMessagesExactly_data()
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

void TestJsonCodec::encodesServerMessagesExactly()
{
    QFETCH(ServerMessage, message);
    QFETCH(QByteArray, expected);
    QCOMPARE(JsonCodec::encode(message), expected);
}

void TestJsonCodec::encodesNotificationFrame()
{
    const QByteArray frame =
        JsonCodec::encode(ServerMessage(NotificationMessage{fullNotification()}));
    QVERIFY2(frame.startsWith(R"({"type":"notification","data":{)"), frame.constData());
    QVERIFY(!frame.contains('\n'));
    const QJsonObject object = parsed(frame);
    QCOMPARE(object.keys(), (QStringList{u"data"_s, u"type"_s}));
    QCOMPARE(object.value(u"data"_s).toObject(), JsonCodec::toJson(fullNotification()));
}

void TestJsonCodec::roundTripsServerMessage_data()
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

void TestJsonCodec::roundTripsServerMessage()
{
    QFETCH(ServerMessage, message);
    auto back = JsonCodec().decodeServerMessage(JsonCodec::encode(message));
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->index(), message.index());
    QVERIFY(*back == message);
}

void TestJsonCodec::roundTripsClientMessage_data()
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

void TestJsonCodec::roundTripsClientMessage()
{
    QFETCH(ClientMessage, message);
    const QByteArray text = JsonCodec::encode(message);
    QVERIFY2(text.startsWith(R"({"type":")"), text.constData());
    auto back = JsonCodec().decodeClientMessage(text);
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QVERIFY(*back == message);
}

void TestJsonCodec::readsRefOfRefusedPublish()
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

void TestJsonCodec::decodesProtocolRegisterExample()
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

void TestJsonCodec::acceptsAckIds_data()
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

void TestJsonCodec::acceptsAckIds()
{
    QFETCH(QByteArray, ids);
    QFETCH(QList<NotificationId>, expected);
    auto message = JsonCodec().decodeClientMessage(R"({"type":"ack","ids":)" + ids + "}");
    QVERIFY2(message, qPrintable(message ? QString() : message.error().message));
    QCOMPARE(std::get<AckMessage>(*message).ids, expected);
}

void TestJsonCodec::roundTripsApplication()
{
    const Application application{
        0,
        u"ci"_s,
        QStringLiteral("Continuous \"integration\""),
        {EventType{
             u"build"_s, u"Build"_s, {Level{u"ok"_s, u"OK"_s}, Level{u"fail"_s, u"Failed"_s}}},
         EventType{u"deploy"_s, u"Deploy"_s, {}}}};
    const QJsonObject object = JsonCodec::toJson(application);
    QCOMPARE(object.value(u"name"_s).toString(), u"ci"_s);
    QCOMPARE(object.value(u"eventTypes"_s)
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(u"levels"_s)
                 .toArray()
                 .at(1)
                 .toObject()
                 .value(u"title"_s)
                 .toString(),
             u"Failed"_s);
    auto back = JsonCodec().parseApplication(compact(object), u"ci"_s);
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(*back, application);
}

void TestJsonCodec::roundTripsChannel()
{
    const Channel channel{0, u"ci"_s, u"builds"_s, u"Builds"_s, u"Every build\nof main"_s};
    const QJsonObject object = JsonCodec::toJson(channel);
    QCOMPARE(object.keys(),
             (QStringList{u"application"_s, u"description"_s, u"name"_s, u"title"_s}));
    auto back = JsonCodec().parseChannel(compact(object), u"ci"_s, u"builds"_s);
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(*back, channel);
}

void TestJsonCodec::acceptsEmptyCatalogBodies()
{
    auto channel = JsonCodec().parseChannel({}, u"ci"_s, u"builds"_s);
    QVERIFY(channel);
    QCOMPARE(*channel, (Channel{0, u"ci"_s, u"builds"_s, {}, {}}));
    auto application = JsonCodec().parseApplication(" \n", u"ci"_s);
    QVERIFY(application);
    QCOMPARE(*application, (Application{0, u"ci"_s, {}, {}}));
}

void TestJsonCodec::acceptsSurrogatePairs()
{
    // The text check refuses lone surrogates only: an escaped pair is one emoji.
    const JsonCodec codec;
    auto parsed = codec.parsePublishBody(
        R"({"application":"a","channel":"c","message":"ok \ud83d\ude00","tags":{"\ud83d\ude00":"x"}})");
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
    QCOMPARE(parsed->first().message, u"ok \U0001F600"_s);
    QCOMPARE(parsed->first().tags.value(u"\U0001F600"_s), u"x"_s);
}

void TestJsonCodec::rejectsMalformedInput_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expectedPrefix");

    const auto publish = [](const char *name, const QByteArray &body, const QString &prefix) {
        QTest::newRow(name) << u"publish"_s << body << prefix;
    };
    const auto client = [](const char *name, const QByteArray &frame, const QString &prefix) {
        QTest::newRow(name) << u"client"_s << frame << prefix;
    };
    const QByteArray ok = R"("application":"a","channel":"c","message":"m")";

    publish("not JSON", "{\"application\":", u"body: invalid JSON ("_s);
    // Strings that would not come back as sent: a lone surrogate (stored as U+FFFD or joined
    // with a neighbour) and U+0000 (PostgreSQL's text refuses it; C strings end there).
    publish("unpaired high surrogate", "{" + ok + R"(,"title":"A\ud800B"})",
            u"title: contains an unpaired UTF-16 surrogate"_s);
    publish("unpaired low surrogate", "{" + ok + R"(,"tags":{"env":"\udc00"}})",
            u"tags.env: contains an unpaired UTF-16 surrogate"_s);
    publish("surrogate in a batch", "[{" + ok + "},{" + ok + R"(,"message":"x\ud83d"}])",
            u"[1].message: contains an unpaired UTF-16 surrogate"_s);
    publish("surrogate in a key", "{" + ok + R"(,"tags":{"\ud800":"v"}})",
            u"tags: a key contains an unpaired UTF-16 surrogate"_s);
    publish("escaped NUL", "{" + ok + R"(,"title":"a\u0000b"})", u"title: contains U+0000"_s);
    publish("raw NUL byte", "{" + ok + ",\"title\":\"a" + QByteArray(1, '\0') + "b\"}",
            u"title: contains U+0000"_s);
    client("frame with a lone surrogate",
           R"({"type":"register","clientId":"\ud800","subscriptions":[]})",
           u"clientId: contains an unpaired UTF-16 surrogate"_s);
    publish("empty body", "", u"body: "_s);
    publish("scalar body", "42", u"body: must be a JSON object or array"_s);
    publish("string body", "\"x\"", u"body: "_s);
    publish("empty array", "[]", u"body: must contain at least one notification"_s);
    publish("array of non-objects",
            "["
            "{" +
                ok + "},3]",
            u"[1]: must be an object"_s);
    publish("missing application", R"({"channel":"c","message":"m"})",
            u"application: is required"_s);
    publish("application not a string", R"({"application":1,"channel":"c","message":"m"})",
            u"application: must be a string"_s);
    publish("bad channel name", R"({"application":"a","channel":"a b","message":"m"})",
            u"channel: may only contain"_s);
    publish("channel in batch",
            "[{" + ok + "},{" + ok + "},{" + ok +
                "},"
                R"({"application":"a","message":"m"}])",
            u"[3].channel: is required"_s);
    publish("no title or message", R"({"application":"a","channel":"c"})", u"message: "_s);
    publish("message not a string", R"({"application":"a","channel":"c","message":["m"]})",
            u"message: must be a string"_s);
    publish("title not a string", "{" + ok + R"(,"title":{}})", u"title: must be a string"_s);
    publish("persistent not a bool", "{" + ok + R"(,"persistent":"yes"})", u"persistent: "_s);
    publish("unknown priority", "{" + ok + R"(,"priority":"critical"})",
            u"priority: must be one of low, normal, high, urgent"_s);
    publish("priority not a string", "{" + ok + R"(,"priority":3})",
            u"priority: must be one of low, normal, high, urgent"_s);
    publish("tags not an object", "{" + ok + R"(,"tags":["a"]})", u"tags: must be an object"_s);
    publish("tag value a number", "[{" + ok + "},{" + ok + "},{" + ok + R"(,"tags":{"env":1}}])",
            u"[2].tags.env: must be a string"_s);
    publish("tag value null", "{" + ok + R"(,"tags":{"env":null}})",
            u"tags.env: must be a string"_s);
    publish("url not http", "{" + ok + R"(,"url":"file:///etc/passwd"})", u"url: "_s);
    publish("actions not an array", "{" + ok + R"(,"actions":{}})", u"actions: must be an array"_s);
    publish("action not an object", "{" + ok + R"(,"actions":["x"]})",
            u"actions[0]: must be an object"_s);
    publish("action without label", "{" + ok + R"(,"actions":[{"id":"x"}]})",
            u"actions[0].label: is required"_s);
    publish("recipients not strings", "{" + ok + R"(,"recipients":["alice",7]})",
            u"recipients[1]: must be a string"_s);
    publish("expiresAt not a time", "{" + ok + R"(,"expiresAt":"tomorrow"})",
            u"expiresAt: must be an RFC 3339 time"_s);
    publish("expiresAt without zone", "{" + ok + R"(,"expiresAt":"2026-01-01T00:00:00"})",
            u"expiresAt: "_s);

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
    QTest::newRow("application bad event type")
        << u"application"_s << QByteArray(R"({"title":"t","eventTypes":[{"id":"a b"}]})")
        << u"eventTypes[0].id: "_s;
    QTest::newRow("application levels not array")
        << u"application"_s << QByteArray(R"({"eventTypes":[{"id":"x","levels":{}}]})")
        << u"eventTypes[0].levels: must be an array"_s;
    QTest::newRow("application renamed")
        << u"application"_s << QByteArray(R"({"name":"other"})") << u"name: does not match"_s;
    QTest::newRow("application not JSON")
        << u"application"_s << QByteArray("{title") << u"body: invalid JSON"_s;
    QTest::newRow("channel title not string")
        << u"channel"_s << QByteArray(R"({"title":1})") << u"title: must be a string"_s;
    QTest::newRow("channel moved") << u"channel"_s << QByteArray(R"({"application":"other"})")
                                   << u"application: does not match"_s;
}

void TestJsonCodec::rejectsMalformedInput()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, input);
    QFETCH(QString, expectedPrefix);

    const JsonCodec codec;
    std::optional<Error> error;
    if (kind == "publish"_L1) {
        if (auto r = codec.parsePublishBody(input); !r)
            error = r.error();
    } else if (kind == "client"_L1) {
        if (auto r = codec.decodeClientMessage(input); !r)
            error = r.error();
    } else if (kind == "server"_L1) {
        if (auto r = codec.decodeServerMessage(input); !r)
            error = r.error();
    } else if (kind == "application"_L1) {
        if (auto r = codec.parseApplication(input, u"ci"_s); !r)
            error = r.error();
    } else if (kind == "channel"_L1) {
        if (auto r = codec.parseChannel(input, u"ci"_s, u"builds"_s); !r)
            error = r.error();
    } else {
        QFAIL("unknown kind");
    }
    QVERIFY2(error, "input was accepted");
    QCOMPARE(error->code, ErrorCode::BadRequest);
    QVERIFY2(error->message.startsWith(expectedPrefix),
             qPrintable(u"'%1' does not start with '%2'"_s.arg(error->message, expectedPrefix)));
}

void TestJsonCodec::writesErrorBody_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("bad request")
        << ErrorCode::BadRequest << u"channel: must not be empty"_s
        << QByteArray(R"({"error":{"code":"bad_request","message":"channel: must not be empty"}})");
    QTest::newRow("escaped")
        << ErrorCode::NotFound << QStringLiteral("no \"x\"\n\\")
        << QByteArray("{\"error\":{\"code\":\"not_found\",\"message\":\"no \\\"x\\\"\\n\\\\\"}}");
    QTest::newRow("rate limited") << ErrorCode::RateLimited << u"slow"_s
                                  << QByteArray(
                                         R"({"error":{"code":"rate_limited","message":"slow"}})");
}

void TestJsonCodec::writesErrorBody()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    QFETCH(QByteArray, expected);
    const QByteArray body = JsonCodec::errorBody(Error{code, message});
    QCOMPARE(body, expected);
    QCOMPARE(parsed(body).value(u"error"_s).toObject().value(u"message"_s).toString(), message);
}

QTEST_APPLESS_MAIN(TestJsonCodec)
#include "tst_jsoncodec.moc"
