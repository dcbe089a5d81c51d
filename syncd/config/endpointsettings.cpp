// SPDX-License-Identifier: Apache-2.0
#include "config/settingtable.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace herald::syncd::settingtable {

namespace {

Apply endpointInt(int EndpointSettings::*field, int min, int max)
{
    return [=](Config &c, const QString &v) -> Result<void> {
        auto n = toInt(v, min, max);
        if (!n)
            return tl::unexpected(n.error());
        c.endpoints.*field = *n;
        return {};
    };
}

} // namespace

QList<Setting> endpointSettings()
{
    return {
        {u"endpoints/allowPrivateNetworks"_s, u"HERALD_ENDPOINTS_ALLOW_PRIVATE_NETWORKS"_s,
         QString(), QString(), QString(),
         [](Config &c, const QString &v) -> Result<void> {
             auto b = toBool(v);
             if (!b)
                 return tl::unexpected(b.error());
             c.endpoints.allowPrivateNetworks = *b;
             return {};
         }},
        {u"endpoints/caFile"_s, u"HERALD_ENDPOINTS_CA_FILE"_s, QString(), QString(), QString(),
         [](Config &c, const QString &v) -> Result<void> {
             const QString path = v.trimmed();
             if (!path.isEmpty() && !QFileInfo(path).isReadable())
                 return invalid(u"cannot read '%1'"_s.arg(path));
             c.endpoints.caFile = path;
             return {};
         }},
        {u"endpoints/timeoutMs"_s, u"HERALD_ENDPOINTS_TIMEOUT_MS"_s, QString(), QString(),
         QString(), endpointInt(&EndpointSettings::timeoutMs, 100, 300000)},
        {u"endpoints/maxConcurrent"_s, u"HERALD_ENDPOINTS_MAX_CONCURRENT"_s, QString(), QString(),
         QString(), endpointInt(&EndpointSettings::maxConcurrent, 1, 4096)},
        {u"endpoints/maxPerEndpoint"_s, u"HERALD_ENDPOINTS_MAX_PER_ENDPOINT"_s, QString(),
         QString(), QString(), endpointInt(&EndpointSettings::maxPerEndpoint, 1, 1024)},
        {u"endpoints/retryInitialMs"_s, u"HERALD_ENDPOINTS_RETRY_INITIAL_MS"_s, QString(),
         QString(), QString(), endpointInt(&EndpointSettings::retryInitialMs, 10, 3600000)},
        {u"endpoints/retryMaxMs"_s, u"HERALD_ENDPOINTS_RETRY_MAX_MS"_s, QString(), QString(),
         QString(), endpointInt(&EndpointSettings::retryMaxMs, 10, 86400000)},
        {u"endpoints/retryForMs"_s, u"HERALD_ENDPOINTS_RETRY_FOR_MS"_s, QString(), QString(),
         QString(),
         [](Config &c, const QString &v) -> Result<void> {
             auto n = toInt(v, 1000, 7 * 86400 * 1000);
             if (!n)
                 return tl::unexpected(n.error());
             c.endpoints.retryForMs = *n;
             return {};
         }},
        {u"endpoints/disableAfter"_s, u"HERALD_ENDPOINTS_DISABLE_AFTER"_s, QString(), QString(),
         QString(), endpointInt(&EndpointSettings::disableAfter, 1, 100000)},
        {u"endpoints/takeoverAfterMs"_s, u"HERALD_ENDPOINTS_TAKEOVER_AFTER_MS"_s, QString(),
         QString(), QString(), endpointInt(&EndpointSettings::takeoverAfterMs, 0, 86400000)},
        {u"endpoints/keepFinishedDays"_s, u"HERALD_ENDPOINTS_KEEP_FINISHED_DAYS"_s, QString(),
         QString(), QString(), endpointInt(&EndpointSettings::keepFinishedDays, 1, 3650)},
    };
}

} // namespace herald::syncd::settingtable
