#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Summarises herald-loadgen and herald-sqlite-ceiling JSON lines (labels
"SCENARIO/TARGET/RUN"): medians of the runs with their spread, the ratios to the
references, the issue's targets, and a smoke verdict.

    summarize.py results.jsonl [--smoke 1] [--merge-into latest.jsonl] [--doc docs/PERFORMANCE.md]

--merge-into keeps the newest runs of every scenario and target in one file: the groups in
results.jsonl replace the same groups there, and the tables are made from the merged file.
With --doc the tables replace what is between the markers <!-- bench:begin --> and
<!-- bench:end --> (the rest of the page is kept).
Exits 1 when a run of results.jsonl lost or duplicated deliveries, failed publishes, or a
subscriber did not register (S3-max excepted: it measures how many are held); S8's runs also
when a webhook delivery was lost, duplicated or failed, or the outbox did not drain; S9's digest
runs when a user's digest or an item did not come.
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


def kib(v):
    return v / 1024


# scenario -> [(field, title, transform or None)]
METRICS = {
    "S1": [("deliveries_per_s", "deliveries/s", None), ("p50_ms", "p50 ms", None),
           ("p99_ms", "p99 ms", None), ("lost", "lost", None), ("duplicates", "duplicates", None)],
    "S1p": [("p50_ms", "p50 ms", None), ("p99_ms", "p99 ms", None), ("lost", "lost", None)],
    "S2": [("deliveries_per_s", "publishes/s delivered end to end", None),
           ("publishes_per_s", "publishes/s accepted (Herald: 201s; NATS/mosquitto: written)", None),
           ("p50_ms", "p50 ms", None), ("p99_ms", "p99 ms", None), ("lost", "lost", None)],
    "S2h16": [("deliveries_per_s", "16 HTTP connections: publishes/s delivered end to end", None),
              ("publishes_per_s", "16 HTTP connections: publishes/s accepted (201s)", None),
              ("p50_ms", "p50 ms", None), ("p99_ms", "p99 ms", None),
              ("server_cpu_us_per_publish", "server CPU µs per publish", None),
              ("lost", "lost", None)],
    "S2w": [("deliveries_per_s", "publishes/s delivered end to end (Herald over WebSocket, "
             "16 sessions; NATS: its S2)", None),
            ("publishes_per_s", "publishes/s accepted (Herald: published answers; NATS: written)",
             None),
            ("p50_ms", "p50 ms", None), ("p99_ms", "p99 ms", None),
            ("server_cpu_us_per_publish", "server CPU µs per publish", None),
            ("lost", "lost", None), ("publish_errors", "publishes refused", None)],
    "S2c-500": [("deliveries_per_s", "500 connections: publishes/s delivered", None),
                ("lost", "lost", None)],
    "S2c-2000": [("deliveries_per_s", "2,000 connections: publishes/s delivered", None),
                 ("lost", "lost", None)],
    "S2c-5000": [("deliveries_per_s", "5,000 connections: publishes/s delivered", None),
                 ("lost", "lost", None)],
    "S3": [("rss_per_conn_bytes", "server RSS per idle connection (KiB)", kib),
           ("held", "connections held (of 10,000)", None)],
    "S3-max": [("subscribers", "connections attempted", None), ("held", "connections held", None),
               ("rss_per_conn_bytes", "server RSS per held connection (KiB)", kib)],
    "S5": [("registrations_per_s", "registrations/s", None),
           ("register_p50_ms", "register → backlogDone p50 ms", None),
           ("register_p99_ms", "register → backlogDone p99 ms", None),
           ("connect_p99_ms", "connect → backlogDone p99 ms", None),
           ("backlog_received", "backlog notifications received", None),
           ("lost", "backlog notifications missing", None)],
    "S7": [("inbox_p50_ms", "inbox first page p50 ms (1,000 items, 3 rules)", None),
           ("inbox_p99_ms", "inbox first page p99 ms", None),
           ("requests", "inbox pages read", None),
           ("publishes_per_s", "S2 publishes/s alongside", None)],
}
INGEST = [("S4", "Herald, synchronous FULL (default)"), ("S4n", "Herald, synchronous NORMAL")]
CEILING = [("full-1", "FULL, one commit per row"), ("full-100", "FULL, one commit per 100 rows"),
           ("normal-1", "NORMAL, one commit per row"), ("normal-100", "NORMAL, one commit per 100 rows")]
NO_RATIO = ("lost", "duplicates", "subscribers", "backlog_received", "requests", "publish_errors")
# The targets for publishing: over HTTP keep-alive through 16 connections, and over
# the WebSocket at least NATS's S2 (delivered end to end, the same run).
S2_HTTP16_TARGET = 25000
# S6 variants: (scenario, topology title, notifications)
RELAY = [("S6-mesh", "full mesh", "transient"), ("S6-mesh-p", "full mesh", "persistent"),
         ("S6-line", "line 1-2-3", "transient"), ("S6-line-p", "line 1-2-3", "persistent")]
RELAY_TARGET_MS = 5
# S8: webhook fan-out. (scenario, what was published, routed to endpoints?)
WEBHOOK_PUBLISH = [("S8-s2-plain", "S2's load (transient), no endpoints"),
                   ("S8-s2-routed", "S2's load (transient), routed to 5 webhooks"),
                   ("S8-ingest-plain", "{n:,} persistent ({p} producers), no endpoints"),
                   ("S8-drain", "{n:,} persistent ({p} producers), routed to 5 webhooks"),
                   ("S8-drain-cluster", "the same, the daemon in a cluster (jobs relayed)")]
WEBHOOK_RATIO_TARGET = 0.9
WEBHOOK_DRAIN_TARGET = 5000
# S9: delivery policy. The publish parts: (load, title); the stores they ran against.
POLICY_LOADS = [("s2", "S2's load (5,000 channels, transient)"),
                ("s4", "S4's load (16 producers, durable)")]
POLICY_VARIANTS = [("plain", "none"),
                   ("prefs", "{u:,} users', {d} of them digesting the load's application"),
                   ("prefs-other", "{u:,} users', none for the load's application")]
POLICY_RATIO_TARGET = 0.9
DIGEST_RUN_TARGET_S = 10


def fmt(v):
    if v is None:
        return "–"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def split_label(label):
    scenario, target, run = (label.split("/") + ["", "", ""])[:3]
    return scenario, target, run


def derive(r):
    """Adds the fields computed from a line's own: server CPU per accepted publish."""
    if r.get("server_cpu_s", -1) >= 0 and r.get("published", 0) > 0:
        r.setdefault("server_cpu_us_per_publish", r["server_cpu_s"] * 1e6 / r["published"])
    return r


def load(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    rows.append(derive(json.loads(line)))
    return rows


def merge(new_rows, path):
    """Replaces the (scenario, target) groups of new_rows in the file at path; returns all."""
    today = datetime.date.today().isoformat()
    for r in new_rows:
        r.setdefault("date", today)
        r.setdefault("host", platform.node())
    fresh = {split_label(r["label"])[:2] for r in new_rows}
    kept = [r for r in load(path) if split_label(r["label"])[:2] not in fresh]
    rows = kept + new_rows
    with open(path, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return rows


def verdict(rows):
    bad = []
    for r in rows:
        if r.get("mode") == "sqlite-ceiling":
            continue
        scenario = split_label(r["label"])[0]
        problems = []
        if r["registered"] < r["subscribers"] and scenario != "S3-max":
            problems.append(f"{r['registered']}/{r['subscribers']} registered")
        if r["mode"] == "idle" and scenario != "S3-max" and r["held"] < r["subscribers"]:
            problems.append(f"{r['held']}/{r['subscribers']} held")
        for k in ("lost", "duplicates", "publish_errors", "publish_unanswered",
                  "publish_unexpected", "webhook_lost", "webhook_duplicates",
                  "webhook_failed", "webhook_missing_id"):
            if r.get(k):
                problems.append(f"{k} {r[k]}")
        if r.get("webhook_drained") is False:
            problems.append(f"outbox not drained ({r.get('webhook_pending')} pending)")
        if r["mode"] == "digest-run" and r.get("digests_by_timer"):
            problems.append(f"{r['digests_by_timer']} digests sent by the daemon's timer meanwhile")
        if r["mode"] == "ingest" and r.get("published", 0) == 0:
            problems.append("nothing published")
        if problems:
            bad.append(f"{r['label']}: " + ", ".join(problems))
    return bad


class Groups:
    def __init__(self, rows):
        self.g = {}
        for r in rows:
            scenario, target, _ = split_label(r["label"])
            self.g.setdefault((scenario, target), []).append(r)

    def has(self, scenario, target=None):
        return any(k[0] == scenario and (target is None or k[1] == target) for k in self.g)

    def med(self, scenario, target, field, transform=None):
        rs = self.g.get((scenario, target))
        if not rs:
            return None, None, None
        vals = [r[field] for r in rs if r.get(field) is not None and r[field] >= 0]
        if not vals:
            return None, None, None
        if transform:
            vals = [transform(v) for v in vals]
        return statistics.median(vals), min(vals), max(vals)

    def cell(self, scenario, target, field, transform=None):
        m, lo, hi = self.med(scenario, target, field, transform)
        if m is None:
            return "–"
        if lo == hi or len(self.g[(scenario, target)]) == 1:
            return fmt(m)
        return f"{fmt(m)} ({fmt(lo)}–{fmt(hi)})"


def s2c_scaling(gr, target):
    """Publishes/s delivered at 5,000 connections ÷ at 500 (S2 is the 5,000 point without S2c-5000)."""
    top = gr.med("S2c-5000", target, "deliveries_per_s")[0]
    if top is None:
        top = gr.med("S2", target, "deliveries_per_s")[0]
    low = gr.med("S2c-500", target, "deliveries_per_s")[0]
    return top / low if top is not None and low else None


def main_table(gr):
    present = [t for t in TARGETS if any(k[1] == t[0] for k in gr.g)]
    refs = [t for t in REFS if any(k[1] == t[0] for k in gr.g)]
    out = ["| scenario | metric | " + " | ".join(n for _, n in present)
           + "".join(f" | Herald / {n}" for _, n in refs) + " |",
           "|" + "---|" * (2 + len(present) + len(refs))]
    for scenario, metrics in METRICS.items():
        if not gr.has(scenario):
            continue
        for field, title, transform in metrics:
            cells = [gr.cell(scenario, t, field, transform) for t, _ in present]
            ratios = []
            for t, _ in refs:
                h = gr.med(scenario, "herald", field)[0]
                r = gr.med(scenario, t, field)[0]
                ok = h is not None and r not in (None, 0) and field not in NO_RATIO
                ratios.append(f"{h / r:.2f}×" if ok else "–")
            out.append(f"| {scenario} | {title} | " + " | ".join(cells)
                       + "".join(f" | {x}" for x in ratios) + " |")
        if scenario == "S2c-5000" or (scenario == "S2c-2000" and not gr.has("S2c-5000")):
            cells = []
            for t, _ in present:
                v = s2c_scaling(gr, t)
                cells.append(f"{v:.0%}" if v is not None else "–")
            out.append("| S2c | 5,000 ÷ 500 connections | " + " | ".join(cells)
                       + " | –" * len(refs) + " |")
    return out


def relay_nodes(gr, scenario):
    """Per node (in by_url order): hops, then per run the node's p50/p99 and those minus node 1's."""
    rs = [r for r in gr.g.get((scenario, "herald"), []) if r.get("by_url")]
    if not rs:
        return []
    nodes = []
    for i, hops in enumerate(rs[0]["hops"]):
        runs = []
        for r in rs:
            u, base = r["by_url"][i], r["by_url"][0]
            runs.append({"p50": u["p50_ms"], "p99": u["p99_ms"], "lost": u["lost"],
                         "dups": u["duplicates"], "received": u["received"],
                         "add50": u["p50_ms"] - base["p50_ms"], "add99": u["p99_ms"] - base["p99_ms"],
                         "relay50": u.get("relay_p50_ms"), "relay99": u.get("relay_p99_ms")})
        nodes.append((i + 1, hops, runs))
    return nodes


def spread(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "–"
    m = statistics.median(vals)
    lo, hi = min(vals), max(vals)
    return fmt(m) if len(vals) == 1 or lo == hi else f"{fmt(m)} ({fmt(lo)}–{fmt(hi)})"


def relay_table(gr):
    if not any(gr.has(s) for s, _, _ in RELAY):
        return []
    out = ["| S6 | notifications | node | hops from node 1 | p50 ms | p99 ms | added p50 ms "
           "| added p99 ms | added p99 ms per hop | per message behind node 1: p50 / p99 ms "
           "| lost | duplicates |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for scenario, topology, kind in RELAY:
        for node, hops, runs in relay_nodes(gr, scenario):
            col = lambda k: spread([x[k] for x in runs])
            added = (col("add50"), col("add99"),
                     spread([x["add99"] / hops for x in runs])) if hops else ("–", "–", "–")
            behind = f"{col('relay50')} / {col('relay99')}" if hops else "–"
            out.append(f"| {topology} | {kind} | node {node} | {hops} | {col('p50')} | {col('p99')} "
                       f"| {added[0]} | {added[1]} | {added[2]} | {behind} | {col('lost')} "
                       f"| {col('dups')} |")
    return out


def relay_worst(gr, kind):
    """The largest median added p99 per hop over the nodes of one kind: (ms, where) or None."""
    worst = None
    for scenario, topology, k in RELAY:
        if k != kind:
            continue
        for node, hops, runs in relay_nodes(gr, scenario):
            if hops:
                v = statistics.median(x["add99"] / hops for x in runs)
                if worst is None or v > worst[0]:
                    worst = (v, f"{topology}, node {node}, {hops} hop" + ("s" if hops > 1 else ""))
    return worst


def paired_ratios(gr, num, den, field):
    """Per run number, num's field ÷ den's (the runs of S8 pair a routed and a plain daemon)."""
    a = {split_label(r["label"])[2]: r.get(field) for r in gr.g.get((num, "herald"), [])}
    b = {split_label(r["label"])[2]: r.get(field) for r in gr.g.get((den, "herald"), [])}
    return [a[k] / b[k] for k in a if k in b and a[k] is not None and b[k]]


def webhook_tables(gr):
    if not any(gr.has(s, "herald") for s, _ in WEBHOOK_PUBLISH):
        return []
    out = ["| S8 publishes | publishes/s (201s) | delivered end to end: p50 ms | p99 ms "
           "| webhook deliveries made | lost (WebSocket / webhook) "
           "| duplicates (WebSocket / webhook) | server CPU s |", "|---|---|---|---|---|---|---|---|"]
    for scenario, title in WEBHOOK_PUBLISH:
        rs = gr.g.get((scenario, "herald"))
        if not rs:
            continue
        streamed = rs[0].get("mode") != "ingest"  # WebSocket subscribers received it
        routed = "webhook_unique" in rs[0]

        def c(field, shown=True):
            return gr.cell(scenario, "herald", field) if shown else "–"
        title = title.format(n=rs[0]["messages"], p=rs[0]["publishers"])
        out.append(f"| {title} | {c('publishes_per_s')} | {c('p50_ms', streamed)} "
                   f"| {c('p99_ms', streamed)} | {c('webhook_unique', routed)} "
                   f"| {c('lost', streamed)} / {c('webhook_lost', routed)} "
                   f"| {c('duplicates', streamed)} / {c('webhook_duplicates', routed)} "
                   f"| {c('server_cpu_s')} |")
    for num, den, title in (("S8-s2-routed", "S8-s2-plain", "S2's load"),
                            ("S8-drain", "S8-ingest-plain", "persistent publishes"),
                            ("S8-drain-cluster", "S8-drain", "persistent publishes, clustered")):
        ratios = paired_ratios(gr, num, den, "publishes_per_s")
        if ratios:
            m, lo, hi = statistics.median(ratios), min(ratios), max(ratios)
            text = f"{m:.0%}" if len(ratios) == 1 else f"{m:.0%} ({lo:.0%}–{hi:.0%})"
            out.append(f"| {title}: routed ÷ no endpoints, same run | {text} "
                       "| – | – | – | – | – | – |")
    if gr.has("S8-drain", "herald"):
        r0 = gr.g[("S8-drain", "herald")][0]
        out += ["", f"| S8 outbox drain ({r0['messages']:,} × {r0.get('endpoints', 5)} webhooks) "
                "| deliveries/s | publishing starts → "
                "all delivered, none pending: s | publishing s | then, until drained: s "
                "| left when publishing ended | the outbox alone, after publishing: deliveries/s "
                "| at the receiver, first to last delivery: deliveries/s "
                "| connections the sender opened | requests beyond one per delivery "
                "| receiver CPU s |",
                "|---|---|---|---|---|---|---|---|---|---|---|"]
        for scenario, title in (("S8-drain", "herald-syncd, one receiver process"),
                                ("S8-drain-cluster", "the same, in a cluster (jobs relayed)")):
            if not gr.has(scenario, "herald"):
                continue

            def d(field):
                return gr.cell(scenario, "herald", field)
            extra = spread([r["webhook_requests"] - r["webhook_unique"]
                            for r in gr.g[(scenario, "herald")] if "webhook_requests" in r])
            out.append(f"| {title} | {d('deliveries_per_s')} "
                       f"| {d('drain_s')} | {d('publish_phase_s')} | {d('webhook_tail_s')} "
                       f"| {d('webhook_left_at_publish_end')} | {d('webhook_after_publish_per_s')} "
                       f"| {d('webhook_sink_per_s')} | {d('webhook_sink_connections')} | {extra} "
                       f"| {d('webhook_sink_cpu_s')} |")
    return out


def digest_runs(gr):
    """S9's digest runs, fewest users first: [(users, scenario)]."""
    return sorted((gr.g[k][0]["users"], k[0]) for k in gr.g
                  if k[0].startswith("S9-digest-") and k[1] == "herald")


def digest_growth_ratio(gr):
    """The median peak RSS growth of the largest digest run ÷ that of the smallest."""
    runs = digest_runs(gr)
    if len(runs) < 2:
        return None
    lo = gr.med(runs[0][1], "herald", "server_hwm_growth_kb")[0]
    hi = gr.med(runs[-1][1], "herald", "server_hwm_growth_kb")[0]
    return (hi / lo if lo else None), runs[0][0], runs[-1][0], lo, hi


def policy_tables(gr):
    out = []
    runs = digest_runs(gr)
    if runs:
        out += ["| S9 digest run | users × items | digests/s | POST → answer s | digests sent "
                "| items sent | server CPU s | VmHWM before MiB | VmHWM after MiB "
                "| peak growth MiB | VmRSS after MiB |",
                "|---|---|---|---|---|---|---|---|---|---|---|"]
        mib = lambda v: v / 1024  # noqa: E731
        for users, scenario in runs:
            r0 = gr.g[(scenario, "herald")][0]

            def c(field, transform=None):
                return gr.cell(scenario, "herald", field, transform)
            out.append(f"| POST /api/v1/digests/run | {users:,} × {r0['items_per_user']} "
                       f"| {c('digests_per_s')} | {c('run_s')} | {c('digests')} "
                       f"| {c('digest_items_sent')} | {c('server_cpu_s')} "
                       f"| {c('server_hwm_before_kb', mib)} | {c('server_hwm_after_kb', mib)} "
                       f"| {c('server_hwm_growth_kb', mib)} | {c('server_rss_after_kb', mib)} |")
        g = digest_growth_ratio(gr)
        if g and g[0] is not None:
            out.append(f"| peak growth, {g[2]:,} ÷ {g[1]:,} users | {g[2] // g[1]}× the users "
                       f"| – | – | – | – | – | – | – | {g[0]:.2f}× | – |")
    loads = [(l, t) for l, t in POLICY_LOADS
             if any(gr.has(f"S9-{l}-{v}", "herald") for v, _ in POLICY_VARIANTS)]
    if loads:
        if out:
            out.append("")
        out += ["| S9 publishes | preferences stored | publishes/s (201s) | p50 ms | p99 ms "
                "| lost | server CPU s |", "|---|---|---|---|---|---|---|"]
        for load, title in loads:
            for variant, what in POLICY_VARIANTS:
                rs = gr.g.get((f"S9-{load}-{variant}", "herald"))
                if not rs:
                    continue
                scenario = f"S9-{load}-{variant}"
                what = what.format(u=rs[0].get("preference_users", 0),
                                   d=rs[0].get("load_digesters", 0))
                streamed = rs[0].get("mode") != "ingest"

                def c(field, shown=True):
                    return gr.cell(scenario, "herald", field) if shown else "–"
                out.append(f"| {title} | {what} | {c('publishes_per_s')} | {c('p50_ms', streamed)} "
                           f"| {c('p99_ms', streamed)} | {c('lost')} | {c('server_cpu_s')} |")
            for variant, what in POLICY_VARIANTS[1:]:
                ratios = paired_ratios(gr, f"S9-{load}-{variant}", f"S9-{load}-plain",
                                       "publishes_per_s")
                if ratios:
                    m, lo, hi = statistics.median(ratios), min(ratios), max(ratios)
                    text = f"{m:.0%}" if len(ratios) == 1 else f"{m:.0%} ({lo:.0%}–{hi:.0%})"
                    out.append(f"| {title}: {variant} ÷ none, same run | – | {text} "
                               "| – | – | – | – |")
    return out


def ingest_table(gr):
    if not any(gr.has(s) for s, _ in INGEST) and not gr.has("S4sql"):
        return []
    out = ["| S4 | committed publishes/s (201s) | store transactions | publishes per transaction "
           "| rows stored | lost | server CPU s |", "|---|---|---|---|---|---|---|"]
    for scenario, title in INGEST:
        if not gr.has(scenario, "herald"):
            continue
        per_tx = None
        rs = gr.g[(scenario, "herald")]
        ratios = [r["published"] / r["store_batches"] for r in rs if r.get("store_batches", -1) > 0]
        if ratios:
            per_tx = statistics.median(ratios)
        out.append(f"| {title} | {gr.cell(scenario, 'herald', 'publishes_per_s')} | "
                   f"{gr.cell(scenario, 'herald', 'store_batches')} | {fmt(per_tx)} | "
                   f"{gr.cell(scenario, 'herald', 'stored')} | {gr.cell(scenario, 'herald', 'lost')} | "
                   f"{gr.cell(scenario, 'herald', 'server_cpu_s')} |")
    for target, title in CEILING:
        if gr.has("S4sql", target):
            out.append(f"| SQLite alone, {title} | {gr.cell('S4sql', target, 'rows_per_s')} rows/s "
                       "| – | – | – | – | – |")
    return out


def targets_table(gr):
    rows = []

    def add(goal, measured, met):
        rows.append(f"| {goal} | {measured} | {'yes' if met else '**no**'} |")

    v = s2c_scaling(gr, "herald")
    if v is not None:
        add("S2c: publishes/s at 5,000 connections ≥ 80% of those at 500", f"{v:.0%}", v >= 0.8)
    m = gr.med("S2h16", "herald", "publishes_per_s")[0]
    if m is not None:
        add(f"S2: ≥ {S2_HTTP16_TARGET:,} transient publishes/s over HTTP keep-alive "
            "(16 connections; S2h16)", f"{m:,.0f}/s", m >= S2_HTTP16_TARGET)
    h = gr.med("S2w", "herald", "deliveries_per_s")[0]
    n = gr.med("S2w", "nats", "deliveries_per_s")[0]
    if h is not None and n:
        add("S2w: publishing over the WebSocket delivers at least NATS's S2 (publishes/s "
            "delivered end to end, same run)", f"{h:,.0f}/s vs NATS {n:,.0f}/s ({h / n:.2f}×)",
            h >= n)
    m = gr.med("S3", "herald", "rss_per_conn_bytes", kib)[0]
    if m is not None:
        add("S3: server RSS ≤ 8 KiB per idle connection", f"{m:.1f} KiB", m <= 8)
    held = gr.med("S3-max", "herald", "held")[0]
    tried = gr.med("S3-max", "herald", "subscribers")[0]
    if held is not None and tried:
        add("S3: every connection the process may open is held", f"{held:,.0f} of {tried:,.0f}",
            held >= tried)
    m = gr.med("S4", "herald", "publishes_per_s")[0]
    if m is not None:
        add("S4: ≥ 20,000 durable publishes/s (16 producers)", f"{m:,.0f}/s", m >= 20000)
    m = gr.med("S5", "herald", "register_p99_ms")[0]
    if m is not None:
        add("S5: register → backlogDone p99 ≤ 50 ms", f"{fmt(m)} ms", m <= 50)
    m = gr.med("S7", "herald", "inbox_p99_ms")[0]
    if m is not None:
        add("S7: inbox first page p99 ≤ 20 ms under S2 load", f"{fmt(m)} ms", m <= 20)
    ratios = paired_ratios(gr, "S8-s2-routed", "S8-s2-plain", "publishes_per_s")
    if ratios:
        m = statistics.median(ratios)
        add(f"S8: S2 publishes/s with 5 webhook endpoints ≥ {WEBHOOK_RATIO_TARGET:.0%} of without "
            "(same run)", f"{m:.0%}", m >= WEBHOOK_RATIO_TARGET)
    m = gr.med("S8-drain", "herald", "deliveries_per_s")[0]
    if m is not None:
        n = gr.g[("S8-drain", "herald")][0]["messages"]
        add(f"S8: outbox drained at ≥ {WEBHOOK_DRAIN_TARGET:,} deliveries/s ({n:,} notifications "
            "× 5 webhooks)",
            f"{m:,.0f}/s", m >= WEBHOOK_DRAIN_TARGET)
    runs = digest_runs(gr)
    if runs:
        users, scenario = runs[-1]
        m = gr.med(scenario, "herald", "run_s")[0]
        items = gr.g[(scenario, "herald")][0]["items_per_user"]
        add(f"S9: digest run for {users:,} users × {items} items < {DIGEST_RUN_TARGET_S} s",
            f"{fmt(m)} s ({gr.med(scenario, 'herald', 'digests_per_s')[0]:,.0f} digests/s)",
            m < DIGEST_RUN_TARGET_S)
    g = digest_growth_ratio(gr)
    if g and g[0] is not None:
        add(f"S9: the digest run's peak RSS growth does not grow with the users ({g[2]:,} users "
            f"≤ 2× {g[1]:,})", f"{kib(g[4]):.1f} MiB vs {kib(g[3]):.1f} MiB ({g[0]:.2f}×)",
            g[0] <= 2)
    for load, title in (("s2", "S2 publishes/s"), ("s4", "S4 durable publishes/s")):
        ratios = paired_ratios(gr, f"S9-{load}-prefs", f"S9-{load}-plain", "publishes_per_s")
        if ratios:
            m = statistics.median(ratios)
            r0 = gr.g[(f"S9-{load}-prefs", "herald")][0]
            add(f"S9: {title} with {r0.get('preference_users', 0):,} users' preferences stored "
                f"≥ {POLICY_RATIO_TARGET:.0%} of without (same run)", f"{m:.0%}",
                m >= POLICY_RATIO_TARGET)
    for kind in ("transient", "persistent"):
        w = relay_worst(gr, kind)
        if w is not None:
            add(f"S6: relay adds ≤ {RELAY_TARGET_MS} ms to p99 per hop ({kind}; worst node)",
                f"{fmt(w[0])} ms ({w[1]})", w[0] <= RELAY_TARGET_MS)
    if not rows:
        return []
    return ["| target (Herald) | measured (median) | met |", "|---|---|---|"] + rows


def cpu_table(gr):
    out = ["| scenario | target | load generator CPU s | server CPU s | generator / server |",
           "|---|---|---|---|---|"]
    for (scenario, target), rs in sorted(gr.g.items()):
        if rs[0].get("mode") in ("idle", "sqlite-ceiling", "digest-run", None):
            continue
        g = statistics.median(r["gen_cpu_s"] for r in rs)
        s = statistics.median(r["server_cpu_s"] for r in rs)
        ratio = f"{g / s:.2f}" if s > 0 else "–"
        out.append(f"| {scenario} | {target} | {g:.2f} | {s:.2f} | {ratio} |")
    return out


def stamp(gr, rows):
    runs = {k: len(v) for k, v in gr.g.items()}
    most = max(runs.values(), default=0)
    dates = sorted({r.get("date", datetime.date.today().isoformat()) for r in rows})
    when = dates[0] if len(dates) == 1 else f"between {dates[0]} and {dates[-1]}"
    text = (f"Measured {when} on {platform.node() or 'this machine'}: {os.cpu_count()} cores, "
            f"{platform.machine()}, loopback, Linux {platform.release()}; median of {most} runs "
            "(min–max in brackets)")
    fewer = sorted({s for (s, _), n in runs.items() if n < most})
    if fewer:
        text += f", except {', '.join(fewer)}: " + ", ".join(
            sorted({f"{n} run" + ("s" if n > 1 else "") for (s, _), n in runs.items() if n < most}))
    return text + "."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--smoke", default="0")
    ap.add_argument("--merge-into")
    ap.add_argument("--doc")
    a = ap.parse_args()

    new_rows = load(a.results)
    bad = verdict(new_rows)
    rows = merge(new_rows, a.merge_into) if a.merge_into else new_rows
    gr = Groups(rows)

    main_rows = main_table(gr)
    sections = [main_rows] if len(main_rows) > 2 else []
    ingest = ingest_table(gr)
    if ingest:
        sections.append(["Durable ingest (S4: 16 producers, keep-alive HTTP, one request in flight "
                         "each; SQLite alone in the same directory, one thread):", ""] + ingest)
    relay = relay_table(gr)
    if relay:
        r0 = next(r for s, _, _ in RELAY for r in gr.g.get((s, "herald"), []))
        sections.append([f"Relay added latency (S6: three herald-syncd nodes, {r0['messages']:,} "
                         f"publishes on node 1 at {r0['rate']:g}/s, {r0['subscribers'] // 3} "
                         "subscribers on each node; added = the node's figure minus node 1's in the "
                         "same run; behind node 1 = per message, the node's first delivery minus "
                         "node 1's first delivery):", ""] + relay)
    webhooks = webhook_tables(gr)
    if webhooks:
        sections.append(["Webhook fan-out (S8: 5 webhook endpoints, all on one local receiver "
                         "(tests/bench/webhooksink.py), one behaviour group routing the load's "
                         "application to all 5; every line a fresh daemon of the same build, "
                         "all in the same run; the routed lines' webhook deliveries waited for "
                         "after the load):", ""] + webhooks)
    policy = policy_tables(gr)
    if policy:
        sections.append(["Delivery policy (S9: POST /api/v1/digests/run with every user's digest "
                         "due, on a daemon started on that store; S2's and S4's loads on daemons "
                         "with and without users' preferences stored; every line a fresh daemon of "
                         "the same build, all in the same run):", ""] + policy)
    goals = targets_table(gr)
    if goals:
        sections.append(["Targets of the benchmark issue:", ""] + goals)
    sections.append(["CPU time during the measured phase (publishing and delivery; connection "
                     "set-up excluded):", ""] + cpu_table(gr))
    text = "\n\n".join("\n".join(s) for s in sections)
    print(text)
    if a.doc:
        block = "<!-- bench:begin -->\n" + stamp(gr, rows) + "\n\n" + text + "\n<!-- bench:end -->"
        page = open(a.doc).read() if os.path.exists(a.doc) else \
            "# Performance\n\n<!-- bench:begin -->\n<!-- bench:end -->\n"
        b, e = page.find("<!-- bench:begin -->"), page.find("<!-- bench:end -->")
        if b < 0 or e < 0:
            page = page.rstrip("\n") + "\n\n" + block + "\n"
        else:
            page = page[:b] + block + page[e + len("<!-- bench:end -->"):]
        with open(a.doc, "w") as f:
            f.write(page)
    if bad:
        print("\nFAILED:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1 if a.smoke == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
