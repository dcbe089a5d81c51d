// SPDX-License-Identifier: Apache-2.0
// The peer relay between real herald-syncd processes: three nodes on loopback, each behind a
// fault-injecting proxy that its peers dial through, in a mesh and in a line. Notifications
// reach every node's clients once, each origin's persistent ones in the order it made them;
// acknowledgements and deletes reach the other nodes' clients; a node killed or stopped in
// the middle of a stream, and links cut, delayed or black-holed, all end with the same
// notifications and receipts in every node's store.
#include "apihelpers.h"
#include "faultproxy.h"
#include "httpclient.h"
#include "peerhello.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include "session/syncsession.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <csignal>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <vector>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {

const QString App = u"ops"_s;
const QString ClusterSecret = u"cluster-secret-for-tests"_s;

// Who dials whom: {from, to} by node index. Links carry records both ways.
using Topology = QList<QPair<int, int>>;
const Topology Mesh{{1, 0}, {2, 0}, {2, 1}};
const Topology Line{{1, 0}, {2, 1}}; // 0 - 1 - 2

// A node's store as far as the relay is concerned.
struct StoreContent
{
    std::set<qint64> notifications;
    std::map<std::pair<QString, qint64>, qint64> receipts; // time
    QString error;

    bool operator==(const StoreContent &other) const
    {
        return notifications == other.notifications && receipts == other.receipts;
    }
    QString describe() const
    {
        return error.isEmpty() ? u"%1 notifications, %2 receipts"_s.arg(notifications.size())
                                     .arg(receipts.size())
                               : error;
    }
};

StoreContent readStore(const QString &path)
{
    StoreContent content;
    const QString name = u"inspect-"_s + path;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            content.error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (query.exec(u"SELECT id FROM notifications"_s)) {
                while (query.next())
                    content.notifications.insert(query.value(0).toLongLong());
            } else {
                content.error = query.lastError().text();
            }
            if (query.exec(u"SELECT user_name, notification_id, time_ms FROM receipts"_s)) {
                while (query.next())
                    content.receipts[{query.value(0).toString(), query.value(1).toLongLong()}] =
                        query.value(2).toLongLong();
            } else {
                content.error = query.lastError().text();
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return content;
}

QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(double(id));
    return array;
}

// Distinct ids, and how many arrived more than once.
struct Received
{
    std::set<qint64> ids;
    int duplicates = 0;
};

Received received(const WsClient &client)
{
    Received r;
    for (qint64 id : client.notificationIds()) {
        if (!r.ids.insert(id).second)
            ++r.duplicates;
    }
    return r;
}

// Of `published` (one origin's ids, in the order it made them), those `client` received, in
// the order they arrived.
QList<qint64> arrivalOrder(const WsClient &client, const QList<qint64> &published)
{
    const QSet<qint64> wanted(published.cbegin(), published.cend());
    QList<qint64> seen;
    for (qint64 id : client.notificationIds()) {
        if (wanted.contains(id))
            seen.append(id);
    }
    return seen;
}

// Instead of a pause before counting duplicates: publishes one persistent notification (a
// sentinel) on each of `nodes`, once every client already holds everything else, and waits
// until each of `clients` holds every sentinel; their ids go to `ids`.
//
// What that proves: a node passes what it takes in to its other links in the same step in
// which it shows it to its own clients, so once every client holds everything, every copy
// that any node is going to pass on has been handed to its link. The sentinel of node X
// follows those copies (and everything X made) on each of X's links, a link is one ordered
// stream, and the receiving node takes records in through its store in the order they came
// and shows them in that order. So when a client holds every node's sentinel, everything
// sent ahead of them has been taken in, and a duplicate (a copy taken in twice, or sent
// back to where it came from) would have reached the client before them. Between two nodes
// and in a line there is one path between any two nodes and this is the whole argument; in
// a mesh X's sentinel could in principle reach a node over two links before it comes over
// the direct one (which needs one store commit less), and a copy still on the direct link
// would then be missed.
bool publishSentinels(const QList<HttpClient *> &nodes, const QList<WsClient *> &clients,
                      QList<qint64> *ids)
{
    for (HttpClient *node : nodes) {
        const qint64 id = publish(*node, App, u"alerts"_s, u"sentinel"_s);
        if (id == 0)
            return false;
        ids->append(id);
    }
    for (WsClient *ws : clients) {
        const bool all = waitUntil(
            [&] {
                const std::set<qint64> have = received(*ws).ids;
                return std::all_of(ids->cbegin(), ids->cend(),
                                   [&](qint64 id) { return have.count(id) > 0; });
            },
            20000);
        if (!all) {
            QStringList wanted;
            for (qint64 id : std::as_const(*ids))
                wanted.append(QString::number(id));
            qWarning("sentinels %s not all received: %s", qPrintable(wanted.join(u' ')),
                     ws->describe().constData());
            return false;
        }
    }
    return true;
}

void sendPeerHello(WsClient &client, int node, const QString &secret)
{
    client.sendJson(peerHelloFrame(node, u"test"_s, secret));
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();

    void meshRelaysNotificationsAcksAndDeletes();
    void inboxChangesReachTheUsersSessionsOnEveryNode();
    void lineRelaysThroughTheMiddleOnce();
    void recipientsStayPrivateAcrossNodes();
    void wrongSecretIsRefused();
    void killedNodeCatchesUpAndStoresConverge();
    void stoppedNodeCatchesUpAfterThePartition();
    void cutDelayedAndBlackholedLinksHeal();
    void healthAndMetricsShowPeers();
    void nodesSharingOneDatabaseStillTellTheirSessions();

private:
    struct Node
    {
        std::unique_ptr<SyncdProcess> syncd;
        std::unique_ptr<FaultProxy> proxy; // what the other nodes dial
        QStringList args;
    };

    bool startCluster(const Topology &topology, const QStringList &extraArgs = {});
    bool startNode(int index);
    bool restartNode(int index);
    // Until every node has as many live links as the topology gives it.
    bool waitForLinks(int timeoutMs = 20000);
    int liveLinks(int index);
    bool waitForConvergence(qint64 expectedNotifications, int timeoutMs = 60000);
    std::unique_ptr<WsClient> client(int index, const QString &user, const QString &channel,
                                     int fetchLast = 0);
    HttpClient &http(int index);

    std::vector<Node> m_nodes;
    Topology m_topology;
    QList<std::shared_ptr<HttpClient>> m_http;
};

void TestCluster::cleanup()
{
    for (Node &node : m_nodes) {
        if (node.syncd)
            node.syncd->dumpLogIfFailed();
    }
    m_http.clear();
    m_nodes.clear();
}

bool TestCluster::startCluster(const Topology &topology, const QStringList &extraArgs)
{
    m_topology = topology;
    m_nodes.clear();
    m_nodes.resize(3);
    for (Node &node : m_nodes) {
        node.proxy = std::make_unique<FaultProxy>();
        if (!node.proxy->listen())
            return false;
    }
    for (int i = 0; i < int(m_nodes.size()); ++i) {
        QStringList args{
            u"--node-id"_s,        QString::number(i + 1), u"--cluster"_s,         u"test"_s,
            u"--cluster-secret"_s, ClusterSecret,          u"--peer-timeout-ms"_s, u"3000"_s};
        for (const auto &[from, to] : topology) {
            if (from == i)
                args << u"--peer"_s << u"ws://127.0.0.1:%1"_s.arg(m_nodes[to].proxy->port());
        }
        m_nodes[i].args = args + extraArgs;
        m_nodes[i].syncd = std::make_unique<SyncdProcess>();
        if (!startNode(i))
            return false;
        m_http.append(std::make_shared<HttpClient>(m_nodes[i].syncd->httpUrl()));
    }
    for (int i = 0; i < int(m_nodes.size()); ++i)
        m_http[i]->setBaseUrl(m_nodes[i].syncd->httpUrl());
    if (!waitForLinks())
        return false;
    // The catalog is per database: the application is made on each node. (With
    // authentication the test makes it once it has a token.)
    if (!extraArgs.contains(u"--no-auth"_s))
        return true;
    for (int i = 0; i < int(m_nodes.size()); ++i) {
        if (!createApplication(http(i), App, {u"alerts"_s}))
            return false;
    }
    return true;
}

bool TestCluster::startNode(int index)
{
    Node &node = m_nodes[index];
    if (!node.syncd->start(node.args))
        return false;
    node.proxy->setTarget(QHostAddress::LocalHost, node.syncd->port());
    return true;
}

bool TestCluster::restartNode(int index)
{
    if (!startNode(index))
        return false;
    m_http[index]->setBaseUrl(m_nodes[index].syncd->httpUrl());
    return true;
}

HttpClient &TestCluster::http(int index)
{
    return *m_http[index];
}

int TestCluster::liveLinks(int index)
{
    const HttpResponse health = http(index).get(u"/healthz"_s);
    int live = 0;
    for (const QJsonValue &peer : health.object().value("peers"_L1).toArray()) {
        if (peer.toObject().value("state"_L1).toString() == "live"_L1)
            ++live;
    }
    return live;
}

bool TestCluster::waitForLinks(int timeoutMs)
{
    return waitUntil(
        [&] {
            for (int i = 0; i < int(m_nodes.size()); ++i) {
                int expected = 0;
                for (const auto &[from, to] : m_topology)
                    expected += (from == i) + (to == i);
                if (liveLinks(i) < expected)
                    return false;
            }
            return true;
        },
        timeoutMs, 100);
}

bool TestCluster::waitForConvergence(qint64 expectedNotifications, int timeoutMs)
{
    QList<StoreContent> contents;
    const bool converged = waitUntil(
        [&] {
            contents.clear();
            for (Node &node : m_nodes)
                contents.append(readStore(node.syncd->databasePath()));
            if (qint64(contents[0].notifications.size()) != expectedNotifications)
                return false;
            return contents[0] == contents[1] && contents[1] == contents[2];
        },
        timeoutMs, 200);
    if (!converged) {
        for (int i = 0; i < contents.size(); ++i)
            qWarning("node %d: %s", i, qPrintable(contents[i].describe()));
    }
    return converged;
}

std::unique_ptr<WsClient> TestCluster::client(int index, const QString &user,
                                              const QString &channel, int fetchLast)
{
    auto ws = std::make_unique<WsClient>();
    if (!ws->connectAs(m_nodes[index].syncd->wsUrl(), user, App, {channel}, fetchLast))
        return nullptr;
    return ws;
}

void TestCluster::meshRelaysNotificationsAcksAndDeletes()
{
    QVERIFY(startCluster(Mesh, {u"--no-auth"_s}));
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(client(i, u"alice"_s, u"alerts"_s));
        QVERIFY(clients.back());
    }
    // Published on each node, persistent and transient: every client gets each once.
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        ids.append(publish(http(i), App, u"alerts"_s, u"stored on %1"_s.arg(i)));
        ids.append(publish(http(i), App, u"alerts"_s, u"live from %1"_s.arg(i),
                           {{"persistent"_L1, false}}));
    }
    QVERIFY(!ids.contains(0));
    QList<WsClient *> watching;
    for (auto &ws : clients) {
        QVERIFY2(waitUntil([&] { return received(*ws).ids.size() == 6u; }, 10000), ws->describe());
        watching.append(ws.get());
    }
    // No copy is left on its way when every node's sentinel is in (see publishSentinels).
    // Caught by breaking the relay's dedupe, e.g. Relay::receiveTransient not dropping a
    // transient it has seen (mutation relay-transient-no-dedupe): the copy over the second
    // path reaches the client.
    QList<qint64> sentinels;
    QVERIFY(publishSentinels({&http(0), &http(1), &http(2)}, watching, &sentinels));
    std::set<qint64> expected(ids.cbegin(), ids.cend());
    expected.insert(sentinels.cbegin(), sentinels.cend());
    for (auto &ws : clients) {
        const Received r = received(*ws);
        QVERIFY2(r.duplicates == 0, ws->describe());
        QCOMPARE(r.ids, expected);
    }

    // Acknowledged on node 2: alice's sessions on nodes 0 and 1 hear of it.
    clients[2]->sendJson({{"type"_L1, "ack"_L1}, {"ids"_L1, idArray({ids.at(0)})}});
    for (int i = 0; i < 2; ++i) {
        const auto acked = clients[i]->waitForType(u"acknowledged"_s);
        QVERIFY2(acked, clients[i]->describe());
        QCOMPARE(acked->value("ids"_L1).toArray(), idArray({ids.at(0)}));
    }
    // Deleted on node 1: the sessions on nodes 0 and 2 hear of it, and it is gone everywhere.
    const HttpResponse removed = http(1).del(u"/api/v1/notifications/%1"_s.arg(ids.at(2)));
    QVERIFY2(removed.status == 204, removed.describe());
    for (int i : {0, 2}) {
        const auto gone = clients[i]->waitForType(u"deleted"_s);
        QVERIFY2(gone, clients[i]->describe());
        QCOMPARE(gone->value("ids"_L1).toArray(), idArray({ids.at(2)}));
    }
    QVERIFY(waitForConvergence(5)); // 3 stored and 3 sentinels, 1 deleted
    const StoreContent content = readStore(m_nodes[0].syncd->databasePath());
    QCOMPARE(content.receipts.size(), size_t(1));
    QVERIFY(content.receipts.count({u"alice"_s, ids.at(0)}));
}

// The inbox's own changes (a delete, reading the first page, delete all) travel as relay
// records: alice's sessions on the other nodes hear of each, her inbox is the same on every
// node, and bob, who follows the same channel, keeps everything.
void TestCluster::inboxChangesReachTheUsersSessionsOnEveryNode()
{
    QVERIFY(startCluster(Mesh, {u"--no-auth"_s}));
    std::vector<std::unique_ptr<WsClient>> alice;
    for (int i = 0; i < 3; ++i) {
        alice.push_back(client(i, u"alice"_s, u"alerts"_s));
        QVERIFY(alice.back());
    }
    auto bob = client(2, u"bob"_s, u"alerts"_s);
    QVERIFY(bob);
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i)
        ids.append(publish(http(0), App, u"alerts"_s, u"inbox %1"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    for (auto &ws : alice)
        QVERIFY2(ws->waitForNotifications(3), ws->describe());
    QVERIFY2(bob->waitForNotifications(3), bob->describe());
    auto inboxIds = [this](int node, const QString &user) {
        QList<qint64> listed;
        const HttpResponse page =
            http(node).get(u"/api/v1/inbox?user=%1&limit=100&after=%2"_s.arg(user).arg(
                std::numeric_limits<qint64>::max() >> 11)); // a cursor: the seen one stays put
        for (const QJsonValue &item : page.object().value("notifications"_L1).toArray())
            listed.append(qint64(item.toObject().value("id"_L1).toDouble()));
        return listed;
    };

    // Deleted on node 1: alice's sessions on nodes 0 and 2 hear of it, bob's does not.
    const HttpResponse hidden = http(1).del(u"/api/v1/inbox/%1?user=alice"_s.arg(ids.at(0)));
    QVERIFY2(hidden.status == 204, hidden.describe());
    for (int i : {0, 2}) {
        const auto gone = alice[i]->waitForType(u"deleted"_s);
        QVERIFY2(gone, alice[i]->describe());
        QCOMPARE(gone->value("ids"_L1).toArray(), idArray({ids.at(0)}));
    }
    const QList<qint64> rest{ids.at(2), ids.at(1)};
    for (int i = 0; i < 3; ++i)
        QVERIFY(waitUntil([&] { return inboxIds(i, u"alice"_s) == rest; }, 10000));
    QCOMPARE(inboxIds(2, u"bob"_s), (QList<qint64>{ids.at(2), ids.at(1), ids.at(0)}));

    // The first page read on node 0 moves the seen cursor for the sessions on nodes 1 and 2.
    const HttpResponse first = http(0).get(u"/api/v1/inbox?user=alice"_s);
    QVERIFY2(first.status == 200, first.describe());
    for (int i : {1, 2}) {
        const auto seen = alice[i]->waitForType(u"seen"_s);
        QVERIFY2(seen, alice[i]->describe());
        QCOMPARE(qint64(seen->value("upTo"_L1).toDouble()), ids.at(2));
    }
    const HttpResponse count = http(2).get(u"/api/v1/inbox/count?user=alice"_s);
    QCOMPARE(count.object().value("unseen"_L1).toInt(), 0);

    // Delete all on node 2: the sessions on nodes 0 and 1 hear of it; bob keeps his three.
    const HttpResponse cleared = http(2).del(u"/api/v1/inbox?user=alice"_s);
    QVERIFY2(cleared.status == 204, cleared.describe());
    for (int i : {0, 1}) {
        const auto all = alice[i]->waitForType(u"cleared"_s);
        QVERIFY2(all, alice[i]->describe());
        QCOMPARE(qint64(all->value("upTo"_L1).toDouble()), ids.at(2));
    }
    for (int i = 0; i < 3; ++i)
        QVERIFY(waitUntil([&] { return inboxIds(i, u"alice"_s).isEmpty(); }, 10000));
    QCOMPARE(inboxIds(2, u"bob"_s).size(), 3);
    QVERIFY(bob->framesOfType(u"deleted"_s).isEmpty());
    QVERIFY(bob->framesOfType(u"cleared"_s).isEmpty());
}

void TestCluster::lineRelaysThroughTheMiddleOnce()
{
    QVERIFY(startCluster(Line, {u"--no-auth"_s}));
    auto first = client(0, u"alice"_s, u"alerts"_s);
    auto last = client(2, u"alice"_s, u"alerts"_s);
    QVERIFY(first && last);
    QList<qint64> fromFirst;
    QList<qint64> fromLast;
    QList<qint64> storedFromLast;
    QList<qint64> transientFromLast;
    for (int i = 0; i < 50; ++i) {
        fromFirst.append(publish(http(0), App, u"alerts"_s, u"a%1"_s.arg(i)));
        fromLast.append(
            publish(http(2), App, u"alerts"_s, u"c%1"_s.arg(i), {{"persistent"_L1, i % 2 == 0}}));
        (i % 2 == 0 ? storedFromLast : transientFromLast).append(fromLast.constLast());
    }
    QVERIFY(!fromFirst.contains(0) && !fromLast.contains(0));
    QVERIFY2(waitUntil([&] { return received(*last).ids.size() == 100u; }, 15000),
             last->describe());
    QVERIFY2(waitUntil([&] { return received(*first).ids.size() == 100u; }, 15000),
             first->describe());
    // In a line this proves that nothing is still on its way (see publishSentinels).
    QList<qint64> sentinels;
    QVERIFY(
        publishSentinels({&http(0), &http(1), &http(2)}, {first.get(), last.get()}, &sentinels));
    QVERIFY2(received(*last).duplicates == 0, last->describe());
    QVERIFY2(received(*first).duplicates == 0, first->describe());
    // In order per origin, through the middle: what node 0 made reaches node 2's client in
    // the order it was made. Of node 2's, persistent and transient alternating, each kind
    // reaches node 0's client in order; the two kinds are not ordered against each other
    // across nodes, although PROTOCOL.md's delivery guarantee promises id order per origin
    // for all of them: a node shows a relayed transient at once, a relayed record only after
    // its store commit, so the transient published after a record overtakes it at node 1.
    // Mutation caught: a node showing a batch of relayed records in reverse order
    // (relay-shows-batch-reversed).
    QCOMPARE(arrivalOrder(*last, fromFirst), fromFirst);
    QCOMPARE(arrivalOrder(*first, storedFromLast), storedFromLast);
    QCOMPARE(arrivalOrder(*first, transientFromLast), transientFromLast);
    QVERIFY(waitForConvergence(78)); // 50 + 25 persistent + 3 sentinels

    // Dropping a user on one end closes their sessions on every node, through the middle;
    // another user's stay. Mutation caught: a drop that is not forwarded by node 1.
    auto bob = client(2, u"bob"_s, u"alerts"_s);
    QVERIFY(bob);
    const HttpResponse dropped = http(0).post(u"/api/v1/users/alice/drop"_s, QJsonObject{});
    QVERIFY2(dropped.status == 200, dropped.describe());
    QVERIFY2(first->waitForClosed(5000), first->describe());
    QVERIFY2(last->waitForClosed(5000), last->describe());
    QCOMPARE(last->closeCode(), 1008);
    QVERIFY(bob->isConnected());
}

void TestCluster::recipientsStayPrivateAcrossNodes()
{
    QVERIFY(startCluster(Mesh));
    // Separate databases: the same tokens are stored on each node.
    const QString admin = m_nodes[0].syncd->createToken(u"admin"_s);
    QVERIFY(!admin.isEmpty());
    for (int i = 1; i < 3; ++i) {
        const CliResult made = m_nodes[i].syncd->cli({u"token"_s, u"create"_s, u"--database"_s,
                                                      m_nodes[i].syncd->databasePath(), u"--kind"_s,
                                                      u"admin"_s, u"--secret"_s, admin});
        QVERIFY2(made.exitCode == 0, made.err.constData());
    }
    for (auto &h : m_http)
        h->setToken(admin);
    for (int i = 0; i < 3; ++i)
        QVERIFY(createApplication(http(i), App, {u"alerts"_s}));
    QStringList userTokens;
    for (const QString &user : {u"alice"_s, u"bob"_s}) {
        for (int i = 0; i < 3; ++i)
            QVERIFY(createUser(http(i), user));
        const HttpResponse token = http(0).post(
            u"/api/v1/tokens"_s, QJsonObject{{"kind"_L1, "user"_L1}, {"user"_L1, user}});
        QVERIFY2(token.status == 201, token.describe());
        userTokens.append(token.object().value("token"_L1).toString());
        for (int i = 1; i < 3; ++i) {
            const CliResult made = m_nodes[i].syncd->cli(
                {u"token"_s, u"create"_s, u"--database"_s, m_nodes[i].syncd->databasePath(),
                 u"--kind"_s, u"user"_s, u"--user"_s, user, u"--secret"_s, userTokens.last()});
            QVERIFY2(made.exitCode == 0, made.err.constData());
        }
    }
    WsClient alice;
    WsClient bob;
    QVERIFY2(alice.open(m_nodes[2].syncd->wsUrl(), userTokens[0]), alice.describe());
    QVERIFY2(alice.registerSession(WsClient::registerFrame({}, App, {u"alerts"_s})),
             alice.describe());
    QVERIFY2(bob.open(m_nodes[1].syncd->wsUrl(), userTokens[1]), bob.describe());
    QVERIFY2(bob.registerSession(WsClient::registerFrame({}, App, {u"alerts"_s})), bob.describe());

    const qint64 secret = publish(http(0), App, u"alerts"_s, u"for alice only"_s,
                                  {{"recipients"_L1, QJsonArray{"alice"_L1}}});
    const qint64 everyone = publish(http(0), App, u"alerts"_s, u"for all"_s);
    QVERIFY(secret > 0 && everyone > 0);
    QVERIFY2(alice.waitForNotificationId(everyone), alice.describe());
    QVERIFY2(bob.waitForNotificationId(everyone), bob.describe());
    QVERIFY(alice.notificationIds().contains(secret));
    QVERIFY(!bob.notificationIds().contains(secret));
    // Listing on node 1 as bob: the private one is not there either.
    HttpClient asBob(m_nodes[1].syncd->httpUrl());
    asBob.setToken(userTokens[1]);
    const Listing listing = listAll(asBob, u"application=ops"_s);
    QVERIFY2(listing.ok, listing.error.constData());
    QVERIFY(listing.find(everyone).has_value());
    QVERIFY(!listing.find(secret).has_value());
}

void TestCluster::wrongSecretIsRefused()
{
    QVERIFY(startCluster(Mesh, {u"--no-auth"_s}));
    // A node with the wrong secret dials node 0: refused, and nothing it sends is taken in.
    SyncdProcess intruder;
    QVERIFY(intruder.start({u"--no-auth"_s, u"--node-id"_s, u"9"_s, u"--cluster"_s, u"test"_s,
                            u"--cluster-secret"_s, u"not-the-secret"_s, u"--peer"_s,
                            u"ws://127.0.0.1:%1"_s.arg(m_nodes[0].proxy->port())}));
    QVERIFY(waitUntil(
        [&] {
            return intruder.log().contains("refused") ||
                   m_nodes[0].syncd->log().contains("refused");
        },
        10000));
    QVERIFY2(m_nodes[0].syncd->log().contains("secret: not this cluster's secret"),
             m_nodes[0].syncd->log().right(2000).constData());
    QCOMPARE(liveLinks(0), 2);

    // By hand, on the peer path: a peerHello with the wrong secret is closed with 1008, and so
    // is a second node claiming node 0's own id.
    const QUrl peerUrl = peerPathOf(*m_nodes[0].syncd);
    WsClient raw;
    QVERIFY(raw.open(peerUrl));
    sendPeerHello(raw, 7, u"guess"_s);
    QVERIFY(raw.waitForClosed());
    QCOMPARE(raw.closeCode(), 1008);
    WsClient twin;
    QVERIFY(twin.open(peerUrl));
    sendPeerHello(twin, 1, ClusterSecret);
    QVERIFY(twin.waitForClosed());
    QCOMPARE(twin.closeCode(), 1008);
    // The client path takes no peers, even with the right secret: a peerHello there is not a
    // register frame (1003), and no link comes of it.
    WsClient stray;
    QVERIFY(stray.open(m_nodes[0].syncd->wsUrl()));
    sendPeerHello(stray, 8, ClusterSecret);
    QVERIFY(stray.waitForClosed());
    QCOMPARE(stray.closeCode(), 1003);
    QCOMPARE(liveLinks(0), 2);
}

void TestCluster::killedNodeCatchesUpAndStoresConverge()
{
    QVERIFY(startCluster(Mesh, {u"--no-auth"_s}));
    constexpr int Total = 10000;
    auto onFirst = client(0, u"alice"_s, u"alerts"_s);
    auto onSecond = client(1, u"alice"_s, u"alerts"_s);
    QVERIFY(onFirst && onSecond);
    onFirst->setCountOnly(false);
    // The client of the node that dies fails over to node 1 and resumes there.
    herald::SyncSessionConfig config;
    config.servers = {m_nodes[2].syncd->wsUrl(), m_nodes[1].syncd->wsUrl()};
    config.user = u"bob"_s;
    config.clientId = u"bobs-laptop"_s;
    config.subscriptions = {herald::Subscription{App, {u"alerts"_s}}};
    config.fetchLast = 10;
    config.backoffMinMs = 20;
    config.backoffMaxMs = 200;
    herald::SyncSession failover(config);
    std::map<qint64, int> shownToBob;
    connect(&failover, &herald::SyncSession::notificationReceived, this,
            [&](const herald::Notification &n, bool) { ++shownToBob[n.id]; });
    failover.start();
    QVERIFY(waitUntil([&] { return failover.state() == herald::SyncSession::State::Live; }, 10000));

    // Alice acknowledges as she reads, on two nodes: receipts from both must converge too.
    int acksSent = 0;
    auto ackSome = [&](WsClient &ws, int every) {
        const QList<qint64> ids = ws.notificationIds();
        QList<qint64> batch;
        for (qsizetype i = 0; i < ids.size(); i += every)
            batch.append(ids.at(i));
        if (!batch.isEmpty()) {
            ws.sendJson({{"type"_L1, "ack"_L1}, {"ids"_L1, idArray(batch.mid(0, 1000))}});
            ++acksSent;
        }
    };

    bool killed = false;
    const PublishRun run = publishConcurrently(http(0), Total, 16, [&](int i) {
        if (i == Total / 3 && !killed) {
            killed = true;
            m_nodes[2].syncd->kill(); // mid-stream, no goodbye
        }
        if (i % 2000 == 1999) {
            ackSome(*onFirst, 10);
            ackSome(*onSecond, 7);
        }
        return notificationBody(App, u"alerts"_s, u"n%1"_s.arg(i));
    });
    QVERIFY(run.complete);
    QCOMPARE(run.failures.size(), 0);
    QCOMPARE(run.ids.size(), Total);
    QVERIFY(killed);
    QVERIFY(acksSent > 0);

    // The survivors' clients: every notification, once.
    for (WsClient *ws : {onFirst.get(), onSecond.get()}) {
        QVERIFY2(waitUntil([&] { return received(*ws).ids.size() == size_t(Total); }, 60000),
                 qPrintable(u"%1 of %2"_s.arg(received(*ws).ids.size()).arg(Total)));
    }
    // Bob, moved to node 1 by the failure: shown every one.
    QVERIFY2(waitUntil([&] { return shownToBob.size() == size_t(Total); }, 60000),
             qPrintable(u"bob was shown %1 of %2"_s.arg(shownToBob.size()).arg(Total)));
    // None twice: the two survivors are one link, so their sentinels prove that nothing is
    // still on its way (see publishSentinels).
    QList<qint64> sentinels;
    QVERIFY(publishSentinels({&http(0), &http(1)}, {onFirst.get(), onSecond.get()}, &sentinels));
    QCOMPARE(received(*onFirst).duplicates, 0);
    QCOMPARE(received(*onSecond).duplicates, 0);
    QVERIFY(waitUntil(
        [&] { return shownToBob.count(sentinels.at(0)) && shownToBob.count(sentinels.at(1)); },
        10000));
    for (const auto &[id, times] : shownToBob)
        QCOMPARE(times, 1);
    failover.stop();

    // The killed node comes back and catches up from its peers.
    QVERIFY(restartNode(2));
    QVERIFY(waitForLinks());
    QVERIFY(waitForConvergence(Total + 2, 90000)); // and the 2 sentinels
    const StoreContent content = readStore(m_nodes[2].syncd->databasePath());
    QVERIFY(!content.receipts.empty());
}

void TestCluster::stoppedNodeCatchesUpAfterThePartition()
{
    QVERIFY(startCluster(Mesh, {u"--no-auth"_s}));
    // SIGSTOP: the node neither answers nor closes, like a machine that froze. Its peers
    // drop the links after the peer timeout (3 s here) while publishing goes on.
    const qint64 pid = m_nodes[1].syncd->pid();
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
    QList<qint64> ids;
    for (int i = 0; i < 200; ++i)
        ids.append(publish(http(i % 2 == 0 ? 0 : 2), App, u"alerts"_s, u"p%1"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    QVERIFY(waitUntil([&] { return liveLinks(0) < 2; }, 10000, 200));
    const HttpResponse ack =
        http(2).post(u"/api/v1/acks"_s,
                     QJsonObject{{"ids"_L1, idArray(ids.mid(0, 50))}, {"user"_L1, "alice"_L1}});
    QVERIFY2(ack.status == 200, ack.describe());
    QCOMPARE(::kill(pid_t(pid), SIGCONT), 0);
    QVERIFY(waitForLinks());
    QVERIFY(waitForConvergence(200));
    const StoreContent content = readStore(m_nodes[1].syncd->databasePath());
    QCOMPARE(content.receipts.size(), size_t(50));
    // A client of the node that was stopped gets the backlog it missed.
    auto late = client(1, u"alice"_s, u"alerts"_s, 100);
    QVERIFY(late);
    QCOMPARE(late->notificationIds().size(), 100);
}

void TestCluster::cutDelayedAndBlackholedLinksHeal()
{
    QVERIFY(startCluster(Mesh, {u"--no-auth"_s}));
    auto watcher = client(0, u"alice"_s, u"alerts"_s);
    QVERIFY(watcher);
    int published = 0;
    QList<QList<qint64>> byOrigin(3);
    // The ids of this burst, in the order node made them.
    auto publishBurst = [&](int node, int count) {
        QList<qint64> burst;
        for (int i = 0; i < count; ++i) {
            const qint64 id = publish(http(node), App, u"alerts"_s, u"b%1"_s.arg(published));
            if (id > 0) {
                ++published;
                burst.append(id);
            }
        }
        byOrigin[node].append(burst);
        return burst;
    };

    // Cut: every link to node 0 reset mid-stream; the dialers come back and resync.
    publishBurst(1, 50);
    m_nodes[0].proxy->cutAll();
    publishBurst(1, 50);
    publishBurst(2, 50);
    QVERIFY(waitForLinks());
    QVERIFY(waitForConvergence(published));

    // Delayed: 150 ms each way on node 0's links; everything still arrives, and node 2's
    // burst reaches the client on node 0 in the order node 2 made it (over both of node 0's
    // delayed links: node 0 takes each origin's records in sequence order only). Mutation
    // caught: relay-shows-batch-reversed.
    m_nodes[0].proxy->setDelayMs(150);
    m_nodes[0].proxy->setMode(FaultProxy::Mode::Delay);
    const QList<qint64> delayed = publishBurst(2, 50);
    QVERIFY(waitForConvergence(published, 30000));
    QVERIFY2(
        waitUntil([&] { return arrivalOrder(*watcher, delayed).size() == delayed.size(); }, 10000),
        watcher->describe());
    QCOMPARE(arrivalOrder(*watcher, delayed), delayed);
    m_nodes[0].proxy->setMode(FaultProxy::Mode::Pass);

    // Black-holed: node 0's links stay open and carry nothing. The peers notice the
    // silence, drop the links, keep dialling into the hole, and resync once it is gone.
    m_nodes[0].proxy->setMode(FaultProxy::Mode::Blackhole);
    publishBurst(0, 50);
    publishBurst(1, 50);
    QVERIFY(waitUntil([&] { return liveLinks(0) == 0; }, 15000));
    m_nodes[0].proxy->setMode(FaultProxy::Mode::Pass);
    QVERIFY(waitForLinks(30000));
    QVERIFY(waitForConvergence(published, 30000));

    // The client on node 0 saw each of them once and each node's in the order it made them,
    // whatever the links went through.
    QVERIFY2(waitUntil([&] { return received(*watcher).ids.size() == size_t(published); }, 20000),
             qPrintable(u"%1 of %2"_s.arg(received(*watcher).ids.size()).arg(published)));
    QList<qint64> sentinels;
    QVERIFY(publishSentinels({&http(0), &http(1), &http(2)}, {watcher.get()}, &sentinels));
    QVERIFY2(received(*watcher).duplicates == 0, watcher->describe());
    for (const QList<qint64> &made : std::as_const(byOrigin))
        QCOMPARE(arrivalOrder(*watcher, made), made);
}

void TestCluster::healthAndMetricsShowPeers()
{
    QVERIFY(startCluster(Line, {u"--no-auth"_s}));
    const HttpResponse health = http(1).get(u"/healthz"_s);
    QCOMPARE(health.status, 200);
    const QJsonArray peers = health.object().value("peers"_L1).toArray();
    QCOMPARE(peers.size(), 2);
    QSet<int> nodes;
    for (const QJsonValue &peer : peers)
        nodes.insert(peer.toObject().value("node"_L1).toInt());
    QCOMPARE(nodes, (QSet<int>{1, 3}));

    QVERIFY(publish(http(0), App, u"alerts"_s, u"counted"_s) > 0);
    QVERIFY(waitForConvergence(1));
    const HttpResponse metrics = http(1).get(u"/metrics"_s);
    QCOMPARE(metrics.status, 200);
    for (const char *expected :
         {"herald_peer_up{node=\"2\"", "herald_peer_lag_records{", "herald_peer_lag_seconds{",
          "herald_peer_queue_depth{", "herald_relay_records_applied_total{node=\"2\"} 1"}) {
        QVERIFY2(metrics.body.contains(expected), expected);
    }
    // Node 1's peer on the far side of the line shows as down once it is gone.
    m_nodes[2].syncd->kill();
    QVERIFY(waitUntil([&] { return liveLinks(1) == 1; }, 10000));
}

void TestCluster::nodesSharingOneDatabaseStillTellTheirSessions()
{
    // Two nodes on one PostgreSQL database (a SQLite file belongs to one daemon): a record
    // from the peer is already stored, yet this node's sessions must still hear of it, once.
    // Only these two daemons run on PostgreSQL (the test's own throwaway cluster).
    qputenv("HERALD_TEST_BACKEND", "postgresql");
    SyncdProcess first;
    SyncdProcess second;
    qunsetenv("HERALD_TEST_BACKEND");
    const QStringList cluster{u"--no-auth"_s, u"--cluster"_s, u"test"_s, u"--cluster-secret"_s,
                              ClusterSecret};
    QVERIFY(first.start(cluster + QStringList{u"--node-id"_s, u"1"_s}));
    QVERIFY(second.start(cluster + QStringList{u"--node-id"_s, u"2"_s, u"--database"_s,
                                               first.databasePath(), u"--peer"_s,
                                               u"ws://127.0.0.1:%1"_s.arg(first.port())}));
    HttpClient httpFirst(first.httpUrl());
    HttpClient httpSecond(second.httpUrl());
    QVERIFY(createApplication(httpFirst, App, {u"alerts"_s}));
    QVERIFY(
        waitUntil([&] { return httpSecond.get(u"/healthz"_s).body.contains("\"live\""); }, 10000));
    WsClient onFirst;
    WsClient onSecond;
    QVERIFY(onFirst.connectAs(first.wsUrl(), u"alice"_s, App, {u"alerts"_s}));
    QVERIFY(onSecond.connectAs(second.wsUrl(), u"alice"_s, App, {u"alerts"_s}));
    const qint64 fromFirst = publish(httpFirst, App, u"alerts"_s, u"made on the first"_s);
    const qint64 fromSecond = publish(httpSecond, App, u"alerts"_s, u"made on the second"_s);
    QVERIFY(fromFirst > 0 && fromSecond > 0);
    for (WsClient *ws : {&onFirst, &onSecond}) {
        QVERIFY2(waitUntil([&] { return received(*ws).ids.size() == 2u; }, 10000), ws->describe());
    }
    onSecond.sendJson({{"type"_L1, "ack"_L1}, {"ids"_L1, idArray({fromFirst})}});
    QVERIFY2(onFirst.waitForType(u"acknowledged"_s), onFirst.describe());
    // One link: the sentinels prove nothing is still on its way (see publishSentinels).
    QList<qint64> sentinels;
    QVERIFY(publishSentinels({&httpFirst, &httpSecond}, {&onFirst, &onSecond}, &sentinels));
    QVERIFY2(received(onFirst).duplicates == 0, onFirst.describe());
    QVERIFY2(received(onSecond).duplicates == 0, onSecond.describe());
    // Stored once each in the shared database (and the 2 sentinels), read once.
    for (HttpClient *http : {&httpFirst, &httpSecond}) {
        const Listing listing = listAll(*http, u"user=alice&application=%1"_s.arg(App));
        QVERIFY2(listing.ok, listing.error.constData());
        QCOMPARE(listing.ids().size(), 4);
        QCOMPARE(listing.find(fromFirst)->value("acknowledged"_L1), QJsonValue(true));
        QCOMPARE(listing.find(fromSecond)->value("acknowledged"_L1), QJsonValue(false));
    }
    if (QTest::currentTestFailed()) {
        first.dumpLog();
        second.dumpLog();
    }
}

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
