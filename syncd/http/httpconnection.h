// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/httpmessage.h"
#include "http/requestparser.h"

#include <QElapsedTimer>

#include <QMap>
#include <QObject>
#include <QPointer>
#include <functional>
#include <optional>

class QTcpSocket;

namespace herald::syncd {

class AnswerFlusher;
class HttpConnection;
class TrustedProxies;

// Answers one request, possibly later (after the store replies). Copyable; safe to use after
// the connection closed (then it does nothing). Use only on the connection's thread.
class HttpResponder
{
public:
    HttpResponder() = default;
    HttpResponder(HttpConnection *connection, quint64 sequence, bool keepAlive);
    void send(const HttpResponse &response) const;

private:
    QPointer<HttpConnection> m_connection;
    quint64 m_sequence = 0;
    bool m_keepAlive = true;
};

// What HttpServer hands requests to.
class HttpHandler
{
public:
    using UpgradeDecision = std::function<void(std::optional<HttpResponse> refusal)>;
    virtual ~HttpHandler() = default;
    // Answer through `responder`, now or later, exactly once.
    virtual void handleRequest(const HttpRequest &request, const HttpResponder &responder) = 0;
    // A new connection opens with a WebSocket upgrade request. Call `decide` exactly once, now
    // or later: with nullopt to let the upgrade happen, or with the answer that refuses it.
    virtual void admitUpgrade(const HttpRequest &request, UpgradeDecision decide) = 0;
};

// One HTTP/1.1 connection on the front thread: parses requests (pipelined and kept alive),
// refuses later upgrade requests (upgrades are taken before a connection becomes this),
// passes them on in order, writes the answers in request order, and closes on errors,
// "Connection: close" and timeouts (checked by HttpServer's sweep, not per-connection timers).
//
// Back-pressure: a client may pipeline without reading, so the connection takes in the next
// request only while it owes fewer than MaxAnswersOwed answers and fewer than MaxUnsentBytes
// wait to be written. Otherwise it stops reading: Qt buffers at most ReadBufferBytes, then the
// kernel's buffers and the TCP window hold the client back. It resumes as answers go out.
// Once closed it takes nothing more and drops answers that still arrive.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 MaxAnswersOwed = 16;
    static constexpr qint64 MaxUnsentBytes = 64 * 1024;
    static constexpr qint64 ReadBufferBytes = 64 * 1024;
    // Parsed at a time, so requests parsed but not yet taken in stay few.
    static constexpr qint64 ReadSliceBytes = 4 * 1024;
    // Taken in per turn of the event loop; then other connections get theirs.
    static constexpr int RequestsPerTurn = 32;

    // `proxies` (outlives this) say whose X-Forwarded-For names the client; `flusher`
    // (outlives this) sends the answers at the end of each turn of the event loop.
    HttpConnection(QTcpSocket *socket, HttpHandler *handler, int maxHeaderBytes,
                   qint64 maxBodyBytes, const TrustedProxies &proxies, AnswerFlusher &flusher,
                   QObject *parent);

    // True when the connection has been idle or stuck in a request past the limits.
    bool hasTimedOut(qint64 idleTimeoutMs, qint64 requestTimeoutMs) const;
    // True when answers wait to be written and the client has taken none for `stallMs`: a
    // graceful close would wait for it forever.
    bool isStalled(qint64 stallMs) const;
    void closeNow();
    void abort() { finish(); }
    // Writes the answers made since the last flush (AnswerFlusher calls it).
    void flushAnswers();

signals:
    void requestTaken(); // a request went to the handler
    void finished();     // the connection is closed or handed over; the object deletes itself

private:
    friend class HttpResponder;
    qint64 answersOwed() const { return qint64(m_nextSequence - m_nextToWrite); }
    bool mayTakeRequest() const;
    // Input that pump() has yet to deal with: a parsed request, unread bytes, or a refusal
    // (which waits for every answer owed before it).
    bool hasInputWaiting() const;
    // Answers not yet taken by the kernel: made this turn, or left in the socket's buffer.
    qint64 unsentBytes() const;
    bool wantsAnswers() const { return !m_finished && !m_draining; }
    void pump();
    void schedulePump();
    void take(HttpRequest request);
    void onBytesWritten();
    void deliver(quint64 sequence, const QByteArray &bytes, bool keepAlive);
    void failAndClose(int status, const QString &message);
    void finish();

    QTcpSocket *m_socket;
    HttpHandler *m_handler;
    AnswerFlusher &m_flusher;
    const TrustedProxies &m_proxies;
    QHostAddress m_peer;
    RequestParser m_parser;
    bool m_closing = false;
    bool m_finished = false;
    bool m_draining = false; // answered an error; reading only to discard
    bool m_pumping = false;
    bool m_pumpScheduled = false;
    bool m_upgradeRefused = false; // a later request asked to upgrade
    qint64 m_drainedBytes = 0;
    static constexpr qint64 MaxDrainBytes = 16 * 1024 * 1024;
    static constexpr qint64 DrainTimeoutMs = 2000;
    quint64 m_nextSequence = 0; // of the next request
    quint64 m_nextToWrite = 0;  // answers go out in this order
    QMap<quint64, std::pair<QByteArray, bool>> m_pendingAnswers;
    QByteArray m_unflushed; // answers in order, for the end of this turn
    bool m_flushScheduled = false;
    bool m_disconnectAfterFlush = false; // the last answer said "Connection: close"
    QElapsedTimer m_lastActivity;
    QElapsedTimer m_lastWritten; // since the client last took bytes (or the first were queued)
    QElapsedTimer m_requestStarted;
};

} // namespace herald::syncd
