#include "core/rollupfolder.h"

#include <QHash>

#include <algorithm>

namespace herald::syncd {

QList<InboxItem> RollupFolder::fold(const QList<InboxEntry> &newestFirst, QList<RollupRule> rules)
{
    std::sort(rules.begin(), rules.end(),
              [](const RollupRule &a, const RollupRule &b) { return a.name < b.name; });
    QList<InboxItem> items;
    items.reserve(newestFirst.size());
    QList<qint64> firstTimeMs; // per item: when its oldest member was made
    QHash<QString, qsizetype> open; // group key -> its item
    for (auto it = newestFirst.crbegin(); it != newestFirst.crend(); ++it) {
        const InboxEntry &entry = *it;
        const Notification &n = entry.notification;
        const qint64 timeMs = n.time.toMSecsSinceEpoch();
        const auto rule = std::find_if(rules.cbegin(), rules.cend(),
                                       [&](const RollupRule &r) { return r.matches(n); });
        if (rule != rules.cend()) {
            const QString key = rule->name + QChar(0x1f) + rule->groupValue(n) + QChar(0x1f) +
                                (entry.seen ? u'1' : u'0');
            const qsizetype index = open.value(key, -1);
            if (index >= 0 && items[index].ids.size() < rule->maxSize &&
                timeMs - firstTimeMs[index] <= rule->maxDurationMs) {
                InboxItem &item = items[index];
                item.newest = entry;
                item.ids.prepend(n.id);
                item.acknowledged = item.acknowledged && entry.acknowledged;
                continue;
            }
            open.insert(key, items.size());
        }
        items.append(InboxItem{entry, {n.id}, entry.acknowledged,
                               rule != rules.cend() ? rule->name : QString()});
        firstTimeMs.append(timeMs);
    }
    std::sort(items.begin(), items.end(),
              [](const InboxItem &a, const InboxItem &b) { return a.id() > b.id(); });
    return items;
}

} // namespace herald::syncd
