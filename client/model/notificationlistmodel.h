// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/inboxitem.h"
#include "model/listgroup.h"
#include "model/notification.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>

#include <memory>
#include <optional>
#include <vector>

namespace herald::client {

// The notifications this client knows, as a two-level tree: one row per application/channel
// (sorted by name), under it that channel's notifications, newest first. Columns: title,
// message, time. Unread rows are bold; a group is bold while it holds unread ones. A rollup of
// the server's inbox (applyInboxItem) is a group of its own after its channel's, one row
// ("5 deploys in api, latest: v2.3 is live") with its members under it; notifications that
// arrive later and are among its members join it.
// Notifications are unique by id: adding one that is already there changes nothing.
// The list window and the tray menu are views over it; it owns no connection.
// GUI thread only.
class NotificationListModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column
    {
        TitleColumn,
        MessageColumn,
        TimeColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, // qint64; 0 on group rows
        UnreadRole,                // bool; on group rows: any unread
        UrlRole,                   // QString
        ApplicationRole,
        ChannelRole,
        CopyTextRole, // title, message and url as plain text
        IsGroupRole,
        UnreadCountRole, // int, on group rows
        TimeRole,        // QDateTime
        IsRollupRole,    // bool
        // QList<NotificationId>: what acknowledging or deleting the row touches (a rollup: all
        // its members, also those without a row here; a channel: its rows; a row: its id)
        MemberIdsRole,
        PriorityRole, // int (herald::Priority); on group rows: the highest of its rows
        ActionsRole,  // QList<NotificationAction>; empty on group rows
        // int: how many notifications a rollup stands for (also those without a row here)
        MemberCountRole,
        MessageRole, // QString: the whole message; empty on group rows
    };

    static constexpr int DefaultCapacity = 2000;

    explicit NotificationListModel(QObject *parent = nullptr);
    ~NotificationListModel() override;

    // Adds a notification; false (nothing changes) when its id is already in the model. Beyond
    // capacity() the oldest read notifications are dropped.
    bool add(const Notification &notification, bool unread = true);
    // Marks these read (acknowledged here or on another device). Unknown ids are ignored.
    void markRead(const QList<NotificationId> &ids);
    // Removes these (deleted on the server). Empty groups go too.
    void remove(const QList<NotificationId> &ids);
    void clear();
    // Takes in one item of the server's inbox: the notification (read when acknowledged), or a
    // rollup: its members move into the rollup's group (their old rollup, if any, loses them)
    // and leave any other. The server's answer is the truth for the ids it names.
    void applyInboxItem(const InboxItem &item);
    // Whether the id belongs to a rollup this model knows.
    bool isRollupMember(NotificationId id) const { return m_rollupOf.contains(id); }

    bool contains(NotificationId id) const { return m_where.contains(id); }
    std::optional<Notification> notification(NotificationId id) const;
    bool isUnread(NotificationId id) const;
    int unreadCount() const { return m_unreadCount; }
    int totalCount() const { return int(m_where.size()); }
    // All unread ids, ascending.
    QList<NotificationId> unreadIds() const;
    // Every listed id up to upTo (all with 0), ascending.
    QList<NotificationId> idsUpTo(NotificationId upTo = 0) const;
    // Up to `count` unread notifications, newest first.
    QList<Notification> latestUnread(int count) const;
    QModelIndex indexOf(NotificationId id, int column = TitleColumn) const;
    int groupCount() const { return int(m_groups.size()); }

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void unreadCountChanged(int unread);

private:
    using Item = ListItem;
    using Group = ListGroup;

    Group *groupOf(const QModelIndex &index) const; // the group a child row belongs to
    int groupRow(const Group *group) const;
    int rowOf(const Group *group, NotificationId id) const;
    int findOrInsertGroup(const QString &application, const QString &channel,
                          NotificationId rollupId = 0);
    // The group a new notification goes to: its rollup's, else its channel's.
    int groupFor(const Notification &notification);
    void insertItem(int groupIndex, const Item &item);
    Item removeFromGroup(int groupIndex, int row);
    void setUnread(int groupIndex, int row, bool unread);
    void setRead(const QList<NotificationId> &ids); // markRead() without the signal
    void moveTo(NotificationId id, int groupIndex);
    void emitGroupChanged(int groupIndex);
    void enforceCapacity();

    std::vector<std::unique_ptr<Group>> m_groups; // sorted by application, channel, rollupId
    QHash<NotificationId, Group *> m_where;
    QHash<NotificationId, NotificationId> m_rollupOf; // member id -> its rollup's id
    int m_unreadCount = 0;
    int m_capacity = DefaultCapacity;
};

} // namespace herald::client
