// SPDX-License-Identifier: Apache-2.0
#include "notificationfiltermodel.h"

#include "notificationlistmodel.h"

namespace herald::client {

NotificationFilterModel::NotificationFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    // A group passes when a child passes; groups never match on their own.
    setRecursiveFilteringEnabled(true);
    setDynamicSortFilter(true);
}

void NotificationFilterModel::setSearchText(const QString &text)
{
    if (text == m_search)
        return;
    m_search = text;
    invalidateFilter();
}

void NotificationFilterModel::setUnreadOnly(bool unreadOnly)
{
    if (unreadOnly == m_unreadOnly)
        return;
    m_unreadOnly = unreadOnly;
    invalidateFilter();
}

void NotificationFilterModel::setIdFilter(const QList<NotificationId> &ids)
{
    QSet<NotificationId> set(ids.cbegin(), ids.cend());
    if (set == m_ids)
        return;
    m_ids = std::move(set);
    invalidateFilter();
}

bool NotificationFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (index.data(NotificationListModel::IsGroupRole).toBool())
        return !m_unreadOnly && m_search.isEmpty() && m_ids.isEmpty() &&
               sourceModel()->rowCount(index) > 0;
    if (!m_ids.isEmpty() && !m_ids.contains(index.data(NotificationListModel::IdRole).toLongLong()))
        return false;
    if (m_unreadOnly && !index.data(NotificationListModel::UnreadRole).toBool())
        return false;
    if (m_search.isEmpty())
        return true;
    const QString haystack = index.data(NotificationListModel::CopyTextRole).toString() + u'\n' +
                             index.data(NotificationListModel::ApplicationRole).toString() + u'/' +
                             index.data(NotificationListModel::ChannelRole).toString();
    return haystack.contains(m_search, Qt::CaseInsensitive);
}

} // namespace herald::client
