// SPDX-License-Identifier: Apache-2.0
#include "legacydelivery.h"

#include "model/modellog.h"
#include "model/notification.h"
#include "protocol/validator.h"

using namespace Qt::StringLiterals;

namespace herald::client::LegacyDelivery {

QList<PreferenceRule> rules(const QMap<QString, QString> &switches)
{
    QList<PreferenceRule> result;
    for (auto it = switches.begin(); it != switches.end(); ++it) {
        const QString application = it.key().section(u'/', 0, 0);
        const QString channel = it.key().section(u'/', 1);
        if (!Validator::isValidName(application) || !Validator::isValidName(channel)) {
            qCWarning(lcModel) << "not migrating the delivery of" << it.key()
                               << ": not a valid channel name";
            continue;
        }
        PreferenceRule rule;
        rule.application = application;
        rule.channel = channel;
        if (it.value() == u"off"_s) {
            rule.delivery = PreferenceRule::Delivery::Off;
        } else if (it.value() == u"list"_s) {
            rule.delivery = PreferenceRule::Delivery::Immediate;
            rule.agents = {PreferenceRule::Feed};
        } else {
            continue; // "popup" is the default; anything else is not ours
        }
        result.append(rule);
    }
    return result;
}

UserPreferences merged(const UserPreferences &server, const QList<PreferenceRule> &rules)
{
    UserPreferences result = server;
    for (const PreferenceRule &rule : rules) {
        if (result.indexOf(rule.application, rule.channel, rule.code) >= 0)
            continue;
        if (result.rules.size() >= UserPreferences::MaxRules) {
            qCWarning(lcModel) << "not migrating the delivery of"
                               << channelKey(rule.application, rule.channel)
                               << ": the server's preferences hold the most rules they may";
            continue;
        }
        result.rules.append(rule);
    }
    return result;
}

} // namespace herald::client::LegacyDelivery
