// SPDX-License-Identifier: Apache-2.0
#include "upgradesniffer.h"

#include "http/requestparser.h"

#include <QByteArray>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace herald::syncd {

UpgradeSniffer::UpgradeSniffer(qintptr descriptor, int maxHeadBytes, int timeoutMs, QObject *parent)
    : QObject(parent), m_descriptor(descriptor), m_maxHeadBytes(maxHeadBytes),
      m_timeoutMs(timeoutMs),
      m_notifier(new QSocketNotifier(descriptor, QSocketNotifier::Read, this))
{
    m_age.start();
    connect(m_notifier, &QSocketNotifier::activated, this, &UpgradeSniffer::onReadable);
    QTimer::singleShot(timeoutMs, this, &UpgradeSniffer::expire);
}

void UpgradeSniffer::onReadable()
{
    if (m_done)
        return;
    QByteArray peeked(m_maxHeadBytes + 1, Qt::Uninitialized);
    const ssize_t n =
        ::recv(int(m_descriptor), peeked.data(), size_t(peeked.size()), MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        m_done = true;
        m_notifier->setEnabled(false);
        ::close(int(m_descriptor));
        emit closed();
        deleteLater();
        return;
    }
    if (n < 0)
        return;
    peeked.truncate(n);
    const qsizetype headEnd = peeked.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (n > m_maxHeadBytes) {
            finish(false, {}); // HttpConnection answers 431
            return;
        }
        if (m_age.elapsed() > m_timeoutMs) {
            expire();
            return;
        }
        // The data stays unread, so the notifier would fire again at once: look again a little
        // later instead of spinning until the rest of the head arrives.
        m_notifier->setEnabled(false);
        QTimer::singleShot(5, this, [this] { m_notifier->setEnabled(!m_done); });
        return;
    }
    RequestParser parser(m_maxHeadBytes, 0);
    parser.feed(peeked.constData(), headEnd + 4);
    if (parser.hasRequest()) {
        HttpRequest request = parser.takeRequest();
        if (request.upgrade) {
            finish(true, request);
            return;
        }
    }
    finish(false, {});
}

void UpgradeSniffer::expire()
{
    if (m_done)
        return;
    m_done = true;
    m_notifier->setEnabled(false);
    emit overdue(m_descriptor);
    deleteLater();
}

void UpgradeSniffer::finish(bool upgrade, const HttpRequest &request)
{
    if (m_done)
        return;
    m_done = true;
    m_notifier->setEnabled(false);
    emit sniffed(m_descriptor, upgrade, request);
    deleteLater();
}

} // namespace herald::syncd
