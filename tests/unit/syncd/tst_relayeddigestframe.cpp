// SPDX-License-Identifier: Apache-2.0
// relayedDigestFrame: a digest record from another node shows this node's sessions the frame
// only while the digest is fresh and when it went to the desktop agent; a record caught up
// after a downtime, one for the email agent only and one that does not read show nothing.
#include "relay/relayeddigestframe.h"
#include "store/digestrecord.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {
constexpr qint64 SentMs = 1'800'000'000'000;

RelayRecord record(const QString &key, const QByteArray &frame)
{
    SentDigest d;
    d.id = u"3f1c2d4e-0000-5000-8000-000000000001"_s;
    d.user = u"alice"_s;
    d.key = key;
    d.periodEndMs = SentMs;
    d.nextDueMs = SentMs + 3600'000;
    d.count = 2;
    d.frame = frame;
    d.itemIds = {11, 12};
    RelayRecord r;
    r.origin = 1;
    r.seq = 4;
    r.kind = RelayRecord::Kind::Digest;
    r.user = d.user;
    r.timeMs = SentMs;
    r.payload = digestRecordPayload(d);
    return r;
}

const QByteArray Frame = R"({"type":"digest","data":{"id":"3f1c2d4e-0000-5000-8000-000000000001",)"
                         R"("period":"hourly","periodEnd":"2027-01-15T08:00:00.000Z","count":2,)"
                         R"("channels":1,"items":[]}})";
} // namespace

class TestRelayedDigestFrame : public QObject
{
    Q_OBJECT

private slots:
    void aFreshDesktopDigestIsShown()
    {
        const auto frame =
            relayedDigestFrame(record(u"hourly|desktop,email"_s, Frame), SentMs + 1000);
        QVERIFY(frame);
        QCOMPARE(frame->id, u"3f1c2d4e-0000-5000-8000-000000000001"_s);
        QCOMPARE(frame->count, 2);
    }

    void anOldOneIsNot()
    {
        QVERIFY(relayedDigestFrame(record(u"hourly|desktop"_s, Frame), SentMs + FreshDigestMs - 1));
        QVERIFY(
            !relayedDigestFrame(record(u"hourly|desktop"_s, Frame), SentMs + FreshDigestMs + 1));
    }

    void oneWithoutTheDesktopAgentIsNot()
    {
        QVERIFY(!relayedDigestFrame(record(u"hourly|email"_s, Frame), SentMs));
        QVERIFY(!relayedDigestFrame(record(u"hourly|"_s, Frame), SentMs));
    }

    void oneThatDoesNotReadIsNot()
    {
        RelayRecord r = record(u"hourly|desktop"_s, Frame);
        r.payload = u"{}"_s;
        QVERIFY(!relayedDigestFrame(r, SentMs));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"does not read as one"_s));
        QVERIFY(
            !relayedDigestFrame(record(u"hourly|desktop"_s, R"({"type":"notification"})"), SentMs));
    }
};

QTEST_GUILESS_MAIN(TestRelayedDigestFrame)
#include "tst_relayeddigestframe.moc"
