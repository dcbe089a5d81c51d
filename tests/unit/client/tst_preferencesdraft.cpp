// SPDX-License-Identifier: Apache-2.0
// What the settings dialog edits: rows, rules a row sets or follows, edits against versions
// from the server (kept, or a conflict), and where the server's field errors belong.
#include "model/preferencesdraft.h"

#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;

namespace {
using Row = PreferencesDraft::Row;

PreferenceRule rule(const QString &app, const QString &channel, PreferenceRule::Delivery delivery)
{
    PreferenceRule r;
    r.application = app;
    r.channel = channel;
    r.delivery = delivery;
    if (delivery == PreferenceRule::Delivery::Digest)
        r.digest = u"hourly"_s;
    return r;
}

UserPreferences withRules(const QList<PreferenceRule> &rules)
{
    UserPreferences p;
    p.rules = rules;
    return p;
}
} // namespace

class TestPreferencesDraft : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsAreTheDefaultThenEachApplicationWithItsChannels()
    {
        PreferencesDraft draft;
        draft.addChannel(u"web"_s, u"deploys"_s, u"Deployments"_s, u"Web shop"_s);
        draft.addChannel(u"db"_s, u"ops"_s);
        draft.reset(withRules({rule(u"ci"_s, u"prod"_s, PreferenceRule::Delivery::Off)}));
        const QList<Row> rows = draft.rows();
        const QList<Row> expected{Row{},
                                  Row{u"ci"_s, {}, {}},
                                  Row{u"ci"_s, u"prod"_s, {}},
                                  Row{u"db"_s, {}, {}},
                                  Row{u"db"_s, u"ops"_s, {}},
                                  Row{u"web"_s, {}, u"Web shop"_s},
                                  Row{u"web"_s, u"deploys"_s, u"Deployments"_s}};
        QCOMPARE(rows, expected);
    }

    void aRowSetsItsRuleOrFollowsItsApplication()
    {
        using D = PreferenceRule::Delivery;
        PreferencesDraft draft;
        draft.reset(withRules({rule(u"web"_s, {}, D::Digest)}));
        const Row channel{u"web"_s, u"deploys"_s, {}};
        const Row application{u"web"_s, {}, {}};
        QVERIFY(!draft.ownRule(channel));
        QCOMPARE(draft.effectiveRule(channel).delivery, D::Digest); // follows its application
        QCOMPARE(draft.inheritedRule(application).isDefault(), true);
        QVERIFY(!draft.isDirty());
        draft.setOwnRule(channel, rule(u"ignored"_s, u"ignored"_s, D::Off));
        QVERIFY(draft.isDirty());
        QCOMPARE(draft.ownRule(channel), rule(u"web"_s, u"deploys"_s, D::Off));
        QCOMPARE(draft.draft().rules.size(), 2);
        draft.setOwnRule(channel, std::nullopt);
        QVERIFY(!draft.isDirty()); // back to what the server has
        // The default row's rule is the default rule.
        draft.setOwnRule(Row{}, rule(u"x"_s, {}, D::Off));
        QCOMPARE(draft.draft().defaultRule.delivery, D::Off);
        QVERIFY(draft.draft().defaultRule.isDefault());
    }

    void anotherDevicesChangeReplacesAnUneditedDraft()
    {
        PreferencesDraft draft;
        draft.reset({});
        UserPreferences other;
        other.timeZone = u"Asia/Tokyo"_s;
        QCOMPARE(draft.takeIncoming({}), PreferencesDraft::Incoming::Unchanged);
        QCOMPARE(draft.takeIncoming(other), PreferencesDraft::Incoming::Updated);
        QCOMPARE(draft.draft(), other);
        QVERIFY(!draft.hasConflict());
    }

    void editsSurviveAnotherDevicesChangeAndSayItConflicts()
    {
        PreferencesDraft draft;
        draft.reset({});
        draft.setEmail(u"alice@example.org"_s);
        UserPreferences other;
        other.timeZone = u"Asia/Tokyo"_s;
        QCOMPARE(draft.takeIncoming(other), PreferencesDraft::Incoming::Conflict);
        QVERIFY(draft.hasConflict());
        QCOMPARE(draft.draft().email, u"alice@example.org"_s); // the user's edit stays
        QCOMPARE(draft.draft().timeZone, u"UTC"_s);
        QCOMPARE(draft.base(), other);
        draft.discardEdits();
        QCOMPARE(draft.draft(), other);
        QVERIFY(!draft.hasConflict());
    }

    void theServerHavingTheEditsIsNoConflict()
    {
        PreferencesDraft draft;
        draft.reset({});
        draft.setTimeZone(u"Europe/Berlin"_s);
        const UserPreferences saved = draft.draft(); // this device's own save coming back
        QCOMPARE(draft.takeIncoming(saved), PreferencesDraft::Incoming::Updated);
        QVERIFY(!draft.isDirty());
        QVERIFY(!draft.hasConflict());
    }

    void errorsGoWhereTheServerSays()
    {
        using T = PreferencesDraft::Placement::Target;
        PreferencesDraft draft;
        PreferenceRule byCode = rule(u"ci"_s, {}, PreferenceRule::Delivery::Off);
        byCode.code = u"x"_s;
        draft.reset(
            withRules({rule(u"ci"_s, {}, PreferenceRule::Delivery::Off),
                       rule(u"ci"_s, u"prod"_s, PreferenceRule::Delivery::Digest), byCode}));
        auto placed = draft.place(FieldError::fromMessage(u"rules[1].digest: not 'x'"_s));
        QCOMPARE(placed.target, T::Row);
        QCOMPARE(placed.row.application, u"ci"_s);
        QCOMPARE(placed.row.channel, u"prod"_s);
        QCOMPARE(placed.message, u"not 'x'"_s);
        placed = draft.place(FieldError::fromMessage(u"default.agents: a list"_s));
        QCOMPARE(placed.target, T::Row);
        QVERIFY(placed.row.isDefault());
        QCOMPARE(draft.place(FieldError::fromMessage(u"email: not an email address"_s)).target,
                 T::Email);
        QCOMPARE(draft.place(FieldError::fromMessage(u"timezone: an IANA time zone"_s)).target,
                 T::TimeZone);
        // A code's rule has no row: the message keeps its path.
        placed = draft.place(FieldError::fromMessage(u"rules[2].agents: bad"_s));
        QCOMPARE(placed.target, T::General);
        QCOMPARE(placed.message, u"rules[2].agents: bad"_s);
        QCOMPARE(draft.place(FieldError::fromMessage(u"rules: at most 200"_s)).target, T::General);
    }
};

QTEST_APPLESS_MAIN(TestPreferencesDraft)
#include "tst_preferencesdraft.moc"
