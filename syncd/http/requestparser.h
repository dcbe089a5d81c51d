#pragma once

#include "http/httpmessage.h"

#include <http_parser.h>

#include <QList>

namespace herald::syncd {

// Incremental HTTP/1.1 request parsing over Node's http_parser, with PROTOCOL.md's limits:
// a request head over `maxHeaderBytes` fails with 431, a body over `maxBodyBytes` with 413,
// anything malformed with 400. Feed bytes as they arrive; complete requests queue up
// (pipelining). After an error, or after an upgrade request, the parser takes no more input.
class RequestParser
{
public:
    RequestParser(int maxHeaderBytes, qint64 maxBodyBytes);
    RequestParser(const RequestParser &) = delete;
    RequestParser &operator=(const RequestParser &) = delete;

    void feed(const char *data, qsizetype size);

    bool hasRequest() const { return !m_ready.isEmpty(); }
    HttpRequest takeRequest() { return m_ready.takeFirst(); }
    bool inProgress() const { return m_inMessage; } // part of a request has arrived
    bool upgradeRequested() const { return m_upgrade; }
    // 0 while fine; else the status to answer with before closing (400, 413, 431).
    int failureStatus() const { return m_failure; }
    QString failureMessage() const { return m_failureMessage; }

private:
    static int onMessageBegin(http_parser *p);
    static int onUrl(http_parser *p, const char *at, size_t length);
    static int onHeaderField(http_parser *p, const char *at, size_t length);
    static int onHeaderValue(http_parser *p, const char *at, size_t length);
    static int onHeadersComplete(http_parser *p);
    static int onBody(http_parser *p, const char *at, size_t length);
    static int onMessageComplete(http_parser *p);
    bool countHeadBytes(size_t length);
    void failWith(int status, const QString &message);

    http_parser m_parser;
    http_parser_settings m_settings;
    const int m_maxHeaderBytes;
    const qint64 m_maxBodyBytes;
    HttpRequest m_current;
    QByteArray m_field;
    bool m_lastWasValue = false;
    qint64 m_headBytes = 0;
    bool m_inMessage = false;
    bool m_upgrade = false;
    int m_failure = 0;
    QString m_failureMessage;
    QList<HttpRequest> m_ready;
};

} // namespace herald::syncd
