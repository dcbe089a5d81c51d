// SPDX-License-Identifier: Apache-2.0
#include "memorypolicy.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace herald::syncd {

void MemoryPolicy::apply()
{
#if defined(__GLIBC__)
    // Setting the threshold explicitly also turns glibc's dynamic adjustment off.
    mallopt(M_MMAP_THRESHOLD, LargeBlockBytes);
#endif
}

} // namespace herald::syncd
