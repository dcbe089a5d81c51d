# SPDX-License-Identifier: Apache-2.0
"""The installed systemd files, checked by systemd's own tools on a staged install:
`systemd-analyze verify` clean, including the man pages the unit's Documentation= names (found
in the staged tree; with no man pages at all the same check must fail, so it is known to look);
`systemd-analyze security --offline=yes` exposure at most 1.2; Type=notify when the daemon was
built with libsystemd; sysusers and tmpfiles that create the herald user and a 0750
/var/lib/herald of its own in an empty root.

Usage: tst_systemd_unit.py BUILD_DIR SERVICE_TYPE
"""
import os
import re
import shutil
import sys
import tempfile

from packagingtest import Checks, remove_tree, run, stage

MAX_EXPOSURE = 1.2
UNIT = "usr/lib/systemd/system/herald-syncd.service"


def verify(unit, manpath):
    result = run(["systemd-analyze", "verify", unit], check=False,
                 env=dict(os.environ, MANPATH=manpath))
    return result.returncode, (result.stdout + result.stderr).strip()


def main(build, service_type):
    t = Checks("tst_systemd_unit")
    root = stage(build, ["server"])
    work = tempfile.mkdtemp(prefix="herald-unit-")
    try:
        text = open(os.path.join(root, UNIT), encoding="utf-8").read()
        t.check(f"Type={service_type}", re.search(rf"^Type={service_type}$", text, re.M))
        # verify wants the ExecStart binary to exist: the staged one, the rest unchanged.
        installed = "ExecStart=/usr/bin/herald-syncd "
        t.check("ExecStart is /usr/bin/herald-syncd", installed in text)
        unit = os.path.join(work, "herald-syncd.service")
        with open(unit, "w", encoding="utf-8") as f:
            f.write(text.replace(installed, f"ExecStart={root}/usr/bin/herald-syncd "))

        code, out = verify(unit, os.path.join(root, "usr/share/man"))
        t.check("systemd-analyze verify is clean", code == 0 and not out, out)
        empty = os.path.join(work, "no-man-pages")
        os.mkdir(empty)
        code, out = verify(unit, empty)
        t.check("and without the man pages it says so", code != 0 and "man herald-syncd(1)" in out,
                out)

        result = run(["systemd-analyze", "security", "--offline=yes", "--no-pager",
                      f"--threshold={MAX_EXPOSURE * 10:.0f}", unit], check=False)
        level = re.search(r"Overall exposure level for herald-syncd\.service: (\d+\.\d+)",
                          result.stdout)
        exposure = float(level.group(1)) if level else None
        print(f"exposure: {exposure}")
        t.check(f"systemd-analyze security: exposure at most {MAX_EXPOSURE}",
                exposure is not None and exposure <= MAX_EXPOSURE and result.returncode == 0,
                result.stdout[-2000:] + result.stderr)

        empty_root = os.path.join(work, "root")
        os.makedirs(os.path.join(empty_root, "etc"))
        shutil.copytree(os.path.join(root, "usr"), os.path.join(empty_root, "usr"))
        run(["systemd-sysusers", f"--root={empty_root}", "herald.conf"])
        users = open(os.path.join(empty_root, "etc/passwd"), encoding="utf-8").read()
        herald = re.search(r"^herald:x:(\d+):(\d+):[^:]*:/var/lib/herald:(\S+)$", users, re.M)
        t.check("sysusers: a herald system user at home in /var/lib/herald, no login shell",
                herald and int(herald.group(1)) < 1000 and herald.group(3).endswith("nologin"),
                users)
        run(["systemd-tmpfiles", f"--root={empty_root}", "--create", "herald.conf"])
        state = os.stat(os.path.join(empty_root, "var/lib/herald"))
        t.check("tmpfiles: /var/lib/herald 0750, owned by herald",
                herald and oct(state.st_mode & 0o777) == "0o750" and
                state.st_uid == int(herald.group(1)) and state.st_gid == int(herald.group(2)),
                (oct(state.st_mode), state.st_uid, state.st_gid))
    finally:
        remove_tree(root)
        remove_tree(work)
    t.done()


if __name__ == "__main__":
    main(*sys.argv[1:])
