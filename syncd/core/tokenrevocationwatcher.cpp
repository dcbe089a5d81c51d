// SPDX-License-Identifier: Apache-2.0
#include "core/tokenrevocationwatcher.h"

#include "core/accountservice.h"
#include "core/corelog.h"
#include "store/storethread.h"

#include <QDateTime>
#include <QSet>

namespace herald::syncd {

namespace {
constexpr int PollsPerPurge = 120; // about a minute
}

TokenRevocationWatcher::TokenRevocationWatcher(StoreThread &store, AccountService &accounts,
                                               QObject *parent)
    : QObject(parent), m_store(store), m_accounts(accounts)
{
    m_timer.setInterval(PollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &TokenRevocationWatcher::poll);
}

void TokenRevocationWatcher::start()
{
    m_timer.start();
}

void TokenRevocationWatcher::poll()
{
    if (m_polling)
        return; // a slow store: the next tick asks again
    m_polling = true;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool purge = ++m_pollsSincePurge >= PollsPerPurge;
    if (purge)
        m_pollsSincePurge = 0;
    m_store.submit<QList<TokenRevocation>>(
        [since = now - WindowMs, purgeBefore = purge ? now - KeepRowsMs : 0](SqlStore &store) {
            if (purgeBefore != 0) {
                if (auto purged = store.purgeRevocations(purgeBefore); !purged)
                    qCWarning(lcCore)
                        << "purging old token revocations failed:" << purged.error().message;
            }
            return store.revocationsSince(since);
        },
        this,
        [this, now](Result<QList<TokenRevocation>> found) {
            m_polling = false;
            if (!found) {
                qCWarning(lcCore) << "reading token revocations failed:" << found.error().message;
                return;
            }
            QSet<qint64> tokenIds;
            for (const TokenRevocation &r : std::as_const(*found)) {
                if (!m_seen.contains(r.seq)) {
                    m_seen.insert(r.seq, now);
                    tokenIds.insert(r.tokenId);
                }
            }
            m_seen.removeIf([now](auto entry) { return entry.value() < now - 2 * WindowMs; });
            if (!tokenIds.isEmpty()) {
                qCInfo(lcCore) << "applying" << tokenIds.size() << "token revocation(s)";
                m_accounts.applyRevocations(tokenIds);
            }
        });
}

} // namespace herald::syncd
