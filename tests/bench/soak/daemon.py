# SPDX-License-Identifier: Apache-2.0
"""The herald-syncd process under soak: start, SIGKILL, restart on the same database, SIGTERM.

Clients wait on `ready` before they connect, so that the soak can count the daemon's
descriptors right after a (re)start, before any client holds one.
"""
import asyncio
import os
import re
import signal
import time

LISTENING = re.compile(rb"listening on 127\.0\.0\.1:(\d+)")


class DaemonError(Exception):
    pass


class Daemon:
    def __init__(self, binary, database, log_path, port, start_timeout=30.0):
        self.binary = binary
        self.database = database
        self.log_path = log_path
        self.port = port
        self.start_timeout = start_timeout
        self.ready = asyncio.Event()
        self._given_up = asyncio.Event()  # it crashed: nobody should wait for it any longer
        self.process = None
        self.starts = 0  # processes started so far: 2 after the restart

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def address(self):
        return ("127.0.0.1", self.port)

    def http_url(self):
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self):
        return f"ws://127.0.0.1:{self.port}/api/v1/ws"

    def give_up(self):
        self.ready.clear()
        self._given_up.set()

    async def wait_ready(self, timeout):
        """True once clients may connect; False after `timeout` or once it was given up."""
        if self.ready.is_set() or self._given_up.is_set():
            return self.ready.is_set()
        waits = [asyncio.create_task(self.ready.wait()), asyncio.create_task(self._given_up.wait())]
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for wait in waits:
            wait.cancel()
        return self.ready.is_set()

    def running(self):
        return self.process is not None and self.process.returncode is None

    async def start(self):
        """Starts the daemon on the fixed port and waits for `listening on`; not yet ready."""
        with open(self.log_path, "ab") as log:
            log.write(f"=== start {self.starts + 1} at {time.strftime('%H:%M:%S')}\n".encode())
            offset = log.tell()
            self.process = await asyncio.create_subprocess_exec(
                self.binary, "--listen", f"127.0.0.1:{self.port}", "--database", self.database,
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log)
        self.starts += 1
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            with open(self.log_path, "rb") as log:
                log.seek(offset)
                if LISTENING.search(log.read()):
                    return
            if self.process.returncode is not None:
                raise DaemonError(f"herald-syncd exited {self.process.returncode} before "
                                  f"listening; see {self.log_path}")
            await asyncio.sleep(0.02)
        await self.kill()
        raise DaemonError(f"herald-syncd did not listen within {self.start_timeout} s")

    async def kill(self):
        """SIGKILL; returns once the process is reaped."""
        self.ready.clear()
        if self.running():
            os.kill(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            await asyncio.wait_for(self.process.wait(), 10)

    async def terminate(self, timeout=15.0):
        """SIGTERM; the exit code, or None when it did not exit in time (then it is killed)."""
        self.ready.clear()
        if not self.running():
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            await self.kill()
            return None

    async def cli(self, *args, timeout=20.0):
        """Runs `herald-syncd ARGS --database DB`; (exit code, stdout). Raises on a timeout."""
        process = await asyncio.create_subprocess_exec(
            self.binary, *args, "--database", self.database,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(process.communicate(), timeout)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise DaemonError(f"herald-syncd {' '.join(args)} did not finish in {timeout} s")
        if process.returncode != 0:
            raise DaemonError(f"herald-syncd {' '.join(args)} exited {process.returncode}: "
                              f"{err.decode(errors='replace').strip()}")
        return out.decode().strip()
