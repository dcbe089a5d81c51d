# SPDX-License-Identifier: Apache-2.0
"""A webhook receiver for the integration tests (Python standard library only).

Listens on 127.0.0.1 on a port the kernel picks and prints that port as its first line.

POST /hook/<name>: a delivery of herald-syncd. Its Herald-Signature is checked with the
hook's secret by an implementation of its own (hmac, hashlib): `t=<unix seconds>,v1=<hex
HMAC-SHA256(secret, "<t>." + raw body)>`, `t` at most 5 minutes off. A bad signature gets
401. Otherwise the hook answers as its mode says:
  ok        200
  error     500
  reject    400
  throttle  429 with `Retry-After: <retryAfter>`
  hang      sleeps hangSeconds (longer than the daemon's timeout), then 200; recorded
            with status 0
With `failFirst: N`, the mode applies to the first N attempts of each delivery (counted by
Herald-Delivery) and later ones get 200. `delayMs` delays every answer.

PUT /control/<name> {"secret","mode","retryAfter","failFirst","delayMs","hangSeconds"}:
changes the keys given, keeps what was recorded. GET /control/<name>: what the hook saw,
with `delivered`: the notification ids it answered 200 for.

Exits when its stdin closes, so it never outlives the test that started it.
"""

import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_SKEW_SECONDS = 300
KEPT_BODIES = 10
STATUS = {"ok": 200, "error": 500, "reject": 400, "throttle": 429}

lock = threading.Lock()
hooks = {}


def hook(name):
    """The state of one hook, made on first use; call with the lock held."""
    if name not in hooks:
        hooks[name] = {
            "config": {"secret": "", "mode": "ok", "retryAfter": "1", "failFirst": 0,
                       "delayMs": 0, "hangSeconds": 30},
            "requests": 0,
            "badSignatures": 0,
            "duplicates": 0,  # deliveries seen again after a 2xx answer: at least once
            "answered2xx": set(),
            "deliveries": {},  # Herald-Delivery -> its attempts in order of arrival
            "lastBodies": [],
            "lastHeaders": {},
        }
    return hooks[name]


def check_signature(secret, header, body):
    """None when the signature is right, else why not."""
    if not secret:
        return "no secret configured for this hook"
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if "t" not in fields or "v1" not in fields:
        return "malformed Herald-Signature: " + header
    try:
        stamp = int(fields["t"])
    except ValueError:
        return "t is not a number"
    if abs(time.time() - stamp) > MAX_SKEW_SECONDS:
        return "t is more than 5 minutes off"
    expected = hmac.new(secret.encode(), fields["t"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields["v1"]):
        return "v1 does not match"
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as libcurl expects

    def log_message(self, *args):
        pass  # the test reads the control answers, not a log

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def name_after(self, prefix):
        return self.path[len(prefix):] if self.path.startswith(prefix) else None

    def do_PUT(self):
        name = self.name_after("/control/")
        if not name:
            return self.answer(404)
        changes = json.loads(self.read_body() or b"{}")
        with lock:
            hook(name)["config"].update(changes)
        self.answer(204)

    def do_GET(self):
        name = self.name_after("/control/")
        if not name:
            return self.answer(404)
        with lock:
            h = hook(name)
            state = {key: value for key, value in h.items() if key != "answered2xx"}
            state["unique"] = len(h["deliveries"])
            state["delivered"] = sorted({attempt["notificationId"]
                                         for attempts in h["deliveries"].values()
                                         for attempt in attempts if attempt["status"] == 200})
            body = json.dumps(state).encode()
        self.answer(200, body)

    def do_POST(self):
        name = self.name_after("/hook/")
        body = self.read_body()
        if not name:
            return self.answer(404)
        arrived = time.monotonic()
        delivery = self.headers.get("Herald-Delivery", "")
        attempt = int(self.headers.get("Herald-Attempt", "0"))
        try:
            notification_id = json.loads(body).get("notification", {}).get("id")
        except ValueError:
            notification_id = None
        with lock:
            h = hook(name)
            config = dict(h["config"])
            h["requests"] += 1
            h["lastHeaders"] = dict(self.headers.items())
            h["lastBodies"] = (h["lastBodies"] + [body.decode("utf-8", "replace")])[-KEPT_BODIES:]
            problem = check_signature(config["secret"],
                                      self.headers.get("Herald-Signature", ""), body)
            hang = False
            if problem:
                h["badSignatures"] += 1
                status = 401
            else:
                attempts = h["deliveries"].setdefault(delivery, [])
                failing = config["failFirst"] <= 0 or len(attempts) < config["failFirst"]
                status = STATUS.get(config["mode"], 200) if failing else 200
                hang = failing and config["mode"] == "hang"
                if delivery in h["answered2xx"]:
                    h["duplicates"] += 1
                # A hung attempt is recorded with status 0: its late 200 reaches nobody.
                attempts.append({"attempt": attempt, "time": arrived,
                                 "status": 0 if hang else status,
                                 "notificationId": notification_id})
                if status == 200 and not hang:
                    h["answered2xx"].add(delivery)
        if hang:
            time.sleep(float(config["hangSeconds"]))
        time.sleep(float(config["delayMs"]) / 1000.0)
        headers = [("Retry-After", str(config["retryAfter"]))] if status == 429 else []
        error = json.dumps({"error": problem}).encode() if problem else b"{}"
        try:
            self.answer(status, error, headers)
        except OSError:
            pass  # the daemon gave up on us (timeout, or it was killed)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops the SYNs of a burst of connections: their senders retry
    # only after a second, which looks like a delivery held back.
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        pass  # connections cut by a killed daemon are expected


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the test closes it or dies
    os._exit(0)


if __name__ == "__main__":
    main()
