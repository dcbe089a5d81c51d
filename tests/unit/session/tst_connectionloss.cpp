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
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("lastServerError");
    QTest::addColumn<ConnectionLoss>("expected");
    QTest::newRow("normal") << 1000 << QString() << QString() << ConnectionLoss::Normal;
    QTest::newRow("going away") << 1001 << QString() << QString() << ConnectionLoss::Normal;
    QTest::newRow("dropped") << 1006 << QString() << QString() << ConnectionLoss::Normal;
    QTest::newRow("policy") << 1008 << u"bad token"_s << QString()
                            << ConnectionLoss::AuthenticationRefused;
    QTest::newRow("try again later") << 1013 << QString() << QString() << ConnectionLoss::TryLater;
    QTest::newRow("1013 as Qt reports it")
        << 1002 << u"Invalid close code 1002 detected."_s << QString() << ConnectionLoss::TryLater;
    QTest::newRow("other protocol error")
        << 1002 << u"bad frame"_s << QString() << ConnectionLoss::Normal;
    QTest::newRow("unavailable frame first")
        << 1000 << QString() << u"unavailable"_s << ConnectionLoss::TryLater;
    QTest::newRow("rate_limited frame first")
        << 1000 << QString() << u"rate_limited"_s << ConnectionLoss::TryLater;
    QTest::newRow("other error frame first")
        << 1000 << QString() << u"bad_request"_s << ConnectionLoss::Normal;
    QTest::newRow("policy beats an error frame")
        << 1008 << QString() << u"unavailable"_s << ConnectionLoss::AuthenticationRefused;
}

void TestConnectionLoss::readsCloses()
{
    QFETCH(int, code);
    QFETCH(QString, reason);
    QFETCH(QString, lastServerError);
    QFETCH(ConnectionLoss, expected);
    QCOMPARE(lossOnClose(code, reason, lastServerError), expected);
}

void TestConnectionLoss::readsUpgradeErrors_data()
{
    QTest::addColumn<QString>("errorString");
    QTest::addColumn<ConnectionLoss>("expected");
    const QString status = u"QWebSocketPrivate::processHandshake: Unhandled http status code: %1"_s;
    QTest::newRow("401") << status.arg(u"401 (Unauthorized)."_s)
                         << ConnectionLoss::AuthenticationRefused;
    QTest::newRow("429") << status.arg(u"429 (Too Many Requests)."_s) << ConnectionLoss::TryLater;
    QTest::newRow("503") << status.arg(u"503 (Service Unavailable)."_s) << ConnectionLoss::TryLater;
    QTest::newRow("404") << status.arg(u"404 (Not Found)."_s) << ConnectionLoss::Normal;
    QTest::newRow("refused") << u"Connection refused"_s << ConnectionLoss::Normal;
}

void TestConnectionLoss::readsUpgradeErrors()
{
    QFETCH(QString, errorString);
    QFETCH(ConnectionLoss, expected);
    QCOMPARE(lossOnUpgradeError(errorString), expected);
}

QTEST_GUILESS_MAIN(TestConnectionLoss)
#include "tst_connectionloss.moc"
