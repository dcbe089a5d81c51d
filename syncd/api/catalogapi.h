#pragma once

#include "api/apicontext.h"

namespace herald::syncd {

// Applications and their channels.
class CatalogApi
{
public:
    explicit CatalogApi(ApiContext &api) : m_api(api) {}
    void addRoutes(Router &router);

private:
    ApiContext &m_api;
};

} // namespace herald::syncd
