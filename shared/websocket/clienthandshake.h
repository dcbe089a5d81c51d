// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <utility>

namespace herald {

// The client's half of RFC 6455's opening handshake (§4.1): the upgrade request, and the
// reading of the server's answer. No subprotocol and no extension is asked for.
//
// The answer is accepted only as `101` with `Upgrade: websocket`, `Connection: Upgrade` and
// the Sec-WebSocket-Accept that fits our key, and without a subprotocol or extension we did
// not ask for; anything else is refused with an error that says what was wrong ("the server
// answered 401 Unauthorized"). A head longer than `maxHeadBytes` is refused too: a server
// that never ends its head cannot make the client hold more.
//
// Pure: no I/O, any thread.
class ClientHandshake
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;
    static constexpr int DefaultMaxHeadBytes = 16 * 1024;

    enum class Outcome
    {
        Incomplete, // the head has not ended yet: read() again with more bytes
        Accepted,
        Refused // error() says why, httpStatus() is the status (0: none, or 101)
    };

    explicit ClientHandshake(QByteArray key, int maxHeadBytes = DefaultMaxHeadBytes);

    // The GET for `url` (ws:// or wss://) with `key`, then `extraHeaders` as they are.
    static QByteArray request(const QUrl &url, const QByteArray &key, const Headers &extraHeaders);

    // Reads the answer's head from the front of `buffer`, which holds what has arrived so far.
    // Once the head is whole it is removed from `buffer`; whatever followed it stays there:
    // the server's first frames.
    Outcome read(QByteArray &buffer);

    int httpStatus() const { return m_status; }
    const QString &error() const { return m_error; }

private:
    Outcome refuse(const QString &error);
    Outcome check(const QByteArray &head);

    const QByteArray m_key;
    const int m_maxHeadBytes;
    int m_status = 0;
    QString m_error;
};

} // namespace herald
