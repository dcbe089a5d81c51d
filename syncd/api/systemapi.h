// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/router.h"

namespace herald::syncd {

class NodeStatus;

// GET /healthz and GET /metrics.
class SystemApi
{
public:
    explicit SystemApi(const NodeStatus &status) : m_status(status) {}
    void addRoutes(Router &router);

private:
    const NodeStatus &m_status;
};

} // namespace herald::syncd
