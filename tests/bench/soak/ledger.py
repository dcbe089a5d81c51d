# SPDX-License-Identifier: Apache-2.0
"""What the daemon answered 201 to: the ground truth every delivery and listing is held to."""
import dataclasses


@dataclasses.dataclass(frozen=True)
class Published:
    id: int
    channel: str
    persistent: bool
    recipients: tuple  # empty: every follower of the channel may see it
    before_kill: bool  # answered by the daemon that was later killed

    def visible_to(self, user):
        return not self.recipients or user in self.recipients


class Ledger:
    def __init__(self):
        self._by_id = {}
        self.killed = False  # set once the daemon was killed: later 201s come from the restart
        self.requests_answered = 0
        self.requests_retried = 0  # sent again after no answer (reset, timeout, 503, 429)
        self.refused = []  # unexpected answers, each a short description

    def record(self, body, answer):
        """Adds the notifications of one 201: `body` as sent, `answer` as returned."""
        sent = body if isinstance(body, list) else [body]
        got = answer if isinstance(answer, list) else [answer]
        if len(sent) != len(got):
            self.refused.append(f"201 with {len(got)} notifications for {len(sent)} sent")
        for notification, stored in zip(sent, got):
            item = Published(
                id=int(stored["id"]), channel=notification["channel"],
                persistent=notification.get("persistent", True),
                recipients=tuple(notification.get("recipients", ())),
                before_kill=not self.killed)
            self._by_id[item.id] = item
        self.requests_answered += 1

    def get(self, notification_id):
        return self._by_id.get(notification_id)

    def all(self):
        return self._by_id.values()

    def persistent(self):
        return [item for item in self._by_id.values() if item.persistent]

    def expected_for(self, user, channels):
        """Ids of the persistent notifications a session of `user` on `channels` must get."""
        return {item.id for item in self._by_id.values()
                if item.persistent and item.channel in channels and item.visible_to(user)}

    def count(self, persistent=None):
        if persistent is None:
            return len(self._by_id)
        return sum(1 for item in self._by_id.values() if item.persistent == persistent)
