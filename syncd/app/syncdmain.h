// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace herald::syncd {

// Entry point of the herald-syncd binary: the daemon, or a command-line subcommand.
int syncdMain(int argc, char *argv[]);

} // namespace herald::syncd
