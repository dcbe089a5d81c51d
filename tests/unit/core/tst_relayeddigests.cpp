// SPDX-License-Identifier: Apache-2.0
// RelayedDigests on a real store: a notification that came from another node is queued for
// the users whose rule digests it and who follow its channel here, unless it is older than a
// period already sent to that user by more than the late margin (history that a catch-up
// brings: its digest went out then); a notification only just late is still queued.
#include "core/followbook.h"
#include "core/preferencebook.h"
#include "core/relayeddigests.h"
#include "model/timestamps.h"
#include "storethreadfixture.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

namespace {
constexpr qint64 LateMs = 60'000;
const QString Key = u"hourly|desktop"_s;

AcceptedRecord arrived(NotificationId id, qint64 madeMs)
{
    Notification n;
    n.id = id;
    n.application = u"app"_s;
    n.channel = u"alerts"_s;
    n.title = u"t"_s;
    n.time = QDateTime::fromMSecsSinceEpoch(madeMs, Qt::UTC);
    n.node = 1;
    AcceptedRecord a;
    a.record.origin = 1;
    a.record.seq = id;
    a.record.notificationId = id;
    a.effect = n;
    a.storedHere = true;
    return a;
}
} // namespace

class TestRelayedDigests : public StoreThreadFixture
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(startStore(2));
        m_preferences.set(u"alice"_s,
                          PreferenceBook::entryOf(u"alice"_s, QJsonDocument::fromJson(R"({"rules":[
                {"application":"app","delivery":"digest","digest":"hourly","agents":["desktop"]}]})")
                                                                  .object()));
        QVERIFY(runOnStore<bool>([](SqlStore &store) {
            return store.inbox([](InboxQueries &q) {
                return q.follow(u"alice"_s, {Subscription{u"app"_s, {u"alerts"_s}}});
            });
        }));
    }
    void cleanup() { stopStore(); }

    void itemsOfRelayedNotificationsAreQueued()
    {
        const qint64 now = utcNow().toMSecsSinceEpoch();
        QCOMPARE(queue({arrived(11, now), arrived(12, now - 1000)}), 2);
        AcceptedRecord notHere = arrived(13, now);
        notHere.storedHere = false; // another node of this database stored it
        QCOMPARE(queue({notHere}), 0);
    }

    void historyOlderThanASentPeriodIsNot()
    {
        const qint64 now = utcNow().toMSecsSinceEpoch();
        const qint64 periodEnd = now - 3600'000;
        QVERIFY(runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
            SentDigest sent;
            sent.id = u"3f1c2d4e-0000-5000-8000-000000000009"_s;
            sent.user = u"alice"_s;
            sent.key = Key;
            sent.periodEndMs = periodEnd;
            sent.frame = "{}";
            sent.node = 1;
            auto recorded = store.digests([&](DigestQueries &q) { return q.record(sent); });
            if (!recorded)
                return tl::unexpected(recorded.error());
            return true;
        }));
        // Long before that period ended; just late for it; after it.
        QCOMPARE(queue({arrived(21, periodEnd - LateMs - 1), arrived(22, periodEnd - LateMs + 1000),
                        arrived(23, periodEnd + 1000)}),
                 2);
    }

private:
    // Queues the records' items; how many the store holds for alice afterwards.
    int queue(const QList<AcceptedRecord> &accepted)
    {
        int held = -1;
        RelayedDigests digests(m_preferences, m_follows, 2, LateMs);
        const bool ok = runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
            if (auto queued = digests.queue(store, accepted); !queued)
                return tl::unexpected(queued.error());
            auto items =
                store.digests([](DigestQueries &q) { return q.take(u"alice"_s, Key, 100); });
            if (!items)
                return tl::unexpected(items.error());
            held = int(items->count);
            return true;
        });
        return ok ? held : -1;
    }

    PreferenceBook m_preferences;
    FollowBook m_follows; // not loaded: the store's follows decide
};

QTEST_GUILESS_MAIN(TestRelayedDigests)
#include "tst_relayeddigests.moc"
