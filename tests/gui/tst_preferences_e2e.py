# SPDX-License-Identifier: Apache-2.0
"""End to end: delivery preferences set in the settings dialog, on a real (virtual) desktop.

The tray client against a real herald-syncd: `herald --settings` opens the dialog, the keyboard
(xdotool) turns demo/ops off and saves; the server stores the rule; then a notification
published to demo/ops reaches no popup while one published to demo/alerts does.

Usage: dbus-run-session -- /usr/bin/python3 tst_preferences_e2e.py HERALD_SYNCD HERALD
Set HERALD_GUI_KEEP=1 to keep the temporary directory (logs, settings) for a look afterwards.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desktop import Desktop, Failure, wait_for  # noqa: E402


def check(name, condition, detail=""):
    if not condition:
        raise Failure(f"{name}: {detail}")
    print(f"PASS {name}", flush=True)


def xdotool(d, *args):
    return subprocess.run(["xdotool", *args], env=d.env, capture_output=True, text=True,
                          timeout=10)


def settings_window(d):
    out = xdotool(d, "search", "--onlyvisible", "--name", "^Herald settings$").stdout.split()
    return out[0] if out else None


def popup_ids(d):
    return {i for call in d.notify_calls() for i in call["ids"]}


def main():
    syncd, herald = sys.argv[1], sys.argv[2]
    d = Desktop(syncd, herald, keep=bool(os.environ.get("HERALD_GUI_KEEP")))
    started = time.monotonic()
    try:
        d.start_desktop()

        d.start_herald(d.setup_args("alerts", "ops"), d.user_token + "\n")
        s = d.wait_status("client live, preferences read",
                          lambda s: s["session"] == "Live" and s["preferences"] == "Online")
        check("no rules yet", s["preferenceRules"] == [], s)

        # Before: both channels pop up.
        before = d.publish("ops", "ops before")
        wait_for("a popup for demo/ops", lambda: before in popup_ids(d))
        print("PASS demo/ops pops up before the change", flush=True)

        r = d.herald_command("--settings")
        check("herald --settings hands over to the running instance", r.returncode == 0, r.stderr)
        win = wait_for("the settings dialog", lambda: settings_window(d), timeout=15)
        d.wait_status("settings open", lambda s: s["settingsOpen"])
        xdotool(d, "windowfocus", "--sync", win)
        # The rows have the focus: typing a channel's name selects it, Tab goes to its delivery,
        # End picks the last choice (Off), Alt+S saves.
        xdotool(d, "type", "--delay", "60", "ops")
        time.sleep(0.3)
        xdotool(d, "key", "Tab")
        xdotool(d, "key", "End")
        time.sleep(0.3)
        xdotool(d, "key", "alt+s")
        d.wait_status("the dialog saved and closed", lambda s: not s["settingsOpen"] and
                      s["preferenceRules"] == ["demo/ops=off"])
        _, stored = d.http("GET", "/api/v1/preferences", d.user_token)
        check("the server stored demo/ops off", [
            (r["application"], r.get("channel"), r["delivery"]) for r in stored["rules"]] ==
            [("demo", "ops", "off")], stored)
        wait_for("the settings window gone", lambda: settings_window(d) is None, timeout=10)

        # After: demo/ops reaches no popup, demo/alerts does.
        calls_before = len(d.notify_calls())
        quiet = d.publish("ops", "ops after")
        loud = d.publish("alerts", "alerts after")
        wait_for("a popup for demo/alerts", lambda: loud in popup_ids(d))
        time.sleep(1.0)  # anything for demo/ops would have come before the later alerts one
        new_calls = d.notify_calls()[calls_before:]
        check("one popup, demo/alerts'", [c["ids"] for c in new_calls] == [[loud]], new_calls)
        check("no popup for demo/ops", quiet not in popup_ids(d), d.notify_calls())
        s = d.wait_status("the alerts notification listed", lambda s: loud in s["unreadIds"])
        check("demo/ops is off on this device too: not listed", quiet not in s["unreadIds"], s)

        d.herald_command("--quit")
        d.procs["herald"].wait(15)
        print(f"gui suite took {time.monotonic() - started:.1f}s", flush=True)
        return 0
    except Failure as e:
        print(f"FAIL {e}", flush=True)
        for name in ("herald", "dunst", "syncd"):
            print(f"--- {name} log (tail) ---\n{d.log(name)[-2500:]}", flush=True)
        return 1
    finally:
        d.close()


if __name__ == "__main__":
    sys.exit(main())
