#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Keeps source files small enough to read: none over 500 lines, and the classes that grew
too big once (and were split) under 400. A file that needs more is a sign to split it.

Usage: check_sizes.py [SOURCE_DIR]    exit 0: all within bounds, 1: the files over them
"""
import os
import sys

LIMIT = 500
TIGHTER = {
    "syncd/ws/wsworker.cpp": 400,
    "shared/session/syncsession.cpp": 400,
    "syncd/store/notificationqueries.cpp": 400,
    "client/app/application.cpp": 400,
}


def main(argv):
    root = os.path.abspath(argv[1] if len(argv) > 1 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    over = []
    for tree in ("shared", "syncd", "client"):
        for directory, _, files in os.walk(os.path.join(root, tree)):
            for name in files:
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.relpath(os.path.join(directory, name), root)
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    lines = sum(1 for _ in f)
                limit = TIGHTER.get(path, LIMIT)
                if lines > limit:
                    over.append(f"{path}: {lines} lines (at most {limit})")
    for path in TIGHTER:
        if not os.path.isfile(os.path.join(root, path)):
            over.append(f"{path}: expected (the bound above refers to it)")
    for line in sorted(over):
        print(line)
    if over:
        return 1
    print(f"every source file within {LIMIT} lines ({len(TIGHTER)} within 400)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
