// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSortFilterProxyModel>

namespace herald::client {

// Search and "unread only" over a NotificationListModel: a notification row passes when it
// matches both; a group row shows while one of its notifications passes. Search is
// case-insensitive over title, message, application and channel.
class NotificationFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit NotificationFilterModel(QObject *parent = nullptr);

    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);
    bool unreadOnly() const { return m_unreadOnly; }
    void setUnreadOnly(bool unreadOnly);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_search;
    bool m_unreadOnly = false;
};

} // namespace herald::client
