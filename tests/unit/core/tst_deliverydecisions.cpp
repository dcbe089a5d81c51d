// SPDX-License-Identifier: Apache-2.0
// What a user's delivery preferences decide per notification, checked against a brute-force
// model: which codes of a channel queries keep (everything but the `off` ones), what the
// desktop sessions are pushed, which users' digests a notification goes into (and under which
// key), and how the PreferenceBook finds those users without looking at everyone.
#include "core/digestrouter.h"
#include "core/followbook.h"
#include "core/preferencebook.h"
#include "core/preferences.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {

std::shared_ptr<const Preferences> read(const QByteArray &json)
{
    auto read = Preferences::fromJson(QJsonDocument::fromJson(json).object());
    if (!read)
        qFatal("%s", qPrintable(read.error().message));
    return std::make_shared<const Preferences>(*read);
}

Notification of(const QString &app, const QString &channel, const QString &code,
                const QStringList &recipients = {})
{
    Notification n;
    n.id = 42;
    n.application = app;
    n.channel = channel;
    n.code = code;
    n.title = u"t"_s;
    n.recipients = recipients;
    n.time = QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
    return n;
}

const QByteArray Mixed = R"({"default":{"delivery":"off"},"rules":[
    {"application":"ci","delivery":"immediate"},
    {"application":"ci","channel":"noise","delivery":"off"},
    {"application":"ci","channel":"noise","code":"fire","delivery":"immediate"},
    {"application":"ci","code":"flaky","delivery":"off"},
    {"application":"ci","channel":"prod","delivery":"digest","digest":"hourly","agents":["email","desktop"]},
    {"application":"ops","code":"page","delivery":"immediate","agents":["email"]}]})";

} // namespace

class TestDeliveryDecisions : public QObject
{
    Q_OBJECT

private slots:
    void codeFiltersAgreeWithTheRules_data()
    {
        QTest::addColumn<QString>("application");
        QTest::addColumn<QString>("channel");
        for (const char *app : {"ci", "ops", "other"}) {
            for (const char *channel : {"noise", "prod", "misc"})
                QTest::addRow("%s/%s", app, channel)
                    << QString::fromLatin1(app) << QString::fromLatin1(channel);
        }
    }
    void codeFiltersAgreeWithTheRules()
    {
        QFETCH(QString, application);
        QFETCH(QString, channel);
        const auto preferences = read(Mixed);
        const CodeFilter filter = preferences->codeFilter(application, channel);
        // Every code any rule names, and ones none does, with and without a code.
        for (const QString &code : {u""_s, u"fire"_s, u"flaky"_s, u"page"_s, u"other"_s}) {
            const bool off = preferences->ruleFor(of(application, channel, code)).mode ==
                             DeliveryRule::Mode::Off;
            QVERIFY2(filter.keeps(code) == !off,
                     qPrintable(u"%1/%2 code '%3'"_s.arg(application, channel, code)));
        }
    }

    void nothingOffMeansNoFilterAtAll()
    {
        QVERIFY(!PreferenceBook::codeFilterOf(nullptr));
        QVERIFY(!PreferenceBook::codeFilterOf(read(R"({"rules":[{"application":"ci",
            "delivery":"digest","digest":"hourly"}]})")));
        QVERIFY(PreferenceBook::codeFilterOf(read(Mixed)));
    }

    void theDesktopGetsImmediateOnesWithTheDesktopAgent()
    {
        const auto preferences = read(Mixed);
        QVERIFY(preferences->pushesToDesktop(of(u"ci"_s, u"misc"_s, u"x"_s)));
        QVERIFY(preferences->pushesToDesktop(of(u"ci"_s, u"noise"_s, u"fire"_s)));
        QVERIFY(!preferences->pushesToDesktop(of(u"ci"_s, u"noise"_s, u"x"_s)));   // off
        QVERIFY(!preferences->pushesToDesktop(of(u"ci"_s, u"prod"_s, u"x"_s)));    // digest
        QVERIFY(!preferences->pushesToDesktop(of(u"ops"_s, u"any"_s, u"page"_s))); // email only
        QVERIFY(!preferences->pushesToDesktop(of(u"other"_s, u"a"_s, u"b"_s)));    // default off
    }

    void digestItemsGoToTheUsersWhoseRuleSaysDigest()
    {
        PreferenceBook book;
        book.load({{u"alice"_s, read(Mixed)},
                   {u"bob"_s, read(R"({"timezone":"Asia/Tokyo","default":{"delivery":"digest",
                        "digest":"daily@08:00"}})")},
                   {u"carol"_s, read(R"({"rules":[]})")}});
        FollowBook follows; // not loaded: everyone may follow
        DigestRouter router(book, follows, 3);
        const QDateTime now = QDateTime::fromString(u"2026-03-01T10:30:00Z"_s, Qt::ISODate);
        const QList<DigestItem> items =
            router.itemsFor({of(u"ci"_s, u"prod"_s, u"x"_s), of(u"ci"_s, u"misc"_s, u"x"_s),
                             of(u"ci"_s, u"prod"_s, u"x"_s, {u"carol"_s})},
                            now);
        QCOMPARE(items.size(), 3); // alice: prod; bob: both; nobody: the one for carol alone
        QHash<QString, QStringList> keys;
        for (const DigestItem &item : items) {
            keys[item.user].append(item.key);
            QCOMPARE(item.node, 3);
            QVERIFY(item.payload.contains("\"application\":\"ci\""));
        }
        QCOMPARE(keys.value(u"alice"_s), QStringList{u"hourly|desktop,email"_s});
        QCOMPARE(keys.value(u"bob"_s), (QStringList{u"daily@08:00|desktop,email,feed"_s,
                                                    u"daily@08:00|desktop,email,feed"_s}));
        for (const DigestItem &item : items) {
            const QDateTime due = QDateTime::fromMSecsSinceEpoch(item.dueMs, Qt::UTC);
            if (item.user == u"alice")
                QCOMPARE(due, QDateTime::fromString(u"2026-03-01T11:00:00Z"_s, Qt::ISODate));
            else // 08:00 in Tokyo is 23:00 UTC the day before
                QCOMPARE(due, QDateTime::fromString(u"2026-03-01T23:00:00Z"_s, Qt::ISODate));
        }
        const auto key = DigestRouter::readKey(u"weekly@mon@09:30|email"_s);
        QVERIFY(key);
        QCOMPARE(key->schedule.toString(), u"weekly@mon@09:30"_s);
        QCOMPARE(key->agents, QStringList{u"email"_s});
        QVERIFY(!DigestRouter::readKey(u"sometimes|email"_s));
    }

    // Only candidates who follow the channel get items, whichever of the two lists is the
    // shorter one walked.
    void digestItemsGoOnlyToFollowersWhicheverListIsShorter()
    {
        const auto digest = read(R"({"default":{"delivery":"digest","digest":"hourly"}})");
        PreferenceBook book;
        book.load({{u"alice"_s, digest}, {u"bob"_s, digest}, {u"carol"_s, digest}});
        FollowBook follows;
        follows.load({{u"bob"_s, u"ci"_s, u"prod"_s, 1}, {u"dave"_s, u"ci"_s, QString(), 2}});
        DigestRouter router(book, follows, 1);
        const QDateTime now = QDateTime::fromString(u"2026-03-01T10:30:00Z"_s, Qt::ISODate);
        const auto usersOf = [&](const QList<DigestItem> &items) {
            QStringList users;
            for (const DigestItem &item : items)
                users.append(item.user);
            users.sort();
            return users;
        };
        // Two followers (bob, dave) against three candidates: the followers are walked.
        QCOMPARE(usersOf(router.itemsFor({of(u"ci"_s, u"prod"_s, u"x"_s)}, now)),
                 QStringList{u"bob"_s});
        QVERIFY(router.itemsFor({of(u"ci"_s, u"misc"_s, u"x"_s)}, now).isEmpty());
        // Five followers, carol among them for the whole application: the candidates are.
        follows.add({{u"carol"_s, u"ci"_s, QString(), 3},
                     {u"erin"_s, u"ci"_s, u"prod"_s, 4},
                     {u"frank"_s, u"ci"_s, u"prod"_s, 5}});
        QCOMPARE(usersOf(router.itemsFor({of(u"ci"_s, u"prod"_s, u"x"_s)}, now)),
                 (QStringList{u"bob"_s, u"carol"_s}));
        QCOMPARE(usersOf(router.itemsFor({of(u"ci"_s, u"misc"_s, u"x"_s)}, now)),
                 QStringList{u"carol"_s});
        QVERIFY(
            router.itemsFor({of(u"ops"_s, u"prod"_s, u"x"_s)}, now).isEmpty()); // nobody follows
    }

    void theBookFindsDigestUsersByApplicationAndForgetsOldRules()
    {
        PreferenceBook book;
        QVERIFY(!book.isLoaded());
        bool ready = false;
        book.whenLoaded([&] { ready = true; });
        book.load({{u"alice"_s, read(Mixed)}});
        QVERIFY(ready);
        QCOMPARE(book.digestCandidates(u"ci"_s)->size(), 1);
        QCOMPARE(book.digestCandidates(u"ops"_s)->size(), 0);
        book.set(u"alice"_s, read(R"({"rules":[{"application":"ops","delivery":"digest",
            "digest":"hourly"}]})"));
        QCOMPARE(book.digestCandidates(u"ci"_s)->size(), 0);
        QCOMPARE(book.digestCandidates(u"ops"_s)->size(), 1);
        book.set(u"alice"_s, nullptr);
        QCOMPARE(book.digestCandidates(u"ops"_s)->size(), 0);
        QVERIFY(!book.of(u"alice"_s));
    }

    // The lists are shared until a change, and a change to a user who stays a candidate hands
    // out her new preferences, not the ones the old list held.
    void candidateListsAreSharedUntilAChange()
    {
        PreferenceBook book;
        book.load({{u"alice"_s, read(R"({"rules":[{"application":"ops","delivery":"digest",
            "digest":"hourly"}]})")}});
        const auto first = book.digestCandidates(u"ops"_s);
        QCOMPARE(book.digestCandidates(u"ops"_s), first);
        const auto daily = read(R"({"rules":[{"application":"ops","delivery":"digest",
            "digest":"daily@08:00"}]})");
        book.set(u"alice"_s, daily);
        const auto after = book.digestCandidates(u"ops"_s);
        QVERIFY(after != first);
        QCOMPARE(after->size(), 1);
        QCOMPARE(after->value(u"alice"_s), daily);
        QCOMPARE(first->value(u"alice"_s)->rules().first().digest->toString(), u"hourly"_s);
        // Many applications asked for: the lists start again, and still answer right.
        for (int i = 0; i < 600; ++i)
            QCOMPARE(book.digestCandidates(u"app%1"_s.arg(i))->size(), 0);
        QCOMPARE(book.digestCandidates(u"ops"_s)->value(u"alice"_s), daily);
    }
};

QTEST_GUILESS_MAIN(TestDeliveryDecisions)
#include "tst_deliverydecisions.moc"
