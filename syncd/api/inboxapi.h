// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/router.h"
#include "protocol/limits.h"

namespace herald::syncd {

class InboxService;

// REST for each user's inbox (PROTOCOL.md "Inbox"): the listing with its Range paging, the
// counts, per-user deletes, what the user follows and their rollup rules. Parses requests and
// shapes answers; every rule is InboxService's.
class InboxApi
{
public:
    InboxApi(InboxService &service, const Limits &limits);
    void addRoutes(Router &router);

private:
    void list(const HttpRequest &request, const Principal &principal,
              const HttpResponder &responder);
    void counts(const HttpRequest &request, const Principal &principal,
                const HttpResponder &responder);
    void hide(const HttpRequest &request, const QString &idText, const Principal &principal,
              const HttpResponder &responder);
    void clear(const HttpRequest &request, const Principal &principal,
               const HttpResponder &responder);
    void follows(const HttpRequest &request, const Principal &principal,
                 const HttpResponder &responder);
    void replaceFollows(const HttpRequest &request, const Principal &principal,
                        const HttpResponder &responder);
    void rules(const HttpRequest &request, const Principal &principal,
               const HttpResponder &responder);
    void rule(const HttpRequest &request, const QString &name, const Principal &principal,
              const HttpResponder &responder);
    void putRule(const HttpRequest &request, const QString &name, const Principal &principal,
                 const HttpResponder &responder);
    void deleteRule(const HttpRequest &request, const QString &name, const Principal &principal,
                    const HttpResponder &responder);

    InboxService &m_service;
    const Limits &m_limits;
};

} // namespace herald::syncd
