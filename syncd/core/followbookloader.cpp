// SPDX-License-Identifier: Apache-2.0
#include "core/followbookloader.h"

#include "core/corelog.h"
#include "core/followbook.h"
#include "store/inboxqueries.h"
#include "store/sqlstore.h"
#include "store/storethread.h"

#include <algorithm>

namespace herald::syncd {

namespace {
auto followsSince(qint64 sinceMs)
{
    return [sinceMs](SqlStore &store) {
        return store.inbox([sinceMs](InboxQueries &q) { return q.followsSince(sinceMs); });
    };
}
} // namespace

FollowBookLoader::FollowBookLoader(StoreThread &store, FollowBook &book, QObject *parent)
    : QObject(parent), m_store(store), m_book(book)
{
    m_poll.setInterval(PollMs);
    connect(&m_poll, &QTimer::timeout, this, &FollowBookLoader::poll);
}

void FollowBookLoader::start()
{
    m_store.submit<QList<FollowRow>>(followsSince(0), this, [this](Result<QList<FollowRow>> rows) {
        if (!rows) {
            qCWarning(lcCore) << "cannot load what users follow, trying again:"
                              << rows.error().message;
            QTimer::singleShot(PollMs, this, &FollowBookLoader::start);
            return;
        }
        noteNewest(*rows);
        m_book.load(*rows);
        qCInfo(lcCore) << rows->size() << "follows loaded";
        m_poll.start();
    });
}

void FollowBookLoader::poll()
{
    // Never from 0 again: follows from before schema 11 all read 0, and the load had them.
    m_store.submit<QList<FollowRow>>(followsSince(std::max<qint64>(m_newestMs - ClockSkewMs, 1)),
                                     this, [this](Result<QList<FollowRow>> rows) {
                                         if (!rows)
                                             return; // the next poll asks again
                                         noteNewest(*rows);
                                         m_book.add(*rows);
                                     });
}

void FollowBookLoader::noteNewest(const QList<FollowRow> &rows)
{
    for (const FollowRow &row : rows)
        m_newestMs = std::max(m_newestMs, row.sinceMs);
}

} // namespace herald::syncd
