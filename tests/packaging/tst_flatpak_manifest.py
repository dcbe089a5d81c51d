# SPDX-License-Identifier: Apache-2.0
"""The Flatpak manifest, offline (no runtime, no network: nothing is built or downloaded). It
parses (`flatpak-builder --show-manifest`), names the app id, the KDE 6 runtime and the least
permissions the client needs, pins every fetched source to a commit, builds Herald from this
repository without the daemon; and the client component installed with the prefix /app, as
flatpak-builder installs it, holds the command and the files Flatpak exports, each named after
the app id (Flatpak exports no other), valid for desktop-file-validate and appstreamcli.

Usage: tst_flatpak_manifest.py SOURCE_DIR BUILD_DIR
"""
import json
import os
import re
import sys
import tempfile

from packagingtest import Checks, files_under, remove_tree, run, stage

APP_ID = "org.herald.Herald"
FINISH_ARGS = {
    "--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
    "--talk-name=org.freedesktop.Notifications", "--talk-name=org.kde.StatusNotifierWatcher",
    "--own-name=org.kde.StatusNotifierItem-2-2", "--talk-name=org.freedesktop.secrets",
}
EXPORTED = ("/app/share/applications/", "/app/share/metainfo/", "/app/share/icons/")


def check_manifest(t, source):
    path = os.path.join(source, "packaging", "flatpak", f"{APP_ID}.yml")
    # flatpak-builder keeps a state directory (.flatpak-builder) in its working directory.
    scratch = tempfile.mkdtemp(prefix="herald-flatpak-")
    try:
        result = run(["flatpak-builder", "--show-manifest", path], check=False, cwd=scratch)
    finally:
        remove_tree(scratch)
    if not t.check("flatpak-builder --show-manifest parses it", result.returncode == 0,
                   result.stderr):
        return None
    manifest = json.loads(result.stdout)
    t.check("app id", manifest.get("id") == APP_ID, manifest.get("id"))
    t.check("KDE 6 runtime and SDK", manifest.get("runtime") == "org.kde.Platform" and
            manifest.get("sdk") == "org.kde.Sdk" and
            re.fullmatch(r"6\.\d+", manifest.get("runtime-version", "")))
    args = set(manifest.get("finish-args", []))
    t.check("finish-args: exactly the permissions the client needs", args == FINISH_ARGS,
            f"extra {sorted(args - FINISH_ARGS)}, missing {sorted(FINISH_ARGS - args)}")
    modules = {m["name"]: m for m in manifest.get("modules", [])}
    t.check("modules for what the runtime lacks, then herald",
            list(modules) == ["libsecret", "qtkeychain", "tl-expected", "herald"], list(modules))
    for module in modules.values():
        for src in module.get("sources", []):
            if src.get("type") == "git":
                t.check(f"{module['name']}: pinned to a commit",
                        re.fullmatch(r"[0-9a-f]{40}", src.get("commit", "")), src)
    herald = modules.get("herald", {})
    opts = herald.get("config-opts", [])
    t.check("herald: the client only, no tests",
            "-DHERALD_BUILD_SYNCD=OFF" in opts and "-DHERALD_BUILD_TESTS=OFF" in opts, opts)
    dirs = [s for s in herald.get("sources", []) if s.get("type") == "dir"]
    root = os.path.normpath(os.path.join(os.path.dirname(path), dirs[0]["path"])) if dirs else ""
    t.check("herald: built from this repository", root and os.path.samefile(root, source), root)
    return manifest


def check_install(t, build, manifest):
    root = stage(build, ["client"], prefix="/app")
    try:
        got = files_under(root)
        command = manifest.get("command") if manifest else "herald"
        t.check("the command is installed", f"/app/bin/{command}" in got, sorted(got))
        exported = sorted(f for f in got if f.startswith(EXPORTED))
        t.check("exports: desktop file, metainfo and icon",
                f"/app/share/applications/{APP_ID}.desktop" in exported and
                f"/app/share/metainfo/{APP_ID}.metainfo.xml" in exported and
                any(f.startswith("/app/share/icons/hicolor/") for f in exported), exported)
        t.check("exports: every one named after the app id",
                all(os.path.basename(f).startswith(APP_ID + ".") for f in exported), exported)
        t.check("KNotifications finds the notifyrc in the app",
                "/app/share/knotifications6/herald.notifyrc" in got)
        desktop = os.path.join(root, f"app/share/applications/{APP_ID}.desktop")
        result = run(["desktop-file-validate", desktop], check=False)
        t.check("desktop-file-validate", result.returncode == 0 and not result.stdout,
                result.stdout + result.stderr)
        result = run(["appstreamcli", "validate-tree", "--no-net", os.path.join(root, "app")],
                     check=False)
        t.check("appstreamcli validate-tree", result.returncode == 0,
                result.stdout + result.stderr)
    finally:
        remove_tree(root)


def main(source, build):
    t = Checks("tst_flatpak_manifest")
    manifest = check_manifest(t, source)
    check_install(t, build, manifest)
    t.done()


if __name__ == "__main__":
    main(*sys.argv[1:])
