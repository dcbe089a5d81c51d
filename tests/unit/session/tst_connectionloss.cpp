// SPDX-License-Identifier: Apache-2.0
#include "protocol/messages.h"
#include "session/connectionloss.h"

#include <QTest>

using namespace herald;
using namespace Qt::StringLiterals;

class TestConnectionLoss : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsCloses_data();
    void readsCloses();
    void readsUpgradeErrors_data();
    void readsUpgradeErrors();
};

void TestConnectionLoss::readsCloses_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("lastServerError");
    QTest::addColumn<ConnectionLoss>("expected");
    QTest::newRow("normal") << 1000 << QString() << ConnectionLoss::Normal;
    QTest::newRow("going away") << 1001 << QString() << ConnectionLoss::Normal;
    QTest::newRow("dropped") << 1006 << QString() << ConnectionLoss::Normal;
    QTest::newRow("policy") << 1008 << QString() << ConnectionLoss::AuthenticationRefused;
    QTest::newRow("service restart") << 1012 << QString() << ConnectionLoss::TryLater;
    QTest::newRow("try again later") << 1013 << QString() << ConnectionLoss::TryLater;
    QTest::newRow("bad gateway") << 1014 << QString() << ConnectionLoss::TryLater;
    QTest::newRow("protocol error") << 1002 << QString() << ConnectionLoss::Normal;
    QTest::newRow("unavailable frame first")
        << 1000 << u"unavailable"_s << ConnectionLoss::TryLater;
    QTest::newRow("rate_limited frame first")
        << 1000 << u"rate_limited"_s << ConnectionLoss::TryLater;
    QTest::newRow("other error frame first") << 1000 << u"bad_request"_s << ConnectionLoss::Normal;
    QTest::newRow("policy beats an error frame")
        << 1008 << u"unavailable"_s << ConnectionLoss::AuthenticationRefused;
}

void TestConnectionLoss::readsCloses()
{
    QFETCH(int, code);
    QFETCH(QString, lastServerError);
    QFETCH(ConnectionLoss, expected);
    QCOMPARE(lossOnClose(code, lastServerError), expected);
}

void TestConnectionLoss::readsUpgradeErrors_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<ConnectionLoss>("expected");
    QTest::newRow("401") << 401 << ConnectionLoss::AuthenticationRefused;
    QTest::newRow("429") << 429 << ConnectionLoss::TryLater;
    QTest::newRow("503") << 503 << ConnectionLoss::TryLater;
    QTest::newRow("404") << 404 << ConnectionLoss::Normal;
    QTest::newRow("refused (no status)") << 0 << ConnectionLoss::Normal;
}

void TestConnectionLoss::readsUpgradeErrors()
{
    QFETCH(int, httpStatus);
    QFETCH(ConnectionLoss, expected);
    QCOMPARE(lossOnUpgradeError(httpStatus), expected);
}

QTEST_GUILESS_MAIN(TestConnectionLoss)
#include "tst_connectionloss.moc"
