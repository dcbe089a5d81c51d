// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QThread>

#include <memory>

namespace herald::syncd {

struct EndpointSettings;
struct SmtpSettings;
class DeliveryMetrics;
class OutboxDispatcher;
class StoreThread;

// The outbox's thread and its dispatcher, started and stopped with the daemon. Stopping ends
// the thread (attempts not yet recorded are made again at the next start); the dispatcher
// itself lives until the host goes, after the store has delivered its last answers.
class OutboxHost
{
public:
    OutboxHost(const EndpointSettings &settings, const SmtpSettings &smtp, int nodeId,
               StoreThread &store, DeliveryMetrics &metrics, const QByteArray &userAgent);
    ~OutboxHost();

    void start(qint64 holdOldJobsMs = 0); // see OutboxDispatcher::start
    void wake();                          // new jobs were committed; any thread
    void stop();                          // before the store drains
    OutboxDispatcher *dispatcher() const { return m_dispatcher.get(); }

private:
    QThread m_thread;
    std::unique_ptr<OutboxDispatcher> m_dispatcher;
};

} // namespace herald::syncd
