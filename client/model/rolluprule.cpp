// SPDX-License-Identifier: Apache-2.0
#include "rolluprule.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace herald::client {

std::optional<RollupRule> RollupRule::fromJson(const QJsonObject &object)
{
    RollupRule rule;
    rule.name = object.value(u"name"_s).toString();
    rule.application = object.value(u"application"_s).toString();
    rule.channel = object.value(u"channel"_s).toString();
    rule.code = object.value(u"code"_s).toString();
    rule.matchOn = object.value(u"matchOn"_s).toString();
    rule.maxSize = object.value(u"maxSize"_s).toInt(10);
    if (rule.name.isEmpty() || rule.application.isEmpty() || rule.maxSize < 2)
        return std::nullopt;
    return rule;
}

QString rollupTitle(int count, const QString &rule, const QString &channel,
                    const QString &newestTitle)
{
    return QCoreApplication::translate("herald::client::RollupRule", "%1 %2 in %3, latest: %4")
        .arg(count)
        .arg(rule, channel, newestTitle);
}

} // namespace herald::client
