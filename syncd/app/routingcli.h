// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

namespace herald::syncd {

// herald-syncd's subcommands for routing to endpoints, through a running daemon's REST API
// with an admin token (--token or HERALD_TOKEN), so that every rule of the daemon applies:
//   endpoint list|show|put|delete|enable|test|deliveries
//   behavior list|show|put|delete
// Prints the daemon's JSON answers; returns the process exit code.
class RoutingCli
{
public:
    static int run(const QStringList &arguments); // arguments[0] is "endpoint" or "behavior"
};

} // namespace herald::syncd
