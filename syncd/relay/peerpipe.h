#pragma once

#include <QObject>
#include <QString>

class QWebSocket;

namespace herald::syncd {

// Carries one peer link's frames over its WebSocket, on the relay's thread. The PeerLink talks
// to it through signal connections only, which Qt drops when either side is gone, so neither
// ever calls into a deleted object.
class PeerPipe : public QObject
{
    Q_OBJECT
public:
    // Takes over `socket` (same thread).
    explicit PeerPipe(QWebSocket *socket, QObject *parent = nullptr);

    QString peerName() const { return m_peerName; }

public Q_SLOTS:
    void send(const QString &frame);
    void close(int code, const QString &reason);

Q_SIGNALS:
    void frameReceived(const QString &frame);
    void closed();

private:
    QWebSocket *m_socket;
    QString m_peerName;
};

} // namespace herald::syncd
