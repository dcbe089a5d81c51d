#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Mutation check: do the tests notice when a guarded behaviour is broken?

Each entry of mutations.json names one small source change (find -> replace in one file)
and the ctest tests (-R regex) that are meant to catch it. This script copies the source
tree to a work directory, configures and builds the copy once, checks that the named tests
pass unmutated (baseline), then for each mutation: applies it, rebuilds incrementally, runs
the named tests, restores the file. A mutation is "caught" when the tests fail.

Run by hand (not in CI), from anywhere:
    /usr/bin/python3 tests/mutation/run.py [--only NAME ...] [--list] [--keep] [--work DIR]

Exit status: 0 when every selected mutation was caught; 1 when any was not caught, was
stale (its `find` text does not occur exactly once) or invalid (the mutated tree does not
build); 2 when the setup failed (copy, configure, unmutated build, or a failing baseline).
Standard library only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[1]
MUTATIONS = HERE / "mutations.json"
DEFAULT_WORK = Path("/tmp/herald-mutation")
CTEST_TIMEOUT = 300
REQUIRED_KEYS = ("name", "file", "find", "replace", "tests", "why")


def log(message):
    print(message, flush=True)


def load_mutations(path):
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)
    names = set()
    for entry in entries:
        missing = [k for k in REQUIRED_KEYS if k not in entry]
        if missing:
            raise SystemExit(f"{path}: entry {entry.get('name', '?')!r} lacks {missing}")
        if entry["name"] in names:
            raise SystemExit(f"{path}: duplicate name {entry['name']!r}")
        names.add(entry["name"])
    return entries


def occurrences(root, mutation):
    """How often the mutation's `find` text occurs in its file under root (-1: no file)."""
    path = root / mutation["file"]
    if not path.is_file():
        return -1
    return path.read_text(encoding="utf-8").count(mutation["find"])


def stale_reason(root, mutation):
    count = occurrences(root, mutation)
    if count == -1:
        return f"file {mutation['file']} does not exist"
    if count != 1:
        return f"`find` text occurs {count} times in {mutation['file']} (must be exactly once)"
    return None


def excluded(rel):
    # Top-level build* directories (build/, build-ws/, ...) and .git anywhere.
    parts = rel.parts
    return (len(parts) >= 1 and parts[0].startswith("build")) or ".git" in parts


def same_content(a, b):
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except FileNotFoundError:
        return False


def sync_tree(source, work):
    """Mirror source into work, leaving work/build* alone. A file is copied only when its
    content differs, and the copy gets the current time as mtime: the incremental build
    then redoes exactly what changed. (Not `rsync -a`: it keeps the source's mtime, which can
    be older than an object built from the previous content, and ninja would skip it.)"""
    work.mkdir(parents=True, exist_ok=True)
    seen = set()
    for dirpath, dirnames, filenames in os.walk(source):
        rel_dir = Path(dirpath).relative_to(source)
        dirnames[:] = [d for d in dirnames if not excluded(rel_dir / d)]
        (work / rel_dir).mkdir(parents=True, exist_ok=True)
        seen.add(rel_dir)
        for name in filenames:
            rel = rel_dir / name
            if excluded(rel):
                continue
            seen.add(rel)
            src, dst = source / rel, work / rel
            if os.path.islink(src):
                if os.path.lexists(dst):
                    os.remove(dst)
                os.symlink(os.readlink(src), dst)
                continue
            if os.path.islink(dst) or dst.is_dir():
                (shutil.rmtree if dst.is_dir() and not os.path.islink(dst) else os.remove)(dst)
            if not same_content(src, dst):
                shutil.copyfile(src, dst)
                shutil.copymode(src, dst)
    # --delete: drop what the source no longer has (outside work/build*).
    for dirpath, dirnames, filenames in os.walk(work):
        rel_dir = Path(dirpath).relative_to(work)
        keep = []
        for name in dirnames:
            rel = rel_dir / name
            if excluded(rel):
                continue
            if rel in seen and not os.path.islink(work / rel):
                keep.append(name)
            elif rel not in seen:
                if os.path.islink(work / rel):
                    os.remove(work / rel)
                else:
                    shutil.rmtree(work / rel, ignore_errors=True)
        dirnames[:] = keep
        for name in filenames:
            rel = rel_dir / name
            if not excluded(rel) and rel not in seen:
                os.remove(work / rel)


def run(cmd, env, logfile, cwd=None):
    """Runs cmd with output appended to logfile; returns the exit status."""
    with open(logfile, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(str(c) for c in cmd)}\n")
        out.flush()
        return subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, stdout=out,
                              stderr=subprocess.STDOUT).returncode


def tail(logfile, lines=25):
    try:
        text = Path(logfile).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join("    " + line for line in text[-lines:])


def build(build_dir, env, logfile):
    return run(["cmake", "--build", build_dir, "--parallel", str(os.cpu_count() or 2)],
               env, logfile)


def ctest(build_dir, regex, env, logfile):
    return run(["ctest", "--test-dir", build_dir, "-R", regex, "--timeout", str(CTEST_TIMEOUT),
                "--no-tests=error", "--output-on-failure"], env, logfile)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only this mutation (repeatable)")
    parser.add_argument("--list", action="store_true",
                        help="list the mutations (and whether each is stale) and exit")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory afterwards (the next run then "
                             "rebuilds incrementally)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK,
                        help=f"work directory for the copy (default {DEFAULT_WORK})")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip checking that the named tests pass unmutated")
    args = parser.parse_args()

    mutations = load_mutations(MUTATIONS)
    if args.only:
        unknown = sorted(set(args.only) - {m["name"] for m in mutations})
        if unknown:
            raise SystemExit(f"unknown mutation(s): {', '.join(unknown)} (see --list)")
        mutations = [m for m in mutations if m["name"] in args.only]

    if args.list:
        for m in mutations:
            reason = stale_reason(SOURCE, m)
            log(f"{m['name']}{'  [STALE: ' + reason + ']' if reason else ''}\n"
                f"    {m['file']}  ->  ctest -R '{m['tests']}'\n    {m['why']}")
        return 0

    work = args.work.resolve()
    if work == SOURCE or SOURCE in work.parents:
        raise SystemExit(f"--work {work} must be outside the source tree {SOURCE}")
    build_dir = work / "build"
    logs = work / "logs"
    env = dict(os.environ, CCACHE_NOHASHDIR="true", CCACHE_BASEDIR=str(work))

    started = time.monotonic()
    log(f"copying {SOURCE} -> {work}")
    sync_tree(SOURCE, work)
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)

    results = {}  # name -> (status, detail)
    runnable = []
    for m in mutations:
        reason = stale_reason(work, m)
        if reason:
            results[m["name"]] = ("STALE", reason)
        else:
            runnable.append(m)

    try:
        setup_log = logs / "setup.log"
        if runnable:
            if not (build_dir / "build.ninja").exists():
                log(f"configuring {build_dir}")
                if run(["cmake", "-S", work, "-B", build_dir, "-G", "Ninja"], env, setup_log):
                    log(f"configure failed, see {setup_log}\n{tail(setup_log)}")
                    return 2
            log("building the unmutated copy (the first time takes a while)")
            if build(build_dir, env, setup_log):
                log(f"unmutated build failed, see {setup_log}\n{tail(setup_log)}")
                return 2
            if not args.no_baseline:
                for regex in dict.fromkeys(m["tests"] for m in runnable):
                    log(f"baseline: ctest -R '{regex}'")
                    if ctest(build_dir, regex, env, setup_log):
                        log(f"baseline failed for '{regex}' (or no test matched): the tests "
                            f"must pass unmutated, see {setup_log}\n{tail(setup_log)}")
                        return 2

        for m in runnable:
            name, path = m["name"], work / m["file"]
            mlog = logs / f"{name}.log"
            original = path.read_bytes()
            t0 = time.monotonic()
            log(f"[{name}] applying to {m['file']}")
            text = original.decode("utf-8")
            try:
                path.write_text(text.replace(m["find"], m["replace"], 1), encoding="utf-8")
                if build(build_dir, env, mlog):
                    results[name] = ("INVALID", f"mutated tree does not build, see {mlog}")
                elif ctest(build_dir, m["tests"], env, mlog):
                    results[name] = ("caught", f"ctest -R '{m['tests']}' failed")
                else:
                    results[name] = ("NOT caught", f"ctest -R '{m['tests']}' passed, see {mlog}")
            finally:
                path.write_bytes(original)
            status, detail = results[name]
            log(f"[{name}] {status} ({time.monotonic() - t0:.0f}s): {detail}")
    finally:
        if not args.keep:
            # Everything but the logs, so "see <log>" still points somewhere.
            for child in work.iterdir():
                if child != logs:
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child, ignore_errors=True)
                    else:
                        child.unlink()

    log("\nsummary:")
    width = max((len(m["name"]) for m in mutations), default=0)
    for m in mutations:
        status, detail = results.get(m["name"], ("not run", ""))
        log(f"  {m['name']:<{width}}  {status:<10}  {detail}")
    log(f"({time.monotonic() - started:.0f}s)" + ("" if args.keep else
        f"; copy and build removed, logs kept in {logs} (--keep to reuse the build)"))
    bad = [n for n, (s, _) in results.items() if s != "caught"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
