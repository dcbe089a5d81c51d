#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""S7's probe: the first page of one user's inbox, read again and again while herald-syncd
is under other load (run.sh starts S2's publishers next to it).

  inboxprobe.py --port P [--user U] [--app bench] [--channels 5] [--rules 3]
                [--duration S] [--label TEXT]

Against a daemon started with --no-auth on the S5 store (1,000,000 notifications over 5,000
channels, 200 each): the user follows the first `channels` channels (5 x 200 = 1,000 items,
the inbox's cap), gets `rules` rollup rules, and then reads
GET /api/v1/inbox?user=U&limit=20 over one keep-alive connection, one request after the
other, for `duration` seconds. Prints one JSON line: p50/p99/max in ms, requests, the
inbox's size before the first read, and the items and rollups of the last page. Exit 1 when
a request fails or the page is not what the store holds. Talks to 127.0.0.1 only.
"""
import argparse
import http.client
import json
import sys
import time


def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        sys.exit(f"inboxprobe: {method} {path}: HTTP {response.status} {data[:200]!r}")
    return json.loads(data) if data else None


RULES = [
    # Folds everything of the first channel, ten at a time.
    {"application": "bench", "channel": "c0", "maxSize": 10, "maxDuration": "1h"},
    # Matches the second channel by a field that differs everywhere: nothing folds.
    {"application": "bench", "channel": "c1", "matchOn": "title", "maxSize": 5},
    # The rest of the application, by level (all alike here), fifty at a time.
    {"application": "bench", "matchOn": "level", "maxSize": 50, "maxDuration": "7d"},
]


def percentile(sorted_values, fraction):
    index = min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", default="inbox-reader")
    parser.add_argument("--app", default="bench")
    parser.add_argument("--channels", type=int, default=5)
    parser.add_argument("--rules", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--label", default="S7/herald/1")
    args = parser.parse_args()

    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    user = f"user={args.user}"
    channels = [f"c{c}" for c in range(args.channels)]
    request(conn, "PUT", f"/api/v1/inbox/subscriptions?{user}",
            {"subscriptions": [{"application": args.app, "channels": channels}]})
    for i, rule in enumerate(RULES[:args.rules]):
        request(conn, "PUT", f"/api/v1/inbox/rules/rule{i}?{user}", dict(rule, application=args.app))
    before = request(conn, "GET", f"/api/v1/inbox/count?{user}")

    latencies = []
    page = None
    end = time.monotonic() + args.duration
    while time.monotonic() < end:
        start = time.perf_counter()
        page = request(conn, "GET", f"/api/v1/inbox?{user}&limit=20")
        latencies.append((time.perf_counter() - start) * 1000)
        if len(page["notifications"]) != 20:
            sys.exit(f"inboxprobe: a first page of {len(page['notifications'])} items")
    latencies.sort()
    rollups = sum(1 for item in page["notifications"] if "rollup" in item)
    label = args.label.split("/")
    print(json.dumps({
        "label": args.label, "scenario": label[0], "target": label[1], "run": int(label[2]),
        "requests": len(latencies), "inbox_items": before["unseen"],
        "page_items": len(page["notifications"]), "page_rollups": rollups,
        "inbox_p50_ms": round(percentile(latencies, 0.50), 3),
        "inbox_p99_ms": round(percentile(latencies, 0.99), 3),
        "inbox_max_ms": round(latencies[-1], 3)}))


if __name__ == "__main__":
    main()
