// SPDX-License-Identifier: Apache-2.0
#include "inboxcontroller.h"

#include "app/applog.h"
#include "model/notificationlistmodel.h"
#include "net/inboxrest.h"
#include "session/syncsession.h"

#include <algorithm>

namespace herald::client {

InboxController::InboxController(SyncSession *session, NotificationListModel *model,
                                 InboxRest *rest, QObject *parent)
    : QObject(parent), m_session(session), m_model(model), m_rest(rest)
{
    m_rest->setParent(this);
    connect(m_session, &SyncSession::registered, this, &InboxController::onRegistered);
    connect(m_session, &SyncSession::unseenChanged, this, &InboxController::onUnseen);
    connect(m_rest, &InboxRest::countFetched, this, [this](qint64 unseen, qint64) {
        if (!m_frameSinceCountRequest)
            setUnseen(unseen);
    });
    connect(m_rest, &InboxRest::rulesFetched, this, [this](const QList<RollupRule> &rules) {
        m_rules = rules;
        qCInfo(lcApp) << "rollup rules:" << rules.size();
        Q_EMIT rulesChanged(rules);
    });
    connect(m_rest, &InboxRest::pageFetched, this, &InboxController::onPage);
    connect(m_rest, &InboxRest::listingFetched, this, &InboxController::onListing);
    connect(m_rest, &InboxRest::removed, this,
            [this](NotificationId id) { m_model->remove({id}); });
    connect(m_rest, &InboxRest::removedAll, this,
            [this] { m_model->remove(std::exchange(m_removingAll, {})); });
    connect(m_rest, &InboxRest::failed, this,
            [this](const QString &what, int status, const QString &message) {
                qCWarning(lcApp) << what << "failed: HTTP" << status << message;
                Q_EMIT requestFailed(what, message);
            });
}

void InboxController::openList()
{
    if (!m_rest->hasEndpoint())
        return;
    m_rest->fetchPage(PageSize);
}

void InboxController::remove(const QList<NotificationId> &ids)
{
    qCInfo(lcApp) << "deleting from the inbox" << ids;
    for (NotificationId id : ids)
        m_rest->remove(id);
}

void InboxController::removeAll()
{
    qCInfo(lcApp) << "deleting everything in the inbox";
    // What is listed now goes when the server answers; what comes later stays (the server's
    // `cleared` frame names exactly what went).
    m_removingAll = m_model->idsUpTo();
    m_rest->removeAll();
}

void InboxController::onRegistered()
{
    const SyncSessionConfig &config = m_session->config();
    m_rest->setEndpoint(m_session->currentServer(), config.token, config.user);
    // The server sends `unseen` only on a change: the count at register comes from here.
    m_frameSinceCountRequest = false;
    m_rest->fetchCount();
    m_rest->fetchRules();
}

void InboxController::onUnseen(qint64 count)
{
    m_frameSinceCountRequest = true;
    setUnseen(count);
}

void InboxController::onPage(const InboxPage &page)
{
    for (const InboxItem &item : page.items) {
        m_model->applyInboxItem(item);
        if (!item.isRollup() || m_membersAsked.contains(item.notification.id))
            continue;
        const bool missing = std::any_of(item.memberIds.cbegin(), item.memberIds.cend(),
                                         [&](NotificationId id) { return !m_model->contains(id); });
        if (missing) {
            // The members are the newest of the application below the rollup's newest; one
            // page covers a rollup of up to MembersPageSize when nothing else came between.
            m_membersAsked.insert(item.notification.id);
            m_rest->fetchListing(item.notification.application, item.notification.id + 1,
                                 MembersPageSize);
        }
    }
    qCInfo(lcApp) << "inbox page:" << page.items.size() << "items";
    Q_EMIT pageApplied(int(page.items.size()));
}

void InboxController::onListing(const QList<InboxItem> &items)
{
    for (const InboxItem &item : items) {
        const NotificationId id = item.notification.id;
        if (m_model->isRollupMember(id) && !m_model->contains(id))
            m_model->add(item.notification, !item.acknowledged);
    }
}

void InboxController::setUnseen(qint64 count)
{
    if (count == m_unseen)
        return;
    m_unseen = count;
    qCInfo(lcApp) << "unseen" << count;
    Q_EMIT unseenCountChanged(count);
}

} // namespace herald::client
