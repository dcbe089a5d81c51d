// SPDX-License-Identifier: Apache-2.0
#include "httpmessage.h"

#include "auth/bearertoken.h"
#include "codec/jsoncodec.h"
#include "limits/addresskey.h"
#include "limits/trustedproxies.h"

#include <algorithm>

namespace herald::syncd {

QByteArray HttpRequest::header(const QByteArray &lowercaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

QList<QByteArray> HttpRequest::headerValues(const QByteArray &lowercaseName) const
{
    QList<QByteArray> values;
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            values.append(value);
    }
    return values;
}

void HttpRequest::setPeer(const QHostAddress &address, const TrustedProxies &proxies)
{
    peer = plainAddress(address);
    client =
        proxies.contains(peer) ? proxies.clientOf(peer, headerValues("x-forwarded-for")) : peer;
    clientCappable = !proxies.contains(client);
}

QString HttpRequest::bearerToken() const
{
    return syncd::bearerToken(header("authorization"), query);
}

bool HttpRequest::hasJsonContentType() const
{
    const QByteArray type = header("content-type").trimmed().toLower();
    return type.isEmpty() || type.startsWith("application/json") || type.startsWith("text/json");
}

HttpResponse HttpResponse::json(int status, const QJsonDocument &document)
{
    return json(status, document.toJson(QJsonDocument::Compact));
}

HttpResponse HttpResponse::json(int status, const QByteArray &compactJson)
{
    HttpResponse response;
    response.status = status;
    response.body = compactJson;
    return response;
}

HttpResponse HttpResponse::error(const Error &error)
{
    HttpResponse response = json(httpStatus(error.code), JsonCodec::errorBody(error));
    if (error.code == ErrorCode::Unauthorized)
        response.headers.append(
            {QByteArray("WWW-Authenticate"), QByteArray("Bearer realm=\"herald\"")});
    return response;
}

HttpResponse HttpResponse::retryLater(const Error &error, qint64 retryAfterMs)
{
    HttpResponse response = HttpResponse::error(error);
    const qint64 seconds = std::max<qint64>(1, (retryAfterMs + 999) / 1000);
    response.headers.append({QByteArray("Retry-After"), QByteArray::number(seconds)});
    return response;
}

QByteArray HttpResponse::serialize(bool keepAlive) const
{
    QByteArray out;
    out.reserve(160 + body.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    // A 304 has no body, and a Content-Length there would have to be the 200's (RFC 9110, 8.6).
    if (status != 304) {
        if (!body.isEmpty() || status != 204)
            out += "Content-Type: " + contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    if (!keepAlive)
        out += "Connection: close\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

} // namespace herald::syncd
