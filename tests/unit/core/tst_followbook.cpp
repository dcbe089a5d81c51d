// SPDX-License-Identifier: Apache-2.0
// FollowBook: before its load it drops nothing; once loaded it takes out the digest items and
// mails of users who follow neither the channel nor the whole application, and keeps endpoint
// jobs; what is added, replaced and forgotten counts from then on.
#include "core/followbook.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {
DigestItem itemFor(const QString &user, const QString &channel)
{
    DigestItem item;
    item.user = user;
    item.application = u"ci"_s;
    item.channel = channel;
    return item;
}

UserDelivery mailFor(const QString &user, const QString &channel)
{
    UserDelivery delivery;
    delivery.user = user;
    delivery.application = u"ci"_s;
    delivery.channel = channel;
    return delivery;
}

DeferredWork workFor(const QStringList &users, const QString &channel)
{
    DeferredWork work;
    for (const QString &user : users) {
        work.digestItems.append(itemFor(user, channel));
        work.userDeliveries.append(mailFor(user, channel));
    }
    work.jobs.append(DeliveryJob{});
    return work;
}

QStringList usersOf(const DeferredWork &work)
{
    QStringList users;
    for (const DigestItem &item : work.digestItems)
        users.append(item.user);
    QStringList mailed;
    for (const UserDelivery &delivery : work.userDeliveries)
        mailed.append(delivery.user);
    return users == mailed ? users : QStringList{u"items and mails differ"_s};
}
} // namespace

class TestFollowBook : public QObject
{
    Q_OBJECT

private slots:
    void dropsNothingBeforeItsLoad()
    {
        FollowBook book;
        book.add(u"alice"_s, {{u"ci"_s, {u"prod"_s}}}); // known, but not the rest yet
        DeferredWork work = workFor({u"alice"_s, u"bob"_s}, u"misc"_s);
        book.dropNonFollowers(work);
        QCOMPARE(usersOf(work), (QStringList{u"alice"_s, u"bob"_s}));
        QVERIFY(book.mayFollow(u"bob"_s, u"ci"_s, u"misc"_s));
    }

    void keepsFollowersOfTheChannelOrTheWholeApplication()
    {
        FollowBook book;
        book.load({{u"alice"_s, u"ci"_s, u"prod"_s, 1},
                   {u"bob"_s, u"ci"_s, QString(), 2},
                   {u"carol"_s, u"other"_s, QString(), 3},
                   {u"dave"_s, u"ci"_s, u"misc"_s, 4}});
        DeferredWork work =
            workFor({u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s, u"erin"_s}, u"prod"_s);
        book.dropNonFollowers(work);
        QCOMPARE(usersOf(work), (QStringList{u"alice"_s, u"bob"_s}));
        QCOMPARE(work.jobs.size(), 1); // an endpoint's, not a user's
    }

    void addedReplacedAndForgottenFollowsCount()
    {
        FollowBook book;
        book.load({});
        QVERIFY(!book.mayFollow(u"alice"_s, u"ci"_s, u"prod"_s));
        book.add({{u"alice"_s, u"ci"_s, u"prod"_s, 10}}); // another node's, polled
        QVERIFY(book.mayFollow(u"alice"_s, u"ci"_s, u"prod"_s));
        book.add(u"alice"_s, {{u"ops"_s, {}}}); // a register of the whole application
        QVERIFY(book.mayFollow(u"alice"_s, u"ops"_s, u"anything"_s));
        book.replace(u"alice"_s, {{u"ci"_s, {u"misc"_s}}});
        QVERIFY(!book.mayFollow(u"alice"_s, u"ci"_s, u"prod"_s));
        QVERIFY(!book.mayFollow(u"alice"_s, u"ops"_s, u"anything"_s));
        QVERIFY(book.mayFollow(u"alice"_s, u"ci"_s, u"misc"_s));
        book.forget(u"alice"_s);
        QVERIFY(!book.mayFollow(u"alice"_s, u"ci"_s, u"misc"_s));
    }

    void followsAddedBeforeTheLoadStay()
    {
        FollowBook book;
        book.add(u"alice"_s, {{u"ci"_s, {u"prod"_s}}}); // committed while the load was read
        book.load({{u"bob"_s, u"ci"_s, u"prod"_s, 1}});
        QVERIFY(book.mayFollow(u"alice"_s, u"ci"_s, u"prod"_s));
        QVERIFY(book.mayFollow(u"bob"_s, u"ci"_s, u"prod"_s));
    }
};

QTEST_GUILESS_MAIN(TestFollowBook)
#include "tst_followbook.moc"
