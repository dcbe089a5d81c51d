// SPDX-License-Identifier: Apache-2.0
// Digests between nodes with databases of their own, in the store (schema 12): a digest
// record from the node that sent it records the digest here, drops the items it held from
// this node's queue (the others stay for the next period) and moves this node's run of it on,
// keeping this node's wait; a second record of the same period changes nothing; records read
// for a peer that catches up carry the digest; a payload that does not read changes nothing;
// a run waits for its sender's turn (postpone, claim).
#include "sqlstorefixture.h"

#include "store/digestrecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

#define DIGESTS(...) MUST(m_store->digests([&](DigestQueries &q) { return q.__VA_ARGS__; }))

const QString Key = u"daily@08:00|desktop"_s;
constexpr qint64 DueMs = 1'800'000'000'000;
constexpr qint64 NextMs = DueMs + 24 * 3600 * 1000;
constexpr qint64 WaitMs = 3000; // this node's turn after the first sender

DigestItem item(NotificationId id)
{
    DigestItem i;
    i.user = u"alice"_s;
    i.key = Key;
    i.timeZone = u"UTC"_s;
    i.dueMs = DueMs;
    i.node = 2;
    i.notificationId = id;
    i.application = u"app"_s;
    i.channel = u"alerts"_s;
    i.payload = QByteArray(R"({"id":)") + QByteArray::number(id) + "}";
    return i;
}

SentDigest sentByNodeOne(const QList<NotificationId> &ids, qint64 periodEndMs = DueMs)
{
    SentDigest s;
    s.id = u"3f1c2d4e-0000-5000-8000-000000000001"_s;
    s.user = u"alice"_s;
    s.key = Key;
    s.periodEndMs = periodEndMs;
    s.count = ids.size();
    s.frame = R"({"type":"digest","data":{"id":"3f1c2d4e-0000-5000-8000-000000000001"}})";
    s.node = 1;
    s.sentMs = DueMs + 5;
    s.itemIds = ids;
    s.nextDueMs = NextMs;
    return s;
}

RelayRecord digestRecord(const SentDigest &sent, int origin = 1, qint64 seq = 1)
{
    RelayRecord r;
    r.origin = origin;
    r.seq = seq;
    r.kind = RelayRecord::Kind::Digest;
    r.user = sent.user;
    r.timeMs = sent.sentMs;
    r.payload = digestRecordPayload(sent);
    return r;
}

} // namespace

class TestDigestRelay : public QObject, public SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init()
    {
        openFreshStore();
        StoreOptions options;
        options.nodeId = 2;
        openStore(options);
        QCOMPARE(DIGESTS(add({item(11), item(12), item(13)})), 3);
        // This node goes second: the scheduler put its turn a wait after the due time.
        STORE_VERIFY(m_store->digests([&](DigestQueries &q) {
            return q.postpone(DueDigest{u"alice"_s, Key, u"UTC"_s, DueMs}, DueMs + WaitMs);
        }));
    }
    void cleanup() { closeStore(); }

    void aRecordDropsItsItemsAndMovesTheRunOn()
    {
        auto applied = m_store->applyRelayRecords({digestRecord(sentByNodeOne({11, 12}))}, 7);
        STORE_VERIFY(applied);
        QCOMPARE(applied->size(), 1);
        const auto sent = DIGESTS(sentTo(u"alice"_s, 10));
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent[0].node, 1);
        QCOMPARE(sent[0].count, 2);
        // Item 13 came after node 1 sent: it waits for the next period.
        QCOMPARE(DIGESTS(due(2, NextMs + WaitMs, 10, QString(), false)).size(), 1);
        QCOMPARE(DIGESTS(due(2, NextMs + WaitMs - 1, 10, QString(), false)).size(), 0);
        const auto left = DIGESTS(take(u"alice"_s, Key, 10));
        QCOMPARE(left.itemIds, QList<NotificationId>{13});
    }

    void aSecondRecordOfThePeriodChangesNothing()
    {
        STORE_VERIFY(m_store->applyRelayRecords({digestRecord(sentByNodeOne({11}))}, 7));
        SentDigest again = sentByNodeOne({11, 12, 13}); // node 3 sent it too (a partition)
        again.node = 3;
        STORE_VERIFY(m_store->applyRelayRecords({digestRecord(again, 3, 1)}, 7));
        const auto sent = DIGESTS(sentTo(u"alice"_s, 10));
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent[0].node, 1);                             // the first record stays
        QCOMPARE(DIGESTS(take(u"alice"_s, Key, 10)).count, 0); // its items went all the same
    }

    void aForcedDigestLeavesTheRunItsPeriod()
    {
        // Sent now, before the period ends: its items go, the run stays due as it was.
        STORE_VERIFY(
            m_store->applyRelayRecords({digestRecord(sentByNodeOne({12}, DueMs - 60'000))}, 7));
        QCOMPARE(DIGESTS(due(2, DueMs + WaitMs, 10, QString(), false)).size(), 1);
        QCOMPARE(DIGESTS(take(u"alice"_s, Key, 10)).itemIds, (QList<NotificationId>{11, 13}));
    }

    void recordsForAPeerThatCatchesUpCarryTheDigest()
    {
        const SentDigest sent = sentByNodeOne({11, 12});
        STORE_VERIFY(m_store->applyRelayRecords({digestRecord(sent)}, 7));
        // This node's own digest, relayed.
        SentDigest own = sentByNodeOne({13}, NextMs);
        own.id = u"3f1c2d4e-0000-5000-8000-000000000002"_s;
        own.node = 2;
        STORE_VERIFY(m_store->digests([&](DigestQueries &q) { return q.record(own); }));
        STORE_VERIFY(m_store->relayDigest(own));
        const auto records = MUST(m_store->relayRecordsAfter({}, 100));
        QList<SentDigest> read;
        for (const RelayRecord &r : records) {
            if (r.kind != RelayRecord::Kind::Digest)
                continue;
            auto digest = readDigestRecordPayload(r.payload, r.user, r.origin, r.seq, r.timeMs);
            QVERIFY2(digest, qPrintable(r.payload));
            read.append(*digest);
        }
        QCOMPARE(read.size(), 2);
        QCOMPARE(read[0].id, sent.id);
        QCOMPARE(read[0].itemIds, sent.itemIds);
        QCOMPARE(read[0].nextDueMs, NextMs);
        QCOMPARE(QJsonDocument::fromJson(read[0].frame), QJsonDocument::fromJson(sent.frame));
        QCOMPARE(read[1].id, own.id);
        QCOMPARE(read[1].node, 2);
        QCOMPARE(read[1].itemIds, QList<NotificationId>{13});
    }

    void aPayloadThatDoesNotReadChangesNothing_data()
    {
        QTest::addColumn<QString>("payload");
        const QString good = digestRecordPayload(sentByNodeOne({11}));
        QTest::newRow("empty") << QString();
        QTest::newRow("not JSON") << u"{"_s;
        for (const char *field : {"id", "key", "periodEnd", "nextDue", "count", "items", "frame"}) {
            QJsonObject o = QJsonDocument::fromJson(good.toUtf8()).object();
            o.remove(QLatin1StringView(field));
            QTest::newRow(field) << QString::fromUtf8(QJsonDocument(o).toJson());
        }
        QJsonObject negative = QJsonDocument::fromJson(good.toUtf8()).object();
        negative[u"items"_s] = QJsonArray{11, -12};
        QTest::newRow("negative id") << QString::fromUtf8(QJsonDocument(negative).toJson());
        QJsonObject text = QJsonDocument::fromJson(good.toUtf8()).object();
        text[u"items"_s] = QJsonArray{u"11"_s};
        QTest::newRow("id as text") << QString::fromUtf8(QJsonDocument(text).toJson());
    }
    void aPayloadThatDoesNotReadChangesNothing()
    {
        QFETCH(QString, payload);
        QVERIFY(!readDigestRecordPayload(payload, u"alice"_s, 1, 1, DueMs));
        RelayRecord r = digestRecord(sentByNodeOne({11}));
        r.payload = payload;
        STORE_VERIFY(m_store->applyRelayRecords({r}, 7)); // taken in, as a record
        QCOMPARE(DIGESTS(sentTo(u"alice"_s, 10)).size(), 0);
        QCOMPARE(DIGESTS(take(u"alice"_s, Key, 10)).count, 3);
    }

    void aRunWaitsForItsSendersTurn()
    {
        QCOMPARE(DIGESTS(due(2, DueMs + WaitMs - 1, 10, QString(), false)).size(), 0);
        const auto due = DIGESTS(due(2, DueMs + WaitMs, 10, QString(), false));
        QCOMPARE(due.size(), 1);
        QCOMPARE(due[0].dueMs, DueMs);
        // More nodes known now: a longer wait.
        STORE_VERIFY(m_store->digests(
            [&](DigestQueries &q) { return q.postpone(due[0], DueMs + 2 * WaitMs); }));
        QCOMPARE(DIGESTS(due(2, DueMs + WaitMs, 10, QString(), false)).size(), 0);
        QCOMPARE(DIGESTS(nextDue(2)), std::optional<qint64>(DueMs + 2 * WaitMs));
        QVERIFY(DIGESTS(claim(due[0], NextMs, NextMs + WaitMs)));
        QCOMPARE(DIGESTS(nextDue(2)), std::optional<qint64>(NextMs + WaitMs));
        QVERIFY(!DIGESTS(claim(due[0], NextMs, NextMs + WaitMs))); // moved on already
    }
};

QTEST_GUILESS_MAIN(TestDigestRelay)
#include "tst_digestrelay.moc"
