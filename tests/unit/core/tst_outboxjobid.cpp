// SPDX-License-Identifier: Apache-2.0
// Outbox job ids (newOutboxJobId): UUIDs of version 7 whose first 48 bits are the time, so that
// later ones sort after earlier ones, as text too; the rest random.
#include "core/outboxjobid.h"

#include <QSet>
#include <QTest>
#include <QUuid>

using namespace herald::syncd;

class TestOutboxJobId : public QObject
{
    Q_OBJECT

private slots:
    void isAVersion7UuidWithTheTimeFirst()
    {
        const qint64 ms = 0x0190'A1B2'C3D4;
        const QString id = newOutboxJobId(ms);
        const QUuid uuid(id);
        QVERIFY(!uuid.isNull());
        QCOMPARE(id.size(), 36);
        QCOMPARE(id.left(13), QStringLiteral("0190a1b2-c3d4"));
        QCOMPARE(id.at(14), QChar(u'7'));     // the version (Qt 6.4's QUuid knows up to 5)
        QCOMPARE(uuid.variant(), QUuid::DCE); // the RFC's variant, bits 10
        QVERIFY(QStringLiteral("89ab").contains(id.at(19)));
    }

    void laterOnesSortAfterEarlierOnes()
    {
        QString previous = newOutboxJobId(1'700'000'000'000);
        for (qint64 ms = 1'700'000'000'001; ms < 1'700'000'001'000; ++ms) {
            const QString id = newOutboxJobId(ms);
            QVERIFY2(previous < id, qPrintable(previous + u" >= " + id));
            previous = id;
        }
        // Across a carry into the first hex digits too.
        QVERIFY(newOutboxJobId(0x00FF'FFFF'FFFF) < newOutboxJobId(0x0100'0000'0000));
    }

    void oneMillisecondsAreDistinct()
    {
        QSet<QString> ids;
        for (int i = 0; i < 100'000; ++i)
            ids.insert(newOutboxJobId(1'700'000'000'000));
        QCOMPARE(ids.size(), 100'000);
    }
};

QTEST_GUILESS_MAIN(TestOutboxJobId)
#include "tst_outboxjobid.moc"
