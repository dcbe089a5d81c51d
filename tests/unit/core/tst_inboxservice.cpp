// SPDX-License-Identifier: Apache-2.0
// InboxService on a real store thread (SQLite): what a delete of an id outside the user's
// inbox leaves behind. A recent id may be on its way from another node and is kept; an old
// one or one from the future is not, so that made-up ids cannot pile up as stored deletes.
#include "config/config.h"
#include "core/inboxservice.h"
#include "core/preferencebook.h"
#include "core/unseentracker.h"
#include "fakes.h"
#include "model/idgenerator.h"
#include "storethreadfixture.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using herald::syncd::testing::FakeFanOut;
using herald::syncd::testing::StoreThreadFixture;

class TestInboxService : public StoreThreadFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(startStore()); }
    void cleanup() { stopStore(); }

    void deletesOutsideTheInboxAreKeptOnlyForRecentIds_data()
    {
        QTest::addColumn<qint64>("ageMs");
        QTest::addColumn<bool>("kept");
        QTest::newRow("a second old") << qint64(1000) << true;
        QTest::newRow("nine minutes old") << qint64(9 * 60'000) << true;
        QTest::newRow("an hour old") << qint64(3'600'000) << false;
        QTest::newRow("a day from now") << qint64(-86'400'000) << false;
    }

    void deletesOutsideTheInboxAreKeptOnlyForRecentIds()
    {
        QFETCH(qint64, ageMs);
        QFETCH(bool, kept);
        FakeFanOut sessions;
        Config config;
        PreferenceBook preferences;
        UnseenTracker unseen(config, *m_store, sessions, preferences);
        FollowBook follows;
        InboxService inbox({config, *m_store, sessions, unseen, preferences, follows});
        const NotificationId id =
            IdGenerator::firstIdAt(QDateTime::currentDateTimeUtc().addMSecs(-ageMs));

        bool answered = false;
        inbox.hide(u"alice"_s, id, this, [&](Result<void> done) { answered = bool(done); });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 5000);
        QVERIFY(sessions.hides.isEmpty()); // never in her inbox: nobody is told

        // Deleting it again straight in the store says whether the service stored it.
        std::optional<bool> newAgain;
        m_store->submit<bool>([&](SqlStore &store) { return store.hideInInbox(u"alice"_s, id); },
                              this,
                              [&](Result<bool> again) {
                                  if (again)
                                      newAgain = *again;
                              });
        QTRY_VERIFY_WITH_TIMEOUT(newAgain.has_value(), 5000);
        QCOMPARE(!*newAgain, kept);
    }
};

QTEST_GUILESS_MAIN(TestInboxService)
#include "tst_inboxservice.moc"
