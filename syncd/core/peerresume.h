// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace herald::syncd {

// A device resumes on a cluster node that did not hold its last session: that node asks the
// others where the device's last session stopped (PeerOutlet::askResume), and the node that
// held it answers with where its missed notifications start, per origin node.
struct ResumeAsk
{
    qint64 id = 0; // random, below 2^53: a node that hears the ask twice answers once
    int asker = 0; // the node the device is on now
    QString user;
    QString clientId;
    NotificationId lastId = 0; // the register's lastNotificationId
    QStringList channelKeys;   // "application/channel" the register follows
};

struct ResumeAnswer
{
    qint64 id = 0; // the ask's
    int asker = 0;
    int answerer = 0;
    // Per origin node, the first id the device lacks (it has every earlier one of its
    // channels); an origin not named here: the device has none of its notifications.
    QMap<int, NotificationId> fromIdByOrigin;
};

// What the relay asks of the core for the other nodes' resumes. Any thread.
class ResumeWitness
{
public:
    virtual ~ResumeWitness() = default;

    // Where `ask`'s device stopped, when its last session was on this node and was sent
    // ask.lastId live on the same channels; nullopt when this node cannot tell. Forgets the
    // device's session here (its newest session is now elsewhere).
    virtual std::optional<QMap<int, NotificationId>> witness(const ResumeAsk &ask) = 0;
    // An answer to an ask of this node.
    virtual void answered(const ResumeAnswer &answer) = 0;
};

} // namespace herald::syncd
