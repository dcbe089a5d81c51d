#pragma once

#include <QObject>

class QTcpSocket;

namespace herald::syncd {

class Authenticator;
class Hub;
struct HttpRequest;

// Decides on a WebSocket upgrade before it happens: a token on the upgrade request (query
// `token` or `Authorization: Bearer`) must be valid, else the client gets HTTP 401 and no
// WebSocket. Without a token the upgrade goes ahead and `register` must carry one. Admitted
// sockets go to the Hub. Lives on the front thread.
class UpgradeGate : public QObject
{
    Q_OBJECT
public:
    UpgradeGate(Authenticator *authenticator, Hub *hub, QObject *parent = nullptr);

    // Takes ownership of `socket` (no parent, unread bytes start with the upgrade request).
    void admit(QTcpSocket *socket, const HttpRequest &request);

private:
    void refuse(QTcpSocket *socket, int status, const QByteArray &body);

    Authenticator *m_authenticator;
    Hub *m_hub;
};

} // namespace herald::syncd
