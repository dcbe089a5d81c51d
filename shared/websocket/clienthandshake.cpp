// SPDX-License-Identifier: Apache-2.0
#include "clienthandshake.h"

#include "websocket/websocketkey.h"

namespace herald {

namespace {

// A header's values (every occurrence, ignoring the name's case), in order.
QList<QByteArray> valuesOf(const QList<QByteArray> &lines, const QByteArray &name)
{
    QList<QByteArray> values;
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            values.append(line.mid(colon + 1).trimmed());
    }
    return values;
}

// Whether a comma-separated header lists `token`, ignoring case.
bool listsToken(const QList<QByteArray> &lines, const QByteArray &name, const QByteArray &token)
{
    for (const QByteArray &value : valuesOf(lines, name)) {
        for (const QByteArray &item : value.split(',')) {
            if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

} // namespace

ClientHandshake::ClientHandshake(QByteArray key, int maxHeadBytes)
    : m_key(std::move(key)), m_maxHeadBytes(maxHeadBytes)
{
}

QByteArray ClientHandshake::request(const QUrl &url, const QByteArray &key,
                                    const Headers &extraHeaders)
{
    const bool secure = url.scheme() == QLatin1String("wss");
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    // §4.1: Host carries the port unless it is the scheme's own.
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6
    const int port = url.port(secure ? 443 : 80);
    if (port != (secure ? 443 : 80))
        host += ':' + QByteArray::number(port);
    QByteArray out = "GET " + target + " HTTP/1.1\r\nHost: " + host +
                     "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                     "\r\nSec-WebSocket-Version: 13\r\n";
    for (const auto &[name, value] : extraHeaders)
        out += name + ": " + value + "\r\n";
    return out + "\r\n";
}

ClientHandshake::Outcome ClientHandshake::read(QByteArray &buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0 || end + 4 > m_maxHeadBytes) {
        if (buffer.size() < m_maxHeadBytes)
            return Outcome::Incomplete;
        return refuse(
            QStringLiteral("the server's answer head is over %1 bytes").arg(m_maxHeadBytes));
    }
    const QByteArray head = buffer.first(end);
    buffer.remove(0, end + 4);
    return check(head);
}

ClientHandshake::Outcome ClientHandshake::check(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines)
        line = line.trimmed();
    // "HTTP/1.1 101 Switching Protocols"
    const QByteArray statusLine = lines.takeFirst();
    const QList<QByteArray> parts = statusLine.split(' ');
    bool isNumber = false;
    m_status = parts.size() >= 2 ? parts[1].toInt(&isNumber) : 0;
    if (!statusLine.startsWith("HTTP/1.") || !isNumber || parts[1].size() != 3) {
        m_status = 0;
        return refuse(QStringLiteral("the server did not answer in HTTP"));
    }
    if (m_status != 101) {
        return refuse(QStringLiteral("the server answered %1")
                          .arg(QString::fromLatin1(statusLine.mid(parts[0].size() + 1))));
    }
    if (!listsToken(lines, "upgrade", "websocket"))
        return refuse(QStringLiteral("the server's 101 has no Upgrade: websocket"));
    if (!listsToken(lines, "connection", "upgrade"))
        return refuse(QStringLiteral("the server's 101 has no Connection: Upgrade"));
    const QList<QByteArray> accepts = valuesOf(lines, "sec-websocket-accept");
    if (accepts.size() != 1 || accepts[0] != webSocketAcceptKey(m_key))
        return refuse(QStringLiteral("bad Sec-WebSocket-Accept"));
    // §4.1: an extension or subprotocol we did not ask for fails the connection.
    if (!valuesOf(lines, "sec-websocket-extensions").isEmpty() ||
        !valuesOf(lines, "sec-websocket-protocol").isEmpty())
        return refuse(QStringLiteral("the server chose an extension or subprotocol"));
    return Outcome::Accepted;
}

ClientHandshake::Outcome ClientHandshake::refuse(const QString &error)
{
    m_error = error;
    return Outcome::Refused;
}

} // namespace herald
