# SPDX-License-Identifier: Apache-2.0
"""The daemon's own account at the end: every user's listing, read page by page."""
from httpclient import HttpClient

PAGE = 100


class Audit:
    def __init__(self, daemon, admin_token, application):
        self.http = HttpClient(daemon.address, token=admin_token)
        self.application = application

    async def listing(self, user, max_pages=5000):
        """{id: acknowledged} of everything `user` may list in the application."""
        listed = {}
        after = None
        for _ in range(max_pages):
            path = (f"/api/v1/notifications?user={user}&application={self.application}"
                    f"&limit={PAGE}" + (f"&after={after}" if after else ""))
            answer = await self.http.get(path, timeout=30)
            if answer.status != 200:
                raise RuntimeError(f"GET {path}: {answer.status} {answer.body[:200]!r}")
            page = answer.json()
            for item in page["notifications"]:
                listed[int(item["id"])] = bool(item.get("acknowledged"))
            after = page.get("next")
            if after is None:
                return listed
        raise RuntimeError(f"the listing of {user} did not end after {max_pages} pages")

    def close(self):
        self.http.close()
