// SPDX-License-Identifier: Apache-2.0
// Resume on a cluster node: a Hermes client (which does not drop repeats) that reconnects to
// the node it was on gets exactly what it missed, from every node, at a high publish rate:
// no repeat and no gap. Also after a partition, when another node's older notifications
// arrive after the client's last one. On another node too, also two links away: that node
// asks the others where the device stopped. When no node can tell, a resume misses nothing
// either (it may repeat). Three real herald-syncd processes on loopback, node 3 linked
// through a proxy.
#include "apihelpers.h"
#include "faultproxy.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>

#include <array>
#include <memory>
#include <set>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {

const QString App = u"ops"_s;
const QString Device = u"hermes-laptop"_s; // with --no-auth the ClientId is the user
constexpr int BatchSize = 20;

// A counter or gauge of GET /metrics, summed over the samples whose labels contain `label`;
// -1 if there is none.
qint64 metric(HttpClient &http, const QString &name, const QString &label = {})
{
    const HttpResponse metrics = http.get(u"/metrics"_s);
    const QRegularExpression sample(u"^"_s + QRegularExpression::escape(name) +
                                        u"\\{([^}]*)\\} (\\d+)$"_s,
                                    QRegularExpression::MultilineOption);
    qint64 sum = -1;
    for (auto match = sample.globalMatch(QString::fromUtf8(metrics.body)); match.hasNext();) {
        const auto found = match.next();
        if (found.captured(1).contains(label))
            sum = std::max<qint64>(sum, 0) + found.captured(2).toLongLong();
    }
    return sum;
}

std::set<qint64> distinct(const QList<qint64> &ids, int *repeats)
{
    std::set<qint64> set;
    for (qint64 id : ids) {
        if (!set.insert(id).second)
            ++*repeats;
    }
    return set;
}

// Waits until `resumed` holds every notification of `published` that `before` (the first
// session's) lacks, then checks that across both sessions each was shown exactly once.
bool eachShownOnce(const QList<qint64> &before, const WsClient &resumed,
                   const QList<qint64> &published)
{
    int repeats = 0;
    const std::set<qint64> got = distinct(before, &repeats);
    const std::set<qint64> all(published.cbegin(), published.cend());
    const auto missing = qsizetype(all.size() - got.size());
    if (!waitUntil([&] { return resumed.notificationIds().size() >= missing; }, 30000)) {
        qWarning("resumed session got %lld of %lld: %s",
                 qlonglong(resumed.notificationIds().size()), qlonglong(missing),
                 resumed.describe().constData());
        return false;
    }
    QTest::qWait(300); // a repeat would come by now
    std::set<qint64> shown = got;
    int again = 0;
    for (qint64 id : distinct(resumed.notificationIds(), &repeats))
        again += !shown.insert(id).second;
    if (repeats != 0 || again != 0 || shown != all) {
        qWarning("%d repeated within a session, %d shown again after the resume, %lld of %lld "
                 "shown",
                 repeats, again, qlonglong(shown.size()), qlonglong(all.size()));
        return false;
    }
    return true;
}

} // namespace

class TestClusterResume : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void hermesResumeOnTheSameNodeRepeatsNothingAndMissesNothing();
    void resumeAfterAPartitionGetsTheLateNodesOlderOnes();
    void resumeOnAnotherNodeRepeatsNothingAndMissesNothing_data();
    void resumeOnAnotherNodeRepeatsNothingAndMissesNothing();
    void resumeNoNodeCanTellMissesNothing();
    void resumeWhileTheDeadConnectionIsStillOpen();

private:
    // Opens a Hermes session on node `index` for `channel` and sends its register, resuming
    // from `lastId` if given.
    std::unique_ptr<WsClient> hermesSession(int index, const QString &channel,
                                            std::optional<qint64> lastId = std::nullopt,
                                            const QUrl &through = {});
    std::unique_ptr<WsClient> hermesSession(int index, const QStringList &channels,
                                            std::optional<qint64> lastId = std::nullopt,
                                            const QUrl &through = {});
    // A batch of BatchSize persistent notifications on each node in turn, `rounds` times.
    bool publishRounds(const QString &channel, int rounds, QList<qint64> *ids,
                       const QList<int> &nodes = {0, 1, 2});
    // A Hermes session on the first node that is shown a seed and `rounds` rounds of every
    // node's publishes (at least `shown` of them), then loses its connection and misses
    // `missed` more rounds; what it was shown, or nothing when a step failed. `published`
    // gets every id.
    QList<qint64> sessionThatLeaves(const QString &channel, int rounds, int shown, int missed,
                                    QList<qint64> *published);
    // Ends the client's connection without a close frame and waits until node `index` has
    // noticed.
    bool dropConnection(WsClient &client, int index);
    bool linked(int index, int live);

    std::array<SyncdProcess, 3> m_nodes;
    FaultProxy m_toSecond; // the third node's link to the second
    FaultProxy m_toFirst;  // a client's way to the first node that can go silent
    QList<std::shared_ptr<HttpClient>> m_http;
};

void TestClusterResume::initTestCase()
{
    const QStringList cluster{u"--no-auth"_s,
                              u"--cluster"_s,
                              u"resume"_s,
                              u"--cluster-secret"_s,
                              u"cluster-resume-secret"_s,
                              u"--peer-timeout-ms"_s,
                              u"3000"_s};
    // A line, 1 - 2 - 3: the first node hears the third's through the second.
    QVERIFY2(m_nodes[0].start(cluster + QStringList{u"--node-id"_s, u"1"_s}),
             qPrintable(m_nodes[0].errorString()));
    QVERIFY2(m_nodes[1].start(cluster + QStringList{u"--node-id"_s, u"2"_s, u"--peer"_s,
                                                    m_nodes[0].wsUrl().toString(QUrl::RemovePath)}),
             qPrintable(m_nodes[1].errorString()));
    QVERIFY(m_toSecond.listen());
    m_toSecond.setTarget(QHostAddress::LocalHost, m_nodes[1].port());
    QVERIFY2(m_nodes[2].start(cluster + QStringList{u"--node-id"_s, u"3"_s, u"--peer"_s,
                                                    u"ws://127.0.0.1:%1"_s.arg(m_toSecond.port())}),
             qPrintable(m_nodes[2].errorString()));
    QVERIFY(m_toFirst.listen());
    m_toFirst.setTarget(QHostAddress::LocalHost, m_nodes[0].port());
    for (SyncdProcess &node : m_nodes) {
        m_http.append(std::make_shared<HttpClient>(node.httpUrl()));
        QVERIFY(createApplication(*m_http.last(), App,
                                  {u"same-node"_s, u"partition"_s, u"other-node"_s, u"two-hops"_s,
                                   u"untold"_s, u"untold-too"_s, u"silent"_s}));
    }
    QVERIFY(waitUntil([&] { return linked(0, 1) && linked(1, 2) && linked(2, 1); }, 20000, 100));
}

void TestClusterResume::cleanup()
{
    for (SyncdProcess &node : m_nodes)
        node.dumpLogIfFailed();
}

bool TestClusterResume::linked(int index, int live)
{
    const HttpResponse health = m_http[index]->get(u"/healthz"_s);
    int count = 0;
    for (const QJsonValue &peer : health.object().value("peers"_L1).toArray())
        count += peer.toObject().value("state"_L1).toString() == "live"_L1;
    return count >= live;
}

std::unique_ptr<WsClient> TestClusterResume::hermesSession(int index, const QString &channel,
                                                           std::optional<qint64> lastId,
                                                           const QUrl &through)
{
    return hermesSession(index, QStringList{channel}, lastId, through);
}

std::unique_ptr<WsClient> TestClusterResume::hermesSession(int index, const QStringList &channels,
                                                           std::optional<qint64> lastId,
                                                           const QUrl &through)
{
    auto ws = std::make_unique<WsClient>();
    if (!ws->open(through.isEmpty() ? m_nodes[index].wsUrl() : through)) {
        qWarning("Hermes session: %s", ws->describe().constData());
        return nullptr;
    }
    QJsonObject registration{{"ApplicationName"_L1, App},
                             {"ClientId"_L1, Device},
                             {"Channels"_L1, QJsonArray::fromStringList(channels)},
                             {"FetchLast"_L1, 10}};
    if (lastId)
        registration.insert("LastNotificationId"_L1, double(*lastId));
    ws->sendText(u"register "_s +
                 QString::fromUtf8(QJsonDocument(registration).toJson(QJsonDocument::Compact)));
    return ws;
}

bool TestClusterResume::publishRounds(const QString &channel, int rounds, QList<qint64> *ids,
                                      const QList<int> &nodes)
{
    for (int round = 0; round < rounds; ++round) {
        for (int index : nodes) {
            QJsonArray batch;
            for (int i = 0; i < BatchSize; ++i)
                batch.append(
                    notificationBody(App, channel, u"node %1 #%2"_s.arg(index + 1).arg(i)));
            const HttpResponse created = m_http[index]->post(u"/api/v1/notifications"_s, batch);
            if (created.status != 201) {
                qWarning("publish on node %d: %s", index + 1, created.describe().constData());
                return false;
            }
            for (const QJsonValue &item : created.array())
                ids->append(idOf(item.toObject()));
        }
    }
    return true;
}

QList<qint64> TestClusterResume::sessionThatLeaves(const QString &channel, int rounds, int shown,
                                                   int missed, QList<qint64> *published)
{
    const qint64 seed = publish(*m_http[0], App, channel, u"seed"_s);
    published->append(seed);
    auto first = hermesSession(0, channel);
    if (!first || !first->waitForNotificationId(seed) ||
        !publishRounds(channel, rounds, published) || !first->waitForNotifications(shown, 15000) ||
        !dropConnection(*first, 0))
        return {};
    const QList<qint64> before = first->notificationIds();
    if (!publishRounds(channel, missed, published))
        return {};
    return before;
}

bool TestClusterResume::dropConnection(WsClient &client, int index)
{
    client.socket()->abort();
    return waitUntil([&] { return metric(*m_http[index], u"herald_sessions_open"_s) == 0; }, 10000,
                     20);
}

void TestClusterResume::hermesResumeOnTheSameNodeRepeatsNothingAndMissesNothing()
{
    const QString channel = u"same-node"_s;
    const qint64 exactBefore = metric(*m_http[0], u"herald_resumes_total"_s, u"exact"_s);
    const qint64 seed = publish(*m_http[0], App, channel, u"seed"_s);
    auto first = hermesSession(0, channel);
    QVERIFY(first && first->waitForNotificationId(seed));
    QList<qint64> published{seed};

    // Every node publishes while the client reads; it drops its connection in the middle of
    // the stream (frames on their way are lost with it), misses more, and comes back.
    QVERIFY(publishRounds(channel, 12, &published));
    QVERIFY(first->waitForNotifications(200, 15000));
    QVERIFY(dropConnection(*first, 0));
    const QList<qint64> before = first->notificationIds();
    QVERIFY(publishRounds(channel, 8, &published));
    const qint64 last = before.last();
    auto second = hermesSession(0, channel, last);
    QVERIFY(second);
    QVERIFY(publishRounds(channel, 6, &published));

    QVERIFY(eachShownOnce(before, *second, published));
    QCOMPARE(metric(*m_http[0], u"herald_resumes_total"_s, u"exact"_s), exactBefore + 1);
    QVERIFY(dropConnection(*second, 0));
}

void TestClusterResume::resumeAfterAPartitionGetsTheLateNodesOlderOnes()
{
    const QString channel = u"partition"_s;
    const qint64 seed = publish(*m_http[0], App, channel, u"seed"_s);
    auto first = hermesSession(0, channel);
    QVERIFY(first && first->waitForNotificationId(seed));
    QList<qint64> published{seed};

    // The third node is cut off and takes publishes meanwhile.
    m_toSecond.setMode(FaultProxy::Mode::Refuse);
    m_toSecond.cutAll();
    QVERIFY(waitUntil([&] { return !linked(2, 1); }, 10000, 50));
    QList<qint64> cutOff;
    QVERIFY(publishRounds(channel, 2, &cutOff, {2}));
    // Longer than any margin of id space a resume could start with.
    QTest::qWait(10'500);
    QVERIFY(publishRounds(channel, 2, &published, {0, 1}));
    QVERIFY(first->waitForNotifications(1 + 4 * BatchSize, 15000));
    QVERIFY(dropConnection(*first, 0));

    // The partition heals while the client is away: the cut-off ones reach the first node
    // after the client's last one, though their ids are older.
    m_toSecond.setMode(FaultProxy::Mode::Pass);
    published += cutOff;
    QVERIFY(waitUntil(
        [&] {
            const Listing listing = listAll(
                *m_http[0], u"user=%1&application=%2&channel=%3"_s.arg(Device, App, channel));
            return listing.ok && listing.find(cutOff.last());
        },
        20000, 100));
    QVERIFY(publishRounds(channel, 1, &published, {0}));

    auto second = hermesSession(0, channel, first->notificationIds().last());
    QVERIFY(second && second->waitForNotificationId(cutOff.first(), 15000));
    QVERIFY(eachShownOnce(first->notificationIds(), *second, published));
    QVERIFY(dropConnection(*second, 0));
}

void TestClusterResume::resumeOnAnotherNodeRepeatsNothingAndMissesNothing_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<int>("resumeOn");
    QTest::newRow("a direct peer") << u"other-node"_s << 1;
    // The third node reaches the first through the second only.
    QTest::newRow("two links away") << u"two-hops"_s << 2;
}

void TestClusterResume::resumeOnAnotherNodeRepeatsNothingAndMissesNothing()
{
    // A load balancer sends the device to another node: that node asks where it stopped.
    QFETCH(QString, channel);
    QFETCH(int, resumeOn);
    QVERIFY(waitUntil([&] { return linked(0, 1) && linked(1, 2) && linked(2, 1); }, 20000, 100));
    const qint64 peerBefore = metric(*m_http[resumeOn], u"herald_resumes_total"_s, u"peer"_s);
    QList<qint64> published;
    const QList<qint64> before = sessionThatLeaves(channel, 8, 100, 5, &published);
    QVERIFY(!before.isEmpty());

    QElapsedTimer answered;
    answered.start();
    auto second = hermesSession(resumeOn, channel, before.last());
    QVERIFY(second && waitUntil([&] { return !second->notificationIds().isEmpty(); }, 5000));
    qInfo("the backlog came %lld ms after the register", qlonglong(answered.elapsed()));
    QVERIFY(publishRounds(channel, 3, &published));
    QVERIFY(eachShownOnce(before, *second, published));
    QCOMPARE(metric(*m_http[resumeOn], u"herald_resumes_total"_s, u"peer"_s), peerBefore + 1);
    QVERIFY(dropConnection(*second, resumeOn));
}

void TestClusterResume::resumeNoNodeCanTellMissesNothing()
{
    // The device follows more channels now: no node can say what it has of the new one, so
    // the resume starts 10 s of ids before its last one, after the others had their say.
    const QString channel = u"untold"_s;
    QVERIFY(waitUntil([&] { return linked(1, 2); }, 20000, 100));
    const qint64 marginBefore = metric(*m_http[1], u"herald_resumes_total"_s, u"margin"_s);
    QList<qint64> published;
    const QList<qint64> before = sessionThatLeaves(channel, 5, 50, 5, &published);
    QVERIFY(!before.isEmpty());

    // Repeats allowed (the contract's clients drop them), nothing missed.
    QElapsedTimer answered;
    answered.start();
    auto second = hermesSession(1, {channel, u"untold-too"_s}, before.last());
    QVERIFY(second);
    std::set<qint64> union_(before.cbegin(), before.cend());
    const std::set<qint64> all(published.cbegin(), published.cend());
    QVERIFY2(waitUntil(
                 [&] {
                     std::set<qint64> now = union_;
                     for (qint64 id : second->notificationIds())
                         now.insert(id);
                     return now == all;
                 },
                 15000),
             second->describe());
    qInfo("the backlog came %lld ms after the register", qlonglong(answered.elapsed()));
    QCOMPARE(metric(*m_http[1], u"herald_resumes_total"_s, u"margin"_s), marginBefore + 1);
    QVERIFY(dropConnection(*second, 1));
}

void TestClusterResume::resumeWhileTheDeadConnectionIsStillOpen()
{
    // A connection that dies without a FIN (a laptop leaving its network) stays open on the
    // node until its pings go unanswered; the device is back before that.
    const QString channel = u"silent"_s;
    const qint64 exactBefore = metric(*m_http[0], u"herald_resumes_total"_s, u"exact"_s);
    const qint64 seed = publish(*m_http[0], App, channel, u"seed"_s);
    QUrl viaProxy = m_nodes[0].wsUrl();
    viaProxy.setPort(m_toFirst.port());
    auto first = hermesSession(0, channel, std::nullopt, viaProxy);
    QVERIFY(first && first->waitForNotificationId(seed));
    QList<qint64> published{seed};
    QVERIFY(publishRounds(channel, 4, &published));
    QVERIFY(first->waitForNotifications(1 + 12 * BatchSize, 15000));
    m_toFirst.setMode(FaultProxy::Mode::Blackhole);
    QVERIFY(publishRounds(channel, 4, &published));
    const QList<qint64> before = first->notificationIds();

    auto second = hermesSession(0, channel, before.last());
    QVERIFY(second);
    QVERIFY(publishRounds(channel, 2, &published));
    QVERIFY(eachShownOnce(before, *second, published));
    QCOMPARE(metric(*m_http[0], u"herald_sessions_open"_s), 2); // the dead one is still open
    QCOMPARE(metric(*m_http[0], u"herald_resumes_total"_s, u"exact"_s), exactBefore + 1);
    m_toFirst.cutAll();
    m_toFirst.setMode(FaultProxy::Mode::Pass);
    QVERIFY(dropConnection(*second, 0));
}

QTEST_GUILESS_MAIN(TestClusterResume)
#include "tst_clusterresume.moc"
