// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QThread>

#include <functional>

namespace herald::syncd {

// Runs `run` once at the end of the current turn of the event loop of the thread it was made
// on, however often it is asked during the turn: what one wakeup gathered goes on in one step
// (one wakeup of a worker, one write per connection).
class EndOfTurn
{
public:
    explicit EndOfTurn(std::function<void()> run) : m_run(std::move(run)) {}

    bool onItsThread() const { return QThread::currentThread() == m_context.thread(); }

    // On its thread only.
    void request()
    {
        if (m_requested)
            return;
        m_requested = true;
        QMetaObject::invokeMethod(
            &m_context,
            [this] {
                m_requested = false;
                m_run();
            },
            Qt::QueuedConnection);
    }

private:
    QObject m_context; // a run still queued is dropped with it
    std::function<void()> m_run;
    bool m_requested = false;
};

} // namespace herald::syncd
