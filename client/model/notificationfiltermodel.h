// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace herald::client {

// Search, "unread only" and "only these ids" (a digest's notifications) over a
// NotificationListModel: a notification row passes when it matches all three; a group row
// shows while one of its notifications passes. Search is case-insensitive over title, message,
// application and channel.
class NotificationFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit NotificationFilterModel(QObject *parent = nullptr);

    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);
    bool unreadOnly() const { return m_unreadOnly; }
    void setUnreadOnly(bool unreadOnly);
    // Only these notifications; an empty list shows all again.
    const QSet<NotificationId> &idFilter() const { return m_ids; }
    void setIdFilter(const QList<herald::NotificationId> &ids);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_search;
    bool m_unreadOnly = false;
    QSet<NotificationId> m_ids;
};

} // namespace herald::client
