// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/storetypes.h"

#include <QString>

namespace herald::syncd {

// Who is asking: the holder of a token (or everyone, with --no-auth). Decides what they may do.
struct Principal
{
    TokenKind kind = TokenKind::User;
    QString application; // producer
    QString user;        // user, feed
    qint64 tokenId = 0;

    static Principal admin() { return {TokenKind::Admin, {}, {}, 0}; }

    bool isAdmin() const { return kind == TokenKind::Admin; }
    // Managing or reading an application's catalog, publishing to it, deleting from it.
    bool mayUseApplication(const QString &app) const
    {
        return isAdmin() || (kind == TokenKind::Producer && application == app);
    }
    // Reading an application and its channels: users too, to choose what to follow.
    bool mayReadApplication(const QString &app) const
    {
        return kind == TokenKind::User || mayUseApplication(app);
    }
    bool mayPublish() const { return kind == TokenKind::Admin || kind == TokenKind::Producer; }
    // Reading and acknowledging notifications as `name`.
    bool mayActAsUser(const QString &name) const
    {
        return isAdmin() || (kind == TokenKind::User && user == name);
    }
    // Reading `name`'s Atom feed: the one thing a feed token may do, for its own user.
    bool mayReadFeedOf(const QString &name) const
    {
        return isAdmin() || ((kind == TokenKind::User || kind == TokenKind::Feed) && user == name);
    }
};

} // namespace herald::syncd
