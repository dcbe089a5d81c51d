#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Keeps shared/ and client/ buildable on Windows: none of their files includes a POSIX- or
Linux-only header (<unistd.h>, <sys/...>, <poll.h>, epoll, sockets, systemd, ...) unless the
include sits in a branch for Unix only: `#ifdef Q_OS_UNIX` / `Q_OS_LINUX` / `__linux__` /
`__unix__`, `#ifndef Q_OS_WIN` / `_WIN32`, `#if !defined(Q_OS_WIN)`, or the `#else` of a
Windows branch. syncd/ is Linux-only and not checked (docs/PACKAGING.md, "Windows").

Usage: check_portable_includes.py [SOURCE_DIR]   exit 0: portable, 1: the includes listed
       check_portable_includes.py --self-test     proves the check catches a planted include
"""
import os
import re
import sys
import tempfile

TREES = ("shared", "client")
DENIED = re.compile(r"""^(unistd|poll|fcntl|pthread|dlfcn|dirent|pwd|grp|termios|syslog|netdb|
    ifaddrs|spawn|semaphore|sched|mqueue|libgen|glob|fnmatch|strings|err|endian|
    execinfo)\.h$
    |^(sys|linux|netinet|arpa|net|systemd|asm|bits)/""", re.X)
UNIX = re.compile(r"\b(Q_OS_UNIX|Q_OS_LINUX|Q_OS_MACOS|Q_OS_DARWIN|__linux__|__unix__|"
                  r"__APPLE__|HERALD_HAVE_LIBSYSTEMD)\b")
WINDOWS = re.compile(r"\b(Q_OS_WIN|Q_OS_WIN32|Q_OS_WIN64|_WIN32|_WIN64|_MSC_VER)\b")
DIRECTIVE = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif|include)\b\s*(.*)$")


def unix_only(kind, expression):
    """Whether the branch that follows `#kind expression` is taken only on Unix."""
    if kind == "ifndef":
        return bool(WINDOWS.search(expression))
    if kind == "ifdef":
        return bool(UNIX.search(expression))
    negated_windows = re.search(r"!\s*(defined\s*\(?\s*)?" + WINDOWS.pattern, expression)
    positive_unix = UNIX.search(expression) and not re.search(r"!\s*(defined\s*\(?\s*)?" +
                                                               UNIX.pattern, expression)
    return bool(negated_windows or (positive_unix and "||" not in expression))


def windows_only(kind, expression):
    if kind == "ifdef":
        return bool(WINDOWS.search(expression))
    if kind in ("if", "elif"):
        return bool(WINDOWS.search(expression)) and "!" not in expression and \
            "||" not in expression
    return False


def unguarded(path):
    """(line number, header) of every denied include outside a Unix-only branch."""
    found = []
    stack = []  # per #if: [unix_only of the branch taken, windows_only of every branch so far]
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            match = DIRECTIVE.match(line)
            if not match:
                continue
            kind, rest = match.group(1), match.group(2).split("//")[0].strip()
            if kind in ("if", "ifdef", "ifndef"):
                stack.append([unix_only(kind, rest), windows_only(kind, rest)])
            elif kind == "elif" and stack:
                stack[-1] = [unix_only(kind, rest), stack[-1][1] and windows_only(kind, rest)]
            elif kind == "else" and stack:
                # The #else of `#ifdef Q_OS_WIN` (and of Windows-only #elifs) is Unix's.
                stack[-1] = [stack[-1][1], False]
            elif kind == "endif" and stack:
                stack.pop()
            elif kind == "include":
                header = re.match(r"<([^>]+)>", rest)
                if header and DENIED.search(header.group(1)) and \
                        not any(frame[0] for frame in stack):
                    found.append((number, header.group(1)))
    return found


def violations(root):
    result = []
    for tree in TREES:
        for directory, _, names in os.walk(os.path.join(root, tree)):
            for name in sorted(names):
                if not name.endswith((".h", ".cpp", ".hpp", ".cc")):
                    continue
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, root)
                result += [f"{relative}:{n}: #include <{h}> is POSIX/Linux-only; guard it "
                           f"(#ifdef Q_OS_UNIX) or use Qt" for n, h in unguarded(path)]
    return result


def self_test(_root):
    """Plants one include of each kind in a temporary tree: the bare ones must be caught,
    the guarded ones must not."""
    cases = {
        "shared/a.cpp": ("#include <unistd.h>\n", True),
        "shared/b.cpp": ("#include <sys/epoll.h>\n", True),
        "client/c.cpp": ("#ifdef Q_OS_WIN\n#include <windows.h>\n#else\n#include <poll.h>\n"
                         "#endif\n", False),
        "client/d.cpp": ("#ifdef Q_OS_UNIX\n#include <sys/socket.h>\n#endif\n", False),
        "client/e.cpp": ("#ifndef Q_OS_WIN\n#include <systemd/sd-daemon.h>\n#endif\n", False),
        "client/f.cpp": ("#if !defined(_WIN32)\n#include <pwd.h>\n#endif\n", False),
        "client/g.cpp": ("#ifdef Q_OS_UNIX\n#include <unistd.h>\n#else\n#include <fcntl.h>\n"
                         "#endif\n", True),
        "client/h.cpp": ("#if defined(Q_OS_WIN) || defined(Q_OS_LINUX)\n#include <unistd.h>\n"
                         "#endif\n", True),
        "client/i.cpp": ("#include <QFile>\n#include <cstdio>\n#include <csignal>\n", False),
    }
    failed = []
    with tempfile.TemporaryDirectory() as root:
        for relative, (text, bad) in cases.items():
            os.makedirs(os.path.join(root, os.path.dirname(relative)), exist_ok=True)
            with open(os.path.join(root, relative), "w", encoding="utf-8") as f:
                f.write(text)
        caught = {line.split(":")[0] for line in violations(root)}
        for relative, (_, bad) in cases.items():
            if (relative in caught) != bad:
                failed.append(f"{relative}: {'missed' if bad else 'reported wrongly'}")
    for line in failed:
        print("self-test:", line)
    if not failed:
        print(f"self-test: {len(cases)} planted cases judged right")
    return 1 if failed else 0


def main(argv):
    args = [a for a in argv[1:] if a != "--self-test"]
    root = os.path.abspath(args[0] if args else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    if "--self-test" in argv:
        return self_test(root)
    found = violations(root)
    for line in found:
        print(line)
    if found:
        return 1
    print(f"no POSIX-only include outside a Unix branch in {'/, '.join(TREES)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
