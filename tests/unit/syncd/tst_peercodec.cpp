// SPDX-License-Identifier: Apache-2.0
// The peer relay's frames (PROTOCOL.md, "Peer relay"): each kind reads back as written (drops,
// preferences records), and malformed frames are refused naming the field.
#include "relay/peermessages.h"

#include <QTest>

using namespace herald;
using namespace herald::syncd;
using namespace Qt::StringLiterals;

class TestPeerCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropReadsBackAsWritten()
    {
        const PeerDrop drop{(qint64(1) << 53) - 1, u"alice"_s};
        const QByteArray frame = PeerCodec::encode(drop);
        QCOMPARE(frame, QByteArray(R"({"id":9007199254740991,"type":"drop","user":"alice"})"));
        auto decoded = PeerCodec::decode(frame);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        auto *read = std::get_if<PeerDrop>(&*decoded);
        QVERIFY(read);
        QCOMPARE(read->id, drop.id);
        QCOMPARE(read->user, drop.user);
    }

    void preferencesRecordsReadBackAsWritten()
    {
        RelayRecord record{2,
                           7,
                           RelayRecord::Kind::Preferences,
                           0,
                           u"alice"_s,
                           1234,
                           std::nullopt,
                           uR"({"rules":[],"timezone":"UTC"})"_s};
        const QByteArray frame = PeerCodec::encode(PeerRecords{{record}});
        auto decoded = PeerCodec::decode(frame);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        auto *read = std::get_if<PeerRecords>(&*decoded);
        QVERIFY(read);
        QCOMPARE(read->records.size(), 1);
        const RelayRecord &back = read->records.first();
        QCOMPARE(back.kind, RelayRecord::Kind::Preferences);
        QCOMPARE(back.user, u"alice"_s);
        QCOMPARE(back.timeMs, 1234);
        QCOMPARE(back.payload, record.payload);
        // About a user, not a notification: an id, or no user, is refused.
        for (const QByteArray &bad :
             {QByteArray(R"({"type":"records","records":[{"origin":2,"seq":7,"kind":)"
                         R"("preferences","id":5,"time":1,"user":"alice"}]})"),
              QByteArray(R"({"type":"records","records":[{"origin":2,"seq":7,"kind":)"
                         R"("preferences","id":0,"time":1}]})")}) {
            auto refused = PeerCodec::decode(bad);
            QVERIFY2(!refused, bad.constData());
        }
    }

    void badDropIsRefusedNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("field");
        QTest::newRow("no id") << QByteArray(R"({"type":"drop","user":"alice"})") << u"id"_s;
        QTest::newRow("id 0") << QByteArray(R"({"type":"drop","id":0,"user":"alice"})") << u"id"_s;
        QTest::newRow("id above 2^53-1")
            << QByteArray(R"({"type":"drop","id":9007199254740993,"user":"alice"})") << u"id"_s;
        QTest::newRow("no user") << QByteArray(R"({"type":"drop","id":5})") << u"user"_s;
        QTest::newRow("user not a string")
            << QByteArray(R"({"type":"drop","id":5,"user":7})") << u"user"_s;
    }
    void badDropIsRefusedNamingTheField()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, field);
        auto decoded = PeerCodec::decode(frame);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, ErrorCode::BadRequest);
        QVERIFY2(decoded.error().message.startsWith(field + u':'),
                 qPrintable(decoded.error().message));
    }
};

QTEST_GUILESS_MAIN(TestPeerCodec)
#include "tst_peercodec.moc"
