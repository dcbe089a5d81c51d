// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QTimer>

namespace herald::syncd {

class NotificationService;

// Decides when expired notifications leave the store: at the earliest expiry it knows of
// (publishes tell it through NotificationService::expiryStored), and at least every
// MaxSleepMs, since notifications taken in from peers expire without telling it. A round
// removes at most RoundSize; when more wait, the next round follows at once. Sessions thus
// drop an expired notification within milliseconds of its expiry (MaxSleepMs for relayed
// ones). Lives on the service's thread.
class ExpirySweeper : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxSleepMs = 10000;
    static constexpr int RoundSize = 500;
    // After a failed round (store unavailable), the next try.
    static constexpr int RetryMs = 5000;

    explicit ExpirySweeper(NotificationService &service, QObject *parent = nullptr);

    // The first round runs at once (what expired while the daemon was down).
    void start();
    // Something now expires at `ms` (milliseconds since the epoch, UTC).
    void expiresAt(qint64 ms);

private:
    void sweep();
    void sleepUntil(qint64 ms);

    NotificationService &m_service;
    QTimer m_timer;
    qint64 m_wakeAtMs = 0;
    bool m_sweeping = false;
    qint64 m_heardDuringRoundMs = 0; // the earliest expiresAt() while sweeping
};

} // namespace herald::syncd
