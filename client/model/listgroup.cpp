// SPDX-License-Identifier: Apache-2.0
#include "listgroup.h"

#include "model/notificationlistmodel.h"
#include "model/rolluprule.h"

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

QVariant boldIf(bool bold)
{
    if (!bold)
        return {};
    QFont font;
    font.setBold(true);
    return font;
}
} // namespace

QVariant ListItem::data(int column, int role) const
{
    using M = NotificationListModel;
    const Notification &n = notification;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case M::TitleColumn:
            return n.title.isEmpty() ? firstLine(n.message) : n.title;
        case M::MessageColumn:
            return firstLine(n.message);
        case M::TimeColumn:
            return QLocale().toString(n.time.toLocalTime(), QLocale::ShortFormat);
        }
        return {};
    case Qt::ToolTipRole:
        return n.message.toHtmlEscaped();
    case Qt::FontRole:
        return boldIf(unread);
    case M::IdRole:
        return n.id;
    case M::UnreadRole:
        return unread;
    case M::UrlRole:
        return n.url;
    case M::ApplicationRole:
        return n.application;
    case M::ChannelRole:
        return n.channel;
    case M::CopyTextRole: {
        QStringList parts;
        if (!n.title.isEmpty())
            parts << n.title;
        if (!n.message.isEmpty())
            parts << n.message;
        if (!n.url.isEmpty())
            parts << n.url;
        return parts.join(u'\n');
    }
    case M::IsGroupRole:
    case M::IsRollupRole:
        return false;
    case M::TimeRole:
        return n.time;
    case M::MemberIdsRole:
        return QVariant::fromValue(QList<NotificationId>{n.id});
    case M::PriorityRole:
        return int(n.priority);
    case M::ActionsRole:
        return QVariant::fromValue(n.actions);
    case M::MemberCountRole:
        return 1;
    case M::MessageRole:
        return n.message;
    }
    return {};
}

QVariant ListGroup::data(int column, int role) const
{
    using M = NotificationListModel;
    switch (role) {
    case Qt::DisplayRole:
        if (isRollup() && column == M::TitleColumn)
            return rollupTitle(int(memberIds.size()), rule, channel, newestTitle);
        if (isRollup() && column == M::TimeColumn && !items.isEmpty())
            return items.first().data(column, role);
        if (column == M::TitleColumn) {
            const QString name = application + u" / "_s + channel;
            return unread > 0 ? u"%1 (%2)"_s.arg(name).arg(unread) : name;
        }
        return {};
    case Qt::FontRole:
        return boldIf(hasUnread());
    case M::IdRole:
        return qint64(0);
    case M::UnreadRole:
        return hasUnread();
    case M::ApplicationRole:
        return application;
    case M::ChannelRole:
        return channel;
    case M::IsGroupRole:
        return true;
    case M::IsRollupRole:
        return isRollup();
    case M::UnreadCountRole:
        return unread;
    case M::TimeRole:
        return items.isEmpty() ? QDateTime() : items.first().notification.time;
    case M::MemberIdsRole: {
        if (isRollup())
            return QVariant::fromValue(memberIds);
        QList<NotificationId> ids;
        for (const ListItem &item : items)
            ids.append(item.notification.id);
        return QVariant::fromValue(ids);
    }
    case M::PriorityRole: {
        int highest = int(Priority::Low);
        for (const ListItem &item : items)
            highest = std::max(highest, int(item.notification.priority));
        return highest;
    }
    case M::MemberCountRole:
        return isRollup() ? int(memberIds.size()) : int(items.size());
    }
    return {};
}

} // namespace herald::client
