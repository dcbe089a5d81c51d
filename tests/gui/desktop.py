# SPDX-License-Identifier: Apache-2.0
"""A throwaway desktop for end-to-end tests and screenshots of the tray client.

Starts, under a temporary HOME: Xvfb on a free display, gnome-keyring (secrets, unlocked),
dunst as the notification daemon, trayer as the tray host, dbus-monitor on the
org.freedesktop.Notifications calls, and a real herald-syncd on 127.0.0.1. The D-Bus session
itself comes from the caller (run under dbus-run-session). Everything is stopped at close().
Only /usr/bin/python3's standard library is used.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


class Failure(Exception):
    pass


def wait_for(what, predicate, timeout=15.0, interval=0.05):
    """Polls predicate until it returns something true; raises Failure after timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise Failure(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Desktop:
    def __init__(self, syncd, herald, keep=False):
        self.syncd = syncd
        self.herald = herald
        self.keep = keep
        self.tmp = tempfile.mkdtemp(prefix="herald-gui-")
        self.procs = {}
        self.logs = {}
        self.port = None
        for d in ("home", "config", "run", "data"):
            os.makedirs(os.path.join(self.tmp, d), mode=0o700, exist_ok=True)
        self.env = dict(os.environ)
        self.env.update({
            "HOME": os.path.join(self.tmp, "home"),
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"),
            "XDG_RUNTIME_DIR": os.path.join(self.tmp, "run"),
            "XDG_DATA_HOME": os.path.join(self.tmp, "data"),
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": "",
            "QT_QPA_PLATFORM": "xcb",
            "NO_AT_BRIDGE": "1",
        })
        for k in ("QT_QPA_PLATFORMTHEME", "XDG_CURRENT_DESKTOP", "HERALD_NOTIFIER"):
            self.env.pop(k, None)
        if "DBUS_SESSION_BUS_ADDRESS" not in self.env:
            raise Failure("no D-Bus session: run this under dbus-run-session")

    # --- processes -------------------------------------------------------------------------
    def spawn(self, name, args, stdin=None, env=None):
        log = open(os.path.join(self.tmp, name + ".log"), "wb")
        self.logs[name] = log.name
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=stdin,
                                env=env or self.env, start_new_session=True)
        self.procs[name] = proc
        return proc

    def log(self, name):
        try:
            with open(self.logs[name], "rb") as f:
                return f.read().decode("utf-8", "replace")
        except (KeyError, OSError):
            return ""

    def stop(self, name, sig=signal.SIGTERM, timeout=10):
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return proc.returncode if proc else None
        proc.send_signal(sig)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()

    def start_x(self):
        r, w = os.pipe()
        self.procs["xvfb"] = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", "1024x640x24", "-nolisten", "tcp",
             "-noreset"], pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        os.close(w)
        with os.fdopen(r) as f:
            display = f.readline().strip()
        if not display:
            raise Failure("Xvfb did not start")
        self.env["DISPLAY"] = ":" + display
        wait_for("X server", lambda: subprocess.run(["xdpyinfo"], env=self.env,
                 capture_output=True).returncode == 0)

    def start_keyring(self):
        out = subprocess.run(["gnome-keyring-daemon", "--daemonize", "--unlock",
                              "--components=secrets"], input=b"pw", env=self.env,
                             capture_output=True, timeout=20)
        for line in out.stdout.decode().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                self.env[k] = v
        pid = self.env.get("GNOME_KEYRING_PID")
        self.keyring_pid = int(pid) if pid else None
        wait_for("secret service on the bus", lambda: self.bus_has("org.freedesktop.secrets"))

    def bus_has(self, name):
        out = subprocess.run(["dbus-send", "--session", "--print-reply",
                              "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus.NameHasOwner", "string:" + name],
                             env=self.env, capture_output=True, text=True)
        return "boolean true" in out.stdout

    def start_dunst(self):
        picker = os.path.join(self.tmp, "picker.sh")
        self.pick_file = os.path.join(self.tmp, "pick")
        self.menu_log = os.path.join(self.tmp, "menu.log")
        with open(picker, "w") as f:
            f.write("#!/bin/sh\n# Stands in for dmenu: logs the menu, picks the line asked for.\n"
                    f"input=$(cat)\nprintf '%s\\n---\\n' \"$input\" >> '{self.menu_log}'\n"
                    f"want=$(cat '{self.pick_file}')\n"
                    "printf '%s\\n' \"$input\" | grep -F -- \"$want\" | head -n 1\n")
        os.chmod(picker, 0o755)
        rc = os.path.join(self.tmp, "dunstrc")
        with open(rc, "w") as f:
            f.write(f"""[global]
    notification_limit = 0
    history_length = 200
    dmenu = {picker}
    show_indicators = no
    font = DejaVu Sans 9
    geometry = "300x5-10+40"
    width = 300
    offset = 10x40
    origin = top-right
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
""")
        self.spawn("dunst", ["dunst", "-config", rc])
        wait_for("dunst on the bus", lambda: self.bus_has("org.freedesktop.Notifications"))

    def start_tray_host(self):
        self.spawn("trayer", ["trayer", "--edge", "top", "--align", "left", "--widthtype",
                              "request", "--height", "28", "--SetDockType", "true",
                              "--transparent", "false", "--tint", "0xdddddd", "--expand", "true"])
        # trayer owns _NET_SYSTEM_TRAY_S0 once it runs.
        wait_for("trayer window", lambda: "panel" in subprocess.run(
            ["xwininfo", "-root", "-tree"], env=self.env, capture_output=True,
            text=True).stdout.lower() or self.procs["trayer"].poll() is not None, timeout=10)
        if self.procs["trayer"].poll() is not None:
            raise Failure("trayer exited: " + self.log("trayer"))

    def start_monitor(self):
        rule = "interface='org.freedesktop.Notifications'"
        self.spawn("monitor", ["dbus-monitor", "--session", rule])
        wait_for("dbus-monitor", lambda: "NameAcquired" in self.log("monitor") or
                 len(self.log("monitor")) > 0, timeout=10)

    # --- herald-syncd ----------------------------------------------------------------------
    def start_syncd(self):
        if self.port is None:
            self.port = free_port()
        self.db = os.path.join(self.tmp, "herald.db")
        proc = self.spawn("syncd", [self.syncd, "--listen", f"127.0.0.1:{self.port}",
                                    "--database", self.db])
        wait_for("herald-syncd listening", lambda: "listening on" in self.log("syncd") or
                 proc.poll() is not None, timeout=30)
        if proc.poll() is not None:
            raise Failure("herald-syncd exited: " + self.log("syncd"))

    def cli(self, *args):
        out = subprocess.run([self.syncd, *args], env=self.env, capture_output=True, text=True,
                             timeout=30)
        if out.returncode != 0:
            raise Failure(f"herald-syncd {' '.join(args)}: {out.stderr}")
        return out.stdout.strip()

    def bootstrap(self, app="demo", channels=("alerts", "ops"), user="alice"):
        db = ["--database", self.db]
        self.cli("app", "create", *db, app, "--title", "Demo application")
        for c in channels:
            self.cli("channel", "create", *db, "--app", app, c)
        self.cli("user", "create", *db, user)
        self.admin_token = self.cli("token", "create", *db, "--kind", "admin")
        self.producer_token = self.cli("token", "create", *db, "--kind", "producer", "--app", app)
        self.user_token = self.cli("token", "create", *db, "--kind", "user", "--user", user)

    def start_desktop(self, monitor=True, channels=("alerts", "ops")):
        """Everything a tray client meets on a desktop: X, the keychain, the notification
        daemon, a tray host (and the D-Bus monitor the checks read), and herald-syncd with
        the demo application's channels and alice's tokens."""
        started = time.monotonic()
        self.start_x()
        self.start_keyring()
        self.start_dunst()
        self.start_tray_host()
        if monitor:
            self.start_monitor()
        self.start_syncd()
        self.bootstrap(channels=channels)
        print(f"desktop up in {time.monotonic() - started:.1f}s", flush=True)

    def setup_args(self, *channels):
        """The tray's non-interactive setup as alice, following demo's `channels`; the
        token comes on stdin (start_herald(args, d.user_token + "\\n"))."""
        args = ["--server", f"http://127.0.0.1:{self.port}", "--user", "alice"]
        for c in channels:
            args += ["--subscribe", f"demo/{c}"]
        return args + ["--token-stdin"]

    def http(self, method, path, token, body=None, timeout=10):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method=method)
        req.add_header("Authorization", "Bearer " + token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")

    def publish(self, channel, title, message="", url=None, priority="normal", app="demo",
                actions=None):
        body = {"application": app, "channel": channel, "title": title, "message": message,
                "priority": priority}
        if url:
            body["url"] = url
        if actions:
            body["actions"] = actions
        status, stored = self.http("POST", "/api/v1/notifications", self.producer_token, body)
        if status != 201:
            raise Failure(f"publish: HTTP {status}")
        return stored["id"]

    def listing(self):
        _, body = self.http("GET", "/api/v1/notifications?limit=100", self.user_token)
        return {n["id"]: n for n in body["notifications"]}

    # --- the client ------------------------------------------------------------------------
    # Several clients may run: each name other than "herald" gets a settings directory of its
    # own (so its own single-instance socket), as a second device of the user would.
    def herald_env(self, name="herald"):
        env = dict(self.env)
        env["QT_LOGGING_RULES"] = "herald.*.info=true"
        if name != "herald":
            env["XDG_CONFIG_HOME"] = os.path.join(self.tmp, "config-" + name)
            os.makedirs(env["XDG_CONFIG_HOME"], mode=0o700, exist_ok=True)
        return env

    def start_herald(self, args=(), stdin_text=None, name="herald"):
        stdin = subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL
        proc = self.spawn(name, [self.herald, *args], stdin=stdin, env=self.herald_env(name))
        if stdin_text is not None:
            proc.stdin.write(stdin_text.encode())
            proc.stdin.close()
        return proc

    def status(self, name="herald"):
        out = subprocess.run([self.herald, "--status"], env=self.herald_env(name),
                             capture_output=True, text=True, timeout=10)
        if out.returncode != 0:
            return None
        try:
            return json.loads(out.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return None

    def wait_status(self, what, predicate, timeout=20, name="herald"):
        def check():
            s = self.status(name)
            return s if s and predicate(s) else None
        try:
            return wait_for(what, check, timeout)
        except Failure as e:
            raise Failure(f"{e}; status {self.status(name)}; {name} log:\n"
                          f"{self.log(name)[-3000:]}")

    def herald_command(self, *args, name="herald"):
        return subprocess.run([self.herald, *args], env=self.herald_env(name),
                              capture_output=True, text=True, timeout=15)

    # --- notifications on the bus ----------------------------------------------------------
    def notify_calls(self):
        """Every Notify call seen on the bus: dicts with summary, body, actions, hints."""
        calls = []
        text = self.log("monitor")
        blocks = re.split(r"\n(?=method call|signal|method return|error)", text)
        for block in blocks:
            if not block.startswith("method call") or "member=Notify" not in block:
                continue
            strings = re.findall(r'string "((?:[^"\\]|\\.)*)"', block)
            ids = re.search(r'string "x-herald-ids"\s*variant\s*string "([^"]*)"', block)
            urgency = re.search(r'string "urgency"\s*variant\s*byte (\d+)', block)
            actions_part = re.search(r"array \[(.*?)\]\s*array \[", block, re.S)
            actions = re.findall(r'string "((?:[^"\\]|\\.)*)"', actions_part.group(1)) \
                if actions_part else []
            calls.append({
                "app": strings[0] if strings else "",
                "summary": strings[2] if len(strings) > 2 else "",
                "body": strings[3] if len(strings) > 3 else "",
                "actions": actions,
                "ids": [int(x) for x in ids.group(1).split(",") if x] if ids else [],
                "urgency": int(urgency.group(1)) if urgency else None,
                "desktop_entry": 'string "desktop-entry"' in block and
                                 'variant             string "org.herald.Herald"' in block,
            })
        return calls

    def close_calls(self):
        return len(re.findall(r"member=CloseNotification", self.log("monitor")))

    def dunst_count(self, which="displayed"):
        out = subprocess.run(["dunstctl", "count", which], env=self.env, capture_output=True,
                             text=True)
        return int(out.stdout.strip() or -1)

    def pick_from_context_menu(self, line):
        with open(self.pick_file, "w") as f:
            f.write(line)
        subprocess.run(["dunstctl", "context"], env=self.env, timeout=10)

    def screenshot(self, path):
        subprocess.run(["import", "-display", self.env["DISPLAY"], "-window", "root", path],
                       env=self.env, check=True, timeout=30)

    def close(self):
        for name in list(self.procs):
            if name != "xvfb":
                self.stop(name)
        if getattr(self, "keyring_pid", None):
            try:
                os.kill(self.keyring_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self.stop("xvfb")
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
