# SPDX-License-Identifier: Apache-2.0
"""Takes the README's screenshots under Xvfb: the setup dialog, the tray menu (with a dunst
popup beside it), the list window and the list window once the inbox is empty. Usage (see scripts/screenshots.sh):
dbus-run-session -- /usr/bin/python3 screenshots.py HERALD_SYNCD HERALD OUTDIR
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desktop import Desktop, wait_for  # noqa: E402


def xdotool(d, *args):
    return subprocess.run(["xdotool", *args], env=d.env, capture_output=True, text=True,
                          timeout=10)


def window(d, title):
    out = wait_for(f"window '{title}'", lambda: xdotool(d, "search", "--onlyvisible", "--name",
                                                       title).stdout.split(), timeout=15)
    return out[0]


def settle():
    # Screenshots need the last paint on screen; there is no event to wait for.
    time.sleep(0.7)


def main():
    syncd, herald, out = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    d = Desktop(syncd, herald)
    try:
        d.start_desktop(monitor=False, channels=("deploys", "alerts", "ops"))
        d.publish("deploys", "api v2.3 is live", "Rolled out to 12 of 12 hosts",
                  url="https://ci.example.org/run/1842",
                  actions=[{"id": "log", "label": "Build log",
                            "url": "https://ci.example.org/run/1842/log"}])
        d.publish("alerts", "Disk 91% full on db1", "/var/lib/postgresql grows 2 GB a day; at "
                  "this rate the volume is full on Friday. Old WAL segments are not removed "
                  "since the archive command fails.", priority="high")
        d.publish("ops", "Nightly backup done", "412 GB in 38 minutes")

        # 1. First run: the setup dialog, filled in and tested.
        d.start_herald()
        win = window(d, "Set up Herald")
        xdotool(d, "windowmove", win, "250", "90")
        xdotool(d, "windowfocus", "--sync", win)
        xdotool(d, "type", "--delay", "5", f"http://127.0.0.1:{d.port}")
        xdotool(d, "key", "Tab")
        xdotool(d, "type", "--delay", "5", "alice")
        xdotool(d, "key", "Tab")
        xdotool(d, "type", "--delay", "2", d.user_token)
        xdotool(d, "key", "Tab", "space")
        wait_for("channels from the server", lambda: "Connected" in d.log("herald") or
                 "probe of" in d.log("herald"), timeout=10)
        settle()
        d.screenshot(os.path.join(out, "setup-dialog.png"))
        d.stop("herald")

        # A rollup rule (read when the client registers): a burst in demo/ops is one card.
        d.http("PUT", "/api/v1/inbox/rules/restarts", d.user_token,
               {"application": "demo", "channel": "ops"})

        # 2. Set up from the command line; the tray menu with a popup beside it.
        d.start_herald(d.setup_args("deploys", "alerts", "ops"), d.user_token + "\n")
        d.wait_status("live", lambda s: s["session"] == "Live" and s["unread"] == 3)
        d.publish("deploys", "frontend 5.1 is live", "Canary at 100%",
                  url="https://ci.example.org/run/1843")
        d.wait_status("4 unread", lambda s: s["badge"] == 4)
        settle()
        xdotool(d, "mousemove", "14", "14", "click", "3")
        wait_for("tray menu", lambda: xdotool(d, "search", "--onlyvisible", "--class",
                                              "herald").stdout.strip(), timeout=10)
        settle()
        d.screenshot(os.path.join(out, "tray-menu.png"))
        xdotool(d, "key", "Escape")
        subprocess.run(["dunstctl", "close-all"], env=d.env)

        # 3. The list window, with a burst folded into one rollup card.
        for host in ("web-1", "web-2", "web-3"):
            d.publish("ops", f"{host} restarted", "OOM killer, 3.8 GB resident")
        d.wait_status("the burst listed", lambda s: s["listed"] == 7)
        d.herald_command("--show")
        win = window(d, "Herald notifications")
        xdotool(d, "windowmove", win, "150", "30")
        settle()
        subprocess.run(["dunstctl", "close-all"], env=d.env)  # the burst's popup
        settle()
        d.screenshot(os.path.join(out, "list-window.png"))

        # 4. The list window with nothing in it: select every card, Delete.
        xdotool(d, "windowfocus", "--sync", win)
        xdotool(d, "key", "ctrl+f", "Tab", "Tab", "ctrl+a", "Delete")
        d.wait_status("inbox emptied", lambda s: s["listed"] == 0)
        settle()
        d.screenshot(os.path.join(out, "list-window-empty.png"))
        d.herald_command("--quit")
        print("screenshots in", out)
        return 0
    finally:
        d.close()


if __name__ == "__main__":
    sys.exit(main())
