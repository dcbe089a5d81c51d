// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>

class QSocketNotifier;

namespace herald::syncd {

// Answers connections that will not be served (over a connection cap, a refused upgrade, a
// head that never arrived whole) with one canned response, and closes them without reading
// a request. Closing a socket whose input is unread resets it, and the client would lose
// the answer: so it discards what came, writes the answer, half-closes, and keeps discarding
// until the client closes or `lingerMs` pass. At most `maxLingering` linger at once (they
// hold descriptors too); past that a connection is closed right after the answer. Works on
// bare descriptors (no QTcpSocket) so that a flood costs little. Front thread.
class ConnectionRefuser : public QObject
{
    Q_OBJECT
public:
    ConnectionRefuser(int maxLingering, int lingerMs, QObject *parent = nullptr);
    ~ConnectionRefuser() override;

    // Takes over `descriptor`.
    void refuse(qintptr descriptor, const QByteArray &response);
    int lingering() const { return int(m_lingering.size()); }

private:
    void close(qintptr descriptor, QSocketNotifier *notifier);

    const int m_maxLingering;
    const int m_lingerMs;
    QHash<qintptr, QSocketNotifier *> m_lingering;
};

} // namespace herald::syncd
