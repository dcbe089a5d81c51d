# SPDX-License-Identifier: Apache-2.0
"""A WebSocket client that registers on the bulk channel and then stops reading. The daemon
must cut it off (its `herald_sessions_dropped_slow_total` grows, the connection ends) instead
of keeping what it cannot send; then the reader comes back and stalls again."""
import asyncio
import time

from metrics import MetricsReader
from rawws import RawWebSocket

DROPPED = "herald_sessions_dropped_slow_total"


class SlowReader:
    def __init__(self, daemon, token, application, channel, cutoff_timeout, rss_kib):
        self.daemon = daemon
        self.rss_kib = rss_kib  # callable: the daemon's RSS now, or None
        self.token = token
        self.register = {"type": "register", "clientId": "slow-reader",
                         "subscriptions": [{"application": application, "channels": [channel]}],
                         "fetchLast": 0}
        self.cutoff_timeout = cutoff_timeout
        self.metrics = MetricsReader(daemon)
        self.stalled = asyncio.Event()  # set while a stall waits for its cut-off (bulk runs)
        self.stalls = 0
        self.cut_off = 0
        self.not_cut_off = []  # stalls the daemon did not end within cutoff_timeout
        self.seconds_to_cutoff = []
        self.rss_growth_kib = []  # per stall: the daemon's RSS at the cut-off less at the stall
        self.interrupted = 0  # stalls ended by the daemon's kill, not counted either way
        self.failures = []

    async def run(self, stop):
        try:
            while not stop.is_set():
                await self._one_stall(stop)
                await _pause(stop, 2.0)
        finally:
            self.metrics.close()

    async def _one_stall(self, stop):
        try:
            await asyncio.wait_for(self.daemon.ready.wait(), 5)
        except TimeoutError:
            return
        start_generation = self.daemon.starts
        dropped_before = (await self.metrics.read()).get(DROPPED)
        if dropped_before is None:
            if self.daemon.starts == start_generation and self.daemon.ready.is_set():
                self.failures.append(f"{DROPPED} not readable from /metrics")
            return
        ws = RawWebSocket()
        try:
            try:
                await ws.open(self.daemon.port, self.token, self.register)
            except (OSError, TimeoutError) as error:
                if self.daemon.starts == start_generation and self.daemon.ready.is_set():
                    self.failures.append(f"open: {error}")
                return
            self.stalls += 1
            self.stalled.set()
            stalled_at = time.monotonic()
            rss_at_stall = self.rss_kib()
            while time.monotonic() - stalled_at < self.cutoff_timeout:
                if self.daemon.starts != start_generation or not self.daemon.ready.is_set():
                    self.interrupted += 1
                    return
                dropped = (await self.metrics.read()).get(DROPPED)
                if dropped is not None and dropped > dropped_before:
                    self.cut_off += 1
                    self.seconds_to_cutoff.append(time.monotonic() - stalled_at)
                    rss_now = self.rss_kib()
                    if rss_now is not None and rss_at_stall is not None:
                        self.rss_growth_kib.append(rss_now - rss_at_stall)
                    # What the kernel still held for it, then its end of the connection.
                    if await ws.drain(30) is None:
                        self.failures.append("counted as cut off, but the connection stayed open")
                    return
                await _pause(stop, 1.0)
                if stop.is_set():
                    self.interrupted += 1
                    return
            self.not_cut_off.append(round(time.monotonic() - stalled_at, 1))
        finally:
            self.stalled.clear()
            ws.close()


async def _pause(stop, seconds):
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
