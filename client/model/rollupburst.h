// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/backlogsummarizer.h"
#include "model/notification.h"
#include "model/rolluprule.h"

#include <QDeadlineTimer>
#include <QList>
#include <QObject>

#include <memory>
#include <vector>

class QTimer;

namespace herald::client {

// Holds back the popups of live notifications that match one of the user's rollup rules, so
// that a burst of them (five deploys in a row) pops up once, as the rollup the server's inbox
// will show, rather than five times. A burst collects the notifications of one rule and
// matchOn value while they keep coming within quietMs of each other, for at most longestMs and
// maxSize members; then ready() hands it out: one notification as it is, several as one
// rollup popup. Notifications no rule matches are not held. Timers run only while a burst is
// open. GUI thread only.
class RollupBurst : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultQuietMs = 800;
    static constexpr int DefaultLongestMs = 4000;

    explicit RollupBurst(QObject *parent = nullptr);
    ~RollupBurst() override;

    // The user's rules, in the server's order (by name): the first that matches takes it.
    void setRules(const QList<RollupRule> &rules) { m_rules = rules; }
    const QList<RollupRule> &rules() const { return m_rules; }
    void setWindows(int quietMs, int longestMs);

    // True: held, its popup comes through ready(); false: no rule matches, pop it up now.
    bool offer(const Notification &notification);
    // Acknowledged or deleted meanwhile: no popup for these.
    void remove(const QList<NotificationId> &ids);
    int openBursts() const { return int(m_bursts.size()); }

Q_SIGNALS:
    // A burst is complete: the notifications (oldest first; summary when more than one) and
    // the name of the rule that gathered them.
    void ready(const herald::client::PopupGroup &group, const QString &rule);

private:
    struct Burst
    {
        QString rule;
        QString value;
        int maxSize = 0;
        QList<Notification> notifications;
        QDeadlineTimer longest;
        QTimer *timer = nullptr;
    };
    void flush(Burst *burst);

    QList<RollupRule> m_rules;
    std::vector<std::unique_ptr<Burst>> m_bursts;
    int m_quietMs = DefaultQuietMs;
    int m_longestMs = DefaultLongestMs;
};

} // namespace herald::client
