#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QWebSocket;

namespace herald::syncd {

// Carries one peer link's frames on the thread that owns its WebSocket (a worker's for links
// a peer dialled, the relay's for links this node dialled). The PeerLink on the relay's
// thread talks to it through signal connections only, which Qt queues across threads and
// drops when either side is gone, so neither ever calls into a deleted object.
class PeerPipe : public QObject
{
    Q_OBJECT
public:
    // Takes over `socket` (same thread). `earlyFrames` were read before the pipe existed.
    PeerPipe(QWebSocket *socket, QStringList earlyFrames, QObject *parent = nullptr);

    QString peerName() const { return m_peerName; }

public Q_SLOTS:
    // Frames received so far, and every later one, go out as frameReceived from now on.
    void start();
    void send(const QString &frame);
    void close(int code, const QString &reason);

Q_SIGNALS:
    void frameReceived(const QString &frame);
    void closed();

private:
    QWebSocket *m_socket;
    QString m_peerName;
    QStringList m_early; // held until start()
    bool m_started = false;
};

} // namespace herald::syncd
