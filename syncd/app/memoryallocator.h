// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace herald::syncd {

// The malloc herald-syncd runs on. The executable links mimalloc when the build finds it
// (HERALD_ALLOCATOR; docs/PERFORMANCE.md, "Allocator"): it costs a publish less CPU than
// glibc's malloc, whose arenas are slow at blocks freed on another thread than the one that
// made them, which is how every notification travels. Only the executable links it: the core
// library, its tests and the sanitizer builds keep the C library's malloc.
struct MemoryAllocator
{
    QString name;          // "mimalloc 2.0.9", "the C library's malloc"
    bool replaced = false; // malloc() itself is served by `name`

    // What this process runs on; in a mimalloc build, also checks that malloc() really goes
    // there.
    static MemoryAllocator setUp();
};

} // namespace herald::syncd
