#include "upgradegate.h"

#include "auth/authenticator.h"
#include "codec/jsoncodec.h"
#include "http/httpmessage.h"
#include "ws/hub.h"

#include <QPointer>
#include <QTcpSocket>

namespace herald::syncd {

UpgradeGate::UpgradeGate(Authenticator *authenticator, Hub *hub, QObject *parent)
    : QObject(parent), m_authenticator(authenticator), m_hub(hub)
{
}

void UpgradeGate::admit(QTcpSocket *socket, const HttpRequest &request)
{
    const QString token = request.bearerToken();
    if (token.isEmpty() || m_authenticator->noAuth()) {
        m_hub->adopt(socket);
        return;
    }
    // The socket waits unparented and unwatched while the token is looked up; if the client
    // goes away meanwhile, the hand-over below finds it disconnected and the worker drops it.
    socket->setParent(this);
    QPointer<QTcpSocket> guarded(socket);
    m_authenticator->authenticate(token, this, [this, guarded](std::optional<Principal> principal) {
        if (!guarded)
            return;
        if (!principal) {
            refuse(guarded, 401,
                   JsonCodec::errorBody({ErrorCode::Unauthorized,
                                         QStringLiteral("token: not valid for the WebSocket")}));
            return;
        }
        guarded->setParent(nullptr);
        m_hub->adopt(guarded);
    });
}

void UpgradeGate::refuse(QTcpSocket *socket, int status, const QByteArray &body)
{
    HttpResponse response = HttpResponse::json(status, body);
    if (status == 401)
        response.headers.append({QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"herald\"")});
    socket->setParent(this);
    socket->write(response.serialize(false));
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
}

} // namespace herald::syncd
