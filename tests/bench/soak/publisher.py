# SPDX-License-Identifier: Apache-2.0
"""Producers: publish at a steady pace, record every 201, retry what got no answer."""
import asyncio

from httpclient import HttpClient, HttpError

RETRY_STATUSES = {429, 503}  # the daemon asks to come back later; nothing was stored


class MixedTraffic:
    """Persistent and transient notifications over the verified channels; some go to named
    recipients only, some requests are batches."""

    def __init__(self, application, channels, users, rng, transient_share=0.15,
                 recipients_share=0.1, batch_share=0.1):
        self.application = application
        self.channels = channels
        self.users = users
        self.rng = rng
        self.transient_share = transient_share
        self.recipients_share = recipients_share
        self.batch_share = batch_share
        self.sequence = 0

    def next_body(self, name):
        if self.rng.random() < self.batch_share:
            return [self._one(name) for _ in range(self.rng.randint(2, 8))]
        return self._one(name)

    def _one(self, name):
        self.sequence += 1
        body = {"application": self.application, "channel": self.rng.choice(self.channels),
                "title": f"{name} #{self.sequence}",
                "message": f"soak {name} {self.sequence} " + "x" * self.rng.randint(0, 300),
                "tags": {"publisher": name}}
        if self.rng.random() < self.transient_share:
            body["persistent"] = False
        if self.rng.random() < self.recipients_share:
            body["recipients"] = self.rng.sample(self.users, self.rng.randint(1, 2))
        return body


class BulkTraffic:
    """Batches of large transient notifications for the one channel only the slow reader
    follows: it makes 4 MiB wait for that reader within seconds, and stores nothing. A batch
    stays below the 64 KiB body limit."""

    def __init__(self, application, channel, batch=12, size=4000):
        self.application = application
        self.channel = channel
        self.batch = batch
        self.filler = "b" * size

    def next_body(self, name):
        return [{"application": self.application, "channel": self.channel, "title": name,
                 "message": self.filler, "persistent": False} for _ in range(self.batch)]


class Publisher:
    def __init__(self, name, daemon, token, traffic, ledger, interval, stop, rng, gate=None):
        self.name = name
        self.daemon = daemon
        self.http = HttpClient(daemon.address, token=token)
        self.traffic = traffic
        self.ledger = ledger
        self.interval = interval
        self.stop = stop  # asyncio.Event: finish the request at hand, then return
        self.rng = rng
        self.gate = gate  # asyncio.Event or None: publish only while it is set
        self.in_flight = False
        self.unanswered_at_end = 0

    async def run(self, give_up_at):
        """Publishes until `stop`; a request without an answer is sent again until
        `give_up_at` (loop time), then counted as unanswered."""
        loop = asyncio.get_running_loop()
        try:
            while not self.stop.is_set():
                if self.gate is not None and not self.gate.is_set():
                    await self._pause(0.2)
                    continue
                body = self.traffic.next_body(self.name)
                if not await self._publish(body, give_up_at, loop):
                    self.unanswered_at_end += 1
                    return
                await self._pause(self.interval * self.rng.uniform(0.5, 1.5))
        finally:
            self.http.close()

    async def _publish(self, body, give_up_at, loop):
        attempt = 0
        while loop.time() < give_up_at:
            if attempt:
                self.ledger.requests_retried += 1
                await asyncio.sleep(min(2.0, 0.05 * 2 ** attempt) * self.rng.uniform(0.5, 1.0))
            attempt += 1
            if not await self.daemon.wait_ready(max(0.1, give_up_at - loop.time())):
                return False
            self.in_flight = True
            try:
                answer = await self.http.post("/api/v1/notifications", body, timeout=10)
            except HttpError:
                continue
            finally:
                self.in_flight = False
            if answer.status == 201:
                self.ledger.record(body, answer.json())
                return True
            if answer.status in RETRY_STATUSES:
                await asyncio.sleep(float(answer.headers.get("retry-after", "0.2")))
                continue
            self.ledger.refused.append(f"{self.name}: {answer.status} {answer.body[:200]!r}")
            return True
        return False

    async def _pause(self, seconds):
        try:
            await asyncio.wait_for(self.stop.wait(), seconds)
        except TimeoutError:
            pass
