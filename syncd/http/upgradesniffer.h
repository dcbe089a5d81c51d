// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/httpmessage.h"

#include <QElapsedTimer>
#include <QObject>

class QSocketNotifier;

namespace herald::syncd {

// Looks at the first request head of a new connection without consuming it (MSG_PEEK), to
// tell a WebSocket upgrade from plain HTTP before any QTcpSocket exists. An upgrade can then go
// to a worker thread as a bare descriptor and be read there by QWebSocketServer itself: no
// socket object ever changes threads, and nothing has to be pushed back into a buffer.
// Anything that is not a complete upgrade head (plain requests, garbage, heads too large) is
// reported as HTTP, for HttpConnection to answer as usual; a head that has not arrived whole
// within the timeout (or nothing at all) is reported as overdue.
class UpgradeSniffer : public QObject
{
    Q_OBJECT
public:
    UpgradeSniffer(qintptr descriptor, int maxHeadBytes, int timeoutMs, QObject *parent);

signals:
    // Exactly one of these, then the sniffer deletes itself. The descriptor is the receiver's.
    void sniffed(qintptr descriptor, bool upgrade, const herald::syncd::HttpRequest &request);
    void overdue(qintptr descriptor);
    void closed(); // the peer went away first; the descriptor is closed

private:
    void onReadable();
    void finish(bool upgrade, const HttpRequest &request);
    void expire();

    qintptr m_descriptor;
    int m_maxHeadBytes;
    int m_timeoutMs;
    QSocketNotifier *m_notifier;
    QElapsedTimer m_age;
    bool m_done = false; // reported; the descriptor is no longer this object's
};

} // namespace herald::syncd
