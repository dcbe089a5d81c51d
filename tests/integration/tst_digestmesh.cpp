// SPDX-License-Identifier: Apache-2.0
// Digests across three herald-syncd nodes with databases of their own (SQLite each, a full
// mesh of peer links): every node queues the items of what was published anywhere, one node
// sends the user's digest for a period and the others drop those items on its record; when
// that node is killed as the digest falls due, the next one in the order sends it once, and
// the killed node, back, records that digest instead of sending the period again.
#include "apihelpers.h"
#include "httpclient.h"
#include "storepeek.h"
#include "syncdprocess.h"
#include "wait.h"
#include "wsclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ci"_s;
const QString Key = u"daily@08:00|desktop"_s;
constexpr int GraceMs = 3000;

// The order every node ranks the senders of a digest in (DigestSenderOrder, docs/RELAY.md),
// computed here on its own: 64-bit FNV-1a of "user\nkey\nnode", the highest first.
quint64 weight(const QString &user, int node)
{
    const QByteArray text = user.toUtf8() + '\n' + Key.toUtf8() + '\n' + QByteArray::number(node);
    quint64 hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= quint8(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

QList<int> sendersInOrder(const QString &user)
{
    QList<int> nodes{1, 2, 3};
    std::sort(nodes.begin(), nodes.end(),
              [&](int a, int b) { return weight(user, a) > weight(user, b); });
    return nodes;
}

QJsonObject digestDaily()
{
    return QJsonObject{
        {"rules"_L1, QJsonArray{QJsonObject{{"application"_L1, App},
                                            {"channel"_L1, "nightly"_L1},
                                            {"delivery"_L1, "digest"_L1},
                                            {"digest"_L1, "daily@08:00"_L1},
                                            {"agents"_L1, QJsonArray{u"desktop"_s}}}}}};
}
} // namespace

class TestDigestMesh : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Started last to first: each one dials the nodes started before it.
        for (int i = 2; i >= 0; --i) {
            m_nodes[i] = std::make_unique<SyncdProcess>();
            m_nodes[i]->setEnvironmentVariable(u"HERALD_ENDPOINTS_TAKEOVER_AFTER_MS"_s,
                                               QString::number(GraceMs));
            m_args[i] = QStringList{u"--no-auth"_s,        u"--cluster"_s,          u"mesh"_s,
                                    u"--cluster-secret"_s, u"digest-mesh-secret"_s, u"--node-id"_s,
                                    QString::number(i + 1)};
            for (int j = i + 1; j < 3; ++j)
                m_args[i] << u"--peer"_s << u"ws://127.0.0.1:%1"_s.arg(m_nodes[j]->port());
            QVERIFY2(m_nodes[i]->start(m_args[i]), qPrintable(m_nodes[i]->errorString()));
        }
        for (auto &node : m_nodes) {
            HttpClient http(node->httpUrl());
            QVERIFY(createApplication(http, App, {u"nightly"_s}));
        }
        QTest::qWait(GraceMs / 2); // past the nodes' first look at their digests
    }
    void cleanup()
    {
        if (QTest::currentTestFailed()) {
            for (auto &node : m_nodes)
                node->dumpLog();
        }
    }

    void oneNodeSendsTheDigestAndTheOthersDropItsItems()
    {
        const QString user = u"alice"_s;
        QVERIFY(prepare(user, 0));
        WsClient sessions[3];
        for (int i = 0; i < 3; ++i)
            QVERIFY(sessions[i].connectAs(m_nodes[i]->wsUrl(), user, App, {u"nightly"_s}));
        QTest::qWait(300); // follows recorded
        const QList<qint64> ids = publishOnEveryNode(user);
        QVERIFY(!ids.contains(0));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(waitForItems(i, user, 6), qPrintable(u"node %1"_s.arg(i + 1)));

        const qint64 due = QDateTime::currentMSecsSinceEpoch() - 1000;
        for (int i = 0; i < 3; ++i)
            QVERIFY(makeDue(i, user, due));
        const int first = sendersInOrder(user).first();
        QVERIFY2(waitUntil([&] { return digestsOf(first - 1, user) == 1; }, 20000, 100),
                 qPrintable(u"node %1 sent nothing"_s.arg(first)));
        // Long enough for the second and third in the order to send, had they not heard.
        QTest::qWait(3 * GraceMs);
        StorePeek senderStore(m_nodes[first - 1]->database());
        const QString id =
            senderStore.scalar(u"SELECT id FROM digests WHERE user_name = ?"_s, {user}).toString();
        QVERIFY(!id.isEmpty());
        for (int i = 0; i < 3; ++i) {
            const QString wrong = oneDigestOf(i, user, first, 6, id);
            QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
            // Every node's run moved on to the next period.
            StorePeek store(m_nodes[i]->database());
            QVERIFY(store.scalar(u"SELECT due_ms FROM digest_runs WHERE user_name = ?"_s, {user})
                        .toLongLong() > due);
            // Each session got it once: from its own node, or through the relay.
            QCOMPARE(sessions[i].framesOfType(u"digest"_s).size(), 1);
        }
        QList<qint64> delivered;
        for (const QJsonValue &item :
             sessions[0].framesOfType(u"digest"_s).first()["data"_L1]["items"_L1].toArray())
            delivered.append(item["id"_L1].toInteger());
        std::sort(delivered.begin(), delivered.end());
        QList<qint64> sorted = ids;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(delivered, sorted);
    }

    void theNextNodeSendsForAKilledOneWhichDoesNotRepeatItWhenBack()
    {
        // A user whose digest node 1 sends first: node 1 dials the others, so it finds them
        // again after its restart on a new port.
        QString user;
        for (int n = 0; user.isEmpty(); ++n) {
            if (sendersInOrder(u"user%1"_s.arg(n)).first() == 1)
                user = u"user%1"_s.arg(n);
        }
        const int second = sendersInOrder(user)[1];
        QVERIFY(prepare(user, 1));
        WsClient sessions[3];
        for (int i = 0; i < 3; ++i)
            QVERIFY(sessions[i].connectAs(m_nodes[i]->wsUrl(), user, App, {u"nightly"_s}));
        QTest::qWait(300);
        QVERIFY(!publishOnEveryNode(user).contains(0));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(waitForItems(i, user, 6), qPrintable(u"node %1"_s.arg(i + 1)));

        m_nodes[0]->kill(); // just as the digest falls due
        const qint64 due = QDateTime::currentMSecsSinceEpoch() - 1000;
        for (int i = 0; i < 3; ++i)
            QVERIFY(makeDue(i, user, due));
        QVERIFY2(waitUntil([&] { return digestsOf(second - 1, user) == 1; }, 20000, 100),
                 qPrintable(u"node %1 did not take over"_s.arg(second)));
        QTest::qWait(3 * GraceMs);
        for (int i = 1; i < 3; ++i) {
            const QString wrong = oneDigestOf(i, user, second, 6);
            QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
            QCOMPARE(sessions[i].framesOfType(u"digest"_s).size(), 1);
        }
        // Back, with the period overdue and its items still queued: it hears of the digest
        // before its first look and sends nothing.
        QCOMPARE(itemsOf(0, user), 6);
        QVERIFY2(m_nodes[0]->start(m_args[0]), qPrintable(m_nodes[0]->errorString()));
        QVERIFY2(
            waitUntil([&] { return digestsOf(0, user) == 1 && itemsOf(0, user) == 0; }, 20000, 100),
            "the restarted node did not take in the digest record");
        QTest::qWait(3 * GraceMs);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(digestsOf(i, user), 1);
        StorePeek back(m_nodes[0]->database());
        QCOMPARE(back.scalar(u"SELECT node FROM digests WHERE user_name = ?"_s, {user}).toInt(),
                 second);
        QVERIFY(back.scalar(u"SELECT due_ms FROM digest_runs WHERE user_name = ?"_s, {user})
                    .toLongLong() > due);
    }

private:
    // The user's preferences, put on node `on`, reach every node before anything is
    // published: a node queues an item only under a digest rule it knows.
    bool prepare(const QString &user, int on)
    {
        HttpClient http(m_nodes[on]->httpUrl());
        const HttpResponse put =
            http.put(u"/api/v1/preferences?user=%1"_s.arg(user), digestDaily());
        if (put.status != 200) {
            qWarning() << put.describe();
            return false;
        }
        for (auto &node : m_nodes) {
            HttpClient there(node->httpUrl());
            if (!waitUntil(
                    [&] {
                        return there.get(u"/api/v1/preferences?user=%1"_s.arg(user)).object() ==
                               put.object();
                    },
                    15000, 100))
                return false;
        }
        return true;
    }

    QList<qint64> publishOnEveryNode(const QString &user)
    {
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            HttpClient http(m_nodes[i]->httpUrl());
            for (int k = 0; k < 2; ++k)
                ids.append(
                    publish(http, App, u"nightly"_s, u"%1 %2 on %3"_s.arg(user).arg(k).arg(i)));
        }
        return ids;
    }

    // Keeps each node's wait after the due time (its rank) as it queued the run.
    bool makeDue(int node, const QString &user, qint64 due)
    {
        StorePeek store(m_nodes[node]->database());
        return store.exec(u"UPDATE digest_runs SET send_after_ms = ? + (send_after_ms - due_ms), "
                          "due_ms = ? WHERE user_name = ?"_s,
                          {due, due, user}) ||
               (qWarning() << store.errorString(), false);
    }

    // What is wrong with `node`'s record of the user's one digest (empty: nothing): sent by
    // `sender` with `items` items (and as `id`, when given), none of its items left queued.
    QString oneDigestOf(int node, const QString &user, int sender, int items,
                        const QString &id = {})
    {
        StorePeek store(m_nodes[node]->database());
        const auto column = [&](const char *name) {
            return store.scalar(
                u"SELECT %1 FROM digests WHERE user_name = ?"_s.arg(QLatin1StringView(name)),
                {user});
        };
        const QString where = u"node %1: "_s.arg(node + 1);
        if (const int n = digestsOf(node, user); n != 1)
            return where + u"%1 digests"_s.arg(n);
        if (column("node").toInt() != sender)
            return where + u"sent by node %1, not %2"_s.arg(column("node").toInt()).arg(sender);
        if (column("item_count").toInt() != items)
            return where + u"%1 items"_s.arg(column("item_count").toInt());
        if (!id.isEmpty() && column("id").toString() != id)
            return where + u"id %1, not %2"_s.arg(column("id").toString(), id);
        if (const int left = itemsOf(node, user); left != 0)
            return where + u"%1 items still queued"_s.arg(left);
        return {};
    }

    int digestsOf(int node, const QString &user)
    {
        StorePeek store(m_nodes[node]->database());
        return store.scalar(u"SELECT COUNT(*) FROM digests WHERE user_name = ?"_s, {user}).toInt();
    }

    int itemsOf(int node, const QString &user)
    {
        StorePeek store(m_nodes[node]->database());
        return store.scalar(u"SELECT COUNT(*) FROM digest_items WHERE user_name = ?"_s, {user})
            .toInt();
    }

    bool waitForItems(int node, const QString &user, int count)
    {
        return waitUntil([&] { return itemsOf(node, user) == count; }, 15000, 100) ||
               (qWarning() << "node" << node + 1 << "holds" << itemsOf(node, user) << "items",
                false);
    }

    std::unique_ptr<SyncdProcess> m_nodes[3];
    QStringList m_args[3];
};

QTEST_GUILESS_MAIN(TestDigestMesh)
#include "tst_digestmesh.moc"
