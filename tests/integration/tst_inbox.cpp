// SPDX-License-Identifier: Apache-2.0
// Each user's inbox (PROTOCOL.md "Inbox"): unseen counts pushed to every session of the user,
// the seen cursor, per-user deletes, Range paging, the cap (rules: tst_inboxrules.cpp), and that
// one user's token never reaches another's inbox. Against a real herald-syncd with tokens (no
// --no-auth), each test on users and channels of its own.
#include "apihelpers.h"
#include "httpclient.h"
#include "inboxclient.h"
#include "syncdprocess.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"ops"_s;

QList<qint64> newestFirst(QList<qint64> ids)
{
    std::reverse(ids.begin(), ids.end());
    return ids;
}
} // namespace

class TestInbox : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void unseenCountReachesEverySessionAndReadingMovesTheSeenCursor();
    void deleteHidesForThatUserOnly();
    void rangePagesNewestFirst();
    void malformedRangeIsRefused_data();
    void malformedRangeIsRefused();
    void capKeepsNewestAndCountsDeletedOnes();
    void anotherUsersInboxIsNeverVisible();

private:
    std::unique_ptr<InboxClient> account(const QString &user)
    {
        return createAccount(m_admin, user);
    }
    std::unique_ptr<WsClient> session(const InboxClient &user, const QStringList &channels)
    {
        return openSession(m_syncd.wsUrl(), user, App, channels);
    }
    QList<qint64> publishMany(const QString &channel, int count)
    {
        return herald::test::publishMany(m_admin, App, channel, count);
    }

    SyncdProcess m_syncd;
    HttpClient m_admin;
    SyncdProcess m_capped;                    // started by capKeepsNewestAndCountsDeletedOnes only
    std::unique_ptr<InboxClient> m_rangeUser; // sends the malformed Range headers
};

void TestInbox::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(m_syncd.createToken(u"admin"_s));
    QVERIFY(!m_admin.token().isEmpty());
    QVERIFY(createApplication(m_admin, App,
                              {u"counts"_s, u"shared"_s, u"paging"_s, u"alerts"_s, u"codes"_s,
                               u"other"_s, u"private"_s, u"elsewhere"_s}));
    m_rangeUser = account(u"dave-ranges"_s);
    QVERIFY(m_rangeUser);
}

void TestInbox::cleanup()
{
    m_syncd.dumpLogIfFailed();
    if (m_capped.isRunning())
        m_capped.dumpLogIfFailed();
}

void TestInbox::unseenCountReachesEverySessionAndReadingMovesTheSeenCursor()
{
    auto alice = account(u"alice-counts"_s);
    QVERIFY(alice);
    auto phone = session(*alice, {u"counts"_s});
    auto laptop = session(*alice, {u"counts"_s});
    QVERIFY(phone && laptop);
    const QList<WsClient *> sessions{phone.get(), laptop.get()};
    const QList<qint64> ids = publishMany(u"counts"_s, 3);
    QVERIFY(!ids.contains(0));
    for (WsClient *ws : sessions)
        QVERIFY(waitForUnseen(*ws, 3));
    QCOMPARE(alice->counts(), InboxClient::counted(3, 3));

    for (WsClient *ws : sessions)
        ws->clearFrames();
    const InboxPage first = alice->list();
    QVERIFY2(first.status() == 200, first.response.describe());
    QCOMPARE(first.ids(), newestFirst(ids));
    QVERIFY2(first.next().isUndefined() && first.nextRange().isEmpty(), first.response.describe());
    for (const QJsonObject &item : first.items()) {
        // The flags as they were before this read.
        QCOMPARE(item.value("seen"_L1), QJsonValue(false));
        QCOMPARE(item.value("acknowledged"_L1), QJsonValue(false));
        QVERIFY(!item.contains("rollup"_L1));
    }
    // Reading the first page moves the cursor on every device: `seen`, then the new count.
    for (WsClient *ws : sessions) {
        const auto seen = ws->waitForType(u"seen"_s);
        QVERIFY2(seen, ws->describe());
        QCOMPARE(seen->value("upTo"_L1).toInteger(), ids.last());
        QVERIFY(waitForUnseen(*ws, 0));
        QCOMPARE(unseenCounts(*ws), QList<qint64>{0});
        QVERIFY2(indexOfType(*ws, u"seen"_s) < indexOfType(*ws, u"unseen"_s), ws->describe());
    }
    QCOMPARE(alice->counts(), InboxClient::counted(0, 3));
    for (const QJsonObject &item : alice->list().items())
        QCOMPARE(item.value("seen"_L1), QJsonValue(true));

    const HttpResponse ack = alice->acknowledge({ids.at(1)});
    QVERIFY2(ack.status == 200, ack.describe());
    QCOMPARE(alice->counts(), InboxClient::counted(0, 2));
    const QList<QJsonObject> items = alice->list().items();
    QCOMPARE(items.size(), 3);
    QCOMPARE(items.at(1).value("acknowledged"_L1), QJsonValue(true));
    QCOMPARE(items.at(0).value("acknowledged"_L1), QJsonValue(false));
}

void TestInbox::deleteHidesForThatUserOnly()
{
    auto alice = account(u"alice-delete"_s);
    auto bob = account(u"bob-delete"_s);
    QVERIFY(alice && bob);
    auto alicePhone = session(*alice, {u"shared"_s});
    auto aliceLaptop = session(*alice, {u"shared"_s});
    auto bobPhone = session(*bob, {u"shared"_s});
    QVERIFY(alicePhone && aliceLaptop && bobPhone);
    const QList<WsClient *> aliceSessions{alicePhone.get(), aliceLaptop.get()};
    const QList<qint64> ids = publishMany(u"shared"_s, 3);
    QVERIFY(!ids.contains(0));
    for (WsClient *ws : {alicePhone.get(), aliceLaptop.get(), bobPhone.get()})
        QVERIFY(waitForUnseen(*ws, 3));

    const HttpResponse hidden = alice->hide(ids.at(1));
    QVERIFY2(hidden.status == 204, hidden.describe());
    for (WsClient *ws : aliceSessions) {
        const auto deleted = ws->waitForType(u"deleted"_s);
        QVERIFY2(deleted, ws->describe());
        QCOMPARE(idsOf(deleted->value("ids"_L1)), QList<qint64>{ids.at(1)});
        QVERIFY(waitForUnseen(*ws, 2));
    }
    QCOMPARE(alice->counts(), InboxClient::counted(2, 2));
    QCOMPARE(bob->counts(), InboxClient::counted(3, 3));
    QCOMPARE(alice->list().ids(), (QList<qint64>{ids.at(2), ids.at(0)}));
    QCOMPARE(bob->list().ids(), newestFirst(ids));
    // bob's own read sends him `seen`; a frame of alice's delete, sent before, would be in.
    QVERIFY2(bobPhone->waitForType(u"seen"_s), bobPhone->describe());
    QVERIFY2(bobPhone->framesOfType(u"deleted"_s).isEmpty(), bobPhone->describe());

    // Deleting again, or what was never in the inbox, succeeds and tells no session anything.
    for (WsClient *ws : aliceSessions)
        ws->clearFrames();
    const qint64 unknown = (qint64(1) << 52) + 777; // valid, but never issued
    for (const qint64 id : {ids.at(1), unknown}) {
        const HttpResponse again = alice->hide(id);
        QVERIFY2(again.status == 204, again.describe());
    }
    const HttpResponse notAnId = alice->http().del(u"/api/v1/inbox/twelve"_s);
    QVERIFY2(notAnId.status == 400 && notAnId.errorMessage().startsWith("id:"_L1),
             notAnId.describe());

    const HttpResponse cleared = alice->clear();
    QVERIFY2(cleared.status == 204, cleared.describe());
    for (WsClient *ws : aliceSessions) {
        const auto frame = ws->waitForType(u"cleared"_s);
        QVERIFY2(frame, ws->describe());
        QCOMPARE(frame->value("upTo"_L1).toInteger(), ids.last());
        // The `cleared` came after the repeated deletes, so any frame of theirs is in by now.
        QVERIFY2(ws->framesOfType(u"deleted"_s).isEmpty(), ws->describe());
    }
    QCOMPARE(alice->list().ids(), QList<qint64>());
    QCOMPARE(alice->counts(), InboxClient::counted(0, 0));
    QCOMPARE(bob->list().ids(), newestFirst(ids));

    // What comes after a delete-all is in the inbox again; the new one's frame also shows
    // that bob never got alice's `cleared`.
    const qint64 later = publish(m_admin, App, u"shared"_s, u"after the clear"_s);
    QVERIFY(later > 0);
    QVERIFY2(bobPhone->waitForNotificationId(later), bobPhone->describe());
    QVERIFY2(bobPhone->framesOfType(u"cleared"_s).isEmpty(), bobPhone->describe());
    for (WsClient *ws : aliceSessions)
        QVERIFY(waitForUnseen(*ws, 1));
    QCOMPARE(alice->list().ids(), QList<qint64>{later});
    QCOMPARE(bob->list().ids(), QList<qint64>{later} + newestFirst(ids));
}

void TestInbox::rangePagesNewestFirst()
{
    auto carol = account(u"carol-paging"_s);
    QVERIFY(carol);
    const HttpResponse follow = carol->follow(App, {u"paging"_s});
    QVERIFY2(follow.status == 200, follow.describe());
    const QList<qint64> ids = publishMany(u"paging"_s, 4);
    QVERIFY(!ids.contains(0));
    const QList<qint64> expected = newestFirst(ids);

    // max=1 from the newest: 206 with Next-Range while more exist, the last page 200 without.
    QList<qint64> walked;
    QByteArray range = "id ..; max=1";
    for (int page = 0; page < 10 && !range.isEmpty(); ++page) {
        const InboxPage answer = carol->list({}, range);
        const bool last = walked.size() == expected.size() - 1;
        QVERIFY2(answer.status() == (last ? 200 : 206), answer.response.describe());
        QCOMPARE(answer.ids().size(), 1);
        walked += answer.ids();
        QVERIFY2(answer.next().isUndefined() == last, answer.response.describe());
        if (!last) {
            QCOMPARE(answer.nextRange(), "id ]" + QByteArray::number(walked.last()) + "..; max=1");
            QCOMPARE(answer.next().toInteger(), walked.last());
        }
        range = answer.nextRange();
    }
    QCOMPARE(walked, expected);

    // `id X..` includes X; a page that ends exactly at the oldest is the last one.
    const InboxPage inclusive =
        carol->list({}, "id " + QByteArray::number(ids.at(2)) + "..; max=2");
    QVERIFY2(inclusive.status() == 206, inclusive.response.describe());
    QCOMPARE(inclusive.ids(), (QList<qint64>{ids.at(2), ids.at(1)}));
    QCOMPARE(inclusive.nextRange(), "id ]" + QByteArray::number(ids.at(1)) + "..; max=2");
    const InboxPage exact = carol->list({}, "id ]" + QByteArray::number(ids.at(2)) + "..; max=2");
    QVERIFY2(exact.status() == 200 && exact.nextRange().isEmpty(), exact.response.describe());
    QCOMPARE(exact.ids(), (QList<qint64>{ids.at(1), ids.at(0)}));

    // A cursor at or beyond the oldest: an empty last page, by header and by query.
    const InboxPage beyond =
        carol->list({}, "id ]" + QByteArray::number(ids.first()) + "..; max=5");
    QVERIFY2(beyond.status() == 200 && beyond.nextRange().isEmpty() && beyond.next().isUndefined(),
             beyond.response.describe());
    QVERIFY(beyond.response.object().value("notifications"_L1).isArray());
    QCOMPARE(beyond.ids(), QList<qint64>());
    const InboxPage afterOldest = carol->list(u"after=%1"_s.arg(ids.first()));
    QVERIFY2(afterOldest.status() == 200, afterOldest.response.describe());
    QCOMPARE(afterOldest.ids(), QList<qint64>());

    // The `next` cursor of the body pages the same way without headers.
    const InboxPage byQuery = carol->list(u"limit=3"_s);
    QVERIFY2(byQuery.status() == 200, byQuery.response.describe());
    QCOMPARE(byQuery.ids(), expected.mid(0, 3));
    const InboxPage rest = carol->list(u"limit=3&after=%1"_s.arg(byQuery.next().toInteger()));
    QCOMPARE(rest.ids(), expected.mid(3));
    QVERIFY(rest.next().isUndefined());
}

void TestInbox::malformedRangeIsRefused_data()
{
    QTest::addColumn<QByteArray>("range");
    QTest::newRow("bytes") << QByteArray("bytes=0-99");
    QTest::newRow("no unit") << QByteArray("]5..; max=2");
    QTest::newRow("bracket without id") << QByteArray("id ]..; max=2");
    QTest::newRow("max zero") << QByteArray("id ..; max=0");
    QTest::newRow("max over the list limit") << QByteArray("id ..; max=101");
    QTest::newRow("max not a number") << QByteArray("id ..; max=ten");
    QTest::newRow("id zero") << QByteArray("id ]0..; max=2");
    QTest::newRow("unknown parameter") << QByteArray("id ..; order=asc");
}

void TestInbox::malformedRangeIsRefused()
{
    QFETCH(QByteArray, range);
    const InboxPage answer = m_rangeUser->list({}, range);
    QVERIFY2(answer.status() == 400, answer.response.describe());
    QCOMPARE(answer.response.errorCode(), u"bad_request"_s);
    QVERIFY2(answer.response.errorMessage().startsWith("Range:"_L1), answer.response.describe());
}

void TestInbox::capKeepsNewestAndCountsDeletedOnes()
{
    QVERIFY2(m_capped.start({u"--inbox-cap"_s, u"5"_s}), qPrintable(m_capped.errorString()));
    HttpClient admin(m_capped.httpUrl());
    admin.setToken(m_capped.createToken(u"admin"_s));
    QVERIFY(createApplication(admin, App, {u"capped"_s}));
    auto erin = createAccount(admin, u"erin-capped"_s);
    QVERIFY(erin);
    auto ws = openSession(m_capped.wsUrl(), *erin, App, {u"capped"_s});
    QVERIFY(ws);
    const QList<qint64> ids = herald::test::publishMany(admin, App, u"capped"_s, 8);
    QVERIFY(!ids.contains(0));

    // The cap bounds the pushed count as well as the listing.
    QVERIFY(waitForUnseen(*ws, 5));
    QCOMPARE(erin->counts(), InboxClient::counted(5, 5));
    QCOMPARE(erin->list().ids(), newestFirst(ids.mid(3)));

    // The cap counts the deleted one: no older notification moves up into its place.
    QCOMPARE(erin->hide(ids.at(5)).status, 204);
    const QList<qint64> afterDelete{ids.at(7), ids.at(6), ids.at(4), ids.at(3)};
    QCOMPARE(erin->list().ids(), afterDelete);
    QCOMPARE(erin->counts(), InboxClient::counted(0, 4));

    // A newer one pushes the oldest out, also past the deleted one.
    const qint64 newer = publish(admin, App, u"capped"_s, u"capped #8"_s);
    QVERIFY(newer > 0);
    QVERIFY(waitForUnseen(*ws, 1));
    QCOMPARE(erin->list().ids(), (QList<qint64>{newer, ids.at(7), ids.at(6), ids.at(4)}));
    QCOMPARE(erin->counts(), InboxClient::counted(0, 4));
}

void TestInbox::anotherUsersInboxIsNeverVisible()
{
    auto alice = account(u"alice-private"_s);
    auto bob = account(u"bob-private"_s);
    QVERIFY(alice && bob);
    auto aliceWs = session(*alice, {u"private"_s});
    auto bobWs = session(*bob, {u"private"_s});
    QVERIFY(aliceWs && bobWs);
    auto to = [](const QString &user) { return QJsonObject{{"recipients"_L1, QJsonArray{user}}}; };
    const qint64 shared = publish(m_admin, App, u"private"_s, u"for everyone"_s);
    const qint64 forAlice = publish(m_admin, App, u"private"_s, u"alice's"_s, to(alice->user()));
    const qint64 forBob = publish(m_admin, App, u"private"_s, u"bob's"_s, to(bob->user()));
    // Addressed to bob on a channel he does not follow: in his inbox all the same.
    const qint64 bobElsewhere =
        publish(m_admin, App, u"elsewhere"_s, u"bob's, elsewhere"_s, to(bob->user()));
    QVERIFY(shared > 0 && forAlice > 0 && forBob > 0 && bobElsewhere > 0);
    QVERIFY(waitForUnseen(*aliceWs, 2));
    QVERIFY(waitForUnseen(*bobWs, 3));
    QCOMPARE(alice->counts(), InboxClient::counted(2, 2));
    QCOMPARE(bob->counts(), InboxClient::counted(3, 3));
    QCOMPARE(alice->list().ids(), (QList<qint64>{forAlice, shared}));
    QCOMPARE(bob->list().ids(), (QList<qint64>{bobElsewhere, forBob, shared}));

    // bob's token names alice: refused on every inbox route.
    const QString asAlice = u"user="_s + alice->user();
    const QList<std::pair<QByteArray, QString>> routes{
        {"GET", u"/api/v1/inbox"_s},           {"GET", u"/api/v1/inbox/count"_s},
        {"DELETE", u"/api/v1/inbox"_s},        {"DELETE", u"/api/v1/inbox/%1"_s.arg(forAlice)},
        {"GET", u"/api/v1/inbox/rules"_s},     {"GET", u"/api/v1/inbox/subscriptions"_s},
        {"DELETE", u"/api/v1/inbox/rules/x"_s}};
    for (const auto &[method, path] : routes) {
        const HttpResponse refused = bob->http().request(method, path + u'?' + asAlice);
        QVERIFY2(refused.status == 403 && refused.errorCode() == "forbidden"_L1,
                 QByteArray(method + ' ' + path.toUtf8() + " -> " + refused.describe()));
    }
    // Deleting alice's own one with bob's token touches only bob's inbox (where it never was).
    QCOMPARE(bob->hide(forAlice).status, 204);
    QCOMPARE(alice->list().ids(), (QList<qint64>{forAlice, shared}));
    QCOMPARE(alice->counts(), InboxClient::counted(0, 2));
    QCOMPARE(bob->list().ids(), (QList<qint64>{bobElsewhere, forBob, shared}));
    // alice's own delete is the only one her session hears of.
    QCOMPARE(alice->hide(shared).status, 204);
    const auto deleted = aliceWs->waitForType(u"deleted"_s);
    QVERIFY2(deleted, aliceWs->describe());
    QCOMPARE(idsOf(deleted->value("ids"_L1)), QList<qint64>{shared});
    QCOMPARE(aliceWs->framesOfType(u"deleted"_s).size(), 1);
    QCOMPARE(bob->list().ids(), (QList<qint64>{bobElsewhere, forBob, shared}));
}

QTEST_GUILESS_MAIN(TestInbox)
#include "tst_inbox.moc"
