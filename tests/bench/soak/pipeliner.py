# SPDX-License-Identifier: Apache-2.0
"""A REST client that pipelines requests without reading a single answer, then leaves (a close
or a reset), again and again. The daemon must stop reading it (flow control) rather than hold
its answers, and start nothing more for it once it is gone. It connects from its own loopback
address so that its requests count against its address, not the other actors'."""
import asyncio
import socket
import struct

CHUNK_REQUESTS = 64


# 100,000 requests (some 13 MB) are more than the kernel's socket buffers on both sides hold,
# so a round can only end by its timeout when the daemon stops reading it.
class PipeliningAbuser:
    def __init__(self, daemon, token, path, source_host="127.0.0.2", requests_per_round=100000,
                 stall_timeout=1.0):
        self.daemon = daemon
        self.request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        f"Authorization: Bearer {token}\r\n\r\n").encode()
        self.source_host = source_host
        self.requests_per_round = requests_per_round
        self.stall_timeout = stall_timeout
        self.rounds = 0
        self.held_back = 0  # rounds in which the daemon stopped reading before all were sent
        self.requests_sent = 0
        self.failures = []

    async def run(self, stop):
        while not stop.is_set():
            try:
                await asyncio.wait_for(self.daemon.ready.wait(), 5)
            except TimeoutError:
                continue
            await self._one_round()
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass

    async def _one_round(self):
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        abortive = self.rounds % 2 == 1
        try:
            sock.bind((self.source_host, 0))
            await asyncio.wait_for(loop.sock_connect(sock, ("127.0.0.1", self.daemon.port)), 5)
            chunk = self.request * CHUNK_REQUESTS
            sent = 0
            while sent < self.requests_per_round:
                try:
                    await asyncio.wait_for(loop.sock_sendall(sock, chunk), self.stall_timeout)
                except TimeoutError:
                    self.held_back += 1  # the daemon no longer reads us: what it should do
                    break
                sent += CHUNK_REQUESTS
            self.requests_sent += sent
            self.rounds += 1
        except (OSError, TimeoutError) as error:
            if self.daemon.ready.is_set():
                self.failures.append(f"round {self.rounds}: {error}")
        finally:
            if abortive:  # a reset instead of a close: the other way a client leaves
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
