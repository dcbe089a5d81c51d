// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace herald::syncd {

struct HttpRequest;

// Conditional GET (RFC 9110, 13): a representation's validators, and whether a request that
// carries If-None-Match or If-Modified-Since may be answered 304. If-None-Match wins; then
// If-Modified-Since is ignored (13.2.2). Pure.
struct ConditionalGet
{
    QByteArray etag;        // strong, quoted: "\"…\""
    QDateTime lastModified; // UTC; compared in whole seconds, as HTTP dates carry them

    // A strong ETag of `body`: the same bytes always give the same tag.
    static QByteArray strongEtagOf(const QByteArray &body);
    // An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
    static QByteArray httpDate(const QDateTime &time);
    // IMF-fixdate, and the obsolete RFC 850 and asctime forms; nullopt for anything else.
    static std::optional<QDateTime> parseHttpDate(const QByteArray &text);

    // Whether `request` already holds this representation: 304 then.
    bool notModified(const HttpRequest &request) const;
};

} // namespace herald::syncd
