// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "codec/jsoncodec.h"
#include "http/router.h"

namespace herald::syncd {

class CatalogService;

// REST for applications and their channels; the rules are CatalogService's.
class CatalogApi
{
public:
    CatalogApi(CatalogService &service, const Limits &limits) : m_service(service), m_json(limits)
    {
    }
    void addRoutes(Router &router);

private:
    CatalogService &m_service;
    JsonCodec m_json;
};

} // namespace herald::syncd
