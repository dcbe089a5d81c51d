// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/router.h"

namespace herald::syncd {

class FeedService;

// REST for each user's Atom feed (PROTOCOL.md, Delivery policy):
// GET /api/v1/users/{user}/feed.atom, the one route that takes a feed token, and takes it from
// the query string (`?token=`) too, since feed readers cannot set headers. Shapes the
// FeedService's feed as Atom (AtomWriter) with its validators, and answers a conditional GET
// whose validators still hold with 304.
class FeedApi
{
public:
    explicit FeedApi(FeedService &service) : m_service(service) {}
    void addRoutes(Router &router);

    // Where this request reached the feed, for its rel="self" link: scheme (https when a
    // trusted proxy says so), the Host header and the path, never the query (the token).
    static QString selfUrl(const HttpRequest &request, const QString &user);

private:
    void feed(const HttpRequest &request, const QString &user, const Principal &principal,
              const HttpResponder &responder);

    FeedService &m_service;
};

} // namespace herald::syncd
