// SPDX-License-Identifier: Apache-2.0
// Hermes compatibility: a client written for the original Hermes (register/ack text commands,
// PascalCase frames, the producer body on /api/notifications) works end to end.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>
#include <QUuid>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"myapp"_s;
const QString User = u"carol"_s;

// The keys of a NewNotification's Data in reference/hermes-websocket-service.txt.
const QStringList ReferenceDataKeys = {
    u"ApplicationId"_s, u"ApplicationName"_s, u"ChannelId"_s, u"ChannelName"_s, u"Code"_s, u"Id"_s,
    u"Message"_s,       u"Persistent"_s,      u"Tags"_s,      u"Time"_s};

QString hermesCommand(const char *command, const QJsonObject &payload)
{
    return QString::fromLatin1(command) + u' ' +
           QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Indented));
}
} // namespace

class TestHermesCompat : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void sessionReceivesNewNotificationInReferenceShape();
    void registerHonoursLastNotificationId();
    void ackCommandAcknowledgesForTheUser();
    void producerBodyOnHermesEndpointPublishes();

private:
    // A Hermes session of carol on `channel`. Registration has no reply in Hermes, so a
    // notification published before is awaited as backlog: once it is in, the session is live.
    std::unique_ptr<WsClient> hermesSession(const QString &channel, qint64 seedId,
                                            std::optional<qint64> lastId = {});

    SyncdProcess m_syncd;
    HttpClient m_admin;
    QString m_userToken;
    QString m_producerToken;
};

void TestHermesCompat::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    const QString adminToken = m_syncd.createToken(u"admin"_s);
    QVERIFY(!adminToken.isEmpty());
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(adminToken);
    QVERIFY(createApplication(m_admin, App,
                              {u"channel1"_s, u"channel2"_s, u"channel3"_s, u"channel4"_s}));
    QVERIFY(createUser(m_admin, User));
    m_userToken = m_syncd.createToken(u"user"_s, {u"--user"_s, User});
    QVERIFY(!m_userToken.isEmpty());
    m_producerToken = m_syncd.createToken(u"producer"_s, {u"--app"_s, App});
    QVERIFY(!m_producerToken.isEmpty());
}

void TestHermesCompat::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

std::unique_ptr<WsClient> TestHermesCompat::hermesSession(const QString &channel, qint64 seedId,
                                                          std::optional<qint64> lastId)
{
    auto ws = std::make_unique<WsClient>();
    QUrlQuery query;
    query.addQueryItem(u"token"_s, m_userToken);
    if (!ws->open(m_syncd.wsUrl(query.toString(QUrl::FullyEncoded)))) {
        qWarning("Hermes session: %s", ws->describe().constData());
        return nullptr;
    }
    QJsonObject registration{
        {"ApplicationName"_L1, App},
        {"ClientId"_L1, QUuid::createUuid().toString(QUuid::WithoutBraces)},
        {"Channels"_L1, QJsonArray{channel}},
        {"FetchLast"_L1, 10},
    };
    if (lastId)
        registration.insert("LastNotificationId"_L1, double(*lastId));
    ws->sendText(hermesCommand("register", registration));
    if (!ws->waitForNotificationId(seedId)) {
        qWarning("Hermes session on %s: no backlog: %s", qPrintable(channel),
                 ws->describe().constData());
        return nullptr;
    }
    return ws;
}

void TestHermesCompat::sessionReceivesNewNotificationInReferenceShape()
{
    const qint64 seed = publish(m_admin, App, u"channel1"_s, u"seed"_s);
    QVERIFY(seed > 0);
    auto ws = hermesSession(u"channel1"_s, seed);
    QVERIFY(ws);

    const QJsonObject tags{{"test_key_1"_L1, "test_value_1"_L1},
                           {"test_key_2"_L1, "test_value_2"_L1}};
    const qint64 id = publish(m_admin, App, u"channel1"_s, u"Test new message in channel 1"_s,
                              QJsonObject{{"code"_L1, "new_notification"_L1}, {"tags"_L1, tags}});
    QVERIFY(id > seed);
    QVERIFY2(ws->waitForNotificationId(id), ws->describe());

    // Hermes sessions get Hermes frames only: no registered/backlogDone, no native keys.
    QCOMPARE(ws->types(), QStringList({u"NewNotification"_s, u"NewNotification"_s}));
    const QJsonObject seedFrame = ws->frames().at(0);
    const QJsonObject frame = ws->frames().at(1);
    QCOMPARE(frame.keys(), QStringList({u"Data"_s, u"Type"_s}));
    const QJsonObject data = frame.value("Data"_L1).toObject();
    QCOMPARE(data.keys(), ReferenceDataKeys);
    QCOMPARE(data.value("Id"_L1).toInteger(), id);
    QCOMPARE(data.value("Persistent"_L1), QJsonValue(true));
    QCOMPARE(data.value("ChannelName"_L1).toString(), u"channel1"_s);
    QCOMPARE(data.value("ApplicationName"_L1).toString(), App);
    QCOMPARE(data.value("Code"_L1).toString(), u"new_notification"_s);
    QCOMPARE(data.value("Message"_L1).toString(), u"Test new message in channel 1"_s);
    QCOMPARE(data.value("Tags"_L1).toObject(), tags);
    QVERIFY(data.value("ChannelId"_L1).toInteger() > 0);
    QVERIFY(data.value("ApplicationId"_L1).toInteger() > 0);
    const QString time = data.value("Time"_L1).toString();
    QVERIFY2(QDateTime::fromString(time, Qt::ISODateWithMs).isValid(), qPrintable(time));
    // Same application and channel, same catalog ids.
    const QJsonObject seedData = seedFrame.value("Data"_L1).toObject();
    QCOMPARE(seedData.keys(), ReferenceDataKeys);
    QCOMPARE(seedData.value("ChannelId"_L1), data.value("ChannelId"_L1));
    QCOMPARE(seedData.value("ApplicationId"_L1), data.value("ApplicationId"_L1));
}

void TestHermesCompat::registerHonoursLastNotificationId()
{
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i)
        ids.append(publish(m_admin, App, u"channel2"_s, u"job %1 done"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    auto ws = hermesSession(u"channel2"_s, ids.at(2), ids.at(1));
    QVERIFY(ws);
    const qint64 live = publish(m_admin, App, u"channel2"_s, u"job 3 done"_s);
    QVERIFY(live > 0);
    QVERIFY2(ws->waitForNotificationId(live), ws->describe());
    QCOMPARE(ws->notificationIds(), (QList<qint64>{ids.at(2), live}));
}

void TestHermesCompat::ackCommandAcknowledgesForTheUser()
{
    const qint64 id = publish(m_admin, App, u"channel3"_s, u"please confirm"_s);
    QVERIFY(id > 0);
    auto first = hermesSession(u"channel3"_s, id);
    auto second = hermesSession(u"channel3"_s, id);
    QVERIFY(first && second);

    first->sendText(hermesCommand("ack", QJsonObject{{"Ids"_L1, QJsonArray{double(id)}}}));
    const auto acknowledged = second->waitForType(u"Acknowledged"_s);
    QVERIFY2(acknowledged, second->describe());
    QCOMPARE(acknowledged->value("Data"_L1).toObject().value("Ids"_L1).toArray(),
             QJsonArray{double(id)});

    const Listing listing = listAll(m_admin, u"user=carol&application=myapp&channel=channel3"_s);
    QVERIFY2(listing.ok, listing.error);
    QVERIFY(listing.find(id));
    QCOMPARE(listing.find(id)->value("acknowledged"_L1), QJsonValue(true));
    // The user's own token sees the same.
    HttpClient asUser(m_syncd.httpUrl());
    asUser.setToken(m_userToken);
    const Listing own = listAll(asUser, u"application=myapp&channel=channel3"_s);
    QVERIFY2(own.ok, own.error);
    QCOMPARE(own.find(id)->value("acknowledged"_L1), QJsonValue(true));
}

void TestHermesCompat::producerBodyOnHermesEndpointPublishes()
{
    const qint64 seed = publish(m_admin, App, u"channel4"_s, u"seed"_s);
    QVERIFY(seed > 0);
    auto ws = hermesSession(u"channel4"_s, seed);
    QVERIFY(ws);

    HttpClient producer(m_syncd.httpUrl());
    producer.setToken(m_producerToken);
    const QJsonObject tags{{"test_key_1"_L1, "test_value_1"_L1},
                           {"test_key_2"_L1, "test_value_2"_L1}};
    const QJsonObject hermesBody{{"applicationName"_L1, App},  {"channelName"_L1, "channel4"_L1},
                                 {"code"_L1, "job_create"_L1}, {"message"_L1, "New job created"_L1},
                                 {"persistent"_L1, true},      {"tags"_L1, tags}};
    const HttpResponse created = producer.post(u"/api/notifications"_s, hermesBody);
    QVERIFY2(created.status == 201, created.describe());
    const QJsonObject stored = created.object();
    const qint64 id = idOf(stored);
    QVERIFY2(id > seed, created.describe());
    QCOMPARE(stored.value("application"_L1).toString(), App);
    QCOMPARE(stored.value("channel"_L1).toString(), u"channel4"_s);
    QCOMPARE(stored.value("code"_L1).toString(), u"job_create"_s);
    QCOMPARE(stored.value("message"_L1).toString(), u"New job created"_s);
    QCOMPARE(stored.value("persistent"_L1), QJsonValue(true));
    QCOMPARE(stored.value("tags"_L1).toObject(), tags);

    QVERIFY2(ws->waitForNotificationId(id), ws->describe());
    const QJsonObject data = ws->frames().constLast().value("Data"_L1).toObject();
    QCOMPARE(data.value("Code"_L1).toString(), u"job_create"_s);
    QCOMPARE(data.value("Message"_L1).toString(), u"New job created"_s);
    QCOMPARE(data.value("Tags"_L1).toObject(), tags);
    QCOMPARE(data.value("ChannelName"_L1).toString(), u"channel4"_s);

    // A transient one through the same door: delivered, never listed.
    QJsonObject transientBody = hermesBody;
    transientBody.insert("persistent"_L1, false);
    transientBody.insert("message"_L1, u"Job progress 50%"_s);
    const HttpResponse transient = producer.post(u"/api/notifications"_s, transientBody);
    QVERIFY2(transient.status == 201, transient.describe());
    const qint64 transientId = idOf(transient.object());
    QVERIFY2(ws->waitForNotificationId(transientId), ws->describe());
    QCOMPARE(ws->frames().constLast().value("Data"_L1).toObject().value("Persistent"_L1),
             QJsonValue(false));

    const Listing listing = listAll(m_admin, u"user=carol&application=myapp&channel=channel4"_s);
    QVERIFY2(listing.ok, listing.error);
    QCOMPARE(listing.ids(), (QList<qint64>{id, seed}));
}

QTEST_GUILESS_MAIN(TestHermesCompat)
#include "tst_hermescompat.moc"
