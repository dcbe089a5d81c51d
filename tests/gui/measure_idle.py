# SPDX-License-Identifier: Apache-2.0
"""Measures the tray client's idle cost: connected, 10 notifications listed, no activity.
After WARMUP seconds idle it reads VmRSS, Rss and Pss (/proc/PID/smaps_rollup), the TLS and
WebSocket libraries mapped, the GLib libraries beyond GLib itself (GIO, GObject, libsecret, Qt's
glib network-information plugin), the CPU time used over WINDOW seconds, and each thread's
wake-ups over the window (its context switches, voluntary and not, from /proc).
Usage: dbus-run-session -- /usr/bin/python3 measure_idle.py HERALD_SYNCD HERALD [WARMUP WINDOW]
With HERALD_IDLE_STRACE=FILE set, strace -f -tt writes the client's system calls over the
window to FILE (what woke each thread, and when).
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desktop import Desktop  # noqa: E402


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split(":", 1)[1].strip()
    return "?"


def rollup(pid, key):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split(":", 1)[1].strip()
    return "?"


def mapped_libraries(pid, keys):
    """The mapped files whose path contains one of keys."""
    names = set()
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            path = line.split()[-1]
            if any(k in path for k in keys):
                names.add(os.path.basename(path))
    return ", ".join(sorted(names)) or "none"


def heavy_libraries(pid):
    """The TLS and WebSocket libraries mapped (which an idle ws:// client needs none of)."""
    return mapped_libraries(pid, ("libcrypto", "libssl", "tls/libq", "WebSockets"))


def glib_libraries(pid):
    """GLib's libraries above GLib itself (Qt's event loop needs only libglib)."""
    return mapped_libraries(pid, ("libgio", "libgobject", "libsecret", "networkinformation/"))


def thread_switches(pid):
    """{thread name and id: context switches so far} of every thread of pid."""
    switches = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            total = 0
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split(":", 1)[1])
            switches[f"{name}/{tid}"] = total
        except FileNotFoundError:
            pass  # the thread ended meanwhile
    return switches


def wakeups(before, after):
    """Per thread, the context switches between two thread_switches() readings."""
    return ", ".join(f"{name} {after[name] - before.get(name, 0)}" for name in sorted(after))


def main():
    syncd, herald = sys.argv[1], sys.argv[2]
    warmup = float(sys.argv[3]) if len(sys.argv) > 3 else 60
    window = float(sys.argv[4]) if len(sys.argv) > 4 else 30
    d = Desktop(syncd, herald)
    try:
        d.start_desktop(monitor=False)
        proc = d.start_herald(d.setup_args("alerts"), d.user_token + "\n")
        d.wait_status("live", lambda s: s["session"] == "Live")
        for i in range(10):
            d.publish("alerts", f"idle test {i}", "x" * 200)
        d.wait_status("listed", lambda s: s["listed"] == 10)
        time.sleep(warmup)  # the point of the measurement: nothing happens
        rss0 = status(proc.pid, "VmRSS")
        pss0 = rollup(proc.pid, "Pss")
        cpu0 = cpu_seconds(proc.pid)
        switches0 = thread_switches(proc.pid)
        trace_file = os.environ.get("HERALD_IDLE_STRACE")
        tracer = (subprocess.Popen(["strace", "-f", "-tt", "-o", trace_file, "-p", str(proc.pid)],
                                   stderr=subprocess.DEVNULL) if trace_file else None)
        time.sleep(window)
        if tracer:
            tracer.terminate()
            tracer.wait()
        cpu1 = cpu_seconds(proc.pid)
        switches1 = thread_switches(proc.pid)
        print(f"idle after {warmup:.0f}s: VmRSS {rss0} (then {status(proc.pid, 'VmRSS')}), "
              f"VmHWM {status(proc.pid, 'VmHWM')}, CPU {cpu1 - cpu0:.2f}s over {window:.0f}s "
              f"({100 * (cpu1 - cpu0) / window:.2f}%), threads {status(proc.pid, 'Threads')}, "
              f"session {d.status()['session']}")
        print(f"wake-ups over the window, per thread: {wakeups(switches0, switches1)}")
        print(f"smaps_rollup: Rss {rollup(proc.pid, 'Rss')}, Pss {pss0} (then "
              f"{rollup(proc.pid, 'Pss')}); TLS/WebSocket libraries: {heavy_libraries(proc.pid)}; "
              f"GLib libraries beyond libglib: {glib_libraries(proc.pid)}")
        if d.status()["session"] != "Live":
            print(d.log("herald")[-3000:])
            print(d.log("syncd")[-3000:])
    finally:
        d.close()


if __name__ == "__main__":
    sys.exit(main())
