#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""herald-syncd under a bounded soak: publishers, subscribers that come and go, a reader that
stops reading, a REST client that pipelines without reading, two token revocations and one
SIGKILL with a restart on the same database, all at once; then a verdict. See
tests/bench/soak.sh (the entry point) and docs/RELIABILITY.md, "Soak"."""
import argparse
import asyncio
import os
import random
import signal
import socket
import sys
import tempfile
import time
import traceback

from audit import Audit
from daemon import Daemon, DaemonError
from httpclient import HttpClient
from judge import judge
from ledger import Ledger
from pipeliner import PipeliningAbuser
from procsampler import ProcessSampler
from provision import (APPLICATION, BULK_CHANNEL, VERIFIED_CHANNELS, ProvisionError,
                       provision)
from publisher import BulkTraffic, MixedTraffic, Publisher
from revocation import RevocationProbe
from slowreader import SlowReader
from subscriber import Subscriber

REVOKE_AT = 0.35  # of the duration
KILL_AT = 0.5


def parse_options(argv):
    parser = argparse.ArgumentParser(prog="soak.sh", description=__doc__)
    parser.add_argument("--syncd", required=True, help="the herald-syncd binary")
    parser.add_argument("--duration", type=float, default=600, help="seconds of load")
    parser.add_argument("--warmup", type=float, help="seconds after each (re)start before the "
                        "RSS start point (default: a tenth of the duration, 3 to 60)")
    parser.add_argument("--publishers", type=int, default=4)
    parser.add_argument("--subscribers", type=int, default=6)
    parser.add_argument("--interval", type=float, default=0.1,
                        help="mean seconds between two requests of one publisher")
    parser.add_argument("--quiet", type=float, default=10,
                        help="seconds of quiet at the end before RSS and descriptors count")
    parser.add_argument("--rss-tolerance", type=float, default=0.10)
    parser.add_argument("--progress", type=float, default=30, help="seconds between progress lines")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--allow-backlog-repeats", action="store_true",
                        help="pass although a session got a backlog item again as a live frame")
    parser.add_argument("--out-dir", required=True)
    options = parser.parse_args(argv)
    if options.warmup is None:
        options.warmup = min(60.0, max(3.0, options.duration / 10))
    if options.seed is None:
        options.seed = random.randrange(1 << 30)
    return options


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log(message):
    print(f"soak: {message}", file=sys.stderr, flush=True)


class Soak:
    def __init__(self, options, work_dir):
        self.options = options
        self.rng = random.Random(options.seed)
        self.started = time.monotonic()
        self.daemon = Daemon(options.syncd, os.path.join(work_dir, "herald.db"),
                             os.path.join(options.out_dir, "herald-syncd.log"), free_port())
        self.sampler = ProcessSampler(self.daemon, os.path.join(options.out_dir, "samples.jsonl"),
                                      self.started)
        self.ledger = Ledger()
        self.bulk_ledger = Ledger()
        self.stop = asyncio.Event()  # end of the load phase
        self.sampler_stop = asyncio.Event()
        self.points = {}  # named samples: idle_1, rss_start_1, at_kill, idle_2, rss_start_2, end
        self.listening_at = {}  # "1", "2" -> seconds after the start of the soak
        self.kill = {}
        self.crash = None  # an exit of the daemon that the soak did not cause
        self.events = []
        self.task_failures = []  # actors that ended with an exception: a harness fault
        self.shutdown_code = None
        self.expected_exit = False
        self.publishers = []
        self.subscribers = []

    def now(self):
        return time.monotonic() - self.started

    # ------------------------------------------------------------------ phases
    async def run(self):
        await self._start_daemon("1")
        self.accounts = await provision(self.daemon, self.options.publishers,
                                        self.options.subscribers)
        self.admin = HttpClient(self.daemon.address, token=self.accounts.admin_token)
        self._build_actors()
        await self.revocation.prepare()
        log(f"daemon pid {self.daemon.pid} on port {self.daemon.port}; "
            f"{self.options.duration:.0f} s of load, RSS start points "
            f"{self.options.warmup:.0f} s after each start (seed {self.options.seed})")
        crash_watch = asyncio.create_task(self._watch_for_crash())
        sampler = asyncio.create_task(self.sampler.run(self.sampler_stop))
        load = [asyncio.create_task(p.run(self._give_up_at())) for p in self.publishers]
        load += [asyncio.create_task(b.run(self._give_up_at())) for b in self.bulk]
        load += [asyncio.create_task(s.chaos(self.stop, *self._chaos_ranges()))
                 for s in self.subscribers]
        load.append(asyncio.create_task(self.slow_reader.run(self.stop)))
        load.append(asyncio.create_task(self.abuser.run(self.stop)))
        timeline = asyncio.create_task(self._timeline())
        progress = asyncio.create_task(self._progress())
        try:
            await timeline
        except BaseException:  # cancelled (a signal) or a harness fault: no drain, no judging
            for task in load + [progress, sampler, crash_watch]:
                task.cancel()
            raise
        self.stop.set()
        if self.crash:
            self.daemon.give_up()
        await self._join(load, 60, "load")
        progress.cancel()
        if not self.crash:
            await self._drain()
        self.sampler_stop.set()
        await self._join([sampler], 10, "sampler")
        await self._quiet_end()
        self.expected_exit = True
        crash_watch.cancel()
        self.shutdown_code = await self.daemon.terminate()
        return judge(self)

    def _build_actors(self):
        options, accounts = self.options, self.accounts
        for i in range(options.publishers):
            traffic = MixedTraffic(APPLICATION, VERIFIED_CHANNELS, accounts.subscriber_users,
                                   random.Random(self.rng.random()))
            self.publishers.append(Publisher(
                f"p{i + 1}", self.daemon, accounts.producer_tokens[i], traffic, self.ledger,
                options.interval, self.stop, random.Random(self.rng.random())))
        for i, user in enumerate(accounts.subscriber_users):
            channels = [VERIFIED_CHANNELS[i % 4], VERIFIED_CHANNELS[(i + 1) % 4]]
            self.subscribers.append(Subscriber(
                f"sub-{user}", user, accounts.subscriber_tokens[i], APPLICATION, channels,
                self.daemon, accounts.floor_id, random.Random(self.rng.random())))
        self.slow_reader = SlowReader(self.daemon, accounts.slow_token, APPLICATION,
                                      BULK_CHANNEL, cutoff_timeout=60,
                                      rss_kib=self._rss_now)
        # Three at once: the slow reader's 4 MiB must fill within seconds on a busy machine.
        self.bulk = [Publisher(f"bulk{i + 1}", self.daemon, accounts.producer_tokens[-1],
                               BulkTraffic(APPLICATION, BULK_CHANNEL), self.bulk_ledger, 0.05,
                               self.stop, random.Random(self.rng.random()),
                               gate=self.slow_reader.stalled) for i in range(3)]
        self.abuser = PipeliningAbuser(
            self.daemon, accounts.abuser_token,
            f"/api/v1/notifications?application={APPLICATION}&limit=100")
        self.revocation = RevocationProbe(self.daemon, self.admin, APPLICATION,
                                          VERIFIED_CHANNELS[0], accounts.revoked_user)

    def _rss_now(self):
        sample = self.sampler.sample() if self.daemon.running() else None
        return sample["rss_kib"] if sample else None

    def _chaos_ranges(self):
        duration = self.options.duration
        return (min(5.0, duration / 20), min(40.0, duration / 6)), (0.0, min(3.0, duration / 30))

    def _give_up_at(self):
        """Loop time after which a publisher stops retrying its last request."""
        return asyncio.get_running_loop().time() + self.options.duration + 30

    async def _start_daemon(self, which):
        await self.daemon.start()
        # Counted before any client may connect: what the daemon holds on its own, once its
        # threads have opened theirs (the outbox's transfer threads do so just after the
        # daemon starts listening; a loaded machine counted 16 instead of 20 there).
        self.points[f"idle_{which}"] = await self._settled_sample()
        self.listening_at[which] = self.now()
        self.daemon.ready.set()
        self.events.append((round(self.now(), 1), f"start {which}: pid {self.daemon.pid}"))

    async def _settled_sample(self):
        """A sample once two in a row, half a second apart, hold as many descriptors (at most
        5 s)."""
        sample = self.sampler.sample()
        for _ in range(10):
            await asyncio.sleep(0.5)
            later = self.sampler.sample()
            if sample is None or later is None or later["fds"] == sample["fds"]:
                return later or sample
            sample = later
        return sample

    async def _timeline(self):
        """The marked points and the faults, in order; returns early when the daemon crashed."""
        duration, warmup = self.options.duration, self.options.warmup
        if not await self._until(self.listening_at["1"] + warmup):
            return
        self.points["rss_start_1"] = self.sampler.sample()
        if not await self._until(duration * REVOKE_AT):
            return
        log("revoking two tokens (API, command line)")
        try:
            await asyncio.wait_for(self.revocation.revoke(), 60)
        except Exception as error:  # reported as the revocation's failure, the soak goes on
            self.revocation.failures.append(f"revoke: {type(error).__name__}: {error}")
        self.events.append((round(self.now(), 1), "revocations"))
        if not await self._until(duration * KILL_AT):
            return
        await self._kill_and_restart()
        if not await self._until(self.listening_at["2"] + warmup):
            return
        self.points["rss_start_2"] = self.sampler.sample()
        if await self._until(duration):
            log("load phase over: publishers finish, subscribers catch up")

    async def _kill_and_restart(self):
        self.points["at_kill"] = self.sampler.sample()
        in_flight = sum(1 for p in self.publishers + self.bulk if p.in_flight)
        self.ledger.killed = True
        killed_at = time.monotonic()
        pid = self.daemon.pid
        await self.daemon.kill()
        log(f"kill -9 of pid {pid} with {in_flight} publish requests on the wire")
        await asyncio.sleep(1.0)  # clients notice and start retrying against nothing
        await self._start_daemon("2")
        self.kill = {"t": round(killed_at - self.started, 1), "requests_in_flight": in_flight,
                     "down_ms": round((time.monotonic() - killed_at) * 1000)}
        log(f"restarted on the same database after {self.kill['down_ms']} ms, "
            f"pid {self.daemon.pid}")

    async def _drain(self):
        expected = {s: self.ledger.expected_for(s.user, s.channels) for s in self.subscribers}
        self.missing_live = await self._each(
            [s.catch_up(expected[s], 30) for s in self.subscribers])
        self.missing_final = await self._each(
            [s.resume_once_more(expected[s], 30) for s in self.subscribers])
        await self.revocation.check_after_restart()
        audit = Audit(self.daemon, self.accounts.admin_token, APPLICATION)
        try:
            self.listings = {u: await audit.listing(u) for u in self.accounts.subscriber_users}
        finally:
            audit.close()
        for subscriber in self.subscribers:
            await subscriber.close()
        await self.revocation.close()
        self.admin.close()

    async def _quiet_end(self):
        """Waits for the daemon to let go of every client, at least `quiet` seconds; then the
        end point is the last of these samples."""
        idle = self.points.get("idle_2") or self.points.get("idle_1")
        begin = time.monotonic()
        while time.monotonic() - begin < self.options.quiet + 30:
            sample = self.sampler.sample()
            if sample is None:
                break
            self.points["end"] = sample
            settled = idle is None or sample["fds"] <= idle["fds"]
            if settled and time.monotonic() - begin >= self.options.quiet:
                break
            await asyncio.sleep(1.0)

    async def _watch_for_crash(self):
        while True:
            process = self.daemon.process
            code = await process.wait()
            ours = self.daemon.process is process and self.daemon.ready.is_set()
            if ours and not self.expected_exit:
                self.crash = {"t": round(self.now(), 1), "exit": code}
                log(f"herald-syncd exited by itself with {code}: ending the soak")
                self.daemon.give_up()
                self.stop.set()
                return
            await asyncio.sleep(0.2)

    async def _progress(self):
        while True:
            await asyncio.sleep(self.options.progress)
            sample = self.sampler.latest() or {}
            delivered = sum(s.frames for s in self.subscribers)
            reconnects = sum(s.reconnects for s in self.subscribers)
            log(f"[{self.now():5.0f} s] published {self.ledger.count():,} "
                f"({self.ledger.count(True):,} persistent), delivered {delivered:,}, "
                f"reconnects {reconnects}, slow reader cut off {self.slow_reader.cut_off}x, "
                f"pipelining rounds {self.abuser.rounds}, "
                f"RSS {sample.get('rss_kib', 0) / 1024:.1f} MiB, fds {sample.get('fds')}, "
                f"machine load {sample.get('load')}")

    async def _until(self, t):
        """Sleeps until `t` seconds after the start; False when `stop` came first (a crash)."""
        try:
            await asyncio.wait_for(self.stop.wait(), max(0.0, t - self.now()))
        except TimeoutError:
            pass
        return not self.stop.is_set()

    async def _each(self, coroutines):
        return list(await asyncio.gather(*coroutines))

    async def _join(self, tasks, timeout, what):
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            self.task_failures.append(f"{what}: a task did not end within {timeout} s")
            task.cancel()
        for task in done:
            if task.exception() is not None:
                self.task_failures.append(f"{what}: {task.exception()!r}")
        for failure in self.task_failures:
            log(failure)


async def main(argv):
    options = parse_options(argv)
    os.makedirs(options.out_dir, exist_ok=True)
    for name in ("herald-syncd.log", "samples.jsonl", "verdict.jsonl"):
        if os.path.exists(os.path.join(options.out_dir, name)):
            os.remove(os.path.join(options.out_dir, name))
    # SIGTERM (timeout, ctest) and SIGINT end the run through the same path as a failure,
    # so that the daemon is never left behind.
    loop = asyncio.get_running_loop()
    this = asyncio.current_task()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, this.cancel)
    with tempfile.TemporaryDirectory(prefix="herald-soak.") as work_dir:
        soak = Soak(options, work_dir)
        try:
            async with asyncio.timeout(options.duration + 420):
                verdict, headline = await soak.run()
        except (Exception, asyncio.CancelledError) as error:
            log(f"aborted: {type(error).__name__}: {error}")
            if not isinstance(error, (DaemonError, ProvisionError, TimeoutError,
                                      asyncio.CancelledError)):
                traceback.print_exc()
            return 1
        finally:
            if soak.daemon.running():
                await soak.daemon.kill()
    lines = verdict.json_lines()
    with open(os.path.join(options.out_dir, "verdict.jsonl"), "w") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(verdict.summary(headline))
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
