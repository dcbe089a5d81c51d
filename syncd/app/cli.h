// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

namespace herald::syncd {

// herald-syncd's subcommands for producers and admins:
//   publish                       through the running daemon's REST API; with --stdin,
//                                 many over one WebSocket (StdinPublisher)
//   watch                         a client session printing what arrives
//   token create|list|revoke      directly on the database (bootstrap, scripts)
//   user create, app create, channel create
// Returns the process exit code; prints results on stdout and errors on stderr.
class Cli
{
public:
    static bool isSubcommand(const QString &word);
    static int run(const QStringList &arguments); // arguments[0] is the subcommand
};

} // namespace herald::syncd
