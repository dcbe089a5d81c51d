// SPDX-License-Identifier: Apache-2.0
#include "connectionrefuser.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace herald::syncd {

namespace {
constexpr qsizetype ReadChunk = 16 * 1024;
constexpr int MaxReadsPerWakeup = 16;

// Reads away what is there. True while the client has not closed its side.
bool discardInput(int fd)
{
    char buffer[ReadChunk];
    for (int i = 0; i < MaxReadsPerWakeup; ++i) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return true;
        return false; // closed or failed
    }
    return true;
}
} // namespace

ConnectionRefuser::ConnectionRefuser(int maxLingering, int lingerMs, QObject *parent)
    : QObject(parent), m_maxLingering(maxLingering), m_lingerMs(lingerMs)
{
}

ConnectionRefuser::~ConnectionRefuser()
{
    for (auto it = m_lingering.cbegin(); it != m_lingering.cend(); ++it) {
        delete it.value();
        ::close(int(it.key()));
    }
}

void ConnectionRefuser::refuse(qintptr descriptor, const QByteArray &response)
{
    const int fd = int(descriptor);
    const bool open = discardInput(fd);
    // A fresh socket's send buffer takes a short answer whole; if not, the client gets what
    // fitted.
    if (!open ||
        ::send(fd, response.constData(), size_t(response.size()), MSG_DONTWAIT | MSG_NOSIGNAL) <
            0 ||
        m_lingering.size() >= m_maxLingering) {
        ::close(fd);
        return;
    }
    ::shutdown(fd, SHUT_WR);
    auto *notifier = new QSocketNotifier(descriptor, QSocketNotifier::Read, this);
    m_lingering.insert(descriptor, notifier);
    connect(notifier, &QSocketNotifier::activated, this, [this, descriptor, notifier] {
        if (!discardInput(int(descriptor)))
            close(descriptor, notifier);
    });
    QTimer::singleShot(m_lingerMs, notifier,
                       [this, descriptor, notifier] { close(descriptor, notifier); });
}

void ConnectionRefuser::close(qintptr descriptor, QSocketNotifier *notifier)
{
    // The number may already belong to a newer refusal once this one's is closed.
    if (m_lingering.value(descriptor) != notifier)
        return;
    m_lingering.remove(descriptor);
    notifier->setEnabled(false);
    notifier->deleteLater(); // may be the sender of this call
    ::close(int(descriptor));
}

} // namespace herald::syncd
