// SPDX-License-Identifier: Apache-2.0
#include "ws/sessionindex.h"

#include <QTest>

using namespace herald::syncd;

namespace {
QSet<QString> keys(std::initializer_list<const char *> names)
{
    QSet<QString> set;
    for (const char *name : names)
        set.insert(QString::fromLatin1(name));
    return set;
}

QSet<ClientSession *> sessions(std::initializer_list<std::shared_ptr<ClientSession>> list)
{
    QSet<ClientSession *> set;
    for (const auto &session : list)
        set.insert(session.get());
    return set;
}

// The index's list as a set, after checking that it names no session twice.
QSet<ClientSession *> asSet(const SessionIndex::Sessions &list)
{
    const QSet<ClientSession *> set(list.begin(), list.end());
    if (set.size() != list.size())
        qWarning("a session is listed twice");
    return set.size() == list.size() ? set : QSet<ClientSession *>{};
}
} // namespace

// One worker's index and the interests it keeps its bit in.
struct OneWorker
{
    WorkerInterest channels;
    WorkerInterest users;
    SessionIndex index{channels, users, 0};

    bool followsChannel(const QString &key) const { return channels.workersFor(key) != 0; }
    bool hasUser(const QString &user) const { return users.workersFor(user) != 0; }
};

class TestSessionIndex : public QObject
{
    Q_OBJECT

private slots:
    void findsCreatedSessionsById()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto a = index.create();
        auto b = index.create();
        QVERIFY(a->id != b->id);
        QCOMPARE(a->stage, ClientSession::Stage::AwaitingRegister);
        QCOMPARE(index.size(), 2);
        QCOMPARE(index.find(a->id), a);
        QCOMPARE(index.find(b->id), b);
        QVERIFY(!index.find(b->id + 1000));
    }

    void removedSessionsAreGone()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto a = index.create();
        QCOMPARE(index.remove(a->id), a);
        QVERIFY(!index.find(a->id));
        QCOMPARE(index.size(), 0);
        QVERIFY(!index.remove(a->id));
    }

    void idsAreNotReused()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        const quint64 first = index.create()->id;
        index.remove(first);
        QVERIFY(index.create()->id != first);
    }

    void looksUpFollowersOfAChannel()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto a = index.create();
        auto b = index.create();
        auto c = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts"}));
        index.follow(*b, QStringLiteral("bob"), keys({"app/alerts", "app/news"}));
        index.follow(*c, QStringLiteral("cid"), keys({"app/news"}));
        QCOMPARE(asSet(index.subscribers(QStringLiteral("app/alerts"))), sessions({a, b}));
        QCOMPARE(asSet(index.subscribers(QStringLiteral("app/news"))), sessions({b, c}));
        QVERIFY(index.subscribers(QStringLiteral("app/other")).isEmpty());
    }

    void looksUpSessionsOfAUser()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto laptop = index.create();
        auto phone = index.create();
        auto other = index.create();
        index.follow(*laptop, QStringLiteral("ann"), keys({"app/alerts"}));
        index.follow(*phone, QStringLiteral("ann"), {});
        index.follow(*other, QStringLiteral("bob"), keys({"app/alerts"}));
        QCOMPARE(asSet(index.sessionsOf(QStringLiteral("ann"))), sessions({laptop, phone}));
        QCOMPARE(asSet(index.sessionsOf(QStringLiteral("bob"))), sessions({other}));
        QVERIFY(index.sessionsOf(QStringLiteral("cid")).isEmpty());
    }

    void followRecordsUserAndChannelsInTheSession()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto a = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts", "app/news"}));
        QCOMPARE(a->user, QStringLiteral("ann"));
        QCOMPARE(a->channelKeys, keys({"app/alerts", "app/news"}));
    }

    void firstFollowerAddsChannelInterestLastOneRemovesIt()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        const QString alerts = QStringLiteral("app/alerts");
        QVERIFY(!worker.followsChannel(alerts));
        auto a = index.create();
        auto b = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts"}));
        QVERIFY(worker.followsChannel(alerts));
        index.follow(*b, QStringLiteral("bob"), keys({"app/alerts"}));
        index.unfollow(*a);
        QVERIFY(worker.followsChannel(alerts)); // b still follows it
        index.remove(b->id);
        QVERIFY(!worker.followsChannel(alerts));
        QVERIFY(index.subscribers(alerts).isEmpty());
    }

    void firstSessionAddsUserInterestLastOneRemovesIt()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        const QString ann = QStringLiteral("ann");
        auto laptop = index.create();
        auto phone = index.create();
        QVERIFY(!worker.hasUser(ann));
        index.follow(*laptop, ann, {});
        QVERIFY(worker.hasUser(ann));
        index.follow(*phone, ann, {});
        index.remove(laptop->id);
        QVERIFY(worker.hasUser(ann));
        index.unfollow(*phone);
        QVERIFY(!worker.hasUser(ann));
        QVERIFY(index.sessionsOf(ann).isEmpty());
    }

    void workersShareOneInterestEachWithItsOwnBit()
    {
        // The Hub's one lookup names every worker with a follower; a worker's last follower
        // leaving takes only that worker's bit.
        WorkerInterest channels;
        WorkerInterest users;
        SessionIndex first(channels, users, 0);
        SessionIndex last(channels, users, WorkerInterest::MaxWorkers - 1);
        const QString alerts = QStringLiteral("app/alerts");
        const WorkerInterest::Workers lastBit = WorkerInterest::bit(WorkerInterest::MaxWorkers - 1);
        const WorkerInterest::Workers both = WorkerInterest::bit(0) | lastBit;
        auto a = first.create();
        auto b = last.create();
        first.follow(*a, QStringLiteral("ann"), keys({"app/alerts"}));
        QCOMPARE(channels.workersFor(alerts), WorkerInterest::bit(0));
        last.follow(*b, QStringLiteral("ann"), keys({"app/alerts"}));
        QCOMPARE(channels.workersFor(alerts), both);
        QCOMPARE(users.workersFor(QStringLiteral("ann")), both);
        QCOMPARE(channels.workersFor(QStringLiteral("app/news")), WorkerInterest::Workers(0));

        first.remove(a->id);
        QCOMPARE(channels.workersFor(alerts), lastBit);
        QVERIFY((channels.workersFor(alerts) & WorkerInterest::bit(0)) == 0);
        QVERIFY((channels.workersFor(alerts) & lastBit) != 0);
        QVERIFY((users.workersFor(QStringLiteral("ann")) & lastBit) != 0);
        last.unfollow(*b);
        QCOMPARE(channels.workersFor(alerts), WorkerInterest::Workers(0));
        QCOMPARE(users.workersFor(QStringLiteral("ann")), WorkerInterest::Workers(0));
    }

    void unfollowLeavesEveryChannelOfTheSession()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto a = index.create();
        auto b = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts", "app/news", "ops/pager"}));
        index.follow(*b, QStringLiteral("bob"), keys({"app/news"}));
        index.unfollow(*a);
        QVERIFY(!worker.followsChannel(QStringLiteral("app/alerts")));
        QVERIFY(!worker.followsChannel(QStringLiteral("ops/pager")));
        QVERIFY(worker.followsChannel(QStringLiteral("app/news")));
        QCOMPARE(asSet(index.subscribers(QStringLiteral("app/news"))), sessions({b}));
        QVERIFY(a->channelKeys.isEmpty());
    }

    void unfollowedSessionStaysFindableById()
    {
        // A closing session is out of the lookups but still answers for its socket.
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto a = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts"}));
        index.unfollow(*a);
        QCOMPARE(index.find(a->id), a);
        QCOMPARE(index.size(), 1);
    }

    void unfollowIsHarmlessTwiceAndBeforeFollow()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto fresh = index.create();
        index.unfollow(*fresh);
        auto a = index.create();
        auto b = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts"}));
        index.follow(*b, QStringLiteral("ann"), keys({"app/alerts"}));
        index.unfollow(*a);
        index.unfollow(*a);
        index.remove(a->id);
        QVERIFY(worker.followsChannel(QStringLiteral("app/alerts")));
        QVERIFY(worker.hasUser(QStringLiteral("ann")));
        QCOMPARE(asSet(index.sessionsOf(QStringLiteral("ann"))), sessions({b}));
    }

    void listsAllSessions()
    {
        OneWorker worker;
        SessionIndex &index = worker.index;
        auto a = index.create();
        auto b = index.create();
        index.follow(*a, QStringLiteral("ann"), {});
        QCOMPARE(index.sessions().size(), 2);
        QCOMPARE(index.sessions().value(b->id), b);
    }
};

QTEST_GUILESS_MAIN(TestSessionIndex)
#include "tst_sessionindex.moc"
