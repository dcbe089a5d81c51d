#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""S8's webhook receiver, and the helpers run.sh drives S8 with.

  webhooksink.py [serve] [--port 0] [--no-stdin]
      A receiver on 127.0.0.1 that answers every POST at once, counts requests and distinct
      Herald-Delivery ids, and must never be what limits the measurement. Prints
      "listening on 127.0.0.1:PORT" (stdout, flushed) once it accepts connections, then
      serves until stdin closes or says "quit" (with --no-stdin: until SIGTERM). One asyncio
      event loop, HTTP/1.1 keep-alive and pipelining, parsed by hand: the head up to the
      blank line, then Content-Length bytes of body; every request is answered
      "HTTP/1.1 200 OK" with an empty body (chunked bodies and Expect: 100-continue are not
      spoken: herald-syncd's libcurl sender uses neither).
      Counts, as one JSON line: "stats" on stdin (the answer on stdout), or GET /stats on the
      same port:
        {"requests", "unique", "duplicates", "missing_id", "bytes", "connections",
         "first_unique_mono", "last_unique_mono", "max_attempt", "by_path": {path: requests},
         "cpu_s": the sink's own CPU time since it started (not reset)}
      *_mono are time.monotonic() (CLOCK_MONOTONIC: comparable between processes of one
      host) of the first and the last request that brought a new Herald-Delivery id.
      "reset" on stdin, or POST /reset, forgets everything counted.

  webhooksink.py bench-self [--connections 8] [--seconds 3]
      The sink's own ceiling: a sink in this process, driven from a forked process by N
      keep-alive connections of back-to-back ~600-byte POSTs, one in flight each. Prints
      {"sink_requests_per_s", ...}.

  webhooksink.py route --herald PORT --sink PORT [--endpoints 5] [--app bench]
      Creates the application, the webhook endpoints e1..eN (http://127.0.0.1:SINK/eI) and
      one behaviour group "s8" routing everything of the application to all of them; resets
      the sink's counts.
      herald-syncd must run with HERALD_ENDPOINTS_ALLOW_PRIVATE_NETWORKS=true and --no-auth.

  webhooksink.py drain --herald PORT --sink PORT --pid PID [--endpoints 5] -- LOADGEN ARGS...
      Resets the sink, runs the load generator (its JSON line on stdout; stderr passed on),
      then waits until the sink has seen published x endpoints distinct deliveries and
      /api/v1/endpoints shows none pending. Prints the generator's JSON line with the
      webhook_* fields (below) added; "deliveries_per_s" becomes deliveries / drain_s, where
      drain_s runs from starting the generator (its set-up, a few ms, included) to the later
      of the last new delivery at the sink and the first poll that saw nothing pending;
      "server_cpu_s" is PID's CPU time over that whole span; webhook_left_at_publish_end and
      webhook_after_publish_per_s: the deliveries still to make when the generator ended, and
      the rate they were made at (the outbox alone, no publishing beside it);
      webhook_sink_cpu_s: the receiver's own CPU time over the drain.

  webhooksink.py wait --herald PORT --sink PORT --loadgen-json FILE [--endpoints 5]
      After a generator run that published to a routed application: the same wait, the
      generator's line from FILE with the webhook_* fields added.

  webhook_* fields: expected, unique, requests, duplicates (requests beyond the distinct
  ids), lost (expected - unique), missing_id, max_attempt, pending/done/failed (herald's
  counts at the end), drained (bool), tail_s (generator's end to drained), sink_span_s
  and sink_per_s (first to last new delivery at the sink), sink_connections (TCP
  connections the sender opened), by_endpoint (requests per path).
Talks to 127.0.0.1 only; drain and wait give up after --stall seconds (30) without a new
delivery, or --timeout (300) in all.
"""
import argparse
import asyncio
import http.client
import json
import os
import socket
import subprocess
import sys
import time

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
MAX_HEAD = 64 * 1024


# ------------------------------------------------------------------ the receiver
class Counts:
    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = 0
        self.ids = set()
        self.duplicates = 0
        self.missing_id = 0
        self.bytes = 0
        self.connections = 0
        self.first = None
        self.last = None
        self.max_attempt = 0
        self.by_path = {}

    def json(self):
        return json.dumps({
            "requests": self.requests, "unique": len(self.ids), "duplicates": self.duplicates,
            "missing_id": self.missing_id, "bytes": self.bytes, "connections": self.connections,
            "first_unique_mono": self.first, "last_unique_mono": self.last,
            "max_attempt": self.max_attempt, "by_path": self.by_path,
            "cpu_s": round(time.process_time(), 3)})


COUNTS = Counts()


def header(head, name):
    """The value of header `name` (lower case, with the colon) in a lower-cased raw head."""
    i = head.find(b"\r\n" + name)
    if i < 0:
        return None
    i += 2 + len(name)
    j = head.find(b"\r\n", i)
    return head[i:j if j >= 0 else len(head)].strip()


class Sink(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buf = b""
        COUNTS.connections += 1
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data):
        buf = self.buf + data if self.buf else data
        out = []
        pos = 0
        n = len(buf)
        while True:
            end = buf.find(b"\r\n\r\n", pos)
            if end < 0:
                if n - pos > MAX_HEAD:
                    self.transport.close()
                    return
                break
            # Header names are case-insensitive; the values read here (digits, uuids) do not
            # mind being lower-cased.
            head = buf[pos:end].lower()
            clen = header(head, b"content-length:")
            body = int(clen) if clen else 0
            if end + 4 + body > n:
                break
            pos = end + 4 + body
            if head.startswith(b"get /stats"):
                payload = COUNTS.json().encode()
                out.append(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           b"Content-Length: %d\r\n\r\n" % len(payload) + payload)
                continue
            if head.startswith(b"post /reset"):
                COUNTS.reset()
                out.append(OK)
                continue
            COUNTS.requests += 1
            COUNTS.bytes += body
            sp = head.find(b" ")
            path = head[sp + 1:head.find(b" ", sp + 1)].decode(errors="replace")
            COUNTS.by_path[path] = COUNTS.by_path.get(path, 0) + 1
            delivery = header(head, b"herald-delivery:")
            if delivery is None:
                COUNTS.missing_id += 1
            elif delivery in COUNTS.ids:
                COUNTS.duplicates += 1
            else:
                COUNTS.ids.add(delivery)
                now = time.monotonic()
                if COUNTS.first is None:
                    COUNTS.first = now
                COUNTS.last = now
            attempt = header(head, b"herald-attempt:")
            if attempt and attempt.isdigit() and int(attempt) > COUNTS.max_attempt:
                COUNTS.max_attempt = int(attempt)
            out.append(OK)
        self.buf = buf[pos:] if pos < n else b""
        if out:
            self.transport.write(b"".join(out) if len(out) > 1 else out[0])


async def control(stop):
    """stdin: "stats" prints the counts, "reset" forgets them, "quit" or EOF stops."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        cmd = line.strip().decode(errors="replace")
        if not line or cmd == "quit":
            break
        if cmd == "stats":
            print(COUNTS.json(), flush=True)
        elif cmd == "reset":
            COUNTS.reset()
    stop.set_result(None)


async def start_sink(host, port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Sink, host, port, backlog=1024, reuse_address=True)
    bound = server.sockets[0].getsockname()
    print(f"listening on {bound[0]}:{bound[1]}", flush=True)
    return server, bound[1]


async def serve(host, port, with_stdin):
    server, _ = await start_sink(host, port)
    stop = asyncio.get_running_loop().create_future()
    if with_stdin:
        asyncio.ensure_future(control(stop))
    await stop  # without stdin: until a signal ends the process
    server.close()


# ------------------------------------------------------------------ bench-self
def drive(port, connections, seconds, result_fd):
    """In a child process: `connections` keep-alive clients, one request in flight each, over
    one selector loop, for `seconds`; writes the number of answers to result_fd."""
    import selectors
    body = b'{"endpoint":"e1","attempt":1,"notification":{"x":"' + b"y" * 520 + b'"}}'
    seq = 0

    def request():
        nonlocal seq
        seq += 1
        return (b"POST /e1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Herald-Delivery: 00000000-0000-0000-0000-%012d\r\nHerald-Attempt: 1\r\n"
                b"Herald-Signature: t=1,v1=abc\r\nContent-Length: %d\r\n\r\n" % (seq, len(body))
                + body)

    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(connections):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(request())
        sel.register(s, selectors.EVENT_READ)
        socks.append(s)
    pending = {s: b"" for s in socks}
    answers = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for key, _ in sel.select(0.1):
            s = key.fileobj
            data = pending[s] + s.recv(65536)
            k = data.count(b"\r\n\r\n")
            answers += k
            pending[s] = data[data.rfind(b"\r\n\r\n") + 4:] if k else data
            for _ in range(k):
                s.sendall(request())
    os.write(result_fd, str(answers).encode())
    for s in socks:
        s.close()


def bench_self(a):
    async def main():
        server, port = await start_sink("127.0.0.1", 0)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                drive(port, a.connections, a.seconds, w)
            finally:
                os._exit(0)
        os.close(w)
        t0 = time.monotonic()
        await asyncio.get_running_loop().run_in_executor(None, os.waitpid, pid, 0)
        elapsed = time.monotonic() - t0
        answers = int(os.read(r, 64) or b"0")
        server.close()
        return answers, elapsed

    answers, elapsed = asyncio.run(main())
    print(json.dumps({"connections": a.connections, "seconds": round(elapsed, 3),
                      "answered": answers, "sink_requests": COUNTS.requests,
                      "sink_unique": len(COUNTS.ids),
                      "sink_requests_per_s": round(answers / elapsed)}), flush=True)


# ------------------------------------------------------------------ route, drain, wait
def call(port, method, path, body=None, timeout=30):
    """One request to 127.0.0.1:port (no proxy, whatever the environment says)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read()
        if response.status >= 300:
            sys.exit(f"webhooksink: {method} :{port}{path}: HTTP {response.status} {text[:300]!r}")
        return json.loads(text) if text else None
    finally:
        conn.close()


def route(a):
    call(a.sink, "POST", "/reset")
    call(a.herald, "PUT", f"/api/v1/applications/{a.app}", {"title": "Bench"})
    names = [f"e{i}" for i in range(1, a.endpoints + 1)]
    for name in names:
        call(a.herald, "PUT", f"/api/v1/endpoints/{name}",
             {"kind": "webhook", "url": f"http://127.0.0.1:{a.sink}/{name}"})
    call(a.herald, "PUT", f"/api/v1/applications/{a.app}/behaviors/s8", {"endpoints": names})


def cpu_seconds(pid):
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def herald_counts(port):
    total = {"pending": 0, "done": 0, "failed": 0}
    for e in call(port, "GET", "/api/v1/endpoints")["endpoints"]:
        for k in total:
            total[k] += e.get("deliveries", {}).get(k, 0)
    return total


def wait_drained(a, expected, since, published_end):
    """Polls the sink (cheap) until it has `expected` distinct deliveries, then herald (a count
    over the outbox, on its store thread) until nothing is pending; the webhook_* fields."""
    deadline = time.monotonic() + a.timeout
    last_unique, last_move = -1, time.monotonic()
    stats = call(a.sink, "GET", "/stats")
    while stats["unique"] < expected:
        now = time.monotonic()
        if stats["unique"] != last_unique:
            last_unique, last_move = stats["unique"], now
        if now - last_move > a.stall or now > deadline:
            break
        time.sleep(0.05)
        stats = call(a.sink, "GET", "/stats")
    counts = herald_counts(a.herald)
    recorded_at = time.monotonic()
    while counts["pending"] > 0 and time.monotonic() - recorded_at < a.stall:
        time.sleep(0.02)
        counts = herald_counts(a.herald)
    drained_at = time.monotonic()
    stats = call(a.sink, "GET", "/stats")
    drained = stats["unique"] >= expected and counts["pending"] == 0
    end = max(stats["last_unique_mono"] or since, drained_at if counts["pending"] == 0 else since)
    first, last = stats["first_unique_mono"], stats["last_unique_mono"]
    span = last - first if first is not None and last is not None and last > first else 0
    return end, {
        "webhook_expected": expected, "webhook_unique": stats["unique"],
        "webhook_requests": stats["requests"],
        "webhook_duplicates": stats["requests"] - stats["unique"] - stats["missing_id"],
        "webhook_lost": max(0, expected - stats["unique"]),
        "webhook_missing_id": stats["missing_id"], "webhook_max_attempt": stats["max_attempt"],
        "webhook_pending": counts["pending"], "webhook_done": counts["done"],
        "webhook_failed": counts["failed"], "webhook_drained": drained,
        "webhook_tail_s": round(end - published_end, 3),
        "webhook_sink_span_s": round(span, 3),
        "webhook_sink_per_s": round(stats["unique"] / span) if span else 0,
        "webhook_sink_connections": stats["connections"],
        "webhook_by_endpoint": stats["by_path"]}


def drain(a):
    if not a.command:
        sys.exit("webhooksink: drain needs the load generator's command after --")
    call(a.sink, "POST", "/reset")
    sink_cpu0 = call(a.sink, "GET", "/stats")["cpu_s"]
    cpu0 = cpu_seconds(a.pid)
    t0 = time.monotonic()
    run = subprocess.run(a.command, stdout=subprocess.PIPE, text=True)
    published_end = time.monotonic()
    at_publish_end = call(a.sink, "GET", "/stats")["unique"]
    if run.returncode != 0 or not run.stdout.strip():
        sys.exit(f"webhooksink: the load generator failed ({run.returncode})")
    line = json.loads(run.stdout.strip().splitlines()[-1])
    end, fields = wait_drained(a, line["published"] * a.endpoints, t0, published_end)
    cpu1 = cpu_seconds(a.pid)
    line.update(fields)
    line["webhook_sink_cpu_s"] = round(call(a.sink, "GET", "/stats")["cpu_s"] - sink_cpu0, 3)
    line["notifications"] = line["published"]
    line["endpoints"] = a.endpoints
    line["drain_s"] = round(end - t0, 3)
    line["deliveries_per_s"] = round(fields["webhook_unique"] / (end - t0)) if end > t0 else 0
    line["publish_phase_s"] = round(published_end - t0, 3)
    # The outbox alone: what was left when the generator ended, and how fast it went then.
    left = fields["webhook_unique"] - at_publish_end
    line["webhook_left_at_publish_end"] = left
    line["webhook_after_publish_per_s"] = (round(left / fields["webhook_tail_s"])
                                           if left > 0 and fields["webhook_tail_s"] > 0 else 0)
    if cpu0 is not None and cpu1 is not None:
        line["server_cpu_s"] = round(cpu1 - cpu0, 3)
    print(json.dumps(line), flush=True)


def wait(a):
    with open(a.loadgen_json) as f:
        line = json.loads(f.read().strip().splitlines()[-1])
    now = time.monotonic()
    _, fields = wait_drained(a, line["published"] * a.endpoints, now, now)
    line.update(fields)
    line["endpoints"] = a.endpoints
    print(json.dumps(line), flush=True)


def main():
    argv = sys.argv[1:]
    if not argv or argv[0].startswith("-"):
        argv = ["serve"] + argv
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--no-stdin", action="store_true")
    p = sub.add_parser("bench-self")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--seconds", type=float, default=3)
    for name in ("route", "drain", "wait"):
        p = sub.add_parser(name)
        p.add_argument("--herald", type=int, required=True)
        p.add_argument("--sink", type=int, required=True)
        p.add_argument("--endpoints", type=int, default=5)
        if name == "route":
            p.add_argument("--app", default="bench")
            continue
        p.add_argument("--stall", type=float, default=30)
        p.add_argument("--timeout", type=float, default=300)
        if name == "drain":
            p.add_argument("--pid", type=int, default=0)
            p.add_argument("command", nargs=argparse.REMAINDER)
        else:
            p.add_argument("--loadgen-json", required=True)
    a = ap.parse_args(argv)
    if a.cmd == "serve":
        if not a.host.startswith("127."):
            sys.exit("webhooksink: loopback (127.0.0.0/8) only")
        asyncio.run(serve(a.host, a.port, not a.no_stdin))
    elif a.cmd == "bench-self":
        bench_self(a)
    elif a.cmd == "route":
        route(a)
    elif a.cmd == "drain":
        if a.command and a.command[0] == "--":
            a.command = a.command[1:]
        drain(a)
    else:
        wait(a)


if __name__ == "__main__":
    main()
