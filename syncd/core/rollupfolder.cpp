// SPDX-License-Identifier: Apache-2.0
#include "core/rollupfolder.h"

#include <QHash>

#include <algorithm>

namespace herald::syncd {

QList<InboxItem> RollupFolder::fold(QList<InboxEntry> newestFirst, QList<RollupRule> rules)
{
    std::sort(rules.begin(), rules.end(),
              [](const RollupRule &a, const RollupRule &b) { return a.name < b.name; });
    // Items are built as indexes into newestFirst first and take their face at the end, moved:
    // a member joining a group must not copy a whole notification.
    struct Group
    {
        qsizetype face;
        QList<NotificationId> ids;
        bool acknowledged;
        const RollupRule *rule;
        qint64 firstTimeMs;
    };
    QList<Group> groups;
    groups.reserve(newestFirst.size());
    QHash<QString, qsizetype> open; // group key -> its group
    for (qsizetype i = newestFirst.size() - 1; i >= 0; --i) {
        const InboxEntry &entry = newestFirst.at(i);
        const Notification &n = entry.notification;
        const qint64 timeMs = n.time.toMSecsSinceEpoch();
        const auto rule = std::find_if(rules.cbegin(), rules.cend(),
                                       [&](const RollupRule &r) { return r.matches(n); });
        if (rule != rules.cend()) {
            const QString key = rule->name + QChar(0x1f) + rule->groupValue(n) + QChar(0x1f) +
                                (entry.seen ? u'1' : u'0');
            const qsizetype index = open.value(key, -1);
            if (index >= 0 && groups[index].ids.size() < rule->maxSize &&
                timeMs - groups[index].firstTimeMs <= rule->maxDurationMs) {
                Group &group = groups[index];
                group.face = i;
                group.ids.prepend(n.id);
                group.acknowledged = group.acknowledged && entry.acknowledged;
                continue;
            }
            open.insert(key, groups.size());
        }
        groups.append(
            Group{i, {n.id}, entry.acknowledged, rule != rules.cend() ? &*rule : nullptr, timeMs});
    }
    // Faces are distinct entries, so a face's index orders the items newest first.
    std::sort(groups.begin(), groups.end(),
              [](const Group &a, const Group &b) { return a.face < b.face; });
    QList<InboxItem> items;
    items.reserve(groups.size());
    for (Group &group : groups)
        items.append(InboxItem{std::move(newestFirst[group.face]), std::move(group.ids),
                               group.acknowledged, group.rule ? group.rule->name : QString()});
    return items;
}

} // namespace herald::syncd
