# SPDX-License-Identifier: Apache-2.0
"""A keep-alive HTTP/1.1 client on asyncio streams, just enough for herald-syncd's REST.

The soak needs to know exactly whether a request got an answer (a publish without one is
retried, one with a 201 is counted), so every failure is an exception and every call has a
deadline; urllib would hide both behind its own retries and blocking sockets.
"""
import asyncio
import json
import time

# The daemon closes a kept-alive connection after 30 s without a request; one idle this long
# is not reused, so that a request never fails only because the connection had gone stale.
REUSE_WITHIN_SECONDS = 20.0


class HttpError(Exception):
    """No complete answer: connection refused, reset, closed early, or the deadline passed."""


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body) if self.body else None


class HttpClient:
    """One keep-alive connection at a time to the address the daemon holder gives.

    `address` is a callable returning (host, port), so that a client follows a restarted
    daemon. `local_host` binds the client side (another 127.x address keeps per-address
    limits of one actor away from the others).
    """

    def __init__(self, address, token=None, local_host=None, timeout=10.0):
        self._address = address
        self._token = token
        self._local_host = local_host
        self._timeout = timeout
        self._reader = None
        self._writer = None
        self._last_used = 0.0

    async def request(self, method, path, body=None, token=None, timeout=None):
        """Sends one request and reads its whole answer; raises HttpError otherwise."""
        try:
            async with asyncio.timeout(timeout or self._timeout):
                return await self._exchange(method, path, body, token or self._token)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                TimeoutError, ValueError) as error:
            self.close()
            raise HttpError(f"{method} {path}: {type(error).__name__}: {error}") from None
        except asyncio.CancelledError:
            self.close()  # half a request may be on the wire: never reuse the connection
            raise

    async def get(self, path, **kwargs):
        return await self.request("GET", path, **kwargs)

    async def post(self, path, body, **kwargs):
        return await self.request("POST", path, body=body, **kwargs)

    async def put(self, path, body, **kwargs):
        return await self.request("PUT", path, body=body, **kwargs)

    async def delete(self, path, **kwargs):
        return await self.request("DELETE", path, **kwargs)

    def close(self):
        if self._writer is not None:
            self._writer.transport.abort()
        self._reader = self._writer = None

    async def _exchange(self, method, path, body, token):
        if self._writer is not None and time.monotonic() - self._last_used > REUSE_WITHIN_SECONDS:
            self.close()
        if self._writer is None:
            host, port = self._address()
            local = (self._local_host, 0) if self._local_host else None
            self._reader, self._writer = await asyncio.open_connection(
                host, port, local_addr=local, limit=1 << 20)
        payload = b"" if body is None else json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        if token:
            head.append(f"Authorization: Bearer {token}")
        if body is not None:
            head.append("Content-Type: application/json")
        head.append(f"Content-Length: {len(payload)}")
        self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        await self._writer.drain()
        response = await self._read_response()
        self._last_used = time.monotonic()
        return response

    async def _read_response(self):
        status_line = await self._reader.readuntil(b"\r\n")
        parts = status_line.decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError(f"bad status line {status_line[:80]!r}")
        status = int(parts[1])
        headers = {}
        while True:
            line = await self._reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        body = await self._reader.readexactly(length) if length else b""
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body)
