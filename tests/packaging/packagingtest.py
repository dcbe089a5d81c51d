# SPDX-License-Identifier: Apache-2.0
"""What the packaging tests share: checks that report every failure, a staged install of the
build (`cmake --install --component` into a temporary root, as a package build does), and a
herald-syncd started on a free loopback port. Standard library only (/usr/bin/python3).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request


class Checks:
    """Counts failed checks; `done()` exits 1 if any failed, after running them all."""

    def __init__(self, name):
        self.name = name
        self.failed = 0

    def check(self, what, ok, detail=""):
        shown = f"\n      {detail}" if detail and not ok else ""
        print(f"{'PASS' if ok else 'FAIL'}: {what}{shown}", flush=True)
        if not ok:
            self.failed += 1
        return ok

    def done(self):
        print(f"{self.name}: {'all checks passed' if not self.failed else f'{self.failed} failed'}")
        sys.exit(1 if self.failed else 0)


def run(cmd, check=True, **kw):
    """Runs a command with its output captured as text; raises with the output on failure."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {result.returncode}:\n"
                           f"{result.stdout}{result.stderr}")
    return result


def stage(build_dir, components, prefix="/usr"):
    """Installs the components of the build into a new temporary root; returns its path."""
    root = tempfile.mkdtemp(prefix="herald-stage-")
    for component in components:
        run(["cmake", "--install", build_dir, "--component", component, "--prefix", prefix],
            env=dict(os.environ, DESTDIR=root))
    return root


def files_under(root):
    """Every file and symlink below root, as absolute paths inside the root ('/usr/bin/x')."""
    found = set()
    for directory, _, names in os.walk(root):
        for name in names:
            found.add("/" + os.path.relpath(os.path.join(directory, name), root))
    return found


class Daemon:
    """herald-syncd started with the given arguments plus a free loopback port; stops on exit."""

    def __init__(self, command, env=None):
        self.process = subprocess.Popen(command + ["--listen", "127.0.0.1:0"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True)
        self.log = []
        self.port = None

    def wait_listening(self, timeout=20):
        """Reads the log until 'listening on 127.0.0.1:PORT'; returns the port or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                return None  # exited
            self.log.append(line)
            found = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                return self.port
        return None

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
            return r.status, r.read().decode()

    def stop(self, signal=True):
        """SIGTERM (unless signalled already), then the exit code; the log is kept in self.log."""
        if signal and self.process.poll() is None:
            self.process.terminate()
        try:
            rest, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            rest, _ = self.process.communicate()
        self.log.append(rest or "")
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)
