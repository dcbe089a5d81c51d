// SPDX-License-Identifier: Apache-2.0
// The REST adapter over the core, without sockets: requests go through the real Router (with
// --no-auth, so every request acts as admin) into NotificationsApi and on to the real
// NotificationService over an in-memory repository. What the core then tells the sessions is
// what this checks: the adapter adds no rule of its own and loses none.
#include "fakes.h"

#include "api/notificationsapi.h"
#include "auth/authenticator.h"
#include "core/notificationservice.h"
#include "http/requestlimits.h"
#include "limits/failedauthlimiter.h"
#include "metrics/metrics.h"

#include <QTest>

using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

class TestNotificationsApi : public QObject
{
    Q_OBJECT

    struct Rig : CoreRig
    {
        Authenticator authenticator{nullptr, true};
        FailedAuthLimiter authFailures{config.traffic.authFailures,
                                       config.traffic.authFailureWindowMs};
        RequestLimits limits{config.traffic, authenticator, authFailures, metrics};
        Router router{&limits};
        NotificationsApi api{service, config.limits};

        Rig() { api.addRoutes(router); }
        void send(const QByteArray &method, const QString &path, const QByteArray &body)
        {
            HttpRequest request;
            request.method = method;
            request.path = path;
            request.body = body;
            request.peer = request.client = QHostAddress::LocalHost;
            router.handleRequest(request, HttpResponder());
        }
    };

private Q_SLOTS:
    void acknowledgeReachesTheCoreForTheNamedUser()
    {
        Rig rig;
        rig.repository.acknowledgeAnswer = {41};
        rig.send("POST", QStringLiteral("/api/v1/acks"), R"({"user":"alice","ids":[41,42]})");
        rig.repository.flush();
        QCOMPARE(rig.fanOut.acknowledgements.size(), 1);
        QCOMPARE(rig.fanOut.acknowledgements[0].first, QStringLiteral("alice"));
        QCOMPARE(rig.fanOut.acknowledgements[0].second, (QList<NotificationId>{41}));
    }

    void badAcknowledgeBodiesChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not json") << QByteArray("ids=1");
        QTest::newRow("no user with admin") << QByteArray(R"({"ids":[1]})");
        QTest::newRow("ids not a list") << QByteArray(R"({"user":"alice","ids":1})");
    }
    void badAcknowledgeBodiesChangeNothing()
    {
        QFETCH(QByteArray, body);
        Rig rig;
        rig.send("POST", QStringLiteral("/api/v1/acks"), body);
        QCOMPARE(rig.repository.pending(), 0);
        QVERIFY(rig.fanOut.acknowledgements.isEmpty());
    }

    void publishReachesTheSessionsThroughTheCore()
    {
        Rig rig;
        rig.send("POST", QStringLiteral("/api/v1/notifications"),
                 R"([{"application":"ops","channel":"a","title":"one"},)"
                 R"({"application":"ops","channel":"a","title":"two","persistent":false}])");
        QCOMPARE(rig.repository.inserts, 1); // one batch, one store operation
        rig.repository.flush();
        QCOMPARE(rig.fanOut.published.size(), 2);
        QVERIFY(rig.fanOut.published[0] < rig.fanOut.published[1]);
    }

    void deleteReachesTheSessionsThroughTheCore()
    {
        Rig rig;
        rig.send("POST", QStringLiteral("/api/v1/notifications"),
                 R"({"application":"ops","channel":"a","title":"one"})");
        rig.repository.flush();
        const NotificationId id = rig.repository.stored.first().id;
        rig.send("DELETE", QStringLiteral("/api/v1/notifications/%1").arg(id), {});
        rig.repository.flush();
        QCOMPARE(rig.fanOut.deletions, (QList<NotificationId>{id}));
    }
};

QTEST_GUILESS_MAIN(TestNotificationsApi)
#include "tst_notificationsapi.moc"
