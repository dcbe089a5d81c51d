// SPDX-License-Identifier: Apache-2.0
#include "net/directwritesocket.h"

#include <sys/socket.h>

#include <cerrno>

namespace herald::syncd {

qint64 DirectWriteSocket::writeData(const char *data, qint64 size)
{
    // Only while nothing is queued, so bytes never overtake buffered ones.
    if (size <= 0 || state() != ConnectedState || bytesToWrite() > 0)
        return QTcpSocket::writeData(data, size);
    ssize_t sent;
    do {
        sent = ::send(int(socketDescriptor()), data, size_t(size), MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (sent < 0 && errno == EINTR);
    if (sent == size)
        return size;
    // Full kernel buffer, or an error the socket reports in its own way: the rest (or all)
    // goes through QTcpSocket's buffer and its write notifier.
    const qint64 done = sent > 0 ? sent : 0;
    const qint64 buffered = QTcpSocket::writeData(data + done, size - done);
    return buffered < 0 ? (done > 0 ? done : buffered) : done + buffered;
}

} // namespace herald::syncd
