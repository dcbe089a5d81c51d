// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "protocol/error.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonDocument>
#include <QList>
#include <QUrlQuery>

#include <utility>

namespace herald::syncd {

class TrustedProxies;

struct HttpRequest
{
    QByteArray method; // "GET", ...
    QByteArray target; // as sent: path and query
    QString path;      // percent-decoded
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers; // names lowercased
    QByteArray body;
    QHostAddress peer;   // the TCP peer
    QHostAddress client; // whom limits count: `peer`, or whom a trusted proxy forwards for
    // False when `client` is a trusted proxy that named nobody: it speaks for many clients,
    // so caps per address do not apply to it.
    bool clientCappable = true;
    bool keepAlive = true;
    bool upgrade = false;

    QByteArray header(const QByteArray &lowercaseName) const;
    QList<QByteArray> headerValues(const QByteArray &lowercaseName) const; // every one, in order
    // Sets `peer` and, from it and X-Forwarded-For, `client` and `clientCappable`.
    void setPeer(const QHostAddress &address, const TrustedProxies &proxies);
    // The token of "Authorization: Bearer <token>", else the `token` query parameter.
    QString bearerToken() const;
    bool hasJsonContentType() const; // application/json, or no Content-Type at all
};

struct HttpResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType = "application/json";

    static HttpResponse json(int status, const QJsonDocument &document);
    static HttpResponse json(int status, const QByteArray &compactJson);
    static HttpResponse noContent() { return {204, {}, {}, {}}; }
    static HttpResponse error(const Error &error); // PROTOCOL.md's error body, status by code
    // error() with `Retry-After` in whole seconds (at least 1), for 429 and 503.
    static HttpResponse retryLater(const Error &error, qint64 retryAfterMs);

    QByteArray serialize(bool keepAlive) const;
};

QByteArray reasonPhrase(int status);

} // namespace herald::syncd
