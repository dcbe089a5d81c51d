// SPDX-License-Identifier: Apache-2.0
#include "websocketkey.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace herald {

QByteArray newWebSocketKey()
{
    quint32 nonce[4];
    QRandomGenerator::system()->fillRange(nonce);
    return QByteArray(reinterpret_cast<const char *>(nonce), sizeof nonce).toBase64();
}

QByteArray webSocketAcceptKey(const QByteArray &key)
{
    static const QByteArray guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData(guid);
    return sha1.result().toBase64();
}

} // namespace herald
