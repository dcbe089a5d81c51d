// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace herald::syncd {

// Where notifications leave the daemon (PROTOCOL.md, Routing to endpoints).
struct EndpointRecord
{
    QString name;
    QString kind; // "webhook", "slack" or "email"
    QString url;
    QString secret; // webhook signatures' key; never shown after it was made
    QStringList recipients;
    bool enabled = true;
    QString disabledReason;
    int failuresInRow = 0;
    qint64 updatedMs = 0;
};

// Which of an application's notifications go to which endpoints. `match` is stored as the
// JSON object it was PUT as (validated by the core first).
struct BehaviorRecord
{
    QString application;
    QString name;
    QString matchJson;
    QStringList endpoints;
};

enum class DeliveryStatus
{
    Pending,
    Done,
    Failed
};

// One job of the outbox: a notification for one endpoint.
struct DeliveryJob
{
    QString id; // the Herald-Delivery header
    QString endpoint;
    NotificationId notificationId = 0;
    QByteArray payload; // the notification as JSON, as the receiver gets it
    int node = 0;       // the node that delivers it
    DeliveryStatus status = DeliveryStatus::Pending;
    int attempts = 0;
    qint64 createdMs = 0;
    qint64 nextAttemptMs = 0;
    qint64 lastAttemptMs = 0;
    int lastStatus = 0; // the last HTTP status; 0: none
    QString lastError;
    int takeovers = 0; // how many times it changed hands (nodes taking over a silent one's)
};

// What one attempt came to, as the dispatcher records it.
struct DeliveryOutcome
{
    QString id;
    QString endpoint;
    DeliveryStatus status = DeliveryStatus::Pending; // Pending: to be tried again
    qint64 attemptMs = 0;
    qint64 nextAttemptMs = 0; // when Pending
    int httpStatus = 0;
    QString error;
    // Whether the attempt counts as the endpoint failing (a refusal by a receiver that is
    // up, or no answer); a success resets the endpoint's run of failures.
    bool endpointFailed = false;
};

// How many of an endpoint's jobs are in each state.
struct DeliveryCounts
{
    qint64 pending = 0;
    qint64 done = 0;
    qint64 failed = 0;
};

QString deliveryStatusName(DeliveryStatus status);
bool parseDeliveryStatus(const QString &name, DeliveryStatus *status);

} // namespace herald::syncd
