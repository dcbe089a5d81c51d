// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTcpSocket>

namespace herald::syncd {

// A QTcpSocket that hands each write straight to the kernel and buffers only what the kernel
// does not take. QAbstractSocket buffers every write and keeps its 32 KiB write block for the
// life of the socket after the first frame: most of what an idle WebSocket session costs
// (heaptrack: 98 MB for 3,000 idle sessions). Its Unbuffered mode only applies to sockets it
// connects itself, not to adopted descriptors. Used for the peer links WebSocketTakeover adopts
// (client sessions are RawWebSockets).
class DirectWriteSocket : public QTcpSocket
{
    Q_OBJECT
public:
    using QTcpSocket::QTcpSocket;

protected:
    qint64 writeData(const char *data, qint64 size) override;
};

} // namespace herald::syncd
