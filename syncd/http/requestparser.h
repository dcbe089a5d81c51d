// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/httpmessage.h"

#include <http_parser.h>

#include <QList>

namespace herald::syncd {

// Incremental HTTP/1.1 request parsing over Node's http_parser, with PROTOCOL.md's limits:
// a request head over `maxHeaderBytes` or with more than `maxHeaderLines` header lines fails
// with 431, a body over `maxBodyBytes` with 413, anything malformed with 400. Feed bytes as
// they arrive; complete requests queue up (pipelining). After an error, or after an upgrade
// request, the parser takes no more input.
//
// The head is counted as sent: from the first byte of the request line to the blank line
// that ends the head, separators, whitespace and line ends included (chunked trailers count
// on top). http_parser is paused where a head begins and where it ends, so the bytes in
// between are exactly the head; a head that grows past the limit fails as soon as a name or
// value reaches past it, before the rest is read.
class RequestParser
{
public:
    static constexpr int DefaultMaxHeaderLines = 100;

    RequestParser(int maxHeaderBytes, qint64 maxBodyBytes,
                  int maxHeaderLines = DefaultMaxHeaderLines);
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
    // Fails with 431 when the head reaches past the limit at `end` (in the current run) or,
    // in trailers, with `length` more bytes.
    bool checkHead(const char *end, size_t length);
    bool checkHeadTotal(qint64 headBytes);
    void failWith(int status, const QString &message);

    http_parser m_parser;
    http_parser_settings m_settings;
    const int m_maxHeaderBytes;
    const qint64 m_maxBodyBytes;
    const int m_maxHeaderLines;
    HttpRequest m_current;
    QByteArray m_field;
    bool m_lastWasValue = false;
    qint64 m_headBytes = 0;           // of the current request, counted up to the current run
    bool m_inHead = false;            // from the request line's first byte to the head's end
    const char *m_runStart = nullptr; // where the current http_parser_execute() began
    bool m_headBegan = false;         // in the current run
    bool m_headEnded = false;         // in the current run
    bool m_inMessage = false;
    bool m_upgrade = false;
    int m_failure = 0;
    QString m_failureMessage;
    QList<HttpRequest> m_ready;
};

} // namespace herald::syncd
