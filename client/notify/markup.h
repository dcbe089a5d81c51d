// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace herald::client {

// The body of a freedesktop notification. A server that announces `body-markup` reads the
// body as a small subset of HTML, so text from producers must be escaped for it; a server
// without it shows the text as is and must get it unchanged.
QString notificationBody(const QString &text, bool serverUsesMarkup);

// Escapes &, <, >, " and ' as entities.
QString escapeMarkup(const QString &text);

} // namespace herald::client
