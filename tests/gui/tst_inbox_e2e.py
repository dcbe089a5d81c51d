# SPDX-License-Identifier: Apache-2.0
"""End to end: the inbox on two devices of one user, on a real (virtual) desktop.

Two tray clients of alice (each with its own settings, as on two machines) against one real
herald-syncd: their badges show the server's unseen count and agree; opening the list on one
clears both; a burst that one of alice's rollup rules folds pops up once.

Usage: dbus-run-session -- /usr/bin/python3 tst_inbox_e2e.py HERALD_SYNCD HERALD
Set HERALD_GUI_KEEP=1 to keep the temporary directory (logs, settings) for a look afterwards.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from desktop import Desktop, Failure, wait_for  # noqa: E402

CLIENTS = ("herald", "phone")  # "herald": the first device, with the default settings


def check(name, condition, detail=""):
    if not condition:
        raise Failure(f"{name}: {detail}")
    print(f"PASS {name}", flush=True)


def list_window_viewable(d):
    out = subprocess.run(["xwininfo", "-name", "Herald notifications"], env=d.env,
                         capture_output=True, text=True)
    return "IsViewable" in out.stdout


def badges(d):
    return {name: (d.status(name) or {}).get("badge") for name in CLIENTS}


def main():
    syncd, herald = sys.argv[1], sys.argv[2]
    d = Desktop(syncd, herald, keep=bool(os.environ.get("HERALD_GUI_KEEP")))
    started = time.monotonic()
    try:
        d.start_desktop()

        setup = d.setup_args("alerts", "ops")
        for name in CLIENTS:
            d.start_herald(setup, d.user_token + "\n", name=name)
        for name in CLIENTS:
            s = d.wait_status(f"{name} live with the server's count",
                              lambda s: s["session"] == "Live" and s["unseen"] == 0, name=name)
            check(f"{name}: badge 0 from GET /inbox/count", s["badge"] == 0, s)
        check("two clients, two settings files",
              d.status("herald")["settingsFile"] != d.status("phone")["settingsFile"])

        ids = [d.publish("alerts", f"inbox {i}") for i in range(3)]
        for name in CLIENTS:
            s = d.wait_status(f"{name} badge 3", lambda s: s["badge"] == 3, name=name)
            check(f"{name}: badge 3 = the server's unseen 3, tray shows it",
                  s["unseen"] == 3 and s["tray"] == "unread" and
                  s["unreadIds"] == sorted(ids), s)
        check("both badges equal", badges(d) == {"herald": 3, "phone": 3}, badges(d))

        # Read elsewhere (an acknowledgement over REST): both badges drop to 2.
        d.http("POST", "/api/v1/acks", d.user_token, {"ids": [ids[0]]})
        for name in CLIENTS:
            d.wait_status(f"{name} badge 2", lambda s: s["badge"] == 2 and s["unseen"] == 2,
                          name=name)
        check("both badges 2 after an acknowledgement", badges(d) == {"herald": 2, "phone": 2},
              badges(d))

        # The first device opens its list: the server marks the inbox seen, both go to 0.
        r = d.herald_command("--show")
        check("herald --show", r.returncode == 0, r.stderr)
        wait_for("the list window", lambda: list_window_viewable(d))
        for name in CLIENTS:
            s = d.wait_status(f"{name} badge 0", lambda s: s["badge"] == 0, name=name)
            check(f"{name}: badge 0 after the list opened on the other device" if name == "phone"
                  else f"{name}: badge 0 after its list opened",
                  s["unseen"] == 0 and s["tray"] == "connected", s)
        check("the phone's list never opened", "inbox page" not in d.log("phone"),
              d.log("phone")[-1500:])
        _, count = d.http("GET", "/api/v1/inbox/count", d.user_token)
        check("server: nothing unseen", count["unseen"] == 0, count)

        # A rollup rule: a burst it folds pops up once on a client that knows the rule.
        status, _ = d.http("PUT", "/api/v1/inbox/rules/deploys", d.user_token,
                           {"application": "demo", "channel": "ops"})
        check("rule stored", status == 201, status)
        for name in CLIENTS:
            r = d.herald_command("--quit", name=name)
            check(f"{name} --quit", r.returncode == 0, r.stderr)
            d.procs[name].wait(15)
        d.start_herald(name="phone")  # the token from the keychain; rules read at register
        d.wait_status("phone has the rule", lambda s: s["session"] == "Live" and
                      s["rollupRules"] == 1, name="phone")
        calls_before = len(d.notify_calls())
        burst = [d.publish("ops", f"v2.{i} is live") for i in range(1, 5)]
        wait_for("the rollup popup", lambda: len(d.notify_calls()) > calls_before)
        time.sleep(1.5)  # a second popup for the same burst would come within the quiet time
        new_calls = d.notify_calls()[calls_before:]
        check("one popup for the burst of 4, standing for all 4",
              len(new_calls) == 1 and sorted(new_calls[0]["ids"]) == sorted(burst), new_calls)
        check("its title is the rollup's",
              new_calls[0]["summary"] == "4 deploys in ops, latest: v2.4 is live", new_calls)
        s = d.wait_status("phone badge 4", lambda s: s["badge"] == 4, name="phone")
        check("the burst counts 4 unseen", s["unseen"] == 4, s)

        r = d.herald_command("--quit", name="phone")
        d.procs["phone"].wait(15)
        print(f"gui suite took {time.monotonic() - started:.1f}s", flush=True)
        return 0
    except Failure as e:
        print(f"FAIL {e}", flush=True)
        for name in (*CLIENTS, "dunst", "syncd"):
            print(f"--- {name} log (tail) ---\n{d.log(name)[-2500:]}", flush=True)
        return 1
    finally:
        d.close()


if __name__ == "__main__":
    sys.exit(main())
