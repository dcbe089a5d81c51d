# SPDX-License-Identifier: Apache-2.0
"""The Windows installer of the client, built on Linux from a STAND-IN tree: the MSI that
packaging/windows/build-msi.sh makes with wixl is checked table by table with msiinfo, and
installed, upgraded, refused as a downgrade and uninstalled with Wine's msiexec in a throwaway
WINEPREFIX. What this does NOT verify: the Windows build of herald.exe and of its Qt DLLs
(the tree holds stand-ins: a stub PE with the real resources, and text files), running the
client on Windows, its toasts, and Windows' own msiexec (Wine's differs; docs/PACKAGING.md).

Installs what it needs from Debian's archive if missing (as root or with sudo -n): wixl,
msitools, binutils-mingw-w64-x86-64 and wine. The Wine steps are skipped, with a message, only
if wine cannot be installed.

Usage: tst_msi.py SOURCE_DIR VERSION [--require]   (--require: no wine fails, not skips)
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

from packagingtest import Checks, remove_tree, run

UPGRADE_CODE = "{36FE6BF2-BFD3-4CF9-BCF0-C431293923CC}"
# Components herald.wxs names, with the GUIDs they keep for ever.
NAMED_COMPONENTS = {
    "HeraldExe": "{1FACF73A-70AF-4C64-A1F3-93E359AA27DF}",
    "InstallDir": "{4F3B9C1E-6A52-4D0B-9E47-2C8D51A7E603}",
    "StartMenuShortcut": "{198F0E73-9073-444C-86FB-416876FDA023}",
    "Autostart": "{CE8C66D7-5A68-43FC-879F-7ECAE7775B4D}",
}
APP_ID = "org.herald.Herald"
RUN_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
UNINSTALL_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall"
TOOLS = {"wixl": "wixl", "wixl-heat": "wixl", "msibuild": "msitools", "msiinfo": "msitools",
         "msiextract": "msitools", "x86_64-w64-mingw32-windres": "binutils-mingw-w64-x86-64"}


def apt_install(packages):
    """apt-get install as root or through sudo -n; True if it worked."""
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and (not shutil.which("sudo") or
                 subprocess.run(sudo + ["true"], capture_output=True).returncode != 0):
        print(f"cannot install {' '.join(packages)}: neither root nor sudo -n")
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                      "-o", "DPkg::Lock::Timeout=180"] + packages
    print(f"installing {' '.join(packages)} from Debian's archive", flush=True)
    if run(install, check=False, env=env).returncode == 0:
        return True
    run(sudo + ["apt-get", "update", "-qq"], check=False, env=env)
    result = run(install, check=False, env=env)
    if result.returncode != 0:
        print(result.stdout + result.stderr)
    return result.returncode == 0


def ensure_tools():
    missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
    if missing and not apt_install(missing):
        sys.exit(f"tst_msi: needs {' '.join(missing)} (apt-get install them)")
    if not shutil.which("wine") and not apt_install(["wine", "wine64"]):
        return False
    return bool(shutil.which("wine"))


def table(msi, name):
    """Rows of an MSI table as lists of strings (msiinfo export: 3 header lines)."""
    lines = run(["msiinfo", "export", msi, name]).stdout.splitlines()
    return [line.split("\t") for line in lines[3:] if line]


def properties(msi):
    return {row[0]: row[1] for row in table(msi, "Property")}


def directory_paths(msi):
    """Directory key -> its path from TARGETDIR, e.g. ProgramFiles64Folder/Herald/bin."""
    rows = {row[0]: (row[1], row[2].split("|")[-1]) for row in table(msi, "Directory")}

    def path(key):
        parent, name = rows[key]
        if not parent:
            return ""
        name = key if parent == "TARGETDIR" and name == "." else name
        base = path(parent)
        return base if name == "." else f"{base}/{name}".lstrip("/")
    return {key: path(key) for key in rows}


def installed_layout(msi):
    """Each file of the File table as 'ProgramFiles64Folder/Herald/bin/herald.exe'."""
    directories = directory_paths(msi)
    component_dir = {row[0]: row[2] for row in table(msi, "Component")}
    return {f"{directories[component_dir[row[1]]]}/{row[2].split('|')[-1]}"
            for row in table(msi, "File")}


def staged_files(stage):
    return {os.path.relpath(os.path.join(d, n), stage) for d, _, ns in os.walk(stage) for n in ns}


def pe_facts(path):
    """(subsystem, file version from VS_FIXEDFILEINFO, has a group icon) of a PE file."""
    data = open(path, "rb").read()
    if data[:2] != b"MZ":
        return None
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    subsystem = struct.unpack_from("<H", data, pe + 24 + 68)[0]
    fixed = data.find(struct.pack("<I", 0xFEEF04BD))
    version = None
    if fixed >= 0:
        ms, ls = struct.unpack_from("<II", data, fixed + 8)
        version = f"{ms >> 16}.{ms & 0xFFFF}.{ls >> 16}.{ls & 0xFFFF}"
    return subsystem, version, "IDI_HERALD".encode("utf-16-le") in data


def build(t, source, version, out, name, work=None):
    msi = os.path.join(out, name)
    args = [os.path.join(source, "packaging/windows/build-msi.sh"), "--output", msi]
    args += ["--version", version] if version else []
    args += ["--work", work] if work else []
    result = run(args, check=False)
    t.check(f"build-msi.sh builds {name}", result.returncode == 0 and os.path.isfile(msi),
            result.stdout + result.stderr)
    return msi


def check_tables(t, msi, again, newer, stage, source, version):
    props = properties(msi)
    t.check(f"ProductVersion is CMake's project(VERSION) {version}",
            props.get("ProductVersion") == version, props.get("ProductVersion"))
    t.check("ProductName Herald, Manufacturer set", props.get("ProductName") == "Herald" and
            props.get("Manufacturer") == "The Herald authors", props)
    codes = [properties(m).get("UpgradeCode") for m in (msi, again, newer)]
    t.check(f"UpgradeCode {UPGRADE_CODE} in both builds and the newer version",
            codes == [UPGRADE_CODE] * 3, codes)
    t.check("a new ProductCode per build (major upgrades)",
            props.get("ProductCode") != properties(again).get("ProductCode"))
    t.check("per-machine install scope (ALLUSERS=1)", props.get("ALLUSERS") == "1", props)
    summary = run(["msiinfo", "suminfo", msi]).stdout
    t.check("64-bit package (Template x64;1033)", "Template: x64;1033" in summary, summary)

    upgrade = table(msi, "Upgrade")
    t.check("MajorUpgrade: older versions found and removed, newer ones refused",
            any(r[:3] == [UPGRADE_CODE, "", version] for r in upgrade) and
            any(r[0] == UPGRADE_CODE and r[1] == version and "DOWNGRADE" in r[-1]
                for r in upgrade), upgrade)
    sequence = {row[0] for row in table(msi, "InstallExecuteSequence")}
    t.check("FindRelatedProducts and RemoveExistingProducts scheduled",
            {"FindRelatedProducts", "RemoveExistingProducts"} <= sequence, sorted(sequence))

    expected = {"ProgramFiles64Folder/Herald/" + f for f in staged_files(stage)}
    layout = installed_layout(msi)
    t.check("every staged file, and nothing else, under Program Files\\Herald in its dir",
            layout == expected, f"extra {sorted(layout - expected)}, "
            f"missing {sorted(expected - layout)}")
    components = {row[0]: row for row in table(msi, "Component")}
    named = {k: components.get(k, [None, None])[1] for k in NAMED_COMPONENTS}
    t.check("named components keep their GUIDs", named == NAMED_COMPONENTS, named)
    t.check("every component 64-bit", all(int(r[3]) & 256 for r in components.values()),
            [r[0] for r in components.values() if not int(r[3]) & 256])
    again_ids = {row[0]: row[1] for row in table(again, "Component")}
    t.check("component GUIDs the same in a second build",
            again_ids == {k: r[1] for k, r in components.items()})

    shortcuts = table(msi, "Shortcut")
    t.check("one Start-menu shortcut 'Herald' to herald.exe with the icon",
            len(shortcuts) == 1 and shortcuts[0][1:5] ==
            ["ProgramMenuFolder", "Herald", "StartMenuShortcut", "[#herald.exe]"] and
            shortcuts[0][8] == "herald.ico", shortcuts)
    aumid = table(msi, "MsiShortcutProperty")
    t.check(f"shortcut's AppUserModelID (MsiShortcutProperty) is {APP_ID}",
            [r[1:] for r in aumid] == [["HeraldShortcut", "System.AppUserModel.ID", APP_ID]],
            aumid)
    icon = subprocess.run(["msiinfo", "extract", msi, "Icon.herald.ico"],
                          capture_output=True).stdout
    t.check("icon (shortcut, Installed apps) is resources/icons/herald.ico",
            icon == open(os.path.join(source, "resources/icons/herald.ico"), "rb").read() and
            props.get("ARPPRODUCTICON") == "herald.ico")
    registry = {row[0]: row for row in table(msi, "Registry")}
    run_values = [r for r in registry.values() if r[2].endswith(r"CurrentVersion\Run")]
    t.check("autostart: HKCU Run value 'Herald' = quoted herald.exe, client's own format",
            [r[1:] for r in run_values] == [["1", r"Software\Microsoft\Windows\CurrentVersion\Run",
                                            "Herald", '"[#herald.exe]"', "Autostart"]], run_values)
    t.check("autostart only with AUTOSTART=1", components["Autostart"][4].startswith(
        "AUTOSTART = 1"), components["Autostart"][4])

    extracted = tempfile.mkdtemp(prefix="herald-msiextract-")
    try:
        run(["msiextract", "-C", extracted, msi])
        root = os.path.join(extracted, "Herald")
        same = all(open(os.path.join(root, f), "rb").read() ==
                   open(os.path.join(stage, f), "rb").read() for f in staged_files(stage))
        t.check("cabinet holds the staged files byte for byte", same)
    finally:
        remove_tree(extracted)


def check_standin_exe(t, stage, version):
    facts = pe_facts(os.path.join(stage, "bin/herald.exe"))
    t.check("stand-in herald.exe: PE, GUI subsystem, VERSIONINFO " + version + ".0, icon "
            "(herald.rc through windres)", facts == (2, version + ".0", True), facts)


class Wine:
    def __init__(self):
        self.prefix = tempfile.mkdtemp(prefix="herald-wine-")
        self.env = dict(os.environ, WINEPREFIX=self.prefix, WINEDEBUG="-all",
                        WINEDLLOVERRIDES="mscoree,mshtml=", DISPLAY="")
        self.drive_c = os.path.join(self.prefix, "drive_c")

    def __call__(self, *args, timeout=120):
        """(exit code, output). The output goes through a file, not a pipe: Wine's services,
        which the persistent wineserver keeps, would hold a pipe open."""
        with tempfile.TemporaryFile() as out:
            code = subprocess.run(["wine"] + list(args), env=self.env, stdout=out,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  timeout=timeout).returncode
            out.seek(0)
            return code, out.read().decode(errors="replace")

    def msiexec(self, *args):
        return self("msiexec", *args, "/qn")[0]

    def reg_value(self, key, name):
        out = self("reg", "query", key, "/v", name)[1]
        found = re.search(rf"^\s+{re.escape(name)}\s+REG_\w+\s+(.*?)\s*$", out, re.M)
        return found.group(1) if found else None

    def key_exists(self, key):
        return self("reg", "query", key)[0] == 0

    def shortcuts(self):
        return [os.path.join(d, n) for d, _, ns in os.walk(self.drive_c) for n in ns
                if n.lower() == "herald.lnk"]

    def server(self, *args):
        """This prefix's wineserver: -p keeps it between the calls (each is then fast)."""
        found = shutil.which("wineserver") or shutil.which("wineserver-stable") or next(
            (p for p in ("/usr/lib/wine/wineserver64", "/usr/lib/wine/wineserver")
             if os.path.exists(p)), None)
        if found:  # no pipes: a persistent server would hold them open
            subprocess.run([found] + list(args), env=self.env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    def close(self):
        self.server("-k")
        remove_tree(self.prefix)


def check_wine(t, msi, newer, stage, version, newer_version):
    wine = Wine()
    try:
        boot = wine("wineboot", "--init", timeout=180)
        wine.server("-p")
        if not t.check("wineboot makes a WINEPREFIX",
                       os.path.isdir(os.path.join(wine.drive_c, "Program Files")), boot[1]):
            return
        herald = os.path.join(wine.drive_c, "Program Files", "Herald")
        code = properties(msi)["ProductCode"]
        newer_code = properties(newer)["ProductCode"]

        t.check(f"wine msiexec /i {os.path.basename(msi)}", wine.msiexec("/i", msi) == 0)
        same = all(os.path.isfile(os.path.join(herald, f)) and
                   open(os.path.join(herald, f), "rb").read() ==
                   open(os.path.join(stage, f), "rb").read() for f in staged_files(stage))
        t.check("installed: every file under C:\\Program Files\\Herald as staged", same)
        links = wine.shortcuts()
        target = "C:\\Program Files\\Herald\\bin\\herald.exe".encode()
        t.check("installed: Start-menu Herald.lnk pointing to herald.exe", len(links) == 1 and
                target in open(links[0], "rb").read(), links)
        if links:
            print(f"INFO: Wine put the shortcut in {os.path.relpath(links[0], wine.drive_c)} "
                  "(Windows: the all-users Start menu) and ignores MsiShortcutProperty, so the "
                  ".lnk's AppUserModelID is checked in the MSI only")
        t.check("installed: Installed-apps entry with DisplayVersion " + version,
                wine.reg_value(f"{UNINSTALL_KEY}\\{code}", "DisplayVersion") == version)
        t.check("installed: HKLM\\Software\\Herald InstallDir",
                wine.reg_value(r"HKLM\Software\Herald", "InstallDir") ==
                "C:\\Program Files\\Herald\\")
        t.check("no autostart value without AUTOSTART=1",
                wine.reg_value(RUN_KEY, "Herald") is None)

        t.check(f"upgrade to {newer_version} with AUTOSTART=1",
                wine.msiexec("/i", newer, "AUTOSTART=1") == 0)
        t.check(f"upgrade: {version} removed, {newer_version} registered",
                not wine.key_exists(f"{UNINSTALL_KEY}\\{code}") and
                wine.reg_value(f"{UNINSTALL_KEY}\\{newer_code}", "DisplayVersion") ==
                newer_version)
        t.check("upgrade: files and one shortcut still there",
                os.path.isfile(os.path.join(herald, "bin", "herald.exe")) and
                len(wine.shortcuts()) == 1)
        t.check("AUTOSTART=1: HKCU Run 'Herald' = the quoted herald.exe",
                wine.reg_value(RUN_KEY, "Herald") ==
                '"C:\\Program Files\\Herald\\bin\\herald.exe"')

        t.check(f"downgrade to {version} refused", wine.msiexec("/i", msi) != 0 and
                wine.key_exists(f"{UNINSTALL_KEY}\\{newer_code}"))

        t.check("wine msiexec /x uninstalls", wine.msiexec("/x", newer) == 0)
        t.check("uninstalled: C:\\Program Files\\Herald gone", not os.path.exists(herald),
                sorted(staged_files(herald)) if os.path.isdir(herald) else "")
        t.check("uninstalled: no Herald.lnk", not wine.shortcuts(), wine.shortcuts())
        t.check("uninstalled: no autostart value, no HKLM\\Software\\Herald, no Installed-apps "
                "entry", wine.reg_value(RUN_KEY, "Herald") is None and
                not wine.key_exists(r"HKLM\Software\Herald") and
                not wine.key_exists(f"{UNINSTALL_KEY}\\{newer_code}"))
    finally:
        wine.close()


def main(source, version, require):
    t = Checks("tst_msi")
    have_wine = ensure_tools()
    out = tempfile.mkdtemp(prefix="herald-msi-")
    try:
        major, minor, patch = version.split(".")
        newer_version = f"{major}.{minor}.{int(patch) + 1}"
        work = os.path.join(out, "work")
        msi = build(t, source, None, out, "herald-STANDIN.msi", work)
        again = build(t, source, None, out, "herald-again-STANDIN.msi")
        newer = build(t, source, newer_version, out, "herald-newer-STANDIN.msi")
        if t.failed:
            t.done()
        stage = os.path.join(work, "stage-STANDIN")
        check_standin_exe(t, stage, version)
        check_tables(t, msi, again, newer, stage, source, version)
        if have_wine:
            check_wine(t, msi, newer, stage, version, newer_version)
        elif not t.check("wine installed (--require)", not require):
            pass
        else:
            print("SKIP: wine could not be installed from the archive: the MSI was not "
                  "installed, upgraded or uninstalled")
    finally:
        remove_tree(out)
    t.done()


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or sys.argv[3:] not in ([], ["--require"]):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:] == ["--require"])
