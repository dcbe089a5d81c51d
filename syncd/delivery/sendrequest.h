// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <utility>

namespace herald::syncd {

// One HTTP POST for HttpSender. The body and headers are sent as given: Content-Type,
// Herald-Signature and the like are the caller's.
struct SendRequest
{
    quint64 tag = 0;  // the caller's, handed back in SendResult
    QString endpoint; // concurrency is bounded per endpoint (SenderOptions::maxPerEndpoint)
    QUrl url;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    int timeoutMs = 10000; // the whole exchange, redirects followed included
};

// Why a request got no usable HTTP answer. RetryPolicy::classify() decides on it.
enum class SendFailure
{
    None,            // an HTTP answer (httpStatus > 0), even one whose body was cut
    Network,         // name not resolved, connection refused or reset, transfer broken
    Timeout,         // SendRequest::timeoutMs passed
    Tls,             // the certificate was not verified (or the CA file not read)
    RefusedByPolicy, // every address of the host is private and that is not allowed: no packet
    Redirect,        // a redirect that is not followed; httpStatus holds its 3xx
    Invalid,         // the request itself cannot be sent (URL, protocol)
};

// How one SendRequest ended.
struct SendResult
{
    quint64 tag = 0;
    int httpStatus = 0;      // 0: no HTTP answer
    QByteArray retryAfter;   // the Retry-After header's raw value, if any
    QByteArray responseBody; // at most SenderOptions::maxResponseBytes of it
    QString error;           // for people: what went wrong; empty on a plain HTTP answer
    SendFailure failure = SendFailure::None;
    qint64 elapsedMs = 0; // from the transfer's start (connecting included), queueing not counted

    bool refusedByPolicy() const { return failure == SendFailure::RefusedByPolicy; }
    bool timedOut() const { return failure == SendFailure::Timeout; }
};

struct SenderOptions
{
    bool allowPrivateNetworks = false; // [endpoints] allowPrivateNetworks
    QString caFile;                    // empty: the system's CAs; HTTPS is always verified
    qint64 maxResponseBytes = 64 * 1024;
    int maxConcurrent = 64; // requests on the wire, all endpoints together
    int maxPerEndpoint = 8; // requests on the wire to one endpoint
    QByteArray userAgent;   // e.g. "herald-syncd/0.2.0"; empty: none sent
};

} // namespace herald::syncd

Q_DECLARE_METATYPE(herald::syncd::SendResult)
