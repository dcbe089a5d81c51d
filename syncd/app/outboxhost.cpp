// SPDX-License-Identifier: Apache-2.0
#include "app/outboxhost.h"

#include "delivery/outboxdispatcher.h"

namespace herald::syncd {

OutboxHost::OutboxHost(const EndpointSettings &settings, const SmtpSettings &smtp, int nodeId,
                       StoreThread &store, DeliveryMetrics &metrics, const QByteArray &userAgent)
    : m_dispatcher(
          std::make_unique<OutboxDispatcher>(settings, smtp, nodeId, store, metrics, userAgent))
{
    m_thread.setObjectName(QStringLiteral("outbox"));
}

OutboxHost::~OutboxHost()
{
    stop();
}

void OutboxHost::start(qint64 holdOldJobsMs)
{
    m_dispatcher->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_dispatcher.get(), [this, holdOldJobsMs] { m_dispatcher->start(holdOldJobsMs); },
        Qt::QueuedConnection);
}

void OutboxHost::wake()
{
    m_dispatcher->wake();
}

void OutboxHost::stop()
{
    if (!m_thread.isRunning())
        return;
    // The sender (and its transfers) end on the thread they were made on.
    QMetaObject::invokeMethod(
        m_dispatcher.get(),
        [this] {
            m_dispatcher->stopSending();
            m_thread.quit();
        },
        Qt::QueuedConnection);
    m_thread.wait();
}

} // namespace herald::syncd
