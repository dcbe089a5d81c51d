// SPDX-License-Identifier: Apache-2.0
#include "notificationlistmodel.h"

#include "model/modellog.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::client {

NotificationListModel::NotificationListModel(QObject *parent) : QAbstractItemModel(parent) {}

NotificationListModel::~NotificationListModel() = default;

bool NotificationListModel::add(const Notification &notification, bool unread)
{
    if (m_where.contains(notification.id)) {
        qCDebug(lcModel) << "already listed:" << notification.id;
        return false;
    }
    const int before = m_unreadCount;
    insertItem(groupFor(notification), Item{notification, unread});
    if (m_unreadCount != before)
        Q_EMIT unreadCountChanged(m_unreadCount);
    enforceCapacity();
    return true;
}

void NotificationListModel::markRead(const QList<NotificationId> &ids)
{
    const int before = m_unreadCount;
    setRead(ids);
    if (m_unreadCount != before)
        Q_EMIT unreadCountChanged(m_unreadCount);
}

void NotificationListModel::setRead(const QList<NotificationId> &ids)
{
    for (NotificationId id : ids) {
        Group *group = m_where.value(id);
        if (group)
            setUnread(groupRow(group), rowOf(group, id), false);
    }
    // A rollup is read once every member is, also those without a row here.
    const QSet<NotificationId> read(ids.cbegin(), ids.cend());
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        Group *group = m_groups[g].get();
        if (!group->isRollup() || group->acknowledged)
            continue;
        if (std::all_of(group->memberIds.cbegin(), group->memberIds.cend(),
                        [&](NotificationId id) { return read.contains(id); })) {
            group->acknowledged = true;
            emitGroupChanged(int(g));
        }
    }
}

void NotificationListModel::remove(const QList<NotificationId> &ids)
{
    const int before = m_unreadCount;
    for (NotificationId id : ids) {
        if (const NotificationId rollup = m_rollupOf.take(id)) {
            for (const auto &group : m_groups) {
                if (group->rollupId == rollup)
                    group->memberIds.removeOne(id);
            }
        }
        Group *group = m_where.value(id);
        if (group)
            removeFromGroup(groupRow(group), rowOf(group, id));
    }
    if (m_unreadCount != before)
        Q_EMIT unreadCountChanged(m_unreadCount);
}

void NotificationListModel::clear()
{
    beginResetModel();
    m_groups.clear();
    m_where.clear();
    m_rollupOf.clear();
    const bool hadUnread = m_unreadCount > 0;
    m_unreadCount = 0;
    endResetModel();
    if (hadUnread)
        Q_EMIT unreadCountChanged(0);
}

void NotificationListModel::applyInboxItem(const InboxItem &item)
{
    const int before = m_unreadCount;
    const Notification &newest = item.notification;
    const QList<NotificationId> ids = item.ids();
    const NotificationId rollupId = item.isRollup() ? newest.id : 0;
    for (NotificationId id : ids) {
        // Leaves its old rollup; a rollup that has none of its members left goes.
        if (const NotificationId old = m_rollupOf.take(id); old && old != rollupId) {
            for (const auto &group : m_groups) {
                if (group->rollupId == old)
                    group->memberIds.removeOne(id);
            }
        }
        if (rollupId)
            m_rollupOf.insert(id, rollupId);
    }
    Group *target =
        m_groups[std::size_t(findOrInsertGroup(newest.application, newest.channel, rollupId))]
            .get();
    if (rollupId) {
        target->rule = item.rule;
        target->memberIds = item.memberIds;
        target->newestTitle =
            newest.title.isEmpty() ? newest.message.section(u'\n', 0, 0) : newest.title;
        target->acknowledged = item.acknowledged;
    }
    // The target only gains rows here, so it stays; the groups the rows leave may go.
    for (NotificationId id : ids)
        moveTo(id, groupRow(target));
    if (!m_where.contains(newest.id))
        insertItem(groupRow(target), Item{newest, !item.acknowledged});
    else if (!item.isRollup())
        setUnread(groupRow(target), rowOf(target, newest.id), !item.acknowledged);
    if (item.acknowledged)
        setRead(ids);
    emitGroupChanged(groupRow(target));
    if (m_unreadCount != before)
        Q_EMIT unreadCountChanged(m_unreadCount);
    enforceCapacity();
}

std::optional<Notification> NotificationListModel::notification(NotificationId id) const
{
    const Group *group = m_where.value(id);
    if (!group)
        return std::nullopt;
    return group->items.at(rowOf(group, id)).notification;
}

bool NotificationListModel::isUnread(NotificationId id) const
{
    const Group *group = m_where.value(id);
    return group && group->items.at(rowOf(group, id)).unread;
}

QList<NotificationId> NotificationListModel::unreadIds() const
{
    QList<NotificationId> ids;
    for (const auto &group : m_groups) {
        for (const Item &item : group->items) {
            if (item.unread)
                ids.append(item.notification.id);
        }
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<NotificationId> NotificationListModel::idsUpTo(NotificationId upTo) const
{
    QList<NotificationId> ids;
    for (auto it = m_where.cbegin(); it != m_where.cend(); ++it) {
        if (upTo == 0 || it.key() <= upTo)
            ids.append(it.key());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<Notification> NotificationListModel::latestUnread(int count) const
{
    QList<Notification> result;
    for (const auto &group : m_groups) {
        for (const Item &item : group->items) {
            if (item.unread)
                result.append(item.notification);
        }
    }
    std::sort(result.begin(), result.end(),
              [](const Notification &a, const Notification &b) { return a.id > b.id; });
    if (result.size() > count)
        result.resize(count);
    return result;
}

QModelIndex NotificationListModel::indexOf(NotificationId id, int column) const
{
    const Group *group = m_where.value(id);
    if (!group)
        return {};
    return index(rowOf(group, id), column, index(groupRow(group), 0));
}

void NotificationListModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    enforceCapacity();
}

QModelIndex NotificationListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (row >= int(m_groups.size()))
            return {};
        return createIndex(row, column, nullptr);
    }
    if (parent.internalPointer()) // notifications have no children
        return {};
    const Group *group = m_groups[std::size_t(parent.row())].get();
    if (row >= group->items.size())
        return {};
    return createIndex(row, column, const_cast<Group *>(group));
}

QModelIndex NotificationListModel::parent(const QModelIndex &child) const
{
    const Group *group = groupOf(child);
    if (!group)
        return {};
    return createIndex(groupRow(group), 0, nullptr);
}

int NotificationListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalPointer() || parent.column() != 0)
        return 0;
    return int(m_groups[std::size_t(parent.row())]->items.size());
}

int NotificationListModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant NotificationListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (const Group *group = groupOf(index))
        return group->items.at(index.row()).data(index.column(), role);
    return m_groups[std::size_t(index.row())]->data(index.column(), role);
}

QVariant NotificationListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TitleColumn:
        return tr("Title");
    case MessageColumn:
        return tr("Message");
    case TimeColumn:
        return tr("Time");
    }
    return {};
}

QHash<int, QByteArray> NotificationListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(IdRole, "notificationId");
    names.insert(UnreadRole, "unread");
    names.insert(UrlRole, "url");
    names.insert(ApplicationRole, "application");
    names.insert(ChannelRole, "channel");
    names.insert(CopyTextRole, "copyText");
    names.insert(IsGroupRole, "isGroup");
    names.insert(UnreadCountRole, "unreadCount");
    names.insert(TimeRole, "time");
    names.insert(IsRollupRole, "isRollup");
    names.insert(MemberIdsRole, "memberIds");
    names.insert(PriorityRole, "priority");
    names.insert(ActionsRole, "actions");
    names.insert(MemberCountRole, "memberCount");
    names.insert(MessageRole, "message");
    return names;
}

NotificationListModel::Group *NotificationListModel::groupOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Group *>(index.internalPointer()) : nullptr;
}

int NotificationListModel::groupRow(const Group *group) const
{
    for (std::size_t i = 0; i < m_groups.size(); ++i) {
        if (m_groups[i].get() == group)
            return int(i);
    }
    return -1;
}

int NotificationListModel::rowOf(const Group *group, NotificationId id) const
{
    for (int row = 0; row < group->items.size(); ++row) {
        if (group->items[row].notification.id == id)
            return row;
    }
    return -1;
}

int NotificationListModel::findOrInsertGroup(const QString &application, const QString &channel,
                                             NotificationId rollupId)
{
    const auto key = std::tuple(application, channel, rollupId);
    const auto pos = std::lower_bound(
        m_groups.begin(), m_groups.end(), key, [](const std::unique_ptr<Group> &g, const auto &k) {
            return std::tuple(g->application, g->channel, g->rollupId) < k;
        });
    const int row = int(pos - m_groups.begin());
    if (pos != m_groups.end() &&
        std::tuple((*pos)->application, (*pos)->channel, (*pos)->rollupId) == key)
        return row;
    beginInsertRows({}, row, row);
    auto group = std::make_unique<Group>();
    group->application = application;
    group->channel = channel;
    group->rollupId = rollupId;
    m_groups.insert(pos, std::move(group));
    endInsertRows();
    return row;
}

int NotificationListModel::groupFor(const Notification &notification)
{
    if (const NotificationId rollup = m_rollupOf.value(notification.id)) {
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            if (m_groups[g]->rollupId == rollup)
                return int(g);
        }
    }
    return findOrInsertGroup(notification.application, notification.channel);
}

void NotificationListModel::insertItem(int groupIndex, const Item &item)
{
    Group *group = m_groups[std::size_t(groupIndex)].get();
    // Newest first; ids grow with creation time.
    const auto pos = std::find_if(group->items.cbegin(), group->items.cend(), [&](const Item &i) {
        return i.notification.id < item.notification.id;
    });
    const int row = int(pos - group->items.cbegin());
    beginInsertRows(index(groupIndex, 0), row, row);
    group->items.insert(row, item);
    m_where.insert(item.notification.id, group);
    endInsertRows();
    if (item.unread) {
        ++group->unread;
        ++m_unreadCount;
        emitGroupChanged(groupIndex);
    }
}

NotificationListModel::Item NotificationListModel::removeFromGroup(int groupIndex, int row)
{
    Group *group = m_groups[std::size_t(groupIndex)].get();
    if (group->items.size() == 1) {
        beginRemoveRows({}, groupIndex, groupIndex);
        const Item item = group->items.first();
        m_where.remove(item.notification.id);
        if (item.unread)
            --m_unreadCount;
        m_groups.erase(m_groups.begin() + groupIndex);
        endRemoveRows();
        return item;
    }
    beginRemoveRows(index(groupIndex, 0), row, row);
    const Item item = group->items.takeAt(row);
    m_where.remove(item.notification.id);
    if (item.unread) {
        --group->unread;
        --m_unreadCount;
    }
    endRemoveRows();
    emitGroupChanged(groupIndex);
    return item;
}

void NotificationListModel::moveTo(NotificationId id, int groupIndex)
{
    const Group *target = m_groups[std::size_t(groupIndex)].get();
    Group *group = m_where.value(id);
    if (!group || group == target)
        return;
    const Item item = removeFromGroup(groupRow(group), rowOf(group, id));
    insertItem(groupRow(target), item);
}

void NotificationListModel::setUnread(int groupIndex, int row, bool unread)
{
    Group *group = m_groups[std::size_t(groupIndex)].get();
    Item &item = group->items[row];
    if (item.unread == unread)
        return;
    item.unread = unread;
    group->unread += unread ? 1 : -1;
    m_unreadCount += unread ? 1 : -1;
    const QModelIndex parent = index(groupIndex, 0);
    Q_EMIT dataChanged(index(row, 0, parent), index(row, ColumnCount - 1, parent));
    emitGroupChanged(groupIndex);
}

void NotificationListModel::emitGroupChanged(int groupIndex)
{
    if (groupIndex >= 0)
        Q_EMIT dataChanged(index(groupIndex, 0), index(groupIndex, ColumnCount - 1));
}

void NotificationListModel::enforceCapacity()
{
    while (totalCount() > m_capacity) {
        // The oldest read notification goes first; unread ones only when nothing else is left.
        int bestGroup = -1;
        int bestRow = -1;
        NotificationId bestId = 0;
        bool bestUnread = true;
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            const Group *group = m_groups[g].get();
            for (int row = 0; row < group->items.size(); ++row) {
                const Item &item = group->items[row];
                const bool better = bestGroup < 0 || (bestUnread && !item.unread) ||
                                    (bestUnread == item.unread && item.notification.id < bestId);
                if (better) {
                    bestGroup = int(g);
                    bestRow = row;
                    bestId = item.notification.id;
                    bestUnread = item.unread;
                }
            }
        }
        if (bestGroup < 0)
            return;
        const int before = m_unreadCount;
        removeFromGroup(bestGroup, bestRow);
        if (m_unreadCount != before)
            Q_EMIT unreadCountChanged(m_unreadCount);
    }
}

} // namespace herald::client
