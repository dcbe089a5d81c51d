// SPDX-License-Identifier: Apache-2.0
// JsonCodec on the REST side: notifications as JSON objects, publish bodies (one notification or a
// batch), the catalog's application and channel bodies, and error bodies. The WebSocket frames
// are tested in tst_jsonframes.cpp.
#include "codec/jsoncodec.h"
#include "codec/jsonnotification.h"
#include "jsoncodectestdata.h"
#include "model/timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace herald;
using namespace herald::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(herald::Notification)
Q_DECLARE_METATYPE(herald::ErrorCode)

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
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
    void roundTripsApplication();
    void roundTripsChannel();
    void acceptsEmptyCatalogBodies();
    void acceptsSurrogatePairs();
    void rejectsMalformedBodies_data();
    void rejectsMalformedBodies();
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
    // ASCII-only text is written without a UTF-8 copy: its escapes on their own.
    Notification asciiControls = minimalNotification();
    for (char16_t c = 1; c < 0x20; ++c)
        asciiControls.message += QChar(c);
    asciiControls.title = u"say \"hi\" C:\\path/\u007f"_s;
    asciiControls.tags = {{u"q\"k"_s, u"\n"_s}};
    QTest::newRow("ASCII with every escape") << asciiControls;
    Notification beyondAscii = minimalNotification();
    beyondAscii.title = u"caf\u00e9 \U0001F680 \"\u20ac\"\t"_s;
    beyondAscii.message = u"\u65e5\u672c\n"_s;
    QTest::newRow("two-, three- and four-byte UTF-8 with escapes") << beyondAscii;
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

void TestJsonCodec::rejectsMalformedBodies_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expectedPrefix");

    const auto publish = [](const char *name, const QByteArray &body, const QString &prefix) {
        QTest::newRow(name) << u"publish"_s << body << prefix;
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
    publish("upper-case escape of a lone surrogate", "{" + ok + R"(,"url":"x\uDFFF"})",
            u"url: contains an unpaired UTF-16 surrogate"_s);
    publish("escaped NUL", "{" + ok + R"(,"title":"a\u0000b"})", u"title: contains U+0000"_s);
    publish("raw NUL byte", "{" + ok + ",\"title\":\"a" + QByteArray(1, '\0') + "b\"}",
            u"title: contains U+0000"_s);
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

void TestJsonCodec::rejectsMalformedBodies()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, input);
    QFETCH(QString, expectedPrefix);

    const JsonCodec codec;
    std::optional<Error> error;
    if (kind == "publish"_L1) {
        if (auto r = codec.parsePublishBody(input); !r)
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
    verifyRejected(error, expectedPrefix);
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
