-- Herald schema version 8 (PostgreSQL): digests (PROTOCOL.md, Delivery policy). What a user's
-- rules collect for a digest waits in digest_items, per user and digest key (schedule and
-- agents: "daily@08:00|desktop,email"), written in the transaction that stores the
-- notification; digest_runs says when each of those digests is due and which node sends
-- it; digests keeps what was sent. Sending one moves due_ms, removes its items and records
-- it in one transaction, so a digest is sent once and no item twice.
CREATE TABLE digest_items (
    id BIGSERIAL PRIMARY KEY,
    user_name TEXT NOT NULL,
    digest_key TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    channel_key TEXT NOT NULL,  -- "application/channel", for the summary
    payload TEXT NOT NULL,      -- the notification as JSON (transient ones have no row)
    UNIQUE (user_name, notification_id)
);
CREATE INDEX digest_items_digest ON digest_items (user_name, digest_key, id);

CREATE TABLE digest_runs (
    user_name TEXT NOT NULL,
    digest_key TEXT NOT NULL,
    timezone TEXT NOT NULL,
    due_ms BIGINT NOT NULL, -- when the period being collected ends
    node INTEGER NOT NULL,   -- the node that sends it; taken over when it falls silent
    PRIMARY KEY (user_name, digest_key)
);
CREATE INDEX digest_runs_due ON digest_runs (node, due_ms);

CREATE TABLE digests (
    id TEXT NOT NULL PRIMARY KEY,
    user_name TEXT NOT NULL,
    digest_key TEXT NOT NULL,
    period_end_ms BIGINT NOT NULL,
    item_count INTEGER NOT NULL,
    frame TEXT NOT NULL, -- the digest frame's `data`, as the sessions got it
    node INTEGER NOT NULL,
    sent_ms BIGINT NOT NULL,
    UNIQUE (user_name, digest_key, period_end_ms)
);
CREATE INDEX digests_user ON digests (user_name, sent_ms);

-- Nodes sharing the database pick up each other's preference changes by this.
CREATE INDEX user_preferences_updated ON user_preferences (updated_ms);
