// SPDX-License-Identifier: Apache-2.0
// Nodes with databases of their own (SQLite each, a full mesh of peer links) take over a dead
// node's webhook deliveries: every delivery job made on node 1 reaches nodes 2 and 3 as a
// standby copy (same job id, still node 1's, pending). Node 1 is killed while its receiver is
// down (every attempt answered 500, so the jobs stay pending), the receiver comes back, and
// after the grace period the one live node first in the takeover order (computed here on its
// own) takes all 50 jobs over and delivers each exactly once: the receiver (which checks
// every signature) sees no Herald-Delivery answered twice, the other live node takes nothing,
// and both show all 50 done. Node 1, restarted on its database, learns what became of its
// jobs before it would retry them: it shows them done and sends none of them again.
#include "apihelpers.h"
#include "httpclient.h"
#include "storepeek.h"
#include "syncdprocess.h"
#include "wait.h"
#include "webhookreceiver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"invoicing"_s;
const QString Hook = u"books"_s;
// The same explicit secret on every node (16 to 256 characters), so a job signs alike
// wherever it is delivered.
const QString HookSecret = u"webhook-mesh-shared-secret"_s;
constexpr int Jobs = 50;
constexpr int TakeoverAfterMs = 3000;
constexpr int Origin = 1; // the node the notifications are published on, then killed

// The order the live nodes rank the takers of a silent node's jobs in, computed here on its
// own: 64-bit FNV-1a of "deliveries\n<silent>\n<candidate>", the highest first (ties: the
// lower node id).
quint64 takeoverWeight(int silent, int candidate)
{
    const QByteArray text =
        "deliveries\n" + QByteArray::number(silent) + '\n' + QByteArray::number(candidate);
    quint64 hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= quint8(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

int firstTaker(int silent, QList<int> candidates)
{
    std::sort(candidates.begin(), candidates.end(), [&](int a, int b) {
        const quint64 wa = takeoverWeight(silent, a);
        const quint64 wb = takeoverWeight(silent, b);
        return wa != wb ? wa > wb : a < b;
    });
    return candidates.first();
}

const QJsonObject AllDone{{"pending"_L1, 0}, {"done"_L1, Jobs}, {"failed"_L1, 0}};
} // namespace

class TestWebhookMesh : public QObject
{
    Q_OBJECT

private slots:
    void cleanup()
    {
        if (QTest::currentTestFailed()) {
            for (auto &node : m_nodes) {
                if (node)
                    node->dumpLog();
            }
        }
    }

    void aDeadNodesDeliveriesAreTakenOverOnceAcrossDatabases()
    {
        QVERIFY2(m_receiver.start(), "webhookreceiver.py did not print its port");
        QVERIFY(m_receiver.configure(Hook, {{"secret"_L1, HookSecret}, {"mode"_L1, "error"_L1}}));
        QVERIFY(startMesh());
        for (int node = 1; node <= 3; ++node)
            QVERIFY2(configure(node), qPrintable(u"node %1"_s.arg(node)));

        HttpClient origin(m_nodes[Origin - 1]->httpUrl());
        QJsonArray batch;
        for (int i = 0; i < Jobs; ++i)
            batch.append(notificationBody(App, u"invoices"_s, u"invoice %1"_s.arg(i)));
        QCOMPARE(origin.post(u"/api/v1/notifications"_s, batch).status, 201);
        // Every job tried (and failed) by node 1, so each is pending with it.
        QVERIFY2(waitUntil([&] { return m_receiver.state(Hook)["unique"_L1].toInt() == Jobs; },
                           15000, 50),
                 qPrintable(QString::number(m_receiver.state(Hook)["unique"_L1].toInt())));
        // Standby copies of all of them on the other nodes, under the same job ids.
        for (int node = 2; node <= 3; ++node) {
            QVERIFY2(waitUntil([&] { return pendingCopiesOf(node, Origin) == Jobs; }, 15000, 100),
                     qPrintable(u"node %1 holds %2 copies"_s.arg(node).arg(
                         pendingCopiesOf(node, Origin))));
        }
        const QString originIds = jobIdsOf(Origin);
        QCOMPARE(originIds.split(u',').size(), Jobs);
        QCOMPARE(jobIdsOf(2), originIds);

        m_nodes[Origin - 1]->kill();
        QElapsedTimer sinceKill;
        sinceKill.start();
        QVERIFY(m_receiver.configure(Hook, {{"mode"_L1, "ok"_L1}}));

        QVERIFY2(waitUntil([&] { return m_receiver.delivered(Hook).size() == Jobs; }, 30000, 50),
                 qPrintable(QString::number(m_receiver.delivered(Hook).size())));
        // Not before node 1 had been silent for the grace period (it spoke at most a sixth of
        // it before it died).
        const qint64 deliveredAfterMs = sinceKill.elapsed();
        qInfo("all %d delivered %lld ms after the kill", Jobs, deliveredAfterMs);
        QVERIFY(deliveredAfterMs >= TakeoverAfterMs * 5 / 6 - 100);
        const QJsonObject seen = m_receiver.state(Hook);
        QCOMPARE(seen["badSignatures"_L1].toInt(), 0); // the shared secret signed them all
        QCOMPARE(seen["duplicates"_L1].toInt(), 0);    // no delivery answered 200 twice
        QCOMPARE(seen["unique"_L1].toInt(), Jobs);     // the same job ids as node 1's

        // The first in the takeover order took them all, in one step; the other none.
        const int taker = firstTaker(Origin, {2, 3});
        const int bystander = taker == 2 ? 3 : 2;
        qInfo("node %d is first in the takeover order of node %d", taker, Origin);
        const QByteArray tookAll = "took over " + QByteArray::number(Jobs) +
                                   " pending deliveries of node " + QByteArray::number(Origin);
        QVERIFY2(waitUntil([&] { return logOf(taker).contains(tookAll); }, 5000, 50),
                 qPrintable(u"node %1 did not log the takeover"_s.arg(taker)));
        QVERIFY2(!logOf(bystander).contains("took over"),
                 qPrintable(u"node %1 took over too"_s.arg(bystander)));
        // The taker relays each finish: both live nodes show every job done.
        for (int node = 2; node <= 3; ++node) {
            QVERIFY2(waitUntil([&] { return deliveriesOf(node) == AllDone; }, 10000, 100),
                     qPrintable(u"node %1: %2"_s.arg(node).arg(QString::fromUtf8(
                         QJsonDocument(deliveriesOf(node)).toJson(QJsonDocument::Compact)))));
        }

        // Back on its own database, node 1 holds its old jobs until it has heard what became
        // of them: it shows them done and sends none again.
        const int requestsBeforeRestart = m_receiver.requests(Hook);
        QVERIFY2(m_nodes[Origin - 1]->start(m_args[Origin - 1]),
                 qPrintable(m_nodes[Origin - 1]->errorString()));
        QVERIFY2(waitUntil([&] { return deliveriesOf(Origin) == AllDone; }, 20000, 100),
                 qPrintable(QString::fromUtf8(
                     QJsonDocument(deliveriesOf(Origin)).toJson(QJsonDocument::Compact))));
        // Long enough for node 1 to retry its jobs, had it not heard, and for the second in
        // the order to have taken over, had it not heard of the first.
        QTest::qWait(2 * TakeoverAfterMs);
        const QJsonObject after = m_receiver.state(Hook);
        QCOMPARE(after["unique"_L1].toInt(), Jobs);
        QCOMPARE(after["duplicates"_L1].toInt(), 0);
        QCOMPARE(after["requests"_L1].toInt(), requestsBeforeRestart);
        QVERIFY(!logOf(bystander).contains("took over"));
    }

private:
    // Started last to first: each one dials the nodes started before it, so node 1 (started
    // last) finds the others again after its restart.
    bool startMesh()
    {
        for (int i = 2; i >= 0; --i) {
            m_nodes[i] = std::make_unique<SyncdProcess>();
            for (const auto &[name, value] : {std::pair{"ALLOW_PRIVATE_NETWORKS", "true"},
                                              {"RETRY_INITIAL_MS", "200"},
                                              {"RETRY_MAX_MS", "400"},
                                              {"DISABLE_AFTER", "100000"},
                                              {"TIMEOUT_MS", "2000"}})
                m_nodes[i]->setEnvironmentVariable(u"HERALD_ENDPOINTS_"_s + QLatin1StringView(name),
                                                   QLatin1StringView(value));
            m_nodes[i]->setEnvironmentVariable(u"HERALD_ENDPOINTS_TAKEOVER_AFTER_MS"_s,
                                               QString::number(TakeoverAfterMs));
            m_args[i] = QStringList{u"--no-auth"_s,        u"--cluster"_s,           u"mesh"_s,
                                    u"--cluster-secret"_s, u"webhook-mesh-secret"_s, u"--node-id"_s,
                                    QString::number(i + 1)};
            for (int j = i + 1; j < 3; ++j)
                m_args[i] << u"--peer"_s << u"ws://127.0.0.1:%1"_s.arg(m_nodes[j]->port());
            if (!m_nodes[i]->start(m_args[i])) {
                qWarning() << m_nodes[i]->errorString();
                return false;
            }
        }
        return true;
    }

    // The application, the endpoint (same name, URL and secret) and the behaviour group,
    // alike on the node: whichever node delivers a job sends it the same way.
    bool configure(int node)
    {
        HttpClient http(m_nodes[node - 1]->httpUrl());
        if (!createApplication(http, App, {u"invoices"_s}))
            return false;
        const auto saved = [](const HttpResponse &response) {
            return response.status == 200 || response.status == 201 ||
                   (qWarning() << response.describe(), false);
        };
        return saved(http.put(u"/api/v1/endpoints/"_s + Hook,
                              QJsonObject{{"kind"_L1, "webhook"_L1},
                                          {"url"_L1, m_receiver.url(Hook)},
                                          {"secret"_L1, HookSecret}})) &&
               saved(http.put(u"/api/v1/applications/%1/behaviors/all"_s.arg(App),
                              QJsonObject{{"endpoints"_L1, QJsonArray{Hook}}}));
    }

    int pendingCopiesOf(int node, int owner)
    {
        StorePeek store(m_nodes[node - 1]->database());
        return store
            .scalar(u"SELECT COUNT(*) FROM deliveries WHERE node = ? AND status = 'pending'"_s,
                    {owner})
            .toInt();
    }

    // Every job id in the node's database, in order, comma-separated.
    QString jobIdsOf(int node)
    {
        StorePeek store(m_nodes[node - 1]->database());
        return store
            .scalar(u"SELECT group_concat(id, ',') FROM (SELECT id FROM deliveries ORDER BY id)"_s)
            .toString();
    }

    QJsonObject deliveriesOf(int node)
    {
        HttpClient http(m_nodes[node - 1]->httpUrl());
        return http.get(u"/api/v1/endpoints/"_s + Hook).object()["deliveries"_L1].toObject();
    }

    QByteArray logOf(int node) const { return m_nodes[node - 1]->log(); }

    WebhookReceiver m_receiver;
    std::unique_ptr<SyncdProcess> m_nodes[3];
    QStringList m_args[3];
};

QTEST_GUILESS_MAIN(TestWebhookMesh)
#include "tst_webhookmesh.moc"
