# SPDX-License-Identifier: Apache-2.0
"""systemd readiness (Type=notify): herald-syncd started as systemd starts it, with
NOTIFY_SOCKET naming a datagram socket this test holds, sends READY=1 exactly once, and only
when it listens: at that moment its log already says where, and a connection to that port is
answered. A daemon that cannot listen (its port taken) exits 1 and never sends READY=1.

Usage: tst_readiness.py HERALD_SYNCD
"""
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from packagingtest import Checks, remove_tree


def notify_socket(directory):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = os.path.join(directory, "notify")
    sock.bind(path)
    sock.settimeout(0.2)
    return sock, path


def datagrams(sock, until):
    """Every datagram received before the deadline, as text."""
    received = []
    while time.monotonic() < until:
        try:
            received.append(sock.recv(4096).decode())
        except socket.timeout:
            pass
    return received


def start(syncd, directory, path, listen):
    env = dict(os.environ, NOTIFY_SOCKET=path)
    log = open(os.path.join(directory, f"log-{listen.replace(':', '-')}"), "w+")
    process = subprocess.Popen([syncd, "--listen", listen, "--database",
                                os.path.join(directory, "herald.db")],
                               env=env, stdout=subprocess.DEVNULL, stderr=log)
    return process, log


def wait_ready(sock, process, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return sock.recv(4096).decode()
        except socket.timeout:
            pass
    return None


def main(syncd):
    t = Checks("tst_readiness")
    directory = tempfile.mkdtemp(prefix="herald-notify-")
    sock, path = notify_socket(directory)
    try:
        process, log = start(syncd, directory, path, "127.0.0.1:0")
        try:
            message = wait_ready(sock, process)
            t.check("READY=1 arrives", message and "READY=1" in message.split("\n"), message)
            # The log is written before start() returns; READY=1 is sent after it.
            log.seek(0)
            text = log.read()
            port = None
            for line in text.splitlines():
                if "listening on 127.0.0.1:" in line:
                    port = int(line.rsplit(":", 1)[1])
            t.check("when READY=1 arrives, the log already says where it listens", port, text)
            if port:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    t.check("and it answers there", r.status == 200)
            more = datagrams(sock, time.monotonic() + 1.0)
            t.check("READY=1 only once", not any("READY=1" in m for m in more), more)
        finally:
            process.terminate()
            t.check("stops with 0 on SIGTERM", process.wait(timeout=20) == 0)

        # Its port taken: the daemon fails to listen and must not claim to be ready.
        taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        process, log = start(syncd, directory, path, f"127.0.0.1:{taken.getsockname()[1]}")
        code = process.wait(timeout=20)
        taken.close()
        t.check("a daemon that cannot listen exits 1", code == 1, code)
        late = datagrams(sock, time.monotonic() + 0.3)
        t.check("and sends no READY=1", not any("READY=1" in m for m in late), late)
    finally:
        sock.close()
        remove_tree(directory)
    t.done()


if __name__ == "__main__":
    main(*sys.argv[1:])
