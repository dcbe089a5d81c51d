// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/error.h"
#include "store/sqlconnection.h"
#include "store/storetypes.h"

#include <QList>

#include <optional>

namespace herald::syncd {

// A subscribed channel and which of its codes a backlog reads.
struct BacklogChannel
{
    qint64 id = 0;
    CodeFilter filter;
};

// The backlog a register asks for (SqlStore::backlog(); its contract is documented there):
// finds the subscribed channels, then looks at no more than `scanLimit` of their newest rows,
// so the cost stays bounded however many rows are stored. Works on a connection it does not
// own, on that connection's thread.
class BacklogQueries
{
public:
    explicit BacklogQueries(SqlConnection &connection) : m_connection(connection) {}

    Result<QList<Notification>> backlog(const BacklogQuery &query, int scanLimit);
    // How many notifications the backlog's conditions match (after query.afterId, ignoring
    // query.limit), counting no further than `cap`.
    Result<qint64> countMatching(const BacklogQuery &query, qint64 cap);

private:
    // Channels whose every code is filtered out are left out.
    Result<QList<BacklogChannel>> subscribedChannels(const QList<Subscription> &subscriptions,
                                                     const CodeFilterFor &codeFilter);
    Result<QList<NotificationId>> newestIds(const QList<BacklogChannel> &channelIds,
                                            const BacklogQuery &query, int limit);
    // The newest `query.limit` visible, unacknowledged, unexpired ones among the newest `scan`
    // rows (after query.afterId, of query.fromIdByOrigin, from atLeast on) of each channel; in no
    // particular order.
    Result<QList<Notification>> visibleUnacknowledged(const QList<BacklogChannel> &channelIds,
                                                      const BacklogQuery &query, int scan,
                                                      std::optional<NotificationId> atLeast);
    Result<std::optional<NotificationId>> scanCutoff(const QList<BacklogChannel> &channelIds,
                                                     const BacklogQuery &query, int scan);
    static QList<Notification> oldestFirst(QList<Notification> found, int limit);

    SqlConnection &m_connection;
};

} // namespace herald::syncd
