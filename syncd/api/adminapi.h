// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "codec/jsoncodec.h"
#include "http/router.h"

namespace herald::syncd {

class AccountService;

// REST for users, tokens and dropping a user's sessions (admin only); the rules are
// AccountService's.
class AdminApi
{
public:
    AdminApi(AccountService &service, const Limits &limits) : m_service(service), m_json(limits) {}
    void addRoutes(Router &router);

private:
    void createUser(const HttpRequest &request, const Principal &principal,
                    const HttpResponder &responder);
    void createToken(const HttpRequest &request, const Principal &principal,
                     const HttpResponder &responder);

    AccountService &m_service;
    JsonCodec m_json;
};

} // namespace herald::syncd
