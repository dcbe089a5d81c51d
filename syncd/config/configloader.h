// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "protocol/error.h"

#include <QProcessEnvironment>
#include <QStringList>

namespace herald::syncd {

// Builds a Config from the INI file (--config or HERALD_CONFIG), then the environment, then
// the command-line flags; later sources win. Any bad value is an Error naming where it came
// from ("--node-id: must be 0-63", "herald.ini [server] listen: ..."), which the caller turns
// into exit code 2.
class ConfigLoader
{
public:
    // `arguments` without the program name and without a subcommand.
    static Result<Config> load(const QStringList &arguments, const QProcessEnvironment &env);
    static QString defaultDatabasePath();
    static QString helpText();
};

} // namespace herald::syncd
