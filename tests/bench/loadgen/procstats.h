// SPDX-License-Identifier: Apache-2.0
// CPU time and memory of the server under test (from /proc) and of the generator itself.
#pragma once

namespace loadgen {

// A "kB" field of /proc/<pid>/status (e.g. "VmRSS"); -1 when unavailable.
long procStatusKb(int pid, const char *key);

// utime + stime of <pid> in seconds; -1 when unavailable.
double procCpuSeconds(int pid);

double selfCpuSeconds();

} // namespace loadgen
