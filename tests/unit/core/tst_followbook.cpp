// SPDX-License-Identifier: Apache-2.0
// FollowBook: before its load any user may follow anything; once loaded only those who follow
// the channel or the whole application do; what is added, replaced and forgotten counts from
// then on.
#include "core/followbook.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

class TestFollowBook : public QObject
{
    Q_OBJECT

private slots:
    void knowsNothingBeforeItsLoad()
    {
        FollowBook book;
        book.add(u"alice"_s, {{u"ci"_s, {u"prod"_s}}}); // known, but not the rest yet
        QVERIFY(book.mayFollow(u"alice"_s, u"ci"_s, u"misc"_s));
        QVERIFY(book.mayFollow(u"bob"_s, u"ci"_s, u"misc"_s));
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
            if (book.mayFollow(user, u"ci"_s, u"prod"_s))
                followers.append(user);
        }
        QCOMPARE(followers, (QStringList{u"alice"_s, u"bob"_s}));
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
