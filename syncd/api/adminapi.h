#pragma once

#include "api/apicontext.h"

namespace herald::syncd {

// Users, tokens and dropping a user's sessions: admin only.
class AdminApi
{
public:
    explicit AdminApi(ApiContext &api) : m_api(api) {}
    void addRoutes(Router &router);

private:
    void createToken(const HttpRequest &request, const HttpResponder &responder);

    ApiContext &m_api;
};

} // namespace herald::syncd
