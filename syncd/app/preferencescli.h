// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

namespace herald::syncd {

// `herald-syncd prefs get|set --user U [FILE]`: a user's delivery preferences through a running
// daemon's REST API (an admin token from --token or HERALD_TOKEN), for operators. `set` reads
// the JSON body from FILE, or from stdin without one. Prints the daemon's answer.
class PreferencesCli
{
public:
    static int run(const QStringList &arguments); // arguments[0] is "prefs"
};

} // namespace herald::syncd
