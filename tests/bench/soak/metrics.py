# SPDX-License-Identifier: Apache-2.0
"""Reads counters from the daemon's /metrics (Prometheus text)."""
from httpclient import HttpClient, HttpError


class MetricsReader:
    def __init__(self, daemon):
        self._http = HttpClient(daemon.address)

    async def read(self):
        """{series: value}, labels dropped and their values summed (a node has one label
        set per series, node="N", but for the labelled counters); {} when no answer."""
        # Twice: the kept-alive connection may be one to a daemon killed since.
        for _ in range(2):
            try:
                answer = await self._http.get("/metrics", timeout=5)
                break
            except HttpError:
                continue
        else:
            return {}
        if answer.status != 200:
            return {}
        values = {}
        for line in answer.body.decode().splitlines():
            if not line or line.startswith("#"):
                continue
            series, _, value = line.rpartition(" ")
            name = series.partition("{")[0]
            try:
                values[name] = values.get(name, 0.0) + float(value)
            except ValueError:
                pass
        return values

    def close(self):
        self._http.close()
