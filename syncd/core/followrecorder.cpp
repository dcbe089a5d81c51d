// SPDX-License-Identifier: Apache-2.0
#include "core/followrecorder.h"

#include "core/corelog.h"
#include "core/followbook.h"
#include "core/unseentracker.h"
#include "store/storethread.h"

#include <QStringList>

namespace herald::syncd {

FollowRecorder::FollowRecorder(StoreThread &store, UnseenTracker &unseen, FollowBook &book,
                               QObject *parent)
    : QObject(parent), m_store(store), m_unseen(unseen), m_book(book)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(FlushMs);
    connect(&m_timer, &QTimer::timeout, this, &FollowRecorder::flush);
}

void FollowRecorder::record(const QString &user, const QList<Subscription> &subscriptions)
{
    {
        QMutexLocker lock(&m_mutex);
        m_pending[user].append(subscriptions);
        if (m_scheduled)
            return;
        m_scheduled = true;
    }
    QMetaObject::invokeMethod(
        this, [this] { m_timer.start(); }, Qt::QueuedConnection);
}

void FollowRecorder::flush()
{
    QHash<QString, QList<Subscription>> pending;
    {
        QMutexLocker lock(&m_mutex);
        pending.swap(m_pending);
        m_scheduled = false;
    }
    m_store.submit<QStringList>(
        [pending](SqlStore &store) -> Result<QStringList> {
            QStringList grew;
            for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
                auto added = store.inbox(
                    [&](InboxQueries &inbox) { return inbox.follow(it.key(), it.value()); });
                if (!added)
                    return tl::unexpected(added.error());
                if (*added)
                    grew.append(it.key());
            }
            return grew;
        },
        this,
        [this, pending](Result<QStringList> grew) {
            if (!grew) {
                qCWarning(lcCore) << "could not record what" << pending.size()
                                  << "users follow:" << grew.error().message;
                return;
            }
            for (auto it = pending.cbegin(); it != pending.cend(); ++it)
                m_book.add(it.key(), it.value());
            for (const QString &user : std::as_const(*grew))
                m_unseen.noteUser(user);
        });
}

} // namespace herald::syncd
