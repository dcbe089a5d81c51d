#include "notificationlistmodel.h"

#include "model/modellog.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
QString firstLine(const QString &text)
{
    const qsizetype newline = text.indexOf(u'\n');
    return newline < 0 ? text : text.left(newline) + u" …"_s;
}
} // namespace

NotificationListModel::NotificationListModel(QObject *parent) : QAbstractItemModel(parent) {}

NotificationListModel::~NotificationListModel() = default;

bool NotificationListModel::add(const Notification &notification, bool unread)
{
    if (m_where.contains(notification.id)) {
        qCDebug(lcModel) << "already listed:" << notification.id;
        return false;
    }
    const int g = findOrInsertGroup(notification.application, notification.channel);
    Group *group = m_groups[std::size_t(g)].get();
    // Newest first; ids grow with creation time.
    const auto pos = std::find_if(group->items.cbegin(), group->items.cend(), [&](const Item &i) {
        return i.notification.id < notification.id;
    });
    const int row = int(pos - group->items.cbegin());
    beginInsertRows(index(g, 0), row, row);
    group->items.insert(row, Item{notification, unread});
    m_where.insert(notification.id, group);
    endInsertRows();
    if (unread) {
        ++group->unread;
        ++m_unreadCount;
        const QModelIndex groupIndex = index(g, 0);
        Q_EMIT dataChanged(groupIndex, index(g, ColumnCount - 1));
        Q_EMIT unreadCountChanged(m_unreadCount);
    }
    enforceCapacity();
    return true;
}

void NotificationListModel::markRead(const QList<NotificationId> &ids)
{
    const int before = m_unreadCount;
    for (NotificationId id : ids) {
        Group *group = m_where.value(id);
        if (!group)
            continue;
        const int g = groupRow(group);
        for (int row = 0; row < group->items.size(); ++row) {
            if (group->items[row].notification.id == id) {
                setUnread(g, row, false);
                break;
            }
        }
    }
    if (m_unreadCount != before)
        Q_EMIT unreadCountChanged(m_unreadCount);
}

void NotificationListModel::remove(const QList<NotificationId> &ids)
{
    const int before = m_unreadCount;
    for (NotificationId id : ids) {
        Group *group = m_where.value(id);
        if (!group)
            continue;
        const int g = groupRow(group);
        for (int row = 0; row < group->items.size(); ++row) {
            if (group->items[row].notification.id == id) {
                removeFromGroup(g, row);
                break;
            }
        }
    }
    if (m_unreadCount != before)
        Q_EMIT unreadCountChanged(m_unreadCount);
}

void NotificationListModel::clear()
{
    beginResetModel();
    m_groups.clear();
    m_where.clear();
    const bool hadUnread = m_unreadCount > 0;
    m_unreadCount = 0;
    endResetModel();
    if (hadUnread)
        Q_EMIT unreadCountChanged(0);
}

std::optional<Notification> NotificationListModel::notification(NotificationId id) const
{
    const Group *group = m_where.value(id);
    if (!group)
        return std::nullopt;
    for (const Item &item : group->items) {
        if (item.notification.id == id)
            return item.notification;
    }
    return std::nullopt;
}

bool NotificationListModel::isUnread(NotificationId id) const
{
    const Group *group = m_where.value(id);
    if (!group)
        return false;
    for (const Item &item : group->items) {
        if (item.notification.id == id)
            return item.unread;
    }
    return false;
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
    const int g = groupRow(group);
    for (int row = 0; row < group->items.size(); ++row) {
        if (group->items[row].notification.id == id)
            return index(row, column, index(g, 0));
    }
    return {};
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
    if (const Group *group = groupOf(index)) {
        const Item &item = group->items.at(index.row());
        const Notification &n = item.notification;
        switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
            case TitleColumn:
                return n.title.isEmpty() ? firstLine(n.message) : n.title;
            case MessageColumn:
                return firstLine(n.message);
            case TimeColumn:
                return QLocale().toString(n.time.toLocalTime(), QLocale::ShortFormat);
            }
            return {};
        case Qt::ToolTipRole:
            return n.message.toHtmlEscaped();
        case Qt::FontRole:
            if (item.unread) {
                QFont font;
                font.setBold(true);
                return font;
            }
            return {};
        case IdRole:
            return n.id;
        case UnreadRole:
            return item.unread;
        case UrlRole:
            return n.url;
        case ApplicationRole:
            return n.application;
        case ChannelRole:
            return n.channel;
        case CopyTextRole: {
            QStringList parts;
            if (!n.title.isEmpty())
                parts << n.title;
            if (!n.message.isEmpty())
                parts << n.message;
            if (!n.url.isEmpty())
                parts << n.url;
            return parts.join(u'\n');
        }
        case IsGroupRole:
            return false;
        case TimeRole:
            return n.time;
        }
        return {};
    }
    const Group *group = m_groups[std::size_t(index.row())].get();
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TitleColumn) {
            const QString name = group->application + u" / "_s + group->channel;
            return group->unread > 0 ? u"%1 (%2)"_s.arg(name).arg(group->unread) : name;
        }
        return {};
    case Qt::FontRole:
        if (group->unread > 0) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case IdRole:
        return qint64(0);
    case UnreadRole:
        return group->unread > 0;
    case ApplicationRole:
        return group->application;
    case ChannelRole:
        return group->channel;
    case IsGroupRole:
        return true;
    case UnreadCountRole:
        return group->unread;
    case TimeRole:
        return group->items.isEmpty() ? QDateTime() : group->items.first().notification.time;
    }
    return {};
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

int NotificationListModel::findOrInsertGroup(const QString &application, const QString &channel)
{
    const auto key = std::pair(application, channel);
    const auto pos = std::lower_bound(m_groups.begin(), m_groups.end(), key,
                                      [](const std::unique_ptr<Group> &g, const auto &k) {
                                          return std::pair(g->application, g->channel) < k;
                                      });
    const int row = int(pos - m_groups.begin());
    if (pos != m_groups.end() && (*pos)->application == application && (*pos)->channel == channel)
        return row;
    beginInsertRows({}, row, row);
    auto group = std::make_unique<Group>();
    group->application = application;
    group->channel = channel;
    m_groups.insert(pos, std::move(group));
    endInsertRows();
    return row;
}

void NotificationListModel::removeFromGroup(int groupIndex, int row)
{
    Group *group = m_groups[std::size_t(groupIndex)].get();
    if (group->items.size() == 1) {
        beginRemoveRows({}, groupIndex, groupIndex);
        m_where.remove(group->items.first().notification.id);
        if (group->items.first().unread)
            --m_unreadCount;
        m_groups.erase(m_groups.begin() + groupIndex);
        endRemoveRows();
        return;
    }
    beginRemoveRows(index(groupIndex, 0), row, row);
    const Item item = group->items.takeAt(row);
    m_where.remove(item.notification.id);
    if (item.unread) {
        --group->unread;
        --m_unreadCount;
    }
    endRemoveRows();
    Q_EMIT dataChanged(index(groupIndex, 0), index(groupIndex, ColumnCount - 1));
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
    Q_EMIT dataChanged(parent, index(groupIndex, ColumnCount - 1));
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
