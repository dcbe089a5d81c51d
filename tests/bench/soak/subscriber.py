# SPDX-License-Identifier: Apache-2.0
"""A WebSocket client that comes and goes: registers with `lastNotificationId`, receives,
acknowledges some, disconnects at random (a close or a dropped connection), reconnects and
resumes. It keeps every id it saw, so that the end can hold it to the ledger.

Each subscriber is its own user: an acknowledgement leaves the backlog of every session of
its user, so a user shared between subscribers would hide notifications from the others.
"""
import asyncio
import json
import time

import websockets

CONNECT_TIMEOUT = 10.0
REGISTER_TIMEOUT = 10.0


class SessionEnded(Exception):
    def __init__(self, code, reason):
        super().__init__(f"closed {code} {reason}")
        self.code = code


class Subscriber:
    def __init__(self, name, user, token, application, channels, daemon, floor_id, rng,
                 ack_share=0.2):
        self.name = name
        self.user = user
        self.token = token
        self.application = application
        self.channels = set(channels)
        self.daemon = daemon
        self.floor_id = floor_id  # resume point before anything was published
        self.rng = rng
        self.ack_share = ack_share
        self._ws = None
        # The open session: the last id of its backlog and of its live frames (each in id
        # order; a live one may be older than the backlog's last), the backlog's ids.
        self._session_last = {"backlog": 0, "live": 0}
        self._session_backlog_ids = set()
        self._session_daemon_start = 0  # which start of the daemon the open session is with
        self._session_opened = 0.0
        self._ack_queue = []
        self._last_ack_flush = 0.0
        self.resumed = False  # the session open now has passed its resumed backlog
        # What was seen, over all sessions.
        self.seen = set()
        self.seen_after_restart = set()
        self.max_seen = 0
        self.frames = 0
        self.duplicates = 0
        self.order_violations = []  # within the backlog, or within the live frames
        self.backlog_repeats = []  # live frames of ids the same session's backlog held
        self.strays = []  # notifications of another channel or for other recipients
        self.acks_sent = set()
        self.acks_confirmed = set()
        self.sessions = 0
        self.our_disconnects = 0
        self.daemon_closes = {}  # close code -> count, for closes we did not ask for
        self.connect_failures = 0
        self.errors = []  # error frames

    @property
    def reconnects(self):
        return max(0, self.sessions - 1)

    # ------------------------------------------------------------------ phases
    async def chaos(self, stop, hold_range, pause_range):
        """Sessions of random length with random pauses until `stop`; then stays connected."""
        while not stop.is_set():
            if not await self._ensure_session(stop_event=stop):
                continue
            hold = self.rng.uniform(*hold_range)
            await self._receive(until=time.monotonic() + hold, stop=stop)
            if stop.is_set():
                break
            if self._ws is not None:
                await self._disconnect(abrupt=self.rng.random() < 0.5)
            try:
                await asyncio.wait_for(stop.wait(), self.rng.uniform(*pause_range))
            except TimeoutError:
                pass

    async def catch_up(self, expected, timeout):
        """Stays (or gets) connected and resumed until every id of `expected` was seen.
        Returns the ids still missing when `timeout` ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if expected <= self.seen and self.resumed and self._ws is not None:
                break
            if not await self._ensure_session(deadline=deadline):
                continue
            await self._receive(until=min(deadline, time.monotonic() + 0.5))
        await self._flush_acks(force=True)
        return expected - self.seen

    async def resume_once_more(self, expected, timeout):
        """A last disconnect and resume: what a client that restarts would get."""
        if self._ws is not None:
            await self._disconnect(abrupt=False)
        return await self.catch_up(expected, timeout)

    async def close(self):
        if self._ws is not None:
            await self._disconnect(abrupt=False)

    # ------------------------------------------------------------------ sessions
    async def _ensure_session(self, stop_event=None, deadline=None):
        if self._ws is not None:
            return True
        backoff = 0.1
        while True:
            if stop_event is not None and stop_event.is_set():
                return False
            if deadline is not None and time.monotonic() >= deadline:
                return False
            try:
                await asyncio.wait_for(self.daemon.ready.wait(), 1.0)
                await self._open()
                return True
            except (OSError, TimeoutError, websockets.WebSocketException, SessionEnded) as error:
                self.connect_failures += 1
                if isinstance(error, SessionEnded):
                    self.daemon_closes[error.code] = self.daemon_closes.get(error.code, 0) + 1
                await asyncio.sleep(backoff * self.rng.uniform(0.5, 1.0))
                backoff = min(2.0, backoff * 2)

    async def _open(self):
        self.resumed = False
        ws = await websockets.connect(
            self.daemon.ws_url(), extra_headers=[("Authorization", f"Bearer {self.token}")],
            open_timeout=CONNECT_TIMEOUT, close_timeout=3, ping_interval=20, ping_timeout=20,
            max_size=1 << 20)
        try:
            await ws.send(json.dumps({
                "type": "register", "clientId": self.name,
                "subscriptions": [{"application": self.application,
                                   "channels": sorted(self.channels)}],
                "fetchLast": 100, "lastNotificationId": max(self.floor_id, self.max_seen)}))
            first = json.loads(await asyncio.wait_for(ws.recv(), REGISTER_TIMEOUT))
        except websockets.ConnectionClosed as closed:
            ws.transport.abort()
            raise SessionEnded(closed.code, closed.reason) from None
        except BaseException:
            ws.transport.abort()
            raise
        if first.get("type") != "registered":
            ws.transport.abort()
            raise SessionEnded(0, f"first frame {first}")
        self._ws = ws
        self._session_last = {"backlog": 0, "live": 0}
        self._session_backlog_ids = set()
        self._session_daemon_start = self.daemon.starts
        self._session_opened = time.monotonic()
        self.sessions += 1

    async def _disconnect(self, abrupt):
        ws, self._ws = self._ws, None
        self.resumed = False
        self.our_disconnects += 1
        if abrupt:
            ws.transport.abort()
            return
        try:
            await asyncio.wait_for(ws.close(), 5)
        except (TimeoutError, websockets.WebSocketException, OSError):
            ws.transport.abort()

    async def _receive(self, until, stop=None):
        """Handles frames until `until` (monotonic), `stop`, or the daemon closes the session."""
        while self._ws is not None and time.monotonic() < until:
            if stop is not None and stop.is_set():
                return
            try:
                raw = await asyncio.wait_for(self._ws.recv(),
                                             max(0.01, min(0.5, until - time.monotonic())))
            except TimeoutError:
                await self._flush_acks()
                continue
            except websockets.ConnectionClosed as closed:
                self._ws = None
                self.resumed = False
                self.daemon_closes[closed.code] = self.daemon_closes.get(closed.code, 0) + 1
                return
            self._handle(json.loads(raw))
            await self._flush_acks()

    def _handle(self, frame):
        kind = frame.get("type")
        if kind == "notification":
            self._on_notification(frame["data"])
        elif kind == "backlogDone":
            self.resumed = True
        elif kind == "acknowledged":
            self.acks_confirmed.update(frame.get("ids", []))
        elif kind == "error":
            self.errors.append(frame)

    def _on_notification(self, data):
        notification_id = int(data["id"])
        self.frames += 1
        phase = "live" if self.resumed else "backlog"
        if phase == "live" and notification_id in self._session_backlog_ids:
            # PROTOCOL.md: "one that was already in the backlog is not sent again".
            self.backlog_repeats.append({"id": notification_id, "ms_into_session": round(
                (time.monotonic() - self._session_opened) * 1000)})
        elif notification_id <= self._session_last[phase]:
            self.order_violations.append({"phase": phase, "after": self._session_last[phase],
                                          "got": notification_id})
        else:
            self._session_last[phase] = notification_id
        if phase == "backlog":
            self._session_backlog_ids.add(notification_id)
        recipients = data.get("recipients")
        if data.get("channel") not in self.channels or (recipients and self.user not in recipients):
            self.strays.append(notification_id)
        if notification_id in self.seen:
            self.duplicates += 1
            return
        self.seen.add(notification_id)
        self.max_seen = max(self.max_seen, notification_id)
        if self._session_daemon_start > 1:
            self.seen_after_restart.add(notification_id)
        if data.get("persistent", True) and self.rng.random() < self.ack_share:
            self._ack_queue.append(notification_id)

    async def _flush_acks(self, force=False):
        now = time.monotonic()
        if not self._ack_queue or self._ws is None:
            return
        if not force and now - self._last_ack_flush < 1:
            return
        ids, self._ack_queue = self._ack_queue[:1000], self._ack_queue[1000:]
        self._last_ack_flush = now
        try:
            await asyncio.wait_for(self._ws.send(json.dumps({"type": "ack", "ids": ids})), 5)
            self.acks_sent.update(ids)
        except (TimeoutError, websockets.WebSocketException, OSError):
            self._ack_queue[:0] = ids
