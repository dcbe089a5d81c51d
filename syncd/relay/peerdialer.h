// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/backoff.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace herald::syncd {

// Keeps dialling one configured peer (on the relay's thread) until a WebSocket stands, with
// backoff and jitter between attempts, and again whenever the link built on it ends.
class PeerDialer : public QObject
{
    Q_OBJECT
public:
    static constexpr int HandshakeTimeoutMs = 5000;

    PeerDialer(const QUrl &url, QObject *parent = nullptr);

    QUrl url() const { return m_url; }
    bool isConnecting() const { return m_socket != nullptr || m_retry.isActive(); }

    void dial();
    // The link made from the last socket ended: dial again after a pause.
    void linkEnded();

Q_SIGNALS:
    // The caller takes the socket over.
    void connected(QWebSocket *socket);

private:
    void failed(const QString &why);
    void scheduleRetry();

    QUrl m_url;
    QWebSocket *m_socket = nullptr;
    herald::Backoff m_backoff;
    QTimer m_retry;
    QTimer m_handshakeTimeout;
};

} // namespace herald::syncd
