// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers of the definitions in this directory, which take the place of some of libQt6Core's
// functions in the executables of a HERALD_SANITIZE=thread build (tests/README.md, "Sanitizers").

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace herald::tsan {

// Qt's own definition of a function this directory defines again, by its mangled name.
template <typename Function> Function qtFunction(const char *mangledName)
{
    void *symbol = dlsym(RTLD_NEXT, mangledName);
    if (!symbol) {
        std::fprintf(stderr, "herald tsan support: libQt6Core has no %s\n", mangledName);
        std::abort();
    }
    return reinterpret_cast<Function>(symbol);
}

// Whether `returnAddress` lies in the executable, i.e. in Herald's instrumented code. Other
// Qt libraries reach these definitions too (through their PLT), with locks that TSan never
// saw taken: their calls go straight to Qt's.
inline bool calledFromExecutable(const void *returnAddress)
{
    static const void *const executable = [] {
        Dl_info info{};
        dladdr(reinterpret_cast<const void *>(&calledFromExecutable), &info);
        return info.dli_fbase;
    }();
    Dl_info info{};
    return dladdr(returnAddress, &info) != 0 && info.dli_fbase == executable;
}

} // namespace herald::tsan
