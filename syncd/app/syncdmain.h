// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace herald::syncd {

struct MemoryAllocator;

// Entry point of the herald-syncd binary: the daemon, or a command-line subcommand.
// `allocator`: what main() found the process running on, for the log.
int syncdMain(int argc, char *argv[], const MemoryAllocator &allocator);

} // namespace herald::syncd
