// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/router.h"

namespace herald::syncd {

class EndpointService;

// REST for routing to endpoints (PROTOCOL.md, Routing to endpoints): endpoints with their
// delivery log, test and enable actions, and each application's behaviour groups. Parses
// requests and shapes answers; every rule is EndpointService's.
class EndpointsApi
{
public:
    explicit EndpointsApi(EndpointService &service) : m_service(service) {}
    void addRoutes(Router &router);

private:
    EndpointService &m_service;
};

} // namespace herald::syncd
