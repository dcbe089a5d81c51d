// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace herald::syncd {

// One notification for one user's digest, written with the notification. Kept only while the
// user follows its channel (the inbox's follows), as the inbox would show it.
struct DigestItem
{
    QString user;
    QString key; // the digest: "<schedule>|<agents>", e.g. "daily@08:00|desktop,email"
    QString timeZone;
    qint64 dueMs = 0; // when the digest is due if no run of it exists yet
    int node = 0;     // who sends it if no run of it exists yet
    NotificationId notificationId = 0;
    QString application;
    QString channel;
    QByteArray payload; // the notification as JSON
};

// A digest whose period has ended, as the scheduler reads it.
struct DueDigest
{
    QString user;
    QString key;
    QString timeZone;
    qint64 dueMs = 0;
};

// What one digest collected: how many items, from how many channels, and the newest few.
struct CollectedDigest
{
    qint64 count = 0;
    qint64 channels = 0;
    QList<QByteArray> newestPayloads; // oldest first
    QList<NotificationId> itemIds;    // every item's notification, ascending
};

// A digest as sent, recorded with its removal from the queue: by the node that sent it, and
// by every node its relay record reaches (which then drop the same items from their queues).
struct SentDigest
{
    QString id;
    QString user;
    QString key;
    qint64 periodEndMs = 0;
    qint64 count = 0;
    QByteArray frame; // the digest frame
    int node = 0;     // the node that sent it
    qint64 sentMs = 0;
    QList<NotificationId> itemIds; // the items it held
    qint64 nextDueMs = 0;          // when the next period of its run ends
    qint64 relaySeq = 0;           // its relay record (of `node`); 0: none
};

} // namespace herald::syncd
