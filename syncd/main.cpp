// SPDX-License-Identifier: Apache-2.0
#include "app/memoryallocator.h"
#include "app/syncdmain.h"

int main(int argc, char *argv[])
{
    using namespace herald::syncd;
    return syncdMain(argc, argv, MemoryAllocator::setUp());
}
