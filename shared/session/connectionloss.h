// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace herald {

// How a SyncSession connection ended, as far as reconnecting is concerned.
enum class ConnectionLoss
{
    Normal,                // reconnect with the usual backoff
    AuthenticationRefused, // the server refused the credentials: do not reconnect
    TryLater,              // the server is overloaded: wait at least half the maximum backoff
};

// Reads a close after the WebSocket upgrade: 1008 refuses the credentials; 1012 (restart),
// 1013 (try again later), 1014 (bad gateway), or an `unavailable` or `rate_limited` error
// frame before the close (lastServerError: the code of the last error frame on this
// connection, empty when none) mean "try later".
//
// Pure functions of their arguments: any thread.
ConnectionLoss lossOnClose(int closeCode, const QString &lastServerError);

// Reads an attempt that failed before the upgrade completed, from the HTTP status of the
// refused upgrade (ClientWebSocket::httpStatus(); 0 when there was none): 401 refuses the
// credentials, 429 and 503 mean "try later", anything else (refused, timed out, other
// statuses) is Normal.
ConnectionLoss lossOnUpgradeError(int httpStatus);

} // namespace herald
