// SPDX-License-Identifier: Apache-2.0
#include "store/receiptqueries.h"

#include "store/notificationrows.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace herald::syncd {

using NotificationRows::fromMs;
using NotificationRows::nowMs;
using NotificationRows::VisibleTo;

Result<QList<NotificationId>> ReceiptQueries::acknowledge(const QString &user,
                                                          const QList<NotificationId> &ids,
                                                          const QDateTime &time,
                                                          QList<NotificationId> *added)
{
    QList<NotificationId> acknowledged;
    auto done = m_connection.atomically([&]() -> Result<void> {
        auto visible = m_connection.prepare(u"SELECT 1 FROM notifications n WHERE n.id = ? AND "_s +
                                            VisibleTo);
        if (!visible)
            return tl::unexpected(visible.error());
        // A second acknowledgement keeps the time of the first.
        auto insert = m_connection.prepare(m_connection.dialect().insertOrIgnore(
            u"receipts"_s, u"user_name, notification_id, time_ms"_s, u"?, ?, ?"_s,
            u"user_name, notification_id"_s));
        if (!insert)
            return tl::unexpected(insert.error());
        const qint64 ms = nowMs(time);
        QSet<NotificationId> seen;
        for (NotificationId id : ids) {
            if (seen.contains(id))
                continue;
            seen.insert(id);
            if (auto checked = m_connection.exec(*visible, {id, user}); !checked)
                return checked;
            const bool exists = visible->next();
            visible->finish();
            if (!exists)
                continue;
            if (auto inserted = m_connection.exec(*insert, {user, id, ms}); !inserted)
                return inserted;
            if (added && insert->numRowsAffected() > 0)
                added->append(id);
            acknowledged.append(id);
        }
        return {};
    });
    if (!done)
        return tl::unexpected(done.error());
    return acknowledged;
}

Result<QList<Receipt>> ReceiptQueries::receipts(const QString &user)
{
    auto query = m_connection.run(u"SELECT notification_id, time_ms FROM receipts "
                                  "WHERE user_name = ? ORDER BY notification_id"_s,
                                  {user});
    if (!query)
        return tl::unexpected(query.error());
    QList<Receipt> result;
    while (query->next())
        result.append(
            Receipt{user, query->value(0).toLongLong(), fromMs(query->value(1).toLongLong())});
    return result;
}

} // namespace herald::syncd
