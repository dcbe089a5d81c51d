# SPDX-License-Identifier: Apache-2.0
"""Holds a finished soak to its promises: one check per promise, and the numbers behind it."""
import statistics

from verdict import Verdict


def judge(soak):
    """(Verdict, headline lines) of a finished `Soak`."""
    verdict = Verdict()
    headline = []
    for check in (_notifications, _listing, _acks, _delivery, _memory, _descriptors,
                  _revocation, _slow_reader, _pipelining, _responsive, _kill, _publishers,
                  _harness, _shutdown):
        line = check(soak, verdict)
        if line:
            headline.append(line)
    return verdict, headline


def _listings(soak):
    return getattr(soak, "listings", {})


def _notifications(soak, verdict):
    ledger = soak.ledger
    persistent = ledger.persistent()
    listed = set().union(*_listings(soak).values()) if _listings(soak) else set()
    seen_after_restart = set().union(*(s.seen_after_restart for s in soak.subscribers))
    lost = sorted(p.id for p in persistent if p.id not in listed and p.id not in seen_after_restart)
    before_kill = sum(1 for p in persistent if p.before_kill)
    audited = bool(_listings(soak))  # no listings when the daemon crashed: nothing to judge by
    verdict.check("acknowledged_notifications", audited and not lost,
                  published=ledger.count(), persistent=len(persistent),
                  transient=ledger.count(False), persistent_before_kill=before_kill,
                  requests=ledger.requests_answered, requests_retried=ledger.requests_retried,
                  listed=len(listed & {p.id for p in persistent}),
                  lost=len(lost) if audited else None, lost_ids=lost[:20] if audited else [])
    return (f"published {ledger.count():,} notifications answered 201 ({len(persistent):,} "
            f"persistent, {before_kill:,} of them before the kill; {ledger.count(False):,} "
            f"transient) in {ledger.requests_answered:,} requests, "
            f"{ledger.requests_retried} retries; lost {len(lost) if audited else 'unknown'}")


def _listing(soak, verdict):
    missing, foreign = 0, 0
    for user, listed in _listings(soak).items():
        for item in soak.ledger.persistent():
            if item.visible_to(user) and item.id not in listed:
                missing += 1
            elif not item.visible_to(user) and item.id in listed:
                foreign += 1
    verdict.check("listing_per_user", bool(_listings(soak)) and missing == 0 and foreign == 0,
                  users=len(_listings(soak)), visible_not_listed=missing,
                  listed_not_visible=foreign)


def _acks(soak, verdict):
    sent = confirmed = lost = 0
    for subscriber in soak.subscribers:
        listed = _listings(soak).get(subscriber.user, {})
        sent += len(subscriber.acks_sent)
        confirmed += len(subscriber.acks_confirmed)
        lost += sum(1 for i in subscriber.acks_confirmed if listed.get(i) is not True)
    verdict.check("acknowledgements_kept", bool(_listings(soak)) and lost == 0,
                  sent=sent, confirmed=confirmed, not_acknowledged_in_listing=lost)


def _delivery(soak, verdict):
    subs = soak.subscribers
    live = getattr(soak, "missing_live", None)
    final = getattr(soak, "missing_final", None)
    missing_live = sum(len(m) for m in live) if live is not None else None
    missing_final = sum(len(m) for m in final) if final is not None else None
    frames = sum(s.frames for s in subs)
    reconnects = sum(s.reconnects for s in subs)
    order = sum(len(s.order_violations) for s in subs)
    strays = sum(len(s.strays) for s in subs)
    closes = {}
    for s in subs:
        for code, count in s.daemon_closes.items():
            closes[str(code)] = closes.get(str(code), 0) + count
    expected = sum(len(soak.ledger.expected_for(s.user, s.channels)) for s in subs)
    ok = missing_live == 0 and missing_final == 0 and strays == 0
    verdict.check("subscribers_complete", ok, subscribers=len(subs), expected=expected,
                  frames=frames, unique=sum(len(s.seen) for s in subs),
                  duplicates=sum(s.duplicates for s in subs), missing_when_resumed=missing_live,
                  missing_after_last_resume=missing_final, strays=strays,
                  sessions=sum(s.sessions for s in subs), reconnects=reconnects,
                  own_disconnects=sum(s.our_disconnects for s in subs), daemon_closes=closes,
                  connect_failures=sum(s.connect_failures for s in subs),
                  error_frames=sum(len(s.errors) for s in subs))
    repeats = [r for s in subs for r in s.backlog_repeats]
    tolerated = soak.options.allow_backlog_repeats
    verdict.check("session_order", order == 0 and (not repeats or tolerated),
                  order_violations=order,
                  order_examples=[v for s in subs for v in s.order_violations][:5],
                  backlog_repeats=len(repeats), backlog_repeat_examples=repeats[:5],
                  backlog_repeats_tolerated=tolerated)
    return (f"delivered {frames:,} notification frames to {len(subs)} subscribers "
            f"({expected:,} persistent ones owed, missing {missing_live}), "
            f"{reconnects} reconnects; "
            f"{order} out of order, {len(repeats)} backlog items sent again live")


def _mib(sample):
    return None if not sample else round(sample["rss_kib"] / 1024, 1)


def _memory(soak, verdict):
    points, tolerance = soak.points, soak.options.rss_tolerance
    start = points.get("rss_start_2") or points.get("rss_start_1")
    end = points.get("end")
    growth = None if not (start and end) else (end["rss_kib"] - start["rss_kib"]) / start["rss_kib"]
    verdict.check(
        "rss", growth is not None and growth <= tolerance, start_point="rss_start_2",
        start_1_kib=_kib(points.get("rss_start_1")), peak_1_kib=soak.sampler.peak_rss(1),
        at_kill_kib=_kib(points.get("at_kill")), start_2_kib=_kib(points.get("rss_start_2")),
        peak_2_kib=soak.sampler.peak_rss(2), end_kib=_kib(end),
        growth=None if growth is None else round(growth, 4), tolerance=tolerance,
        warmup_s=soak.options.warmup)
    return (f"RSS MiB: start {_mib(points.get('rss_start_1'))} ({soak.options.warmup:.0f} s "
            f"after start), peak {_div(soak.sampler.peak_rss(1))}, at kill "
            f"{_mib(points.get('at_kill'))}; after restart start "
            f"{_mib(points.get('rss_start_2'))}, "
            f"peak {_div(soak.sampler.peak_rss(2))}, end {_mib(end)} "
            f"({'?' if growth is None else f'{growth:+.1%}'} of the restart's start point)")


def _kib(sample):
    return sample["rss_kib"] if sample else None


def _div(kib):
    return None if kib is None else round(kib / 1024, 1)


def _descriptors(soak, verdict):
    points = soak.points
    idle = points.get("idle_2") or points.get("idle_1")
    end = points.get("end")
    peak = max((s["fds"] for s in soak.sampler.samples if s["fds"] is not None), default=None)
    ok = bool(idle and end) and end["fds"] <= idle["fds"]
    verdict.check("descriptors", ok, idle_1=_fds(points.get("idle_1")), idle_2=_fds(idle),
                  peak=peak, end=_fds(end))
    return (f"descriptors: {_fds(points.get('idle_1'))} at start, {_fds(idle)} at restart "
            f"(before any client), peak {peak}, end {_fds(end)}")


def _fds(sample):
    return sample["fds"] if sample else None


def _revocation(soak, verdict):
    probe = soak.revocation
    ok = not probe.failures and "api" in probe.results and "cli" in probe.results
    verdict.check("revocation", ok, **probe.results, failures=probe.failures)
    api, cli = probe.results.get("api", {}), probe.results.get("cli", {})
    return (f"revocation: API-revoked sessions closed {api.get('codes')} after "
            f"{api.get('close_ms')} ms, command-line {cli.get('codes')} after "
            f"{cli.get('close_ms')} ms; REST {api.get('rest_after')}/{cli.get('rest_after')}")


def _slow_reader(soak, verdict):
    slow = soak.slow_reader
    times = slow.seconds_to_cutoff
    ok = slow.cut_off >= 1 and not slow.not_cut_off and not slow.failures
    verdict.check("slow_reader", ok, stalls=slow.stalls, cut_off=slow.cut_off,
                  not_cut_off=slow.not_cut_off, interrupted=slow.interrupted,
                  median_s_to_cutoff=round(statistics.median(times), 1) if times else None,
                  max_s_to_cutoff=round(max(times), 1) if times else None,
                  max_rss_growth_kib=max(slow.rss_growth_kib, default=None),
                  bulk_published=soak.bulk_ledger.count(), failures=slow.failures[:5])
    return (f"slow reader: cut off {slow.cut_off} of {slow.stalls} stalls "
            f"(median {statistics.median(times) if times else 0:.1f} s after it stopped reading)")


def _pipelining(soak, verdict):
    abuser = soak.abuser
    ok = abuser.rounds >= 1 and abuser.held_back >= 1 and not abuser.failures
    verdict.check("pipelining", ok, rounds=abuser.rounds, held_back=abuser.held_back,
                  requests_sent=abuser.requests_sent, failures=abuser.failures[:5])
    return (f"pipelining: {abuser.rounds} rounds, {abuser.requests_sent:,} requests sent unread, "
            f"held back by the daemon in {abuser.held_back}")


def _responsive(soak, verdict):
    sampler = soak.sampler
    loads = [s["load"] for s in sampler.samples if s.get("load") is not None]
    verdict.check("responsive", not sampler.unanswered_health,
                  slowest_healthz_ms=round(sampler.slowest_health_ms, 1),
                  unanswered_at_s=sampler.unanswered_health[:20],
                  machine_load_mean=round(statistics.mean(loads), 1) if loads else None,
                  machine_load_max=max(loads, default=None))


def _kill(soak, verdict):
    ok = soak.daemon.starts == 2 and bool(soak.kill)
    after = sum(1 for p in soak.ledger.all() if not p.before_kill)
    verdict.check("kill_and_restart", ok, **soak.kill, answered_after_restart=after)
    return (f"kill -9 at {soak.kill.get('t')} s with {soak.kill.get('requests_in_flight')} "
            f"requests on the wire, listening again after {soak.kill.get('down_ms')} ms")


def _publishers(soak, verdict):
    unanswered = sum(p.unanswered_at_end for p in soak.publishers)
    refused = soak.ledger.refused + soak.bulk_ledger.refused
    verdict.check("publishers", not refused and unanswered == 0, refused=refused[:10],
                  unanswered_at_end=unanswered)


def _harness(soak, verdict):
    verdict.check("harness", not soak.task_failures, failures=soak.task_failures[:10])


def _shutdown(soak, verdict):
    verdict.check("daemon", soak.crash is None and soak.shutdown_code == 0, crash=soak.crash,
                  sigterm_exit=soak.shutdown_code, events=soak.events)
