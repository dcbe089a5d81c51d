// SPDX-License-Identifier: Apache-2.0
#include "api/feedapi.h"

#include "api/answer.h"
#include "api/atomwriter.h"
#include "api/conditionalget.h"
#include "core/feedservice.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// A token in a URL ends up in logs: only a feed token, which reads the feed and nothing
// else, is taken from there. A user's or an admin's goes in the header.
bool tokenFromQuery(const HttpRequest &request)
{
    return request.header("authorization").trimmed().isEmpty() &&
           request.query.hasQueryItem(u"token"_s);
}

} // namespace

void FeedApi::addRoutes(Router &router)
{
    router.add(
        "GET", u"/api/v1/users/{user}/feed.atom"_s, Router::Access::FeedReader,
        [this](const HttpRequest &request, const Router::Params &params, const Principal &principal,
               const HttpResponder &responder) {
            feed(request, params.value(u"user"_s), principal, responder);
        },
        Router::TokenIn::HeaderOrQuery);
}

QString FeedApi::selfUrl(const HttpRequest &request, const QString &user)
{
    // A name, an IPv4 address or a bracketed IPv6 one, and a port.
    static const QRegularExpression hostPattern(
        u"^([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$"_s);
    const QString path =
        u"/api/v1/users/%1/feed.atom"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(user)));
    const QString host = QString::fromLatin1(request.header("host").trimmed());
    if (!hostPattern.match(host).hasMatch())
        return path; // relative: there is no host to trust
    // X-Forwarded-Proto counts only from a trusted proxy (one that named a client).
    const bool proxied = request.client != request.peer;
    const bool https =
        proxied && request.header("x-forwarded-proto").trimmed().toLower() == "https";
    return (https ? u"https://"_s : u"http://"_s) + host + path;
}

void FeedApi::feed(const HttpRequest &request, const QString &user, const Principal &principal,
                   const HttpResponder &responder)
{
    if (tokenFromQuery(request) && principal.tokenId != 0 && principal.kind != TokenKind::Feed) {
        return sendError(responder,
                         Error::badRequest(u"token: only a feed token is taken from the query "
                                           "string (it would end up in access logs); send a "
                                           "user or admin token as the header "
                                           "Authorization: Bearer <token>"_s));
    }
    m_service.feed(
        principal, user, &m_service,
        answer<Feed>(responder, [request, responder](const Feed &feed) {
            const QByteArray body = AtomWriter::write(feed, selfUrl(request, feed.user));
            const ConditionalGet validators{ConditionalGet::strongEtagOf(body), feed.updated};
            const QList<std::pair<QByteArray, QByteArray>> headers{
                {"ETag", validators.etag},
                {"Last-Modified", ConditionalGet::httpDate(validators.lastModified)},
                {"Cache-Control", "private, no-cache"},
            };
            if (validators.notModified(request)) {
                responder.send(HttpResponse{304, headers, {}, {}});
                return;
            }
            HttpResponse response{200, headers, body, "application/atom+xml; charset=utf-8"};
            responder.send(response);
        }));
}

} // namespace herald::syncd
