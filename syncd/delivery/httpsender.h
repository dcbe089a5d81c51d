// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "delivery/sendrequest.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace herald::syncd {

// Sends HTTP POSTs (webhooks) with libcurl's multi interface on a thread of its own
// ("delivery"), so that no caller's thread ever waits for a receiver.
//
// Threads: send() and inFlight() may be called from any thread. finished() is emitted on the
// thread this object lives in (posted there), once per request sent, in no particular order.
// Ordering: requests start first come, first served, at most SenderOptions::maxConcurrent at
// once and maxPerEndpoint per SendRequest::endpoint; the rest wait in memory, unbounded (the
// caller bounds what it hands over). Safety: every address is checked with AddressPolicy
// right before its socket is opened; redirects are followed only as a 307/308 to the same
// scheme, host and port, at most 3 times. Stopping: the destructor ends the thread; requests
// waiting or on the wire are abandoned without a finished() signal (the outbox still holds
// their jobs and sends them again).
class HttpSender : public QObject
{
    Q_OBJECT
public:
    explicit HttpSender(SenderOptions options, QObject *parent = nullptr);
    ~HttpSender() override;

    // Queues `request`; its SendResult arrives through finished(). Thread-safe.
    void send(SendRequest request);
    // Requests sent whose finished() has not been emitted yet (waiting or on the wire).
    int inFlight() const { return m_inFlight.load(); }

signals:
    void finished(herald::syncd::SendResult result);

private:
    class Loop;
    void deliver(SendResult result); // from the loop's thread

    std::atomic<int> m_inFlight{0};
    std::unique_ptr<Loop> m_loop;
};

} // namespace herald::syncd
