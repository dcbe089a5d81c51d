// SPDX-License-Identifier: Apache-2.0
// Acknowledgements: per user, fanned out to every session of that user (and only that user),
// over WebSocket and REST, and durable across a daemon restart.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"shop"_s;

QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray array;
    for (const qint64 id : ids)
        array.append(double(id));
    return array;
}

QList<qint64> idsOf(const QJsonValue &value)
{
    QList<qint64> ids;
    for (const auto &id : value.toArray())
        ids.append(id.toInteger());
    return ids;
}
} // namespace

class TestAcks : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void webSocketAckReachesOtherSessionsOfSameUserOnly();
    void restAckReachesSessionsOfSameUserOnly();
    void restAckIsIdempotentAndLeavesOutUnknownIds();
    void restAckFansOutOnlyAcknowledgedIds();
    void ackSurvivesRestart();

private:
    std::unique_ptr<WsClient> session(const QString &user, const QString &channel,
                                      int fetchLast = 0);
    // Publishes a marker and waits for it on every session: whatever the daemon sent these
    // sessions before it has arrived by then.
    bool flush(const QString &channel, const QList<WsClient *> &sessions);

    SyncdProcess m_syncd;
    HttpClient m_http;
};

void TestAcks::initTestCase()
{
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
    m_http.setBaseUrl(m_syncd.httpUrl());
    QVERIFY(createApplication(
        m_http, App, {u"ws"_s, u"rest"_s, u"idem"_s, u"restart"_s, u"mixed"_s, u"elsewhere"_s}));
    QVERIFY(createUser(m_http, u"alice"_s));
    QVERIFY(createUser(m_http, u"bob"_s));
}

void TestAcks::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

std::unique_ptr<WsClient> TestAcks::session(const QString &user, const QString &channel,
                                            int fetchLast)
{
    auto ws = std::make_unique<WsClient>();
    if (!ws->connectAs(m_syncd.wsUrl(), user, App, {channel}, fetchLast)) {
        qWarning("session of %s: %s", qPrintable(user), ws->describe().constData());
        return nullptr;
    }
    return ws;
}

bool TestAcks::flush(const QString &channel, const QList<WsClient *> &sessions)
{
    const qint64 marker = publish(m_http, App, channel, u"marker"_s);
    if (marker == 0)
        return false;
    for (WsClient *ws : sessions) {
        if (!ws->waitForNotificationId(marker)) {
            qWarning("marker %lld not delivered: %s", marker, ws->describe().constData());
            return false;
        }
    }
    return true;
}

void TestAcks::webSocketAckReachesOtherSessionsOfSameUserOnly()
{
    auto alice1 = session(u"alice"_s, u"ws"_s);
    auto alice2 = session(u"alice"_s, u"ws"_s);
    auto bob = session(u"bob"_s, u"ws"_s);
    QVERIFY(alice1 && alice2 && bob);
    const qint64 id = publish(m_http, App, u"ws"_s, u"disk almost full"_s);
    QVERIFY(id > 0);
    for (WsClient *ws : {alice1.get(), alice2.get(), bob.get()})
        QVERIFY2(ws->waitForNotificationId(id), ws->describe());

    alice1->sendJson(QJsonObject{{"type"_L1, "ack"_L1}, {"ids"_L1, idArray({id})}});
    const auto acknowledged = alice2->waitForType(u"acknowledged"_s);
    QVERIFY2(acknowledged, alice2->describe());
    QCOMPARE(idsOf(acknowledged->value("ids"_L1)), QList<qint64>{id});

    QVERIFY(flush(u"ws"_s, {alice2.get(), bob.get()}));
    QVERIFY2(bob->framesOfType(u"acknowledged"_s).isEmpty(), bob->describe());
    QVERIFY2(alice1->framesOfType(u"error"_s).isEmpty(), alice1->describe());

    const Listing aliceList = listAll(m_http, u"user=alice&application=shop&channel=ws"_s);
    QVERIFY2(aliceList.ok, aliceList.error);
    QVERIFY(aliceList.find(id));
    QCOMPARE(aliceList.find(id)->value("acknowledged"_L1), QJsonValue(true));
    const Listing bobList = listAll(m_http, u"user=bob&application=shop&channel=ws"_s);
    QVERIFY2(bobList.ok, bobList.error);
    QVERIFY(bobList.find(id));
    QCOMPARE(bobList.find(id)->value("acknowledged"_L1), QJsonValue(false));
}

void TestAcks::restAckReachesSessionsOfSameUserOnly()
{
    auto alice1 = session(u"alice"_s, u"rest"_s);
    auto alice2 = session(u"alice"_s, u"rest"_s);
    auto bob = session(u"bob"_s, u"rest"_s);
    QVERIFY(alice1 && alice2 && bob);
    const qint64 id = publish(m_http, App, u"rest"_s, u"backup finished"_s);
    QVERIFY(id > 0);
    for (WsClient *ws : {alice1.get(), alice2.get(), bob.get()})
        QVERIFY2(ws->waitForNotificationId(id), ws->describe());

    const HttpResponse ack = m_http.post(
        u"/api/v1/acks"_s, QJsonObject{{"ids"_L1, idArray({id})}, {"user"_L1, "alice"_L1}});
    QVERIFY2(ack.status == 200, ack.describe());
    QCOMPARE(idsOf(ack.object().value("acknowledged"_L1)), QList<qint64>{id});
    for (WsClient *ws : {alice1.get(), alice2.get()}) {
        const auto acknowledged = ws->waitForType(u"acknowledged"_s);
        QVERIFY2(acknowledged, ws->describe());
        QCOMPARE(idsOf(acknowledged->value("ids"_L1)), QList<qint64>{id});
    }
    QVERIFY(flush(u"rest"_s, {bob.get()}));
    QVERIFY2(bob->framesOfType(u"acknowledged"_s).isEmpty(), bob->describe());
}

void TestAcks::restAckIsIdempotentAndLeavesOutUnknownIds()
{
    const qint64 id = publish(m_http, App, u"idem"_s, u"certificate renewed"_s);
    QVERIFY(id > 0);
    // An id that cannot exist yet: valid, but far beyond anything issued so far.
    const qint64 unknown = (qint64(1) << 52) + 12345;
    const QJsonObject body{{"ids"_L1, idArray({id, unknown})}, {"user"_L1, "alice"_L1}};
    for (int attempt = 0; attempt < 2; ++attempt) {
        const HttpResponse ack = m_http.post(u"/api/v1/acks"_s, body);
        QVERIFY2(ack.status == 200, ack.describe());
        QCOMPARE(idsOf(ack.object().value("acknowledged"_L1)), QList<qint64>{id});
    }
    const Listing listing = listAll(m_http, u"user=alice&application=shop&channel=idem"_s);
    QVERIFY2(listing.ok, listing.error);
    QCOMPARE(listing.ids(), QList<qint64>{id});
    QCOMPARE(listing.items.constFirst().value("acknowledged"_L1), QJsonValue(true));
}

// Mutation caught: NotificationService::acknowledge fanning out the requested ids instead of
// the acknowledged ones (unknown ids and ids private to another user reach the sessions).
void TestAcks::restAckFansOutOnlyAcknowledgedIds()
{
    const qint64 visible = publish(m_http, App, u"mixed"_s, u"disk replaced"_s);
    const qint64 forBob = publish(m_http, App, u"mixed"_s, u"bob's invoice"_s,
                                  QJsonObject{{"recipients"_L1, QJsonArray{"bob"_L1}}});
    const qint64 ackedBefore = publish(m_http, App, u"mixed"_s, u"fan replaced"_s);
    QVERIFY(visible > 0 && forBob > 0 && ackedBefore > 0);
    const qint64 unknown = (qint64(1) << 52) + 54321; // valid, but never issued
    const HttpResponse first =
        m_http.post(u"/api/v1/acks"_s,
                    QJsonObject{{"ids"_L1, idArray({ackedBefore})}, {"user"_L1, "alice"_L1}});
    QVERIFY2(first.status == 200, first.describe());
    QCOMPARE(idsOf(first.object().value("acknowledged"_L1)), QList<qint64>{ackedBefore});

    // Read state reaches every device of the user, also one that follows other channels only.
    auto aliceHere = session(u"alice"_s, u"mixed"_s);
    auto aliceElsewhere = session(u"alice"_s, u"elsewhere"_s);
    auto bob = session(u"bob"_s, u"mixed"_s);
    QVERIFY(aliceHere && aliceElsewhere && bob);

    const HttpResponse ack = m_http.post(
        u"/api/v1/acks"_s, QJsonObject{{"ids"_L1, idArray({unknown, visible, forBob, ackedBefore})},
                                       {"user"_L1, "alice"_L1}});
    QVERIFY2(ack.status == 200, ack.describe());
    // PROTOCOL.md: the answer and the frames list the ids that exist and are visible to the
    // user, in request order, including ones acknowledged before.
    const QList<qint64> expected{visible, ackedBefore};
    QCOMPARE(idsOf(ack.object().value("acknowledged"_L1)), expected);

    QVERIFY(flush(u"mixed"_s, {aliceHere.get(), bob.get()}));
    QVERIFY(flush(u"elsewhere"_s, {aliceElsewhere.get()}));
    for (WsClient *ws : {aliceHere.get(), aliceElsewhere.get()}) {
        const QList<QJsonObject> frames = ws->framesOfType(u"acknowledged"_s);
        QVERIFY2(frames.size() == 1, ws->describe());
        QCOMPARE(idsOf(frames.constFirst().value("ids"_L1)), expected);
    }
    QVERIFY2(bob->framesOfType(u"acknowledged"_s).isEmpty(), bob->describe());

    // bob's private notification stays unacknowledged for bob and invisible to alice.
    const Listing bobList = listAll(m_http, u"user=bob&application=shop&channel=mixed"_s);
    QVERIFY2(bobList.ok, bobList.error);
    QVERIFY(bobList.find(forBob));
    QCOMPARE(bobList.find(forBob)->value("acknowledged"_L1), QJsonValue(false));
    const Listing aliceList = listAll(m_http, u"user=alice&application=shop&channel=mixed"_s);
    QVERIFY2(aliceList.ok, aliceList.error);
    QVERIFY(!aliceList.find(forBob));
}

void TestAcks::ackSurvivesRestart()
{
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i)
        ids.append(publish(m_http, App, u"restart"_s, u"job %1 failed"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    {
        auto alice1 = session(u"alice"_s, u"restart"_s, 10);
        auto alice2 = session(u"alice"_s, u"restart"_s);
        QVERIFY(alice1 && alice2);
        alice1->sendJson(QJsonObject{{"type"_L1, "ack"_L1}, {"ids"_L1, idArray({ids.at(0)})}});
        // The WebSocket ack has no reply; the other session's echo shows it was applied.
        QVERIFY2(alice2->waitForType(u"acknowledged"_s), alice2->describe());
    }
    const HttpResponse restAck = m_http.post(
        u"/api/v1/acks"_s, QJsonObject{{"ids"_L1, idArray({ids.at(1)})}, {"user"_L1, "alice"_L1}});
    QVERIFY2(restAck.status == 200, restAck.describe());

    QCOMPARE(m_syncd.terminate(), 0);
    QVERIFY2(m_syncd.restart(), qPrintable(m_syncd.errorString()));
    m_http.setBaseUrl(m_syncd.httpUrl());

    const Listing alice = listAll(m_http, u"user=alice&application=shop&channel=restart"_s);
    QVERIFY2(alice.ok, alice.error);
    QCOMPARE(alice.ids(), (QList<qint64>{ids.at(2), ids.at(1), ids.at(0)}));
    QCOMPARE(alice.find(ids.at(0))->value("acknowledged"_L1), QJsonValue(true));
    QCOMPARE(alice.find(ids.at(1))->value("acknowledged"_L1), QJsonValue(true));
    QCOMPARE(alice.find(ids.at(2))->value("acknowledged"_L1), QJsonValue(false));
    const Listing bob = listAll(m_http, u"user=bob&application=shop&channel=restart"_s);
    QVERIFY2(bob.ok, bob.error);
    // The loop below proves nothing over an empty listing: bob must see all three.
    QCOMPARE(bob.ids(), (QList<qint64>{ids.at(2), ids.at(1), ids.at(0)}));
    for (const QJsonObject &item : bob.items)
        QCOMPARE(item.value("acknowledged"_L1), QJsonValue(false));

    auto backlog = session(u"alice"_s, u"restart"_s, 10);
    QVERIFY(backlog);
    QCOMPARE(backlog->notificationIds(), QList<qint64>{ids.at(2)});
}

QTEST_GUILESS_MAIN(TestAcks)
#include "tst_acks.moc"
