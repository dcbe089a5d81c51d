// SPDX-License-Identifier: Apache-2.0
// InboxRange: the Range header of GET /api/v1/inbox and the Next-Range it answers with.
#include "api/inboxrange.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

class TestInboxRange : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsTheThreeForms()
    {
        auto fromNewest = InboxRange::parse("id ..; max=20", 100);
        QVERIFY(fromNewest);
        QVERIFY(!fromNewest->beforeId);
        QCOMPARE(fromNewest->max, std::optional<int>(20));

        auto after = InboxRange::parse("id ]123..; max=5", 100);
        QVERIFY(after);
        QCOMPARE(after->beforeId, std::optional<NotificationId>(123)); // 123 itself excluded

        auto from = InboxRange::parse("id 123..", 100);
        QVERIFY(from);
        QCOMPARE(from->beforeId, std::optional<NotificationId>(124)); // 123 itself included
        QVERIFY(!from->max);
    }

    void toleratesSpaces()
    {
        auto range = InboxRange::parse("  id   ]7..  ;  max = 3 ", 100);
        QVERIFY(range);
        QCOMPARE(range->beforeId, std::optional<NotificationId>(7));
        QCOMPARE(range->max, std::optional<int>(3));
    }

    void nextRangeReadsBackAsTheSamePage()
    {
        const QByteArray next = InboxRange::next(42, 20);
        QCOMPARE(next, QByteArray("id ]42..; max=20"));
        auto range = InboxRange::parse(next, 100);
        QVERIFY(range);
        QCOMPARE(range->beforeId, std::optional<NotificationId>(42));
        QCOMPARE(range->max, std::optional<int>(20));
    }

    void refusesWhatItCannotRead_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("other unit") << QByteArray("items 0-19");
        QTest::newRow("bytes") << QByteArray("bytes=0-100");
        QTest::newRow("bracket without id") << QByteArray("id ]..; max=5");
        QTest::newRow("id zero") << QByteArray("id 0..");
        QTest::newRow("negative id") << QByteArray("id -5..");
        QTest::newRow("max zero") << QByteArray("id ..; max=0");
        QTest::newRow("max above the limit") << QByteArray("id ..; max=101");
        QTest::newRow("max not a number") << QByteArray("id ..; max=ten");
        QTest::newRow("upper bound") << QByteArray("id 1..9");
        QTest::newRow("id too long") << QByteArray("id 12345678901234567..");
    }

    void refusesWhatItCannotRead()
    {
        QFETCH(QByteArray, header);
        const auto range = InboxRange::parse(header, 100);
        QVERIFY(!range);
        QCOMPARE(range.error().code, ErrorCode::BadRequest);
        QVERIFY2(range.error().message.startsWith(u"Range: "_s), qPrintable(range.error().message));
    }
};

QTEST_APPLESS_MAIN(TestInboxRange)
#include "tst_inboxrange.moc"
