// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QList>
#include <QString>

namespace herald::client {

// What to pop up for the backlog of one channel: the notifications one by one, or one summary.
struct PopupGroup
{
    QString application;
    QString channel;
    QList<Notification> notifications; // oldest first
    bool summary = false;              // true: one "N new in channel" popup for all of them
};

// Collects the popups a backlog would bring (after a long absence, a reconnect) and, once the
// backlog is done, turns a flood into one summary per channel: a channel with more than
// `threshold` notifications becomes one summary group, the others stay single popups. Groups
// come out in the order their channel first appeared. A plain value type.
class BacklogSummarizer
{
public:
    explicit BacklogSummarizer(int threshold = 5) : m_threshold(threshold) {}

    int threshold() const { return m_threshold; }
    void setThreshold(int threshold) { m_threshold = threshold; }

    void add(const Notification &notification);
    // Drops ids that were acknowledged or deleted before the backlog ended.
    void remove(const QList<NotificationId> &ids);
    bool isEmpty() const { return m_groups.isEmpty(); }
    // The groups to pop up; empties the summarizer.
    QList<PopupGroup> take();

private:
    int m_threshold;
    QList<PopupGroup> m_groups;
};

} // namespace herald::client
