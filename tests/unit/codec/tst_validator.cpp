// SPDX-License-Identifier: Apache-2.0
#include "protocol/validator.h"

#include <QTest>

#include <functional>

using namespace herald;
using namespace Qt::StringLiterals;

using NotificationChange = std::function<void(Notification &)>;
using RegisterChange = std::function<void(RegisterMessage &)>;
using ApplicationChange = std::function<void(Application &)>;
using ChannelChange = std::function<void(Channel &)>;
Q_DECLARE_METATYPE(NotificationChange)
Q_DECLARE_METATYPE(RegisterChange)
Q_DECLARE_METATYPE(ApplicationChange)
Q_DECLARE_METATYPE(ChannelChange)

namespace {

constexpr qint64 TwoToThe53 = qint64(1) << 53;

QString repeated(const QString &unit, int count)
{
    return unit.repeated(count);
}

QString chars(int count)
{
    return QString(count, u'x');
}

Notification validNotification()
{
    Notification n;
    n.application = u"app"_s;
    n.channel = u"builds"_s;
    n.title = u"Build finished"_s;
    n.message = u"All green"_s;
    return n;
}

RegisterMessage validRegister()
{
    RegisterMessage m;
    m.clientId = u"b239d7df-bfeb-4310-a840-43846a87efac"_s;
    m.subscriptions = {{u"app"_s, {u"c1"_s, u"c2"_s}}, {u"other"_s, {u"c3"_s}}};
    return m;
}

Application validApplication()
{
    return Application{0,
                       u"app"_s,
                       u"App"_s,
                       {EventType{u"build"_s,
                                  u"Build"_s,
                                  {Level{u"info"_s, u"Info"_s}, Level{u"error"_s, u"Error"_s}}}}};
}

// A row outcome: empty prefix means the input must pass.
void verifyResult(const Result<void> &result, const QString &expectedPrefix)
{
    if (expectedPrefix.isEmpty()) {
        QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
        return;
    }
    QVERIFY2(!result.has_value(), "expected a validation error");
    QCOMPARE(result.error().code, ErrorCode::BadRequest);
    QVERIFY2(result.error().message.startsWith(expectedPrefix),
             qPrintable(result.error().message + u" does not start with "_s + expectedPrefix));
}

} // namespace

class TestValidator : public QObject
{
    Q_OBJECT

private slots:
    void acceptsValidNames_data();
    void acceptsValidNames();
    void rejectsInvalidNames_data();
    void rejectsInvalidNames();
    void checksNotificationLimits_data();
    void checksNotificationLimits();
    void prefixesNotificationErrorsWithPath();
    void honoursConfiguredLimits();
    void checksIds_data();
    void checksIds();
    void checksRegister_data();
    void checksRegister();
    void checksApplication_data();
    void checksApplication();
    void checksChannel_data();
    void checksChannel();
};

void TestValidator::acceptsValidNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("one char") << u"a"_s;
    QTest::newRow("all allowed chars") << u"AZaz09._-"_s;
    QTest::newRow("64 chars") << chars(64);
    QTest::newRow("dots only") << u"..."_s;
}

void TestValidator::acceptsValidNames()
{
    QFETCH(QString, name);
    QVERIFY(Validator::isValidName(name));
    verifyResult(Validator().checkName(name, u"channel"_s), {});
}

void TestValidator::rejectsInvalidNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expectedMessage");
    QTest::newRow("empty") << QString() << u"channel: must not be empty"_s;
    QTest::newRow("65 chars") << chars(65) << u"channel: longer than 64 characters"_s;
    QTest::newRow("space") << u"a b"_s << u"channel: may only contain"_s;
    QTest::newRow("slash") << u"a/b"_s << u"channel: may only contain"_s;
    QTest::newRow("non-ascii") << u"caf\u00e9"_s << u"channel: may only contain"_s;
    QTest::newRow("colon") << u"a:b"_s << u"channel: may only contain"_s;
    QTest::newRow("newline") << u"a\n"_s << u"channel: may only contain"_s;
}

void TestValidator::rejectsInvalidNames()
{
    QFETCH(QString, name);
    QFETCH(QString, expectedMessage);
    QVERIFY(!Validator::isValidName(name));
    verifyResult(Validator().checkName(name, u"channel"_s), expectedMessage);
}

void TestValidator::checksNotificationLimits_data()
{
    QTest::addColumn<NotificationChange>("change");
    QTest::addColumn<QString>("expectedPrefix");

    const auto row = [](const char *name, const QString &prefix, NotificationChange change) {
        QTest::newRow(name) << change << prefix;
    };
    row("valid", {}, [](Notification &) {});
    row("bad application", u"application: "_s,
        [](Notification &n) { n.application = u"my app"_s; });
    row("empty channel", u"channel: "_s, [](Notification &n) { n.channel.clear(); });
    row("title at limit", {}, [](Notification &n) { n.title = chars(256); });
    row("title over limit", u"title: "_s, [](Notification &n) { n.title = chars(257); });
    // Characters are code points: 256 emoji are 512 UTF-16 units and still fit.
    row("title of 256 emoji", {},
        [](Notification &n) { n.title = repeated(u"\U0001F600"_s, 256); });
    row("title of 257 emoji", u"title: "_s,
        [](Notification &n) { n.title = repeated(u"\U0001F600"_s, 257); });
    row("message at limit", {}, [](Notification &n) { n.message = chars(4096); });
    row("message over limit", u"message: longer than 4096 bytes"_s,
        [](Notification &n) { n.message = chars(4097); });
    // The message limit is in UTF-8 bytes: "é" takes two.
    row("message 4096 utf-8 bytes", {},
        [](Notification &n) { n.message = repeated(u"\u00e9"_s, 2048); });
    row("message 4098 utf-8 bytes", u"message: "_s,
        [](Notification &n) { n.message = repeated(u"\u00e9"_s, 2049); });
    row("title only", {}, [](Notification &n) { n.message.clear(); });
    row("message only", {}, [](Notification &n) { n.title.clear(); });
    row("neither title nor message", u"message: "_s, [](Notification &n) {
        n.title.clear();
        n.message.clear();
    });
    row("code at limit", {}, [](Notification &n) { n.code = chars(128); });
    row("code over limit", u"code: "_s, [](Notification &n) { n.code = chars(129); });
    row("level at limit", {}, [](Notification &n) { n.level = chars(64); });
    row("level over limit", u"level: "_s, [](Notification &n) { n.level = chars(65); });
    row("32 tags", {}, [](Notification &n) {
        for (int i = 0; i < 32; ++i)
            n.tags.insert(u"k%1"_s.arg(i), u"v"_s);
    });
    row("33 tags", u"tags: more than 32 tags"_s, [](Notification &n) {
        for (int i = 0; i < 33; ++i)
            n.tags.insert(u"k%1"_s.arg(i), u"v"_s);
    });
    row("tag key at limit", {}, [](Notification &n) { n.tags.insert(chars(64), u"v"_s); });
    row("tag key over limit", u"tags."_s + chars(65) + u": key longer"_s,
        [](Notification &n) { n.tags.insert(chars(65), u"v"_s); });
    row("empty tag key", u"tags: "_s, [](Notification &n) { n.tags.insert(QString(), u"v"_s); });
    row("tag key with any chars", {}, [](Notification &n) { n.tags.insert(u"a b/c"_s, u"v"_s); });
    row("tag value at limit", {}, [](Notification &n) { n.tags.insert(u"env"_s, chars(256)); });
    row("tag value over limit", u"tags.env: value longer than 256 characters"_s,
        [](Notification &n) { n.tags.insert(u"env"_s, chars(257)); });
    row("empty tag value", {}, [](Notification &n) { n.tags.insert(u"env"_s, QString()); });
    row("http url", {}, [](Notification &n) { n.url = u"http://example.com/x?y=1"_s; });
    row("https url", {}, [](Notification &n) { n.url = u"https://example.com"_s; });
    row("mailto url", {}, [](Notification &n) { n.url = u"mailto:ops@example.com"_s; });
    row("ftp url", u"url: "_s, [](Notification &n) { n.url = u"ftp://example.com"_s; });
    row("javascript url", u"url: "_s, [](Notification &n) { n.url = u"javascript:alert(1)"_s; });
    row("relative url", u"url: "_s, [](Notification &n) { n.url = u"/just/a/path"_s; });
    row("http url without host", u"url: "_s, [](Notification &n) { n.url = u"http://"_s; });
    row("url at limit", {},
        [](Notification &n) { n.url = u"https://example.com/"_s + chars(2048 - 20); });
    row("url over limit", u"url: longer than 2048 characters"_s,
        [](Notification &n) { n.url = u"https://example.com/"_s + chars(2049 - 20); });
    row("8 actions", {}, [](Notification &n) {
        for (int i = 0; i < 8; ++i)
            n.actions.append({u"a%1"_s.arg(i), u"Label"_s, {}});
    });
    row("9 actions", u"actions: more than 8 actions"_s, [](Notification &n) {
        for (int i = 0; i < 9; ++i)
            n.actions.append({u"a%1"_s.arg(i), u"Label"_s, {}});
    });
    row("action id not a name", u"actions[1].id: "_s, [](Notification &n) {
        n.actions = {{u"ok"_s, u"OK"_s, {}}, {u"no way"_s, u"No"_s, {}}};
    });
    row("duplicate action id", u"actions[1].id: duplicate"_s, [](Notification &n) {
        n.actions = {{u"ok"_s, u"OK"_s, {}}, {u"ok"_s, u"Again"_s, {}}};
    });
    row("empty action label", u"actions[0].label: "_s, [](Notification &n) {
        n.actions = {{u"ok"_s, {}, {}}};
    });
    row("action label at limit", {}, [](Notification &n) {
        n.actions = {{u"ok"_s, chars(64), {}}};
    });
    row("action label over limit", u"actions[0].label: "_s, [](Notification &n) {
        n.actions = {{u"ok"_s, chars(65), {}}};
    });
    row("action with url", {}, [](Notification &n) {
        n.actions = {{u"open"_s, u"Open"_s, u"https://x.org"_s}};
    });
    row("action with bad url", u"actions[0].url: "_s, [](Notification &n) {
        n.actions = {{u"open"_s, u"Open"_s, u"file:///etc"_s}};
    });
    row("1000 recipients", {}, [](Notification &n) {
        for (int i = 0; i < 1000; ++i)
            n.recipients.append(u"u%1"_s.arg(i));
    });
    row("1001 recipients", u"recipients: "_s, [](Notification &n) {
        for (int i = 0; i < 1001; ++i)
            n.recipients.append(u"u%1"_s.arg(i));
    });
    row("bad recipient", u"recipients[2]: "_s, [](Notification &n) {
        n.recipients = {u"alice"_s, u"bob"_s, u"not valid"_s};
    });
    row("valid expiry", {},
        [](Notification &n) { n.expiresAt = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC); });
    row("invalid expiry", u"expiresAt: "_s, [](Notification &n) { n.expiresAt = QDateTime(); });
}

void TestValidator::checksNotificationLimits()
{
    QFETCH(NotificationChange, change);
    QFETCH(QString, expectedPrefix);
    Notification n = validNotification();
    change(n);
    verifyResult(Validator().checkNotification(n), expectedPrefix);
}

void TestValidator::prefixesNotificationErrorsWithPath()
{
    Notification n = validNotification();
    n.channel = u"bad channel"_s;
    verifyResult(Validator().checkNotification(n, u"[3]"_s), u"[3].channel: "_s);

    n = validNotification();
    n.tags.insert(u"env"_s, chars(257));
    verifyResult(Validator().checkNotification(n, u"[2]"_s), u"[2].tags.env: "_s);

    n = validNotification();
    n.actions = {{u"ok"_s, {}, {}}};
    verifyResult(Validator().checkNotification(n, u"[0]"_s), u"[0].actions[0].label: "_s);
}

void TestValidator::honoursConfiguredLimits()
{
    Limits limits;
    limits.maxTags = 1;
    limits.maxTitleChars = 5;
    const Validator validator(limits);
    QCOMPARE(validator.limits().maxTags, 1);

    Notification n = validNotification();
    n.title = u"12345"_s;
    n.tags = {{u"a"_s, u"1"_s}};
    verifyResult(validator.checkNotification(n), {});
    n.tags.insert(u"b"_s, u"2"_s);
    verifyResult(validator.checkNotification(n), u"tags: more than 1 tags"_s);
    n.tags.remove(u"b"_s);
    n.title = u"123456"_s;
    verifyResult(validator.checkNotification(n), u"title: longer than 5 characters"_s);
}

void TestValidator::checksIds_data()
{
    QTest::addColumn<QList<NotificationId>>("ids");
    QTest::addColumn<QString>("expectedPrefix");
    QList<NotificationId> thousand;
    for (int i = 1; i <= 1000; ++i)
        thousand.append(i);
    QTest::newRow("one") << QList<NotificationId>{1} << QString();
    QTest::newRow("largest") << QList<NotificationId>{TwoToThe53 - 1} << QString();
    QTest::newRow("1000 ids") << thousand << QString();
    QTest::newRow("1001 ids") << (thousand << 1001) << u"ids: more than 1000 ids"_s;
    QTest::newRow("empty") << QList<NotificationId>{} << u"ids: must not be empty"_s;
    QTest::newRow("zero") << QList<NotificationId>{5, 0} << u"ids[1]: "_s;
    QTest::newRow("negative") << QList<NotificationId>{-3} << u"ids[0]: "_s;
    QTest::newRow("2^53") << QList<NotificationId>{1, 2, 3, 4, TwoToThe53} << u"ids[4]: "_s;
}

void TestValidator::checksIds()
{
    QFETCH(QList<NotificationId>, ids);
    QFETCH(QString, expectedPrefix);
    verifyResult(Validator().checkIds(ids, u"ids"_s), expectedPrefix);
    for (NotificationId id : ids) {
        QCOMPARE(Validator::isValidId(id), id > 0 && id < TwoToThe53);
    }
}

void TestValidator::checksRegister_data()
{
    QTest::addColumn<RegisterChange>("change");
    QTest::addColumn<QString>("expectedPrefix");
    const auto row = [](const char *name, const QString &prefix, RegisterChange change) {
        QTest::newRow(name) << change << prefix;
    };
    const auto channels = [](int count) {
        QStringList list;
        for (int i = 0; i < count; ++i)
            list.append(u"c%1"_s.arg(i));
        return list;
    };

    row("valid", {}, [](RegisterMessage &) {});
    row("empty client id", u"clientId: "_s, [](RegisterMessage &m) { m.clientId.clear(); });
    row("client id at limit", {}, [](RegisterMessage &m) { m.clientId = chars(128); });
    row("client id over limit", u"clientId: "_s,
        [](RegisterMessage &m) { m.clientId = chars(129); });
    row("user", {}, [](RegisterMessage &m) { m.user = u"alice"_s; });
    row("bad user", u"user: "_s, [](RegisterMessage &m) { m.user = u"alice smith"_s; });
    // A session that only publishes; whether its token may is the daemon's decision.
    row("no subscriptions", {}, [](RegisterMessage &m) { m.subscriptions.clear(); });
    row("bad application", u"subscriptions[1].application: "_s,
        [](RegisterMessage &m) { m.subscriptions[1].application = u"x y"_s; });
    row("no channels", u"subscriptions[1].channels: must not be empty"_s,
        [](RegisterMessage &m) { m.subscriptions[1].channels.clear(); });
    row("bad channel", u"subscriptions[0].channels[1]: "_s,
        [](RegisterMessage &m) { m.subscriptions[0].channels[1] = u"#"_s; });
    row("256 channels in total", {}, [channels](RegisterMessage &m) {
        m.subscriptions = {{u"a"_s, channels(200)}, {u"b"_s, channels(56)}};
    });
    row("257 channels in total", u"subscriptions: more than 256 channels"_s,
        [channels](RegisterMessage &m) {
            m.subscriptions = {{u"a"_s, channels(200)}, {u"b"_s, channels(57)}};
        });
    row("fetchLast 0", {}, [](RegisterMessage &m) { m.fetchLast = 0; });
    row("fetchLast at limit", {}, [](RegisterMessage &m) { m.fetchLast = 100; });
    row("fetchLast over limit", u"fetchLast: must be between 0 and 100"_s,
        [](RegisterMessage &m) { m.fetchLast = 101; });
    row("negative fetchLast", u"fetchLast: "_s, [](RegisterMessage &m) { m.fetchLast = -1; });
    row("last id", {}, [](RegisterMessage &m) { m.lastNotificationId = 42; });
    row("last id zero", u"lastNotificationId: "_s,
        [](RegisterMessage &m) { m.lastNotificationId = 0; });
    row("last id 2^53", u"lastNotificationId: "_s,
        [](RegisterMessage &m) { m.lastNotificationId = TwoToThe53; });
}

void TestValidator::checksRegister()
{
    QFETCH(RegisterChange, change);
    QFETCH(QString, expectedPrefix);
    RegisterMessage m = validRegister();
    change(m);
    verifyResult(Validator().checkRegister(m), expectedPrefix);
}

void TestValidator::checksApplication_data()
{
    QTest::addColumn<ApplicationChange>("change");
    QTest::addColumn<QString>("expectedPrefix");
    const auto row = [](const char *name, const QString &prefix, ApplicationChange change) {
        QTest::newRow(name) << change << prefix;
    };
    row("valid", {}, [](Application &) {});
    row("no event types", {}, [](Application &a) { a.eventTypes.clear(); });
    row("bad name", u"name: "_s, [](Application &a) { a.name = u"my app"_s; });
    row("title at limit", {}, [](Application &a) { a.title = chars(256); });
    row("title over limit", u"title: "_s, [](Application &a) { a.title = chars(257); });
    row("bad event type id", u"eventTypes[0].id: "_s,
        [](Application &a) { a.eventTypes[0].id.clear(); });
    row("duplicate event type", u"eventTypes[1].id: duplicate"_s,
        [](Application &a) { a.eventTypes.append(a.eventTypes.first()); });
    row("event type title over limit", u"eventTypes[0].title: "_s,
        [](Application &a) { a.eventTypes[0].title = chars(257); });
    row("bad level id", u"eventTypes[0].levels[1].id: "_s,
        [](Application &a) { a.eventTypes[0].levels[1].id = u"a b"_s; });
    row("duplicate level", u"eventTypes[0].levels[1].id: duplicate"_s,
        [](Application &a) { a.eventTypes[0].levels[1].id = a.eventTypes[0].levels[0].id; });
}

void TestValidator::checksApplication()
{
    QFETCH(ApplicationChange, change);
    QFETCH(QString, expectedPrefix);
    Application a = validApplication();
    change(a);
    verifyResult(Validator().checkApplication(a), expectedPrefix);
}

void TestValidator::checksChannel_data()
{
    QTest::addColumn<ChannelChange>("change");
    QTest::addColumn<QString>("expectedPrefix");
    const auto row = [](const char *name, const QString &prefix, ChannelChange change) {
        QTest::newRow(name) << change << prefix;
    };
    row("valid", {}, [](Channel &) {});
    row("bad application", u"application: "_s, [](Channel &c) { c.application = u"a/b"_s; });
    row("bad name", u"name: "_s, [](Channel &c) { c.name.clear(); });
    row("title over limit", u"title: "_s, [](Channel &c) { c.title = chars(257); });
    row("description at limit", {}, [](Channel &c) { c.description = chars(4096); });
    row("description over limit", u"description: "_s,
        [](Channel &c) { c.description = chars(4097); });
}

void TestValidator::checksChannel()
{
    QFETCH(ChannelChange, change);
    QFETCH(QString, expectedPrefix);
    Channel c{0, u"app"_s, u"builds"_s, u"Builds"_s, u"CI results"_s};
    change(c);
    verifyResult(Validator().checkChannel(c), expectedPrefix);
}

QTEST_APPLESS_MAIN(TestValidator)
#include "tst_validator.moc"
