// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <optional>
#include <utility>

namespace herald::syncd {

// What makes a SendRequest a mail: the SMTP envelope and the login. The request's url is
// then the server (smtp:// or smtps://), its body the whole RFC 5322 message with CRLF line
// ends (libcurl escapes leading dots and ends the DATA), and its headers are not used.
struct MailEnvelope
{
    QByteArray from;              // MAIL FROM, a bare address
    QList<QByteArray> recipients; // RCPT TO, bare addresses; one refused fails the send
    QString user;                 // empty: no AUTH
    QString password;
    bool requireTls = true; // smtp://: STARTTLS or fail (CURLUSESSL_ALL); false: never asked
};

// One HTTP POST (or, with `mail`, one SMTP send) for HttpSender. The body and headers are
// sent as given: Content-Type, Herald-Signature and the like are the caller's.
struct SendRequest
{
    quint64 tag = 0;  // the caller's, handed back in SendResult
    QString endpoint; // concurrency is bounded per endpoint (SenderOptions::maxPerEndpoint)
    QUrl url;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    int timeoutMs = 10000;            // the whole exchange, redirects followed included
    std::optional<MailEnvelope> mail; // set: SMTP to `url` instead of an HTTP POST
};

// Why a request got no usable HTTP answer. RetryPolicy::classify() decides on it.
enum class SendFailure
{
    None,            // an HTTP answer (httpStatus > 0), even one whose body was cut; a mail
                     // the SMTP server took (smtpStatus 2xx)
    Network,         // name not resolved, connection refused or reset, transfer broken
    Timeout,         // SendRequest::timeoutMs passed
    Tls,             // the certificate was not verified (or the CA file not read); a mail:
                     // STARTTLS required and not offered
    RefusedByPolicy, // every address of the host is private and that is not allowed: no packet
    Redirect,        // a redirect that is not followed; httpStatus holds its 3xx
    Invalid,         // the request itself cannot be sent (URL, protocol)
    Rejected,        // mail: the SMTP server refused it with a 4xx or 5xx reply (smtpStatus)
};

// How one SendRequest ended.
struct SendResult
{
    quint64 tag = 0;
    int httpStatus = 0;      // 0: no HTTP answer (always for a mail)
    int smtpStatus = 0;      // mail: the server's last reply code; 0: none
    QByteArray retryAfter;   // the Retry-After header's raw value, if any
    QByteArray responseBody; // at most SenderOptions::maxResponseBytes of it
    QString error;           // for people: what went wrong; empty on a plain HTTP answer
    SendFailure failure = SendFailure::None;
    qint64 elapsedMs = 0; // from the transfer's start (connecting included), queueing not counted

    // The answer's code for the delivery log: the HTTP status or the SMTP reply code.
    int status() const { return httpStatus > 0 ? httpStatus : smtpStatus; }
    bool refusedByPolicy() const { return failure == SendFailure::RefusedByPolicy; }
    bool timedOut() const { return failure == SendFailure::Timeout; }
};

struct SenderOptions
{
    bool allowPrivateNetworks = false; // [endpoints] allowPrivateNetworks
    QString caFile; // empty: the system's CAs; HTTPS and SMTP over TLS are always verified
    qint64 maxResponseBytes = 64 * 1024;
    int maxConcurrent = 64; // requests on the wire, all endpoints together
    int maxPerEndpoint = 8; // requests on the wire to one endpoint
    QByteArray userAgent;   // e.g. "herald-syncd/0.2.0"; empty: none sent
};

} // namespace herald::syncd

Q_DECLARE_METATYPE(herald::syncd::SendResult)
