// SPDX-License-Identifier: Apache-2.0
// RollupFolder against a model: random inboxes and rules fold exactly as a plain, slow
// re-statement of the rule (the contract in rollupfolder.h) folds them, plus the cases a
// person reads in the documentation (seen and unseen apart, maxSize, maxDuration, which rule
// wins, acknowledged only when every member is).
#include "core/rollupfolder.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;

namespace {

const QDateTime Epoch = QDateTime::fromMSecsSinceEpoch(1'767'225'600'000, Qt::UTC);

InboxEntry entry(NotificationId id, qint64 minutes, const QString &code = u"deploy"_s,
                 bool seen = false, bool acknowledged = false)
{
    InboxEntry e;
    e.notification.id = id;
    e.notification.application = u"ci"_s;
    e.notification.channel = u"api"_s;
    e.notification.code = code;
    e.notification.title = u"Deploy %1"_s.arg(id);
    e.notification.time = Epoch.addSecs(minutes * 60);
    e.seen = seen;
    e.acknowledged = acknowledged;
    return e;
}

RollupRule rule(const QString &name, const QString &matchOn = {}, int maxSize = 10,
                qint64 maxDurationMinutes = 60)
{
    RollupRule r;
    r.name = name;
    r.application = u"ci"_s;
    r.matchOn = matchOn;
    r.maxSize = maxSize;
    r.maxDurationMs = maxDurationMinutes * 60'000;
    return r;
}

QList<InboxEntry> newestFirst(QList<InboxEntry> entries)
{
    std::sort(entries.begin(), entries.end(), [](const InboxEntry &a, const InboxEntry &b) {
        return a.notification.id > b.notification.id;
    });
    return entries;
}

using Shape = QList<QList<NotificationId>>; // the members of each item, as listed

Shape shapeOf(const QList<InboxItem> &items)
{
    Shape shape;
    for (const InboxItem &item : items)
        shape.append(item.ids);
    return shape;
}

// The model: the rule re-stated with nothing clever. Groups live in one list; a notification
// looks for the newest group of its key and joins it if that group still has room and began
// recently enough.
struct ModelGroup
{
    QString rule;
    QString value;
    bool seen;
    qint64 firstMs;
    QList<NotificationId> oldestFirst;
    bool acknowledged;
    InboxEntry newest;
};

QString modelValue(const RollupRule &r, const Notification &n)
{
    if (r.matchOn.isEmpty())
        return u"*"_s;
    const QString field = r.matchOn;
    if (field.startsWith(u"tags."_s))
        return u"t:"_s + n.tags.value(field.sliced(5));
    static const QHash<QString, std::function<QString(const Notification &)>> fields{
        {u"code"_s, [](const Notification &x) { return x.code; }},
        {u"channel"_s, [](const Notification &x) { return x.channel; }},
        {u"level"_s, [](const Notification &x) { return x.level; }},
        {u"priority"_s, [](const Notification &x) { return QString::number(int(x.priority)); }},
        {u"title"_s, [](const Notification &x) { return x.title; }}};
    return u"f:"_s + fields.value(field)(n);
}

QList<InboxItem> modelFold(const QList<InboxEntry> &entriesNewestFirst,
                           const QList<RollupRule> &rules)
{
    QList<ModelGroup> groups;
    for (qsizetype i = entriesNewestFirst.size() - 1; i >= 0; --i) {
        const InboxEntry &e = entriesNewestFirst[i];
        const Notification &n = e.notification;
        const RollupRule *chosen = nullptr;
        for (const RollupRule &r : rules) {
            const bool matches = r.application == n.application &&
                                 (r.channel.isEmpty() || r.channel == n.channel) &&
                                 (r.code.isEmpty() || r.code == n.code);
            if (matches && (!chosen || r.name < chosen->name))
                chosen = &r;
        }
        const qint64 ms = n.time.toMSecsSinceEpoch();
        if (chosen) {
            const QString value = modelValue(*chosen, n);
            ModelGroup *newestOfKey = nullptr;
            for (ModelGroup &g : groups)
                if (g.rule == chosen->name && g.value == value && g.seen == e.seen)
                    newestOfKey = &g;
            if (newestOfKey && newestOfKey->oldestFirst.size() < chosen->maxSize &&
                ms - newestOfKey->firstMs <= chosen->maxDurationMs) {
                newestOfKey->oldestFirst.append(n.id);
                newestOfKey->acknowledged = newestOfKey->acknowledged && e.acknowledged;
                newestOfKey->newest = e;
                continue;
            }
        }
        groups.append(ModelGroup{chosen ? chosen->name : QString(),
                                 chosen ? modelValue(*chosen, n) : QString(),
                                 e.seen,
                                 ms,
                                 {n.id},
                                 e.acknowledged,
                                 e});
    }
    QList<InboxItem> items;
    for (const ModelGroup &g : groups) {
        QList<NotificationId> ids(g.oldestFirst.crbegin(), g.oldestFirst.crend());
        items.append(InboxItem{g.newest, ids, g.acknowledged, g.rule});
    }
    std::sort(items.begin(), items.end(),
              [](const InboxItem &a, const InboxItem &b) { return a.ids.first() > b.ids.first(); });
    return items;
}

template <typename T> const T &pick(QRandomGenerator &random, const QList<T> &from)
{
    return from.at(random.bounded(int(from.size())));
}

QList<InboxEntry> randomInbox(QRandomGenerator &random)
{
    QList<InboxEntry> entries;
    const int count = random.bounded(80);
    qint64 minutes = 0;
    for (int id = 1; id <= count; ++id) {
        minutes += pick(random, QList<int>{0, 0, 1, 5, 20, 90});
        InboxEntry e = entry(id, minutes, pick(random, QList<QString>{u"deploy"_s, u"fail"_s}),
                             random.bounded(3) == 0, random.bounded(2) == 0);
        e.notification.application = pick(random, QList<QString>{u"ci"_s, u"ci"_s, u"mail"_s});
        e.notification.channel = pick(random, QList<QString>{u"api"_s, u"web"_s});
        e.notification.level = pick(random, QList<QString>{u"info"_s, u"error"_s});
        e.notification.priority = pick(random, QList<Priority>{Priority::Low, Priority::High});
        e.notification.title = pick(random, QList<QString>{u"v1"_s, u"v2"_s});
        if (random.bounded(4) != 0)
            e.notification.tags.insert(u"env"_s, pick(random, QList<QString>{u"prod"_s, u"dev"_s}));
        entries.append(e);
    }
    return newestFirst(entries);
}

QList<RollupRule> randomRules(QRandomGenerator &random)
{
    QList<RollupRule> rules;
    QStringList names{u"a"_s, u"b"_s, u"c"_s, u"d"_s};
    const int count = random.bounded(5);
    for (int i = 0; i < count; ++i) {
        RollupRule r = rule(names.takeAt(random.bounded(int(names.size()))),
                            pick(random, QList<QString>{{},
                                                        u"tags.env"_s,
                                                        u"code"_s,
                                                        u"channel"_s,
                                                        u"level"_s,
                                                        u"priority"_s,
                                                        u"title"_s,
                                                        u"tags.none"_s}),
                            2 + random.bounded(5), pick(random, QList<qint64>{1, 10, 60, 600}));
        r.application = pick(random, QList<QString>{u"ci"_s, u"ci"_s, u"mail"_s});
        r.channel = pick(random, QList<QString>{{}, {}, u"api"_s});
        r.code = pick(random, QList<QString>{{}, {}, u"deploy"_s});
        rules.append(r);
    }
    return rules;
}

} // namespace

class TestRollupFolder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void withoutRulesEveryNotificationIsItsOwnItem()
    {
        const auto inbox = newestFirst({entry(1, 0), entry(2, 1), entry(3, 2)});
        QCOMPARE(shapeOf(RollupFolder::fold(inbox, {})), (Shape{{3}, {2}, {1}}));
    }

    void similarNotificationsFoldNewestFirstWithTheNewestAsFace()
    {
        const auto items = RollupFolder::fold(
            newestFirst({entry(1, 0), entry(2, 1), entry(3, 2), entry(4, 3, u"fail"_s)}),
            {rule(u"deploys"_s, u"code"_s)});
        QCOMPARE(shapeOf(items), (Shape{{4}, {3, 2, 1}}));
        QCOMPARE(items[1].id(), NotificationId(3));
        QCOMPARE(items[1].newest.notification.title, u"Deploy 3"_s);
        QCOMPARE(items[1].rule, u"deploys"_s);
        QVERIFY(items[1].isRollup());
        QCOMPARE(items[0].rule, u"deploys"_s); // matched, alone in its group
        QVERIFY(!items[0].isRollup());
    }

    void seenAndUnseenRollSeparately()
    {
        const auto inbox = newestFirst({entry(1, 0, u"deploy"_s, true),
                                        entry(2, 1, u"deploy"_s, true), entry(3, 2), entry(4, 3)});
        const auto items = RollupFolder::fold(inbox, {rule(u"deploys"_s)});
        QCOMPARE(shapeOf(items), (Shape{{4, 3}, {2, 1}}));
        QVERIFY(!items[0].newest.seen);
        QVERIFY(items[1].newest.seen);
    }

    void maxSizeStartsANewGroup()
    {
        QList<InboxEntry> inbox;
        for (int id = 1; id <= 5; ++id)
            inbox.append(entry(id, id));
        QCOMPARE(shapeOf(RollupFolder::fold(newestFirst(inbox), {rule(u"r"_s, {}, 2)})),
                 (Shape{{5}, {4, 3}, {2, 1}}));
    }

    void maxDurationCountsFromTheGroupsFirstMember()
    {
        // 0, 30, 60 fit in one hour from 0; 61 does not, and starts its own group.
        const auto inbox = newestFirst({entry(1, 0), entry(2, 30), entry(3, 60), entry(4, 61)});
        QCOMPARE(shapeOf(RollupFolder::fold(inbox, {rule(u"r"_s, {}, 10, 60)})),
                 (Shape{{4}, {3, 2, 1}}));
    }

    void theFirstRuleByNameWinsWhateverOrderTheyCome()
    {
        RollupRule byCode = rule(u"b-code"_s, u"code"_s);
        RollupRule everything = rule(u"a-all"_s);
        const auto inbox = newestFirst({entry(1, 0), entry(2, 1, u"fail"_s)});
        const auto items = RollupFolder::fold(inbox, {byCode, everything});
        QCOMPARE(shapeOf(items), (Shape{{2, 1}}));
        QCOMPARE(items[0].rule, u"a-all"_s);
    }

    void aRollupIsAcknowledgedOnlyWhenEveryMemberIs()
    {
        const auto some = RollupFolder::fold(
            newestFirst({entry(1, 0, u"deploy"_s, false, true), entry(2, 1)}), {rule(u"r"_s)});
        QVERIFY(!some[0].acknowledged);
        const auto all = RollupFolder::fold(newestFirst({entry(1, 0, u"deploy"_s, false, true),
                                                         entry(2, 1, u"deploy"_s, false, true)}),
                                            {rule(u"r"_s)});
        QVERIFY(all[0].acknowledged);
    }

    void anInterleavedGroupKeepsCollectingAcrossOthers()
    {
        // prod, dev, prod, dev by tag: two groups that interleave in time.
        QList<InboxEntry> inbox;
        for (int id = 1; id <= 4; ++id) {
            InboxEntry e = entry(id, id);
            e.notification.tags.insert(u"env"_s, id % 2 ? u"prod"_s : u"dev"_s);
            inbox.append(e);
        }
        QCOMPARE(shapeOf(RollupFolder::fold(newestFirst(inbox), {rule(u"r"_s, u"tags.env"_s)})),
                 (Shape{{4, 2}, {3, 1}}));
    }

    void randomInboxesFoldAsTheModelDoes()
    {
        QRandomGenerator random(20261203);
        for (int round = 0; round < 3000; ++round) {
            const auto inbox = randomInbox(random);
            const auto rules = randomRules(random);
            const auto actual = RollupFolder::fold(inbox, rules);
            const auto expected = modelFold(inbox, rules);
            QCOMPARE(shapeOf(actual), shapeOf(expected));
            for (qsizetype i = 0; i < actual.size(); ++i) {
                QCOMPARE(actual[i].rule, expected[i].rule);
                QCOMPARE(actual[i].acknowledged, expected[i].acknowledged);
                QCOMPARE(actual[i].newest.seen, expected[i].newest.seen);
                QCOMPARE(actual[i].id(), expected[i].id());
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestRollupFolder)
#include "tst_rollupfolder.moc"
