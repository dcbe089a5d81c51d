// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/router.h"

namespace herald::syncd {

class PreferenceService;

// REST for a user's delivery preferences (PROTOCOL.md, Delivery policy):
// GET/PUT /api/v1/preferences (admins name the user with ?user=).
class PreferencesApi
{
public:
    explicit PreferencesApi(PreferenceService &service) : m_service(service) {}
    void addRoutes(Router &router);

private:
    PreferenceService &m_service;
};

} // namespace herald::syncd
