#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A WebSocket server made with the python `websockets` library, for tst_clientwebsocketpython:
an implementation of RFC 6455 that is neither Qt's nor Herald's.

Prints "port N" once it listens on 127.0.0.1, then one line per close it saw
("closed PATH CODE REASON": the path tells the tests' connections apart). On /refuse it refuses the upgrade with 403. Otherwise it answers each
text message:
  "fragments"  -> "fragmented ✓" sent in three fragments
  "ping"       -> a ping with "are you there"; "pong: are you there" once the pong came
  "close"      -> a close with 4002 "python says bye"
  anything else is echoed.
"""
import asyncio
import http
import sys

import websockets


def log(line):
    print(line, flush=True)


async def handler(ws):
    try:
        async for message in ws:
            if message == "fragments":
                await ws.send(iter(["frag", "men", "ted ✓"]))
            elif message == "ping":
                pong = await ws.ping(b"are you there")
                await pong
                await ws.send("pong: are you there")
            elif message == "close":
                await ws.close(4002, "python says bye")
            else:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass  # any close code but 1000 and 1001 ends the loop this way
    finally:
        await ws.wait_closed()
        log(f"closed {ws.path} {ws.close_code} {ws.close_reason}")


async def process_request(path, headers):
    if path == "/refuse":
        return http.HTTPStatus.FORBIDDEN, [], b"go away\n"
    if headers.get("Authorization") != "Bearer py-token":
        return http.HTTPStatus.UNAUTHORIZED, [], b"no token\n"
    return None


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0, process_request=process_request) as server:
        log(f"port {server.sockets[0].getsockname()[1]}")
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
