// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/feedentry.h"

#include <QByteArray>
#include <QString>

namespace herald::syncd {

// Writes a Feed as an Atom 1.0 document (RFC 4287) in UTF-8: the feed's id, title, updated,
// author and self link, and per entry its id, title, published, updated, categories, text
// content and, when it has one, its alternate link. Characters that XML 1.0 cannot carry
// (control characters but tab and newlines, unpaired surrogates) become U+FFFD.
class AtomWriter
{
public:
    // `selfUrl`: where the feed is read from (its rel="self" link), without any token.
    static QByteArray write(const Feed &feed, const QString &selfUrl);
    // `text` with what XML 1.0 cannot hold replaced.
    static QString xmlSafe(const QString &text);
};

} // namespace herald::syncd
