# SPDX-License-Identifier: Apache-2.0
"""The install tree of each component, as `cmake --install --component` stages it: exactly the
files each package must hold (no more, no fewer), the configuration readable by its owner and
group only, a service file that names the installed binary and configuration for the prefix
given at install time (/usr: /etc; /usr/local: /usr/local/etc), and the client's desktop
metadata under the app id org.herald.Herald, checked by desktop-file-validate and
appstreamcli validate-tree, with the icon and notifyrc they name present.

Usage: tst_install_tree.py SOURCE_DIR BUILD_DIR [server] [client]
"""
import configparser
import os
import re
import stat
import sys

from packagingtest import Checks, files_under, remove_tree, run, stage

APP_ID = "org.herald.Herald"
DOCS = ["copyright", "changelog.gz", "changelog.Debian.gz"]
SERVER = {
    "/usr/bin/herald-syncd",
    "/usr/lib/systemd/system/herald-syncd.service",
    "/usr/lib/sysusers.d/herald.conf",
    "/usr/lib/tmpfiles.d/herald.conf",
    "/etc/herald/herald-syncd.ini",
    "/usr/share/man/man1/herald-syncd.1.gz",
    "/usr/share/man/man5/herald-syncd.ini.5.gz",
    "/usr/share/bash-completion/completions/herald-syncd",
} | {f"/usr/share/doc/herald-syncd/{d}" for d in DOCS}
CLIENT = {
    "/usr/bin/herald",
    f"/usr/share/applications/{APP_ID}.desktop",
    f"/usr/share/metainfo/{APP_ID}.metainfo.xml",
    f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
    "/usr/share/knotifications6/herald.notifyrc",
    "/usr/share/man/man1/herald.1.gz",
    "/usr/share/bash-completion/completions/herald",
} | {f"/usr/share/doc/herald/{d}" for d in DOCS}


def service_lines(root, prefix):
    path = os.path.join(root, prefix.lstrip("/"), "lib/systemd/system/herald-syncd.service")
    return open(path, encoding="utf-8").read().splitlines()


def check_server(t, build):
    root = stage(build, ["server"])
    try:
        got = files_under(root)
        t.check("server: exactly its files", got == SERVER,
                f"missing {sorted(SERVER - got)}, extra {sorted(got - SERVER)}")
        mode = stat.S_IMODE(os.stat(os.path.join(root, "etc/herald/herald-syncd.ini")).st_mode)
        t.check("server: configuration is 0640", mode == 0o640, oct(mode))
        lines = service_lines(root, "/usr")
        t.check("server: service runs /usr/bin/herald-syncd with /etc/herald/herald-syncd.ini",
                "ExecStart=/usr/bin/herald-syncd --config /etc/herald/herald-syncd.ini" in lines)
        t.check("server: no unreplaced @VARIABLE@ in the service",
                not any(re.search(r"@[A-Za-z_]+@", line) for line in lines))
    finally:
        remove_tree(root)
    # Another prefix: the configuration follows it, and the service names both paths.
    root = stage(build, ["server"], prefix="/usr/local")
    try:
        got = files_under(root)
        t.check("server at /usr/local: configuration in /usr/local/etc/herald",
                "/usr/local/etc/herald/herald-syncd.ini" in got and
                not any(f.startswith("/etc/") for f in got), sorted(got))
        t.check("server at /usr/local: service names /usr/local paths",
                "ExecStart=/usr/local/bin/herald-syncd --config "
                "/usr/local/etc/herald/herald-syncd.ini" in service_lines(root, "/usr/local"))
    finally:
        remove_tree(root)


def check_client(t, source, build):
    root = stage(build, ["client"])
    try:
        got = files_under(root)
        t.check("client: exactly its files", got == CLIENT,
                f"missing {sorted(CLIENT - got)}, extra {sorted(got - CLIENT)}")
        desktop = os.path.join(root, f"usr/share/applications/{APP_ID}.desktop")
        result = run(["desktop-file-validate", desktop], check=False)
        t.check("client: desktop-file-validate", result.returncode == 0 and not result.stdout,
                result.stdout + result.stderr)
        result = run(["appstreamcli", "validate-tree", "--no-net", root], check=False)
        t.check("client: appstreamcli validate-tree (metainfo, its desktop file)",
                result.returncode == 0, result.stdout + result.stderr)

        entry = configparser.ConfigParser(interpolation=None, strict=False)
        entry.optionxform = str
        entry.read(desktop, encoding="utf-8")
        icon = entry["Desktop Entry"].get("Icon")
        t.check("client: desktop Icon is the app id, installed in hicolor",
                icon == APP_ID and
                f"/usr/share/icons/hicolor/scalable/apps/{icon}.svg" in got, icon)

        notifyrc = configparser.ConfigParser(interpolation=None, strict=False)
        notifyrc.optionxform = str
        notifyrc.read(os.path.join(root, "usr/share/knotifications6/herald.notifyrc"),
                      encoding="utf-8")
        t.check("client: notifyrc names the app's icon and desktop entry",
                notifyrc.get("Global", "IconName", fallback=None) == APP_ID and
                notifyrc.get("Global", "DesktopEntry", fallback=None) == APP_ID)
        # Without the event's section KDE shows nothing for it.
        kf = open(os.path.join(source, "client/notify/kfnotifier.cpp"), encoding="utf-8").read()
        events = set(re.findall(r'new KNotification\(u"([^"]+)"_s', kf))
        t.check("client: notifyrc has every event KfNotifier sends, shown as a popup",
                events and all(notifyrc.get(f"Event/{e}", "Action", fallback="") == "Popup"
                               for e in events), sorted(events))
    finally:
        remove_tree(root)


def main(source, build, *components):
    t = Checks("tst_install_tree")
    if "server" in components:
        check_server(t, build)
    if "client" in components:
        check_client(t, source, build)
    t.done()


if __name__ == "__main__":
    main(*sys.argv[1:])
