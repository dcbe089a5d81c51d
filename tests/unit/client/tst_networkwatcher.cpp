// SPDX-License-Identifier: Apache-2.0
// NetworkWatcher: which reachability changes report the network returning or lost.
#include "net/networkwatcher.h"

#include <QSignalSpy>
#include <QTest>

using namespace herald::client;
using R = QNetworkInformation::Reachability;

namespace {
// What a watcher emits, one letter per signal: R returned, L lost.
struct Emitted
{
    explicit Emitted(NetworkWatcher &watcher)
    {
        QObject::connect(&watcher, &NetworkWatcher::networkReturned, &watcher,
                         [this] { letters += QLatin1Char('R'); });
        QObject::connect(&watcher, &NetworkWatcher::networkLost, &watcher,
                         [this] { letters += QLatin1Char('L'); });
    }
    QString letters;
};
} // namespace

class TestNetworkWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsOnline()
    {
        NetworkWatcher watcher;
        QVERIFY(watcher.isOnline());
    }

    void transitions_data()
    {
        QTest::addColumn<QList<R>>("reports");
        QTest::addColumn<QString>("expected"); // one letter per signal: R returned, L lost

        QTest::newRow("online at start says nothing") << QList<R>{R::Online} << QString();
        QTest::newRow("site at start says nothing") << QList<R>{R::Site} << QString();
        QTest::newRow("unknown says nothing") << QList<R>{R::Unknown} << QString();
        QTest::newRow("disconnected is lost") << QList<R>{R::Disconnected} << QStringLiteral("L");
        QTest::newRow("local is lost") << QList<R>{R::Local} << QStringLiteral("L");
        QTest::newRow("online to disconnected")
            << QList<R>{R::Online, R::Disconnected} << QStringLiteral("L");
        QTest::newRow("disconnected to online")
            << QList<R>{R::Disconnected, R::Online} << QStringLiteral("LR");
        QTest::newRow("local to site") << QList<R>{R::Local, R::Site} << QStringLiteral("LR");
        QTest::newRow("disconnected to site")
            << QList<R>{R::Disconnected, R::Site} << QStringLiteral("LR");
        QTest::newRow("local to online") << QList<R>{R::Local, R::Online} << QStringLiteral("LR");
        QTest::newRow("no duplicate lost")
            << QList<R>{R::Disconnected, R::Disconnected, R::Local, R::Disconnected}
            << QStringLiteral("L");
        QTest::newRow("no duplicate returned")
            << QList<R>{R::Disconnected, R::Online, R::Online, R::Site, R::Online}
            << QStringLiteral("LR");
        QTest::newRow("unknown in between changes nothing")
            << QList<R>{R::Disconnected, R::Unknown, R::Disconnected, R::Unknown,
                        R::Online,       R::Unknown, R::Online}
            << QStringLiteral("LR");
        QTest::newRow("flapping") << QList<R>{R::Online, R::Disconnected, R::Online, R::Local,
                                              R::Site}
                                  << QStringLiteral("LRLR");
    }

    void transitions()
    {
        QFETCH(QList<R>, reports);
        QFETCH(QString, expected);

        NetworkWatcher watcher;
        Emitted emitted(watcher);
        for (R r : reports)
            watcher.onReachabilityChanged(r);
        QCOMPARE(emitted.letters, expected);
        QCOMPARE(watcher.isOnline(), !expected.endsWith(QLatin1Char('L')));
    }

    void isOnlineFollowsReports()
    {
        NetworkWatcher watcher;
        QSignalSpy lost(&watcher, &NetworkWatcher::networkLost);
        QSignalSpy returned(&watcher, &NetworkWatcher::networkReturned);
        watcher.onReachabilityChanged(R::Local);
        QVERIFY(!watcher.isOnline());
        QCOMPARE(lost.size(), 1);
        watcher.onReachabilityChanged(R::Site);
        QVERIFY(watcher.isOnline());
        QCOMPARE(returned.size(), 1);
        QCOMPARE(lost.size(), 1);
    }

    // The routing table's reads (Linux): a default route is up, none is down, same rules.
    void routeReports_data()
    {
        QTest::addColumn<QList<bool>>("reads");
        QTest::addColumn<QString>("expected");
        QTest::newRow("a default route at start says nothing") << QList<bool>{true} << QString();
        QTest::newRow("none is lost") << QList<bool>{false} << QStringLiteral("L");
        QTest::newRow("repeated reads say nothing more")
            << QList<bool>{false, false, true, true, true, false, false} << QStringLiteral("LRL");
    }
    void routeReports()
    {
        QFETCH(QList<bool>, reads);
        QFETCH(QString, expected);
        NetworkWatcher watcher;
        Emitted emitted(watcher);
        for (bool hasDefaultRoute : reads)
            watcher.onRoutesRead(hasDefaultRoute);
        QCOMPARE(emitted.letters, expected);
        QCOMPARE(watcher.isOnline(), reads.constLast());
    }

    // What is watched depends on the machine (on Linux the routing table, unless netlink is
    // closed to the process; elsewhere a backend, none without NetworkManager); either way the
    // reports still drive the signals and a second call gives the same answer.
    void watchSystemIsHarmless()
    {
        NetworkWatcher watcher;
        const bool watching = watcher.watchSystem();
        QCOMPARE(watcher.watchSystem(), watching);
        QSignalSpy returned(&watcher, &NetworkWatcher::networkReturned);
        watcher.onReachabilityChanged(R::Disconnected);
        watcher.onReachabilityChanged(R::Online);
        QCOMPARE(returned.size(), 1);
    }
};

QTEST_MAIN(TestNetworkWatcher)
#include "tst_networkwatcher.moc"
