-- Herald schema version 1 (SQLite). A released migration never changes: add NNNN_next.sql.
-- Kept simple on purpose: the migrator splits statements at ';' (no triggers).

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    event_types TEXT NOT NULL DEFAULT '[]' -- JSON: [{id, title, levels: [{id, title}]}]
);

CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (application_id, name)
);

-- Only persistent notifications are stored. id is the caller's 53-bit id (time, node,
-- sequence), so ordering by id is ordering by creation time.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    priority TEXT NOT NULL DEFAULT 'normal',
    level TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '{}',       -- JSON object
    url TEXT NOT NULL DEFAULT '',
    actions TEXT NOT NULL DEFAULT '[]',    -- JSON: [{id, label, url?}]
    recipients TEXT NOT NULL DEFAULT '[]', -- JSON array of user names, as given
    has_recipients INTEGER NOT NULL DEFAULT 0,
    time_ms INTEGER NOT NULL,
    expires_at_ms INTEGER,
    node INTEGER NOT NULL DEFAULT 0
);
-- Backlog and channel listings walk one channel newest first.
CREATE INDEX notifications_channel_id ON notifications (channel_id, id);
CREATE INDEX notifications_expires_at ON notifications (expires_at_ms)
    WHERE expires_at_ms IS NOT NULL;

-- The recipients again, one row each, so that visibility is an index lookup.
CREATE TABLE notification_recipients (
    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_name TEXT NOT NULL,
    PRIMARY KEY (notification_id, user_name)
) WITHOUT ROWID;

CREATE TABLE receipts (
    user_name TEXT NOT NULL,
    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    time_ms INTEGER NOT NULL,
    PRIMARY KEY (user_name, notification_id)
) WITHOUT ROWID;
-- Deleting a notification cascades here; without this index each delete scans all receipts.
CREATE INDEX receipts_notification_id ON receipts (notification_id);

CREATE TABLE users (
    name TEXT NOT NULL PRIMARY KEY,
    created_at_ms INTEGER NOT NULL
);

-- AUTOINCREMENT: the id of a revoked token never comes back for a new one.
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL UNIQUE, -- hex SHA-256 of the secret
    kind TEXT NOT NULL CHECK (kind IN ('admin', 'producer', 'user')),
    application TEXT,
    user_name TEXT,
    label TEXT NOT NULL DEFAULT '',
    created_at_ms INTEGER NOT NULL
);
