// SPDX-License-Identifier: Apache-2.0
// Each user's inbox (InboxQueries through SqlStore::inbox): follows, the window and its cap,
// the seen cursor, the cleared floor, deletions, rollup rules, forget; the three changes
// SqlStore relays (seen, hidden, cleared) and a peer that takes them in.
#include "sqlstorefixture.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

const QString Alice = u"alice"_s;
const QString Bob = u"bob"_s;

// The inbox's "now": an hour after every notification of the tests was made.
const QDateTime Now = baseTime().addSecs(3600);

// One InboxQueries call on `store`, or on the test's store: its value, or just that it worked.
#define INBOX_OF(store, ...) MUST((store).inbox([&](InboxQueries &q) { return q.__VA_ARGS__; }))
#define INBOX(...) INBOX_OF(*m_store, __VA_ARGS__)
#define INBOX_OK_OF(store, ...)                                                                    \
    STORE_VERIFY((store).inbox([&](InboxQueries &q) { return q.__VA_ARGS__; }))
#define INBOX_OK(...) INBOX_OK_OF(*m_store, __VA_ARGS__)

QList<NotificationId> idsIn(const InboxWindow &window)
{
    QList<NotificationId> ids;
    for (const InboxEntry &entry : window.entries)
        ids.append(entry.notification.id);
    return ids;
}

// "seen/cleared: id[s][a] ...": s seen, a acknowledged.
QString describe(const InboxWindow &window)
{
    QStringList parts{u"%1/%2:"_s.arg(window.state.seenId).arg(window.state.clearedId)};
    for (const InboxEntry &entry : window.entries)
        parts.append(QString::number(entry.notification.id) + (entry.seen ? u"s"_s : QString()) +
                     (entry.acknowledged ? u"a"_s : QString()));
    return parts.join(u' ');
}

// The rows of `sql` on `store`'s database, each as its columns joined by spaces.
QStringList rowsOf(SqlStore &store, const QString &sql)
{
    QSqlQuery query(store.database());
    if (!query.exec(sql))
        return {u"error: "_s + query.lastError().text()};
    QStringList rows;
    while (query.next()) {
        QStringList columns;
        for (int i = 0; i < query.record().count(); ++i)
            columns.append(query.value(i).toString());
        rows.append(columns.join(u' '));
    }
    return rows;
}

const QString HiddenRows = u"SELECT * FROM inbox_hidden ORDER BY user_name, notification_id"_s;

} // namespace

class TestInboxQueries : public QObject, public SqlStoreFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { startBackend(); }
    void init() { openFreshStore(); }
    void cleanup() { closeStore(); }

    void followsAndFollowers();
    void windowHoldsFollowedAndAddressed();
    void capCountsDeletedOnesAndFloorPurges();
    void seenAcknowledgedAndDeletedArePerUser();
    void countsAgreeWithTheWindow();
    void rules();
    void forgetRemovesEverythingOfTheUser();
    void changesRelayToAnotherStore();
    void windowCostIsBoundedByTheCap();
    void manyFollowedChannels();

private:
    InboxWindow window(const QString &user, int cap = 100) { return INBOX(window(user, cap, Now)); }
    void follow(const QString &user, const QString &app, const QStringList &channels = {})
    {
        INBOX_OK(follow(user, {{app, channels}}));
    }
    // Notifications `ids` in `app`/`channel`, each for `recipients` (empty: everyone).
    void publish(const QList<NotificationId> &ids, const QString &app, const QString &channel,
                 const QStringList &recipients = {}, std::optional<QDateTime> expiresAt = {})
    {
        QList<Notification> batch;
        for (NotificationId id : ids) {
            batch.append(notification(id, app, channel, recipients));
            batch.last().expiresAt = expiresAt;
        }
        insert(batch);
    }
    void checkCountsAgree(const QString &user);
    std::unique_ptr<SqlStore> openPeer(const QString &name, int nodeId);

    QTemporaryDir m_peerDir;
    int m_peers = 0;
};

void TestInboxQueries::followsAndFollowers()
{
    follow(Alice, u"app"_s, {u"alerts"_s});
    follow(Alice, u"other"_s);
    // Again: no duplicate, and nothing new to tell (registers of a known session add none).
    QCOMPARE(INBOX(follow(Alice, {{u"app"_s, {u"alerts"_s}}})), false);
    QCOMPARE(INBOX(follow(Alice, {{u"app"_s, {u"alerts"_s, u"news"_s}}})), true);
    QCOMPARE(INBOX(follows(Alice)),
             (QList<Subscription>{{u"app"_s, {u"alerts"_s, u"news"_s}}, {u"other"_s, {}}}));
    // A follow of the whole application stands for every channel of it.
    follow(Bob, u"app"_s, {u"alerts"_s});
    follow(Bob, u"app"_s);
    QCOMPARE(INBOX(follows(Bob)), (QList<Subscription>{{u"app"_s, {}}}));

    auto followers = [&](const QString &app, const QString &channel) {
        QStringList users = INBOX(followersOf(app, channel));
        users.sort();
        return users;
    };
    QCOMPARE(followers(u"app"_s, u"alerts"_s), (QStringList{Alice, Bob}));
    QCOMPARE(followers(u"app"_s, u"news"_s), (QStringList{Alice, Bob}));
    QCOMPARE(followers(u"app"_s, u"later"_s), (QStringList{Bob}));
    QCOMPARE(followers(u"other"_s, u"alerts"_s), (QStringList{Alice}));
    QCOMPARE(followers(u"nothing"_s, u"alerts"_s), QStringList());

    INBOX_OK(replaceFollows(Alice, {{u"app"_s, {u"news"_s}}}));
    QCOMPARE(INBOX(follows(Alice)), (QList<Subscription>{{u"app"_s, {u"news"_s}}}));
    QCOMPARE(followers(u"app"_s, u"alerts"_s), (QStringList{Bob}));
    QCOMPARE(followers(u"other"_s, u"alerts"_s), QStringList());
    INBOX_OK(replaceFollows(Alice, {}));
    QCOMPARE(INBOX(follows(Alice)), QList<Subscription>());
    QCOMPARE(INBOX(follows(Bob)).size(), 1);

    // A follow names its channel: one made later is followed from then on.
    addCatalog();
    follow(Alice, u"app"_s, {u"later"_s});
    publish({1}, u"app"_s, u"alerts"_s);
    QCOMPARE(idsIn(window(Alice)), QList<NotificationId>());
    publish({2}, u"app"_s, u"later"_s); // made now, with its channel
    QCOMPARE(idsIn(window(Alice)), (QList<NotificationId>{2}));
    QCOMPARE(idsIn(window(Bob)), (QList<NotificationId>{2, 1}));
}

void TestInboxQueries::windowHoldsFollowedAndAddressed()
{
    addCatalog();
    follow(Alice, u"app"_s, {u"alerts"_s});
    publish({1}, u"app"_s, u"alerts"_s);                          // followed
    publish({2}, u"app"_s, u"news"_s);                            // not followed
    publish({3}, u"app"_s, u"news"_s, {Alice});                   // addressed
    publish({4}, u"app"_s, u"alerts"_s, {Bob});                   // followed, not visible to her
    publish({5}, u"app"_s, u"alerts"_s, {Alice, Bob});            // followed and addressed
    publish({6}, u"other"_s, u"alerts"_s, {Alice});               // addressed, other application
    publish({9}, u"other"_s, u"alerts"_s);                        // not followed
    publish({10}, u"app"_s, u"news"_s, {Bob});                    // neither
    publish({7}, u"app"_s, u"alerts"_s, {}, Now);                 // expired (at <= now)
    publish({8}, u"app"_s, u"alerts"_s, {}, Now.addSecs(1));      // not yet
    publish({11}, u"app"_s, u"news"_s, {Alice}, Now.addSecs(-1)); // addressed, expired

    const InboxWindow alice = window(Alice);
    QCOMPARE(describe(alice), u"0/0: 8 6 5 3 1"_s);
    for (const InboxEntry &entry : alice.entries) // each as stored
        QCOMPARE(entry.notification,
                 MUST(m_store->findNotification(entry.notification.id)).value_or(Notification()));
    QCOMPARE(INBOX(windowIds(Alice, 100, Now)), idsIn(alice));
    // Bob follows nothing: only what is addressed to him.
    QCOMPARE(idsIn(window(Bob)), (QList<NotificationId>{10, 5, 4}));
    // The cap keeps the newest.
    QCOMPARE(idsIn(window(Alice, 3)), (QList<NotificationId>{8, 6, 5}));
    QCOMPARE(idsIn(window(Alice, 1)), (QList<NotificationId>{8}));
}

void TestInboxQueries::capCountsDeletedOnesAndFloorPurges()
{
    addCatalog();
    follow(Alice, u"app"_s);
    for (NotificationId id = 1; id <= 10; ++id)
        publish({id}, u"app"_s, id % 2 ? u"alerts"_s : u"news"_s);
    QCOMPARE(idsIn(window(Alice, 4)), (QList<NotificationId>{10, 9, 8, 7}));

    QCOMPARE(INBOX(hide(Alice, 9)), true);
    QCOMPARE(INBOX(hide(Alice, 9)), false);
    QCOMPARE(INBOX(hide(Alice, 3)), true);
    // Deleting one of the newest does not bring an older one in.
    QCOMPARE(idsIn(window(Alice, 4)), (QList<NotificationId>{10, 8, 7}));
    QCOMPARE(INBOX(windowIds(Alice, 4, Now)), (QList<NotificationId>{10, 8, 7}));
    QCOMPARE(idsIn(window(Alice)), (QList<NotificationId>{10, 8, 7, 6, 5, 4, 2, 1}));

    // "Delete all" up to 8: the floor hides everything up to it and purges the deletions it
    // covers (3), not the ones above it (9).
    QCOMPARE(INBOX(advanceCleared(Alice, 8)), true);
    QCOMPARE(rowsOf(*m_store, HiddenRows), (QStringList{u"alice 9"_s}));
    QCOMPARE(describe(window(Alice)), u"0/8: 10"_s);
    // The floor only moves up.
    QCOMPARE(INBOX(advanceCleared(Alice, 8)), false);
    QCOMPARE(INBOX(advanceCleared(Alice, 5)), false);
    QCOMPARE(window(Alice).state.clearedId, NotificationId(8));
    // Deleting what the floor already took away changes nothing and leaves no row.
    QCOMPARE(INBOX(hide(Alice, 4)), false);
    QCOMPARE(rowsOf(*m_store, HiddenRows), (QStringList{u"alice 9"_s}));
    publish({11, 12}, u"app"_s, u"news"_s);
    QCOMPARE(idsIn(window(Alice)), (QList<NotificationId>{12, 11, 10}));
    QCOMPARE(INBOX(advanceCleared(Alice, 12)), true);
    QCOMPARE(rowsOf(*m_store, HiddenRows), QStringList());
    QCOMPARE(idsIn(window(Alice)), QList<NotificationId>());
}

void TestInboxQueries::seenAcknowledgedAndDeletedArePerUser()
{
    addCatalog();
    follow(Alice, u"app"_s, {u"alerts"_s});
    follow(Bob, u"app"_s, {u"alerts"_s});
    publish({1, 2, 3, 4, 5, 6}, u"app"_s, u"alerts"_s);
    QCOMPARE(INBOX(advanceSeen(Alice, 4)), true);
    QCOMPARE(INBOX(advanceSeen(Alice, 4)), false);
    QCOMPARE(INBOX(advanceSeen(Alice, 2)), false);
    STORE_VERIFY(m_store->acknowledge(Alice, {2, 5}, baseTime()));
    STORE_VERIFY(m_store->acknowledge(Bob, {6}, baseTime()));
    QCOMPARE(describe(window(Alice)), u"4/0: 6 5a 4s 3s 2sa 1s"_s);
    QCOMPARE(describe(window(Bob)), u"0/0: 6a 5 4 3 2 1"_s);
    QCOMPARE(INBOX(hide(Alice, 6)), true);
    QCOMPARE(INBOX(advanceCleared(Alice, 2)), true);
    QCOMPARE(describe(window(Alice)), u"4/2: 5a 4s 3s"_s);
    QCOMPARE(describe(window(Bob)), u"0/0: 6a 5 4 3 2 1"_s);
    QCOMPARE(describe(window(Bob, 2)), u"0/0: 6a 5"_s);
    // Bob may delete the same one for himself: it is not deleted for him yet.
    QVERIFY(INBOX(hide(Bob, 6)) && INBOX(hide(Bob, 1)));
    QCOMPARE(describe(window(Bob)), u"0/0: 5 4 3 2"_s);
    QCOMPARE(INBOX(advanceSeen(Alice, 100)), true);
    QCOMPARE(describe(window(Alice, 2)), u"100/2: 5sa"_s); // her deleted 6 counts in the cap
}

void TestInboxQueries::checkCountsAgree(const QString &user)
{
    for (int cap : {1, 2, 3, 5, 100}) {
        const InboxWindow w = window(user, cap);
        const auto unseen =
            std::count_if(w.entries.cbegin(), w.entries.cend(), [](const InboxEntry &e) {
                return !e.seen && !e.acknowledged; // read: seen
            });
        const auto unacknowledged =
            std::count_if(w.entries.cbegin(), w.entries.cend(),
                          [](const InboxEntry &e) { return !e.acknowledged; });
        const InboxCounts counts = INBOX(counts(user, cap, Now));
        const QString got = u"%1 %2 %3"_s.arg(INBOX(unseen(user, cap, Now)))
                                .arg(counts.unseen)
                                .arg(counts.unacknowledged);
        const QString where = u" (%1, cap %2: %3)"_s.arg(user).arg(cap).arg(describe(w));
        QCOMPARE(got + where, u"%1 %1 %2"_s.arg(unseen).arg(unacknowledged) + where);
    }
}

void TestInboxQueries::countsAgreeWithTheWindow()
{
    addCatalog();
    follow(Alice, u"app"_s, {u"alerts"_s});
    checkCountsAgree(Alice);
    publish({1, 2, 3, 4, 5, 6, 7}, u"app"_s, u"alerts"_s);
    publish({8}, u"app"_s, u"news"_s, {Alice});
    publish({9}, u"app"_s, u"alerts"_s, {Bob});
    checkCountsAgree(Alice);
    QCOMPARE(INBOX(unseen(Alice, 100, Now)), qint64(8));
    STORE_VERIFY(m_store->acknowledge(Alice, {2, 7, 8}, baseTime()));
    STORE_VERIFY(m_store->acknowledge(Bob, {6}, baseTime()));
    checkCountsAgree(Alice);
    INBOX_OK(advanceSeen(Alice, 5));
    checkCountsAgree(Alice);
    for (NotificationId id : {8, 6, 3})
        INBOX_OK(hide(Alice, id));
    checkCountsAgree(Alice);
    const InboxCounts counts = INBOX(counts(Alice, 100, Now));
    QCOMPARE(counts.unseen, qint64(0));         // 7 was read (8 and 6 deleted)
    QCOMPARE(counts.unacknowledged, qint64(3)); // 5, 4, 1
    INBOX_OK(advanceCleared(Alice, 2));
    checkCountsAgree(Alice);
    // A floor above the cursor: what it took away is not unseen.
    INBOX_OK(advanceCleared(Alice, 6));
    checkCountsAgree(Alice);
    QCOMPARE(INBOX(unseen(Alice, 100, Now)), qint64(0));
    checkCountsAgree(Bob);
}

void TestInboxQueries::rules()
{
    auto put = [&](const QString &user, const QString &name, const QString &json) {
        return INBOX(putRule(user, {name, json}));
    };
    auto names = [&](const QString &user) {
        QStringList texts;
        for (const StoredRule &r : INBOX(rules(user)))
            texts.append(r.name + u'=' + r.json);
        return texts;
    };
    QCOMPARE(names(Alice), QStringList());
    QCOMPARE(put(Alice, u"night"_s, u"{\"a\":1}"_s), true);
    QCOMPARE(put(Alice, u"backups"_s, u"{\"b\":2}"_s), true);
    QCOMPARE(put(Alice, u"night"_s, u"{\"a\":3}"_s), false); // replaced
    QCOMPARE(put(Bob, u"night"_s, u"{\"bob\":1}"_s), true);
    QCOMPARE(names(Alice), (QStringList{u"backups={\"b\":2}"_s, u"night={\"a\":3}"_s}));
    QCOMPARE(INBOX(rule(Alice, u"night"_s)).value_or(StoredRule()).json, u"{\"a\":3}"_s);
    QVERIFY(!INBOX(rule(Alice, u"none"_s)).has_value());
    QVERIFY(INBOX(deleteRule(Alice, u"night"_s)) && !INBOX(deleteRule(Alice, u"night"_s)));
    QCOMPARE(names(Alice), (QStringList{u"backups={\"b\":2}"_s}));
    QCOMPARE(names(Bob), (QStringList{u"night={\"bob\":1}"_s}));
}

void TestInboxQueries::forgetRemovesEverythingOfTheUser()
{
    addCatalog();
    publish({1, 2, 3}, u"app"_s, u"alerts"_s);
    publish({4}, u"app"_s, u"news"_s, {Alice});
    for (const QString &user : {Alice, Bob}) {
        follow(user, u"app"_s, {u"alerts"_s});
        INBOX_OK(advanceSeen(user, 3));
        INBOX_OK(advanceCleared(user, 1));
        INBOX_OK(hide(user, 2));
        INBOX_OK(putRule(user, {u"r"_s, u"{}"_s}));
    }
    INBOX_OK(forget(Alice));
    for (const QString &table :
         {u"inbox_follows"_s, u"inbox_state"_s, u"inbox_hidden"_s, u"inbox_rules"_s})
        QCOMPARE(rowsOf(*m_store, u"SELECT DISTINCT user_name FROM %1"_s.arg(table)),
                 (QStringList{Bob}));
    // Her inbox starts over: only what is addressed to her, nothing seen or deleted.
    QCOMPARE(describe(window(Alice)), u"0/0: 4"_s);
    QCOMPARE(describe(window(Bob)), u"3/1: 3s"_s);
}

// Another node's store, on a database of its own.
std::unique_ptr<SqlStore> TestInboxQueries::openPeer(const QString &name, int nodeId)
{
    QString database = m_peerDir.filePath(name + u".db"_s);
    if (herald::test::PostgresCluster *cluster = m_backend.cluster()) {
        database = cluster->createDatabase(u"%1_%2"_s.arg(name).arg(++m_peers)); // a new one
        if (database.isEmpty())
            qWarning().noquote() << "no peer database:" << cluster->errorString();
    }
    StoreOptions options;
    options.nodeId = nodeId;
    auto store = SqlStore::open(database, options);
    if (!store)
        qWarning().noquote() << "cannot open the peer:" << store.error().message;
    return store ? std::move(*store) : nullptr;
}

void TestInboxQueries::changesRelayToAnotherStore()
{
    StoreOptions options;
    options.nodeId = 1;
    openStore(options);
    auto peer = openPeer(u"herald_inbox_peer"_s, 2);
    QVERIFY(peer);
    addCatalog();
    publish({1, 2, 3, 4, 5, 6}, u"app"_s, u"alerts"_s);
    publish({7, 8}, u"app"_s, u"news"_s, {Alice});
    QList<RelayRecord> sunk; // what the relay is handed once each change commits
    m_store->setRelaySink([&](const QList<AcceptedRecord> &records) {
        for (const AcceptedRecord &accepted : records)
            sunk.append(accepted.record);
    });
    // Follows are each node's own (every register adds them), not relayed.
    auto followAlerts = [&](SqlStore &store) {
        for (const QString &user : {Alice, Bob})
            INBOX_OK_OF(store, follow(user, {{u"app"_s, {u"alerts"_s}}}));
    };
    followAlerts(*m_store);
    followAlerts(*peer);
    STORE_VERIFY(m_store->acknowledge(Alice, {5}, baseTime()));
    QCOMPARE(MUST(m_store->markInboxSeen(Alice, 5)), true);
    QCOMPARE(MUST(m_store->markInboxSeen(Alice, 3)), false); // no record
    QCOMPARE(MUST(m_store->hideInInbox(Alice, 7)), true);
    QCOMPARE(MUST(m_store->hideInInbox(Alice, 7)), false);
    QCOMPARE(MUST(m_store->clearInbox(Alice, 2)), true);
    QCOMPARE(MUST(m_store->clearInbox(Alice, 1)), false);
    QCOMPARE(MUST(m_store->hideInInbox(Bob, 6)), true);
    QCOMPARE(MUST(m_store->markInboxSeen(Bob, 4)), true);

    const QStringList expectedRecords{u"1/9 receipt alice 5"_s, u"1/10 seen alice 5"_s,
                                      u"1/11 hidden alice 7"_s, u"1/12 cleared alice 2"_s,
                                      u"1/13 hidden bob 6"_s,   u"1/14 seen bob 4"_s};
    auto texts = [](const QList<RelayRecord> &records) {
        QStringList result;
        for (const RelayRecord &r : records)
            result.append(u"%1/%2 %3 %4 %5"_s.arg(r.origin).arg(r.seq).arg(
                relayKindName(r.kind), r.user, QString::number(r.notificationId)));
        return result;
    };
    QCOMPARE(texts(sunk), expectedRecords);
    const QList<RelayRecord> all = MUST(m_store->relayRecordsAfter({}, 1000));
    QCOMPARE(texts(all.mid(8)), expectedRecords);

    STORE_VERIFY(peer->applyRelayRecords(all, 1));
    QCOMPARE(describe(window(Alice)), u"5/2: 8 6 5sa 4s 3s"_s);
    QCOMPARE(describe(window(Bob)), u"4/0: 5 4s 3s 2s 1s"_s);
    auto peerWindow = [&](SqlStore &store, const QString &user) {
        return describe(INBOX_OF(store, window(user, 100, Now)));
    };
    for (const QString &user : {Alice, Bob})
        QCOMPARE(peerWindow(*peer, user), describe(window(user)));

    // Changes on the peer come back; a third node gets the peer's changes before the ones
    // they follow: its floor comes before the deletion it covers (which must leave no row).
    QCOMPARE(MUST(peer->clearInbox(Alice, 7)), true);
    QCOMPARE(MUST(peer->clearInbox(Bob, 3)), true);
    QCOMPARE(MUST(peer->markInboxSeen(Alice, 6)), true);
    const QList<RelayRecord> fromPeer =
        MUST(peer->relayRecordsAfter(MUST(m_store->relayHave()), 1000));
    QCOMPARE(texts(fromPeer), (QStringList{u"2/1 cleared alice 7"_s, u"2/2 cleared bob 3"_s,
                                           u"2/3 seen alice 6"_s}));
    STORE_VERIFY(m_store->applyRelayRecords(fromPeer, 2));
    auto third = openPeer(u"herald_inbox_third"_s, 3);
    QVERIFY(third);
    followAlerts(*third);
    STORE_VERIFY(third->applyRelayRecords(fromPeer, 2));
    STORE_VERIFY(third->applyRelayRecords(all, 1));
    QCOMPARE(describe(window(Alice)), u"6/7: 8"_s);
    QCOMPARE(rowsOf(*m_store, HiddenRows), (QStringList{u"bob 6"_s}));
    QCOMPARE(describe(window(Bob)), u"4/3: 5 4s"_s);
    for (SqlStore *store : {peer.get(), third.get()}) {
        for (const QString &user : {Alice, Bob})
            QCOMPARE(peerWindow(*store, user), describe(window(user)));
        QCOMPARE(rowsOf(*store, HiddenRows), rowsOf(*m_store, HiddenRows));
    }
}

void TestInboxQueries::windowCostIsBoundedByTheCap()
{
    constexpr NotificationId Count = 20000;
    constexpr int Cap = 1000;
    addCatalog();
    follow(Alice, u"app"_s, {u"alerts"_s});
    for (NotificationId first = 1; first <= Count; first += 1000) {
        QList<Notification> batch;
        for (NotificationId id = first; id < first + 1000; ++id)
            batch.append(notification(id, u"app"_s, id % 7 ? u"alerts"_s : u"news"_s,
                                      id % 7 == 0 && id % 2 ? QStringList{Alice} : QStringList{}));
        insert(batch);
    }
    // Newest first: every id of "alerts" and every odd one of "news" (addressed to her).
    QList<NotificationId> expected;
    for (NotificationId id = Count; expected.size() < Cap; --id) {
        if (id % 7 || id % 2)
            expected.append(id);
    }
    InboxWindow full = window(Alice, Cap);
    QCOMPARE(full.entries.size(), qsizetype(Cap));
    QCOMPARE(idsIn(full), expected);
    for (const InboxEntry &entry : std::as_const(full.entries))
        QCOMPARE(entry.notification.title, u"Title %1"_s.arg(entry.notification.id));
    QCOMPARE(INBOX(unseen(Alice, Cap, Now)), qint64(Cap));
    INBOX_OK(hide(Alice, expected.at(1)));
    INBOX_OK(advanceSeen(Alice, expected.at(10)));
    expected.removeAt(1);
    QCOMPARE(idsIn(window(Alice, Cap)), expected);
    const InboxCounts counts = INBOX(counts(Alice, Cap, Now));
    QCOMPARE(counts.unseen, qint64(9));
    QCOMPARE(counts.unacknowledged, qint64(Cap - 1));
    QCOMPARE(INBOX(unseen(Alice, Cap, Now)), qint64(9));
}

// More followed channels than one statement reads (InboxQueries reads them in chunks): the
// chunks' rows merge into one window, newest first, under one cap.
void TestInboxQueries::manyFollowedChannels()
{
    constexpr int Channels = 230;
    STORE_VERIFY(m_store->upsertApplication(application(u"app"_s)));
    follow(Alice, u"app"_s);
    QList<Notification> batch;
    for (int c = 0; c < Channels; ++c) // the newest ones spread over every chunk of channels
        batch.append(notification(1 + (c * 7) % Channels, u"app"_s, u"c%1"_s.arg(c)));
    insert(batch);
    QList<NotificationId> expected;
    for (NotificationId id = Channels; id >= 1; --id)
        expected.append(id);
    QCOMPARE(idsIn(window(Alice, 1000)), expected);
    QCOMPARE(idsIn(window(Alice, 7)), expected.mid(0, 7));
    checkCountsAgree(Alice);
}

QTEST_GUILESS_MAIN(TestInboxQueries)
#include "tst_inboxqueries.moc"
