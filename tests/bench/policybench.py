#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""S9's stores (delivery policy: preferences and digests) and its digest run, for run.sh.

  policybench.py seed --herald PORT [--app digestapp] [--channels 100] [--per-channel 10]
                      --out PAYLOADS
      Through a running herald-syncd (--no-auth): creates the digest application, its
      channels d0..d(C-1), the applications app0..app19 and probe (for `run`'s readiness
      check), and publishes C x P persistent notifications to the digest application in batch
      publishes of 100, round robin over the channels (so their ids interleave as a live
      application's do). Writes each notification as the 201 answer gave it, one compact JSON
      object a line, to PAYLOADS: what the daemon itself queues as a digest item's payload.

  policybench.py fill --database DB --kind digest --users N --payloads PAYLOADS
      [--app digestapp] [--follows 2] [--updated-now]
      Into a stopped daemon's database: N users u00000... (users), each with stored
      preferences (user_preferences, the JSON GET /api/v1/preferences answers: keys sorted,
      compact, every rule with its agents) whose rule for the digest application says
      `digest` daily@08:00 to every agent, beside two rules for other applications; each
      follows F of the digest application's channels (inbox_follows), and has every
      notification of those channels queued (digest_items; written notification by
      notification, every follower in turn, as the daemon writes them) in one digest
      (digest_runs: key "daily@08:00|desktop,email,feed", the user's time zone, node 0, due at
      the next 08:00 in that zone, so that the daemon's own timer leaves it alone until `run`
      makes it due). With 100 channels of 10 notifications and F = 2: 20 items a user.
      Preferences are as old as a live deployment's: updated_ms spread over the last 90 days
      (the newest two minutes ago), so that the daemon's poll for other nodes' changes (every
      second, the minute before the newest change) finds about none; --updated-now stamps
      them all with the time of the fill instead (as right after an import).

  policybench.py fill --database DB --kind prefs --users N [--load-app bench]
      [--load-digesters 100] [--updated-now]
      N users with preferences for other applications than the load's (app0..app19: a digest,
      an `off` and a channel rule each) and a follow of one of them; every (N / D)-th user,
      D users in all, also has a digest rule (hourly) for the load's application but follows
      none of its channels. --load-digesters 0: no rule names the load's application.

  policybench.py run --herald PORT --database DB --pid PID --token TOKEN --users N
      [--items 20] [--label S9-digest-N/herald/RUN]
      The digest run: waits until the daemon publishes (a transient notification to probe:
      publishes wait for the preferences' first load), reads the daemon's VmHWM and VmRSS,
      makes every digest due (one UPDATE of digest_runs: due a minute ago), then times
      POST /api/v1/digests/run (admin token) until its answer has arrived whole, and reads
      VmHWM and VmRSS again. Checks the answer (N digests of `items` each) and the database
      (no item left in the queue, N digests recorded). Prints one JSON line. With
      --perf-out FILE, `perf record ARGS -p PID` (ARGS: --perf-args, default -g) runs from
      just before the request until its answer.

Talks to 127.0.0.1 only.
"""
import argparse
import datetime
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zoneinfo

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]
AGENTS = ["desktop", "email", "feed"]  # Preferences::Agents, the order keys list them in
OTHER_APPS = 20


def call(port, method, path, body=None, token=None, timeout=600):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, None if body is None else json.dumps(body), headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def must(status, data, what, ok=(200, 201)):
    if status not in ok:
        sys.exit(f"policybench.py: {what}: HTTP {status}: {data[:300]!r}")


# ------------------------------------------------------------------ seed
def seed(a):
    must(*call(a.herald, "PUT", f"/api/v1/applications/{a.app}", {"title": "Digest bench"}),
         "create the digest application")
    for c in range(a.channels):
        must(*call(a.herald, "PUT", f"/api/v1/applications/{a.app}/channels/d{c}",
                   {"title": f"Service d{c}", "description": "build and deploy events"}),
             f"create channel d{c}")
    for name in [f"app{i}" for i in range(OTHER_APPS)] + ["probe"]:
        must(*call(a.herald, "PUT", f"/api/v1/applications/{name}", {"title": name}),
             f"create application {name}")
    bodies = []
    for k in range(a.per_channel):
        for c in range(a.channels):
            n = k * a.channels + c
            bodies.append({
                "application": a.app, "channel": f"d{c}",
                "code": ["deploy", "build", "alert"][n % 3],
                "title": f"Deploy #{1000 + n} of service d{c} finished",
                "message": (f"Release 2.{k}.{c} rolled out to 12 of 12 hosts in 3 min 41 s; "
                            "no errors, 0 restarts. Previous release kept for rollback."),
                "priority": ["normal", "normal", "high", "low"][n % 4],
                "tags": {"service": f"d{c}", "env": ["prod", "staging"][n % 2]},
                "url": f"https://ci.example.org/pipelines/{1000 + n}",
                "actions": [{"id": "open", "label": "Open pipeline",
                             "url": f"https://ci.example.org/pipelines/{1000 + n}"}],
                "persistent": True,
            })
    with open(a.out, "w") as out:
        for i in range(0, len(bodies), 100):
            status, data = call(a.herald, "POST", "/api/v1/notifications", bodies[i:i + 100])
            must(status, data, "publish")
            for n in json.loads(data):
                out.write(json.dumps(n, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"policybench.py: seeded {len(bodies)} notifications over {a.channels} channels "
          f"of {a.app}", file=sys.stderr)


# ------------------------------------------------------------------ fill
def rule(application, delivery, digest=None, channel=None, agents=None):
    r = {"agents": agents or AGENTS, "application": application, "delivery": delivery}
    if channel:
        r["channel"] = channel
    if digest:
        r["digest"] = digest
    return r


def stored(zone, email, rules):
    """The preferences as the daemon stores them: QJsonDocument's compact form, keys sorted."""
    prefs = {"default": {"agents": AGENTS, "delivery": "immediate"}, "email": email,
             "rules": rules, "timezone": zone}
    return json.dumps(prefs, separators=(",", ":"), sort_keys=True)


def next_at(hour, zone, now):
    """The next HH:00 in the zone after now, in ms since the epoch (as DigestSchedule does)."""
    local = now.astimezone(zoneinfo.ZoneInfo(zone))
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if at <= local:
        at += datetime.timedelta(days=1)
    return int(at.timestamp() * 1000)


def updated(a, i, now_ms):
    """When user i last changed their preferences (see fill's help)."""
    if a.updated_now:
        return now_ms
    return now_ms - 120_000 - (i * 7919 * 1000) % (90 * 86_400_000)


def fill(a):
    db = sqlite3.connect(a.database, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")  # a stopped daemon's file; a crash means filling again
    db.execute("BEGIN")
    now = datetime.datetime.now(datetime.timezone.utc)
    now_ms = int(now.timestamp() * 1000)
    users = [f"u{i:05d}" for i in range(a.users)]
    db.executemany("INSERT OR IGNORE INTO users (name, created_at_ms) VALUES (?, ?)",
                   [(u, now_ms) for u in users])
    db.executemany("INSERT OR IGNORE INTO applications (name, title) VALUES (?, ?)",
                   [(f"app{i}", f"app{i}") for i in range(OTHER_APPS)])
    items = 0
    if a.kind == "digest":
        payloads = [json.loads(line) for line in open(a.payloads)]
        payloads.sort(key=lambda n: n["id"])
        channels = sorted({n["channel"] for n in payloads}, key=lambda c: int(c.lstrip("d")))
        if a.follows > len(channels):
            sys.exit("policybench.py: --follows exceeds the channels seeded")
        key = "daily@08:00|" + ",".join(AGENTS)
        prefs, follows, runs = [], [], []
        followers = {c: [] for c in channels}
        for i, u in enumerate(users):
            zone = ZONES[i % len(ZONES)]
            prefs.append((u, stored(zone, f"{u}@example.org", [
                rule(a.app, "digest", digest="daily@08:00"),
                rule(f"app{i % OTHER_APPS}", "off"),
                rule(f"app{(i + 7) % OTHER_APPS}", "immediate", channel="alerts",
                     agents=["desktop"])]), updated(a, i, now_ms)))
            # F distinct channels, spread so that every channel has about as many followers.
            for f in range(a.follows):
                c = channels[(i + f * (len(channels) // a.follows)) % len(channels)]
                follows.append((u, a.app, c))
                followers[c].append(u)
            due = next_at(8, zone, now)
            runs.append((u, key, zone, due, due, 0))
        db.executemany("INSERT INTO user_preferences (user_name, preferences, updated_ms) "
                       "VALUES (?, ?, ?)", prefs)
        db.executemany("INSERT INTO inbox_follows (user_name, application, channel) "
                       "VALUES (?, ?, ?)", follows)

        def rows():
            for n in payloads:
                text = json.dumps(n, separators=(",", ":"), ensure_ascii=False)
                for u in followers[n["channel"]]:
                    yield (u, key, n["id"], f"{n['application']}/{n['channel']}", text)
        db.executemany("INSERT INTO digest_items (user_name, digest_key, notification_id, "
                       "channel_key, payload) VALUES (?, ?, ?, ?, ?)", rows())
        items = db.execute("SELECT count(*) FROM digest_items").fetchone()[0]
        db.executemany("INSERT INTO digest_runs (user_name, digest_key, timezone, due_ms, "
                       "send_after_ms, node) VALUES (?, ?, ?, ?, ?, ?)", runs)
    else:
        step = a.users // a.load_digesters if a.load_digesters else 0
        prefs, follows = [], []
        for i, u in enumerate(users):
            zone = ZONES[i % len(ZONES)]
            rules = [rule(f"app{i % OTHER_APPS}", "digest", digest="daily@18:00", agents=["email"]),
                     rule(f"app{(i + 3) % OTHER_APPS}", "off"),
                     rule(f"app{(i + 11) % OTHER_APPS}", "immediate", channel="ops",
                          agents=["desktop"])]
            if step and i % step == 0:
                rules.append(rule(a.load_app, "digest", digest="hourly"))
            prefs.append((u, stored(zone, f"{u}@example.org", rules), updated(a, i, now_ms)))
            follows.append((u, f"app{i % OTHER_APPS}", ""))
        db.executemany("INSERT INTO user_preferences (user_name, preferences, updated_ms) "
                       "VALUES (?, ?, ?)", prefs)
        db.executemany("INSERT INTO inbox_follows (user_name, application, channel) "
                       "VALUES (?, ?, ?)", follows)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"policybench.py: {a.kind}: {a.users:,} users" +
          (f", {items:,} digest items" if a.kind == "digest" else ""), file=sys.stderr)


# ------------------------------------------------------------------ run
def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS"):
                out[k] = int(v.split()[0])
    return out


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(a):
    deadline = time.time() + 60
    while True:  # a publish waits for the preferences' first load
        try:
            status, data = call(a.herald, "POST", "/api/v1/notifications",
                                {"application": "probe", "channel": "ready", "title": "ready",
                                 "persistent": False}, token=a.token, timeout=60)
            if status == 201:
                break
        except OSError:
            pass
        if time.time() > deadline:
            sys.exit("policybench.py: the daemon did not publish within 60 s")
        time.sleep(0.1)
    time.sleep(0.5)
    before = proc_status(a.pid)
    cpu0 = cpu_seconds(a.pid)
    db = sqlite3.connect(a.database, isolation_level=None, timeout=30)
    # Due a minute ago. The daemon's timer next looks up to 30 s after it started; this is
    # done within a second or two of that, so the run below is the one that sends them.
    made_due = db.execute("UPDATE digest_runs SET due_ms = ?, send_after_ms = ?",
                          (int(time.time() * 1000) - 60_000,) * 2).rowcount
    perf = None
    if a.perf_out:
        perf = subprocess.Popen(["perf", "record", "-q", *a.perf_args.split(), "-p", str(a.pid),
                                 "-o", a.perf_out], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(0.3)
    t0 = time.monotonic()
    status, data = call(a.herald, "POST", "/api/v1/digests/run", {}, token=a.token)
    seconds = time.monotonic() - t0
    cpu = cpu_seconds(a.pid) - cpu0
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait()
    after = proc_status(a.pid)
    must(status, data, "POST /api/v1/digests/run", ok=(200,))
    digests = json.loads(data)["digests"]
    left = db.execute("SELECT count(*) FROM digest_items").fetchone()[0]
    recorded = db.execute("SELECT count(*) FROM digests").fetchone()[0]
    db.close()
    sent_items = sum(d["count"] for d in digests)
    wrong = sum(1 for d in digests if d["count"] != a.items)
    line = {
        "label": a.label or f"S9-digest-{a.users}/herald/1", "mode": "digest-run",
        "subscribers": 0, "registered": 0, "users": a.users, "items_per_user": a.items,
        "made_due": made_due, "digests": len(digests), "digest_items_sent": sent_items,
        "digests_wrong_count": wrong, "digest_items_left": left, "digests_recorded": recorded,
        # Sent by the daemon's own timer while the request ran (not in the answer).
        "digests_by_timer": max(0, recorded - len(digests)),
        "run_s": round(seconds, 4),
        "digests_per_s": round(len(digests) / seconds, 1) if seconds > 0 else 0,
        "answer_bytes": len(data), "server_cpu_s": round(cpu, 3),
        "server_hwm_before_kb": before["VmHWM"], "server_hwm_after_kb": after["VmHWM"],
        "server_hwm_growth_kb": after["VmHWM"] - before["VmHWM"],
        "server_rss_before_kb": before["VmRSS"], "server_rss_after_kb": after["VmRSS"],
    }
    # Anything short of every user's digest with every item is a failure of the run.
    line["lost"] = (a.users - len(digests)) + wrong + left
    print(json.dumps(line))
    print(f"policybench.py: {line['label']}: {len(digests):,} digests ({sent_items:,} items) in "
          f"{seconds:.2f} s = {line['digests_per_s']:,.0f}/s; VmHWM "
          f"{before['VmHWM'] / 1024:.1f} -> {after['VmHWM'] / 1024:.1f} MiB, VmRSS "
          f"{before['VmRSS'] / 1024:.1f} -> "
          f"{after['VmRSS'] / 1024:.1f} MiB; server CPU {cpu:.2f} s; left {left}, "
          f"recorded {recorded}", file=sys.stderr)
    return 0 if line["lost"] == 0 else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--herald", type=int, required=True)
    p.add_argument("--app", default="digestapp")
    p.add_argument("--channels", type=int, default=100)
    p.add_argument("--per-channel", type=int, default=10)
    p.add_argument("--out", required=True)
    p = sub.add_parser("fill")
    p.add_argument("--database", required=True)
    p.add_argument("--kind", choices=["digest", "prefs"], required=True)
    p.add_argument("--users", type=int, required=True)
    p.add_argument("--payloads")
    p.add_argument("--app", default="digestapp")
    p.add_argument("--follows", type=int, default=2)
    p.add_argument("--load-app", default="bench")
    p.add_argument("--load-digesters", type=int, default=100)
    p.add_argument("--updated-now", action="store_true")
    p = sub.add_parser("run")
    p.add_argument("--herald", type=int, required=True)
    p.add_argument("--database", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--users", type=int, required=True)
    p.add_argument("--items", type=int, default=20)
    p.add_argument("--label")
    p.add_argument("--perf-out")
    p.add_argument("--perf-args", default="-g")
    a = ap.parse_args()
    if a.cmd == "fill" and a.kind == "digest" and not a.payloads:
        ap.error("fill --kind digest needs --payloads")
    return {"seed": seed, "fill": fill, "run": run}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
