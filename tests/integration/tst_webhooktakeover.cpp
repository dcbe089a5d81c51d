// SPDX-License-Identifier: Apache-2.0
// Nodes on one PostgreSQL database take over a dead node's deliveries: three herald-syncd
// nodes share a database; the node where 50 routed notifications were published is killed
// while its receiver is down (every attempt answered 500, so the jobs stay pending), the
// receiver comes back, and after the grace period one live node takes the jobs over and
// delivers each exactly once: the receiver (which checks every signature) sees no
// Herald-Delivery answered twice, and the delivery log says done for all 50.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"
#include "wait.h"
#include "webhookreceiver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"billing"_s;
constexpr int Jobs = 50;
constexpr int TakeoverAfterMs = 3000;
} // namespace

class TestWebhookTakeover : public QObject
{
    Q_OBJECT

private slots:
    void aDeadNodesDeliveriesAreTakenOverOnce();
};

void TestWebhookTakeover::aDeadNodesDeliveriesAreTakenOverOnce()
{
    WebhookReceiver receiver;
    QVERIFY2(receiver.start(), "webhookreceiver.py did not print its port");
    // Only these daemons run on PostgreSQL (the test's own throwaway cluster).
    qputenv("HERALD_TEST_BACKEND", "postgresql");
    std::unique_ptr<SyncdProcess> nodes[3];
    for (auto &node : nodes)
        node = std::make_unique<SyncdProcess>();
    qunsetenv("HERALD_TEST_BACKEND");
    for (int i = 0; i < 3; ++i) {
        for (const auto &[name, value] : {std::pair{"ALLOW_PRIVATE_NETWORKS", "true"},
                                          {"RETRY_INITIAL_MS", "200"},
                                          {"RETRY_MAX_MS", "400"},
                                          {"DISABLE_AFTER", "100000"},
                                          {"TIMEOUT_MS", "2000"},
                                          {"TAKEOVER_AFTER_MS", "3000"}})
            nodes[i]->setEnvironmentVariable(u"HERALD_ENDPOINTS_"_s + QLatin1StringView(name),
                                             QLatin1StringView(value));
        QStringList args{u"--no-auth"_s, u"--node-id"_s, QString::number(i + 1)};
        if (i > 0)
            args << u"--database"_s << nodes[0]->databasePath();
        QVERIFY2(nodes[i]->start(args), qPrintable(nodes[i]->errorString()));
    }
    auto dumpLogs = qScopeGuard([&] {
        if (QTest::currentTestFailed()) {
            for (auto &node : nodes)
                node->dumpLog();
        }
    });
    HttpClient origin(nodes[0]->httpUrl());
    HttpClient survivor(nodes[1]->httpUrl());
    QVERIFY(createApplication(origin, App, {u"invoices"_s}));
    const HttpResponse endpoint =
        origin.put(u"/api/v1/endpoints/books"_s,
                   QJsonObject{{"kind"_L1, "webhook"_L1}, {"url"_L1, receiver.url(u"books"_s)}});
    QVERIFY2(endpoint.status == 201, endpoint.describe());
    QVERIFY(receiver.configure(
        u"books"_s, {{"secret"_L1, endpoint.object()["secret"_L1]}, {"mode"_L1, "error"_L1}}));
    QCOMPARE(origin
                 .put(u"/api/v1/applications/%1/behaviors/all"_s.arg(App),
                      QJsonObject{{"endpoints"_L1, QJsonArray{u"books"_s}}})
                 .status,
             201);
    QJsonArray batch;
    for (int i = 0; i < Jobs; ++i)
        batch.append(notificationBody(App, u"invoices"_s, u"invoice %1"_s.arg(i)));
    QCOMPARE(origin.post(u"/api/v1/notifications"_s, batch).status, 201);
    // Every job tried (and failed) by its own node, so each is pending with node 1.
    QVERIFY2(waitUntil([&] { return receiver.state(u"books"_s)["unique"_L1].toInt() == Jobs; },
                       15000, 50),
             qPrintable(QString::number(receiver.state(u"books"_s)["unique"_L1].toInt())));
    nodes[0]->kill();
    QElapsedTimer sinceKill;
    sinceKill.start();
    QVERIFY(receiver.configure(u"books"_s, {{"mode"_L1, "ok"_L1}}));

    QVERIFY2(waitUntil([&] { return receiver.delivered(u"books"_s).size() == Jobs; }, 30000, 50),
             qPrintable(QString::number(receiver.delivered(u"books"_s).size())));
    // Not before node 1 had been silent for the grace period (it spoke at most a sixth of it
    // before it died).
    const QJsonObject seen = receiver.state(u"books"_s);
    qInfo("all %d delivered %lld ms after the kill", Jobs, sinceKill.elapsed());
    QVERIFY(sinceKill.elapsed() >= TakeoverAfterMs * 5 / 6 - 100);
    QCOMPARE(seen["badSignatures"_L1].toInt(), 0);
    QCOMPARE(seen["duplicates"_L1].toInt(), 0); // no delivery answered 200 twice
    QCOMPARE(seen["unique"_L1].toInt(), Jobs);
    QVERIFY(waitUntil(
        [&] {
            return survivor.get(u"/api/v1/endpoints/books"_s)
                       .object()["deliveries"_L1]["done"_L1]
                       .toInt() == Jobs;
        },
        5000, 50));
    QCOMPARE(survivor.get(u"/api/v1/endpoints/books"_s).object()["deliveries"_L1].toObject(),
             (QJsonObject{{"pending"_L1, 0}, {"done"_L1, Jobs}, {"failed"_L1, 0}}));
    // One of the two live nodes took them all, in one step.
    const QByteArray tookAll = "took over " + QByteArray::number(Jobs) + " pending";
    int takers = 0;
    for (int i = 1; i < 3; ++i) {
        if (nodes[i]->log().contains(tookAll))
            ++takers;
    }
    QCOMPARE(takers, 1);
}

QTEST_GUILESS_MAIN(TestWebhookTakeover)
#include "tst_webhooktakeover.moc"
