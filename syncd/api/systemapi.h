#pragma once

#include "api/apicontext.h"

namespace herald::syncd {

// GET /healthz and GET /metrics.
class SystemApi
{
public:
    explicit SystemApi(ApiContext &api) : m_api(api) {}
    void addRoutes(Router &router);

private:
    ApiContext &m_api;
};

} // namespace herald::syncd
