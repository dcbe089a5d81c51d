#!/usr/bin/python3
"""Summarises herald-loadgen JSON lines (labels "SCENARIO/TARGET/RUN"): medians of the runs
with their spread, the ratios to the references, and a smoke verdict.

    summarize.py results.jsonl [--smoke 1] [--doc docs/PERFORMANCE.md]

With --doc the table replaces what is between the markers
<!-- bench:begin --> and <!-- bench:end --> (the rest of the page is kept).
Exits 1 when a run lost or duplicated deliveries, or a subscriber did not register.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import sys

TARGETS = [("herald", "Herald"), ("nats", "NATS"), ("mqtt", "mosquitto"), ("trivial", "trivial server")]
REFS = [("nats", "NATS"), ("mqtt", "mosquitto")]

# scenario -> [(field, title, higher is better)]
METRICS = {
    "S1": [("deliveries_per_s", "deliveries/s", True), ("p50_ms", "p50 ms", False),
           ("p99_ms", "p99 ms", False), ("lost", "lost", False), ("duplicates", "duplicates", False)],
    "S1p": [("p50_ms", "p50 ms", False), ("p99_ms", "p99 ms", False), ("lost", "lost", False)],
    "S2": [("deliveries_per_s", "publishes/s delivered end to end", True),
           ("publishes_per_s", "publishes/s accepted (Herald: 201s; NATS/mosquitto: written)", True),
           ("p50_ms", "p50 ms", False), ("p99_ms", "p99 ms", False), ("lost", "lost", False)],
    "S2c-500": [("deliveries_per_s", "publishes/s delivered end to end", True)],
    "S2c-2000": [("deliveries_per_s", "publishes/s delivered end to end", True)],
    "S3": [("rss_per_conn_bytes", "server RSS per idle connection (bytes)", False),
           ("held", "connections held", True)],
}
TITLES = {
    "S1": "S1 fan-out, 1,000 subscribers, 2,000 notifications at full speed",
    "S1p": "S1p fan-out, 1,000 subscribers, 10 notifications/s",
    "S2": "S2 5,000 connections on their own channels, 20,000 publishes over 4 connections",
    "S2c-500": "S2c the same with 500 connections",
    "S2c-2000": "S2c the same with 2,000 connections",
    "S3": "S3 10,000 registered idle connections",
}


def fmt(v):
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--smoke", default="0")
    ap.add_argument("--doc")
    a = ap.parse_args()

    rows = []
    with open(a.results) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))

    bad = []
    groups = {}
    for r in rows:
        scenario, target, _ = (r["label"].split("/") + ["", "", ""])[:3]
        groups.setdefault((scenario, target), []).append(r)
        problems = []
        if r["registered"] < r["subscribers"]:
            problems.append(f"{r['registered']}/{r['subscribers']} registered")
        if r["mode"] == "idle":
            if r["held"] < r["subscribers"]:
                problems.append(f"{r['held']}/{r['subscribers']} held")
        else:
            for k in ("lost", "duplicates", "publish_errors"):
                if r[k]:
                    problems.append(f"{k} {r[k]}")
        if problems:
            bad.append(f"{r['label']}: " + ", ".join(problems))

    def med(scenario, target, field):
        rs = groups.get((scenario, target))
        if not rs:
            return None, None, None
        vals = [r[field] for r in rs if r.get(field) is not None and r[field] >= 0]
        if not vals:
            return None, None, None
        return statistics.median(vals), min(vals), max(vals)

    present = [t for t in TARGETS if any(k[1] == t[0] for k in groups)]
    refs = [t for t in REFS if any(k[1] == t[0] for k in groups)]
    out = []
    head = "| scenario | metric | " + " | ".join(n for _, n in present)
    head += "".join(f" | Herald / {n}" for _, n in refs) + " |"
    out.append(head)
    out.append("|" + "---|" * (2 + len(present) + len(refs)))
    for scenario, metrics in METRICS.items():
        if not any(k[0] == scenario for k in groups):
            continue
        for field, title, _higher in metrics:
            cells = []
            for t, _ in present:
                m, lo, hi = med(scenario, t, field)
                if m is None:
                    cells.append("–")
                elif lo == hi or len(groups[(scenario, t)]) == 1:
                    cells.append(fmt(m))
                else:
                    cells.append(f"{fmt(m)} ({fmt(lo)}–{fmt(hi)})")
            ratios = []
            for t, _ in refs:
                h = med(scenario, "herald", field)[0]
                r = med(scenario, t, field)[0]
                ratios.append(f"{h / r:.2f}×" if h is not None and r not in (None, 0) and field not in ("lost", "duplicates") else "–")
            out.append(f"| {scenario} | {title} | " + " | ".join(cells) + "".join(f" | {x}" for x in ratios) + " |")

    cpu = ["", "| scenario | target | load generator CPU s | server CPU s | generator / server |", "|---|---|---|---|---|"]
    for (scenario, target), rs in sorted(groups.items()):
        if rs[0]["mode"] == "idle":
            continue
        g = statistics.median(r["gen_cpu_s"] for r in rs)
        s = statistics.median(r["server_cpu_s"] for r in rs)
        cpu.append(f"| {scenario} | {target} | {g:.2f} | {s:.2f} | {g / s:.2f} |" if s > 0 else
                   f"| {scenario} | {target} | {g:.2f} | {s:.2f} | – |")

    table = "\n".join(out)
    print(table)
    print("\n".join(cpu))
    if a.doc:
        runs = max((len(v) for v in groups.values()), default=0)
        stamp = (f"Measured {datetime.date.today().isoformat()} on {platform.node() or 'this machine'}: "
                 f"{os.cpu_count()} cores, {platform.machine()}, loopback, median of {runs} runs "
                 f"(min–max in brackets), Linux {platform.release()}.")
        block = "<!-- bench:begin -->\n" + stamp + "\n\n" + table + "\n\nCPU time during the measured phase " \
                "(publishing and delivery; connection set-up excluded):\n" + "\n".join(cpu) + "\n<!-- bench:end -->"
        text = open(a.doc).read() if os.path.exists(a.doc) else "# Performance\n\n<!-- bench:begin -->\n<!-- bench:end -->\n"
        b, e = text.find("<!-- bench:begin -->"), text.find("<!-- bench:end -->")
        if b < 0 or e < 0:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        else:
            text = text[:b] + block + text[e + len("<!-- bench:end -->"):]
        with open(a.doc, "w") as f:
            f.write(text)
    if bad:
        print("\nFAILED:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1 if a.smoke == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
