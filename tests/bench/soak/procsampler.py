# SPDX-License-Identifier: Apache-2.0
"""Once a second: the daemon's RSS (/proc/PID/status VmRSS), its open descriptors
(/proc/PID/fd) and how long /healthz takes to answer. Every sample goes to a JSON-lines
file; the soak reads the points it judges from here."""
import asyncio
import json
import os
import time

from httpclient import HttpClient, HttpError


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def load_average():
    """The machine's one-minute load: the soak shares its cores with whatever else runs."""
    try:
        with open("/proc/loadavg") as loadavg:
            return float(loadavg.read().split()[0])
    except (OSError, ValueError):
        return None


def open_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


class ProcessSampler:
    def __init__(self, daemon, path, started):
        self.daemon = daemon
        self.path = path
        self.started = started  # monotonic time of the soak's start, for the `t` of samples
        self.http = HttpClient(daemon.address)
        self.samples = []
        self.slowest_health_ms = 0.0
        self.unanswered_health = []  # times (s) /healthz had no answer within 5 s while ready

    def sample(self, health_ms=None):
        """One sample now (also used for the marked points outside the loop)."""
        pid = self.daemon.pid
        if pid is None or not self.daemon.running():
            return None
        record = {"t": round(time.monotonic() - self.started, 1), "start": self.daemon.starts,
                  "rss_kib": rss_kib(pid), "fds": open_fds(pid), "health_ms": health_ms,
                  "load": load_average()}
        if record["rss_kib"] is None:
            return None
        self.samples.append(record)
        with open(self.path, "a") as out:
            out.write(json.dumps(record) + "\n")
        return record

    async def run(self, stop):
        while not stop.is_set():
            tick = time.monotonic()
            health_ms = await self._health_ms()
            self.sample(health_ms)
            try:
                await asyncio.wait_for(stop.wait(), max(0.05, 1.0 - (time.monotonic() - tick)))
            except TimeoutError:
                pass
        self.http.close()

    def peak_rss(self, start):
        values = [s["rss_kib"] for s in self.samples if s["start"] == start]
        return max(values) if values else None

    def latest(self):
        return self.samples[-1] if self.samples else None

    async def _health_ms(self):
        if not self.daemon.ready.is_set():
            return None
        starts = self.daemon.starts
        # Twice: the kept-alive connection may be one the daemon closed (idle, or a restart).
        for _ in range(2):
            clock = time.monotonic()
            try:
                answer = await self.http.get("/healthz", timeout=5)
            except HttpError:
                continue
            if answer.status == 200:
                elapsed = (time.monotonic() - clock) * 1000
                self.slowest_health_ms = max(self.slowest_health_ms, elapsed)
                return round(elapsed, 1)
        if self.daemon.ready.is_set() and self.daemon.starts == starts:
            self.unanswered_health.append(round(time.monotonic() - self.started, 1))
        return None
