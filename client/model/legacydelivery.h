// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/userpreferences.h"

#include <QList>
#include <QMap>
#include <QString>

namespace herald::client {

// Herald 0.2 kept a per-device switch per channel in the client's INI file ([Delivery]
// app:channel = popup | list | off). Herald now keeps delivery on the server, per user; this
// turns the old switches into the closest server rules, once (PreferencesController runs it at
// the first connection that reads the server's preferences). Pure.
//
// The mapping:
//   off   -> {"application":a,"channel":c,"delivery":"off"}: no popup, not pushed, still in
//            the inbox; what "off" meant, minus dropping it from this device's list.
//   list  -> {"application":a,"channel":c,"delivery":"immediate","agents":["feed"]}: no popup
//            and no push, still in the inbox and counted unread. "feed" is the one agent that
//            does not interrupt anybody (a rule needs at least one agent); "email" would start
//            mailing a user who asked for less noise.
//   popup -> no rule: the default already pops up.
// Names the server would refuse (not A-Z, a-z, 0-9, '.', '_', '-') and unknown values are
// skipped.
namespace LegacyDelivery {

// "app/channel" -> "popup" | "list" | "off", as ClientSettings reads the old keys.
QList<PreferenceRule> rules(const QMap<QString, QString> &switches);

// The server's preferences with the migrated rules added. A rule the server already has for
// the same application and channel wins: it was set on purpose since (on the server, or by
// another device's migration). Rules beyond UserPreferences::MaxRules are left out.
UserPreferences merged(const UserPreferences &server, const QList<PreferenceRule> &rules);

} // namespace LegacyDelivery

} // namespace herald::client
