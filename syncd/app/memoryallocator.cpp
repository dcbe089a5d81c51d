// SPDX-License-Identifier: Apache-2.0
#include "memoryallocator.h"

#ifdef HERALD_HAVE_MIMALLOC
#include <mimalloc.h>

#include <cstdlib>
#endif

namespace herald::syncd {

MemoryAllocator MemoryAllocator::setUp()
{
#ifdef HERALD_HAVE_MIMALLOC
    const int version = mi_version(); // e.g. 209 for 2.0.9
    // Linking alone replaces malloc() only when the loader finds mimalloc's before the C
    // library's; a block it did not make says that it did not.
    void *probe = std::malloc(64);
    const bool replaced = mi_is_in_heap_region(probe);
    std::free(probe);
    return {QStringLiteral("mimalloc %1.%2.%3")
                .arg(version / 100)
                .arg(version / 10 % 10)
                .arg(version % 10),
            replaced};
#else
    return {QStringLiteral("the C library's malloc"), true};
#endif
}

} // namespace herald::syncd
