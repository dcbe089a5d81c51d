// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"
#include "protocol/error.h"
#include "store/sqlconnection.h"
#include "store/storetypes.h"

#include <QList>
#include <QSet>

namespace herald::syncd {

// Which of `ids` a user's CodeFilterFor keeps: looks up each one's application, channel and
// code (one statement per 500 ids) and asks the filter once per channel. For counts over a
// window of ids (unseen), where the filter cannot go into the query that made the window.
Result<QSet<NotificationId>> keptByCodeFilter(SqlConnection &connection,
                                              const QList<NotificationId> &ids,
                                              const CodeFilterFor &filter);

} // namespace herald::syncd
