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

class TestSessionIndex : public QObject
{
    Q_OBJECT

private slots:
    void findsCreatedSessionsById()
    {
        SessionIndex index;
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
        SessionIndex index;
        auto a = index.create();
        QCOMPARE(index.remove(a->id), a);
        QVERIFY(!index.find(a->id));
        QCOMPARE(index.size(), 0);
        QVERIFY(!index.remove(a->id));
    }

    void idsAreNotReused()
    {
        SessionIndex index;
        const quint64 first = index.create()->id;
        index.remove(first);
        QVERIFY(index.create()->id != first);
    }

    void looksUpFollowersOfAChannel()
    {
        SessionIndex index;
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
        SessionIndex index;
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
        SessionIndex index;
        auto a = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts", "app/news"}));
        QCOMPARE(a->user, QStringLiteral("ann"));
        QCOMPARE(a->channelKeys, keys({"app/alerts", "app/news"}));
    }

    void firstFollowerAddsChannelInterestLastOneRemovesIt()
    {
        SessionIndex index;
        const QString alerts = QStringLiteral("app/alerts");
        QVERIFY(!index.channelInterest().contains(alerts));
        auto a = index.create();
        auto b = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts"}));
        QVERIFY(index.channelInterest().contains(alerts));
        index.follow(*b, QStringLiteral("bob"), keys({"app/alerts"}));
        index.unfollow(*a);
        QVERIFY(index.channelInterest().contains(alerts)); // b still follows it
        index.remove(b->id);
        QVERIFY(!index.channelInterest().contains(alerts));
        QVERIFY(index.subscribers(alerts).isEmpty());
    }

    void firstSessionAddsUserInterestLastOneRemovesIt()
    {
        SessionIndex index;
        const QString ann = QStringLiteral("ann");
        auto laptop = index.create();
        auto phone = index.create();
        QVERIFY(!index.userInterest().contains(ann));
        index.follow(*laptop, ann, {});
        QVERIFY(index.userInterest().contains(ann));
        index.follow(*phone, ann, {});
        index.remove(laptop->id);
        QVERIFY(index.userInterest().contains(ann));
        index.unfollow(*phone);
        QVERIFY(!index.userInterest().contains(ann));
        QVERIFY(index.sessionsOf(ann).isEmpty());
    }

    void unfollowLeavesEveryChannelOfTheSession()
    {
        SessionIndex index;
        auto a = index.create();
        auto b = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts", "app/news", "ops/pager"}));
        index.follow(*b, QStringLiteral("bob"), keys({"app/news"}));
        index.unfollow(*a);
        QVERIFY(!index.channelInterest().contains(QStringLiteral("app/alerts")));
        QVERIFY(!index.channelInterest().contains(QStringLiteral("ops/pager")));
        QVERIFY(index.channelInterest().contains(QStringLiteral("app/news")));
        QCOMPARE(asSet(index.subscribers(QStringLiteral("app/news"))), sessions({b}));
        QVERIFY(a->channelKeys.isEmpty());
    }

    void unfollowedSessionStaysFindableById()
    {
        // A closing session is out of the lookups but still answers for its socket.
        SessionIndex index;
        auto a = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts"}));
        index.unfollow(*a);
        QCOMPARE(index.find(a->id), a);
        QCOMPARE(index.size(), 1);
    }

    void unfollowIsHarmlessTwiceAndBeforeFollow()
    {
        SessionIndex index;
        auto fresh = index.create();
        index.unfollow(*fresh);
        auto a = index.create();
        auto b = index.create();
        index.follow(*a, QStringLiteral("ann"), keys({"app/alerts"}));
        index.follow(*b, QStringLiteral("ann"), keys({"app/alerts"}));
        index.unfollow(*a);
        index.unfollow(*a);
        index.remove(a->id);
        QVERIFY(index.channelInterest().contains(QStringLiteral("app/alerts")));
        QVERIFY(index.userInterest().contains(QStringLiteral("ann")));
        QCOMPARE(asSet(index.sessionsOf(QStringLiteral("ann"))), sessions({b}));
    }

    void listsAllSessions()
    {
        SessionIndex index;
        auto a = index.create();
        auto b = index.create();
        index.follow(*a, QStringLiteral("ann"), {});
        QCOMPARE(index.sessions().size(), 2);
        QCOMPARE(index.sessions().value(b->id), b);
    }
};

QTEST_GUILESS_MAIN(TestSessionIndex)
#include "tst_sessionindex.moc"
