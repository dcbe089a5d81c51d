// SPDX-License-Identifier: Apache-2.0
// FollowBook: before its load any user may follow anything; once loaded only those who follow
// the channel or the whole application do; what is added, replaced and forgotten counts from
// then on. A channel's followers agree with a model of the follows, through any mix of changes.
#include "followbookprobe.h"

#include "core/followbook.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::testing;

class TestFollowBook : public QObject
{
    Q_OBJECT

private slots:
    void knowsNothingBeforeItsLoad()
    {
        FollowBook book;
        book.add(u"alice"_s, {{u"ci"_s, {u"prod"_s}}}); // known, but not the rest yet
        QVERIFY(mayFollow(book, u"alice"_s, u"ci"_s, u"misc"_s));
        QVERIFY(mayFollow(book, u"bob"_s, u"ci"_s, u"misc"_s));
    }

    void followersOfTheChannelOrTheWholeApplication()
    {
        FollowBook book;
        book.load({{u"alice"_s, u"ci"_s, u"prod"_s, 1},
                   {u"bob"_s, u"ci"_s, QString(), 2},
                   {u"carol"_s, u"other"_s, QString(), 3},
                   {u"dave"_s, u"ci"_s, u"misc"_s, 4},
                   {u"dave"_s, u"ci"_s, u"misc"_s, 5}}); // twice: still one follow
        QStringList followers;
        for (const QString &user : {u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s, u"erin"_s}) {
            if (mayFollow(book, user, u"ci"_s, u"prod"_s))
                followers.append(user);
        }
        QCOMPARE(followers, (QStringList{u"alice"_s, u"bob"_s}));
    }

    void addedReplacedAndForgottenFollowsCount()
    {
        FollowBook book;
        book.load({});
        QVERIFY(!mayFollow(book, u"alice"_s, u"ci"_s, u"prod"_s));
        book.add({{u"alice"_s, u"ci"_s, u"prod"_s, 10}}); // another node's, polled
        QVERIFY(mayFollow(book, u"alice"_s, u"ci"_s, u"prod"_s));
        book.add(u"alice"_s, {{u"ops"_s, {}}}); // a register of the whole application
        QVERIFY(mayFollow(book, u"alice"_s, u"ops"_s, u"anything"_s));
        book.replace(u"alice"_s, {{u"ci"_s, {u"misc"_s}}});
        QVERIFY(!mayFollow(book, u"alice"_s, u"ci"_s, u"prod"_s));
        QVERIFY(!mayFollow(book, u"alice"_s, u"ops"_s, u"anything"_s));
        QVERIFY(mayFollow(book, u"alice"_s, u"ci"_s, u"misc"_s));
        book.forget(u"alice"_s);
        QVERIFY(!mayFollow(book, u"alice"_s, u"ci"_s, u"misc"_s));
    }

    void followsAddedBeforeTheLoadStay()
    {
        FollowBook book;
        book.add(u"alice"_s, {{u"ci"_s, {u"prod"_s}}}); // committed while the load was read
        book.load({{u"bob"_s, u"ci"_s, u"prod"_s, 1}});
        QVERIFY(mayFollow(book, u"alice"_s, u"ci"_s, u"prod"_s));
        QVERIFY(mayFollow(book, u"bob"_s, u"ci"_s, u"prod"_s));
    }

    // The follows are kept sorted for binary search: whatever order they come in, every one is
    // found once, a channel sorting between two followed ones is not, and a whole-application
    // follow added last still covers every channel.
    void aUserFollowingThousandsOfChannelsInAnyOrder()
    {
        FollowBook book;
        book.load({});
        QList<FollowRow> rows;
        for (int i = 0; i < 3000; ++i) {
            const int n = (i * 7919) % 3000; // every number once, out of order
            rows.append({u"alice"_s, n % 2 ? u"ci"_s : u"ops"_s, u"c%1"_s.arg(n * 2), i});
        }
        book.add(rows);
        book.add(rows); // polled again: nothing added twice, nothing lost
        for (int n = 0; n < 3000; ++n) {
            const QString application = n % 2 ? u"ci"_s : u"ops"_s;
            QVERIFY2(mayFollow(book, u"alice"_s, application, u"c%1"_s.arg(n * 2)),
                     qPrintable(u"c%1"_s.arg(n * 2)));
            QVERIFY(!mayFollow(book, u"alice"_s, application, u"c%1"_s.arg(n * 2 + 1)));
            QVERIFY(!mayFollow(book, u"alice"_s, n % 2 ? u"ops"_s : u"ci"_s, u"c%1"_s.arg(n * 2)));
        }
        QVERIFY(!mayFollow(book, u"alice"_s, u"ci"_s, QString()));
        book.add({{u"alice"_s, u"ci"_s, QString(), 3000}});
        QVERIFY(mayFollow(book, u"alice"_s, u"ci"_s, u"c1"_s));
        QVERIFY(mayFollow(book, u"alice"_s, u"ci"_s, u"zzz"_s));
        QVERIFY(!mayFollow(book, u"alice"_s, u"ops"_s, u"c1"_s));
    }

    // A load brings a channel's followers in any order, by the thousand; one joins later.
    void aChannelWithManyFollowersLoadedAtOnce()
    {
        FollowBook book;
        QList<FollowRow> rows;
        for (int i = 0; i < 20'000; ++i) {
            const int n = (i * 7919) % 20'000; // every number once, out of order
            rows.append({u"user%1"_s.arg(n, 5, 10, QChar(u'0')), u"ci"_s, u"all-hands"_s, i});
        }
        book.load(rows);
        book.add({{u"user10000"_s, u"ci"_s, u"all-hands"_s, 1}}); // polled again
        book.add(u"zed"_s, {{u"ci"_s, {u"all-hands"_s}}});
        const auto followers = book.followersOf(u"ci"_s, u"all-hands"_s);
        QVERIFY(followers);
        QCOMPARE(followers->ofChannel.size(), 20'001);
        QVERIFY(std::is_sorted(followers->ofChannel.cbegin(), followers->ofChannel.cend()));
        QVERIFY(followers->contains(u"user00000"_s));
        QVERIFY(followers->contains(u"user19999"_s));
        QVERIFY(followers->contains(u"zed"_s));
        QVERIFY(!followers->contains(u"user20000"_s));
        book.forget(u"user00000"_s);
        QVERIFY(!book.followersOf(u"ci"_s, u"all-hands"_s)->contains(u"user00000"_s));
    }

    // The followers of each channel, through any mix of changes, are exactly those of a
    // model the test keeps itself, each once.
    void followersOfAgreeWithAModel()
    {
        const QStringList users{u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s};
        const QStringList applications{u"ci"_s, u"ops"_s};
        const QStringList channels{QString(), u"prod"_s, u"misc"_s, u"db"_s};
        QRandomGenerator random(20261204);
        FollowBook book;
        QVERIFY(!book.followersOf(u"ci"_s, u"prod"_s)); // not loaded: anyone may follow
        book.load({});
        QSet<QString> model; // "user application channel"; an empty channel: the application
        const auto key = [](const QString &u, const QString &a, const QString &c) -> QString {
            return u + u' ' + a + u' ' + c;
        };
        const auto forgetInModel = [&](const QString &u) {
            model.removeIf([&](const QString &k) { return k.startsWith(u + u' '); });
        };
        for (int step = 0; step < 3000; ++step) {
            const QString user = users.at(random.bounded(users.size()));
            const QString application = applications.at(random.bounded(applications.size()));
            const QString channel = channels.at(random.bounded(channels.size()));
            const QList<Subscription> subscription{
                {application, channel.isEmpty() ? QStringList() : QStringList{channel}}};
            switch (random.bounded(5)) {
            case 0:
                book.add({{user, application, channel, step}});
                model.insert(key(user, application, channel));
                break;
            case 1:
                book.add(user, subscription);
                model.insert(key(user, application, channel));
                break;
            case 2:
                book.replace(user, subscription);
                forgetInModel(user);
                model.insert(key(user, application, channel));
                break;
            case 3:
                book.replace(user, {});
                forgetInModel(user);
                break;
            default:
                book.forget(user);
                forgetInModel(user);
            }
            for (const QString &a : applications) {
                for (const QString &c : channels.mid(1)) {
                    QStringList expected;
                    for (const QString &u : users) {
                        if (model.contains(key(u, a, c)) || model.contains(key(u, a, QString())))
                            expected.append(u);
                    }
                    const auto followers = book.followersOf(a, c);
                    QVERIFY(followers);
                    QStringList listed;
                    followers->forEach([&](const QString &u) { listed.append(u); });
                    listed.sort();
                    const QString where = u"step %1: %2/%3"_s.arg(step).arg(a, c);
                    QVERIFY2(listed == expected, qPrintable(where + u": " + listed.join(u',') +
                                                            u" against " + expected.join(u',')));
                    QCOMPARE(followers->isEmpty(), expected.isEmpty());
                    for (const QString &u : users)
                        QVERIFY2(followers->contains(u) == expected.contains(u), qPrintable(where));
                }
            }
        }
        for (const QString &user : users)
            book.forget(user);
        QVERIFY(book.followersOf(u"ci"_s, u"prod"_s)->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFollowBook)
#include "tst_followbook.moc"
