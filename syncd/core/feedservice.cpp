// SPDX-License-Identifier: Apache-2.0
#include "core/feedservice.h"

#include "config/config.h"
#include "core/storedpreferences.h"
#include "protocol/validator.h"
#include "store/storethread.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

FeedService::FeedService(const Config &config, StoreThread &store, QObject *parent)
    : QObject(parent), m_config(config), m_store(store), m_selection(config.clusterName)
{
}

void FeedService::feed(const Principal &principal, const QString &user, QObject *context,
                       Reply<Feed> done)
{
    // Who may read it before whether it exists: a token learns nothing of other users.
    if (!principal.mayReadFeedOf(user))
        return done(fail(ErrorCode::Forbidden,
                         u"user: this token may not read the feed of '%1'"_s.arg(user.left(64))));
    if (!Validator::isValidName(user))
        return done(fail(ErrorCode::BadRequest, u"user: not a valid name"_s));
    const int cap = m_config.inboxCap;
    m_store.submit<Feed>(
        [user, cap, selection = m_selection](SqlStore &store) -> Result<Feed> {
            auto exists = store.userExists(user);
            if (!exists)
                return tl::unexpected(exists.error());
            if (!*exists)
                return fail(ErrorCode::NotFound, u"user: no user '%1'"_s.arg(user));
            auto window = store.inbox(
                [&](InboxQueries &inbox) { return inbox.window(user, cap, QDateTime()); });
            if (!window)
                return tl::unexpected(window.error());
            auto preferences = storedPreferences(store, user);
            if (!preferences)
                return tl::unexpected(preferences.error());
            // Digests sent to the feed agent are entries too.
            auto digests = store.digests(
                [&](DigestQueries &q) { return q.sentTo(user, FeedSelection::MaxEntries); });
            if (!digests)
                return tl::unexpected(digests.error());
            QList<FeedEntry> extra;
            for (const SentDigest &digest : std::as_const(*digests)) {
                if (auto entry = selection.entryOf(digest))
                    extra.append(*entry);
            }
            return FeedSelection::merge(selection.feed(user, window->entries, *preferences), extra);
        },
        context, std::move(done));
}

} // namespace herald::syncd
