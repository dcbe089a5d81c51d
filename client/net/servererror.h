// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace herald::client {

// The message of an error body from herald-syncd's REST API, {"error":{"code":...,"message":...}}
// (JsonCodec::errorBody), for showing to the user next to the HTTP status. Empty when the body
// is not such an object (another server, a proxy's HTML page, an empty body).
QString serverErrorMessage(const QByteArray &body);

} // namespace herald::client
