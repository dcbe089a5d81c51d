# SPDX-License-Identifier: Apache-2.0
"""The catalog, users and tokens of a soak, made the way an operator would: the first admin
token with the command line, everything else through the REST API with it."""
import dataclasses

from httpclient import HttpClient

APPLICATION = "soak"
VERIFIED_CHANNELS = ["c1", "c2", "c3", "c4"]
BULK_CHANNEL = "bulk"  # only the slow reader follows it
START_CHANNEL = "start"  # holds the marker every resume starts after


class ProvisionError(Exception):
    pass


@dataclasses.dataclass
class Accounts:
    admin_token: str
    producer_tokens: list
    subscriber_users: list
    subscriber_tokens: list
    slow_token: str
    abuser_user: str
    abuser_token: str
    revoked_user: str
    floor_id: int  # the id of the start marker, published before any subscriber connects


async def provision(daemon, publishers, subscribers):
    admin_token = await daemon.cli("token", "create", "--kind", "admin", "--label", "soak")
    http = HttpClient(daemon.address, token=admin_token)
    try:
        await _expect(http.put(f"/api/v1/applications/{APPLICATION}", {"title": "Soak"}), 201)
        for channel in VERIFIED_CHANNELS + [BULK_CHANNEL, START_CHANNEL]:
            await _expect(http.put(f"/api/v1/applications/{APPLICATION}/channels/{channel}",
                                   {"title": channel}), 201)
        subscriber_users = [f"s{i + 1}" for i in range(subscribers)]
        for user in subscriber_users + ["slowpoke", "mallory", "revokee"]:
            await _expect(http.post("/api/v1/users", {"name": user}), 201)
        producer_tokens = [await _token(http, {"kind": "producer", "application": APPLICATION})
                           for _ in range(publishers + 1)]  # one more for the bulk publisher
        subscriber_tokens = [await _token(http, {"kind": "user", "user": user})
                             for user in subscriber_users]
        slow_token = await _token(http, {"kind": "user", "user": "slowpoke"})
        abuser_token = await _token(http, {"kind": "user", "user": "mallory"})
        marker = await _expect(http.post("/api/v1/notifications", {
            "application": APPLICATION, "channel": START_CHANNEL, "title": "soak starts"}), 201)
        return Accounts(admin_token, producer_tokens, subscriber_users, subscriber_tokens,
                        slow_token, "mallory", abuser_token, "revokee", int(marker["id"]))
    finally:
        http.close()


async def _token(http, body):
    return (await _expect(http.post("/api/v1/tokens", body), 201))["token"]


async def _expect(request, status):
    answer = await request
    if answer.status != status:
        raise ProvisionError(f"expected {status}, got {answer.status}: {answer.body[:300]!r}")
    return answer.json()
