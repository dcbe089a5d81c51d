// SPDX-License-Identifier: Apache-2.0
#include "singleinstance.h"

#include "app/applog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
constexpr qint64 MaxCommand = 256;
} // namespace

SingleInstance::SingleInstance(const QString &socketName, QObject *parent)
    : QObject(parent), m_name(socketName)
{
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::socketNameFor(const QString &settingsFile)
{
    const QByteArray hash =
        QCryptographicHash::hash(settingsFile.toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16);
    QString dir = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (dir.isEmpty() || !QDir(dir).exists())
        dir = QDir::tempPath();
    return dir + u"/herald-"_s + QString::fromLatin1(hash) + u".sock"_s;
}

bool SingleInstance::listen()
{
    if (send(m_name, u"ping"_s, 2000))
        return false;
    // Nobody answers: whatever is left there is from an instance that died.
    QLocalServer::removeServer(m_name);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_name)) {
        qCWarning(lcApp) << "cannot listen on" << m_name << ":" << m_server->errorString();
        return true; // run anyway; only the single-instance check is lost
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    qCInfo(lcApp) << "instance socket" << m_name;
    return true;
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > MaxCommand)
                    socket->abort();
                return;
            }
            const QString command = QString::fromUtf8(socket->readLine(MaxCommand)).trimmed();
            QByteArray answer = command == u"ping"_s ? QByteArray("pong")
                                : m_handler          ? m_handler(command)
                                                     : QByteArray("error: not ready");
            socket->write(answer + '\n');
            socket->flush();
            socket->disconnectFromServer();
        });
    }
}

std::optional<QByteArray> SingleInstance::send(const QString &socketName, const QString &command,
                                               int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(socketName);
    if (!socket.waitForConnected(timeoutMs))
        return std::nullopt;
    socket.write(command.toUtf8() + '\n');
    socket.flush();
    QByteArray answer;
    while (!answer.contains('\n')) {
        if (!socket.waitForReadyRead(timeoutMs))
            break;
        answer += socket.readAll();
    }
    if (answer.isEmpty())
        return std::nullopt;
    return answer.trimmed();
}

} // namespace herald::client
