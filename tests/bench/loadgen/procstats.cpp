// SPDX-License-Identifier: Apache-2.0
#include "procstats.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/resource.h>
#include <unistd.h>

namespace loadgen {

long procStatusKb(int pid, const char *key)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = std::fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    const size_t kl = std::strlen(key);
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, key, kl) == 0 && line[kl] == ':')
            v = std::atol(line + kl + 1);
    std::fclose(f);
    return v;
}

double procCpuSeconds(int pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = std::fopen(path, "r");
    if (!f)
        return -1;
    char buf[2048];
    size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    const char *p = std::strrchr(buf, ')');
    if (!p)
        return -1;
    // fields after ')': state(3) ... utime(14) stime(15)
    unsigned long utime = 0, stime = 0;
    int field = 2;
    for (const char *q = p + 1; *q && field < 15; ++q) {
        if (*q == ' ') {
            ++field;
            if (field == 14)
                utime = std::strtoul(q + 1, nullptr, 10);
            else if (field == 15)
                stime = std::strtoul(q + 1, nullptr, 10);
        }
    }
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

double selfCpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

} // namespace loadgen
