# SPDX-License-Identifier: Apache-2.0
"""The packages of tst_deb installed for real (dpkg -i, as root or through sudo -n): the
postinst creates the herald user and /var/lib/herald and gives the configuration to root and
the herald group; the installed unit passes `systemd-analyze verify` with the installed man
pages; /usr/bin/herald-syncd run as user herald with /etc/herald/herald-syncd.ini (only the port
replaced by a free loopback one) answers /healthz with the package's version; `dpkg -r` leaves
the configuration and the database, `dpkg -P` leaves no file of either package behind.

Packages left installed by an earlier run are purged first; runs of this test on one machine
(several checkouts) take turns through a lock. Without root or sudo it exits 77 (ctest: skipped)
or, with --require (HERALD_REQUIRE_ALL_TESTS), fails.

Usage: tst_deb_install.py DEB_DIR VERSION [--require]
"""
import fcntl
import glob
import json
import os
import subprocess
import sys
import time

from packagingtest import Checks, Daemon, run

PACKAGES = ["herald-syncd", "herald", "herald-syncd-dbgsym", "herald-dbgsym"]
LOCK = "/tmp/herald-tst-deb-install.lock"


def privileged():
    if os.geteuid() == 0:
        return []
    try:
        if subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
            return ["sudo", "-n"]
    except OSError:  # no sudo, or not ours to run
        pass
    return None


def status(package):
    result = run(["dpkg-query", "-W", "-f=${Status}", package], check=False)
    known = result.returncode == 0 and "not-installed" not in result.stdout
    return result.stdout if known else "not-installed"


def dpkg(sudo, *args):
    """dpkg, waiting up to two minutes for an apt or dpkg of someone else to finish."""
    deadline = time.monotonic() + 120
    while True:
        result = run(sudo + ["dpkg"] + list(args), check=False,
                     env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        locked = "lock" in result.stderr and result.returncode == 2
        if not locked or time.monotonic() > deadline:
            return result
        time.sleep(2)


def exists(sudo, path):
    """Through sudo: /var/lib/herald is closed to other users."""
    return run(sudo + ["test", "-e", path], check=False).returncode == 0


def daemon_pid(pid):
    """herald-syncd's pid below sudo and runuser (runuser, signalled itself, ends with 143)."""
    for _ in range(10):
        if open(f"/proc/{pid}/comm").read().strip() == "herald-syncd":
            return pid
        children = "".join(open(c).read() for c in glob.glob(f"/proc/{pid}/task/*/children"))
        if not children.split():
            return None
        pid = int(children.split()[0])
    return None


def check_installed(t, sudo, version):
    user = run(["getent", "passwd", "herald"], check=False).stdout.strip().split(":")
    t.check("postinst: system user herald, home /var/lib/herald, no login",
            len(user) == 7 and int(user[2]) < 1000 and user[5] == "/var/lib/herald" and
            user[6].endswith("nologin"), user)
    state = os.stat("/var/lib/herald")
    t.check("postinst: /var/lib/herald is herald's, 0750",
            oct(state.st_mode & 0o777) == "0o750" and state.st_uid == int(user[2]))
    conf = os.stat("/etc/herald/herald-syncd.ini")
    group = run(["getent", "group", "herald"]).stdout.split(":")
    t.check("postinst: configuration root:herald 0640", conf.st_uid == 0 and
            conf.st_gid == int(group[2]) and oct(conf.st_mode & 0o777) == "0o640")
    result = run(sudo + ["dpkg", "--verify"] + PACKAGES, check=False)
    t.check("dpkg --verify: installed files intact", result.returncode == 0 and
            not result.stdout, result.stdout + result.stderr)
    result = run(["systemd-analyze", "verify", "/usr/lib/systemd/system/herald-syncd.service"],
                 check=False)
    t.check("installed unit: systemd-analyze verify clean (man pages found)",
            result.returncode == 0 and not (result.stdout + result.stderr).strip(),
            result.stdout + result.stderr)
    out = run(["/usr/bin/herald", "--version"],
              env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).stdout.strip()
    t.check("installed herald --version", out == f"herald {version}", out)


def check_daemon(t, sudo, version):
    daemon = Daemon(sudo + ["runuser", "-u", "herald", "--", "/usr/bin/herald-syncd", "--config",
                            "/etc/herald/herald-syncd.ini"])
    port = daemon.wait_listening()
    if t.check("herald-syncd runs as herald from the installed paths", port, "".join(daemon.log)):
        status_code, body = daemon.get("/healthz")
        t.check("/healthz answers with the package's version", status_code == 200 and
                json.loads(body).get("version") == version, body)
        database = "/var/lib/herald/herald.db"
        owner, size = run(sudo + ["stat", "-c", "%U %s", database]).stdout.split()
        t.check("its database is /var/lib/herald/herald.db, herald's",
                owner == "herald" and int(size) > 0, (owner, size))
    pid = daemon_pid(daemon.process.pid)
    if pid:
        run(sudo + ["kill", "-TERM", str(pid)], check=False)
    t.check("and stops with 0 on SIGTERM", daemon.stop(signal=not pid) == 0,
            "".join(daemon.log)[-2000:])


def main(debs, version, *options):
    t = Checks("tst_deb_install")
    sudo = privileged()
    if sudo is None:
        print("tst_deb_install: needs root or passwordless sudo to run dpkg -i: "
              + ("failing (HERALD_REQUIRE_ALL_TESTS)" if "--require" in options else "skipped"))
        sys.exit(1 if "--require" in options else 77)
    packages = sorted(glob.glob(os.path.join(debs, "*.deb")) +
                      glob.glob(os.path.join(debs, "*.ddeb")))
    lock = os.open(LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        left = [p for p in PACKAGES if status(p) != "not-installed"]
        if left:
            print(f"purging what an earlier run left: {left}")
            dpkg(sudo, "--purge", *left)

        started = time.monotonic()
        result = dpkg(sudo, "--install", *packages)
        if not t.check("dpkg -i of all four packages", result.returncode == 0,
                       result.stdout + result.stderr):
            t.done()
        files = [f for p in PACKAGES[:2] for f in run(["dpkg", "-L", p]).stdout.split()
                 if os.path.isfile(f)]
        check_installed(t, sudo, version)
        check_daemon(t, sudo, version)

        result = dpkg(sudo, "--remove", *PACKAGES)
        t.check("dpkg -r", result.returncode == 0, result.stdout + result.stderr)
        t.check("removed: binaries and unit gone", not any(os.path.exists(f) for f in (
            "/usr/bin/herald-syncd", "/usr/bin/herald",
            "/usr/lib/systemd/system/herald-syncd.service")))
        t.check("removed: configuration and database kept",
                exists(sudo, "/etc/herald/herald-syncd.ini") and
                exists(sudo, "/var/lib/herald/herald.db") and
                status("herald-syncd") == "deinstall ok config-files", status("herald-syncd"))

        result = dpkg(sudo, "--purge", *PACKAGES)
        t.check("dpkg -P", result.returncode == 0, result.stdout + result.stderr)
        t.check("purged: /etc/herald and /var/lib/herald gone",
                not exists(sudo, "/etc/herald") and not exists(sudo, "/var/lib/herald"))
        t.check("purged: no file of the packages left", not [f for f in files
                                                           if os.path.lexists(f)],
                [f for f in files if os.path.lexists(f)])
        t.check("purged: dpkg knows none of the packages",
                all(status(p) == "not-installed" for p in PACKAGES), [status(p) for p in PACKAGES])
        print(f"install, run, remove, purge: {time.monotonic() - started:.1f} s")
    finally:
        os.close(lock)
    t.done()


if __name__ == "__main__":
    main(*sys.argv[1:])
