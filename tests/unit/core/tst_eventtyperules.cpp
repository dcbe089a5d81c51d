// SPDX-License-Identifier: Apache-2.0
// EventTypeRules and EventCatalog: which codes and levels a registration lets through, the
// errors that name the field, the order of levels, and the catalog the publish path reads.
#include "core/eventcatalog.h"
#include "core/eventtyperules.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {
// "backup" with levels ok < warning < failed, "login" without levels.
Application monitored(bool acceptUnknownEvents = false)
{
    Application app;
    app.name = u"ops"_s;
    app.eventTypes = {
        EventType{u"backup"_s,
                  u"Backup"_s,
                  {Level{u"ok"_s, {}}, Level{u"warning"_s, {}}, Level{u"failed"_s, {}}}},
        EventType{u"login"_s, u"Login"_s, {}}};
    app.acceptUnknownEvents = acceptUnknownEvents;
    return app;
}

Notification eventOf(const QString &code, const QString &level = {})
{
    Notification n;
    n.application = u"ops"_s;
    n.channel = u"c"_s;
    n.code = code;
    n.level = level;
    return n;
}
} // namespace

class TestEventTypeRules : public QObject
{
    Q_OBJECT

private slots:
    void takesRegisteredCodesAndLevels_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("level");
        QTest::newRow("first level") << u"backup"_s << u"ok"_s;
        QTest::newRow("last level") << u"backup"_s << u"failed"_s;
        QTest::newRow("type without levels") << u"login"_s << QString();
    }
    void takesRegisteredCodesAndLevels()
    {
        QFETCH(QString, code);
        QFETCH(QString, level);
        const EventTypeRules rules(monitored());
        QVERIFY(rules.isEnforced());
        const auto checked = rules.check(eventOf(code, level));
        QVERIFY2(checked, qPrintable(checked ? QString() : checked.error().message));
    }

    void refusesNamingTheField_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("level");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown code")
            << u"restore"_s << u"ok"_s
            << u"code: 'restore' is not an event type of application 'ops' (one of: backup, "
               "login)"_s;
        QTest::newRow("no code") << QString() << QString()
                                 << u"code: is required: application 'ops' registers event types "
                                    "(one of: backup, login)"_s;
        QTest::newRow("unknown level")
            << u"backup"_s << u"fatal"_s
            << u"level: 'fatal' is not a level of event type 'backup' of application 'ops' (one "
               "of: ok, warning, failed)"_s;
        QTest::newRow("no level") << u"backup"_s << QString()
                                  << u"level: is required by event type 'backup' of application "
                                     "'ops' (one of: ok, warning, failed)"_s;
        QTest::newRow("level of a type without levels")
            << u"login"_s << u"ok"_s
            << u"level: event type 'login' of application 'ops' has no levels"_s;
        QTest::newRow("case matters") << u"Backup"_s << u"ok"_s
                                      << u"code: 'Backup' is not an event type of application "
                                         "'ops' (one of: backup, login)"_s;
    }
    void refusesNamingTheField()
    {
        QFETCH(QString, code);
        QFETCH(QString, level);
        QFETCH(QString, message);
        const auto checked = EventTypeRules(monitored()).check(eventOf(code, level));
        QVERIFY(!checked);
        QCOMPARE(checked.error().code, ErrorCode::BadRequest);
        QCOMPARE(checked.error().message, message);
    }

    void batchItemsAreNamedByIndex()
    {
        const auto checked = EventTypeRules(monitored()).check(eventOf(u"nope"_s), 3);
        QVERIFY(!checked);
        QVERIFY2(checked.error().message.startsWith(u"[3].code: 'nope'"_s),
                 qPrintable(checked.error().message));
        const auto level = EventTypeRules(monitored()).check(eventOf(u"backup"_s, u"x"_s), 0);
        QVERIFY(level.error().message.startsWith(u"[0].level: 'x'"_s));
    }

    void acceptUnknownEventsTakesEverything()
    {
        const EventTypeRules rules(monitored(true));
        QVERIFY(!rules.isEnforced());
        QVERIFY(rules.check(eventOf(u"restore"_s, u"whatever"_s)));
        QVERIFY(rules.check(eventOf({})));
        // The order is still known, for minimum levels.
        QCOMPARE(rules.levelRank(u"backup"_s, u"warning"_s), 1);
    }

    void nothingRegisteredTakesEverything()
    {
        Application app;
        app.name = u"plain"_s;
        const EventTypeRules rules(app);
        QVERIFY(!rules.isEnforced());
        QVERIFY(rules.check(eventOf(u"anything"_s, u"at all"_s)));
        QVERIFY(EventTypeRules().check(eventOf({})));
    }

    void levelsRankInRegistrationOrder()
    {
        const EventTypeRules rules(monitored());
        QCOMPARE(rules.levelRank(u"backup"_s, u"ok"_s), 0);
        QCOMPARE(rules.levelRank(u"backup"_s, u"failed"_s), 2);
        QCOMPARE(rules.levelRank(u"backup"_s, u"fatal"_s), std::nullopt);
        QCOMPARE(rules.levelRank(u"restore"_s, u"ok"_s), std::nullopt);
        QCOMPARE(rules.reaches(u"backup"_s, u"failed"_s, u"warning"_s), true);
        QCOMPARE(rules.reaches(u"backup"_s, u"warning"_s, u"warning"_s), true);
        QCOMPARE(rules.reaches(u"backup"_s, u"ok"_s, u"warning"_s), false);
        QCOMPARE(rules.reaches(u"backup"_s, u"ok"_s, u"fatal"_s), std::nullopt);
        QCOMPARE(rules.reaches(u"login"_s, u"ok"_s, u"ok"_s), std::nullopt);
    }

    void catalogAnswersWaitersWhenLoaded()
    {
        EventCatalog catalog;
        QVERIFY(!catalog.isLoaded());
        QStringList order;
        catalog.whenLoaded([&](Result<void> r) { order << (r ? u"first"_s : u"error"_s); });
        catalog.whenLoaded([&](Result<void> r) { order << (r ? u"second"_s : u"error"_s); });
        QVERIFY(order.isEmpty());
        catalog.replaceAll({{u"ops"_s, EventTypeRules(monitored())}});
        QCOMPARE(order, (QStringList{u"first"_s, u"second"_s}));
        QVERIFY(catalog.rules(u"ops"_s).isEnforced());
        catalog.whenLoaded([&](Result<void>) { order << u"at once"_s; });
        QCOMPARE(order.last(), u"at once"_s);
    }

    void catalogFailsWaitersWhenLoadFails()
    {
        EventCatalog catalog;
        std::optional<Result<void>> answer;
        catalog.whenLoaded([&](Result<void> r) { answer = r; });
        catalog.loadFailed(Error{ErrorCode::Unavailable, u"database: gone"_s});
        QVERIFY(answer && !*answer);
        QCOMPARE(answer->error().code, ErrorCode::Unavailable);
        QVERIFY(!catalog.isLoaded());
    }

    void catalogFollowsThisNodesChanges()
    {
        EventCatalog catalog;
        catalog.replaceAll({});
        QVERIFY(!catalog.rules(u"ops"_s).isEnforced()); // unknown: not checked
        catalog.remember(monitored());
        QVERIFY(!catalog.rules(u"ops"_s).check(eventOf(u"restore"_s)));
        catalog.remember(monitored(true));
        QVERIFY(catalog.rules(u"ops"_s).check(eventOf(u"restore"_s)));
        catalog.remember(monitored());
        catalog.forget(u"ops"_s);
        QVERIFY(catalog.rules(u"ops"_s).check(eventOf(u"restore"_s)));
    }
};

QTEST_GUILESS_MAIN(TestEventTypeRules)
#include "tst_eventtyperules.moc"
