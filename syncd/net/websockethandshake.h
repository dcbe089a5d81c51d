// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace herald::syncd {

// What the front parsed of an upgrade request's head: the handshake checks it and answers.
struct WebSocketUpgradeRequest
{
    QByteArray method;
    QList<std::pair<QByteArray, QByteArray>> headers; // names lowercased, in order
};

// The server's half of RFC 6455's opening handshake (§4.2) on a connection whose upgrade
// request the front has parsed but left unread: takeHead() reads the head off the descriptor
// (whatever follows it stays there, for the frames), answer() checks the request as §4.2.1
// says and makes the answer.
//
// Checked: a GET over HTTP/1.1 or later, with Host, `Upgrade: websocket`, `Connection:
// Upgrade`, one Sec-WebSocket-Key that is 16 bytes in base64 and Sec-WebSocket-Version 13.
// Anything else is answered 400 with `Sec-WebSocket-Version: 13` (as QWebSocketServer did
// before); §4.4 allows that status for a version it does not speak. No subprotocol and no
// extension is ever selected, so the answer names none.
namespace WebSocketHandshake {

struct Answer
{
    bool accepted = false;
    QByteArray bytes; // the whole HTTP answer, head and (for a refusal) body
};

// `requestLine` is the head's first line, "GET /path HTTP/1.1" (for the version).
Answer answer(const QByteArray &requestLine, const WebSocketUpgradeRequest &request);

// Reads the request head, up to and including the blank line that ends it, off `descriptor`
// and returns it; at most `maxHeadBytes` are looked at. Empty when no whole head is there
// (the front saw it whole, so only a connection that broke since gets here).
QByteArray takeHead(int descriptor, int maxHeadBytes);

} // namespace WebSocketHandshake

} // namespace herald::syncd
