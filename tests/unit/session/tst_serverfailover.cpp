// SPDX-License-Identifier: Apache-2.0
#include "protocol/messages.h"
#include "session/serverfailover.h"

#include <QTest>

using namespace herald;
using namespace std::chrono_literals;

namespace {

const QUrl A(QStringLiteral("ws://a.example:1/api/v1/ws"));
const QUrl B(QStringLiteral("ws://b.example:2/api/v1/ws"));
const QUrl C(QStringLiteral("ws://c.example:3/api/v1/ws"));

// Delays at the top of each cap: easy to read.
ServerFailover failoverOf(QList<QUrl> servers)
{
    ServerFailover failover(std::move(servers), 100ms, 1000ms);
    failover.setRandomSource([] { return 1.0; });
    return failover;
}

} // namespace

class TestServerFailover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAtTheFirstServer();
    void failedAttemptMovesOnAndWraps();
    void registeredDropRetriesTheSameServer();
    void goingAwayOrTryLaterMovesOn_data();
    void goingAwayOrTryLaterMovesOn();
    void tryLaterWaitsAtLeastHalfTheMaximum();
    void delaysGrowUntilConnectionWorked();
    void restartGoesBackToTheFirstServer();
    void reconfigureKeepsThePositionWhileItExists();
    void reconfigureKeepsTheRandomSource();
    void noServersIsEmptyAndStillGivesADelay();
};

void TestServerFailover::startsAtTheFirstServer()
{
    const ServerFailover failover = failoverOf({A, B});
    QVERIFY(!failover.isEmpty());
    QCOMPARE(failover.current(), A);
}

void TestServerFailover::failedAttemptMovesOnAndWraps()
{
    ServerFailover failover = failoverOf({A, B, C});
    QList<QUrl> tried;
    for (int i = 0; i < 4; ++i) {
        failover.connectionLost(false, 1006, ConnectionLoss::Normal);
        tried.append(failover.current());
    }
    QCOMPARE(tried, (QList<QUrl>{B, C, A, B}));
}

void TestServerFailover::registeredDropRetriesTheSameServer()
{
    ServerFailover failover = failoverOf({A, B});
    failover.connectionLost(true, 1006, ConnectionLoss::Normal);
    QCOMPARE(failover.current(), A);
}

void TestServerFailover::goingAwayOrTryLaterMovesOn_data()
{
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<ConnectionLoss>("loss");
    QTest::newRow("going away") << CloseCode::GoingAway << ConnectionLoss::Normal;
    QTest::newRow("try later") << CloseCode::TryAgainLater << ConnectionLoss::TryLater;
    QTest::newRow("error frame, normal close") << CloseCode::Normal << ConnectionLoss::TryLater;
}

void TestServerFailover::goingAwayOrTryLaterMovesOn()
{
    QFETCH(int, closeCode);
    QFETCH(ConnectionLoss, loss);
    ServerFailover failover = failoverOf({A, B});
    failover.connectionLost(true, closeCode, loss);
    QCOMPARE(failover.current(), B);
}

void TestServerFailover::tryLaterWaitsAtLeastHalfTheMaximum()
{
    ServerFailover failover(QList<QUrl>{A}, 100ms, 1000ms);
    failover.setRandomSource([] { return 0.0; });
    QCOMPARE(failover.connectionLost(true, CloseCode::TryAgainLater, ConnectionLoss::TryLater),
             500ms);
    QCOMPARE(failover.connectionLost(false, 1006, ConnectionLoss::Normal), 0ms);
}

void TestServerFailover::delaysGrowUntilConnectionWorked()
{
    ServerFailover failover = failoverOf({A});
    QList<qint64> delays;
    for (int i = 0; i < 3; ++i)
        delays.append(failover.connectionLost(false, 1006, ConnectionLoss::Normal).count());
    failover.connectionWorked();
    delays.append(failover.connectionLost(true, 1006, ConnectionLoss::Normal).count());
    QCOMPARE(delays, (QList<qint64>{100, 200, 400, 100}));
}

void TestServerFailover::restartGoesBackToTheFirstServer()
{
    ServerFailover failover = failoverOf({A, B, C});
    failover.connectionLost(false, 1006, ConnectionLoss::Normal);
    failover.connectionLost(false, 1006, ConnectionLoss::Normal);
    QCOMPARE(failover.current(), C);
    failover.restart();
    QCOMPARE(failover.current(), A);
    QCOMPARE(failover.connectionLost(false, 1006, ConnectionLoss::Normal), 100ms);
}

void TestServerFailover::reconfigureKeepsThePositionWhileItExists()
{
    ServerFailover failover = failoverOf({A, B, C});
    failover.connectionLost(false, 1006, ConnectionLoss::Normal);
    failover.reconfigure({C, A}, 100ms, 1000ms);
    QCOMPARE(failover.current(), A); // still the second
    failover.connectionLost(false, 1006, ConnectionLoss::Normal);
    failover.reconfigure({B}, 100ms, 1000ms);
    QCOMPARE(failover.current(), B); // position 1 is gone: the first
}

void TestServerFailover::reconfigureKeepsTheRandomSource()
{
    ServerFailover failover = failoverOf({A});
    failover.connectionLost(false, 1006, ConnectionLoss::Normal);
    failover.connectionLost(false, 1006, ConnectionLoss::Normal);
    failover.reconfigure({A}, 10ms, 50ms); // starts over, same random source (1.0)
    QCOMPARE(failover.connectionLost(false, 1006, ConnectionLoss::Normal), 10ms);
    QCOMPARE(failover.connectionLost(false, 1006, ConnectionLoss::Normal), 20ms);
}

void TestServerFailover::noServersIsEmptyAndStillGivesADelay()
{
    ServerFailover failover = failoverOf({A});
    failover.reconfigure({}, 100ms, 1000ms);
    QVERIFY(failover.isEmpty());
    QCOMPARE(failover.current(), QUrl());
    QCOMPARE(failover.connectionLost(false, 1006, ConnectionLoss::Normal), 100ms);
    QCOMPARE(failover.current(), QUrl());
}

QTEST_GUILESS_MAIN(TestServerFailover)
#include "tst_serverfailover.moc"
