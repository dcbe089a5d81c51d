# SPDX-License-Identifier: Apache-2.0
"""A WebSocket client done by hand on a plain socket, for the reader that stops reading: the
websockets library reads eagerly into its own buffers, which would hide the stall from the
daemon."""
import asyncio
import base64
import json
import os
import socket


def masked_text_frame(payload):
    """A client frame as RFC 6455 wants it: FIN, text opcode, masked payload."""
    header = bytearray([0x81])
    size = len(payload)
    if size < 126:
        header.append(0x80 | size)
    elif size < 65536:
        header += bytes([0x80 | 126]) + size.to_bytes(2, "big")
    else:
        header += bytes([0x80 | 127]) + size.to_bytes(8, "big")
    mask = os.urandom(4)
    return bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class RawWebSocket:
    def __init__(self, receive_buffer=2048):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Set before connect, so that the TCP window is small from the start.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.setblocking(False)
        self.received = bytearray()

    async def open(self, port, token, register, timeout=10.0):
        """Upgrades, registers, and reads until `backlogDone`; raises on anything else."""
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(timeout):
            await loop.sock_connect(self.sock, ("127.0.0.1", port))
            key = base64.b64encode(os.urandom(16)).decode()
            await loop.sock_sendall(self.sock, (
                f"GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {token}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
            await self._read_until(b"\r\n\r\n")
            if not self.received.startswith(b"HTTP/1.1 101"):
                raise ConnectionError(f"upgrade refused: {bytes(self.received[:80])!r}")
            await loop.sock_sendall(self.sock, masked_text_frame(json.dumps(register).encode()))
            # Server frames are unmasked, so the type shows up as plain text in the stream.
            await self._read_until(b"backlogDone")

    async def drain(self, timeout):
        """Reads everything until the daemon's end of the connection; the bytes read, or None
        when it is still open after `timeout`."""
        loop = asyncio.get_running_loop()
        total = 0
        try:
            async with asyncio.timeout(timeout):
                while True:
                    chunk = await loop.sock_recv(self.sock, 65536)
                    if not chunk:
                        return total
                    total += len(chunk)
        except ConnectionError:
            return total
        except TimeoutError:
            return None

    def close(self):
        self.sock.close()

    async def _read_until(self, marker):
        loop = asyncio.get_running_loop()
        while marker not in self.received:
            chunk = await loop.sock_recv(self.sock, 4096)
            if not chunk:
                raise ConnectionError(f"closed before {marker!r}")
            self.received += chunk
