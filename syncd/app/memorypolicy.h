// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace herald::syncd {

// How the daemon asks the C library to manage its heap. glibc raises its mmap threshold to
// the size of every large block freed, so after one slow client's 4 MiB send buffer every
// later large buffer comes from the heap and stays in RSS for good (the soak measured a
// 12 MiB step that never went back). A fixed threshold keeps large buffers mapped and
// returns them to the system when they are freed (docs/PERFORMANCE.md, "Heap").
class MemoryPolicy
{
public:
    static constexpr int LargeBlockBytes = 256 * 1024;

    // Applies the policy once, before any thread starts; a no-op off glibc.
    static void apply();
};

} // namespace herald::syncd
