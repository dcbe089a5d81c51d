#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that the parts of Herald depend on each other only as docs/ARCHITECTURE.md says.

Every `#include "folder/file.h"` in syncd/, client/ and shared/ is resolved the way the
compiler resolves it (the including binary's own tree first, then shared/), and the part it
lands in must be on the including part's list below. A part is a top folder of a tree
("syncd/ws", "shared/codec"); a file may also be given an exception of its own.

Usage: check_dependencies.py [SOURCE_DIR]        exit 0: clean, 1: violations (listed)
       check_dependencies.py --self-test          proves the check catches a forbidden include
"""
import os
import re
import sys
import tempfile

SHARED = {"shared/model", "shared/protocol", "shared/codec", "shared/util"}

# part -> parts it may include (besides itself). Anything not listed is forbidden.
ALLOWED = {
    # The shared library: values, the wire, codecs, neutral helpers; the client-side session.
    "shared/model": set(),
    "shared/util": {"shared/model"},
    "shared/protocol": {"shared/model"},
    "shared/codec": {"shared/model", "shared/protocol"},
    # RFC 6455 without I/O (frame reader, UTF-8 check, the client's frames and handshake), for
    # the daemon's sockets and the client's alike: Qt Core only (SYSTEM_FORBIDDEN below).
    "shared/websocket": {"shared/model"},
    "shared/session": {"shared/model", "shared/protocol", "shared/codec", "shared/util",
                       "shared/websocket"},
    # The daemon, bottom up.
    "syncd/config": SHARED,
    "syncd/metrics": SHARED,
    "syncd/net": SHARED | {"shared/websocket"},
    # Transport limits: token buckets, connection caps, trusted proxies; no I/O, no protocol.
    "syncd/limits": SHARED | {"syncd/config"},
    # HTTP authenticates before a handler runs (Router) and applies the limits: auth and
    # limits sit below it.
    "syncd/http": SHARED | {"syncd/auth", "syncd/limits", "syncd/config", "syncd/metrics",
                            "syncd/net"},
    "syncd/store": SHARED | {"syncd/config"},
    "syncd/auth": SHARED | {"syncd/store", "syncd/metrics"},
    "syncd/core": SHARED | {"syncd/config", "syncd/metrics", "syncd/store", "syncd/auth",
                            "syncd/delivery"},
    # Webhook delivery beside the core: address policy, signatures, retries, the libcurl
    # sender and the outbox's dispatcher. The core uses its pure rules (where a webhook may go,
    # how it is signed); it never uses the core. Never an adapter (api, ws, relay, http) nor
    # the daemon's own sockets (net).
    "syncd/delivery": SHARED | {"syncd/config", "syncd/metrics", "syncd/store"},
    "syncd/ws": SHARED | {"syncd/config", "syncd/metrics", "syncd/auth", "syncd/core", "syncd/net",
                          "syncd/limits"},
    "syncd/relay": SHARED | {"syncd/config", "syncd/metrics", "syncd/store", "syncd/core",
                             "syncd/net"},
    "syncd/api": SHARED | {"syncd/config", "syncd/metrics", "syncd/auth", "syncd/core",
                           "syncd/http"},
    # The composition root and the command line see everything of the daemon.
    "syncd/app": SHARED | {"syncd/" + p for p in
                           ("config", "metrics", "net", "http", "limits", "store", "auth", "core",
                            "delivery", "ws", "relay", "api")},
    "syncd/main.cpp": {"syncd/app"},
}

# The tray client: its own parts in any direction, the shared library with its session.
CLIENT_PARTS = ["app", "tray", "notify", "net", "credentials", "ui", "model", "settings"]
for part in CLIENT_PARTS:
    ALLOWED["client/" + part] = SHARED | {"shared/session"} | {"client/" + p for p in CLIENT_PARTS}
ALLOWED["client/main.cpp"] = {"client/app"}

# Single files with a reason of their own.
FILE_EXCEPTIONS = {
    # `herald-syncd watch` is a client of the daemon, built into its command line.
    "syncd/app/cli.cpp": {"shared/session"},
    # `herald-syncd publish --stdin` publishes over a client's publishing session.
    "syncd/app/stdinpublisher.cpp": {"shared/session"},
}

# part -> Qt headers it may not include: shared/websocket is Qt Core only, so that the frame
# reader stays pure (fuzzed) and a ws:// client links no socket class through it.
SYSTEM_FORBIDDEN = {
    "shared/websocket": re.compile(
        r"^(Qt(Network|WebSockets|Gui|Widgets|Sql)/.*|Q(Abstract|Tcp|Ssl|Udp|Local|Host|Network|"
        r"WebSocket|Dns)\w*|QtNetwork|QtWebSockets)$"),
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>', re.MULTILINE)


def part_of(relative_path):
    pieces = relative_path.split("/")
    if len(pieces) == 2:  # a file at the top of a tree, e.g. syncd/main.cpp
        return relative_path
    return "/".join(pieces[:2])


def resolve(root, including_file, target):
    """Where `#include "target"` lands, relative to root, or None outside the project."""
    tree = including_file.split("/")[0]
    candidates = [os.path.join(os.path.dirname(including_file), target)]
    if tree in ("syncd", "client"):
        candidates.append(os.path.join(tree, target))
    candidates.append(os.path.join("shared", target))
    for candidate in candidates:
        candidate = os.path.normpath(candidate)
        if os.path.isfile(os.path.join(root, candidate)):
            return candidate
    return None  # generated (config-herald.h, moc) or a system header


def violations(root):
    found = []
    for tree in ("shared", "syncd", "client"):
        for directory, _, files in os.walk(os.path.join(root, tree)):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.relpath(os.path.join(directory, name), root)
                source = part_of(path)
                if source not in ALLOWED:
                    found.append(f"{path}: part '{source}' is not in the architecture table")
                    continue
                allowed = ALLOWED[source] | {source} | FILE_EXCEPTIONS.get(path, set())
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    text = f.read()
                forbidden = SYSTEM_FORBIDDEN.get(source)
                for target in SYSTEM_INCLUDE.findall(text) if forbidden else []:
                    if forbidden.match(target):
                        found.append(f"{path}: includes <{target}>; {source} is Qt Core only")
                for target in INCLUDE.findall(text):
                    landed = resolve(root, path, target)
                    if landed is None:
                        continue
                    destination = part_of(landed)
                    if destination not in allowed:
                        found.append(f'{path}: includes "{target}" ({destination}); '
                                     f"{source} may not depend on {destination}")
    return found


def self_test(root):
    """A forbidden include planted in a copy of one file must be reported."""
    import shutil
    with tempfile.TemporaryDirectory() as copy:
        for tree in ("shared", "syncd", "client"):
            shutil.copytree(os.path.join(root, tree), os.path.join(copy, tree))
        if violations(copy):
            print("self-test: the tree is not clean to begin with")
            return 1
        # (file to plant, its includes, what they break): each must be caught, both lines.
        plants = [
            (("syncd", "ws", "planted.cpp"), '#include "relay/relay.h"\n#include "store/storethread.h"\n',
             "ws -> relay/store includes"),
            (("syncd", "relay", "planted.h"), '#include "session/syncsession.h"\n#include "ws/hub.h"\n',
             "relay -> session/ws includes"),
            (("shared", "websocket", "planted.cpp"),
             '#include "session/syncsession.h"\n#include <QTcpSocket>\n',
             "websocket -> session, QTcpSocket"),
        ]
        for parts, includes, what in plants:
            planted = os.path.join(copy, *parts)
            with open(planted, "w", encoding="utf-8") as f:
                f.write(includes)
            caught = violations(copy)
            if len(caught) != 2:
                print(f"self-test: planted {what} not caught:", caught)
                return 1
            os.remove(planted)
    print("self-test: forbidden includes are caught")
    return 0


def main(argv):
    args = [a for a in argv[1:] if a != "--self-test"]
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), "..", ".."))
    if "--self-test" in argv:
        return self_test(root)
    found = violations(root)
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} dependency violation(s); see docs/ARCHITECTURE.md")
        return 1
    print("dependencies follow docs/ARCHITECTURE.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
