// SPDX-License-Identifier: Apache-2.0
#include "store/codefiltering.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace herald::syncd {

Result<QSet<NotificationId>> keptByCodeFilter(SqlConnection &connection,
                                              const QList<NotificationId> &ids,
                                              const CodeFilterFor &filter)
{
    constexpr qsizetype IdsPerQuery = 500;
    QSet<NotificationId> kept;
    QHash<qint64, CodeFilter> byChannel;
    for (qsizetype first = 0; first < ids.size(); first += IdsPerQuery) {
        const QList<NotificationId> chunk = ids.mid(first, IdsPerQuery);
        QVariantList values;
        for (NotificationId id : chunk)
            values.append(id);
        const QStringList marks(chunk.size(), u"?"_s);
        auto rows =
            connection.run(u"SELECT n.id, c.id, a.name, c.name, n.code FROM notifications n "
                           "JOIN channels c ON c.id = n.channel_id JOIN applications a ON "
                           "a.id = c.application_id WHERE n.id IN ("_s +
                               marks.join(u',') + u')',
                           values);
        if (!rows)
            return tl::unexpected(rows.error());
        while (rows->next()) {
            const qint64 channel = rows->value(1).toLongLong();
            auto it = byChannel.find(channel);
            if (it == byChannel.end())
                it = byChannel.insert(channel,
                                      filter(rows->value(2).toString(), rows->value(3).toString()));
            if (it->keeps(rows->value(4).toString()))
                kept.insert(rows->value(0).toLongLong());
        }
    }
    return kept;
}

} // namespace herald::syncd
