# SPDX-License-Identifier: Apache-2.0
"""One version everywhere: project(Herald VERSION) in CMakeLists.txt is the only place it is
written for the binaries; this checks that what reaches users says the same. herald-syncd
--version and /healthz (the daemon started with the shipped configuration), herald --version,
the AppStream <release> (and its date, the CHANGELOG.md entry's), the top entries of
CHANGELOG.md and of the Debian changelog, and the man pages' headers.

Usage: tst_version.py VERSION SOURCE_DIR HERALD_SYNCD [HERALD]
"""
import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

from packagingtest import Checks, Daemon, remove_tree, run


def main(version, source, syncd, client=None):
    t = Checks("tst_version")
    t.check("version is MAJOR.MINOR.PATCH", re.fullmatch(r"\d+\.\d+\.\d+", version), version)

    out = run([syncd, "--version"]).stdout.strip()
    t.check("herald-syncd --version", out == f"herald-syncd {version}", out)
    if client:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        out = run([client, "--version"], env=env).stdout.strip()
        t.check("herald --version", out == f"herald {version}", out)

    changelog = open(os.path.join(source, "CHANGELOG.md"), encoding="utf-8").read()
    top = re.search(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    t.check("CHANGELOG.md's newest entry is this version", top and top.group(1) == version,
            top.group(0) if top else "no '## [X.Y.Z] - YYYY-MM-DD' heading")
    released = top.group(2) if top else None

    metainfo = ET.parse(os.path.join(source, "resources", "org.herald.Herald.metainfo.xml"))
    first = metainfo.getroot().find("releases/release")
    t.check("AppStream release is this version, on the CHANGELOG.md date",
            first is not None and first.get("version") == version and
            first.get("date") == released,
            None if first is None else dict(first.attrib))

    debian = open(os.path.join(source, "packaging", "debian", "changelog"),
                  encoding="utf-8").readline()
    t.check("Debian changelog's newest entry is VERSION-1",
            debian.startswith(f"herald ({version}-1) "), debian.strip())

    for page in ("herald-syncd.1", "herald-syncd.ini.5", "herald.1"):
        head = open(os.path.join(source, "packaging", "man", page), encoding="utf-8").readline()
        t.check(f"man page {page} names Herald {version}", f'"Herald {version}"' in head,
                head.strip())

    # /healthz from the daemon as configured by the shipped INI file (only the port and the
    # database replaced): the shipped file must load, and the version reach the wire.
    data = tempfile.mkdtemp(prefix="herald-version-")
    try:
        config = os.path.join(source, "packaging", "herald-syncd.ini")
        with Daemon([syncd, "--config", config, "--database",
                     os.path.join(data, "herald.db")]) as daemon:
            port = daemon.wait_listening()
            if t.check("daemon starts with packaging/herald-syncd.ini", port, "".join(daemon.log)):
                status, body = daemon.get("/healthz")
                health = json.loads(body)
                t.check("/healthz version", status == 200 and health.get("version") == version,
                        body)
    finally:
        remove_tree(data)
    t.done()


if __name__ == "__main__":
    main(*sys.argv[1:])
