// SPDX-License-Identifier: Apache-2.0
// FollowRecorder on a real store thread (SQLite): registers are recorded together, a user whose
// follows grew gets a fresh unseen count (the new channel's history), one whose follows did not
// grow costs no recount.
#include "config/config.h"
#include "core/followbook.h"
#include "core/followrecorder.h"
#include "core/preferencebook.h"
#include "core/unseentracker.h"
#include "fakes.h"
#include "followbookprobe.h"
#include "storethreadfixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;
using herald::syncd::testing::FakeFanOut;
using herald::syncd::testing::StoreThreadFixture;

class TestFollowRecorder : public StoreThreadFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(startStore());
        // Two stored notifications in ops/alerts, so that following it makes them unseen.
        QList<Notification> stored;
        for (NotificationId id : {NotificationId(1) << 22, NotificationId(2) << 22}) {
            Notification n;
            n.id = id;
            n.application = u"ops"_s;
            n.channel = u"alerts"_s;
            n.title = u"stored"_s;
            n.time = QDateTime::currentDateTimeUtc();
            stored.append(n);
        }
        QVERIFY(runOnStore<bool>([stored](SqlStore &store) mutable -> Result<bool> {
            Application app;
            app.name = u"ops"_s;
            if (auto made = store.upsertApplication(app); !made)
                return tl::unexpected(made.error());
            if (auto made = store.upsertChannel(Channel{0, u"ops"_s, u"alerts"_s, {}, {}}); !made)
                return tl::unexpected(made.error());
            if (auto done = store.insertNotifications(stored); !done)
                return tl::unexpected(done.error());
            return true;
        }));
    }
    void cleanup() { stopStore(); }

    void registersAreRecordedAndAGrowingUserIsRecounted()
    {
        FakeFanOut sessions;
        sessions.connectedUsers = {u"alice"_s, u"bob"_s};
        Config config;
        PreferenceBook preferences;
        UnseenTracker unseen(config, *m_store, sessions, preferences);
        FollowBook book;
        book.load({});
        FollowRecorder recorder(*m_store, unseen, book);
        const QList<Subscription> alerts{{u"ops"_s, {u"alerts"_s}}};
        recorder.record(u"alice"_s, alerts);
        recorder.record(u"alice"_s, alerts); // a second session of hers: one follow
        recorder.record(u"bob"_s, {{u"ops"_s, {}}});
        QTRY_COMPARE_WITH_TIMEOUT(sessions.unseenCounts.size(), 2, 5000);
        QVERIFY(sessions.unseenCounts.contains({u"alice"_s, qint64(2)}));
        QVERIFY(sessions.unseenCounts.contains({u"bob"_s, qint64(2)}));
        QCOMPARE(follows(u"alice"_s), alerts);
        QCOMPARE(follows(u"bob"_s), (QList<Subscription>{{u"ops"_s, {}}}));
        // The book has them once committed, with every follow's time read back.
        QVERIFY(mayFollow(book, u"alice"_s, u"ops"_s, u"alerts"_s));
        QVERIFY(!mayFollow(book, u"alice"_s, u"ops"_s, u"other"_s));
        QVERIFY(mayFollow(book, u"bob"_s, u"ops"_s, u"other"_s));
        const auto since = followsSince(1);
        QCOMPARE(since.size(), 2);
        for (const FollowRow &row : since)
            QVERIFY(qAbs(row.sinceMs - QDateTime::currentMSecsSinceEpoch()) < 60'000);
        QVERIFY(followsSince(QDateTime::currentMSecsSinceEpoch() + 60'000).isEmpty());

        // Registering what she follows already changes nothing: no recount is asked for.
        recorder.record(u"alice"_s, alerts);
        QTest::qWait(FollowRecorder::FlushMs + UnseenTracker::DebounceMs + 200);
        QCOMPARE(sessions.unseenCounts.size(), 2);
    }

private:
    QList<FollowRow> followsSince(qint64 ms)
    {
        QList<FollowRow> result;
        runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
            auto got = store.inbox([&](InboxQueries &inbox) { return inbox.followsSince(ms); });
            if (!got)
                return tl::unexpected(got.error());
            result = *got;
            return true;
        });
        return result;
    }

    QList<Subscription> follows(const QString &user)
    {
        QList<Subscription> result;
        runOnStore<bool>([&](SqlStore &store) -> Result<bool> {
            auto got = store.inbox([&](InboxQueries &inbox) { return inbox.follows(user); });
            if (!got)
                return tl::unexpected(got.error());
            result = *got;
            return true;
        });
        return result;
    }
};

QTEST_GUILESS_MAIN(TestFollowRecorder)
#include "tst_followrecorder.moc"
