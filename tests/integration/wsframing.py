#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""RFC 6455 framing of herald-syncd's client WebSocket, seen from independent clients.

Usage: wsframing.py PORT CASE      (herald-syncd on 127.0.0.1:PORT, started with --no-auth,
                                    application "shop" with channel "orders", user "alice")
       wsframing.py --list

The `library-*` cases use the `websockets` library (Debian's python3-websockets), which
checks everything the server sends; the `raw-*` cases speak the protocol byte by byte over a
plain socket, for what a library will not send: unmasked frames, bad UTF-8, oversize and
malformed frames, bad close codes, unanswered closes. Exit status 0 when the case passed;
otherwise the reason is printed.
"""
import asyncio
import base64
import hashlib
import json
import os
import socket
import struct
import sys
import time
import urllib.request

import websockets

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PATH = "/api/v1/ws"
LIMIT = 64 * 1024  # the request body limit: the largest client message
CONT, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
# How long the daemon waits for the peer's side of a close handshake (RawWebSocket's bound).
CLOSE_TIMEOUT = 5.0


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def register_frame(client_id="py-client"):
    return json.dumps({"type": "register", "clientId": client_id, "user": "alice",
                       "subscriptions": [{"application": "shop", "channels": ["orders"]}]},
                      ensure_ascii=False)


def publish(port, title):
    body = json.dumps({"application": "shop", "channel": "orders", "title": title}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/notifications", body,
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())["id"]


# ------------------------------------------------------------------ raw socket client

def frame(opcode, payload=b"", fin=True, mask=True, rsv=0, length=None):
    """A client frame; `length` overrides the length field (for lying headers)."""
    first = (0x80 if fin else 0) | rsv | opcode
    size = len(payload) if length is None else length
    mask_bit = 0x80 if mask else 0
    if size < 126:
        head = struct.pack("!BB", first, mask_bit | size)
    elif size < 65536:
        head = struct.pack("!BBH", first, mask_bit | 126, size)
    else:
        head = struct.pack("!BBQ", first, mask_bit | 127, size)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


class Raw:
    """A WebSocket client over a plain socket, after a real opening handshake."""

    def __init__(self, port, extra_head=b"", after_head=b""):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16))
        self.sock.sendall(b"GET " + PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                          b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n" +
                          extra_head + b"\r\n" + after_head)
        self.buffer = b""
        head = self._read_head()
        status = head.split(b"\r\n", 1)[0]
        check(status.startswith(b"HTTP/1.1 101 "), f"handshake answered {status!r}")
        headers = parse_headers(head)
        expected = base64.b64encode(hashlib.sha1(key + GUID).digest())
        check(headers.get(b"sec-websocket-accept") == expected,
              f"Sec-WebSocket-Accept {headers.get(b'sec-websocket-accept')!r}, not {expected!r}")
        check(headers.get(b"upgrade", b"").lower() == b"websocket", "no Upgrade: websocket")
        self.headers = headers

    def _read_head(self):
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            check(chunk, f"connection closed during the handshake: {self.buffer!r}")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        return head

    def send(self, data):
        self.sock.sendall(data)

    def _need(self, count, deadline):
        while len(self.buffer) < count:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise Failure(f"nothing more within the time; have {self.buffer[:80]!r}")
            except ConnectionResetError:
                raise Failure("connection reset")
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def recv_frame(self, timeout=5.0):
        """(opcode, payload, fin), or None at the end of the stream."""
        deadline = time.monotonic() + timeout
        if not self._need(2, deadline):
            check(not self.buffer, f"stream ended inside a frame: {self.buffer!r}")
            return None
        first, second = self.buffer[0], self.buffer[1]
        check(not second & 0x80, "the server masked a frame")
        check(not first & 0x70, "the server set RSV bits")
        size, at = second & 0x7F, 2
        if size == 126:
            check(self._need(4, deadline), "stream ended in a header")
            size, at = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif size == 127:
            check(self._need(10, deadline), "stream ended in a header")
            size, at = struct.unpack("!Q", self.buffer[2:10])[0], 10
        check(self._need(at + size, deadline), "stream ended in a payload")
        payload = self.buffer[at:at + size]
        self.buffer = self.buffer[at + size:]
        return first & 0x0F, payload, bool(first & 0x80)

    def recv_skipping_unseen(self, timeout=5.0):
        """The next frame other than the inbox's `unseen` count, which a register may set off
        (PROTOCOL.md, Inbox: sent when what the user follows grows) on its own clock."""
        while True:
            got = self.recv_frame(timeout)
            if got is None or got[0] != TEXT or json.loads(got[1]).get("type") != "unseen":
                return got

    def recv_text(self, timeout=5.0):
        got = self.recv_frame(timeout)
        check(got is not None and got[0] == TEXT, f"expected a text frame, got {got!r}")
        return json.loads(got[1])

    def expect_close(self, code, timeout=5.0):
        """Reads up to the server's close frame; returns its reason."""
        while True:
            got = self.recv_frame(timeout)
            check(got is not None, f"stream ended without a close frame (expected {code})")
            opcode, payload, _ = got
            if opcode == CLOSE:
                check(len(payload) >= 2, f"close frame without a code: {payload!r}")
                received = struct.unpack("!H", payload[:2])[0]
                check(received == code, f"close code {received} ({payload[2:]!r}), not {code}")
                return payload[2:]
            check(opcode == TEXT, f"unexpected frame {got!r} before the close")

    def expect_end(self, timeout):
        """The server ends the TCP connection within `timeout` seconds, sending nothing more;
        returns how long it took."""
        start = time.monotonic()
        got = self.recv_frame(timeout)
        check(got is None, f"a frame after the close: {got!r}")
        return time.monotonic() - start

    def register(self):
        self.send(frame(TEXT, register_frame().encode()))
        check(self.recv_text()["type"] == "registered", "no registered")
        check(self.recv_text()["type"] == "backlogDone", "no backlogDone")


def parse_headers(head):
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    return headers


def fails_with(port, data, code, registered=False):
    raw = Raw(port)
    if registered:
        raw.register()
    raw.send(data)
    raw.expect_close(code)
    # A failed connection is not kept waiting for the client's close frame.
    raw.expect_end(CLOSE_TIMEOUT + 2)


# ------------------------------------------------------------------ raw cases

def raw_handshake(port):
    raw = Raw(port, extra_head=b"Sec-WebSocket-Protocol: chat, superchat\r\n")
    # No subprotocol is spoken, so none is selected.
    check(b"sec-websocket-protocol" not in raw.headers, "a subprotocol was selected")
    raw.register()


def raw_handshake_refusals(port):
    def refused(head):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(head)
        answer = b""
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
        sock.close()
        return answer

    base = (b"Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
    key = b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    cases = {
        "version 12": b"GET /api/v1/ws HTTP/1.1\r\n" + base + key +
                      b"Sec-WebSocket-Version: 12\r\n\r\n",
        "no key": b"GET /api/v1/ws HTTP/1.1\r\n" + base + b"Sec-WebSocket-Version: 13\r\n\r\n",
        "key of 8 bytes": b"GET /api/v1/ws HTTP/1.1\r\n" + base +
                          b"Sec-WebSocket-Key: AAAAAAAAAAA=\r\nSec-WebSocket-Version: 13\r\n\r\n",
        "HTTP/1.0": b"GET /api/v1/ws HTTP/1.0\r\n" + base + key +
                    b"Sec-WebSocket-Version: 13\r\n\r\n",
        "Upgrade: h2c": b"GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: h2c\r\n"
                        b"Connection: Upgrade\r\n" + key + b"Sec-WebSocket-Version: 13\r\n\r\n",
    }
    for name, head in cases.items():
        answer = refused(head)
        status = answer.split(b"\r\n", 1)[0]
        check(status == b"HTTP/1.1 400 Bad Request", f"{name}: answered {status!r}")
        check(b"\r\nSec-WebSocket-Version: 13\r\n" in answer,
              f"{name}: no Sec-WebSocket-Version: 13 in {answer!r}")


def raw_frames_after_the_head(port):
    # A client that does not wait for the 101: its first frame is in the same packet.
    raw = Raw(port, after_head=frame(TEXT, register_frame().encode()))
    check(raw.recv_text()["type"] == "registered", "no registered")
    check(raw.recv_text()["type"] == "backlogDone", "no backlogDone")


def recv_answer(raw):
    """The next text frame that answers the client (not an `unseen` count)."""
    got = raw.recv_skipping_unseen()
    check(got is not None and got[0] == TEXT, f"expected a text frame, got {got!r}")
    return json.loads(got[1])


def raw_fragmented(port):
    raw = Raw(port)
    text = register_frame("frägmented-€").encode()
    cut = text.index("€".encode()) + 1  # inside the euro sign
    raw.send(frame(TEXT, text[:10], fin=False))
    raw.send(frame(PING, b"between"))
    got = raw.recv_frame()
    check(got == (PONG, b"between", True), f"pong for a ping between fragments: {got!r}")
    raw.send(frame(CONT, text[10:cut], fin=False) + frame(CONT, text[cut:], fin=True))
    check(raw.recv_text()["type"] == "registered", "fragmented register not read")
    check(raw.recv_text()["type"] == "backlogDone", "no backlogDone")
    # A fragmented message after register, split byte by byte on the wire.
    data = frame(TEXT, b'{"type":', fin=False) + frame(CONT, b'"ping"}', fin=True)
    for byte in data:
        raw.send(bytes([byte]))
    check(recv_answer(raw) == {"type": "pong"}, "no pong for a fragmented ping message")


def raw_ping(port):
    raw = Raw(port)
    for payload in (b"", b"x", bytes(range(125))):
        raw.send(frame(PING, payload))
        got = raw.recv_frame()
        check(got == (PONG, payload, True), f"pong for a {len(payload)}-byte ping: {got!r}")
    raw.register()
    raw.send(frame(PING, b"live"))
    got = raw.recv_skipping_unseen()
    check(got == (PONG, b"live", True), f"no pong once registered: {got!r}")
    raw.send(frame(PONG, b"unsolicited"))  # allowed (RFC 6455 §5.5.3), and not answered
    raw.send(frame(PING, b"after"))
    got = raw.recv_skipping_unseen()
    check(got == (PONG, b"after", True), f"unsolicited pong was answered: {got!r}")


def raw_unmasked(port):
    fails_with(port, frame(TEXT, b'{"type":"ping"}', mask=False), 1002)
    fails_with(port, frame(TEXT, b'{"type":"ping"}', mask=False), 1002, registered=True)


def raw_protocol_errors(port):
    for data in (frame(TEXT, b"x", rsv=0x40), frame(TEXT, b"x", rsv=0x10),
                 frame(0x3, b"x"), frame(0xB, b"x"),
                 frame(PING, b"x", fin=False), frame(PING, b"p" * 126),
                 frame(CONT, b"x"), frame(TEXT, b"a", fin=False) + frame(TEXT, b"b")):
        fails_with(port, data, 1002, registered=True)


def raw_invalid_utf8(port):
    fails_with(port, frame(TEXT, b'{"type":"\xff"}'), 1007)
    fails_with(port, frame(TEXT, b"\xed\xa0\x80"), 1007, registered=True)  # a surrogate
    # Cut inside a character at the end of the message.
    fails_with(port, frame(TEXT, b"ok\xe2", fin=False) + frame(CONT, b"\x82"), 1007)


def raw_oversize(port):
    raw = Raw(port)
    # Only the header and a little: the daemon refuses at the header, not after the payload.
    raw.send(frame(TEXT, b"", length=LIMIT + 1) + b"{")
    raw.expect_close(1009)
    raw.expect_end(CLOSE_TIMEOUT + 2)
    fails_with(port, frame(BINARY, b"a" * LIMIT, fin=False) + frame(CONT, b"b"), 1009,
               registered=True)
    # At the limit is fine: a text message that is not JSON, answered 1003 by the protocol.
    fails_with(port, frame(TEXT, b" " * LIMIT), 1003, registered=True)


def raw_bad_close(port):
    for payload in (close_payload(999), close_payload(1005), close_payload(1006),
                    close_payload(1015), close_payload(2000), close_payload(5000), b"\x03"):
        fails_with(port, frame(CLOSE, payload), 1002, registered=True)
    fails_with(port, frame(CLOSE, close_payload(1000, b"bad \xff")), 1007, registered=True)


def raw_client_close(port):
    for code in (1000, 1001, 3000, 4999):
        raw = Raw(port)
        raw.register()
        raw.send(frame(CLOSE, close_payload(code, "au revoir, à bientôt".encode())))
        raw.expect_close(code)  # echoed
        took = raw.expect_end(CLOSE_TIMEOUT + 2)
        check(took < 2, f"the server kept the connection {took:.1f} s after the close")
    raw = Raw(port)
    raw.send(frame(CLOSE))
    got = raw.recv_frame()
    check(got == (CLOSE, b"", True), f"answer to a close without a code: {got!r}")
    raw.expect_end(2)


def raw_server_close(port):
    raw = Raw(port)
    raw.register()
    raw.send(frame(BINARY, b"binary"))
    raw.expect_close(1003)
    # Nothing follows the close frame, whatever the client still sends.
    raw.send(frame(TEXT, b'{"type":"ping"}') + frame(PING, b"late"))
    time.sleep(0.3)
    raw.send(frame(CLOSE, close_payload(1003)))
    took = raw.expect_end(2)
    check(took < 2, f"the server kept the connection {took:.1f} s after the close")


def raw_server_close_unanswered(port):
    raw = Raw(port)
    raw.register()
    raw.send(frame(BINARY, b"binary"))
    raw.expect_close(1003)
    start = time.monotonic()
    raw.expect_end(CLOSE_TIMEOUT + 3)
    took = time.monotonic() - start
    check(took > CLOSE_TIMEOUT - 1.5, f"the close frame was not waited for ({took:.1f} s)")


# ------------------------------------------------------------------ library cases

def received_code(closed):
    return closed.rcvd.code if closed.rcvd else None


async def next_message(ws):
    """The next frame other than the inbox's `unseen` count, which follows a publish on its own
    clock (debounced) and may come before or after the frames a case waits for."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if message.get("type") != "unseen":
            return message


async def library_session(port):
    uri = f"ws://127.0.0.1:{port}{PATH}"
    async with websockets.connect(uri, max_size=None, close_timeout=10) as ws:
        await ws.send(register_frame("lib-ünïcode-😀"))
        check(json.loads(await ws.recv())["type"] == "registered", "no registered")
        check(json.loads(await ws.recv())["type"] == "backlogDone", "no backlogDone")
        pong = await ws.ping(b"library")
        await asyncio.wait_for(pong, 5)
        await ws.send(['{"type"', ':"pi', 'ng"}'])  # one message in three fragments
        check(await next_message(ws) == {"type": "pong"}, "no pong message")
        title = "Grüße 😀 " + "x" * 200
        nid = await asyncio.get_running_loop().run_in_executor(None, publish, port, title)
        live = await next_message(ws)
        check(live["type"] == "notification" and live["data"]["title"] == title,
              f"live notification: {live}")
        await ws.send(json.dumps({"type": "ack", "ids": [nid]}))
        acked = await next_message(ws)
        check(acked == {"type": "acknowledged", "ids": [nid]}, f"ack: {acked}")
        start = time.monotonic()
        await ws.close(code=1000, reason="done")
        took = time.monotonic() - start
        check(ws.close_code == 1000, f"close code {ws.close_code}")
        # The library waits for the server to end TCP after the close frames.
        check(took < 2, f"close took {took:.1f} s")


async def library_server_close(port):
    uri = f"ws://127.0.0.1:{port}{PATH}"
    async with websockets.connect(uri, close_timeout=10) as ws:
        await ws.send(register_frame())
        await ws.recv()
        await ws.recv()
        await ws.send(b"binary")
        start = time.monotonic()
        try:
            while True:
                await asyncio.wait_for(ws.recv(), 5)
        except websockets.ConnectionClosed as closed:
            check(received_code(closed) == 1003, f"closed with {received_code(closed)}")
        await ws.wait_closed()
        took = time.monotonic() - start
        check(took < 2, f"server close took {took:.1f} s")


async def library_too_big(port):
    uri = f"ws://127.0.0.1:{port}{PATH}"
    async with websockets.connect(uri, close_timeout=10) as ws:
        await ws.send(register_frame())
        await ws.recv()
        await ws.recv()
        await ws.send("x" * (LIMIT + 1))
        try:
            while True:
                await asyncio.wait_for(ws.recv(), 5)
        except websockets.ConnectionClosed as closed:
            check(received_code(closed) == 1009, f"closed with {received_code(closed)}")


CASES = {
    "raw-handshake": raw_handshake,
    "raw-handshake-refusals": raw_handshake_refusals,
    "raw-frames-after-the-head": raw_frames_after_the_head,
    "raw-fragmented": raw_fragmented,
    "raw-ping": raw_ping,
    "raw-unmasked": raw_unmasked,
    "raw-protocol-errors": raw_protocol_errors,
    "raw-invalid-utf8": raw_invalid_utf8,
    "raw-oversize": raw_oversize,
    "raw-bad-close": raw_bad_close,
    "raw-client-close": raw_client_close,
    "raw-server-close": raw_server_close,
    "raw-server-close-unanswered": raw_server_close_unanswered,
    "library-session": library_session,
    "library-server-close": library_server_close,
    "library-too-big": library_too_big,
}


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(argv) != 3 or argv[2] not in CASES:
        print(__doc__)
        return 2
    port, case = int(argv[1]), CASES[argv[2]]
    try:
        if asyncio.iscoroutinefunction(case):
            asyncio.run(asyncio.wait_for(case(port), 60))
        else:
            case(port)
    except Failure as failure:
        print(f"FAIL {argv[2]}: {failure}")
        return 1
    print(f"PASS {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
