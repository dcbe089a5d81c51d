-- Herald schema version 4 (SQLite): each user's inbox. Membership is computed on read from
-- what the user follows and what is addressed to them; these tables hold only the user's own
-- state: what they follow, how far they have seen, what they deleted, how they roll up.

-- What a user follows. Every register adds its subscriptions; '' as channel stands for every
-- channel of the application. Names, not row ids: a follow may name a channel not made yet.
CREATE TABLE inbox_follows (
    user_name TEXT NOT NULL,
    application TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_name, application, channel)
) WITHOUT ROWID;
-- Who follows a channel (the unseen counts of those with sessions change on a publish).
CREATE INDEX inbox_follows_channel ON inbox_follows (application, channel);

-- The seen cursor (every id up to it has been seen) and the cleared floor (a "delete all":
-- nothing up to it is in the inbox any more). Both only grow, so relayed moves converge.
CREATE TABLE inbox_state (
    user_name TEXT NOT NULL PRIMARY KEY,
    seen_id INTEGER NOT NULL DEFAULT 0,
    cleared_id INTEGER NOT NULL DEFAULT 0
);

-- Notifications a user deleted from their own inbox. No foreign key: a relayed delete may
-- arrive before the notification it hides.
CREATE TABLE inbox_hidden (
    user_name TEXT NOT NULL,
    notification_id INTEGER NOT NULL,
    PRIMARY KEY (user_name, notification_id)
) WITHOUT ROWID;

-- Rollup rules, each a JSON object as PUT (validated by the daemon before it is stored).
CREATE TABLE inbox_rules (
    user_name TEXT NOT NULL,
    name TEXT NOT NULL,
    rule TEXT NOT NULL,
    PRIMARY KEY (user_name, name)
) WITHOUT ROWID;

-- A user's addressed notifications, newest first, without a scan of all recipients.
CREATE INDEX notification_recipients_user ON notification_recipients (user_name, notification_id);

-- The relay carries inbox changes too: 'seen' and 'cleared' move a user's cursor or floor to
-- notification_id, 'hidden' deletes one notification from a user's inbox. SQLite cannot
-- change a CHECK in place, so the table is copied.
CREATE TABLE relay_log_v4 (
    origin INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('notification', 'receipt', 'deleted', 'seen', 'hidden', 'cleared')),
    notification_id INTEGER NOT NULL,
    user_name TEXT NOT NULL DEFAULT '',
    time_ms INTEGER NOT NULL,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
INSERT INTO relay_log_v4 (origin, seq, kind, notification_id, user_name, time_ms)
SELECT origin, seq, kind, notification_id, user_name, time_ms FROM relay_log;
DROP TABLE relay_log;
ALTER TABLE relay_log_v4 RENAME TO relay_log;
CREATE INDEX relay_log_notification ON relay_log (notification_id, kind);
