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

class HttpConnection;

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
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpHandler *handler, int maxHeaderBytes,
                   qint64 maxBodyBytes, QObject *parent);

    // True when the connection has been idle or stuck in a request past the limits.
    bool hasTimedOut(qint64 idleTimeoutMs, qint64 requestTimeoutMs) const;
    void closeNow();

signals:
    void finished(); // the connection is closed or handed over; the object deletes itself

private:
    friend class HttpResponder;
    void onReadyRead();
    void deliver(quint64 sequence, const QByteArray &bytes, bool keepAlive);
    void failAndClose(int status, const QString &message);
    void finish();

    QTcpSocket *m_socket;
    HttpHandler *m_handler;
    RequestParser m_parser;
    bool m_closing = false;
    bool m_draining = false; // answered an error; reading only to discard
    qint64 m_drainedBytes = 0;
    static constexpr qint64 MaxDrainBytes = 16 * 1024 * 1024;
    static constexpr qint64 DrainTimeoutMs = 2000;
    quint64 m_nextSequence = 0; // of the next request
    quint64 m_nextToWrite = 0;  // answers go out in this order
    QMap<quint64, std::pair<QByteArray, bool>> m_pendingAnswers;
    QElapsedTimer m_lastActivity;
    QElapsedTimer m_requestStarted;
};

} // namespace herald::syncd
