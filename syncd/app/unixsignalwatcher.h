// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

class QSocketNotifier;

namespace herald::syncd {

// Turns SIGTERM, SIGINT and SIGHUP into a Qt signal on the thread that made the watcher (the
// self-pipe trick: a signal handler may only write to a file descriptor). One per process.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace herald::syncd
