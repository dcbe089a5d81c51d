-- Herald schema version 6 (SQLite): routing to endpoints. Endpoints are where notifications
-- leave the daemon (webhooks, Slack); behaviour groups say which of an application's
-- notifications go to which endpoints; deliveries are the outbox, one job per notification
-- and endpoint, written in the transaction that stores the notification.

CREATE TABLE endpoints (
    name TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('webhook', 'slack', 'email')),
    url TEXT NOT NULL DEFAULT '',
    secret TEXT NOT NULL DEFAULT '',       -- the HMAC key of webhook signatures
    recipients TEXT NOT NULL DEFAULT '[]', -- JSON array of addresses (email)
    enabled INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT NOT NULL DEFAULT '',
    failures_in_row INTEGER NOT NULL DEFAULT 0,
    updated_ms INTEGER NOT NULL DEFAULT 0
);

-- An application's behaviour groups: `match` is a JSON object (channels, codes, minLevel),
-- `endpoints` a JSON array of endpoint names. Both validated by the daemon before they are
-- stored. Removed with their application.
CREATE TABLE behaviors (
    application TEXT NOT NULL,
    name TEXT NOT NULL,
    match TEXT NOT NULL DEFAULT '{}',
    endpoints TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (application, name)
);

-- The outbox. `id` is the Herald-Delivery header, the same on every attempt; `payload` the
-- notification as the receiver gets it (a job outlives the notification's expiry or delete,
-- and transient notifications have no row). `node` delivers it.
CREATE TABLE deliveries (
    id TEXT NOT NULL PRIMARY KEY,
    endpoint TEXT NOT NULL,
    notification_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    node INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    last_attempt_ms INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
-- The dispatcher's question, per endpoint: which pending jobs of this node are due.
CREATE INDEX deliveries_due ON deliveries (node, endpoint, next_attempt_ms)
    WHERE status = 'pending';
-- An endpoint's delivery log, newest first.
CREATE INDEX deliveries_endpoint ON deliveries (endpoint, status, created_ms);
-- What the log forgets first: finished jobs, by when they were last tried.
CREATE INDEX deliveries_finished ON deliveries (last_attempt_ms) WHERE status <> 'pending';

-- When each node's dispatcher last said it was alive. Nodes sharing this database take over
-- the pending jobs of a node silent for longer than a grace period.
CREATE TABLE outbox_nodes (
    node INTEGER NOT NULL PRIMARY KEY,
    alive_ms INTEGER NOT NULL
);
