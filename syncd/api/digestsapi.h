// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/router.h"

namespace herald::syncd {

class DigestScheduler;

// REST for operators and tests (PROTOCOL.md, Delivery policy): POST /api/v1/digests/run sends
// the due digests now, `{"user":"alice","force":true}` optional.
class DigestsApi
{
public:
    explicit DigestsApi(DigestScheduler &scheduler) : m_scheduler(scheduler) {}
    void addRoutes(Router &router);

private:
    DigestScheduler &m_scheduler;
};

} // namespace herald::syncd
