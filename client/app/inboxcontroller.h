// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/inboxitem.h"
#include "model/rolluprule.h"

#include <QObject>
#include <QSet>

namespace herald {
class SyncSession;
}

namespace herald::client {

class InboxRest;
class NotificationListModel;

// The client side of the user's inbox (PROTOCOL.md "Inbox") for one session: keeps the unseen
// count the server holds for the user (GET /api/v1/inbox/count after every `registered`, then
// the `unseen` frames), so every device of the user shows the same badge; reads the first page
// into the list when the list opens (which tells the server the user has seen the inbox);
// fetches the members of the rollups it shows; deletes one or all; and reads the user's rollup
// rules for the popups. Event-driven: nothing runs between frames and answers.
// Owns its InboxRest, not the session or the model. GUI thread only.
class InboxController : public QObject
{
    Q_OBJECT

public:
    static constexpr int PageSize = 50;
    static constexpr int MembersPageSize = 100;

    // rest becomes a child of the controller.
    InboxController(SyncSession *session, NotificationListModel *model, InboxRest *rest,
                    QObject *parent = nullptr);

    // The server's unseen count for the user; -1 while not known (before the first answer, or
    // a server without an inbox).
    qint64 unseenCount() const { return m_unseen; }
    const QList<RollupRule> &rules() const { return m_rules; }

    // The list opened: read the first page (the server marks it seen; every device gets
    // `unseen` 0). Does nothing before the session first registered.
    void openList();
    // Deletes these from the user's inbox on every device (a rollup: all its member ids).
    void remove(const QList<herald::NotificationId> &ids);
    // Deletes everything in the user's inbox.
    void removeAll();

Q_SIGNALS:
    // -1: not known.
    void unseenCountChanged(qint64 count);
    void rulesChanged(const QList<herald::client::RollupRule> &rules);
    // A page was taken into the list (for the status query and tests).
    void pageApplied(int items);
    // A request failed; what says which, message why (for the list window's status line).
    void requestFailed(const QString &what, const QString &message);

private:
    void onRegistered();
    void onUnseen(qint64 count);
    void onPage(const InboxPage &page);
    void onListing(const QList<InboxItem> &items);
    void setUnseen(qint64 count);

    SyncSession *m_session;
    NotificationListModel *m_model;
    InboxRest *m_rest;
    qint64 m_unseen = -1;
    bool m_frameSinceCountRequest = false; // then the count's answer may be older: ignored
    QList<RollupRule> m_rules;
    QSet<NotificationId> m_membersAsked; // rollups (by newest id) whose members were asked for
    QList<NotificationId> m_removingAll;
};

} // namespace herald::client
