# SPDX-License-Identifier: Apache-2.0
"""The Debian packages as `cpack -G DEB` makes them from this build: herald-syncd and herald
with their -dbgsym packages, the dependencies dpkg-shlibdeps cannot see (Qt's SQLite driver,
the PostgreSQL one recommended), stripped binaries whose debug information is in the -dbgsym
package under their build id, and lintian with no error and no warning but the ones
docs/PACKAGING.md explains. Leaves the packages in OUTPUT_DIR for tst_deb_install.

Usage: tst_deb.py BUILD_DIR OUTPUT_DIR VERSION [server] [client]
"""
import os
import re
import shutil
import sys
import tempfile
import time

from packagingtest import Checks, remove_tree, run

# Warnings lintian gives that are intended (docs/PACKAGING.md, "lintian").
# (package, tag, what it points at)
ACCEPTED_WARNINGS = {
    # Not uploaded to Debian: there is no ITP bug to close.
    ("herald", "initial-upload-closes-no-bugs", "usr/share/doc/herald/changelog.Debian.gz:1"),
    ("herald-syncd", "initial-upload-closes-no-bugs",
     "usr/share/doc/herald-syncd/changelog.Debian.gz:1"),
    # The configuration may hold the cluster secret: root and the herald group only.
    ("herald-syncd", "non-standard-file-perm", "etc/herald/herald-syncd.ini"),
}
PACKAGES = {"server": "herald-syncd", "client": "herald"}
BINARIES = {"server": "usr/bin/herald-syncd", "client": "usr/bin/herald"}


def field(deb, name):
    return run(["dpkg-deb", "--field", deb, name]).stdout.strip()


def build_id(binary):
    notes = run(["readelf", "--notes", binary]).stdout
    found = re.search(r"Build ID: ([0-9a-f]+)", notes)
    return found.group(1) if found else None


def check_package(t, output, component, version, arch):
    name = PACKAGES[component]
    deb = os.path.join(output, f"{name}_{version}-1_{arch}.deb")
    ddeb = os.path.join(output, f"{name}-dbgsym_{version}-1_{arch}.ddeb")
    if not t.check(f"{name}: package and -dbgsym built", os.path.isfile(deb) and
                   os.path.isfile(ddeb), sorted(os.listdir(output))):
        return
    depends = field(deb, "Depends")
    t.check(f"{name}: Depends from dpkg-shlibdeps", "libqt6core6" in depends, depends)
    if component == "server":
        t.check("herald-syncd: Depends on Qt's SQLite driver", re.search(
            r"(^|, )libqt6sql6-sqlite(,|$)", depends), depends)
        t.check("herald-syncd: Recommends Qt's PostgreSQL driver",
                field(deb, "Recommends") == "libqt6sql6-psql")
        t.check("herald-syncd: conffile", run(["dpkg-deb", "--info", deb, "conffiles"]).stdout
                .split() == ["/etc/herald/herald-syncd.ini"])
    else:
        t.check("herald: Depends on QtKeychain", "libqt6keychain1" in depends, depends)
    t.check(f"{name}-dbgsym: depends on exactly {name} {version}-1",
            field(ddeb, "Depends") == f"{name} (= {version}-1)", field(ddeb, "Depends"))

    tree = tempfile.mkdtemp(prefix="herald-deb-")
    try:
        run(["dpkg-deb", "--extract", deb, os.path.join(tree, "deb")])
        run(["dpkg-deb", "--extract", ddeb, os.path.join(tree, "ddeb")])
        binary = os.path.join(tree, "deb", BINARIES[component])
        if component == "server" and "libmimalloc" in run(["readelf", "--dynamic", binary]).stdout:
            # HERALD_ALLOCATOR found mimalloc: shlibdeps must have named its package.
            t.check("herald-syncd: Depends on the mimalloc it links",
                    re.search(r"(^|, )libmimalloc2\.0( |,|$)", depends), depends)
        sections = run(["readelf", "--section-headers", binary]).stdout
        t.check(f"{name}: binary stripped", ".debug_info" not in sections and
                ".symtab" not in sections)
        bid = build_id(binary)
        debug = os.path.join(tree, "ddeb", "usr/lib/debug/.build-id", bid[:2], bid[2:] + ".debug")
        t.check(f"{name}-dbgsym: debug information under the binary's build id",
                os.path.isfile(debug) and ".debug_info" in
                run(["readelf", "--section-headers", debug]).stdout, bid)
    finally:
        remove_tree(tree)


def lint(t, packages):
    result = run(["lintian", "--pedantic", "--tag-display-limit", "0"] + packages, check=False)
    print(result.stdout, end="")
    # "W: package: tag [details] [pointer]"
    line = re.compile(r"([EWIPX]): (\S+): (\S+)(?: [^[]*)?(?: ?\[(.*)\])?$")
    tags = [line.match(text) for text in result.stdout.splitlines()]
    tags = [m for m in tags if m]
    errors = [m.group(0) for m in tags if m.group(1) == "E"]
    warnings = {(m.group(2), m.group(3), m.group(4)) for m in tags if m.group(1) == "W"}
    # lintian exits 1 on an error tag, 2 when it could not check at all.
    t.check("lintian: no error", not errors and result.returncode == 0,
            "\n".join(errors) + result.stderr)
    t.check("lintian: no warning but the accepted ones", warnings <= ACCEPTED_WARNINGS,
            sorted(warnings - ACCEPTED_WARNINGS))


def main(build, output, version, *components):
    t = Checks("tst_deb")
    shutil.rmtree(output, ignore_errors=True)
    os.makedirs(output)
    started = time.monotonic()
    run(["cpack", "-G", "DEB", "-B", output, "--config", os.path.join(build, "CPackConfig.cmake")])
    print(f"cpack: {time.monotonic() - started:.1f} s")
    shutil.rmtree(os.path.join(output, "_CPack_Packages"), ignore_errors=True)
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    for component in components:
        check_package(t, output, component, version, arch)
    started = time.monotonic()
    lint(t, sorted(os.path.join(output, f) for f in os.listdir(output)))
    print(f"lintian: {time.monotonic() - started:.1f} s")
    t.done()


if __name__ == "__main__":
    main(*sys.argv[1:])
