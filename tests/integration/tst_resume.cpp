// SPDX-License-Identifier: Apache-2.0
// Resume that never drops: a session that missed more than one backlog carries gets the newest
// of them, `backlogDone` says `truncated` and how many it `missed`, and SyncSession fetches the
// rest through REST, so every missed notification is shown once. Against a real herald-syncd
// started with --no-auth.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include "session/syncsession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <map>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"resume"_s;
constexpr int MaxResume = 1000; // docs/PROTOCOL.md: a resume's backlog carries at most this
} // namespace

class TestResume : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void truncatedResumeShowsEveryMissedNotificationOnce();
    void untruncatedResumeSaysNothingMore();

private:
    // Publishes `count` to `channel` in batches; their ids.
    QList<qint64> publishBatches(const QString &channel, int count);
    herald::SyncSessionConfig sessionConfig(const QString &channel) const;

    SyncdProcess m_syncd;
    HttpClient m_http;
};

void TestResume::initTestCase()
{
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
    m_http.setBaseUrl(m_syncd.httpUrl());
    QVERIFY(createApplication(m_http, App));
    for (const QString &channel : {u"many"_s, u"few"_s, u"elsewhere"_s})
        QVERIFY(createChannel(m_http, App, channel));
    QVERIFY(createUser(m_http, u"alice"_s));
}

void TestResume::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

QList<qint64> TestResume::publishBatches(const QString &channel, int count)
{
    QList<qint64> ids;
    while (ids.size() < count) {
        QJsonArray batch;
        for (int i = 0; i < std::min(400, int(count - ids.size())); ++i)
            batch.append(
                notificationBody(App, channel, u"%1 #%2"_s.arg(channel).arg(ids.size() + i)));
        const HttpResponse created = m_http.post(u"/api/v1/notifications"_s, batch);
        if (created.status != 201) {
            qWarning("batch publish: %s", created.describe().constData());
            return {};
        }
        for (const QJsonValue &item : created.array())
            ids.append(idOf(item.toObject()));
    }
    return ids;
}

herald::SyncSessionConfig TestResume::sessionConfig(const QString &channel) const
{
    herald::SyncSessionConfig config;
    config.servers = {m_syncd.wsUrl()};
    config.user = u"alice"_s;
    config.clientId = u"alices-laptop-"_s + channel;
    config.subscriptions = {herald::Subscription{App, {channel}}};
    config.fetchLast = 10;
    config.backoffMinMs = 20;
    config.backoffMaxMs = 200;
    return config;
}

void TestResume::truncatedResumeShowsEveryMissedNotificationOnce()
{
    herald::SyncSession session(sessionConfig(u"many"_s));
    std::map<qint64, int> shown;
    int backlogsDone = 0;
    connect(&session, &herald::SyncSession::notificationReceived, this,
            [&](const herald::Notification &n, bool) { ++shown[n.id]; });
    connect(&session, &herald::SyncSession::backlogDone, this, [&] { ++backlogsDone; });
    session.start();
    QVERIFY(waitUntil([&] { return session.state() == herald::SyncSession::State::Live; }, 10000));
    const qint64 seen = publish(m_http, App, u"many"_s, u"before the gap"_s);
    QVERIFY(waitUntil([&] { return shown.count(seen) == 1; }, 10000));
    QCOMPARE(session.lastNotificationId(), seen);
    session.stop();

    // Away: 5,000 missed, 10 of them read on another device, and others' channels in between.
    constexpr int Missed = 5000;
    QList<qint64> missed;
    for (int round = 0; round < 5; ++round) {
        missed += publishBatches(u"many"_s, Missed / 5);
        QVERIFY(!publishBatches(u"elsewhere"_s, 7).isEmpty());
    }
    QCOMPARE(missed.size(), Missed);
    QJsonArray readElsewhere;
    for (int i = 0; i < 10; ++i)
        readElsewhere.append(missed.at(i * 400)); // spread over what the backlog and REST carry
    const HttpResponse acked = m_http.post(
        u"/api/v1/acks"_s, QJsonObject{{"ids"_L1, readElsewhere}, {"user"_L1, "alice"_L1}});
    QVERIFY2(acked.status == 200, acked.describe());
    QSet<qint64> expected(missed.cbegin(), missed.cend());
    for (const QJsonValue &id : readElsewhere)
        expected.remove(id.toInteger());

    // What the server says, frame by frame.
    WsClient raw;
    QVERIFY2(raw.open(m_syncd.wsUrl()), raw.describe());
    raw.sendJson(WsClient::registerFrame(u"alice"_s, App, {u"many"_s}, 10, seen));
    const auto done = raw.waitForType(u"backlogDone"_s);
    QVERIFY2(done, raw.describe());
    QCOMPARE(done->value("truncated"_L1).toBool(), true);
    QCOMPARE(done->value("missed"_L1).toInteger(), qint64(expected.size()));
    const QList<qint64> sent = raw.notificationIds();
    QCOMPARE(sent.size(), MaxResume);
    QCOMPARE(sent.last(), missed.last()); // the newest, oldest first
    raw.close();

    // The session shows every one of them once, and only them.
    shown.clear();
    backlogsDone = 0;
    session.start();
    QVERIFY(waitUntil([&] { return backlogsDone == 1; }, 30000));
    QCOMPARE(session.state(), herald::SyncSession::State::Live);
    QCOMPARE(int(shown.size()), int(expected.size()));
    for (const auto &[id, times] : shown) {
        QVERIFY2(expected.contains(id), qPrintable(u"not missed: %1"_s.arg(id)));
        QVERIFY2(times == 1, qPrintable(u"%1 shown %2 times"_s.arg(id).arg(times)));
    }
    QCOMPARE(session.lastNotificationId(), missed.last());

    // Live again, and a later resume has nothing left to fetch.
    const qint64 live = publish(m_http, App, u"many"_s, u"after the gap"_s);
    QVERIFY(waitUntil([&] { return shown.count(live) == 1; }, 10000));
    session.stop();
    shown.clear();
    session.start();
    QVERIFY(waitUntil([&] { return backlogsDone == 2; }, 10000));
    QVERIFY(shown.empty());
}

void TestResume::untruncatedResumeSaysNothingMore()
{
    const qint64 first = publish(m_http, App, u"few"_s, u"first"_s);
    const QList<qint64> missed = publishBatches(u"few"_s, 20);
    QCOMPARE(missed.size(), 20);
    WsClient raw;
    QVERIFY2(raw.open(m_syncd.wsUrl()), raw.describe());
    raw.sendJson(WsClient::registerFrame(u"alice"_s, App, {u"few"_s}, 10, first));
    const auto done = raw.waitForType(u"backlogDone"_s);
    QVERIFY2(done, raw.describe());
    // Exactly {"type":"backlogDone"}: clients of version 1 see what they always saw.
    QVERIFY2(done->keys() == QStringList{u"type"_s}, QJsonDocument(*done).toJson().constData());
    QCOMPARE(raw.notificationIds(), missed); // all 20, though fetchLast is 10
}

QTEST_GUILESS_MAIN(TestResume)
#include "tst_resume.moc"
